//! Contended reservations while deltas arrive; the service's decisions are the CLI's.

use super::{inputs, order, Server};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Units per (`node_id`, SKU) a decision ships.
fn shipped(d: &Value) -> Vec<((String, String), u64)> {
    let mut out = Vec::new();
    for s in d["shipments"].as_array().unwrap() {
        for l in s["lines"].as_array().unwrap() {
            let key = (
                s["node_id"].as_str().unwrap().to_owned(),
                l["sku"].as_str().unwrap().to_owned(),
            );
            out.push((key, l["qty"].as_u64().unwrap()));
        }
    }
    out
}

type Held = HashMap<(String, String), u64>;

/// Client `c`: 30 orders through `/v1/orders`, a third released, the rest committed. Returns
/// the units its kept decisions hold per position and every status it saw.
async fn client(s: Arc<Server>, c: u32) -> (Held, Vec<StatusCode>) {
    let mut held = Held::new();
    let mut statuses = Vec::new();
    for i in 0..30 {
        let lines: &[(&str, u32)] = match (c + i) % 3 {
            0 => &[("TEE", 1)],
            1 => &[("CAP", 2)],
            _ => &[("TEE", 1), ("CAP", 1)],
        };
        let lat = 28.4 + 0.01 * f64::from(c);
        let o = order(&format!("C{c}-{i}"), lat, 77.2, lines);
        let (st, r) = s.call(Method::POST, "/v1/orders", Some(&o)).await;
        statuses.push(st);
        if st != StatusCode::OK {
            continue;
        }
        let id = r["reservation_id"].as_str().unwrap();
        let action = if i % 3 == 0 { "release" } else { "commit" };
        let path = format!("/v1/reservations/{id}/{action}");
        let (st, _) = s.call(Method::POST, &path, None).await;
        statuses.push(st);
        if action == "commit" || st != StatusCode::OK {
            for (key, units) in shipped(&r["decision"]) {
                *held.entry(key).or_default() += units;
            }
        }
    }
    (held, statuses)
}

/// Eight clients reserve two SKUs held a few units at a few nodes through `/v1/orders`, and
/// commit or release some, while a ninth sends deltas. At the end no position holds more than it
/// has, the committed and live units are exactly those of the decisions kept, the ledger balances
/// to the units given in, and no request failed with a 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn contended_reservations_never_oversell() {
    let stock = "node_id,sku,qty\nWH-DEL,TEE,3\nST-NOI,TEE,3\nST-GGN,TEE,3\nWH-DEL,CAP,3\nST-NOI,CAP,3\nDL-FBD,CAP,3\n";
    let inp = inputs(stock);
    let (net, skus) = (Arc::clone(&inp.network), inp.skus.clone());
    let s = Arc::new(Server::start(inp, 900, |_| {}).await);
    let clients: Vec<_> = (0..8)
        .map(|c| tokio::spawn(client(Arc::clone(&s), c)))
        .collect();
    let feed = {
        let s = Arc::clone(&s);
        tokio::spawn(async move {
            let mut given = 0i64;
            let mut statuses = Vec::new();
            for seq in 1..=20u64 {
                let deltas = json!([
                    {"node_id": "ST-NOI", "seq": seq, "sku": "TEE", "change": 1},
                    {"node_id": "DL-FBD", "seq": seq, "sku": "CAP", "change": 2},
                ]);
                let (st, v) = s
                    .call(Method::POST, "/v1/stock/deltas", Some(&deltas))
                    .await;
                assert_eq!(v["applied"], 2, "{v}");
                given += 3;
                statuses.push(st);
                tokio::task::yield_now().await;
            }
            (given, statuses)
        })
    };
    let mut held = Held::new();
    let mut statuses = Vec::new();
    for c in clients {
        let (h, st) = c.await.unwrap();
        for (k, u) in h {
            *held.entry(k).or_default() += u;
        }
        statuses.extend(st);
    }
    let (given, st) = feed.await.unwrap();
    statuses.extend(st);
    assert!(
        statuses.iter().all(|s| !s.is_server_error()),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        statuses.len()
    );

    let live = s.service.live();
    let (mut total, mut taken) = (0u64, 0u64);
    for (n, sku, p) in live.positions() {
        let key = (net.node(n).id.clone(), skus.name(sku).to_owned());
        assert!(p.reserved <= p.on_hand, "oversold at {key:?}: {p:?}");
        assert_eq!(p.unaccounted_units(), 0, "{key:?}");
        let by_decisions = held.get(&key).copied().unwrap_or(0);
        assert_eq!(p.shipped + u64::from(p.reserved), by_decisions, "{key:?}");
        total += u64::from(p.on_hand) + p.shipped;
        taken += by_decisions;
    }
    assert_eq!(
        total,
        18 + given as u64,
        "the ledger balances to the units given in"
    );
    // More than the 18 units of the snapshot were kept: the race went on while deltas came.
    assert!(
        taken > 18,
        "the race was contended: {taken} units taken of {total}"
    );
    Arc::into_inner(s)
        .expect("the clients are done")
        .stop()
        .await;
}

