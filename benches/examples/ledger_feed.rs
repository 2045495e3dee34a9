//! The live inventory's throughput (issue 17), on the embedded demo network:
//!
//! 1. stock feed events applied per second in memory: a generated NDJSON delta stream read by
//!    the feed reader and applied event by event to the live ledger (as `omniroute watch`);
//! 2. the same events through PostgreSQL (`PgStore::apply`, as `omniroute db load --deltas`),
//!    one event per transaction and 100 per transaction;
//! 3. reservations per second (`POST /v1/orders`) with one and with two `omniroute serve
//!    --database` processes on one database, 8 concurrent clients spread over them.
//!
//! Parts 2 and 3 need a server: run it under scripts/pg-test, which starts a throwaway one and
//! sets `DATABASE_URL`, after building the release CLI:
//!
//! ```sh
//! cargo build --release -p omniroute-cli
//! scripts/pg-test cargo run --release -p omniroute-benches --example ledger_feed
//! ```
//!
//! `OMNIROUTE_BIN=path` runs part 3 with another build of the CLI; `EVENTS`, `PG_EVENTS` and `N`
//! (orders per client) size the parts.
use omniroute_adapters::postgres::{create_database, PgEvent, PgStore, DATABASE_VAR};
use omniroute_adapters::{demo_instance, FeedReader, Inputs, DEMO_POLICY};
use omniroute_benches::{env, orders};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-token-0123456789";

/// `n` adjust events over the stock's positions in turn, +1 and -1 alternating so stock never
/// runs out, each node's `seq` counting from 1.
fn feed(inputs: &Inputs, n: usize) -> String {
    let mut seq = vec![0u64; inputs.network.len()];
    let mut text = String::with_capacity(n * 90);
    for i in 0..n {
        let r = &inputs.stock.rows()[i % inputs.stock.len()];
        seq[r.node.0 as usize] += 1;
        let qty = if (i / inputs.stock.len()).is_multiple_of(2) {
            1
        } else {
            -1
        };
        let _ = writeln!(
            text,
            "{{\"op\":\"adjust\",\"node_id\":\"{}\",\"sku\":\"{}\",\"qty\":{qty},\"seq\":{}}}",
            inputs.network.node(r.node).id,
            inputs.skus.name(r.sku),
            seq[r.node.0 as usize]
        );
    }
    text
}

fn per_second(n: usize, t: Duration) -> String {
    format!(
        "{:.0}/s ({n} in {:.2} s)",
        n as f64 / t.as_secs_f64(),
        t.as_secs_f64()
    )
}

