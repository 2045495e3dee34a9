//! `route` and `check` on the hand-written `small` instance: 4 nodes around Delhi, 5 orders.

use crate::{check_small, fixture, omniroute, on_files, on_small, stderr, stdout, FILES};

/// O1 goes to the nearer store; O2 splits (MUG only at ST-GGN, TEE×2 from the warehouse); O3's
/// SKU is nowhere; O4 goes to the warehouse because the dealer's 10 % margin on ₹599 costs more
/// than the extra km; O5 finds ST-NOI with one TEE left after O1, so the warehouse ships.
const EXPECTED: &str = "\
order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason,group,source,arrival_date
O1,1,TEE,1,ST-NOI,1,7.925,2026-11-27,504,,,on_hand,
O2,2,MUG,1,ST-GGN,1,0.337,2026-11-27,500,,,on_hand,
O2,1,TEE,2,WH-DEL,2,24.466,2026-11-27,512,,,on_hand,
O3,1,GLOVE,1,,,,,3000,NO_STOCK,,,
O4,1,CAP,1,WH-DEL,1,24.727,2026-11-27,512,,,on_hand,
O5,1,TEE,2,WH-DEL,1,19.491,2026-11-27,510,,,on_hand,
";

#[test]
fn route_writes_expected_decisions_and_exits_1_on_unfilled() {
    let out = on_small(&["route", "--no-progress"]).assert().code(1);
    assert_eq!(stdout(&out), EXPECTED);
    assert_eq!(
        stderr(&out),
        "routed 5 orders (4 complete): fill rate 87.50 %, 5 shipments, 76.9 km, cost 5538 cents\n\
         unfilled: 1 line: NO_STOCK 1\n"
    );
}

/// Orders without `created_at` promised by 2020-01-02: at the current time (no `--now`) no node
/// can make it, and the summary says why and names `--now`; as of 2020-01-01 they all ship.
#[test]
fn summary_counts_unfilled_by_reason_and_names_now_when_the_clock_explains_them() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["nodes.csv", "stock.csv"] {
        std::fs::copy(fixture("small").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("orders.csv"),
        "order_id,sku,qty,dest_lat,dest_lon,promised_by\n\
         A,TEE,1,28.57,77.32,2020-01-02\n\
         B,MUG,1,28.46,77.03,2020-01-02\n",
    )
    .unwrap();
    let out = on_files(dir.path(), &["route", "--no-progress", "--format", "json"])
        .assert()
        .code(1);
    let err = stderr(&out);
    assert!(
        err.contains("unfilled: 2 lines: SLA_UNREACHABLE 2\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: 2 of the 2 unfilled lines are SLA_UNREACHABLE on orders without created_at"
        ),
        "{err}"
    );
    assert!(err.contains("pass --now RFC3339"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["totals"]["unfilled_lines"], 2);
    assert_eq!(
        json["totals"]["unfilled_by_reason"],
        serde_json::json!({"SLA_UNREACHABLE": 2})
    );
    let out = on_files(
        dir.path(),
        &["route", "--no-progress", "--now", "2020-01-01T04:00:00Z"],
    )
    .assert()
    .code(0);
    let err = stderr(&out);
    assert!(
        err.contains("unfilled: none\n") && !err.contains("hint"),
        "{err}"
    );
}

/// The decisions `route` writes for the small instance (sequential).
pub const SMALL_DECISIONS: &str = EXPECTED;

/// The text without order O3 (whose SKU is nowhere in stock).
fn drop_o3(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("O3,"))
        .flat_map(|l| [l, "\n"])
        .collect()
}

