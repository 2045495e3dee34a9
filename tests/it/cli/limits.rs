//! The input limits (docs/errors.md, `E1009` and `E2014`): the issue's wrap-round reproductions
//! are refused with a code, and a batch with every cost at its limit routes and checks clean.

use crate::{on_files, stderr};

const NODES: &str =
    "node_id,kind,lat,lon,fixed_cents,per_km_cents,per_unit_cents,margin_bps,priority\n\
W1,warehouse,28.61,77.21,{fixed},{per_km},{per_unit},,{priority}\n\
D1,dealer,28.60,77.20,,,,{margin},\n";
const STOCK: &str = "node_id,sku,qty\nW1,TEE,4000000000\nD1,TEE,4000000000\nW1,CAP,10\n";
const ORDERS: &str = "order_id,line_no,sku,qty,dest_lat,dest_lon,unit_price_cents\n\
O1,1,TEE,{qty},28.52,77.12,{price}\n\
O1,2,CAP,{qty2},28.52,77.12,\n";
const POLICY: &str = "sla = \"soft\"\n[costs]\nunfilled_per_unit_cents = {unfilled}\n\
lateness_per_day_cents = {late}\npriority_step_cents = {step}\n\
[levels.standard]\ndeadline_days = 0\n";

/// Placeholder values, as (name, value).
type Values = &'static [(&'static str, &'static str)];

/// The files with `{name}` placeholders filled from `values` (the rest from `base`).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let base = [
        ("fixed", "500"),
        ("per_km", "2"),
        ("per_unit", "10"),
        ("priority", "0"),
        ("margin", "800"),
        ("qty", "2"),
        ("qty2", "1"),
        ("price", "1500"),
        ("unfilled", "3000"),
        ("late", "1000"),
        ("step", "0"),
    ];
    let mut out = template.to_owned();
    for (name, base) in base {
        let v = values.iter().find(|v| v.0 == name).map_or(base, |v| v.1);
        out = out.replace(&format!("{{{name}}}"), v);
    }
    out
}

/// Writes the four files into a temp folder and runs `omniroute ARGS` there; returns the folder
/// too, for a `check` after a `route`.
fn run(values: &[(&str, &str)], args: &[&str]) -> (tempfile::TempDir, Option<i32>, String) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, template) in [
        ("nodes.csv", NODES),
        ("stock.csv", STOCK),
        ("orders.csv", ORDERS),
        ("policy.toml", POLICY),
    ] {
        std::fs::write(tmp.path().join(name), fill(template, values)).unwrap();
    }
    let out = on_files(tmp.path(), args)
        .args(["--policy", "policy.toml", "--now", "2026-11-26T04:00:00Z"])
        .assert();
    let code = out.get_output().status.code();
    (tmp, code, stderr(&out))
}

#[test]
fn the_issues_wrap_rounds_are_refused_with_a_code() {
    const MAX: &str = "9223372036854775807";
    let cases: [(Values, &str, &str); 8] = [
        (&[("fixed", MAX)], "E1009", "fixed_cents"),
        (&[("per_km", "1e308")], "E1009", "per_km_cents"),
        (&[("per_unit", MAX)], "E1009", "per_unit_cents"),
        (&[("price", MAX)], "E1009", "unit_price_cents"),
        (&[("unfilled", MAX)], "E2014", "unfilled_per_unit_cents"),
        (&[("late", MAX)], "E2014", "lateness_per_day_cents"),
        // More than u32::MAX units in one shipment: each line is over the limit on its own.
        (
            &[("qty", "3000000000"), ("qty2", "3000000000")],
            "E1009",
            "qty",
        ),
        // Two lines within the limit, together over it.
        (
            &[("qty", "60000000"), ("qty2", "60000000")],
            "E1009",
            "120000000 units",
        ),
    ];
    for (values, code, what) in cases {
        let (_tmp, exit, err) = run(values, &["route"]);
        assert_eq!(exit, Some(2), "{values:?}: {err}");
        assert!(
            err.contains(code) && err.contains(what),
            "{values:?}: {err}"
        );
    }
}

#[test]
fn every_cost_at_its_limit_routes_and_checks_clean() {
    let values: &[(&str, &str)] = &[
        ("fixed", "1000000000"),
        ("per_km", "1000000"),
        ("per_unit", "1000000000"),
        ("priority", "10000"),
        ("margin", "9000"),
        ("qty", "99999999"),
        ("qty2", "1"),
        ("price", "1000000000"),
        ("unfilled", "1000000000"),
        ("late", "1000000000"),
        ("step", "1000000000"),
    ];
    let (tmp, exit, err) = run(values, &["route", "--out", "d.csv"]);
    // Exit 1: CAP is left unfilled (shipping it from W1 costs more than its 10^9 unfilled cost).
    assert_eq!(exit, Some(1), "{err}");
    assert!(err.contains("cost 90000001100000506 cents"), "{err}");
    let decisions = std::fs::read_to_string(tmp.path().join("d.csv")).unwrap();
    // The dealer ships TEE (its margin, 10^17, is below TEE's unfilled cost); CAP is only at W1.
    assert!(decisions.contains("D1"), "{decisions}");
    assert!(!decisions.contains(",-"), "no negative figure: {decisions}");
    let out = on_files(tmp.path(), &["check", "--decisions", "d.csv"])
        .args(["--policy", "policy.toml", "--now", "2026-11-26T04:00:00Z"])
        .assert();
    assert_eq!(out.get_output().status.code(), Some(0), "{}", stderr(&out));
}
