//! What the service keeps between requests, and how requests wait for each other: one claim per
//! order, bounded order records, repeated keys and query parameters refused, a batch that does
//! not hold up deltas, and node capacity that counts across requests.

use super::{code, inputs, order, Server};
use jiff::{SignedDuration, Timestamp};
use omniroute_server::Service;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

const STOCK: &str = "node_id,sku,qty\nWH-DEL,TEE,10\nST-NOI,TEE,2\nST-GGN,MUG,1\n";

fn now() -> Timestamp {
    "2026-11-26T06:00:00Z".parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_key_or_query_parameter_is_refused() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    // `qty` twice: a JSON reader keeps one silently (serde_json the last: 100 units).
    let body = br#"{"order_id":"K1","dest":{"lat":28.5,"lon":77.3},"lines":[{"sku":"TEE","qty":1,"qty":100}]}"#;
    for path in ["/v1/quote", "/v1/orders", "/v1/batch", "/v1/stock/deltas"] {
        let (st, v) = s.post_raw(path, body.to_vec()).await;
        assert_eq!(
            (st, code(&v)),
            (StatusCode::BAD_REQUEST, "E5010"),
            "{path}: {v}"
        );
        assert!(
            v["error"]["message"].as_str().unwrap().contains("`qty`"),
            "{v}"
        );
    }
    assert_eq!(s.service.live().live_reservations(), 0);
    let (st, v) = s
        .call(
            Method::GET,
            "/v1/stock?node_id=WH-DEL&sku=TEE&sku=MUG",
            None,
        )
        .await;
    assert_eq!((st, code(&v)), (StatusCode::BAD_REQUEST, "E5011"), "{v}");
    assert_eq!(v["error"]["field"], "sku");
    let (st, v) = s
        .call(Method::GET, "/v1/stock?node_id=WH-DEL&sku=TEE", None)
        .await;
    assert_eq!((st, v["routable"].as_u64()), (StatusCode::OK, Some(10)));
    s.stop().await;
}

/// Eight threads reserve one order at once, fifty times over: each time exactly one reserves and
/// the others get 409 (`E5005`), although no lock is held while the order routes.
#[test]
fn one_order_is_reserved_once_however_many_ask() {
    let stock = "node_id,sku,qty\nWH-DEL,TEE,1000\nST-NOI,TEE,1000\nST-GGN,TEE,1000\n";
    let service = Arc::new(Service::new(inputs(stock), SignedDuration::from_mins(15)));
    for round in 0..50 {
        let o = order(&format!("ONE-{round}"), 28.54, 77.39, &[("TEE", 1)]);
        let start = Arc::new(std::sync::Barrier::new(8));
        let asks: Vec<_> = (0..8)
            .map(|_| {
                let (service, o, start) = (Arc::clone(&service), o.clone(), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    service.reserve(&o, now())
                })
            })
            .collect();
        let mut ok = 0;
        for a in asks {
            match a.join().unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert_eq!((e.status.as_u16(), e.code), (409, "E5005"), "{e:?}"),
            }
        }
        assert_eq!(ok, 1, "round {round}");
    }
    assert_eq!(service.live().live_reservations(), 50);
}

/// A service that keeps two settled orders forgets the oldest beyond them, never a live one.
#[test]
fn settled_orders_are_forgotten_beyond_the_limit() {
    let service = Service::new(inputs(STOCK), SignedDuration::from_mins(15)).keep_settled_orders(2);
    let reserve = |id: &str| {
        let r = service
            .reserve(&order(id, 28.6, 77.2, &[("TEE", 1)]), now())
            .unwrap();
        r["reservation_id"].as_str().unwrap().to_owned()
    };
    let ids: Vec<String> = ["A", "B", "C", "D"].iter().map(|o| reserve(o)).collect();
    assert_eq!(service.orders_kept(), 4);
    service.commit(&ids[0], now()).unwrap();
    service.release(&ids[1]).unwrap();
    assert_eq!(service.orders_kept(), 4);
    service.commit(&ids[2], now()).unwrap();
    // A is the oldest of three settled: forgotten. D is live: kept.
    assert_eq!(service.orders_kept(), 3);
    assert_eq!(service.order("A").unwrap_err().code, "E5004");
    assert_eq!(service.order("B").unwrap()["status"], "released");
    assert_eq!(service.order("D").unwrap()["status"], "reserved");
    // B is reserved again: its new record stays when its old settlement ages out.
    reserve("B");
    service.release(&ids[3]).unwrap();
    assert_eq!(service.order("B").unwrap()["status"], "reserved");
    assert_eq!(service.order("C").unwrap()["status"], "committed");
    assert_eq!(service.orders_kept(), 3); // B (live), C, D
}

