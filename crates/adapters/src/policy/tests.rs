//! What a valid `policy.toml` produces.

use super::read_policy;
use omniroute_core::{
    Condition, NodeKind, Overrides, Policy, Region, Rule, ServiceLevel, Sla, TransitBand,
};

const EXAMPLE: &str = include_str!("../../../../docs/policy.example.toml");
const REFERENCE: &str = include_str!("../../../../docs/policy.md");

fn read(text: &str) -> Policy {
    read_policy(text, "policy.toml").unwrap_or_else(|e| panic!("{text}\n{:#?}", e.problems()))
}

#[test]
fn empty_or_comment_only_text_is_the_default_policy() {
    for text in [
        "",
        "\n\n",
        "# nothing here\n",
        "[costs]\n[split]\n[kinds]\n[levels]\n",
    ] {
        assert_eq!(read(text), Policy::default(), "{text:?}");
    }
}

#[test]
fn example_file_is_the_default_policy() {
    assert_eq!(read(EXAMPLE), Policy::default());
}

#[test]
fn every_toml_example_in_policy_md_parses() {
    let mut blocks = 0;
    let mut rest = REFERENCE;
    while let Some(start) = rest.find("```toml\n") {
        let body = &rest[start + "```toml\n".len()..];
        let end = body.find("```").expect("closed code block");
        read(&body[..end]);
        blocks += 1;
        rest = &body[end + 3..];
    }
    assert!(blocks >= 3, "docs/policy.md has {blocks} toml examples");
}

type Edit = fn(&mut Policy);

fn kind(p: &mut Policy, k: NodeKind) -> &mut omniroute_core::KindDefaults {
    &mut p.kinds[k.index()]
}

/// (policy text, what it changes in the default policy).
const OVERRIDES: &[(&str, Edit)] = &[
    ("sla = \"soft\"", |p| p.sla = Sla::Soft),
    ("effective_from = \"2026-01-01T00:00:00Z\"", |p| {
        p.effective_from = Some("2026-01-01T00:00:00Z".parse().unwrap());
    }),
    ("effective_from = 2026-03-01T06:00:00+05:30", |p| {
        p.effective_from = Some("2026-03-01T00:30:00Z".parse().unwrap());
    }),
    ("[costs]\nunfilled_per_unit_cents = 5000", |p| {
        p.costs.unfilled_per_unit_cents = 5000;
    }),
    ("[costs]\nsplit_penalty_cents = 250", |p| {
        p.costs.split_penalty_cents = 250;
    }),
    ("[costs]\nlateness_per_day_cents = 7", |p| {
        p.costs.lateness_per_day_cents = 7;
    }),
    ("[costs]\npriority_step_cents = 3", |p| {
        p.costs.priority_step_cents = 3;
    }),
    ("[split]\nallow_split = false", |p| {
        p.split.allow_split = false;
    }),
    ("[split]\nmax_shipments = 1", |p| p.split.max_shipments = 1),
    ("[split]\nship_complete = true", |p| {
        p.split.ship_complete = true;
    }),
    ("[dealers]\nmax_rejections = 5", |p| {
        p.dealers.max_rejections = 5;
    }),
    ("[dealers]\ncool_down_hours = 48", |p| {
        p.dealers.cool_down_hours = 48;
    }),
    ("[dealers]\nacceptance_timeout_s = 60", |p| {
        p.dealers.acceptance_timeout_s = 60;
    }),
    ("[dealers]\nterritory_required = true", |p| {
        p.dealers.territory_required = true;
    }),
    (
        "[dealers]\nreject_cost_cents = 900\ndelay_cost_per_hour_cents = 40",
        |p| {
            (
                p.dealers.reject_cost_cents,
                p.dealers.delay_cost_per_hour_cents,
            ) = (900, 40);
        },
    ),
    (
        "[dealers]\ncool_down_after = 5\noutside_territory_cents = 70",
        |p| {
            (p.dealers.cool_down_after, p.dealers.outside_territory_cents) = (5, 70);
        },
    ),
    ("[dealers]\nprior_accepts = 3\nprior_rejects = 2", |p| {
        (p.dealers.prior.accepts, p.dealers.prior.rejects) = (3, 2);
    }),
    ("[returns]\ninspect = true", |p| p.returns.inspect = true),
    ("[incoming]\npromise = true\nhorizon_days = 30", |p| {
        (p.incoming.promise, p.incoming.horizon_days) = (true, 30);
    }),
    ("[kinds.dealer]\nfixed_cents = 350", |p| {
        kind(p, NodeKind::Dealer).fixed_cents = 350;
    }),
    ("[kinds.store]\nper_km_cents = 2", |p| {
        kind(p, NodeKind::Store).per_km_cents = 2.0;
    }),
    ("[kinds.store]\nper_km_cents = 0.25", |p| {
        kind(p, NodeKind::Store).per_km_cents = 0.25;
    }),
    ("[kinds.locker]\nper_unit_cents = 12", |p| {
        kind(p, NodeKind::Locker).per_unit_cents = 12;
    }),
    ("[kinds.supplier]\nhandling_days = 4", |p| {
        kind(p, NodeKind::Supplier).handling_days = 4;
    }),
    ("[kinds.warehouse]\ncutoff_local = \"09:30\"", |p| {
        kind(p, NodeKind::Warehouse).cutoff_local = jiff::civil::time(9, 30, 0, 0);
    }),
    ("[kinds.store]\nsafety_stock = 2", |p| {
        kind(p, NodeKind::Store).safety_stock = 2;
    }),
    ("[kinds.warehouse]\ncapacity_units = 5000", |p| {
        kind(p, NodeKind::Warehouse).capacity_units = Some(5000);
    }),
    ("[kinds.warehouse]\ncapacity_shipments = 2000", |p| {
        kind(p, NodeKind::Warehouse).capacity_shipments = Some(2000);
    }),
    ("[kinds.warehouse]\ncapacity_units = \"unlimited\"", |_| {}),
    (
        "[kinds.dealer]\nreach_km = { standard = \"inf\", same_day = 5.5 }",
        |p| {
            kind(p, NodeKind::Dealer).reach_km[2] = f64::INFINITY;
            kind(p, NodeKind::Dealer).reach_km[0] = 5.5;
        },
    ),
    ("[kinds.locker.reach_km]\nnext_day = inf", |p| {
        kind(p, NodeKind::Locker).reach_km[1] = f64::INFINITY;
    }),
    ("kinds.store.fixed_cents = 1", |p| {
        kind(p, NodeKind::Store).fixed_cents = 1;
    }),
    (
        "[levels.next_day]\ntransit = [{ max_km = 300, days = 1 }]",
        |p| {
            p.level_terms[1].transit = vec![TransitBand {
                max_km: 300.0,
                days: 1,
            }];
        },
    ),
    ("[levels.same_day]\ndeadline_days = \"none\"", |p| {
        p.level_terms[0].deadline_days = None;
    }),
    ("[levels.standard]\ndeadline_days = 7", |p| {
        p.level_terms[2].deadline_days = Some(7);
    }),
    ("[levels.same_day]\nper_km_cents = 1.5", |p| {
        p.level_terms[0].per_km_cents = Some(1.5);
    }),
];

