//! The parallel sequential batch: orders are routed speculatively, a window at a time, against
//! the stock and load before the window, then committed in arrival order. A guess whose inputs an
//! order committed since it was routed changed (`Router::stale`) is routed again, together with
//! the next few orders of the window that are stale too, in parallel, against the state of that
//! moment; so every committed decision is the one the one-thread run makes, and the plan is
//! identical. Each route records what it read ([`Reads`]): the nodes whose load and whose stock
//! it read, and the holder counts it compared. A node that filled up, or a stock change, makes a
//! guess stale only if the guess read it (re-routes of 20,000 orders on the comparison instance:
//! 1,785 with neither, 903 with load reads, 278 with stock reads too; `benches/README.md`).

use super::batch::apply;
use super::reads::{Count, Reads, RouteReads};
use super::search::needs;
use super::LineSet;
use super::{Decision, Load, Router, StockTable};
use crate::{NodeIdx, Order, SkuId};
use jiff::Timestamp;
use rayon::prelude::*;
use std::sync::Arc;

/// Orders per window, per thread. Larger windows re-route more: on the 20,000-order comparison
/// instance, 1,785 re-routes at 8, 3,218 at 16, 5,402 at 32 before guesses recorded their reads
/// (`benches/examples/batch_threads.rs`).
const WINDOW_PER_THREAD: usize = 8;
/// When a guess is stale, the orders (it and those after it) checked for re-routing together,
/// per thread.
const REDO_PER_THREAD: usize = 1;

/// What committed orders changed, in commit order: (node, SKU) per shipped line, and
/// each capacity-limited node shipped from. A guess records how long both were when it was routed.
#[derive(Default)]
struct Changes {
    stock: Vec<(NodeIdx, SkuId)>,
    limited: Vec<NodeIdx>,
}

/// A speculative decision, what its route read of the load and the stock, and where
/// [`Changes`] stood when it was routed.
struct Guess {
    decision: Option<Decision>,
    reads: RouteReads,
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
        let reads = Arc::new(Reads::new(threads, self.network().len()));
        load.record_reads(Some(Arc::clone(&reads)));
        stock.record_reads(Some(Arc::clone(&reads)));
        // Routes `order` against the state of the moment, `changes` long, and takes its reads.
        let guess = |order: &Order, stock: &StockTable, load: &Load, changes: &Changes| {
            reads.clear(); // what this thread read since (a staleness test) is not the route's
            let decision = self.route_priced(order, stock, load, now, None);
            Guess {
                decision: Some(decision),
                reads: reads.take(),
                stock: changes.stock.len(),
                limited: changes.limited.len(),
            }
        };
        for window in orders.chunks(WINDOW_PER_THREAD * threads) {
            let mut changes = Changes::default();
            let mut guesses: Vec<Guess> = window
                .par_iter()
                .map(|o| guess(o, stock, load, &changes))
                .collect();
            let mut next = 0;
            while next < window.len() {
                let stale = |j: usize| {
                    let g = &guesses[j];
                    self.stale(
                        &window[j],
                        &changes.stock[g.stock..],
                        &changes.limited[g.limited..],
                        &g.reads,
                        stock,
                        load,
                    )
                };
                if stale(next) {
                    let end = (next + redo_max).min(window.len());
                    let redo: Vec<usize> = (next..end).filter(|&j| j == next || stale(j)).collect();
                    let fresh: Vec<Guess> = redo
                        .par_iter()
                        .map(|&j| guess(&window[j], stock, load, &changes))
                        .collect();
                    for (j, g) in redo.into_iter().zip(fresh) {
                        guesses[j] = g;
                    }
                }
                let order = &window[next];
                let d = guesses[next]
                    .decision
                    .take()
                    .expect("each guess is committed once");
                for s in &d.shipments {
                    for &l in &s.lines {
                        changes.stock.push((s.node, order.lines[l].sku));
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
        load.record_reads(None);
        stock.record_reads(None);
    }

    /// True when the node has a daily capacity in units or shipments (the same in every version).
    fn capacity_limited(&self, node: NodeIdx) -> bool {
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
    #[allow(clippy::too_many_arguments)]
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
            let left = stock.qty(n, sku);
            sold_out |= left == 0 && need > 0;
            need > 0 && left < need.saturating_add(below) && reads.stock.covers(n)
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
