//! The checker's test of an unfilled line's reason against the inputs: a reason that the inputs
//! prove false is a `REASON` violation.
//!
//! Stock only falls while a batch is routed, so what is left after the whole plan is a floor of
//! what every order saw, and the batch's starting stock a ceiling. Hence, for a line of `qty`
//! units:
//! - `NO_STOCK` is false if some node still holds `qty` routable units after the plan;
//! - a reason naming a node that held the stock (`OUT_OF_REACH`, `SLA_UNREACHABLE`,
//!   `NO_CAPACITY`, `NODE_INACTIVE`, `KIND_NOT_ALLOWED`, `OUTSIDE_TERRITORY`) is false if no
//!   node held `qty` units at the start; `KIND_NOT_ALLOWED` also needs such a node to be of a
//!   kind not allowed, `OUTSIDE_TERRITORY` a dealer whose territory leaves the destination out
//!   (`NODE_INACTIVE` does not need it inactive in the inputs: a `node_down` event takes it
//!   down after routing);
//! - `SHIP_COMPLETE` is false unless the order is ship-complete and ships nothing;
//! - `SPLIT_LIMIT` is false unless the order already makes its most shipments.
//!
//! `UNECONOMIC` is a judgement of costs the checker does not redo, and `EXCLUDED` may come from
//! events the inputs do not show (a dealer's rejection, a node down, the review queue).

use super::rules::OrderRules;
use crate::{Decision, Network, NodeIdx, Order, Reason, SkuId, StockTable};
use rustc_hash::FxHashMap;

/// What the whole plan left and what the batch started with.
pub(super) struct StockBounds<'a> {
    /// The batch's starting stock (a ceiling: before safety stock).
    pub start: &'a StockTable,
    /// Routable units at the start of a position (after safety stock).
    pub routable: &'a dyn Fn(NodeIdx, SkuId) -> u32,
    /// Units the plan ships from each position.
    pub taken: &'a FxHashMap<(NodeIdx, SkuId), u64>,
    /// The network.
    pub network: &'a Network,
}

impl StockBounds<'_> {
    /// Routable units left at a position after the plan.
    pub(super) fn left(&self, node: NodeIdx, sku: SkuId) -> u64 {
        let taken = self.taken.get(&(node, sku)).copied().unwrap_or(0);
        u64::from((self.routable)(node, sku)).saturating_sub(taken)
    }
}

/// Calls `v("REASON", …)` for every unfilled line of `d` whose reason the inputs prove false.
pub(super) fn check_reasons(
    order: &Order,
    d: &Decision,
    rules: &OrderRules,
    stock: &StockBounds<'_>,
    v: &mut impl FnMut(&'static str, String),
) {
    for u in &d.unfilled {
        let line = &order.lines[u.line];
        let qty = u64::from(line.qty);
        // Nodes that held the line's units at the start.
        let held = || {
            stock
                .start
                .holders(line.sku)
                .iter()
                .copied()
                .filter(|&n| u64::from(stock.start.qty(n, line.sku)) >= qty)
        };
        let false_because = match u.reason {
            Reason::NoStock => held().find(|&n| stock.left(n, line.sku) >= qty).map(|n| {
                let left = stock.left(n, line.sku);
                format!(
                    "node {} still holds {left} after the plan",
                    stock.network.node(n).id
                )
            }),
            Reason::ShipComplete => (!rules.ship_complete || !d.shipments.is_empty())
                .then(|| "the order is not ship-complete, or ships in part".to_owned()),
            Reason::SplitLimit => (d.shipments.len() < rules.max_shipments).then(|| {
                format!(
                    "{} shipment(s) of at most {}",
                    d.shipments.len(),
                    rules.max_shipments
                )
            }),
            Reason::Uneconomic | Reason::Excluded => None,
            reason => {
                let fits = |n: NodeIdx| {
                    let node = stock.network.node(n);
                    match reason {
                        Reason::KindNotAllowed => rules
                            .allowed_kinds
                            .as_ref()
                            .is_some_and(|k| !k.contains(&node.kind)),
                        Reason::OutsideTerritory => {
                            crate::in_territory(node, order.destination) == Some(false)
                        }
                        _ => true,
                    }
                };
                held()
                    .all(|n| !fits(n))
                    .then(|| "no node that held the units at the start fits it".to_owned())
            }
        };
        if let Some(why) = false_because {
            v(
                "REASON",
                format!(
                    "line {} is unfilled as {} but {why}",
                    line.line_no, u.reason
                ),
            );
        }
    }
}
