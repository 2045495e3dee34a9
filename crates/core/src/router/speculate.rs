//! The parallel sequential batch: orders are routed speculatively, a window at a time, against
//! the stock and load before the window, then committed in arrival order. A guess whose inputs an
//! order committed since it was routed changed (`Router::stale`) is routed again, together with
//! the next few orders of the window that are stale too, in parallel, against the state of that
//! moment; so every committed decision is the one the one-thread run makes, and the plan is
//! identical.

use super::batch::apply;
use super::{Decision, Load, Router, StockTable};
use crate::{NodeIdx, Order, SkuId};
use jiff::Timestamp;
use rayon::prelude::*;

/// Orders per window, per thread. Larger windows re-route more: on the 20,000-order comparison
/// instance, 1,785 re-routes at 8, 3,218 at 16, 5,402 at 32 (`benches/examples/batch_threads.rs`).
const WINDOW_PER_THREAD: usize = 8;
/// When a guess is stale, the orders (it and those after it) checked for re-routing together,
/// per thread.
const REDO_PER_THREAD: usize = 1;

/// What committed orders changed, in commit order: (node, SKU, sold out) per shipped line, and
/// each capacity-limited node shipped from. A guess records how long both were when it was routed.
#[derive(Default)]
struct Changes {
    stock: Vec<(NodeIdx, SkuId, bool)>,
    limited: Vec<NodeIdx>,
}

/// A speculative decision and where [`Changes`] stood when it was routed.
struct Guess {
    decision: Option<Decision>,
    stock: usize,
    limited: usize,
}

impl Router {
    /// Routes `orders` in arrival order on `threads` threads into `decisions`, taking what they
    /// ship out of `stock` and adding it to `load`; `progress` after each window.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn route_speculating(
        &self,
        orders: &[Order],
        stock: &mut StockTable,
        load: &mut Load,
        now: Timestamp,
        threads: usize,
        decisions: &mut Vec<Decision>,
        progress: &(dyn Fn(usize) + Sync),
    ) {
        let redo_max = REDO_PER_THREAD * threads;
        for window in orders.chunks(WINDOW_PER_THREAD * threads) {
            let mut guesses: Vec<Guess> = window
                .par_iter()
                .map(|o| Guess {
                    decision: Some(self.route_priced(o, stock, load, now, None)),
                    stock: 0,
                    limited: 0,
                })
                .collect();
            let mut changes = Changes::default();
            let mut next = 0;
            while next < window.len() {
                let stale = |j: usize| {
                    let g = &guesses[j];
                    self.stale(
                        &window[j],
                        &changes.stock[g.stock..],
                        &changes.limited[g.limited..],
                        stock,
                        load,
                    )
                };
                if stale(next) {
                    let end = (next + redo_max).min(window.len());
                    let redo: Vec<usize> = (next..end).filter(|&j| j == next || stale(j)).collect();
                    let fresh: Vec<Decision> = redo
                        .par_iter()
                        .map(|&j| self.route_priced(&window[j], stock, load, now, None))
                        .collect();
                    for (j, d) in redo.into_iter().zip(fresh) {
                        guesses[j] = Guess {
                            decision: Some(d),
                            stock: changes.stock.len(),
                            limited: changes.limited.len(),
                        };
                    }
                }
                let order = &window[next];
                let d = guesses[next]
                    .decision
                    .take()
                    .expect("each guess is committed once");
                for s in &d.shipments {
                    for &l in &s.lines {
                        let sku = order.lines[l].sku;
                        let left = stock.qty(s.node, sku) - order.lines[l].qty;
                        changes.stock.push((s.node, sku, left == 0));
                    }
                    if self.capacity_limited(s.node) {
                        changes.limited.push(s.node);
                    }
                }
                apply(order, &d, stock, load);
                decisions.push(d);
                next += 1;
            }
            progress(decisions.len());
        }
    }

    /// True when the node has a daily capacity in units or shipments (the same in every version).
    fn capacity_limited(&self, node: NodeIdx) -> bool {
        let t = &self.earliest().terms.nodes[node.0 as usize];
        t.capacity_units.is_some() || t.capacity_shipments.is_some()
    }

    /// True when a guess for `order`, routed before the `stock_changes` and shipments from the
    /// capacity-limited nodes `limited` were committed, may differ from routing `order` now.
    /// Stock and load only shrink and grow, and the router reads them only through "does this
    /// node hold enough of this SKU for the order's lines" (masks, SKU groups, posting lists, the
    /// unfilled-line reasons) and "does this node's capacity bind for this order". A guess is
    /// kept when every change leaves those answers as they were: no SKU of the order sold out
    /// anywhere or fell below the order's need at a node, and no node used since that holds one
    /// of the order's SKUs binds the order's capacity now. (Capacities are the same in every policy version, so `self`'s terms
    /// serve every order.)
    fn stale(
        &self,
        order: &Order,
        stock_changes: &[(NodeIdx, SkuId, bool)],
        limited: &[NodeIdx],
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
        let stock_changed = stock_changes.iter().any(|&(n, sku, sold_out)| {
            let need = need(sku);
            need > 0 && (sold_out || stock.qty(n, sku) < need)
        });
        // A node that holds none of the order's SKUs now held none when the guess was routed
        // either (else a sell-out there is in `stock_changes`): it could not ship the order, so
        // its capacity did not matter.
        let units = u32::try_from(order.units()).unwrap_or(u32::MAX);
        stock_changed
            || limited.iter().any(|&n| {
                !self.earliest().terms.nodes[n.0 as usize]
                    .capacity()
                    .has_room(load, n, units)
                    && order.lines.iter().any(|l| stock.qty(n, l.sku) > 0)
            })
    }
}
