//! `omniroute watch`: open orders held, a feed followed, the orders of a node that lost stock
//! moved, the feed's bad lines reported and passed.

use crate::bin;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

#[test]
fn orders_move_when_their_node_loses_the_stock_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let nodes = Path::new(env!("CARGO_MANIFEST_DIR")).join("it/fixtures/small/nodes.csv");
    let stock = write("stock.csv", "node_id,sku,qty\nWH-DEL,TEE,2\nST-GGN,TEE,2\n");
    let orders = write(
        "orders.csv",
        "order_id,sku,qty,dest_lat,dest_lon\nO1,TEE,1,28.61,77.21\nO2,TEE,1,28.61,77.21\n",
    );
    let feed = write(
        "feed.ndjson",
        concat!(
            "{\"op\":\"adjust\",\"node_id\":\"WH-DEL\",\"sku\":\"TEE\",\"qty\":-1,\"seq\":1}\n",
            "{\"op\":\"adjust\",\"node_id\":\"WH-DEL\"\n",
            "{\"op\":\"set\",\"node_id\":\"WH-DEL\",\"sku\":\"TEE\",\"qty\":0,\"seq\":2}\n",
            "{\"op\":\"set\",\"node_id\":\"WH-DEL\",\"sku\":\"TEE\",\"qty\":0,\"seq\":2}\n",
            "{\"op\":\"return\",\"node_id\":\"ST-GGN\",\"sku\":\"TEE\",\"qty\":1,\"seq\":7}\n",
        ),
    );
    let out = Command::new(bin())
        .args(["watch", "--now", "2026-11-26T04:00:00Z", "--nodes"])
        .arg(&nodes)
        .arg("--stock")
        .arg(&stock)
        .arg("--orders")
        .arg(&orders)
        .arg("--feed")
        .arg(&feed)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a malformed line: {stderr}");
    let moved: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let brief: Vec<Value> = moved
        .iter()
        .map(|m| {
            json!([
                m["line"],
                m["order_id"],
                m["from"],
                m["to"],
                m["unfilled_units"]
            ])
        })
        .collect();
    assert_eq!(
        brief,
        [
            json!([1, "O2", ["WH-DEL"], ["ST-GGN"], 0]),
            json!([3, "O1", ["WH-DEL"], ["ST-GGN"], 0]),
        ]
    );
    assert!(
        stderr.contains("feed.ndjson:2:") && stderr.contains("E3201"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 applied, 1 duplicates, 0 gaps, 0 out of order, 1 malformed, 0 refused"),
        "{stderr}"
    );
}
