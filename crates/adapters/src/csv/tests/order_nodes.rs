//! `exclude_nodes` and `only_nodes` in orders.csv, JSON orders and their problems.

use super::*;
use crate::{read_order_json, read_order_json_in, Policies};
use omniroute_core::NodeIdx;

fn with_network(text: &str) -> Result<Vec<Order>, InputError> {
    read_orders_in(
        text.as_bytes(),
        "orders.csv",
        &mut Skus::default(),
        &levels(),
        &network(),
    )
    .map(|(l, _)| l.value)
}

#[test]
fn node_lists_resolve_to_the_network() {
    let text = format!(
        "{O},exclude_nodes,only_nodes\nA,T,1,28,77, S1 ,\nA,C,1,28,77,S1,\nB,T,1,28,77,,W1;S1;W1\n"
    );
    let orders = with_network(&text).unwrap();
    assert_eq!(orders[0].excluded, [NodeIdx(1)]);
    assert!(orders[0].pinned.is_empty());
    // Duplicates are kept once.
    assert_eq!(orders[1].pinned, [NodeIdx(0), NodeIdx(1)]);
    assert!(orders[1].excluded.is_empty());
}

#[test]
fn bad_node_lists_are_refused_with_codes() {
    let text = format!(
        "{O},exclude_nodes,only_nodes\n\
         A,T,1,28,77,W9,\n\
         B,T,1,28,77,S1,S1;W1\n\
         C,T,1,28,77,S1,\n\
         C,T,1,28,77,W1,\n"
    );
    let e = with_network(&text).unwrap_err();
    assert_eq!(
        places(&e.problems()),
        [("E1040", 2, 6), ("E1042", 3, 7), ("E1022", 5, 6)]
    );
    assert!(e.problems()[0].message.contains("\"W9\""));
    // Without a network the lists cannot be read.
    let e = orders(format!("{O},only_nodes\nA,T,1,28,77,W1\n").as_bytes()).unwrap_err();
    assert_eq!(places(&e.problems()), [("E1041", 2, 6)]);
    // An empty list is no list, with or without a network.
    assert!(orders(format!("{O},only_nodes\nA,T,1,28,77,\n").as_bytes()).is_ok());
}

#[test]
fn json_orders_carry_node_lists_as_arrays() {
    let body = serde_json::json!({
        "order_id": "A1", "dest": {"lat": 28.6, "lon": 77.2},
        "exclude_nodes": ["S1"], "only_nodes": ["W1", "W7"],
        "lines": [{"sku": "TEE", "qty": 1}],
    });
    let (skus, policies) = (Skus::default(), Policies::new(&[]).unwrap());
    let now = "2026-11-26T06:00:00Z".parse().unwrap();
    let e = read_order_json_in(&body, &skus, &network(), &policies, now).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].problem.code, "E1040");
    assert_eq!(e[0].field.as_deref(), Some("only_nodes"));
    let mut good = body.clone();
    good["only_nodes"] = serde_json::json!(["W1"]);
    let o = read_order_json_in(&good, &skus, &network(), &policies, now).unwrap();
    assert_eq!(
        (o.order.excluded, o.order.pinned),
        (vec![NodeIdx(1)], vec![NodeIdx(0)])
    );
    let e = read_order_json(&good, &skus, &policies, now).unwrap_err();
    assert_eq!(e[0].problem.code, "E1041");
}
