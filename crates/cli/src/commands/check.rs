//! `omniroute check`: an independent check of a decisions file against its inputs and policy.

use crate::inputs::{check_paths, now, read_decisions, Batch};
use crate::{Global, EXIT_ERROR, EXIT_OK, EXIT_UNFILLED};
use omniroute_core::check_with_incoming;
use std::io::Write;

/// Arguments of `omniroute check`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute check --nodes nodes.csv --stock stock.csv --orders orders.csv --decisions decisions.csv\n\nRe-routes nothing: every shipment is re-priced from scratch and checked for stock, capacity,\nreach, SLA, split rules and cost. Pass the same --policy and --now as the route run.\nPrints one violation per line on stdout; exit 0 when clean, 1 when violations are found,\n2 on bad input."
)]
pub struct Args {
    /// The nodes, stock, policy and orders files.
    #[command(flatten)]
    pub batch: Batch,
    /// Decisions file (decisions.csv, or .parquet as `route --format parquet` writes) to check,
    /// or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub decisions: String,
    /// Reference time of the route run, for orders without `created_at` (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Checks the file and prints violations.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    check_paths(args.batch.paths().chain([args.decisions.as_str()]), None)?;
    let inputs = args.batch.load(global, now)?;
    // The reader re-prices every shipment from scratch; where the file's cost or distance
    // (3 decimals) differ it says so, and the core checker judges the rest (rules, stock,
    // capacity, promise, totals).
    let Some(file) = read_decisions(&args.decisions, &inputs, now)? else {
        return Ok(EXIT_ERROR);
    };
    let mut violations: Vec<(usize, &'static str, String)> = file
        .disagreements
        .into_iter()
        .map(|d| (d.order, "COST", d.message))
        .collect();
    let plan = file.plan;
    // The stock the batch started from, before the policy's routing-only safety stock: the
    // checker holds that back itself (a router's table has it taken off already).
    let stock = omniroute_core::StockTable::from_positions(inputs.routable_positions());
    for v in check_with_incoming(
        &plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policies.versions,
        &stock,
        &inputs.incoming(),
        now,
    ) {
        let message = v.describe(&|s| inputs.skus.name(s).to_owned());
        violations.push((v.order, v.code, message));
    }
    violations.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    violations.dedup();
    let mut out = std::io::stdout().lock();
    for (i, code, msg) in &violations {
        let id = inputs.orders.get(*i).map_or("(batch)", |o| o.id.as_str());
        writeln!(out, "{id}: {code} {msg}")?;
    }
    out.flush()?;
    if !global.quiet {
        crate::note!(
            "checked {} orders, {} shipments: {} violation(s)",
            plan.totals.orders,
            plan.totals.shipments,
            violations.len()
        );
    }
    Ok(if violations.is_empty() {
        EXIT_OK
    } else {
        EXIT_UNFILLED
    })
}