/// An order reserved through `/v1/orders` uses a node's capacity for the day: with one shipment
/// a day at ST-NOI, the next order goes elsewhere until the first is released.
#[test]
fn node_capacity_counts_across_requests() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("it/fixtures/small");
    let nodes = std::fs::read_to_string(dir.join("nodes.csv")).unwrap();
    // A capacity_shipments column: 1 at ST-NOI, unlimited elsewhere.
    let nodes: String = nodes
        .lines()
        .map(|l| match l {
            _ if l.starts_with("node_id") => format!("{l},capacity_shipments\n"),
            _ if l.starts_with("ST-NOI") => format!("{l},1\n"),
            _ => format!("{l},\n"),
        })
        .collect();
    let nodes = omniroute_adapters::Source::text("nodes.csv", nodes);
    let stock = omniroute_adapters::Source::text("stock.csv", STOCK);
    let inputs = omniroute_adapters::Inputs::load(&nodes.into(), &stock.into(), None, &[]).unwrap();
    let service = Service::new(inputs, SignedDuration::from_mins(15));
    let near = |id: &str| order(id, 28.54, 77.39, &[("TEE", 1)]);
    let from = |v: &Value| v["shipments"][0]["node_id"].as_str().unwrap().to_owned();
    let first = service.reserve(&near("N1"), now()).unwrap();
    assert_eq!(from(&first["decision"]), "ST-NOI");
    assert_eq!(from(&service.quote(&near("N2"), now()).unwrap()), "WH-DEL");
    service
        .release(first["reservation_id"].as_str().unwrap())
        .unwrap();
    assert_eq!(from(&service.quote(&near("N2"), now()).unwrap()), "ST-NOI");
}

/// A delta naming a new SKU (the one request that writes the SKU table) goes through while an
/// optimise batch routes: the batch holds no lock while it routes.
#[test]
fn a_batch_does_not_hold_up_deltas() {
    let service = Arc::new(Service::new(inputs(STOCK), SignedDuration::from_mins(15)));
    let orders: Vec<Value> = (0..300)
        .map(|i| {
            let lat = 28.40 + 0.001 * f64::from(i);
            order(
                &format!("B{i}"),
                lat,
                77.2,
                &[("TEE", 1 + i % 3), ("MUG", 1)],
            )
        })
        .collect();
    let body = json!({"orders": orders, "mode": "optimise", "time_limit_s": 3, "seed": 1});
    let batch = {
        let service = Arc::clone(&service);
        std::thread::spawn(move || {
            let start = Instant::now();
            service.batch(&body, now()).unwrap();
            start.elapsed()
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let delta = json!([{"node_id": "WH-DEL", "seq": 1, "sku": "NEW-SKU", "change": 4}]);
    service.deltas(&delta).unwrap();
    // Not a time limit (the machine may be busy): the batch, a 3-second optimise, is still
    // running when the delta is through, so the delta did not wait for it.
    let batch_running = !batch.is_finished();
    let batch_took = batch.join().unwrap();
    assert!(
        batch_took > Duration::from_secs(1),
        "the batch must outlast the delta for this test to mean anything: {batch_took:?}"
    );
    assert!(
        batch_running,
        "the delta waited for a batch of {batch_took:?}"
    );
}
