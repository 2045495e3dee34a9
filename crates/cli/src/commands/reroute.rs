//! `omniroute reroute`: apply events (node down/up, dealer rejected or timed out, stock
//! correction or arrival) to a plan, moving only the orders that must or can gain (docs/design.md §5).

use crate::failure::Failure;
use crate::inputs::{
    check_paths, load, now, print_reroute_error, read_decisions, read_events_file, Files,
};
use crate::output::amount;
use crate::plan_out::{self, Format};
use crate::{Global, EXIT_ERROR};
use jiff::Timestamp;
use omniroute_adapters::Inputs;
use omniroute_core::codes::InputCode;
use omniroute_core::Currency;
use omniroute_core::{check_with_incoming, Plan, PlanTotals, Router, StockTable};
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `omniroute reroute`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  printf '{\"type\":\"node_down\",\"node_id\":\"WH-DEL-01\"}\\n' > events.ndjson\n  omniroute reroute --nodes nodes.csv --stock stock.csv --orders orders.csv --plan decisions.csv --events events.ndjson --out new-decisions.csv\n\nEvents, one JSON object per line (docs/formats.md): node_down, node_up (node_id);\ndealer_rejected, dealer_timed_out, dealer_accepted (order_id, node_id); stock_correction\n(node_id, sku, routable); stock_arrival (node_id, sku, qty). Pass the same --policy and --now as\nthe route run.\nWrites the new decisions; prints before/after cost, km and fill rate, the moved orders and the\nreview queue on stderr. Exit 0 when every line is routed, 1 when some are unfilled, 2 on bad\ninput or an I/O error."
)]
pub struct Args {
    /// The nodes, stock and policy files of the route run.
    #[command(flatten)]
    pub files: Files,
    /// Orders file (orders.csv, or .parquet) of the route run, or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub orders: String,
    /// The plan: decisions.csv (or .parquet) written by `omniroute route`, or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub plan: String,
    /// Events file (NDJSON, one event per line), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub events: String,
    /// Where to write the new decisions [default: stdout].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Reference time of the route run, for orders without `created_at` (RFC 3339) [default: the
    /// current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Re-routes the plan after the events and writes the new decisions.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    plan_out::check_target(args.out.as_deref(), args.format)?;
    let inputs = args
        .files
        .paths()
        .chain([args.orders.as_str(), &args.plan, &args.events]);
    check_paths(inputs, args.out.as_deref())?;
    let inputs = load(&args.files, Some(&args.orders), global, now)?;
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let Some(plan) = read_plan(args, &inputs, now, global)? else {
        return Ok(EXIT_ERROR);
    };
    let Some((src, events)) = read_events_file(&args.events, &inputs)? else {
        return Ok(EXIT_ERROR);
    };
    let incoming = inputs.incoming();
    let r = match router.reroute(&inputs.orders, &plan, &stock, &incoming, &events, now) {
        Ok(r) => r,
        Err(e) => {
            print_reroute_error(&e, &src, &inputs);
            return Ok(EXIT_ERROR);
        }
    };
    let ids = |list: &[usize]| -> Vec<&str> {
        list.iter().map(|&i| inputs.orders[i].id.as_str()).collect()
    };
    let head = json!({
        "events": events.len(),
        "before": omniroute_adapters::totals_json(&r.before),
        "totals": omniroute_adapters::totals_json(&r.plan.totals),
        "moved": ids(&r.moved),
        "review": ids(&r.review),
    });
    let code = plan_out::exit_code(&r.plan);
    if !plan_out::write_or_closed(args.out.as_deref(), args.format, &inputs, &r.plan, &head)? {
        return Ok(code);
    }
    if !global.quiet {
        table(
            &r.before,
            &r.plan.totals,
            events.len(),
            inputs.policies.versions.earliest().currency,
        );
        crate::unfilled::note(&r.plan, &inputs.orders, args.now.is_some());
        list("moved", &ids(&r.moved), global);
        list("review queue", &ids(&r.review), global);
    }
    Ok(code)
}

/// Reads `--plan` and checks it fits its inputs (`E1113` otherwise); `None` after printing the
/// file's problems.
fn read_plan(
    args: &Args,
    inputs: &Inputs,
    now: Timestamp,
    global: Global,
) -> anyhow::Result<Option<Plan>> {
    let Some(file) = read_decisions(&args.plan, inputs, now)? else {
        return Ok(None);
    };
    if !global.quiet {
        for d in file.disagreements.iter().take(5) {
            crate::note!(
                "warning: {}: {} (costs are recomputed from the inputs)",
                inputs.orders[d.order].id,
                d.message
            );
        }
    }
    // The stock before the policy's safety stock, which the checker holds back itself.
    let broken = check_with_incoming(
        &file.plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policies.versions,
        &StockTable::from_positions(inputs.routable_positions()),
        &inputs.incoming(),
        now,
    );
    if let Some(v) = broken.first() {
        let id = inputs
            .orders
            .get(v.order)
            .map_or("(batch)", |o| o.id.as_str());
        return Err(Failure::new(
            InputCode::PlanBreaksInputs.id(),
            format!(
                "the plan breaks {} rule(s) of its inputs, first: {id}: {} {}",
                broken.len(),
                v.code,
                v.describe(&|s| inputs.skus.name(s).to_owned())
            ),
            "run `omniroute check` with the same files; reroute starts from a plan that fits its inputs",
        )
        .into());
    }
    Ok(Some(file.plan))
}

/// Before and after, side by side.
fn table(before: &PlanTotals, after: &PlanTotals, events: usize, currency: Option<Currency>) {
    crate::note!("applied {events} event(s)");
    crate::note!("{:<10} {:>16} {:>16}", "", "before", "after");
    let row = |label: &str, b: String, a: String| crate::note!("{label:<10} {b:>16} {a:>16}");
    row(
        "cost",
        amount(before.cost_cents, currency),
        amount(after.cost_cents, currency),
    );
    row(
        "km",
        format!("{:.1}", before.distance_km),
        format!("{:.1}", after.distance_km),
    );
    row(
        "fill rate",
        format!("{:.2} %", before.fill_rate() * 100.0),
        format!("{:.2} %", after.fill_rate() * 100.0),
    );
    row(
        "shipments",
        before.shipments.to_string(),
        after.shipments.to_string(),
    );
}

/// `label: N order(s): A, B, …` (the first 20 unless `-v`).
fn list(label: &str, ids: &[&str], global: Global) {
    if ids.is_empty() {
        crate::note!("{label}: none");
        return;
    }
    let shown = if global.verbose > 0 { ids.len() } else { 20 };
    let mut text = ids
        .iter()
        .take(shown)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > shown {
        let more = ids.len() - shown;
        let _ = write!(
            text,
            ", … ({more} more; -v or --format json lists them all)"
        );
    }
    crate::note!("{label}: {} order(s): {text}", ids.len());
}
