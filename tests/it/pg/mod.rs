//! The PostgreSQL store through the built CLI, against a real server (`DATABASE_URL`; set by
//! scripts/pg-test, which scripts/test always uses). Without `DATABASE_URL` each test says so
//! loudly and passes without checking anything.

use crate::bin;
use omniroute_adapters::postgres::{create_database, PgPosition, PgStore, DATABASE_VAR};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const TOKEN: &str = "pg-test-token-0123456789";

mod restart;

/// Held for reading by every test of the database server, and for writing by the one that
/// restarts it.
static SERVER: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// A migrated database of its own for test `name` and a share of the server (no restart while
/// it is held), or `None` (said loudly) without a server.
async fn database(name: &str) -> Option<(String, tokio::sync::RwLockReadGuard<'static, ()>)> {
    let shared = SERVER.read().await;
    migrated(name).await.map(|url| (url, shared))
}

/// A migrated database of its own for test `name`, or `None` (said loudly) without a server.
async fn migrated(name: &str) -> Option<String> {
    static N: AtomicU32 = AtomicU32::new(0);
    let Ok(url) = std::env::var(DATABASE_VAR) else {
        eprintln!("\n*** SKIPPED {name}: DATABASE_URL is not set (scripts/pg-test or scripts/test set it) ***\n");
        return None;
    };
    let db = format!(
        "omniroute_it{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let url = create_database(&url, &db).await.unwrap();
    succeeds(Command::new(bin()).args(["db", "migrate", "--database", &url]));
    Some(url)
}

fn nodes() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("it/fixtures/small/nodes.csv")
        .to_string_lossy()
        .into_owned()
}

/// `omniroute db load` of the small network and `dir`'s stock.csv into the database at `url`.
fn db_load(url: &str, dir: &Path) -> Command {
    let mut load = Command::new(bin());
    load.args([
        "db",
        "load",
        "--database",
        url,
        "--nodes",
        &nodes(),
        "--stock",
    ])
    .arg(dir.join("stock.csv"));
    load
}

