//! Sequential routing with a progress bar on stderr.
//!
//! The bar appears only once a run has taken more than a second, and never when stderr is not a
//! terminal, with `--no-progress` or with `--quiet`.

use crate::Global;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use omniroute_core::{Load, Order, Plan, Router, StockTable};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Routes `orders` in arrival order, each against the stock and capacity left by the ones before:
/// the same loop as `Router::route_sequential`, with a progress tick between orders.
pub fn route_sequential(
    router: &Router<'_>,
    orders: &[Order],
    stock: &StockTable,
    now: Timestamp,
    global: Global,
) -> Plan {
    let enabled = !global.no_progress && !global.quiet && std::io::stderr().is_terminal();
    let bar =
        ProgressBar::with_draw_target(Some(orders.len() as u64), ProgressDrawTarget::hidden());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} orders ({per_sec}, eta {eta})")
    {
        bar.set_style(style);
    }
    let start = Instant::now();
    let mut shown = false;
    let mut stock = stock.clone();
    let mut load = Load::default();
    let mut decisions = Vec::with_capacity(orders.len());
    for (i, order) in orders.iter().enumerate() {
        let d = router.route(order, &stock, &load, now);
        for s in &d.shipments {
            for &l in &s.lines {
                let line = &order.lines[l];
                stock.take(s.node, line.sku, line.qty);
            }
            load.add_shipment(s.node, s.units);
        }
        decisions.push(d);
        if enabled && i % 256 == 0 {
            if !shown && start.elapsed() > Duration::from_secs(1) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                shown = true;
            }
            bar.set_position(i as u64);
        }
    }
    bar.finish_and_clear();
    Plan::from_decisions(orders, decisions)
}
