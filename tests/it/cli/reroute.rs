//! `reroute` on the hand-written `small` instance: events applied to the plan `route` wrote.

use super::route::SMALL_DECISIONS;
use crate::{fixture, on_files, stderr, stdout};
use std::path::Path;

/// A scratch folder holding the small instance, its decisions.csv and `events`.
fn folder(events: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["nodes.csv", "stock.csv", "orders.csv"] {
        std::fs::copy(fixture("small").join(name), tmp.path().join(name)).unwrap();
    }
    std::fs::write(tmp.path().join("decisions.csv"), SMALL_DECISIONS).unwrap();
    std::fs::write(tmp.path().join("events.ndjson"), events).unwrap();
    tmp
}

fn reroute(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    on_files(dir, &["reroute", "--no-progress"])
        .args(["--plan", "decisions.csv", "--events", "events.ndjson"])
        .args(extra)
        .assert()
}

/// The orders whose rows in `decisions` name `node`.
fn shipping_from(decisions: &str, node: &str) -> Vec<String> {
    let mut ids: Vec<String> = decisions
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(4) == Some(node))
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    ids.dedup();
    ids
}

#[test]
fn node_down_moves_exactly_the_orders_shipping_from_it_and_the_result_checks() {
    let tmp = folder("{\"type\":\"node_down\",\"node_id\":\"WH-DEL\"}\n");
    let out = reroute(tmp.path(), &["--out", "new.csv", "--format", "csv"]).code(1);
    insta::assert_snapshot!("reroute_node_down_table", stderr(&out));
    let new = std::fs::read_to_string(tmp.path().join("new.csv")).unwrap();
    assert!(shipping_from(&new, "WH-DEL").is_empty(), "{new}");
    // The same, as JSON: the moved orders are the ones that shipped from WH-DEL.
    let out = reroute(tmp.path(), &["-q", "--format", "json"]).code(1);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let moved: Vec<String> = plan["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(moved, shipping_from(SMALL_DECISIONS, "WH-DEL"));
    assert_eq!(moved, ["O2", "O4", "O5"]);
    assert_eq!(plan["review"], serde_json::json!([]));
    assert_eq!(plan["before"]["cost_cents"], 5538);
    assert_eq!(
        plan["totals"]["cost_cents"],
        plan["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["cost_cents"].as_i64().unwrap())
            .sum::<i64>()
    );
    // The new decisions pass the independent checker against the same inputs.
    let out = on_files(tmp.path(), &["check"])
        .args(["--decisions", "new.csv"])
        .assert()
        .code(0);
    assert_eq!(stdout(&out), "");
}

/// The small instance with three dealers of 1 % margin holding the only CAPs, ever farther from
/// O4 (DL-FBD, DL-2, DL-3), the plan `route` makes for it, and `events`.
fn dealers_folder(events: &str) -> tempfile::TempDir {
    let tmp = folder(events);
    let nodes = std::fs::read_to_string(tmp.path().join("nodes.csv")).unwrap();
    let nodes = nodes.replace(",1000\n", ",100\n")
        + "DL-2,dealer,28.4500,77.3100,100\nDL-3,dealer,28.5000,77.3100,100\n";
    std::fs::write(tmp.path().join("nodes.csv"), nodes).unwrap();
    let stock = std::fs::read_to_string(tmp.path().join("stock.csv")).unwrap();
    let stock = stock.replace("WH-DEL,CAP,5\n", "") + "DL-2,CAP,1\nDL-3,CAP,1\n";
    std::fs::write(tmp.path().join("stock.csv"), stock).unwrap();
    let out = on_files(tmp.path(), &["route", "--no-progress"])
        .args(["--out", "decisions.csv"])
        .assert()
        .code(1);
    drop(out);
    let plan = std::fs::read_to_string(tmp.path().join("decisions.csv")).unwrap();
    assert_eq!(shipping_from(&plan, "DL-FBD"), ["O4"], "{plan}");
    tmp
}

fn dealer_event(kind: &str, order: &str, node: &str) -> String {
    format!("{{\"type\":\"{kind}\",\"order_id\":\"{order}\",\"node_id\":\"{node}\"}}\n")
}

#[test]
fn three_rejections_send_an_order_to_the_review_queue() {
    let rejected = |node| dealer_event("dealer_rejected", "O4", node);
    let tmp = dealers_folder(&format!(
        "{}{}{}",
        rejected("DL-FBD"),
        rejected("DL-2"),
        dealer_event("dealer_timed_out", "O4", "DL-3")
    ));
    let out = reroute(tmp.path(), &["--out", "new.csv"]).code(1);
    let err = stderr(&out);
    assert!(err.contains("moved: 1 order(s): O4\n"), "{err}");
    assert!(err.contains("review queue: 1 order(s): O4\n"), "{err}");
    let new = std::fs::read_to_string(tmp.path().join("new.csv")).unwrap();
    assert!(new.contains("\nO4,1,CAP,1,,,,,3000,EXCLUDED,,,\n"), "{new}");
    // Two rejections are not enough: O4 goes to the third dealer.
    let tmp = dealers_folder(&format!("{}{}", rejected("DL-FBD"), rejected("DL-2")));
    let out = reroute(tmp.path(), &[]).code(1);
    assert!(
        stderr(&out).contains("review queue: none\n"),
        "{}",
        stderr(&out)
    );
    assert_eq!(shipping_from(&stdout(&out), "DL-3"), ["O4"]);
}

#[test]
fn a_repeated_rejection_counts_once() {
    let copy = dealer_event("dealer_rejected", "O4", "DL-FBD");
    let tmp = dealers_folder(&format!("{copy}{copy}{copy}"));
    let out = reroute(tmp.path(), &[]).code(1);
    let err = stderr(&out);
    assert!(err.contains("review queue: none\n"), "{err}");
    assert!(err.contains("moved: 1 order(s): O4\n"), "{err}");
    assert_eq!(shipping_from(&stdout(&out), "DL-2"), ["O4"]);
}

#[test]
fn a_rejection_that_does_not_fit_the_plan_is_an_error_with_its_line() {
    let node_down = "{\"type\":\"node_down\",\"node_id\":\"ST-GGN\"}\n";
    let cases = [
        // DL-2 does not ship O4 (DL-FBD does); the blank line still counts.
        (
            format!("{node_down}\n{}", dealer_event("dealer_rejected", "O4", "DL-2")),
            "error: events.ndjson:3:0: E3110 dealer `DL-2` answers the offer of order `O4`, which it does not ship at this point of the events",
        ),
        // A warehouse does not take offers.
        (
            dealer_event("dealer_timed_out", "O1", "WH-DEL"),
            "error: events.ndjson:1:0: E3109 node `WH-DEL` answers the offer of order `O1` but is a warehouse, not a dealer",
        ),
        // DL-FBD accepted O4 and cannot refuse it afterwards.
        (
            format!(
                "{}{}",
                dealer_event("dealer_accepted", "O4", "DL-FBD"),
                dealer_event("dealer_rejected", "O4", "DL-FBD")
            ),
            "error: events.ndjson:2:0: E3112 dealer `DL-FBD` refuses order `O4`, which it accepted earlier in the events",
        ),
    ];
    for (events, expected) in cases {
        let tmp = dealers_folder(&events);
        let out = reroute(tmp.path(), &["--out", "new.csv"]).code(2);
        let err = stderr(&out);
        assert!(err.starts_with(expected), "{err}");
        assert!(!tmp.path().join("new.csv").exists(), "nothing is written");
    }
}

#[test]
fn an_order_back_on_its_node_after_node_down_and_up_is_not_moved() {
    let down = "{\"type\":\"node_down\",\"node_id\":\"WH-DEL\"}\n";
    let tmp = folder(&format!("{down}{}", down.replace("node_down", "node_up")));
    let out = reroute(tmp.path(), &["-q", "--format", "json"]).code(1);
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // O2, O4 and O5 are unfilled while WH-DEL is down (no TEE left elsewhere; the dealer's
    // margin costs more than leaving the CAP) and ship from WH-DEL again when it is up.
    let new = stdout(&reroute(tmp.path(), &["-q"]).code(1));
    assert_eq!(new, SMALL_DECISIONS, "the plan is back as it was");
    assert_eq!(plan["moved"], serde_json::json!([]));
}

#[test]
fn every_events_error_class_has_its_code_line_and_column() {
    let tmp = folder(concat!(
        "{\"type\":\"node_down\",\"node_id\":\"WH-DEL\"}\n",
        "{\"type\":\"node_down\",\"node_id\":\"WH-DEL\"\n",
        "{\"type\":\"meteor\",\"node_id\":\"WH-DEL\"}\n",
        "{\"type\":\"node_up\"}\n",
        "{\"type\":\"node_down\",\"node_id\":\"WH-XXX\"}\n",
        "{\"type\":\"dealer_rejected\",\"order_id\":\"O99\",\"node_id\":\"DL-FBD\"}\n",
        "{\"type\":\"stock_arrival\",\"node_id\":\"WH-DEL\",\"sku\":\"HAT\",\"qty\":4}\n",
        "{\"type\":\"stock_correction\",\"node_id\":\"WH-DEL\",\"sku\":\"TEE\",\"routable\":-3}\n",
        "{\"type\":\"stock_arrival\",\"node_id\":7,\"sku\":\"TEE\",\"qty\":\"4\"}\n",
        "\"node_down\"\n",
    ));
    let out = reroute(tmp.path(), &["--out", "new.csv"]).code(2);
    assert_eq!(stdout(&out), "");
    assert!(!tmp.path().join("new.csv").exists(), "nothing is written");
    insta::assert_snapshot!("reroute_events_errors", stderr(&out));
}

#[test]
fn decisions_file_errors_are_listed_with_their_codes() {
    let bad = SMALL_DECISIONS
        .replace("O1,1,TEE,1,ST-NOI", "O9,1,TEE,1,ST-NOI")
        .replace("O2,2,MUG,1,ST-GGN", "O2,2,MUG,1,ST-XXX")
        .replace("O4,1,CAP,1,WH-DEL,1,24.727", "O4,2,CAP,1,WH-DEL,1,24.727")
        .replace("O5,1,TEE,2,WH-DEL,1,19.491", "O5,1,TEE,2,WH-DEL,1,19.4.91")
        .replace("NO_STOCK", "NO_LUCK")
        + "O2,1,TEE,2,WH-DEL,2,24.466,2026-11-27,0,,,,\n";
    let tmp = folder("");
    std::fs::write(tmp.path().join("decisions.csv"), bad).unwrap();
    let out = reroute(tmp.path(), &[]).code(2);
    insta::assert_snapshot!("reroute_decisions_errors", stderr(&out));
    // `check` reads the file with the same reader.
    let out = on_files(tmp.path(), &["check"])
        .args(["--decisions", "decisions.csv"])
        .assert()
        .code(2);
    insta::assert_snapshot!("check_decisions_errors", stderr(&out));
}

#[test]
fn a_plan_that_breaks_its_inputs_is_refused_with_e1113() {
    let tmp = folder("{\"type\":\"node_down\",\"node_id\":\"ST-GGN\"}\n");
    // O5 moved to ST-NOI, which has one TEE left after O1.
    std::fs::write(
        tmp.path().join("decisions.csv"),
        SMALL_DECISIONS.replace(
            "O5,1,TEE,2,WH-DEL,1,19.491,2026-11-27,510",
            "O5,1,TEE,2,ST-NOI,1,0.499,2026-11-27,500",
        ),
    )
    .unwrap();
    let out = reroute(tmp.path(), &[]).code(2);
    let err = stderr(&out);
    assert!(
        err.contains(
            "\nerror: E1113 the plan breaks 1 rule(s) of its inputs, first: (batch): STOCK"
        ),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        2,
        "one warning (the file's distance), one error"
    );
}
