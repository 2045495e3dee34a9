//! The sequential batch on one thread and on two (issue 20, docs/design.md §9): wall and CPU time
//! of each, whether the two plans are identical decision for decision, and how many guesses the
//! last 2-thread run kept and routed again (`Plan::speculation`).
//!
//! `cargo run --release -p omniroute-benches --example batch_threads` with env `OPT_ORDERS`
//! (default 20,000), `COUNTRY` (default US) and `RUNS` (default 3, alternating; the best of each
//! is printed): 20 warehouses, 380 stores, 1,600 dealers, 20,000 SKUs, seed 11 (the comparison
//! instance of `benches/compare/run.sh`); `COUNTRY=world` routes `route_scale`'s world network
//! (24 countries, `SCALE` times the nodes, default 10) instead. CPU time is the process's user + system time from
//! `/proc/self/stat` (10 ms ticks), so it counts both threads' work.
//!
//! It also routes the batch twice at once, on two threads of their own with nothing shared but
//! the network (two one-thread batches, each with its own stock), and prints what that gives:
//! the most any 2-thread scheme could gain on this machine, where the two cores slow each other
//! down (caches, memory, the host).

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (inputs, orders) = omniroute_benches::comparison_instance()?;
    let runs = omniroute_benches::env("RUNS", 3);
    let (router, stock) = omniroute_benches::router(&inputs);
    let now = omniroute_benches::now();
    let one = router.clone().parallel(false);
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build()?;
    let mut best = [(f64::MAX, f64::MAX); 2];
    let mut plans = [None, None];
    let mut pair = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let twice = std::thread::scope(|scope| {
            let other = scope.spawn(|| one.route_sequential(&inputs.orders, &stock, now));
            let here = one.route_sequential(&inputs.orders, &stock, now);
            (here, other.join())
        });
        pair = pair.min(t.elapsed().as_secs_f64());
        let (here, Ok(other)) = twice else {
            return Err("a batch of the pair panicked".into());
        };
        if here.decisions != other.decisions {
            return Err("two one-thread batches differ".into());
        }
        for (k, slot) in best.iter_mut().enumerate() {
            let (t, c) = (Instant::now(), omniroute_benches::cpu_s());
            let plan = if k == 0 {
                one.route_sequential(&inputs.orders, &stock, now)
            } else {
                two.install(|| router.route_sequential(&inputs.orders, &stock, now))
            };
            let (wall, cpu) = (t.elapsed().as_secs_f64(), omniroute_benches::cpu_s() - c);
            *slot = (slot.0.min(wall), slot.1.min(cpu));
            plans[k] = Some(plan);
        }
    }
    let [Some(a), Some(b)] = plans else {
        return Err("no runs".into());
    };
    let same = a.decisions == b.decisions;
    if let Some(s) = b.speculation {
        println!(
            "last 2-thread run: {} guesses kept, {} stale and routed again ({} of all these \
             guesses the committer's own), {} orders routed by the committer at their turn \
             unguessed, {} routed at their turn with the worker's guess late",
            s.kept, s.rerouted, s.committer_guesses, s.at_turn, s.routed_twice
        );
    }
    println!(
        "{orders} orders, cost {} cents; 1 thread {:.3} s wall / {:.2} s CPU; 2 threads {:.3} s \
         wall / {:.2} s CPU; ratio {:.2}x wall; identical plans: {same}",
        a.totals.cost_cents,
        best[0].0,
        best[0].1,
        best[1].0,
        best[1].1,
        best[0].0 / best[1].0,
    );
    println!(
        "two one-thread batches at once, on two threads: {pair:.3} s for both; the most a \
         2-thread batch could gain here: {:.2}x",
        2.0 * best[0].0 / pair,
    );
    Ok(())
}
