//! Sequential batch throughput (docs/design.md §9): 100,000 orders on a 2,000-node network.
//!
//! Run: `cargo bench -p omniroute-benches --bench batch`. Prints orders/s, total cost, fill rate
//! and km for the sequential plan; the comparison with a pandas + scikit-learn greedy is
//! `benches/compare/run.sh`.

use omniroute_benches::network_2k;
use std::time::Instant;

fn main() {
    let t = Instant::now();
    let inputs = network_2k(100_000);
    eprintln!("generated and loaded in {:.2} s", t.elapsed().as_secs_f64());
    let (router, stock) = omniroute_benches::router(&inputs);
    let now = omniroute_benches::now();
    for (label, parallel) in [("one thread", false), ("parallel", true)] {
        let router = router.clone().parallel(parallel);
        let t = Instant::now();
        let plan = router.route_sequential(&inputs.orders, &stock, now);
        let secs = t.elapsed().as_secs_f64();
        let tot = plan.totals;
        println!(
            "sequential ({label}, {} threads): {} orders in {:.3} s = {:.0} orders/s; cost {} cents; fill rate {:.4}; {:.0} km; {} shipments",
            if parallel { rayon::current_num_threads() } else { 1 },
            tot.orders,
            secs,
            tot.orders as f64 / secs,
            tot.cost_cents,
            tot.fill_rate(),
            tot.distance_km,
            tot.shipments
        );
    }
}
