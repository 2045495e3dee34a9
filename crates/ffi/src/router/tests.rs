use super::*;
use omniroute_adapters::Source;
use serde_json::json;
use serde_json::Value;

const NODES: &str = "node_id,kind,lat,lon\nA,store,28.60,77.20\nB,store,28.90,77.50\n";
const STOCK: &str = "node_id,sku,qty\nA,TEE,1\nB,TEE,5\n";
const NOW: &str = "2026-11-26T06:00:00Z";

fn router() -> OmRouter {
    let inputs = Inputs::load(
        &Source::text("nodes.csv", NODES).into(),
        &Source::text("stock.csv", STOCK).into(),
        None,
        &[],
    )
    .unwrap();
    OmRouter::new(inputs)
}

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn order(qty: u32) -> String {
    json!({"order_id": "O1", "dest": {"lat": 28.61, "lon": 77.21},
           "lines": [{"sku": "TEE", "qty": qty}]})
    .to_string()
}

fn shipped_from(decision: &str) -> String {
    let d: Value = serde_json::from_str(decision).unwrap();
    d["shipments"][0]["node_id"].as_str().unwrap().to_owned()
}

fn stock(r: &OmRouter, node: &str) -> Value {
    serde_json::from_str(&r.stock(node, "TEE").unwrap()).unwrap()
}

#[test]
fn a_reservation_holds_units_until_released() {
    let r = router();
    assert_eq!(
        shipped_from(&r.route(&order(1), now(), false).unwrap()),
        "A"
    );
    let (id, decision) = r.reserve(&order(1), now(), 900).unwrap();
    assert_eq!(shipped_from(&decision), "A");
    assert_eq!(stock(&r, "A")["reserved"], 1);
    assert_eq!(stock(&r, "A")["routable"], 0);
    // A's unit is held: the next order goes to B.
    assert_eq!(
        shipped_from(&r.route(&order(1), now(), false).unwrap()),
        "B"
    );
    r.release(id).unwrap();
    assert_eq!(stock(&r, "A")["routable"], 1);
    assert_eq!(r.release(id).unwrap_err().code(), "E3005");
}

#[test]
fn a_commit_ships_and_an_expired_one_is_refused() {
    let r = router();
    let (id, _) = r.reserve(&order(1), now(), 60).unwrap();
    r.commit(id, now()).unwrap();
    assert_eq!(stock(&r, "A")["on_hand"], 0);
    let (late, _) = r.reserve(&order(2), now(), 60).unwrap();
    let after = now().checked_add(SignedDuration::from_secs(61)).unwrap();
    let e = r.commit(late, after).unwrap_err();
    assert_eq!(e.code(), "E3006");
    assert_eq!(stock(&r, "B")["reserved"], 0, "the expired hold is let go");
    let (held, _) = r.reserve(&order(1), now(), 60).unwrap();
    assert_eq!(r.expire(after), 1);
    assert_eq!(r.commit(held, now()).unwrap_err().code(), "E3005");
}

#[test]
fn orders_are_refused_with_the_readers_codes() {
    let r = router();
    let e = r.route("{not json", now(), false).unwrap_err();
    assert_eq!(e.code(), "E7003");
    let bad = json!({"order_id": "O1", "dest": {"lat": 28.6, "lon": 77.2},
                     "lines": [{"sku": "TEE", "qty": "many"}]});
    let e = r.route(&bad.to_string(), now(), false).unwrap_err();
    assert_eq!(e.code(), "E1008");
    assert_eq!(e.field(), Some("lines[0].qty"));
    let e = r.reserve(&order(1), now(), 0).unwrap_err();
    assert_eq!((e.code(), e.field()), ("E7005", Some("ttl_seconds")));
    assert_eq!(r.live().live_reservations(), 0);
}

#[test]
fn explain_adds_the_candidates() {
    let r = router();
    let plain: Value = serde_json::from_str(&r.route(&order(1), now(), false).unwrap()).unwrap();
    let explained: Value = serde_json::from_str(&r.route(&order(1), now(), true).unwrap()).unwrap();
    assert!(plain.get("candidates").is_none());
    assert_eq!(explained["candidates"][0]["node_id"], "A", "{explained}");
    assert_eq!(explained["shipments"], plain["shipments"]);
}

#[test]
fn deltas_apply_all_or_none() {
    let r = router();
    let out = r
        .apply_deltas(
            r#"[{"node_id": "A", "seq": 1, "sku": "TEE", "change": 4},
                          {"node_id": "A", "seq": 1, "sku": "TEE", "change": 4},
                          {"node_id": "A", "seq": 3, "sku": "CAP", "change": 2}]"#,
        )
        .unwrap();
    let out: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out["applied"], 2);
    assert_eq!(out["duplicates"], 1);
    assert_eq!(
        out["gaps"],
        json!([{"node_id": "A", "expected": 2, "got": 3}])
    );
    assert_eq!(stock(&r, "A")["on_hand"], 5);
    let e = r
        .apply_deltas(
            r#"[{"node_id": "A", "seq": 4, "sku": "TEE", "change": 1},
                          {"node_id": "Z", "seq": 1, "sku": "TEE", "change": 1}]"#,
        )
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("E3204", Some("[1].node_id")));
    let e = r
        .apply_deltas(r#"[{"node_id": "A", "seq": 4, "sku": "TEE", "change": -9}]"#)
        .unwrap_err();
    assert_eq!(e.code(), "E3001");
    assert!(e.message().contains("node A sku TEE"), "{}", e.message());
    assert_eq!(stock(&r, "A")["on_hand"], 5, "nothing was applied");
    let e = r.apply_deltas(r#"[{"node_id": "A"}]"#).unwrap_err();
    assert_eq!((e.code(), e.field()), ("E3203", Some("[0].op")));
    let e = r.apply_deltas(r#"{"node_id": "A"}"#).unwrap_err();
    assert_eq!(e.code(), "E7006");
    let e = r
        .apply_deltas(r#"[{"op": "return", "node_id": "A", "sku": "TEE", "qty": 2, "seq": 4}]"#)
        .unwrap();
    assert!(e.contains(r#""applied":1"#), "{e}");
    assert_eq!(
        stock(&r, "A")["on_hand"],
        7,
        "a return of the feed adds on-hand"
    );
    assert_eq!(r.apply_deltas("[").unwrap_err().code(), "E7003");
}

#[test]
fn returns_add_on_hand_and_unknown_names_are_refused() {
    let r = router();
    r.return_units("B", "TEE", 2).unwrap();
    assert_eq!(stock(&r, "B")["on_hand"], 7);
    assert_eq!(r.stock("A", "HAT").unwrap_err().code(), "E7008");
    assert_eq!(r.return_units("Z", "TEE", 1).unwrap_err().code(), "E7007");
}

#[test]
fn bad_files_report_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let nodes = dir.join("nodes.csv");
    std::fs::write(&nodes, "node_id,lat,lon\nA,91,77\nB,28,181\n").unwrap();
    let stock = dir.join("stock.csv");
    std::fs::write(&stock, STOCK).unwrap();
    let e =
        OmRouter::from_files(nodes.to_str().unwrap(), stock.to_str().unwrap(), None).unwrap_err();
    assert!(e.code().starts_with("E1"), "{}", e.code());
    assert_eq!(e.message().lines().count(), 2, "{}", e.message());
    let missing = dir.join("missing.toml");
    let e = OmRouter::from_files(
        nodes.to_str().unwrap(),
        stock.to_str().unwrap(),
        missing.to_str(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "E1000");
}