fn main() {
    let mut inputs = Inputs::demo().expect("the demo loads");
    let n = env("EVENTS", 200_000);
    let text = feed(&inputs, n);

    // 1. In memory.
    let live = inputs.live_stock();
    let network = Arc::clone(&inputs.network);
    let mut skus = inputs.skus.clone();
    let started = Instant::now();
    let mut events = Vec::with_capacity(n);
    for read in FeedReader::new(text.as_bytes(), "feed.ndjson", &network) {
        let event = read.expect("a valid event");
        let change =
            event.change_under(&mut skus, &inputs.policies.versions, jiff::Timestamp::now());
        live.apply_changes(std::slice::from_ref(&change))
            .expect("applied");
        events.push(PgEvent {
            change,
            node_id: network.node(event.node).id.clone(),
            sku: event.sku.clone(),
            at: event.at,
        });
    }
    println!(
        "feed in memory (read + apply, one by one): {}",
        per_second(n, started.elapsed())
    );

    let Ok(url) = std::env::var(DATABASE_VAR) else {
        println!("DATABASE_URL is not set: run under scripts/pg-test for the PostgreSQL parts");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Plenty of stock, so every reservation takes units.
    let stock: Vec<_> = inputs
        .stock
        .records()
        .map(|mut r| {
            r.on_hand = r.on_hand.saturating_mul(1000).max(1000);
            r
        })
        .collect();
    inputs.stock = stock.iter().copied().collect();
    let url = runtime.block_on(async {
        let url = create_database(&url, &format!("omniroute_bench_{}", std::process::id()))
            .await
            .unwrap();
        let store = PgStore::connect(&url, 1).await.unwrap();
        store.migrate().await.unwrap();
        store
            .load(&inputs.network, &inputs.skus, &stock)
            .await
            .unwrap();

        // 2. Through PostgreSQL.
        let one = env("PG_EVENTS", 5_000).min(n);
        let started = Instant::now();
        for e in &events[..one] {
            store.apply(std::slice::from_ref(e)).await.unwrap();
        }
        println!(
            "feed through PostgreSQL, 1 event per transaction: {}",
            per_second(one, started.elapsed())
        );
        let batched = (one * 10).min(n - one);
        let started = Instant::now();
        for chunk in events[one..one + batched].chunks(100) {
            store.apply(chunk).await.unwrap();
        }
        println!(
            "feed through PostgreSQL, 100 events per transaction: {}",
            per_second(batched, started.elapsed())
        );
        url
    });

    // 3. Reservations through serve processes.
    let dir = std::env::temp_dir().join(format!("omniroute-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inst = demo_instance();
    std::fs::write(dir.join("nodes.csv"), &inst.nodes_csv).unwrap();
    std::fs::write(dir.join("stock.csv"), &inst.stock_csv).unwrap();
    std::fs::write(dir.join("policy.toml"), DEMO_POLICY).unwrap();
    let bodies: Arc<Vec<Value>> = Arc::new(
        orders(&inst.orders_csv)
            .1
            .into_iter()
            .map(|(o, _)| o)
            .collect(),
    );
    let per_client = env("N", 300);
    for processes in [1, 2] {
        let servers: Vec<Serve> = (0..processes).map(|_| Serve::start(&url, &dir)).collect();
        let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
        let (ok, t) = runtime.block_on(reserve(&bases, &bodies, 8, per_client, processes));
        println!(
            "POST /v1/orders, {processes} serve process(es), 8 clients: {}",
            per_second(ok, t)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// `clients` tasks reserve `per_client` orders each (unique ids per run), client `c` on server
/// `c % servers`; returns the reservations made and the wall time.
async fn reserve(
    bases: &[String],
    bodies: &Arc<Vec<Value>>,
    clients: usize,
    per_client: usize,
    run: usize,
) -> (usize, Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (base, bodies) = (bases[c % bases.len()].clone(), Arc::clone(bodies));
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut ok = 0;
                for i in 0..per_client {
                    let mut body = bodies[(c * per_client + i) % bodies.len()].clone();
                    body["order_id"] = format!("R{run}-{c}-{i}").into();
                    let r = client
                        .post(format!("{base}/v1/orders"))
                        .bearer_auth(TOKEN)
                        .json(&body)
                        .send()
                        .await
                        .expect("send");
                    let status = r.status();
                    let text = r.text().await.expect("body");
                    assert!(status.is_success(), "{status}: {text}");
                    ok += 1;
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += t.await.expect("client");
    }
    (ok, started.elapsed())
}

/// An `omniroute serve --database` process (the release build), stopped on drop.
struct Serve {
    child: Child,
    base: String,
}

impl Serve {
    fn start(url: &str, dir: &Path) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // `OMNIROUTE_BIN` names another build (to compare two in one sitting).
        let bin = std::env::var_os("OMNIROUTE_BIN").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/omniroute"),
            PathBuf::from,
        );
        let child = Command::new(&bin)
            .args([
                "serve",
                "--database",
                url,
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .arg("--nodes")
            .arg(dir.join("nodes.csv"))
            .arg("--stock")
            .arg(dir.join("stock.csv"))
            .arg("--policy")
            .arg(dir.join("policy.toml"))
            .args(["--threads", "2", "--quiet"])
            .env("OMNIROUTE_API_TOKEN", TOKEN)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (cargo build --release -p omniroute-cli)",
                    bin.display()
                )
            });
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_mins(1),
                "serve did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Serve { child, base }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