/// Each order of the fixture through `/v1/quote` and through `omniroute route --format json` (one
/// order per run, against the same stock) gives the same decision, byte for byte as JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_equals_the_cli_decision() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("it/fixtures/small");
    let stock = std::fs::read_to_string(dir.join("stock.csv")).unwrap();
    let orders = std::fs::read_to_string(dir.join("orders.csv")).unwrap();
    let s = Server::start(inputs(&stock), 900, |_| {}).await;
    let tmp = tempfile::tempdir().unwrap();
    let mut rows = orders.lines();
    let header = rows.next().unwrap();
    let mut by_order: Vec<(String, Vec<&str>)> = Vec::new();
    for row in rows {
        let id = row.split(',').next().unwrap().to_owned();
        match by_order.last_mut() {
            Some((last, rows)) if *last == id => rows.push(row),
            _ => by_order.push((id, vec![row])),
        }
    }
    assert!(by_order.len() >= 3);
    for (id, rows) in &by_order {
        let file = tmp.path().join(format!("{id}.csv"));
        std::fs::write(&file, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
        let out = crate::omniroute()
            .args([
                "route",
                "--format",
                "json",
                "--now",
                "2026-11-26T06:00:00Z",
                "--nodes",
            ])
            .arg(dir.join("nodes.csv"))
            .arg("--stock")
            .arg(dir.join("stock.csv"))
            .arg("--orders")
            .arg(&file)
            .output()
            .unwrap();
        let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
        let cli = &cli["decisions"][0];
        // The same order as JSON: orders.csv's columns under the same names.
        let cols: Vec<&str> = header.split(',').collect();
        let cells: Vec<Vec<&str>> = rows.iter().map(|r| r.split(',').collect()).collect();
        let at = |row: &[&str], name: &str| {
            row[cols.iter().position(|c| *c == name).unwrap()].to_owned()
        };
        let lines: Vec<Value> = cells
            .iter()
            .map(|r| {
                json!({"sku": at(r, "sku"), "qty": at(r, "qty").parse::<u32>().unwrap(),
                       "line_no": at(r, "line_no"), "unit_price_cents": at(r, "unit_price_cents")})
            })
            .collect();
        let body = json!({
            "order_id": id,
            "dest": {"lat": at(&cells[0], "dest_lat").parse::<f64>().unwrap(),
                     "lon": at(&cells[0], "dest_lon").parse::<f64>().unwrap()},
            "created_at": at(&cells[0], "created_at"),
            "lines": lines,
        });
        let (st, quote) = s.call(Method::POST, "/v1/quote", Some(&body)).await;
        assert_eq!(st, StatusCode::OK, "{quote}");
        assert_eq!(&quote, cli, "order {id}");
    }
    s.stop().await;
}

#[test]
fn serve_refuses_to_start_without_a_token() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("it/fixtures/small");
    let out = crate::omniroute()
        .env_remove("OMNIROUTE_API_TOKEN")
        .current_dir(&dir)
        .args([
            "serve",
            "--nodes",
            "nodes.csv",
            "--stock",
            "stock.csv",
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("E5008") && err.contains("OMNIROUTE_API_TOKEN"),
        "{err}"
    );
}
