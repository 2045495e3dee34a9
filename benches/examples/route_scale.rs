//! Where a routed order's time goes as the network grows (issue 20): the same batch shape on
//! the 2,000-node comparison network (US) and on a 20,000-node network spread over many
//! countries, routed in arrival order on one thread against the day's stock (as `omniroute
//! route` does, without reading files), then counted from the decisions: how many nodes each
//! order weighed (`Decision::candidates`: every node the search priced or filtered), how many of
//! those it priced, how far the farthest was, what filtered the rest, and why lines went
//! unfilled.
//!
//! ```sh
//! cargo run --release -p omniroute-benches --example route_scale
//! ORDERS=5000 SCALE=10 cargo run --release -p omniroute-benches --example route_scale
//! ```
//!
//! `ORDERS` (default 20,000) orders each; `SCALE` (default 10) multiplies the 2,000-node shape
//! (20 warehouses, 380 stores, 1,600 dealers; 20,000 SKUs) for the big network; `COUNTRIES`
//! (comma-separated ISO codes, default 24 countries on every continent) places it; `ONLY=US` or
//! `ONLY=world` runs one of the two.
use omniroute_adapters::{generate, Inputs};
use omniroute_benches::{cpu_s, env, now, places, router, scaled_config, WORLD};
use omniroute_core::CandidateOutcome;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orders = u32::try_from(env("ORDERS", 20_000))?;
    let scale = u32::try_from(env("SCALE", 10))?;
    let us = places("US")?;
    let world = places(&std::env::var("COUNTRIES").unwrap_or_else(|_| WORLD.into()))?;
    let only = std::env::var("ONLY").unwrap_or_default();
    for (name, cities, scale) in [("US", us, 1), ("world", world, scale)] {
        if !only.is_empty() && only != name {
            continue;
        }
        let inputs =
            Inputs::from_instance("bench", &generate(&cities, &scaled_config(scale, orders)))?;
        report(name, &inputs);
    }
    Ok(())
}

fn report(name: &str, inputs: &Inputs) {
    let (router, stock) = router(inputs);
    let one = router.parallel(false);
    let (started, cpu) = (Instant::now(), cpu_s());
    let plan = one.route_sequential(&inputs.orders, &stock, now());
    let (secs, cpu) = (started.elapsed().as_secs_f64(), cpu_s() - cpu);
    let n = plan.decisions.len().max(1);
    let skus = inputs.skus.len().max(1);
    let mut holders: Vec<usize> = inputs
        .orders
        .iter()
        .flat_map(|o| o.lines.iter().map(|l| stock.holders(l.sku).len()))
        .collect();
    let mut weighed: Vec<usize> = plan.decisions.iter().map(|d| d.candidates.len()).collect();
    let (mut priced, mut filtered) = (0usize, BTreeMap::new());
    let mut far: Vec<f64> = Vec::with_capacity(n);
    let mut unfilled = BTreeMap::new();
    for d in &plan.decisions {
        for c in &d.candidates {
            match c.outcome {
                CandidateOutcome::Priced { .. } => priced += 1,
                CandidateOutcome::Filtered(r) => *filtered.entry(r.code()).or_insert(0usize) += 1,
            }
        }
        far.push(
            d.candidates
                .iter()
                .map(|c| c.distance_km)
                .fold(0.0, f64::max),
        );
        for u in &d.unfilled {
            *unfilled.entry(u.reason.code()).or_insert(0usize) += 1;
        }
    }
    let total: usize = weighed.iter().sum();
    println!(
        "{name}: {} nodes, {} positions ({:.0} holders per SKU, {:.1} per 1,000 nodes), {n} orders",
        inputs.network.len(),
        inputs.stock.len(),
        inputs.stock.len() as f64 / skus as f64,
        inputs.stock.len() as f64 / skus as f64 * 1000.0 / inputs.network.len() as f64,
    );
    println!(
        "  routed in {secs:.3} s on one thread ({cpu:.2} s CPU): {:.1} us per order ({:.1} us \
         CPU); cost {} cents; fill {:.2} %",
        secs * 1e6 / n as f64,
        cpu * 1e6 / n as f64,
        plan.totals.cost_cents,
        100.0 * plan.totals.units_filled as f64 / plan.totals.units_ordered.max(1) as f64
    );
    println!(
        "  holders of an ordered line's SKU: p50 {} p99 {}; nodes weighed per order: mean {:.1} \
         p50 {} p99 {} max {}; priced {:.1} % of them",
        pct(&mut holders, 0.5),
        pct(&mut holders, 0.99),
        total as f64 / n as f64,
        pct(&mut weighed, 0.5),
        pct(&mut weighed, 0.99),
        pct(&mut weighed, 1.0),
        100.0 * priced as f64 / total.max(1) as f64
    );
    far.sort_by(f64::total_cmp);
    println!(
        "  farthest node weighed: p50 {:.0} km, p99 {:.0} km",
        far[far.len() / 2],
        far[(far.len() - 1) * 99 / 100]
    );
    println!("  filtered nodes by reason: {filtered:?}");
    println!("  unfilled lines by reason: {unfilled:?}");
}

fn pct(v: &mut [usize], p: f64) -> usize {
    v.sort_unstable();
    v.get(((v.len().max(1) - 1) as f64 * p) as usize)
        .copied()
        .unwrap_or(0)
}
