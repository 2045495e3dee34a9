//! `omniroute watch`: routes and holds a batch of open orders against the stock, then follows a
//! stock delta stream (docs/formats.md) and re-routes the open orders whose node lost the stock
//! they were holding. One NDJSON line per moved order on stdout; the feed's problems and reports
//! on stderr, and the stream goes on.

use crate::inputs::{check_paths, now, Batch};
use crate::{Global, EXIT_OK, EXIT_UNFILLED};
use jiff::SignedDuration;
use omniroute_adapters::{FeedReader, SeqReport};
use omniroute_core::{
    Decision, DeltaOutcome, LiveStock, NodeIdx, Order, ReservationId, Router, SkuId, StockRow,
};
use serde_json::json;
use std::io::{BufRead, Write};

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
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let rows = inputs.stock.iter().map(|r| StockRow {
        node: r.node,
        sku: r.sku,
        on_hand: r.on_hand,
        reserved: r.reserved,
        safety_stock: r.safety_stock,
    });
    let live = LiveStock::new(router, rows);
    // Held until the watch ends: open orders wait for their shipment, not for a clock.
    let hold = SignedDuration::from_hours(24 * 365);
    let mut open: Vec<Decision> = Vec::with_capacity(inputs.orders.len());
    for (i, order) in inputs.orders.iter().enumerate() {
        open.push(live.route_and_reserve(order, id(i), now, hold)?);
    }
    let input: Box<dyn BufRead> = if args.feed == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(&args.feed)?))
    };
    let network = inputs.network.clone();
    let mut report = SeqReport::default();
    let mut out = std::io::stdout().lock();
    for read in FeedReader::new(input, &args.feed, &network) {
        let event = match read {
            Ok(event) => event,
            Err(problems) => {
                report.malformed();
                for p in problems {
                    crate::note!("error: {p}");
                }
                continue;
            }
        };
        let returns = inputs
            .policies
            .versions
            .at(event.at.unwrap_or(now))
            .map_or_else(Default::default, |p| p.returns);
        let change = event.change(&mut inputs.skus, returns);
        let outcome = match live.apply_changes(&[change]) {
            Ok(outcomes) => outcomes[0],
            Err(e) => {
                report.refused();
                let message = omniroute_adapters::refusal_message(&e, &network, &inputs.skus);
                crate::note!(
                    "error: {}:{}:0: {} {message} (hint: the event was not applied; the stream goes on)",
                    args.feed,
                    event.line,
                    e.code()
                );
                continue;
            }
        };
        if let Some(p) = report.note(&event, outcome, &args.feed, &network) {
            crate::note!("note: {p}");
        }
        if outcome == DeltaOutcome::Duplicate {
            continue;
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
    }
    out.flush()?;
    let t = report.tally;
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
