//! Candidate stock moves from a replay: where stock was missing or far, screened by re-routing
//! the orders that asked for it.

use super::{PositionOptions, StockMove};
use crate::kpis::promise_days;
use crate::{Day, Load, NodeIdx, NodeKind, Order, ReplayedDay, Router, SkuId, StockTable};
use jiff::Timestamp;
use std::collections::BTreeMap;

/// What a (SKU, target) is wanted for.
#[derive(Default)]
struct Want {
    /// Units wanted.
    units: u64,
    /// The (day, order) that want it.
    orders: Vec<(usize, usize)>,
}

/// Candidate moves for `days` replayed (`replayed`) from `start`, the most promising first.
///
/// A line wants to be nearer when it went unfilled or ships in a shipment promised two or more
/// days after the order date. Its units count as demand at each of the `targets_per_line` active
/// nodes (drop-ship suppliers aside, the order's exclusions respected) nearest its destination,
/// other than the node that shipped it. For each (SKU, target) the source is the other holder of
/// the SKU at `start` with the most units left unused after the last day (then the most at
/// `start`, then the lower index); the move carries the demand, at most what the source has
/// unused (or, when it used everything, what it held at `start`).
///
/// Each move is then screened: every order that wants it is routed alone against the stock its
/// day left, with its own shipped units given back and the moved units at the target
/// (capacity ignored), and the move's estimate is the sum of the cost those orders would save.
/// Moves with a positive estimate are kept, the largest first (ties by SKU then target), at
/// most `max_candidates`. The estimate only ranks: the caller re-runs the days to decide.
pub fn candidates(
    router: &Router,
    days: &[Day<'_>],
    start: &StockTable,
    replayed: &[ReplayedDay],
    now: Timestamp,
    options: &PositionOptions,
) -> Vec<StockMove> {
    let network = router.network();
    let mut demand: BTreeMap<(SkuId, NodeIdx), Want> = BTreeMap::new();
    for (day_no, (day, r)) in days.iter().zip(replayed).enumerate() {
        for (i, (order, d)) in day.orders.iter().zip(&r.plan.decisions).enumerate() {
            let far = d
                .shipments
                .iter()
                .filter(|s| promise_days(order, s, network.node(s.node), now) >= 2);
            let lines: Vec<(usize, Option<NodeIdx>)> = d
                .unfilled
                .iter()
                .map(|u| (u.line, None))
                .chain(far.flat_map(|s| s.lines.iter().map(|&l| (l, Some(s.node)))))
                .collect();
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
                    let want = demand.entry((l.sku, to)).or_default();
                    want.units += u64::from(l.qty);
                    if want.orders.last() != Some(&(day_no, i)) {
                        want.orders.push((day_no, i));
                    }
                }
            }
        }
    }
    let Some(last_left) = replayed.last().map(|r| &r.left) else {
        return Vec::new();
    };
    let mut left: Vec<StockTable> = replayed.iter().map(|r| r.left.clone()).collect();
    let mut moves: Vec<(i64, StockMove)> = demand
        .into_iter()
        .filter_map(|((sku, to), want)| {
            let from = start
                .holders(sku)
                .iter()
                .copied()
                .filter(|&n| n != to)
                .max_by_key(|&n| {
                    (
                        last_left.qty(n, sku),
                        start.qty(n, sku),
                        std::cmp::Reverse(n),
                    )
                })?;
            let spare = match last_left.qty(from, sku) {
                0 => start.qty(from, sku),
                unused => unused,
            };
            let units = u32::try_from(want.units).unwrap_or(u32::MAX).min(spare);
            if units == 0 {
                return None;
            }
            let m = StockMove {
                sku,
                from,
                to,
                units,
            };
            let estimate = screen(router, days, replayed, &mut left, &m, &want.orders, now);
            (estimate > 0).then_some((estimate, m))
        })
        .collect();
    moves.sort_by_key(|&(estimate, m)| (std::cmp::Reverse(estimate), m.sku, m.to));
    moves.truncate(options.max_candidates);
    moves.into_iter().map(|(_, m)| m).collect()
}

/// The cost the `orders` (day, index) would save routed alone against their day's `left`
/// stock, their own shipped units given back and `m`'s units at its target. `left` is put
/// back as it was.
fn screen(
    router: &Router,
    days: &[Day<'_>],
    replayed: &[ReplayedDay],
    left: &mut [StockTable],
    m: &StockMove,
    orders: &[(usize, usize)],
    now: Timestamp,
) -> i64 {
    let mut saved = 0;
    for &(day, i) in orders {
        let (order, d) = (&days[day].orders[i], &replayed[day].plan.decisions[i]);
        let stock = &mut left[day];
        stock.add(m.to, m.sku, m.units);
        give_back(order, d, stock, true);
        let alone = router.route(order, stock, &Load::default(), now);
        give_back(order, d, stock, false);
        stock.take(m.to, m.sku, m.units);
        saved += (d.cost_cents() - alone.cost_cents()).max(0);
    }
    saved
}

/// Adds (`back`) or takes again the units `d` ships for `order`.
fn give_back(order: &Order, d: &crate::Decision, stock: &mut StockTable, back: bool) {
    for s in &d.shipments {
        for &l in &s.lines {
            let line = &order.lines[l];
            if back {
                stock.add(s.node, line.sku, line.qty);
            } else {
                stock.take(s.node, line.sku, line.qty);
            }
        }
    }
}