#[test]
fn each_override_lands_where_it_should() {
    for (text, edit) in OVERRIDES {
        let mut want = Policy::default();
        edit(&mut want);
        assert_eq!(read(text), want, "{text}");
    }
}

#[test]
fn a_new_level_is_defined_consistently() {
    let text = r#"
[levels.express]
transit = [{ max_km = 200, days = 0 }, { max_km = 800, days = 1 }]
deadline_days = 1
per_km_cents = 2.0

[levels.economy]
transit = [{ max_km = "inf", days = 7 }]

[kinds.warehouse]
reach_km = { express = 800 }

[[rules]]
name = "express from warehouses"
when = { service_level = "express" }
set = { allowed_kinds = ["warehouse"] }
"#;
    let p = read(text);
    let express = p.levels.get("express").expect("express defined");
    let economy = p.levels.get("economy").expect("economy defined");
    assert_eq!((express, economy), (ServiceLevel(3), ServiceLevel(4)));
    assert_eq!(p.levels.len(), 5);
    assert_eq!(p.level_terms.len(), 5);
    for k in &p.kinds {
        assert_eq!(k.reach_km.len(), 5);
    }
    let terms = p.level(express);
    assert_eq!(terms.deadline_days, Some(1));
    assert_eq!(terms.per_km_cents, Some(2.0));
    assert_eq!(
        terms.transit[1],
        TransitBand {
            max_km: 800.0,
            days: 1
        }
    );
    assert_eq!(p.level(economy).deadline_days, None);
    let inf = f64::INFINITY;
    assert_eq!(
        p.kind(NodeKind::Warehouse).reach_km,
        vec![50.0, 600.0, inf, 800.0, 0.0]
    );
    let store = &p.kind(NodeKind::Store).reach_km;
    assert_eq!(
        store,
        &vec![30.0, 250.0, inf, 0.0, 0.0],
        "not offered by default"
    );
    assert_eq!(p.rules[0].when.service_level, Some(express));
    // Everything else is untouched.
    let mut rest = p.clone();
    rest.levels = Policy::default().levels;
    rest.level_terms.truncate(3);
    rest.rules.clear();
    for k in &mut rest.kinds {
        k.reach_km.truncate(3);
    }
    assert_eq!(rest, Policy::default());
}

#[test]
fn rules_are_read_in_file_order() {
    let text = r#"
[[rules]]
name = "marketplace orders ship from warehouses"
when = { channel = "marketplace", service_level = "standard", region = [8.0, 68, 37.0, 97.5], tags_any = ["b2b"] }
set = { allowed_kinds = ["warehouse"], allow_split = false, max_shipments = 1, ship_complete = true, sla = "soft", unfilled_per_unit_cents = 5000, split_penalty_cents = 200 }

[[rules]]
name = "everything else"
"#;
    let p = read(text);
    let first = Rule {
        name: "marketplace orders ship from warehouses".into(),
        when: Condition {
            service_level: Some(ServiceLevel::STANDARD),
            channel: Some("marketplace".into()),
            region: Some(Region {
                min_lat_deg: 8.0,
                min_lon_deg: 68.0,
                max_lat_deg: 37.0,
                max_lon_deg: 97.5,
            }),
            tags_any: vec!["b2b".into()],
        },
        set: Overrides {
            unfilled_per_unit_cents: Some(5000),
            split_penalty_cents: Some(200),
            allow_split: Some(false),
            max_shipments: Some(1),
            ship_complete: Some(true),
            sla: Some(Sla::Soft),
            allowed_kinds: Some(vec![NodeKind::Warehouse]),
            ..Overrides::default()
        },
        ..Rule::default()
    };
    let second = Rule {
        name: "everything else".into(),
        ..Rule::default()
    };
    assert_eq!(p.rules, vec![first, second]);
}
