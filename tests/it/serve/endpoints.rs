//! Every endpoint with good and bad input.

use super::{code, inputs, order, Server};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;

/// A sweep interval no test reaches.
const SWEEP_NEVER: Duration = Duration::from_secs(24 * 3600);

const STOCK: &str = "node_id,sku,qty\nWH-DEL,TEE,10\nWH-DEL,CAP,5\nST-NOI,TEE,2\nST-GGN,MUG,1\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_and_openapi() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    let (st, v) = s.call(Method::GET, "/healthz", None).await;
    assert_eq!((st, v), (StatusCode::OK, json!({"status": "ok"})));

    let (st, api) = s.call(Method::GET, "/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    let mut paths: Vec<&str> = api["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/healthz",
            "/metrics",
            "/openapi.json",
            "/v1/batch",
            "/v1/kpis",
            "/v1/orders",
            "/v1/orders/{order_id}",
            "/v1/quote",
            "/v1/reservations/{id}/commit",
            "/v1/reservations/{id}/release",
            "/v1/stock",
            "/v1/stock/deltas",
        ]
    );
    // Every documented path is served (not by the fallback, whose field is `path`).
    for p in &paths {
        let path = p.replace("{order_id}", "nope").replace("{id}", "1");
        let method = if api["paths"][p].get("post").is_some() {
            Method::POST
        } else {
            Method::GET
        };
        let (_, v) = s.call(method, &path, None).await;
        assert_ne!(v["error"]["field"], "path", "{p}: {v}");
    }

    s.call(
        Method::POST,
        "/v1/quote",
        Some(&order("Q1", 28.6, 77.2, &[("TEE", 1)])),
    )
    .await;
    s.call(
        Method::POST,
        "/v1/orders",
        Some(&order("R1", 28.6, 77.2, &[("TEE", 1)])),
    )
    .await;
    let text = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("omniroute_orders_routed_total 2"), "{text}");
    assert!(text.contains("omniroute_live_reservations 1"), "{text}");
    assert!(
        text.contains(r#"omniroute_http_requests_total{route="/v1/quote",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("omniroute_http_request_duration_seconds_bucket"),
        "{text}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_needs_the_bearer_token_and_a_refusal_changes_nothing() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    let o = order("A1", 28.6, 77.2, &[("TEE", 1)]);
    for token in [None, Some("wrong"), Some(""), Some("test-token-012345678")] {
        let (st, v) = s
            .call_with(Method::POST, "/v1/orders", Some(&o), token)
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(code(&v), "E5002");
    }
    let (st, _) = s
        .call_with(
            Method::GET,
            "/v1/stock?node_id=WH-DEL&sku=TEE",
            None,
            Some("Bearer x"),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(s.service.live().live_reservations(), 0);
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=WH-DEL&sku=TEE", None)
        .await;
    assert_eq!(v["reserved"], 0);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_answers_and_refuses_bad_bodies() {
    let s = Server::start(inputs(STOCK), 900, |c| c.max_body_bytes = 4096).await;
    let (st, d) = s
        .call(
            Method::POST,
            "/v1/quote",
            Some(&order("Q1", 28.54, 77.39, &[("TEE", 2)])),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{d}");
    assert_eq!(d["order_id"], "Q1");
    assert_eq!(d["shipments"][0]["node_id"], "ST-NOI");
    assert_eq!(d["complete"], true);
    // A quote reserves nothing.
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=ST-NOI&sku=TEE", None)
        .await;
    assert_eq!(
        (v["reserved"].as_u64(), v["routable"].as_u64()),
        (Some(0), Some(2))
    );

    // An unknown SKU is no error: the line is unfilled.
    let (st, d) = s
        .call(
            Method::POST,
            "/v1/quote",
            Some(&order("Q2", 28.6, 77.2, &[("NOPE", 1)])),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(d["unfilled"][0]["sku"], "NOPE");
    assert_eq!(d["unfilled"][0]["reason"], "NO_STOCK");

    let (st, v) = s.post_raw("/v1/quote", b"{\"order_id\": ".to_vec()).await;
    assert_eq!((st, code(&v)), (StatusCode::BAD_REQUEST, "E5001"));

    let cases = [
        (order("B1", 95.0, 77.2, &[("TEE", 1)]), "E1010", "dest.lat"),
        (
            order("B2", 28.6, 77.2, &[("TEE", 1), ("CAP", 0)]),
            "E1011",
            "lines[1].qty",
        ),
        (
            json!({"order_id": "B3", "dest": {"lat": 28.6, "lon": 77.2}, "lines": [{"sku": "TEE", "qty": "two"}]}),
            "E1008",
            "lines[0].qty",
        ),
        (
            json!({"order_id": "B4", "dest": {"lat": 28.6, "lon": 77.2}, "service_level": "warp", "lines": [{"sku": "TEE", "qty": 1}]}),
            "E1018",
            "service_level",
        ),
        (
            json!({"order_id": "B5", "dest": {"lat": 28.6, "lon": 77.2}, "lines": []}),
            "E1001",
            "lines",
        ),
    ];
    for (body, want, field) in cases {
        let (st, v) = s.call(Method::POST, "/v1/quote", Some(&body)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert_eq!(code(&v), want, "{v}");
        assert_eq!(v["error"]["field"], field, "{v}");
        assert!(!v["error"]["hint"].as_str().unwrap().is_empty());
    }

    let big = order("BIG", 28.6, 77.2, &vec![("TEE", 1); 300]);
    let (st, v) = s
        .post_raw("/v1/quote", serde_json::to_vec(&big).unwrap())
        .await;
    assert_eq!((st, code(&v)), (StatusCode::PAYLOAD_TOO_LARGE, "E5003"));
    // Chunked (no Content-Length): refused while it is read.
    assert_eq!(chunked_status(&s, 6000).await, 413);
    assert_eq!(chunked_status(&s, 10).await, 400, "small and not JSON");
    let (st, v) = s.call(Method::GET, "/nowhere", None).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "E5004"));
    // Still answering.
    let (st, _) = s.call(Method::GET, "/healthz", None).await;
    assert_eq!(st, StatusCode::OK);
    s.stop().await;
}

/// The status of a POST /v1/quote whose body of `n` spaces comes in 1,000-byte chunks, with no
/// Content-Length, over a plain socket.
async fn chunked_status(s: &Server, n: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = s.base.trim_start_matches("http://");
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/quote HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        super::TOKEN
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    let mut left = n;
    while left > 0 {
        let k = left.min(1000);
        let chunk = format!("{k:x}\r\n{}\r\n", " ".repeat(k));
        if sock.write_all(chunk.as_bytes()).await.is_err() {
            break; // the server answered and closed early
        }
        left -= k;
    }
    let _ = sock.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = sock.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reserve_commit_release_and_read_back() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    let o = order("R1", 28.54, 77.39, &[("TEE", 2)]);
    let (st, r) = s.call(Method::POST, "/v1/orders", Some(&o)).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let id = r["reservation_id"].as_str().unwrap().to_owned();
    assert_eq!(r["decision"]["shipments"][0]["node_id"], "ST-NOI");
    // The reservation lives for the server's TTL (900 s) from when it was made.
    let expires: jiff::Timestamp = r["expires_at"].as_str().unwrap().parse().unwrap();
    let ttl = expires.duration_since(jiff::Timestamp::now()).as_secs();
    assert!((890..=900).contains(&ttl), "expires in {ttl} s");
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=ST-NOI&sku=TEE", None)
        .await;
    assert_eq!(
        v,
        json!({"node_id": "ST-NOI", "sku": "TEE", "on_hand": 2, "reserved": 2, "safety_stock": 0, "routable": 0})
    );

    // The same order again while reserved: 409.
    let (st, v) = s.call(Method::POST, "/v1/orders", Some(&o)).await;
    assert_eq!((st, code(&v)), (StatusCode::CONFLICT, "E5005"));
    // Another order for the same units goes elsewhere.
    let (_, r2) = s
        .call(
            Method::POST,
            "/v1/orders",
            Some(&order("R2", 28.54, 77.39, &[("TEE", 2)])),
        )
        .await;
    assert_eq!(r2["decision"]["shipments"][0]["node_id"], "WH-DEL");

    let (st, v) = s.call(Method::GET, "/v1/orders/R1", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "reserved");
    assert_eq!(v["reservation_id"], id.as_str());
    assert_eq!(v["decision"]["candidates"][0]["chosen"], true);
    let (st, v) = s.call(Method::GET, "/v1/orders/NOPE", None).await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "E5004"));

    let (st, v) = s
        .call(Method::POST, &format!("/v1/reservations/{id}/commit"), None)
        .await;
    assert_eq!(
        (st, v["status"].as_str()),
        (StatusCode::OK, Some("committed"))
    );
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=ST-NOI&sku=TEE", None)
        .await;
    assert_eq!(
        (v["on_hand"].as_u64(), v["reserved"].as_u64()),
        (Some(0), Some(0))
    );
    let (st, v) = s
        .call(Method::POST, &format!("/v1/reservations/{id}/commit"), None)
        .await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "E3005"));
    let (_, v) = s.call(Method::GET, "/v1/orders/R1", None).await;
    assert_eq!(v["status"], "committed");

    let id2 = r2["reservation_id"].as_str().unwrap();
    let (st, _) = s
        .call(
            Method::POST,
            &format!("/v1/reservations/{id2}/release"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=WH-DEL&sku=TEE", None)
        .await;
    assert_eq!(v["routable"], 10);
    for bad in ["999", "abc", "-1"] {
        let (st, _) = s
            .call(
                Method::POST,
                &format!("/v1/reservations/{bad}/release"),
                None,
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{bad}");
    }

    let (st, v) = s
        .call(Method::GET, "/v1/stock?node_id=XX&sku=TEE", None)
        .await;
    assert_eq!((st, code(&v)), (StatusCode::NOT_FOUND, "E5004"));
    let (st, v) = s.call(Method::GET, "/v1/stock?node_id=WH-DEL", None).await;
    assert_eq!(
        (st, code(&v), v["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "E5006", Some("sku"))
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_reservation_cannot_commit_and_its_units_return() {
    // Reservations live one second; the sweeper is off so the commit meets the expiry itself.
    let s = Server::start(inputs(STOCK), 1, |c| c.sweep_every = SWEEP_NEVER).await;
    let (_, r) = s
        .call(
            Method::POST,
            "/v1/orders",
            Some(&order("E1", 28.46, 77.03, &[("MUG", 1)])),
        )
        .await;
    let id = r["reservation_id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (st, v) = s
        .call(Method::POST, &format!("/v1/reservations/{id}/commit"), None)
        .await;
    assert_eq!((st, code(&v)), (StatusCode::CONFLICT, "E3006"));
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=ST-GGN&sku=MUG", None)
        .await;
    assert_eq!(
        (v["on_hand"].as_u64(), v["routable"].as_u64()),
        (Some(1), Some(1))
    );
    let (_, v) = s.call(Method::GET, "/v1/orders/E1", None).await;
    assert_eq!(v["status"], "expired");
    // The order may be reserved again.
    let (st, _) = s
        .call(
            Method::POST,
            "/v1/orders",
            Some(&order("E1", 28.46, 77.03, &[("MUG", 1)])),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deltas_apply_report_duplicates_and_gaps() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    let d = |seq: u64, sku: &str, change: i64| json!({"node_id": "ST-GGN", "seq": seq, "sku": sku, "change": change});
    let (st, v) = s
        .call(
            Method::POST,
            "/v1/stock/deltas",
            Some(&json!([d(1, "MUG", 4), d(2, "NEW", 3)])),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"applied": 2, "duplicates": 0, "gaps": []}));
    let (_, v) = s
        .call(
            Method::POST,
            "/v1/stock/deltas",
            Some(&json!([d(2, "MUG", 4), d(5, "MUG", -1)])),
        )
        .await;
    assert_eq!(
        v,
        json!({"applied": 1, "duplicates": 1, "gaps": [{"node_id": "ST-GGN", "expected": 3, "got": 5}]})
    );
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=ST-GGN&sku=MUG", None)
        .await;
    assert_eq!(v["on_hand"], 4);
    // A SKU first seen in a delta is routable at once.
    let (_, q) = s
        .call(
            Method::POST,
            "/v1/quote",
            Some(&order("N1", 28.46, 77.03, &[("NEW", 3)])),
        )
        .await;
    assert_eq!(q["shipments"][0]["node_id"], "ST-GGN");

    let (st, v) = s
        .call(
            Method::POST,
            "/v1/stock/deltas",
            Some(&json!([d(6, "MUG", -100)])),
        )
        .await;
    assert_eq!((st, code(&v)), (StatusCode::UNPROCESSABLE_ENTITY, "E3001"));
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("ST-GGN") && message.contains("MUG"),
        "{message}"
    );
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=ST-GGN&sku=MUG", None)
        .await;
    assert_eq!(v["on_hand"], 4, "nothing applied");
    let bad = [
        (
            json!({"node_id": "ST-GGN"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "E5006",
            "",
        ),
        (
            json!([{"node_id": "XX", "seq": 1, "sku": "MUG", "change": 1}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "E3204",
            "[0].node_id",
        ),
        (
            json!([d(7, "MUG", 1), {"node_id": "ST-GGN", "seq": -1, "sku": "MUG", "change": 1}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "E3205",
            "[1].seq",
        ),
        (
            json!([{"node_id": "ST-GGN", "seq": 8, "sku": "", "change": 1}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "E3209",
            "[0].sku",
        ),
        (
            json!([{"op": "lend", "node_id": "ST-GGN", "seq": 8, "sku": "MUG", "qty": 1}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "E3202",
            "[0].op",
        ),
    ];
    for (body, status, want, field) in bad {
        let (st, v) = s.call(Method::POST, "/v1/stock/deltas", Some(&body)).await;
        assert_eq!((st, code(&v)), (status, want), "{body}: {v}");
        assert_eq!(v["error"]["field"], field);
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delta_stream_ops_hold_ship_and_return() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    let (_, before) = s
        .call(Method::GET, "/v1/stock?node_id=WH-DEL&sku=TEE", None)
        .await;
    assert_eq!(before["on_hand"], 10, "{before}");
    // The delta stream's operations: a sale held at the till, shipped, and a return.
    let op = |seq: u64, op: &str, qty: u32| json!({"op": op, "node_id": "WH-DEL", "seq": seq, "sku": "TEE", "qty": qty, "at": "2026-12-05T09:00:00Z"});
    let (st, v) = s
        .call(
            Method::POST,
            "/v1/stock/deltas",
            Some(&json!([
                op(1, "reserve", 2),
                op(2, "ship", 2),
                op(3, "return", 1),
                op(4, "reserve", 1)
            ])),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, v) = s
        .call(Method::GET, "/v1/stock?node_id=WH-DEL&sku=TEE", None)
        .await;
    assert_eq!(
        (&v["on_hand"], &v["reserved"], &v["routable"]),
        (&json!(9), &json!(1), &json!(8)),
        "held 2, shipped them, 1 returned, 1 held"
    );
    let (st, v) = s
        .call(
            Method::POST,
            "/v1/stock/deltas",
            Some(&json!([op(5, "release", 2)])),
        )
        .await;
    assert_eq!(
        (st, code(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, "E3220"),
        "{v}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_route_sequential_or_optimised_and_reserve_nothing() {
    let s = Server::start(inputs(STOCK), 900, |_| {}).await;
    let orders = json!([
        order("B1", 28.54, 77.39, &[("TEE", 2)]),
        order("B2", 28.54, 77.39, &[("TEE", 2)])
    ]);
    let (st, v) = s
        .call(Method::POST, "/v1/batch", Some(&json!({"orders": orders})))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["mode"], "sequential");
    assert_eq!(v["decisions"][0]["shipments"][0]["node_id"], "ST-NOI");
    assert_eq!(
        v["decisions"][1]["shipments"][0]["node_id"], "WH-DEL",
        "the second sees the first's take"
    );
    assert_eq!(v["totals"]["orders"], 2);
    let body = json!({"orders": orders, "mode": "optimise", "time_limit_s": 1, "seed": 1});
    let (st, o) = s.call(Method::POST, "/v1/batch", Some(&body)).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    assert_eq!(o["mode"], "optimise");
    let cost = |p: &serde_json::Value| p["totals"]["cost_cents"].as_i64().unwrap();
    assert!(cost(&o) <= cost(&v), "{o}");
    assert_eq!(s.service.live().live_reservations(), 0);

    for (body, want, field) in [
        (json!({"orders": orders, "mode": "fast"}), "E5006", "mode"),
        (
            json!({"orders": orders, "mode": "optimise", "time_limit_s": 99}),
            "E5006",
            "time_limit_s",
        ),
        (json!({"orders": 3}), "E5006", "orders"),
        (
            json!({"orders": [order("B1", 28.5, 77.3, &[("TEE", 1)]), order("B2", 28.5, 977.3, &[("TEE", 1)])]}),
            "E1010",
            "orders[1].dest.lon",
        ),
    ] {
        let (st, v) = s.call(Method::POST, "/v1/batch", Some(&body)).await;
        assert_eq!(
            (st, code(&v)),
            (StatusCode::UNPROCESSABLE_ENTITY, want),
            "{v}"
        );
        assert_eq!(v["error"]["field"], field);
    }
    s.stop().await;
}