/// Runs `cmd`; its output, after checking it succeeded.
fn succeeds(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `omniroute db load` of the small network with `stock` (stock.csv text).
fn load(url: &str, dir: &Path, stock: &str) {
    std::fs::write(dir.join("stock.csv"), stock).unwrap();
    succeeds(&mut db_load(url, dir));
}

/// An `omniroute serve --database` process, stopped on drop.
struct Serve {
    child: Child,
    base: String,
}

impl Serve {
    async fn start(url: &str, dir: &Path) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(bin())
            .args(["serve", "--database", url, "--nodes", &nodes(), "--stock"])
            .arg(dir.join("stock.csv"))
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--threads",
                "2",
                "--quiet",
            ])
            .env("OMNIROUTE_API_TOKEN", TOKEN)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let serve = Serve {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while Client::new()
            .get(format!("{}/healthz", serve.base))
            .send()
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        serve
    }

    async fn call(&self, client: &Client, path: &str, body: Option<&Value>) -> (StatusCode, Value) {
        let req = match body {
            Some(b) => client.post(format!("{}{path}", self.base)).json(b),
            None => client.get(format!("{}{path}", self.base)),
        };
        let resp = req.bearer_auth(TOKEN).send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Units by (node, sku).
type Units = BTreeMap<(String, String), i64>;

/// The units each shipment of a decision holds.
fn held(decision: &Value) -> Units {
    let mut units = BTreeMap::new();
    for s in decision["shipments"].as_array().unwrap() {
        for l in s["lines"].as_array().unwrap() {
            let key = (
                s["node_id"].as_str().unwrap().to_owned(),
                l["sku"].as_str().unwrap().to_owned(),
            );
            *units.entry(key).or_insert(0) += l["qty"].as_i64().unwrap();
        }
    }
    units
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_serve_processes_on_one_database_never_oversell() {
    let Some((url, _shared)) = database("two_serve_processes_on_one_database_never_oversell").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Few units, many orders: every order wants a TEE and a MUG.
    let stock =
        "node_id,sku,qty\nWH-DEL,TEE,5\nST-NOI,TEE,3\nST-GGN,MUG,4\nDL-FBD,MUG,2\nST-NOI,MUG,1\n";
    load(&url, dir.path(), stock);
    let servers = std::sync::Arc::new([
        Serve::start(&url, dir.path()).await,
        Serve::start(&url, dir.path()).await,
    ]);
    let mut clients = Vec::new();
    for c in 0..8 {
        let servers = std::sync::Arc::clone(&servers);
        clients.push(tokio::spawn(async move {
            let client = Client::new();
            let mut reserved = Vec::new();
            for i in 0..6 {
                let server = &servers[(c + i) % 2];
                let order = json!({
                    "order_id": format!("C{c}-{i}"),
                    "dest": {"lat": 28.5, "lon": 77.2},
                    "created_at": "2026-11-26T04:00:00Z",
                    "lines": [{"sku": "TEE", "qty": 1}, {"sku": "MUG", "qty": 1}],
                });
                let (st, v) = server.call(&client, "/v1/orders", Some(&order)).await;
                assert_eq!(st, StatusCode::OK, "{v}");
                reserved.push((
                    v["reservation_id"].as_str().unwrap().to_owned(),
                    held(&v["decision"]),
                ));
            }
            reserved
        }));
    }
    let mut reservations = Vec::new();
    for c in clients {
        reservations.extend(c.await.unwrap());
    }
    // Every reservation id is unique across both processes.
    let mut ids: Vec<&str> = reservations.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 48);
    // Commit half of them, each through the other process than the one that made it.
    let client = Client::new();
    for (k, (id, _)) in reservations.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
        let (st, v) = servers[k % 2]
            .call(
                &client,
                &format!("/v1/reservations/{id}/commit"),
                Some(&json!({})),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
    }

    let positions = audit(&url, stock, &reservations).await;
    // Both mirrors follow the database (LISTEN/NOTIFY), whichever process made the change.
    mirrors_follow(&servers[..], &positions).await;
}

/// Checks the database's books: for every position, reserved ≤ on hand, every unit accounted
/// for, and what the decisions hold is exactly what the database holds (all or nothing).
async fn audit(url: &str, stock: &str, reservations: &[(String, Units)]) -> Vec<PgPosition> {
    let store = PgStore::connect(url, 1).await.unwrap();
    let (_, positions) = store.positions().await.unwrap();
    let initial: BTreeMap<(String, String), i64> = stock
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            ((f[0].to_owned(), f[1].to_owned()), f[2].parse().unwrap())
        })
        .collect();
    let mut promised: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (_, units) in reservations {
        for (key, q) in units {
            *promised.entry(key.clone()).or_insert(0) += q;
        }
    }
    for p in &positions {
        let key = (p.node_id.clone(), p.sku.clone());
        let (on_hand, reserved, shipped) = (
            i64::from(p.position.on_hand),
            i64::from(p.position.reserved),
            p.position.shipped as i64,
        );
        assert!(
            reserved <= on_hand,
            "{key:?}: reserved {reserved} > on hand {on_hand}"
        );
        assert_eq!(
            on_hand + shipped,
            initial[&key],
            "{key:?}: every unit accounted for"
        );
        // All or nothing: what the decisions hold is exactly what the database holds.
        assert_eq!(
            reserved + shipped,
            promised.get(&key).copied().unwrap_or(0),
            "{key:?}"
        );
    }
    let total: i64 = promised.values().sum();
    assert_eq!(
        total,
        8 + 7,
        "every unit of stock was promised once: 8 TEE and 7 MUG"
    );

    positions
}

