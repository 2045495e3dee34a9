//! Candidate stock moves from a replay: where stock was missing or far.

use super::{PositionOptions, StockMove};
use crate::kpis::promise_days;
use crate::{Day, Network, NodeIdx, NodeKind, ReplayedDay, SkuId, StockTable};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// Candidate moves for `days` replayed (`replayed`) from `start`.
///
/// A line wants to be nearer when it went unfilled or ships in a shipment promised two or more
/// days after the order date. Its units count as demand at each of the `targets_per_line` active
/// nodes (drop-ship suppliers aside, the order's exclusions respected) nearest its destination,
/// other than the node that shipped it. For each (SKU, target) the source is the other holder of
/// the SKU at `start` with the most units left unused after the last day (then the most at
/// `start`, then the lower index); the move carries the demand, at most what the source has
/// unused (or, when it used everything, what it held at `start`). The largest moves come first
/// (ties by SKU then target), at most `max_candidates`.
pub fn candidates(
    network: &Network,
    days: &[Day<'_>],
    start: &StockTable,
    replayed: &[ReplayedDay],
    now: Timestamp,
    options: &PositionOptions,
) -> Vec<StockMove> {
    let mut demand: BTreeMap<(SkuId, NodeIdx), u64> = BTreeMap::new();
    for (day, r) in days.iter().zip(replayed) {
        for (order, d) in day.orders.iter().zip(&r.plan.decisions) {
            let far = d
                .shipments
                .iter()
                .filter(|s| promise_days(order, s, network.node(s.node), now) >= 2);
            let lines = d
                .unfilled
                .iter()
                .map(|u| (u.line, None))
                .chain(far.flat_map(|s| s.lines.iter().map(|&l| (l, Some(s.node)))));
            let lines: Vec<(usize, Option<NodeIdx>)> = lines.collect();
            if lines.is_empty() {
                continue;
            }
            let targets: Vec<NodeIdx> = network
                .index()
                .nearest(order.destination)
                .map(|(n, _)| n)
                .filter(|&n| {
                    let node = network.node(n);
                    node.active && node.kind != NodeKind::Supplier && order.admits(n)
                })
                .take(options.targets_per_line)
                .collect();
            for (line, shipped_from) in lines {
                let l = &order.lines[line];
                for &to in targets.iter().filter(|&&t| Some(t) != shipped_from) {
                    *demand.entry((l.sku, to)).or_default() += u64::from(l.qty);
                }
            }
        }
    }
    let Some(left) = replayed.last().map(|r| &r.left) else {
        return Vec::new();
    };
    let mut moves: Vec<StockMove> = demand
        .into_iter()
        .filter_map(|((sku, to), wanted)| {
            let from = start
                .holders(sku)
                .iter()
                .copied()
                .filter(|&n| n != to)
                .max_by_key(|&n| (left.qty(n, sku), start.qty(n, sku), std::cmp::Reverse(n)))?;
            let spare = match left.qty(from, sku) {
                0 => start.qty(from, sku),
                unused => unused,
            };
            let units = u32::try_from(wanted).unwrap_or(u32::MAX).min(spare);
            (units > 0).then_some(StockMove {
                sku,
                from,
                to,
                units,
            })
        })
        .collect();
    moves.sort_by_key(|m| (std::cmp::Reverse(m.units), m.sku, m.to));
    moves.truncate(options.max_candidates);
    moves
}
