//! Policy versions through the CLI: `--policy` given several times on the `small` instance, and
//! every version problem from real files, with the file named.

use crate::cli::route::SMALL_DECISIONS;
use crate::{fixture, on_files, stderr, stdout};
use std::path::Path;

/// From 04:30 on 26 November, a shipment after the first costs 5,000 cents more.
const LATER: &str = "\
effective_from = \"2026-11-26T04:30:00Z\"

[costs]
split_penalty_cents = 5000
";

/// A folder with the `small` instance and the given policy files.
fn folder(policies: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["nodes.csv", "stock.csv", "orders.csv"] {
        std::fs::copy(fixture("small").join(name), tmp.path().join(name)).unwrap();
    }
    for (name, text) in policies {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    tmp
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    on_files(dir, args).assert()
}

/// O1 (04:00) is before the later version: as with one policy it ships from the nearer store.
/// O2 (05:00) is after it: with one policy it splits (MUG from ST-GGN, TEE×2 from the warehouse,
/// 1,012 cents); under the later version the split would cost 6,012, so the warehouse ships the
/// TEEs and the MUG is left unfilled (512 + 3,000). O4 and O5 ship one line each: unchanged.
const EXPECTED: &str = "\
order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason,group,source,arrival_date
O1,1,TEE,1,ST-NOI,1,7.925,2026-11-27,504,,,on_hand,
O2,1,TEE,2,WH-DEL,1,24.466,2026-11-27,512,,,on_hand,
O2,2,MUG,1,,,,,3000,UNECONOMIC,,,
O3,1,GLOVE,1,,,,,3000,NO_STOCK,,,
O4,1,CAP,1,WH-DEL,1,24.727,2026-11-27,512,,,on_hand,
O5,1,TEE,2,WH-DEL,1,19.491,2026-11-27,510,,,on_hand,
";

#[test]
fn orders_on_each_side_of_effective_from_follow_their_version() {
    let dir = folder(&[("base.toml", ""), ("later.toml", LATER)]);
    let args = [
        "route",
        "--quiet",
        "--policy",
        "later.toml",
        "--policy",
        "base.toml",
    ];
    let out = run(dir.path(), &args).code(1);
    assert_eq!(stdout(&out), EXPECTED);
    // The order of the flags does not matter; the versions' effective_from does.
    let swapped = [
        "route",
        "--quiet",
        "--policy",
        "base.toml",
        "--policy",
        "later.toml",
    ];
    assert_eq!(stdout(&run(dir.path(), &swapped).code(1)), EXPECTED);
    // With the base policy alone O2 splits.
    let base = run(dir.path(), &["route", "--quiet", "--policy", "base.toml"]).code(1);
    assert!(
        stdout(&base).contains("O2,2,MUG,1,ST-GGN,1,0.337,2026-11-27,500,,,on_hand,\n"),
        "{}",
        stdout(&base)
    );
    // The plan passes the checker under the same versions; the one-policy plan does not: its O2
    // split misses the later version's penalty.
    std::fs::write(dir.path().join("versioned.csv"), EXPECTED).unwrap();
    std::fs::write(dir.path().join("single.csv"), SMALL_DECISIONS).unwrap();
    let check = |decisions: &str| {
        let args = [
            "check",
            "--decisions",
            decisions,
            "--policy",
            "base.toml",
            "--policy",
            "later.toml",
        ];
        run(dir.path(), &args)
    };
    assert_eq!(stdout(&check("versioned.csv").code(0)), "");
    assert_eq!(
        stdout(&check("single.csv").code(1)),
        "O2: COST shipment 2: file says 512 cents, expected 5512\n"
    );
}

#[test]
fn explain_names_the_version_that_routed_the_order() {
    let dir = folder(&[("base.toml", ""), ("later.toml", LATER)]);
    let explain = |id: &str| {
        let args = [
            "explain",
            id,
            "--policy",
            "base.toml",
            "--policy",
            "later.toml",
        ];
        stdout(&run(dir.path(), &args).success())
    };
    let o2 = explain("O2");
    assert!(
        o2.contains("\npolicy: later.toml (version 2 of 2, in effect from 2026-11-26T04:30:00Z)\n"),
        "{o2}"
    );
    assert!(o2.contains("#2 MUG×1 UNECONOMIC"), "{o2}");
    let o1 = explain("O1");
    assert!(
        o1.contains("\npolicy: base.toml (version 1 of 2, in effect from the beginning of time)\n"),
        "{o1}"
    );
}

/// Each version problem exits 2 naming its code, its file, line and column.
#[test]
fn version_problems_name_the_file_and_exit_2() {
    let cases: [(&str, &str, &str, &[&str], &str); 5] = [
        (
            "levels",
            "[levels.express]\ntransit = [{ max_km = 100, days = 0 }]\n",
            "",
            &["route"],
            "error: a.toml:1:9: E2016 policy versions define different service levels: a.toml has same_day, next_day, standard, express, b.toml has same_day, next_day, standard",
        ),
        (
            "capacity",
            "",
            "effective_from = \"2026-11-26T04:30:00Z\"\n[kinds.store]\ncapacity_shipments = 3\n",
            &["route"],
            "error: b.toml:3:1: E2017 `kinds.store.capacity_shipments` is unlimited in a.toml but 3 in b.toml",
        ),
        (
            "undated",
            "",
            "sla = \"soft\"\n",
            &["validate"],
            "b.toml:0:0: E2018 a.toml and b.toml both have no effective_from",
        ),
        (
            "same_instant",
            "effective_from = \"2026-11-26T04:30:00Z\"\n",
            "effective_from = 2026-11-26T10:00:00+05:30\n",
            &["check", "--decisions", "decisions.csv"],
            "error: b.toml:1:1: E2018 a.toml and b.toml both take effect at 2026-11-26T04:30:00Z",
        ),
        (
            "order_too_old",
            "effective_from = \"2026-11-26T04:30:00Z\"\n",
            "effective_from = \"2026-11-26T06:00:00Z\"\n",
            &["route"],
            "error: orders.csv:2:8: E2019 order \"O1\" was created at 2026-11-26T04:00:00Z, before every policy version (the earliest, a.toml, takes effect at 2026-11-26T04:30:00Z)",
        ),
    ];
    for (name, a, b, command, expected) in cases {
        let dir = folder(&[("a.toml", a), ("b.toml", b), ("decisions.csv", "")]);
        let mut args = command.to_vec();
        args.extend(["--policy", "a.toml", "--policy", "b.toml"]);
        let out = run(dir.path(), &args).code(2);
        let err = stderr(&out);
        assert!(
            err.contains(expected),
            "{name}: expected\n{expected}\nin\n{err}"
        );
        assert_eq!(stdout(&out), "", "{name}: nothing is routed");
    }
}

/// A file's own problems come first: `validate` reports them and compares the versions only
/// once every file reads; an order without `created_at` is judged at `--now`.
#[test]
fn validate_lists_every_version_problem_and_judges_now() {
    let dir = folder(&[
        ("a.toml", "[kinds.dealer]\nsafety_stock = 2\n"),
        ("b.toml", "[split]\nmax_shipments = 0\n"),
    ]);
    let args = ["validate", "--policy", "a.toml", "--policy", "b.toml"];
    let err = stderr(&run(dir.path(), &args).code(2));
    assert!(err.contains("b.toml:2:17: E2010"), "{err}");
    // b.toml is rejected, so the versions are not compared yet.
    assert!(!err.contains("E2017"), "{err}");
    assert!(err.ends_with("invalid: 1 problem(s)\n"), "{err}");

    let orders = "order_id,sku,qty,dest_lat,dest_lon\nN1,TEE,1,28.57,77.32\n";
    let dir = folder(&[("jan.toml", "effective_from = \"2026-01-01T00:00:00Z\"\n")]);
    std::fs::write(dir.path().join("orders.csv"), orders).unwrap();
    let validate = |now: &str| {
        run(
            dir.path(),
            &["validate", "--policy", "jan.toml", "--now", now],
        )
    };
    validate("2026-01-01T00:00:00Z").code(0);
    let err = stderr(&validate("2025-12-31T00:00:00Z").code(2));
    assert!(
        err.starts_with("orders.csv:2:0: E2019 order \"N1\" has no created_at and is routed at the reference time 2025-12-31T00:00:00Z"),
        "{err}"
    );
    let route = [
        "route",
        "--policy",
        "jan.toml",
        "--now",
        "2025-12-31T00:00:00Z",
    ];
    let err = stderr(&run(dir.path(), &route).code(2));
    assert!(err.starts_with("error: orders.csv:2:0: E2019"), "{err}");
}