#[test]
fn route_exits_0_when_every_line_ships_and_reads_stdin() {
    let orders = std::fs::read_to_string(fixture("small/orders.csv")).unwrap();
    let without_o3 = drop_o3(&orders);
    let out = omniroute()
        .current_dir(fixture("small"))
        .args([
            "route",
            "--quiet",
            "--nodes",
            "nodes.csv",
            "--stock",
            "stock.csv",
            "--orders",
            "-",
        ])
        .write_stdin(without_o3)
        .assert()
        .code(0);
    let expected = drop_o3(EXPECTED);
    assert_eq!(stdout(&out), expected);
    assert_eq!(stderr(&out), "");
}

#[test]
fn route_ndjson_and_json_name_nodes_and_reasons() {
    let out = on_small(&["route", "-q", "--format", "ndjson"])
        .assert()
        .code(1);
    let rows: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["order_id"], "O1");
    assert_eq!(rows[0]["shipments"][0]["node_id"], "ST-NOI");
    assert_eq!(rows[0]["shipments"][0]["cost"]["fixed_cents"], 500);
    assert_eq!(rows[0]["cost_cents"], 504);
    assert_eq!(rows[1]["shipments"].as_array().unwrap().len(), 2);
    assert_eq!(rows[2]["unfilled"][0]["reason"], "NO_STOCK");
    assert_eq!(rows[2]["cost"]["unfilled_cents"], 3000);
    let out = on_small(&["route", "-q", "--format", "json"])
        .assert()
        .code(1);
    let all: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(all["mode"], "sequential");
    assert_eq!(all["totals"]["cost_cents"], 5538);
    assert_eq!(all["bound_cents"], serde_json::Value::Null);
    assert_eq!(all["decisions"].as_array().unwrap().len(), 5);
    assert_eq!(all["decisions"][3]["shipments"][0]["node_id"], "WH-DEL");
}

