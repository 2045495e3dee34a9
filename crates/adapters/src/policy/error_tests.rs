//! What an invalid `policy.toml` reports: code, line, column and key path of every problem.

use super::read_policy;
use crate::Problem;

fn problems(text: &str) -> Vec<Problem> {
    match read_policy(text, "bad.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.problems(),
    }
}

/// (text, code, line, column, a piece of the message).
const CASES: &[(&str, &str, u64, u64, &str)] = &[
    ("[costs\nx = 1\n", "E2001", 1, 7, "invalid TOML"),
    ("sla = \"hard\"\nsla = \"soft\"\n", "E2001", 2, 1, "invalid TOML"),
    ("\n[split]\nmax_shipmets = 2\n", "E2002", 3, 1, "`split.max_shipmets`"),
    ("colour = 1\n", "E2002", 1, 1, "unknown key `colour`"),
    ("[kinds.dealer]\nreach = {}\n", "E2002", 2, 1, "`kinds.dealer.reach`"),
    ("[[rules]]\nname = \"r\"\nwhen = { chanel = \"web\" }\n", "E2002", 3, 10, "`rules[0].when.chanel`"),
    ("[costs]\nsplit_penalty_cents = \"10\"\n", "E2003", 2, 23, "`costs.split_penalty_cents` must be an integer"),
    ("costs = 5\n", "E2003", 1, 9, "`costs` must be a table"),
    ("[split]\nallow_split = \"yes\"\n", "E2003", 2, 15, "true or false"),
    ("[kinds.store]\nfixed_cents = 1.5\n", "E2003", 2, 15, "`kinds.store.fixed_cents`"),
    ("[costs]\n\nunfilled_per_unit_cents = -1\n", "E2004", 3, 27, "`costs.unfilled_per_unit_cents`"),
    ("[kinds.dealer]\nper_km_cents = -0.5\n", "E2004", 2, 16, "`kinds.dealer.per_km_cents`"),
    ("[kinds.dealer]\nper_km_cents = nan\n", "E2005", 2, 16, "`kinds.dealer.per_km_cents`"),
    ("[kinds.dealer]\nper_km_cents = inf\n", "E2005", 2, 16, "finite"),
    ("[levels.same_day]\nper_km_cents = inf\n", "E2005", 2, 16, "`levels.same_day.per_km_cents`"),
    ("[kinds.shop]\nfixed_cents = 1\n", "E2006", 1, 8, "unknown node kind \"shop\""),
    ("[[rules]]\nname = \"r\"\nset = { allowed_kinds = [\"store\", \"kiosk\"] }\n", "E2006", 3, 35, "`rules[0].set.allowed_kinds[1]`"),
    ("[kinds.store]\nreach_km = { same_dya = 5 }\n", "E2007", 2, 14, "`kinds.store.reach_km.same_dya`"),
    ("[[rules]]\nname = \"r\"\nwhen = { service_level = \"express\" }\n", "E2007", 3, 26, "unknown service level \"express\""),
    ("[kinds.store]\ncutoff_local = \"5pm\"\n", "E2008", 2, 16, "`kinds.store.cutoff_local`"),
    ("[kinds.store]\ncutoff_local = \"24:00\"\n", "E2008", 2, 16, "HH:MM"),
    ("[kinds.store]\ncutoff_local = \"9:00\"\n", "E2008", 2, 16, "HH:MM"),
    ("[levels.next_day]\ntransit = []\n", "E2009", 2, 11, "`levels.next_day.transit` is empty"),
    ("[levels.standard]\ntransit = [{ max_km = 100, days = 1 },\n  { max_km = 100, days = 2 }]\n", "E2009", 3, 3, "`levels.standard.transit[1].max_km`"),
    ("[split]\nmax_shipments = 0\n", "E2010", 2, 17, "`split.max_shipments`"),
    ("[[rules]]\nname = \"r\"\nset = { max_shipments = 0 }\n", "E2010", 3, 25, "`rules[0].set.max_shipments`"),
    ("[[rules]]\nname = \"r\"\nwhen = { region = [40, 0, 30, 10] }\n", "E2011", 3, 19, "min above max"),
    ("[[rules]]\nname = \"r\"\nwhen = { region = [0, 0, 95, 10] }\n", "E2011", 3, 19, "latitude"),
    ("[[rules]]\nname = \"r\"\nwhen = { region = [0, 0, 10] }\n", "E2011", 3, 19, "4 numbers"),
    ("effective_from = \"next monday\"\n", "E2012", 1, 18, "`effective_from`"),
    ("effective_from = 2026-01-01T00:00:00\n", "E2012", 1, 18, "offset"),
    ("sla = \"firm\"\n", "E2013", 1, 7, "\"firm\""),
    ("[[rules]]\nname = \"r\"\nset = { sla = \"strict\" }\n", "E2013", 3, 15, "`rules[0].set.sla`"),
    ("[split]\nmax_shipments = 256\n", "E2014", 2, 17, "between 0 and 255"),
    ("[dealers]\ncool_down_hours = -1\n", "E2014", 2, 19, "`dealers.cool_down_hours`"),
    ("[kinds.store]\nreach_km = { next_day = -5 }\n", "E2014", 2, 25, "0 km or more"),
    ("[[rules]]\nname = \"r\"\nset = { allowed_kinds = [] }\n", "E2014", 3, 25, "is empty"),
    ("[levels.express]\ndeadline_days = 1\n", "E2015", 1, 9, "`levels.express.transit` is required"),
    ("[levels.express]\ntransit = [{ days = 1 }]\n", "E2015", 2, 12, "`levels.express.transit[0].max_km`"),
    ("[[rules]]\nwhen = { channel = \"web\" }\n", "E2015", 1, 1, "`rules[0].name` is required"),
    ("[dealers]\nterritory_required = true\noutside_territory_cents = 5\n", "E2040", 3, 27, "`dealers.outside_territory_cents`"),
    ("[incoming]\npromise = true\nhorizon_days = 0\n", "E2050", 3, 16, "`incoming.horizon_days` must be from 1 to 366"),
    ("[incoming]\nhorizon_days = 400\n", "E2050", 2, 16, "found 400"),
    ("[incoming]\npromise = \"yes\"\n", "E2003", 2, 11, "true or false"),
    ("[incoming]\npromis = true\n", "E2002", 2, 1, "`incoming.promis`"),
];

