//! The money keys of `policy.toml`: `currency` and `[balance]`.

use super::{read_policy, Policies, PolicyFile};
use omniroute_core::Currency;

#[test]
fn the_balance_term_reads_and_is_checked() {
    let p = read_policy(
        "[balance]\nbelow_units = 3\nper_unit_cents = 250\n",
        "p.toml",
    )
    .unwrap();
    assert_eq!(
        p.balance,
        Some(omniroute_core::Balance {
            below_units: 3,
            per_unit_cents: 250
        })
    );
    assert_eq!(read_policy("", "p.toml").unwrap().balance, None);
    let cases: &[(&str, &str, u64)] = &[
        ("[balance]\nbelow_units = 3\n", "E2015", 1),
        (
            "[balance]\nbelow_units = 0\nper_unit_cents = 1\n",
            "E2014",
            2,
        ),
        (
            "[balance]\nbelow_units = 2\nper_unit_cents = -1\n",
            "E2004",
            3,
        ),
        ("[balance]\nbelow = 2\n", "E2002", 2),
    ];
    for &(text, code, line) in cases {
        let err = read_policy(text, "bad.toml").expect_err(text);
        let found: Vec<_> = err.problems().iter().map(|p| (p.code, p.line)).collect();
        assert!(found.contains(&(code, line)), "{text}\n{found:?}");
    }
}

#[test]
fn the_currency_reads_and_versions_must_agree() {
    let p = read_policy("currency = \"EUR\"\n", "p.toml").unwrap();
    assert_eq!(p.currency, Some(Currency::new("EUR").unwrap()));
    assert_eq!(read_policy("", "p.toml").unwrap().currency, None);
    let err = read_policy("\ncurrency = \"euro\"\n", "p.toml").unwrap_err();
    let p = &err.problems()[0];
    assert_eq!((p.code, p.line, p.column), ("E2024", 2, 12));
    let file = |name: &str, text: &str| PolicyFile {
        name: name.into(),
        text: text.into(),
        policy: read_policy(text, name).unwrap(),
    };
    let a = file("a.toml", "currency = \"EUR\"\n");
    let b = file(
        "b.toml",
        "currency = \"USD\"\neffective_from = \"2026-01-01T00:00:00Z\"\n",
    );
    let err = Policies::new(&[a.clone(), b]).unwrap_err();
    let codes: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.file.clone()))
        .collect();
    assert_eq!(codes, [("E2025", "b.toml".to_owned())]);
    let c = file(
        "c.toml",
        "currency = \"EUR\"\neffective_from = \"2026-01-01T00:00:00Z\"\n",
    );
    assert!(Policies::new(&[a, c]).is_ok());
}
