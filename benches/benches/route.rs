//! Router latency (docs/design.md §9): one 3-line order on a 10,000-node, 50,000-SKU network.
//!
//! Run: `cargo bench -p omniroute-benches --bench route`. Criterion reports the mean; the
//! `latency` group below also prints p50 / p99 over every 3-line order of the generated day,
//! each timed alone (figures and the machine they came from are in benches/README.md).

use criterion::{criterion_main, Criterion};
use omniroute_benches::{network_10k, now, three_line_orders};
use omniroute_core::Load;
use std::hint::black_box;
use std::time::Instant;

fn bench(c: &mut Criterion) {
    let inputs = network_10k(20_000);
    let (router, stock) = omniroute_benches::router(&inputs);
    let orders = three_line_orders(&inputs);
    let now = now();
    let load = Load::default();
    let mut i = 0;
    c.bench_function("route_one_3_line_order_10k_nodes", |b| {
        b.iter(|| {
            i = (i + 1) % orders.len();
            black_box(router.route(orders[i], &stock, &load, now))
        });
    });
    // Percentiles: every 3-line order, each timed alone, 5 rounds.
    let mut times: Vec<u128> = Vec::new();
    for _ in 0..5 {
        for o in &orders {
            let t = Instant::now();
            black_box(router.route(o, &stock, &load, now));
            times.push(t.elapsed().as_nanos());
        }
    }
    times.sort_unstable();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize] as f64 / 1000.0;
    println!(
        "route 3-line order, 10,000 nodes, 50,000 SKUs: {} samples, p50 {:.2} µs, p90 {:.2} µs, p99 {:.2} µs, max {:.2} µs",
        times.len(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
}

#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::bench);
}
use group::benches;
criterion_main!(benches);
