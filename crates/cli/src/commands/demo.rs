//! `omniroute demo`: a day of orders on the embedded Indian scenario, and its headline figures.

use crate::output::{amount, group};
use crate::{progress, Global, EXIT_OK};
use anyhow::Context;
use omniroute_adapters::Inputs;
use omniroute_core::{order_date, NodeKind, Plan, Router};
use std::io::Write;
use std::time::Instant;

/// Arguments of `omniroute demo`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute demo\n  omniroute demo --orders 500\n\nShares of shipments promised same day / next day compare each shipment's promised date with the order's creation date in the shipping node's time zone."
)]
pub struct Args {
    /// Route only the first N orders of the day [default: all 5,000].
    #[arg(long, value_name = "N")]
    pub orders: Option<usize>,
}

/// Routes the scenario and prints the table. Always exits 0: unfilled lines are part of the story.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let mut inputs = Inputs::demo().context("the embedded scenario")?;
    if let Some(n) = args.orders {
        inputs.orders.truncate(n);
    }
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let now = jiff::Timestamp::now();
    let start = Instant::now();
    let plan = progress::route_sequential(&router, &inputs.orders, &stock, now, global);
    let elapsed = start.elapsed();
    let mut out = std::io::stdout().lock();
    for (label, value) in figures(&inputs, &plan, now, elapsed) {
        writeln!(out, "{label:<28} {value}")?;
    }
    writeln!(out, "\nLocations: GeoNames (CC BY 4.0)")?;
    out.flush()?;
    Ok(EXIT_OK)
}

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1} %", part as f64 * 100.0 / whole as f64)
    }
}

/// The rows of the headline table.
fn figures(
    inputs: &Inputs,
    plan: &Plan,
    now: jiff::Timestamp,
    elapsed: std::time::Duration,
) -> Vec<(&'static str, String)> {
    let net = &inputs.network;
    let t = &plan.totals;
    let currency = inputs.policies.versions.earliest().currency;
    let count = |k: NodeKind| net.nodes().iter().filter(|n| n.kind == k).count() as u64;
    let (mut same, mut next) = (0u64, 0u64);
    let mut units_by_kind = [0u64; NodeKind::ALL.len()];
    for (order, d) in inputs.orders.iter().zip(&plan.decisions) {
        for s in &d.shipments {
            let node = net.node(s.node);
            let day = order_date(order.created_at.unwrap_or(now), &node.timezone);
            match day.until(s.promised_date).map(|span| span.get_days()) {
                Ok(0) => same += 1,
                Ok(1) => next += 1,
                _ => {}
            }
            units_by_kind[node.kind.index()] += u64::from(s.units);
        }
    }
    let by_kind = |k: NodeKind| pct(units_by_kind[k.index()], t.units_filled);
    let secs = elapsed.as_secs_f64();
    vec![
        (
            "Network",
            format!(
                "{} nodes: {} warehouses, {} stores, {} dealers",
                net.len(),
                count(NodeKind::Warehouse),
                count(NodeKind::Store),
                count(NodeKind::Dealer)
            ),
        ),
        (
            "Orders",
            format!(
                "{} ({} complete)",
                group(t.orders),
                group(t.orders_complete)
            ),
        ),
        (
            "Units",
            format!(
                "{} filled of {}",
                group(t.units_filled),
                group(t.units_ordered)
            ),
        ),
        ("Fill rate", format!("{:.2} %", t.fill_rate() * 100.0)),
        (
            "Unfilled",
            omniroute_adapters::unfilled_breakdown(&t.unfilled_by_reason),
        ),
        (
            "Orders split",
            format!(
                "{} ({})",
                group(t.split_orders),
                pct(t.split_orders, t.orders)
            ),
        ),
        ("Shipments", group(t.shipments)),
        (
            "Total distance",
            format!("{} km", group(t.distance_km.round() as u64)),
        ),
        (
            "Total cost",
            format!(
                "{} ({} cents)",
                amount(t.cost_cents, currency),
                group(t.cost_cents.max(0) as u64)
            ),
        ),
        (
            "Average cost per order",
            amount(
                t.cost_cents.checked_div(t.orders as i64).unwrap_or(0),
                currency,
            ),
        ),
        (
            "Promised same day",
            format!("{} of shipments", pct(same, t.shipments)),
        ),
        (
            "Promised next day",
            format!("{} of shipments", pct(next, t.shipments)),
        ),
        ("Units from dealers", by_kind(NodeKind::Dealer)),
        ("Units from stores", by_kind(NodeKind::Store)),
        ("Units from warehouses", by_kind(NodeKind::Warehouse)),
        (
            "Route time",
            format!(
                "{:.3} s ({} orders/s)",
                secs,
                group((t.orders as f64 / secs.max(1e-9)) as u64)
            ),
        ),
    ]
}
