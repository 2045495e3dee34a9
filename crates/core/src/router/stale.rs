//! [`Router::stale`]: whether a guess of the parallel batch (`speculate.rs`) may differ from
//! routing its order now, from what its route read ([`RouteReads`]) and what was committed since.

use super::reads::{Count, RouteReads};
use super::search::needs;
use super::LineSet;
use super::{Load, Router, StockTable};
use crate::{NodeIdx, Order, SkuId};

impl Router {
    /// True when the node has a daily capacity in units or shipments (the same in every version).
    pub(super) fn capacity_limited(&self, node: NodeIdx) -> bool {
        let t = &self.earliest().terms.nodes[node.0 as usize];
        t.capacity_units.is_some() || t.capacity_shipments.is_some()
    }

    /// The most units below which any version's inventory-balance term prices a position (0
    /// without one): a position with at least a line's units plus these left costs that line no
    /// balance, before and after units are taken from it.
    fn balance_below_units(&self) -> u32 {
        self.versions
            .iter()
            .filter_map(|(_, v)| v.policy.balance.map(|b| b.below_units))
            .max()
            .unwrap_or(0)
    }

    /// True when a guess for `order`, routed before the `stock_changes` and shipments from the
    /// capacity-limited nodes `limited` were committed, having read `reads`, may differ from
    /// routing `order` now. The route is a function of what it reads; stock only falls and load
    /// only grows. It reads a node's stock through "does this node hold enough of this SKU for
    /// the order's lines" (masks, SKU groups, posting lists, the unfilled-line reasons) and, with
    /// a balance term, "how far below its low-stock level would a line take this position"; the
    /// holder counts that choose how candidates are gathered through comparisons ([`Counts`]);
    /// and a node's load ([`RouteReads::load`]) only to ask "does this node's capacity bind for
    /// this order" (every comparison is against at most the order's units). A guess is kept
    /// when every answer it read is unchanged: no SKU of the order fell below the order's need
    /// (plus the balance's low-stock level) at a node whose stock it read, no count it compared
    /// left its range (counts change only when a position sells out), and no node whose load
    /// it read binds the order's capacity now. (Capacities are the same in every policy
    /// version, so `self`'s terms serve every order.)
    ///
    /// [`Counts`]: super::reads::Counts
    pub(super) fn stale(
        &self,
        order: &Order,
        stock_changes: &[(NodeIdx, SkuId)],
        limited: &[NodeIdx],
        reads: &RouteReads,
        stock: &StockTable,
        load: &Load,
    ) -> bool {
        let need = |sku: SkuId| -> u32 {
            order
                .lines
                .iter()
                .filter(|l| l.sku == sku)
                .map(|l| l.qty)
                .sum()
        };
        let below = self.balance_below_units();
        // A position the log names was held when the guess was routed: at zero now, it sold out.
        let mut sold_out = false;
        let stock_changed = stock_changes.iter().any(|&(n, sku)| {
            let need = need(sku);
            if need == 0 {
                return false; // (most changes: a SKU the order does not ask)
            }
            let left = stock.qty(n, sku);
            sold_out |= left == 0;
            left < need.saturating_add(below) && reads.stock.covers(n)
        });
        let units = u32::try_from(order.units()).unwrap_or(u32::MAX);
        stock_changed
            || (sold_out && !reads.counts.hold(|c| count(order, stock, c)))
            || limited.iter().any(|&n| {
                reads.load.covers(n)
                    && !self.earliest().terms.nodes[n.0 as usize]
                        .capacity()
                        .has_room(load, n, units)
            })
    }
}

/// `count`'s value for `order` in `stock` (see [`Count`]).
fn count(order: &Order, stock: &StockTable, count: Count) -> usize {
    match count {
        Count::Postings => {
            let every = needs(order, &LineSet::full(order.lines.len()));
            every.iter().map(|&(s, _)| stock.holders(s).len()).sum()
        }
        Count::FullAtMost => {
            stock.full_holders_at_most(&needs(order, &LineSet::full(order.lines.len())))
        }
        Count::Holders(sku) => stock.holders(sku).len(),
    }
}
