//! `POST /v1/quote` on loopback against one `omniroute route` process per order, on the embedded
//! demo (its nodes, stock, policy and orders): the server runs in-process on 127.0.0.1 (port 0,
//! `THREADS` worker threads, default 2), the clients are reqwest with keep-alive. Prints p50/p99
//! latency and orders/s with 1 and 8 concurrent clients, then the CLI's orders/s over `CLI`
//! processes (default 30, one order each, `target/release/omniroute`) and the ratio.
//!
//! ```sh
//! cargo build --release -p omniroute-cli
//! cargo run --release -p omniroute-benches --example serve_quote
//! ```
use omniroute_adapters::{demo_instance, Inputs, DEMO_POLICY};
use omniroute_benches::{env, orders};
use omniroute_server::{serve, Config, Service};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-token";
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6
}

/// `clients` tasks send `per_client` quotes each (orders taken round-robin); prints the latency
/// percentiles and returns orders/s.
async fn run(base: &str, bodies: &Arc<Vec<Vec<u8>>>, clients: usize, per_client: usize) -> f64 {
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (base, bodies) = (base.to_owned(), Arc::clone(bodies));
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut times = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    let body = bodies[(c * per_client + i) % bodies.len()].clone();
                    let t = Instant::now();
                    let r = client
                        .post(format!("{base}/v1/quote"))
                        .bearer_auth(TOKEN)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .expect("send");
                    assert!(r.status().is_success(), "{}", r.status());
                    r.bytes().await.expect("body");
                    times.push(t.elapsed());
                }
                times
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("client"));
    }
    let wall = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let per_s = all.len() as f64 / wall;
    println!(
        "/v1/quote, {clients} client(s): n {} p50 {:.0} us p99 {:.0} us, {:.0} orders/s",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        per_s
    );
    per_s
}

fn main() {
    let inst = demo_instance();
    let inputs = Inputs::demo().expect("the demo loads");
    let (header, orders) = orders(&inst.orders_csv);
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        orders
            .iter()
            .map(|(o, _)| serde_json::to_vec(o).unwrap())
            .collect(),
    );
    let threads = env("THREADS", 2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap();
    let per_client = env("N", 2000);
    let service = Arc::new(Service::new(inputs, jiff::SignedDuration::from_mins(15)));
    let best = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = Config::new(TOKEN);
        let server =
            tokio::spawn(
                async move { serve(listener, service, &config, std::future::pending()).await },
            );
        // Warm up, then measure.
        run(&base, &bodies, 1, 200).await;
        let one = run(&base, &bodies, 1, per_client).await;
        let eight = run(&base, &bodies, 8, per_client / 4).await;
        server.abort();
        one.max(eight)
    });

    // One `omniroute route` process per order, on the same files.
    let dir = std::env::temp_dir().join(format!("omniroute-serve-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("nodes.csv"), &inst.nodes_csv).unwrap();
    std::fs::write(dir.join("stock.csv"), &inst.stock_csv).unwrap();
    std::fs::write(dir.join("policy.toml"), DEMO_POLICY).unwrap();
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/omniroute");
    let n = env("CLI", 30).min(orders.len());
    for (i, (_, rows)) in orders.iter().take(n).enumerate() {
        std::fs::write(dir.join(format!("o{i}.csv")), format!("{header}\n{rows}")).unwrap();
    }
    let start = Instant::now();
    for i in 0..n {
        let status = std::process::Command::new(&bin)
            .current_dir(&dir)
            .args(["route", "--nodes", "nodes.csv", "--stock", "stock.csv"])
            .args(["--policy", "policy.toml", "--format", "json", "--quiet"])
            .args(["--orders", &format!("o{i}.csv"), "--out", "out.json"])
            .status()
            .expect("run target/release/omniroute (cargo build --release -p omniroute-cli)");
        assert!(status.code().is_some_and(|c| c <= 1), "{status}");
    }
    let per_order = start.elapsed().as_secs_f64() / n as f64;
    println!(
        "omniroute route, one process per order: n {n}, {:.1} ms per order, {:.1} orders/s",
        per_order * 1e3,
        1.0 / per_order
    );
    println!("service / one process per order: {:.0}x", best * per_order);
    let _ = std::fs::remove_dir_all(&dir);
}
