//! `GET /v1/kpis`: the figures of the orders reserved so far.

use super::{inputs, order, Server};
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn value(v: &Value, name: &str, key: &str) -> Value {
    row_value(&v["kpis"], name, key)
}

fn row_value(rows: &Value, name: &str, key: &str) -> Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name && r["key"] == key)
        .unwrap_or_else(|| panic!("no {name}/{key} in {rows}"))["value"]
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

    // The total business: a counter sale of the MUG at ST-NOI (sent twice: once counted) and R1
    // brought back to the store (bought online: cross-channel).
    let sale = serde_json::json!({"op": "ship", "node_id": "ST-NOI", "sku": "MUG", "qty": 1,
        "seq": 1, "unit_price_cents": 450});
    let back = serde_json::json!({"op": "return", "node_id": "ST-NOI", "sku": "TEE", "qty": 1,
        "seq": 2, "order_id": "R1"});
    for body in [serde_json::json!([sale]), serde_json::json!([sale, back])] {
        let (st, _) = s.call(Method::POST, "/v1/stock/deltas", Some(&body)).await;
        assert_eq!(st, StatusCode::OK);
    }
    let (_, v) = s.call(Method::GET, "/v1/kpis", None).await;
    let b = &v["business"];
    assert_eq!(row_value(b, "business_orders", "online"), 1.0);
    assert_eq!(row_value(b, "business_orders", "store"), 1.0);
    assert_eq!(row_value(b, "business_units", "store"), 1.0);
    assert_eq!(row_value(b, "business_revenue_cents", "store"), 450.0);
    assert_eq!(row_value(b, "business_returns", "online_to_store"), 1.0);
    assert_eq!(row_value(b, "business_cross_channel_returns", ""), 1.0);
    s.stop().await;
}
