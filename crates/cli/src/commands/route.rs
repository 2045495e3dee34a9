//! `omniroute route`: a batch in arrival order (sequential) or optimised as a whole (docs/design.md §5),
//! written as decisions.csv, JSON, NDJSON or Parquet.

use crate::failure::Failure;
use crate::inputs::{check_paths, now, Batch};
use crate::plan_out::{self, Format};
use crate::{progress, Global};
use anyhow::Context;
use omniroute_core::codes::InputCode;
use omniroute_core::{money_text, Currency};
use omniroute_core::{OptimiseOptions, Plan, Router};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How the batch is routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeArg {
    /// Orders in arrival order, each against the stock the earlier ones left (what an OMS does).
    Sequential,
    /// One plan for the whole batch, never worse than sequential, with a proven lower bound.
    Optimise,
}

/// Arguments of `omniroute route`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute route --nodes nodes.csv --stock stock.csv --orders orders.csv --out decisions.csv\n  omniroute route --nodes nodes.parquet --stock stock.parquet --orders orders.parquet --format parquet --out decisions.parquet\n  omniroute route --nodes nodes.csv --stock stock.csv --orders orders.csv --mode optimise --time-limit 5 --out decisions.csv\n  omniroute gen --out day && cat day/orders.csv | omniroute route --nodes day/nodes.csv --stock day/stock.csv --orders - --format ndjson\n\nWith --mode optimise, stderr shows the sequential and optimised cost, the saving, the lower bound\nand the gap; --format json carries them too. For the same plan on every run and machine, give\n--iterations (and --threads 1 to use one core).\n\nExit 0 when every line is routed, 1 when some are unfilled, 2 on bad input or an I/O error."
)]
pub struct Args {
    /// The nodes, stock, policy and orders files.
    #[command(flatten)]
    pub batch: Batch,
    /// Where to write the decisions [default: stdout].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Reference time for orders without `created_at` (RFC 3339) [default: the current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Sequential (arrival order) or optimise (the whole batch at once).
    #[arg(long, value_enum, default_value_t = ModeArg::Sequential)]
    pub mode: ModeArg,
    /// Optimise: wall-clock deadline of the whole run, in seconds [default: 10].
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub time_limit: Option<Duration>,
    /// Optimise: seed of the search [default: 0].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Optimise: moves per search run, a cap besides --time-limit; a run that ends within the
    /// time limit no longer depends on the machine's speed.
    #[arg(long, value_name = "N")]
    pub iterations: Option<u64>,
    /// Threads to route, optimise and write the decisions with; 1 does all of that on one thread
    /// (the input files are read on every core) [default: every core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Route against the stock of this PostgreSQL database (docs/postgres.md) instead of the
    /// stock file's (which is still read and checked); nothing is reserved.
    #[cfg(feature = "postgres")]
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

/// Parses `--time-limit`: seconds, a finite number ≥ 0.
fn seconds(s: &str) -> Result<Duration, String> {
    let x: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(x).map_err(|_| format!("`{s}` is not 0 or more finite seconds"))
}

/// Sets up rayon's global pool for `--threads N`; true when the batch routes in parallel (not
/// for `--threads 1`, which also leaves writing the decisions to one thread).
fn threads(n: Option<u16>) -> anyhow::Result<bool> {
    let Some(n) = n else { return Ok(true) };
    rayon::ThreadPoolBuilder::new()
        .num_threads(usize::from(n))
        .build_global()
        .context("cannot start the thread pool")?;
    Ok(n > 1)
}

/// Routes the batch and writes the decisions.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    if args.mode == ModeArg::Sequential {
        for (given, flag) in [
            (args.time_limit.is_some(), "--time-limit"),
            (args.seed.is_some(), "--seed"),
            (args.iterations.is_some(), "--iterations"),
        ] {
            if given {
                return Err(Failure::new(
                    InputCode::CommandLine.id(),
                    format!("{flag} applies to --mode optimise only"),
                    "add --mode optimise, or drop the flag",
                )
                .into());
            }
        }
    }
    plan_out::check_target(args.out.as_deref(), args.format)?;
    check_paths(args.batch.paths(), args.out.as_deref())?;
    let parallel = threads(args.threads)?;
    #[allow(unused_mut)]
    let mut inputs = args.batch.load(global, now)?;
    #[cfg(feature = "postgres")]
    if let Some(url) = &args.database {
        crate::commands::db::stock_from_database(&mut inputs, url)?;
    }
    let router =
        Router::versioned(inputs.network.clone(), &inputs.policies.versions).parallel(parallel);
    let stock = router.stock_table(inputs.routable_positions());
    let start = Instant::now();
    let sequential = progress::route_sequential(&router, &inputs.orders, &stock, now, global);
    let (plan, sequential) = match args.mode {
        ModeArg::Sequential => (sequential, None),
        ModeArg::Optimise => {
            let opts = OptimiseOptions {
                time_limit: args.time_limit.unwrap_or(Duration::from_secs(10)),
                iteration_limit: args.iterations,
                started: Some(start),
                seed: args.seed.unwrap_or(0),
                single_thread: !parallel,
            };
            if !global.quiet && global.verbose > 0 {
                crate::note!(
                    "optimising for up to {:.1} s",
                    opts.time_limit.as_secs_f64()
                );
            }
            let cost = sequential.totals.cost_cents;
            let plan = progress::optimise(
                &router,
                &inputs.orders,
                &stock,
                now,
                &opts,
                sequential,
                global,
            );
            (plan, Some(cost))
        }
    };
    // Lines stock on hand left unfilled, promised from incoming stock (`[incoming] promise`).
    let plan = router.promise_incoming(&inputs.orders, plan, &inputs.incoming(), now);
    let elapsed = start.elapsed();
    let code = plan_out::exit_code(&plan);
    let head = json!({
        "mode": if sequential.is_some() { "optimise" } else { "sequential" },
        "totals": omniroute_adapters::totals_json(&plan.totals),
        "sequential_cost_cents": sequential.unwrap_or(plan.totals.cost_cents),
        "bound_cents": plan.bound_cents,
        "gap": plan.gap(),
        "currency": inputs.policies.versions.earliest().currency.map(|c| c.to_string()),
    });
    if !plan_out::write_or_closed(args.out.as_deref(), args.format, &inputs, &plan, &head)? {
        return Ok(code);
    }
    if !global.quiet {
        summary(
            &plan,
            sequential,
            inputs.policies.versions.earliest().currency,
        );
        crate::unfilled::note(&plan, &inputs.orders, args.now.is_some());
        if global.verbose > 0 {
            crate::note!("routing took {:.3} s", elapsed.as_secs_f64());
        }
    }
    Ok(code)
}

/// The run's figures on stderr; with optimise, the comparison with sequential and the bound.
fn summary(plan: &Plan, sequential_cents: Option<i64>, currency: Option<Currency>) {
    let t = &plan.totals;
    crate::note!(
        "routed {} orders ({} complete): fill rate {:.2} %, {} shipments, {:.1} km, cost {}",
        t.orders,
        t.orders_complete,
        t.fill_rate() * 100.0,
        t.shipments,
        t.distance_km,
        money_text(t.cost_cents, currency),
    );
    if let (Some(seq), Some(bound), Some(gap)) = (sequential_cents, plan.bound_cents, plan.gap()) {
        let saving = if seq == 0 {
            0.0
        } else {
            (seq - t.cost_cents) as f64 / seq as f64 * 100.0
        };
        crate::note!(
            "optimise: sequential {}, optimised {}, saving {saving:.2} %; lower bound {}, gap {:.2} %",
            money_text(seq, currency),
            money_text(t.cost_cents, currency),
            money_text(bound, currency),
            gap * 100.0,
        );
    }
}
