//! `explain` on the hand-written `small` instance.

use crate::{on_small, stderr, stdout};

#[test]
fn explain_json_names_the_chosen_node_and_ranks_candidates() {
    let out = on_small(&["explain", "O4", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["order_id"], "O4");
    assert_eq!(v["shipments"][0]["node_id"], "WH-DEL");
    assert_eq!(v["shipments"][0]["cost"]["distance_cents"], 12);
    assert_eq!(v["cost_cents"], 512);
    let c = v["candidates"].as_array().unwrap();
    assert_eq!(c[0]["node_id"], "WH-DEL");
    assert_eq!(c[0]["chosen"], true);
    // The dealer is nearer but its margin (10 % of ₹599) prices it out.
    assert_eq!(c[1]["node_id"], "DL-FBD");
    assert_eq!(c[1]["cost_cents"], 6490);
    assert_eq!(c[1]["chosen"], false);
}

#[test]
fn explain_sees_stock_left_by_earlier_orders() {
    // O5 wants two TEE near ST-NOI, which has one left after O1.
    let out = on_small(&["explain", "O5"]).assert().success();
    insta::assert_snapshot!("explain_o5_table", stdout(&out));
}

#[test]
fn explain_unknown_order_is_e1101() {
    let out = on_small(&["explain", "O9"]).assert().code(2);
    insta::assert_snapshot!("explain_unknown_order", stderr(&out));
}

/// Under a policy that names its currency, explain's amounts are in it (never rupees), the
/// JSON says which, and the cents stay as they are.
#[test]
fn explain_shows_amounts_in_the_policys_currency() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "currency = \"EUR\"\n").unwrap();
    let policy = policy.to_str().unwrap();
    let out = on_small(&["explain", "O5", "--policy", policy])
        .assert()
        .success();
    let text = stdout(&out);
    assert!(
        text.contains("total: fixed 500 + distance 10 = €5.10 (510 cents)\n"),
        "{text}"
    );
    assert!(text.contains("  €5.10  "), "{text}");
    assert!(!text.contains('₹'), "{text}");
    let out = on_small(&["explain", "O5", "--policy", policy, "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["currency"].as_str(), v["cost_cents"].as_i64()),
        (Some("EUR"), Some(510))
    );
    let out = on_small(&["explain", "O5", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["currency"].is_null());
}
