//! `omniroute serve` through real HTTP: the server runs in-process on 127.0.0.1 (port 0), the
//! client is reqwest; nothing is mocked.

mod dealer_parts;
mod dealers;
mod endpoints;
mod kpis;
mod race;
mod state;

use omniroute_adapters::{Inputs, Source};
use omniroute_server::{serve, Config, Service};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "test-token-0123456789";

/// The small fixture's nodes with `stock` (stock.csv text).
pub fn inputs(stock: &str) -> Inputs {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("it/fixtures/small");
    let nodes = Source::open(dir.join("nodes.csv").to_str().unwrap()).unwrap();
    Inputs::load(
        &nodes.into(),
        &Source::text("stock.csv", stock).into(),
        None,
        &[],
    )
    .unwrap()
}

/// A running server and a client for it.
pub struct Server {
    pub base: String,
    pub client: Client,
    pub service: Arc<Service>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// Starts a server over `inputs` with reservations living `ttl_s` seconds.
    pub async fn start(inputs: Inputs, ttl_s: i64, config: impl FnOnce(&mut Config)) -> Self {
        let service = Arc::new(Service::new(inputs, jiff::SignedDuration::from_secs(ttl_s)));
        let mut cfg = Config::new(TOKEN);
        config(&mut cfg);
        Self::serving(service, cfg).await
    }

    /// Serves `service` with `cfg` on a free loopback port.
    pub async fn serving(service: Arc<Service>, cfg: Config) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let s = Arc::clone(&service);
        let done = tokio::spawn(async move {
            serve(listener, s, &cfg, async {
                let _ = stopped.await;
            })
            .await
        });
        Server {
            base,
            client: Client::new(),
            service,
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// A request with the right token.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        self.call_with(method, path, body, Some(TOKEN)).await
    }

    /// A request with `token` (or none).
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// POST with a raw body.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let done = self.done.take().unwrap();
        tokio::time::timeout(Duration::from_secs(10), done)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
    }
}

/// An order to the destination with `lines` of (sku, qty).
pub fn order(id: &str, lat: f64, lon: f64, lines: &[(&str, u32)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(sku, qty)| json!({"sku": sku, "qty": qty}))
        .collect();
    json!({
        "order_id": id,
        "dest": {"lat": lat, "lon": lon},
        "created_at": "2026-11-26T04:00:00Z",
        "lines": lines,
    })
}

/// The error code of an error body.
pub fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}
