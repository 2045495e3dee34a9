//! `omniroute watch`: routes and holds a batch of open orders against the stock, then follows a
//! stock delta stream (docs/formats.md) and re-routes the open orders whose node lost the stock
//! they were holding. One NDJSON line per moved order on stdout; the feed's problems and reports
//! on stderr, and the stream goes on.

use crate::inputs::{check_paths, now, Batch};
use crate::{Global, EXIT_OK, EXIT_UNFILLED};
use jiff::SignedDuration;
use omniroute_core::{Decision, DeltaOutcome, LiveStock, NodeIdx, Order, ReservationId, SkuId};
use serde_json::json;
use std::io::Write;

/// Arguments of `omniroute watch`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  tail -f feed.ndjson | omniroute watch --nodes nodes.csv --stock stock.csv --orders open-orders.csv --feed -\n\nEvery order is routed and its units held (in arrival order); then each feed event is applied.\nWhen a node's on-hand falls below what its open orders hold, the latest of those orders are\nreleased and routed again against the stock left, until the rest fit. Each moved order is one\nJSON line: {\"line\", \"seq\", \"node_id\", \"sku\", \"order_id\", \"from\", \"to\", \"unfilled_units\"}.\n\nExit 0 when every feed line applied, 1 when a line was malformed or refused."
)]
pub struct Args {
    /// The nodes, stock, policy and (open) orders files.
    #[command(flatten)]
    pub batch: Batch,
    /// The stock delta stream (NDJSON), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub feed: String,
    /// Reference time for orders without `created_at` (RFC 3339) [default: the current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Holds every order, then follows the feed.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    check_paths(args.batch.paths().chain([args.feed.as_str()]), None)?;
    let mut inputs = args.batch.load(global, now)?;
    let live = inputs.live_stock();
    // Held until the watch ends: open orders wait for their shipment, not for a clock.
    let hold = SignedDuration::from_hours(24 * 365);
    let mut open: Vec<Decision> = Vec::with_capacity(inputs.orders.len());
    for (i, order) in inputs.orders.iter().enumerate() {
        open.push(live.route_and_reserve(order, id(i), now, hold)?);
    }
    let network = inputs.network.clone();
    let mut out = std::io::stdout().lock();
    let skus = std::cell::RefCell::new(std::mem::take(&mut inputs.skus));
    let t = crate::feed::follow(&args.feed, &network, &|| skus.borrow().clone(), |event| {
        let change = event.change_under(&mut skus.borrow_mut(), &inputs.policies.versions, now);
        let outcome = match live.apply_changes(&[change]) {
            Ok(outcomes) => outcomes[0],
            Err(e) => return Ok(Err(e)),
        };
        if outcome == DeltaOutcome::Duplicate {
            return Ok(Ok(outcome));
        }
        for i in short_orders(&live, &open, change.node, change.sku) {
            let order = &inputs.orders[i];
            live.release(id(i))?;
            let moved = live.route_and_reserve(order, id(i), now, hold)?;
            let line = json!({
                "line": event.line,
                "seq": event.seq,
                "node_id": network.node(change.node).id,
                "sku": event.sku,
                "order_id": order.id,
                "from": node_ids(&open[i], &network),
                "to": node_ids(&moved, &network),
                "unfilled_units": unfilled_units(order, &moved),
            });
            writeln!(out, "{line}")?;
            open[i] = moved;
        }
        Ok(Ok(outcome))
    })?;
    out.flush()?;
    crate::note!(
        "{} applied, {} duplicates, {} gaps, {} out of order, {} malformed, {} refused",
        t.applied,
        t.duplicates,
        t.gaps,
        t.out_of_order,
        t.malformed,
        t.refused
    );
    Ok(if t.malformed + t.refused > 0 {
        EXIT_UNFILLED
    } else {
        EXIT_OK
    })
}

/// The reservation of the order at `index`.
fn id(index: usize) -> ReservationId {
    ReservationId(index as u64 + 1)
}

/// The open orders to move so that what `(node, sku)`'s orders hold fits its on-hand again:
/// the latest first, until the rest fit.
fn short_orders(live: &LiveStock, open: &[Decision], node: NodeIdx, sku: SkuId) -> Vec<usize> {
    let p = live.position(node, sku);
    let mut over = u64::from(p.reserved).saturating_sub(u64::from(p.on_hand));
    let mut moved = Vec::new();
    for i in (0..open.len()).rev() {
        if over == 0 {
            break;
        }
        let held: u64 = live.reservation(id(i)).map_or(0, |(lines, _)| {
            lines
                .iter()
                .filter(|l| (l.node, l.sku) == (node, sku))
                .map(|l| u64::from(l.qty))
                .sum()
        });
        if held > 0 {
            moved.push(i);
            over = over.saturating_sub(held);
        }
    }
    moved
}

fn node_ids(decision: &Decision, network: &omniroute_core::Network) -> Vec<String> {
    decision
        .shipments
        .iter()
        .map(|s| network.node(s.node).id.clone())
        .collect()
}

fn unfilled_units(order: &Order, decision: &Decision) -> u64 {
    let shipped: u64 = decision
        .reserve_lines(order)
        .iter()
        .map(|l| u64::from(l.qty))
        .sum();
    order.units().saturating_sub(shipped)
}