/// Waits (up to 5 s) until each server's `GET /v1/stock` shows the database's `positions`.
async fn mirrors_follow(servers: &[Serve], positions: &[PgPosition]) {
    let client = Client::new();
    for p in positions {
        let path = format!("/v1/stock?node_id={}&sku={}", p.node_id, p.sku);
        for server in servers {
            let started = Instant::now();
            loop {
                let (_, v) = server.call(&client, &path, None).await;
                if v["on_hand"] == json!(p.position.on_hand)
                    && v["reserved"] == json!(p.position.reserved)
                {
                    break;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(5),
                    "{} lags: {v} vs {p:?}",
                    server.base
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_connection_is_caught_up_and_a_feed_goes_on_past_bad_lines() {
    let Some((url, _shared)) =
        database("a_lost_connection_is_caught_up_and_a_feed_goes_on_past_bad_lines").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    load(&url, dir.path(), "node_id,sku,qty\nWH-DEL,TEE,5\n");
    let server = Serve::start(&url, dir.path()).await;
    let client = Client::new();
    let order = |id: &str| json!({"order_id": id, "dest": {"lat": 28.6, "lon": 77.2}, "lines": [{"sku": "TEE", "qty": 1}]});
    let (st, v) = server.call(&client, "/v1/orders", Some(&order("A"))).await;
    assert_eq!(st, StatusCode::OK, "{v}");

    // Every connection of the serve process is cut, and the stock changes meanwhile.
    let cut = Command::new("psql")
        .args([&url, "-qAt", "-c", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"])
        .output()
        .unwrap();
    assert!(
        cut.status.success(),
        "{}",
        String::from_utf8_lossy(&cut.stderr)
    );
    let line = |seq: u64, op: &str, qty: i64| {
        format!("{{\"op\":\"{op}\",\"node_id\":\"WH-DEL\",\"sku\":\"TEE\",\"qty\":{qty},\"seq\":{seq},\"at\":\"2026-12-05T09:00:00Z\"}}\n")
    };
    let feed = [
        line(1, "adjust", 3),
        "{\"op\":\"adjust\",\"node_id\":\"WH-DEL\"\n".to_owned(),
        line(1, "adjust", 3),
        line(3, "ship", 2),
        line(2, "return", 1),
        line(4, "release", 5),
    ]
    .concat();
    std::fs::write(dir.path().join("feed.ndjson"), feed).unwrap();
    let out = db_load(&url, dir.path())
        .arg("--deltas")
        .arg(dir.path().join("feed.ndjson"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary,
        json!({"applied": 3, "duplicates": 1, "gaps": 1, "out_of_order": 1, "malformed": 1, "refused": 1})
    );
    for (code, line) in [("E3201", 2), ("E3210", 4), ("E3211", 5), ("E3220", 6)] {
        assert!(
            stderr.contains(&format!("feed.ndjson:{line}:")) && stderr.contains(code),
            "{code}: {stderr}"
        );
    }

    // The process reconnects, re-reads what it missed, and reserves again.
    let started = Instant::now();
    loop {
        let (_, v) = server
            .call(&client, "/v1/stock?node_id=WH-DEL&sku=TEE", None)
            .await;
        if v["on_hand"] == json!(7) && v["reserved"] == json!(1) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not caught up: {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (st, v) = server.call(&client, "/v1/orders", Some(&order("B"))).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["decision"]["shipments"][0]["node_id"], "WH-DEL");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route_reads_the_database_stock() {
    let Some((url, _shared)) = database("route_reads_the_database_stock").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    load(&url, dir.path(), "node_id,sku,qty\nWH-DEL,TEE,2\n");
    std::fs::write(
        dir.path().join("stock.csv"),
        "node_id,sku,qty\nWH-DEL,TEE,0\n",
    )
    .unwrap();
    let orders = dir.path().join("orders.csv");
    std::fs::write(
        &orders,
        "order_id,sku,qty,dest_lat,dest_lon\nO1,TEE,1,28.6,77.2\nO2,TEE,1,28.6,77.2\nO3,TEE,1,28.6,77.2\n",
    )
    .unwrap();
    let route = |database: bool| {
        let mut cmd = Command::new(bin());
        cmd.args(["route", "--quiet", "--nodes", &nodes(), "--stock"])
            .arg(dir.path().join("stock.csv"))
            .arg("--orders")
            .arg(&orders);
        if database {
            cmd.args(["--database", &url]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .matches(",WH-DEL,")
            .count()
    };
    assert_eq!(
        (route(false), route(true)),
        (0, 2),
        "the file has none, the database 2"
    );
}
