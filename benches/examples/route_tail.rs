//! Which orders make the router's tail, and why: the *route* bench's instance (10,000 nodes,
//! 50,000 SKUs, every 3-line order of a generated day), each order routed `ROUNDS` times (default
//! 5) against the day's starting stock; prints p50/p90/p99/max of each order's best time, then
//! the `SHOW` slowest (default 30) with their posting sizes, candidates and reasons.
//!
//! ```sh
//! cargo run --release -p omniroute-benches --example route_tail
//! ORDER=ORD-0002892 ITER=100000 cargo run --release -p omniroute-benches --example route_tail  # one order (or several, comma-separated, in turn), repeated (for perf)
//! ```
//!
//! With `ORDER`, `ITER` (default 200,000) is the number of rounds of all the orders given, and
//! the average time per route is printed; the ids of the slowest are the second column of the
//! default run's list.
//!
//! ```sh
//! SLOW=50 cargo run --release -p omniroute-benches --example route_tail  # the 50 slowest, in turn, cold
//! ```
use omniroute_benches::{network_10k, now, three_line_orders};
use omniroute_core::{CandidateOutcome, Load};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let inputs = network_10k(20_000);
    let (router, stock) = omniroute_benches::router(&inputs);
    let orders = three_line_orders(&inputs);
    let now = now();
    let load = Load::default();
    if let Ok(ids) = std::env::var("ORDER") {
        let find = |id: &str| orders.iter().find(|o| o.id == id.trim());
        let picked: Vec<_> = (ids.split(','))
            .map(|id| find(id).unwrap_or_else(|| panic!("no order {id}")))
            .collect();
        let t = Instant::now();
        let iters: u32 =
            (std::env::var("ITER").ok().and_then(|s| s.parse().ok())).unwrap_or(200_000);
        for _ in 0..iters {
            for o in &picked {
                black_box(router.route(o, &stock, &load, now));
            }
        }
        println!(
            "{:.2} us",
            t.elapsed().as_secs_f64() * 1e6 / f64::from(iters) / picked.len() as f64
        );
        return;
    }
    let mut best = vec![u128::MAX; orders.len()];
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    for _ in 0..rounds {
        for (i, o) in orders.iter().enumerate() {
            let t = Instant::now();
            black_box(router.route(o, &stock, &load, now));
            best[i] = best[i].min(t.elapsed().as_nanos());
        }
    }
    let mut idx: Vec<usize> = (0..orders.len()).collect();
    idx.sort_by_key(|&i| best[i]);
    let n = idx.len();
    let pct = |p: f64| best[idx[((n - 1) as f64 * p) as usize]] as f64 / 1000.0;
    println!(
        "n {n} p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0)
    );
    if let Ok(k) = std::env::var("SLOW") {
        // The k slowest, each timed right after routing 8 other orders (untimed), so its data is
        // as cold as in the bench's rounds.
        let k: usize = k.parse().unwrap();
        let slow: Vec<_> = idx.iter().rev().take(k).map(|&i| orders[i]).collect();
        let (mut spent, mut other) = (0u128, 0);
        let reps = 400;
        for _ in 0..reps {
            for o in &slow {
                for _ in 0..8 {
                    other = (other + 97) % orders.len();
                    black_box(router.route(orders[other], &stock, &load, now));
                }
                let t = Instant::now();
                black_box(router.route(o, &stock, &load, now));
                spent += t.elapsed().as_nanos();
            }
        }
        println!(
            "slow {k}: {:.2} us per route (each after 8 other orders)",
            spent as f64 / 1000.0 / (reps * k) as f64
        );
        return;
    }
    let show = std::env::var("SHOW")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    for &i in idx.iter().rev().take(show) {
        let o = orders[i];
        let d = router.route(o, &stock, &load, now);
        let post: Vec<usize> = o.lines.iter().map(|l| stock.holders(l.sku).len()).collect();
        let mut priced = 0;
        let mut reasons = std::collections::BTreeMap::new();
        for c in &d.candidates {
            match c.outcome {
                CandidateOutcome::Priced { .. } => priced += 1,
                CandidateOutcome::Filtered(r) => *reasons.entry(r.code()).or_insert(0) += 1,
            }
        }
        let far = d
            .candidates
            .iter()
            .map(|c| c.distance_km)
            .fold(0.0, f64::max);
        println!(
            "{:>8.1}us {} lvl {} post {:?} cand {} priced {} far {:.0} ship {} unf {:?} cost {} {:?}",
            best[i] as f64 / 1000.0, o.id, o.service_level.0, post, d.candidates.len(), priced, far,
            d.shipments.len(), d.unfilled.iter().map(|u| u.reason.code()).collect::<Vec<_>>(),
            d.cost_cents(), reasons
        );
    }
}