#[test]
fn each_error_class_gives_its_code_and_place() {
    let mut wrong = Vec::new();
    for &(text, code, line, column, message) in CASES {
        let found = problems(text);
        let ok = matches!(found.as_slice(), [p] if (p.code, p.line, p.column) == (code, line, column)
            && p.message.contains(message)
            && p.file == "bad.toml");
        if !ok {
            wrong.push(format!(
                "{text}
want {code} {line}:{column} {message:?}
{found:#?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn every_code_has_a_case_and_an_entry_in_errors_md() {
    let errors_md = include_str!("../../../../docs/errors.md");
    for n in 2001..=2015 {
        let code = format!("E{n}");
        assert!(CASES.iter().any(|c| c.1 == code), "no test case for {code}");
        assert!(
            errors_md.contains(&format!("## {code}\n")),
            "docs/errors.md has no heading for {code}"
        );
    }
}

#[test]
fn several_problems_are_reported_at_once_in_file_order() {
    let text = r#"sla = "firm"
[costs]
split_penalty_cents = -5
[kinds.dealer]
per_km_cents = nan
fixed_cent = 300
[kinds.kiosk]
[levels.express]
[[rules]]
name = "r"
when = { region = [50, 0, 40, 10], service_level = "teleport" }
set = { max_shipments = 0 }
"#;
    let found: Vec<(&str, u64)> = problems(text).iter().map(|p| (p.code, p.line)).collect();
    assert_eq!(
        found,
        vec![
            ("E2013", 1),
            ("E2004", 3),
            ("E2005", 5),
            ("E2002", 6),
            ("E2006", 7),
            ("E2015", 8),
            ("E2011", 11),
            ("E2007", 11),
            ("E2010", 12),
        ]
    );
}

#[test]
fn unknown_keys_list_the_allowed_ones_and_suggest_the_closest() {
    let found = problems("[kinds.dealer]\nfixed_cent = 300\n");
    assert_eq!(found[0].code, "E2002");
    assert!(
        found[0].hint.starts_with("did you mean `fixed_cents`?"),
        "{}",
        found[0].hint
    );
    assert!(found[0].hint.contains("per_km_cents"), "{}", found[0].hint);
    let found = problems("zzz = 1\n");
    assert!(
        found[0]
            .hint
            .starts_with("allowed keys here: effective_from, sla"),
        "{}",
        found[0].hint
    );
}

#[test]
fn a_rejected_policy_reports_and_display_names_file_line_and_column() {
    let found = problems("[split]\nmax_shipments = 0\n");
    assert_eq!(
        found[0].to_string(),
        "bad.toml:2:17: E2010 `split.max_shipments` is 0: no order could ship \
         (hint: max_shipments must be at least 1)"
    );
}
