//! The whole process's two steps around routing (issue 20): building the router's stock table
//! from the positions (`Router::stock_table`) and writing decisions.csv (`write_decisions`, into
//! memory), each timed 15 times on 1 and on 2 threads; the best wall time and the best CPU time
//! of all the process's threads are printed.
//!
//! ```sh
//! cargo run --release -p omniroute-benches --example build_write
//! SCALE=10 COUNTRIES=US,CA,GB,DE,IN,CN,JP,AU ORDERS=100000 cargo run --release -p omniroute-benches --example build_write
//! ```
//!
//! `ORDERS` (default 20,000) orders; `SCALE` (default 1) times the 2,000-node comparison shape;
//! `COUNTRIES` (default IN, as `benches/compare/run.sh`) places it.
use omniroute_adapters::{generate, write_decisions, Inputs};
use omniroute_benches::{env, now, places, scaled_config};
use omniroute_core::Router;
use std::collections::HashMap;
use std::time::Instant;

/// Rounds per step and thread count.
const ROUNDS: usize = 15;

/// Nanoseconds on CPU per thread of the process, from each thread's schedstat (the clock-tick
/// figures of /proc/self/stat are too coarse for steps of a few ms).
fn cpu_ns() -> HashMap<String, u64> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return HashMap::new();
    };
    tasks
        .flatten()
        .filter_map(|t| {
            let s = std::fs::read_to_string(t.path().join("schedstat")).ok()?;
            let ns = s.split_whitespace().next()?.parse().ok()?;
            Some((t.file_name().to_string_lossy().into_owned(), ns))
        })
        .collect()
}

/// CPU seconds the threads alive at the end spent since `before`.
fn cpu_since(before: &HashMap<String, u64>) -> f64 {
    let spent: u64 = cpu_ns()
        .iter()
        .map(|(t, &ns)| ns - before.get(t).copied().unwrap_or(0).min(ns))
        .sum();
    spent as f64 * 1e-9
}

/// The best wall and CPU seconds of `ROUNDS` runs of `step` in `pool`.
fn best<T: Send>(pool: &rayon::ThreadPool, mut step: impl FnMut() -> T + Send) -> (f64, f64) {
    let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        let (t, c) = (Instant::now(), cpu_ns());
        std::hint::black_box(pool.install(&mut step));
        wall = wall.min(t.elapsed().as_secs_f64());
        cpu = cpu.min(cpu_since(&c));
    }
    (wall, cpu)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orders = u32::try_from(env("ORDERS", 20_000))?;
    let scale = u32::try_from(env("SCALE", 1))?;
    let cities = places(&std::env::var("COUNTRIES").unwrap_or_else(|_| "IN".into()))?;
    let inputs = Inputs::from_instance("bench", &generate(&cities, &scaled_config(scale, orders)))?;
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let plan = router.route_sequential(&inputs.orders, &stock, now());
    println!(
        "{} nodes, {} positions, {} orders",
        inputs.network.len(),
        inputs.stock.rows().len(),
        orders
    );
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let r = router.clone().parallel(threads > 1);
        let (sw, sc) = best(&pool, || r.stock_table(inputs.routable_positions()));
        let (ww, wc) = best(&pool, || {
            let mut out = Vec::with_capacity(8 << 20);
            write_decisions(
                &mut out,
                &inputs.orders,
                &plan,
                &inputs.network,
                &inputs.skus,
            )
            .map(|()| out)
        });
        println!(
            "{threads} thread(s): stock table {:.1} ms wall, {:.1} ms CPU; decisions.csv {:.1} ms wall, {:.1} ms CPU",
            sw * 1e3,
            sc * 1e3,
            ww * 1e3,
            wc * 1e3
        );
    }
    Ok(())
}
