//! Incoming stock through the CLI: stock.csv's `incoming_qty`/`incoming_date` columns and
//! `[incoming] promise` on the `small` instance, whose O3 wants a GLOVE no node holds.

use crate::{fixture, on_files, stderr, stdout};
use std::path::Path;

/// The `small` instance with GLOVEs arriving at the warehouse (`incoming` is the extra stock row)
/// and a policy promising incoming stock.
fn folder(incoming: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["nodes.csv", "orders.csv"] {
        std::fs::copy(fixture("small").join(f), dir.path().join(f)).unwrap();
    }
    let stock = std::fs::read_to_string(fixture("small").join("stock.csv")).unwrap();
    let mut lines = stock.lines();
    let mut text = format!("{},incoming_qty,incoming_date\n", lines.next().unwrap());
    for l in lines {
        text.push_str(l);
        text.push_str(",,\n");
    }
    text.push_str(incoming);
    std::fs::write(dir.path().join("stock.csv"), text).unwrap();
    std::fs::write(
        dir.path().join("policy.toml"),
        "[incoming]\npromise = true\n",
    )
    .unwrap();
    dir
}

fn o3_row(decisions: &str) -> &str {
    decisions.lines().find(|l| l.starts_with("O3,")).unwrap()
}

fn route(dir: &Path, policy: bool, code: i32) -> String {
    let mut args = vec!["route", "--no-progress", "-q", "--out", "decisions.csv"];
    if policy {
        args.extend(["--policy", "policy.toml"]);
    }
    on_files(dir, &args).assert().code(code);
    std::fs::read_to_string(dir.join("decisions.csv")).unwrap()
}

/// O3 (created 2026-11-26 06:00 UTC, standard, about 1.8 km from WH-DEL): without the policy
/// its GLOVE is unfilled; with it, the GLOVEs arriving at WH-DEL on 2026-11-28 are handled that
/// day (00:00 is before the 14:00 cut-off, no handling days), leave that day, and one transit
/// day delivers 2026-11-29 (no deadline: within the 14-day horizon). `check` accepts the file.
#[test]
fn route_promises_incoming_stock_with_the_policy_and_check_accepts_it() {
    let dir = folder("WH-DEL,GLOVE,0,3,2026-11-28\n");
    let off = route(dir.path(), false, 1);
    assert_eq!(o3_row(&off), "O3,1,GLOVE,1,,,,,3000,NO_STOCK,,,");
    let on = route(dir.path(), true, 0);
    assert_eq!(
        o3_row(&on),
        "O3,1,GLOVE,1,WH-DEL,1,1.778,2026-11-29,501,,,incoming,2026-11-28"
    );
    // Every other row is as without the policy.
    let others = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with("O3,"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(others(&on), others(&off));
    let out = on_files(dir.path(), &["check", "--policy", "policy.toml"])
        .args(["--decisions", "decisions.csv"])
        .assert()
        .code(0);
    assert_eq!(stdout(&out), "");
    // The same file against stock where only 0 GLOVEs are coming is an over-promise.
    std::fs::write(
        dir.path().join("stock.csv"),
        std::fs::read_to_string(dir.path().join("stock.csv"))
            .unwrap()
            .replace("GLOVE,0,3,", "GLOVE,0,0,"),
    )
    .unwrap();
    let out = on_files(dir.path(), &["check", "--policy", "policy.toml"])
        .args(["--decisions", "decisions.csv"])
        .assert()
        .code(1);
    assert!(stdout(&out).contains("INCOMING"), "{}", stdout(&out));
}

/// `reroute` of a plan with an incoming promise: WH-DEL going down moves O3 to the GLOVEs
/// arriving at ST-GGN a day later, and `check` accepts the new file against the same stock.
#[test]
fn reroute_moves_an_incoming_promise_to_another_nodes_incoming_stock() {
    let dir = folder("WH-DEL,GLOVE,0,3,2026-11-28\nST-GGN,GLOVE,0,2,2026-11-29\n");
    let on = route(dir.path(), true, 0);
    assert!(o3_row(&on).starts_with("O3,1,GLOVE,1,WH-DEL,"), "{on}");
    std::fs::write(
        dir.path().join("events.ndjson"),
        "{\"type\":\"node_down\",\"node_id\":\"WH-DEL\"}\n",
    )
    .unwrap();
    let out = on_files(dir.path(), &["reroute", "--policy", "policy.toml", "-q"])
        .args(["--plan", "decisions.csv", "--events", "events.ndjson"])
        .args(["--out", "rerouted.csv"])
        .assert();
    let out = out.get_output();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rerouted = std::fs::read_to_string(dir.path().join("rerouted.csv")).unwrap();
    let o3 = o3_row(&rerouted);
    assert!(o3.starts_with("O3,1,GLOVE,1,ST-GGN,1,"), "{o3}");
    assert!(o3.ends_with(",incoming,2026-11-29"), "{o3}");
    let out = on_files(dir.path(), &["check", "--policy", "policy.toml"])
        .args(["--decisions", "rerouted.csv"])
        .assert()
        .code(0);
    assert_eq!(stdout(&out), "");
}

#[test]
fn json_says_the_shipment_is_from_incoming_stock_and_why() {
    let dir = folder("WH-DEL,GLOVE,0,3,2026-11-28\n");
    let out = on_files(
        dir.path(),
        &["route", "-q", "--format", "json", "--policy", "policy.toml"],
    )
    .assert()
    .code(0);
    let all: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let s = &all["decisions"][2]["shipments"][0];
    assert_eq!(s["source"], "incoming");
    assert_eq!(s["arrival_date"], "2026-11-28");
    assert_eq!(s["promised_date"], "2026-11-29");
    assert!(s["why"]
        .as_str()
        .unwrap()
        .contains("arrives at the node on 2026-11-28"));
    assert_eq!(all["decisions"][0]["shipments"][0].get("source"), None);
}

#[test]
fn bad_incoming_cells_are_reported_with_code_line_and_column() {
    let dir =
        folder("WH-DEL,GLOVE,0,3,28/11/2026\nST-NOI,GLOVE,0,-1,2026-11-28\nST-GGN,GLOVE,0,2,\n");
    let out = on_files(dir.path(), &["route", "-q", "--policy", "policy.toml"])
        .assert()
        .code(2);
    let err = stderr(&out);
    for want in [
        "stock.csv:7:5: E3251 incoming_date \"28/11/2026\" is not a date YYYY-MM-DD",
        "stock.csv:8:4: E3250 incoming_qty \"-1\" is not a whole number of units from 0",
        "stock.csv:9:5: E3252 incoming_qty is given without incoming_date",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}