/// Optimise on the small instance: O1 leaves ST-NOI's TEE to O5 (which then ships 0.5 km instead
/// of 19.5 km) and ships from the warehouse: 5530 cents, the optimum, against 5538 sequential.
/// The bound is at most the cost (and at least the sum of every order's solo optimum, 5528).
#[test]
fn route_optimise_costs_no_more_than_sequential_and_reports_a_bound() {
    let out = on_small(&[
        "route",
        "--no-progress",
        "--format",
        "json",
        "--mode",
        "optimise",
        "--time-limit",
        "5",
        "--iterations",
        "2000",
        "--seed",
        "1",
        "--threads",
        "1",
    ])
    .assert()
    .code(1);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cost = plan["totals"]["cost_cents"].as_i64().unwrap();
    let sequential = plan["sequential_cost_cents"].as_i64().unwrap();
    let bound = plan["bound_cents"].as_i64().unwrap();
    let gap = plan["gap"].as_f64().unwrap();
    assert_eq!(plan["mode"], "optimise");
    assert_eq!(sequential, 5538);
    assert_eq!(cost, 5530);
    assert!((5528..=cost).contains(&bound), "bound {bound}");
    assert!(
        bound <= cost && cost <= sequential,
        "{bound} {cost} {sequential}"
    );
    assert!((gap - (cost - bound) as f64 / cost as f64).abs() < 1e-12);
    let err = stderr(&out);
    assert!(
        err.contains("optimise: sequential 5538 cents, optimised 5530 cents"),
        "{err}"
    );
    assert!(
        err.contains("optimised 5530 cents, saving 0.14 %; lower bound "),
        "{err}"
    );

    // The optimised plan passes the independent checker.
    let tmp = tempfile::tempdir().unwrap();
    let decisions = tmp.path().join("decisions.csv");
    omniroute()
        .current_dir(fixture("small"))
        .args(["route", "-q", "--mode", "optimise", "--iterations", "2000"])
        .args(["--threads", "1", "--out"])
        .arg(&decisions)
        .args(FILES)
        .assert()
        .code(1);
    let out = check_small(&decisions).assert().code(0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn route_rejects_optimise_flags_in_sequential_mode() {
    let out = on_small(&["route", "--seed", "3"]).assert().code(2);
    assert_eq!(
        stderr(&out),
        "error: E1100 --seed applies to --mode optimise only (hint: add --mode optimise, or drop the flag)\n"
    );
}

#[test]
fn route_rejects_a_bad_now_with_e1102() {
    let out = on_small(&["route", "--now", "yesterday"]).assert().code(2);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: E1102 invalid --now time `yesterday`"),
        "{err}"
    );
    assert!(err.contains("(hint: "), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn route_reports_a_missing_file_with_e1000() {
    let out = omniroute()
        .current_dir(fixture("small"))
        .args([
            "route",
            "--nodes",
            "nope.csv",
            "--stock",
            "stock.csv",
            "--orders",
            "orders.csv",
        ])
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: nope.csv:0:0: E1000 cannot read the file"),
        "{err}"
    );
}

#[test]
fn check_accepts_routed_decisions_and_flags_a_wrong_cost() {
    let tmp = tempfile::tempdir().unwrap();
    let decisions = tmp.path().join("decisions.csv");
    std::fs::write(&decisions, EXPECTED).unwrap();
    let out = check_small(&decisions).assert().code(0);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "checked 5 orders, 5 shipments: 0 violation(s)\n"
    );

    std::fs::write(
        &decisions,
        EXPECTED.replace(
            "ST-NOI,1,7.925,2026-11-27,504",
            "ST-NOI,1,7.925,2026-11-27,400",
        ),
    )
    .unwrap();
    let out = check_small(&decisions).assert().code(1);
    let text = stdout(&out);
    assert!(
        text.contains("O1: COST shipment 1: file says 400 cents, expected 504"),
        "{text}"
    );
}

#[test]
fn check_flags_oversold_stock() {
    // O5 moved to ST-NOI, which has one TEE left after O1.
    let tmp = tempfile::tempdir().unwrap();
    let decisions = tmp.path().join("decisions.csv");
    std::fs::write(
        &decisions,
        EXPECTED.replace(
            "O5,1,TEE,2,WH-DEL,1,19.491,2026-11-27,510",
            "O5,1,TEE,2,ST-NOI,1,0.499,2026-11-27,500",
        ),
    )
    .unwrap();
    let out = on_small(&["check", "-q"])
        .arg("--decisions")
        .arg(&decisions)
        .assert()
        .code(1);
    // The SKU by its id, not the core's index.
    assert!(
        stdout(&out).contains("(batch): STOCK sku TEE: node ST-NOI ships 3 but had 2 routable\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_holds_back_the_policys_safety_stock_once() {
    // 10 units, 2 held back for warehouses: an order of 8 ships (8 routable) and checks clean;
    // one of 9 is unfilled. The checker used to take the 2 off twice (6 routable: STOCK).
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name);
    std::fs::write(
        p("nodes.csv"),
        "node_id,lat,lon,kind\nW1,28.6,77.2,warehouse\n",
    )
    .unwrap();
    std::fs::write(p("stock.csv"), "node_id,sku,qty\nW1,K1,10\n").unwrap();
    std::fs::write(p("policy.toml"), "[kinds.warehouse]\nsafety_stock = 2\n").unwrap();
    for (qty, routed, checked) in [(8, 0, 0), (9, 1, 0)] {
        std::fs::write(
            p("orders.csv"),
            format!("order_id,sku,qty,dest_lat,dest_lon\nO1,K1,{qty},28.5,77.1\n"),
        )
        .unwrap();
        let run = |args: &[&str]| {
            let mut cmd = on_files(tmp.path(), args);
            cmd.args(["--policy", "policy.toml", "--now", "2026-11-26T06:00:00Z"]);
            cmd.arg("--no-progress").assert()
        };
        run(&["route", "--out", "d.csv"]).code(routed);
        let out = run(&["check", "--decisions", "d.csv"]).code(checked);
        assert_eq!(stdout(&out), "", "qty {qty}");
    }
}
