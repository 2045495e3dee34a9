//! `GET /v1/kpis`: the figures of the orders reserved so far.

use super::{inputs, order, Server};
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn value(v: &Value, name: &str, key: &str) -> Value {
    v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name && r["key"] == key)
        .unwrap_or_else(|| panic!("no {name}/{key} in {v}"))["value"]
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kpis_count_reserved_orders_and_not_quotes() {
    let s = Server::start(
        inputs("node_id,sku,qty\nWH-DEL,TEE,1\nST-NOI,MUG,1\n"),
        900,
        |_| {},
    )
    .await;
    let (st, v) = s.call(Method::GET, "/v1/kpis", None).await;
    assert_eq!((st, &v["orders"]), (StatusCode::OK, &Value::from(0)));
    assert_eq!(value(&v, "fill_rate", ""), Value::Null);

    // R1 ships TEE from the warehouse, R2 cannot be filled (no CAP anywhere); a quote is not kept.
    s.call(
        Method::POST,
        "/v1/quote",
        Some(&order("Q1", 28.6, 77.2, &[("MUG", 1)])),
    )
    .await;
    for o in [
        order("R1", 28.6, 77.2, &[("TEE", 1)]),
        order("R2", 28.6, 77.2, &[("CAP", 2)]),
    ] {
        let (st, _) = s.call(Method::POST, "/v1/orders", Some(&o)).await;
        assert_eq!(st, StatusCode::OK);
    }
    let (_, v) = s.call(Method::GET, "/v1/kpis", None).await;
    assert_eq!(v["orders"], 2);
    assert_eq!(value(&v, "orders_shipped", ""), 1.0);
    assert_eq!(value(&v, "fill_rate", ""), 1.0 / 3.0);
    assert_eq!(value(&v, "orders_by_kind", "warehouse"), 1.0);
    assert_eq!(value(&v, "units_by_kind", "store"), 0.0);
    assert_eq!(value(&v, "node_units", "WH-DEL"), 1.0);
    let offers = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "offer_acceptance_rate")
        .unwrap();
    assert_eq!(offers["note"], "not available until offers exist");
    s.stop().await;
}
