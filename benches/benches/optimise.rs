//! Optimise mode on the batch instance (issue 5): sequential plan vs optimised plan and its
//! proven gap, on the same generated 2,000-node network.
//!
//! Run: `cargo bench -p omniroute-benches --bench optimise` (env `OPT_ORDERS`, default 100,000;
//! `OPT_SECONDS`, the assignment solve's time limit, default 60).

use omniroute_benches::network_2k;
use omniroute_core::{Mode, OptimiseOptions};
use std::time::{Duration, Instant};

fn main() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let orders = env("OPT_ORDERS", 100_000) as u32;
    let seconds = env("OPT_SECONDS", 60);
    let inputs = network_2k(orders);
    let (router, stock) = omniroute_benches::router(&inputs);
    let now = omniroute_benches::now();
    let t = Instant::now();
    let seq = router.route_batch(&inputs.orders, &stock, now, &Mode::Sequential);
    let seq_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let opts = OptimiseOptions {
        time_limit: Duration::from_secs(seconds),
        ..OptimiseOptions::default()
    };
    let plan = router.route_batch(&inputs.orders, &stock, now, &Mode::Optimise(opts));
    let opt_s = t.elapsed().as_secs_f64();
    let violations = omniroute_core::check(
        &plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policies.versions,
        &stock,
        now,
    );
    let (s, o) = (seq.totals, plan.totals);
    println!("orders: {}", s.orders);
    println!(
        "sequential: cost {} cents, fill rate {:.4}, {:.0} km, {} shipments, {:.1} s",
        s.cost_cents,
        s.fill_rate(),
        s.distance_km,
        s.shipments,
        seq_s
    );
    println!(
        "optimise:   cost {} cents, fill rate {:.4}, {:.0} km, {} shipments, {:.1} s (solve limit {} s)",
        o.cost_cents, o.fill_rate(), o.distance_km, o.shipments, opt_s, seconds
    );
    println!(
        "saving {:.3} % of the sequential cost; lower bound {} cents; gap {:.3} %; checker: {} violation(s)",
        100.0 * (s.cost_cents - o.cost_cents) as f64 / s.cost_cents as f64,
        plan.bound_cents.unwrap_or(0),
        100.0 * plan.gap().unwrap_or(f64::NAN),
        violations.len()
    );
}
