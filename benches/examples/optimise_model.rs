//! Optimise mode's model of a large batch written out for an LP solver (`benches/optimise/run.sh`),
//! with what omniroute reaches on it: the Lagrangian bound of the pricing rounds and the plan's
//! cost after the search, on the clock of a real run.
//!
//! `cargo run --release -p omniroute-benches --example optimise_model -- OUT.txt` with env
//! `OPT_ORDERS` (default 20,000), `OPT_SECONDS` (the run's time limit, default 20) and `COUNTRY` (the
//! generator's places, default US): 20 warehouses, 380 stores, 1,600 dealers, 20,000 SKUs, seed 11
//! (the comparison instance of `benches/compare/run.sh`). The model file: `items resources`, the
//! capacities, then per item its option count and per option `cost uses (resource amount)…`.
//! Prints one JSON line of figures.

use omniroute_core::{solve_assignment, OptimiseOptions, SolveOptions};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: optimise_model OUT.txt")?;
    let (inputs, orders) = omniroute_benches::comparison_instance()?;
    let seconds = omniroute_benches::env("OPT_SECONDS", 20) as u64;
    let (router, stock) = omniroute_benches::router(&inputs);
    let now = omniroute_benches::now();
    let started = Instant::now();
    let opts = OptimiseOptions {
        time_limit: Duration::from_secs(seconds),
        started: Some(started),
        ..OptimiseOptions::default()
    };
    let model = router.optimise_model(&inputs.orders, &stock, now, &opts);
    let built_s = started.elapsed().as_secs_f64();
    let p = &model.problem;
    let solution = solve_assignment(
        p,
        &SolveOptions {
            time_limit: (started + opts.time_limit).saturating_duration_since(Instant::now()),
            start: Some(vec![0; p.item_count()]),
            ..SolveOptions::default()
        },
    );
    let plan = if solution.feasible {
        solution.cost.min(model.sequential_cents)
    } else {
        model.sequential_cents
    };
    let mut text = String::new();
    writeln!(text, "{} {}", p.item_count(), p.resource_count())?;
    let caps: Vec<String> = p.resource_capacities().map(|c| c.to_string()).collect();
    writeln!(text, "{}", caps.join(" "))?;
    let mut options = 0;
    for i in 0..p.item_count() {
        write!(text, "{}", p.option_count(i))?;
        for k in 0..p.option_count(i) {
            let uses: Vec<_> = p.option_uses(i, k).collect();
            write!(text, " {} {}", p.option_cost(i, k), uses.len())?;
            for (r, a) in uses {
                write!(text, " {} {a}", r.index())?;
            }
            options += 1;
        }
        text.push('\n');
    }
    std::fs::write(&out, text)?;
    println!(
        "{{\"orders\": {orders}, \"options\": {options}, \"resources\": {}, \"seconds\": {seconds}, \
         \"model_s\": {built_s:.2}, \"total_s\": {:.2}, \"sequential\": {}, \"plan\": {plan}, \
         \"lagrangian_bound\": {}, \"options_bound\": {}}}",
        p.resource_count(),
        started.elapsed().as_secs_f64(),
        model.sequential_cents,
        model.bound_cents,
        solution.lower_bound,
    );
    Ok(())
}
