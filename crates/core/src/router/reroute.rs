//! Re-routing after events (docs/design.md §5): move only the orders that must move, keep the rest.
//!
//! The plan's remaining stock and load are rebuilt from the batch's starting stock, then events
//! apply in order:
//! - `NodeDown(n)`: every order shipping from `n` moves; `n` is excluded from every re-route
//!   until `NodeUp(n)` (its candidates show `EXCLUDED`).
//! - `NodeUp(n)`: `n` may be used again; orders with unfilled lines are re-routed (they can only
//!   gain: an order moves only if its new decision is cheaper).
//! - `Rejected` / `TimedOut { order, node }`: the dealer refused the offer; the order excludes
//!   `node` for good and moves. After `max_rejections` refusals by distinct dealers (of the
//!   order's policy version) the order goes to the review queue and ships nothing. A refusal
//!   repeated (same order and node) counts once; one naming a node that is not a dealer
//!   ([`RerouteError::NotADealer`]) or that does not ship the order at that point
//!   ([`RerouteError::NotOffered`]) is an error, and nothing is re-routed.
//! - `StockCorrection { node, sku, routable }`: the starting stock of the position is now
//!   `routable`; if the plan ships more than that from it, the latest orders (in arrival order)
//!   using it move until it fits.
//! - `StockArrival { node, sku, qty }`: `qty` more units; orders with an unfilled line of `sku`
//!   are re-routed and move if that is cheaper.
//!
//! A moved order is routed with [`Router::route`] against the stock and capacity left by every
//! other order, so the result is feasible; an order that did not need to move keeps its
//! shipments exactly. An order is listed as moved when its shipments differ from the plan's
//! (one moved away and back is not). At the end, unfilled reasons that the final stock makes
//! false (`NO_STOCK` where stock was freed later, say) are brought up to date.

use super::batch::apply;
use super::optimise::{same_shipments, settle_reasons};
use super::{Decision, Load, Plan, PlanTotals, Reason, Router, StockTable};
use crate::{NodeIdx, NodeKind, Order, SkuId};
use jiff::Timestamp;

/// Something that happened after a plan was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A node stopped shipping.
    NodeDown(NodeIdx),
    /// A node ships again.
    NodeUp(NodeIdx),
    /// A dealer rejected the order's offer (`order` is the index in the batch).
    Rejected {
        /// Index of the order in the batch.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// A dealer accepted the order's offer: no optional move (after a node comes back or stock
    /// arrives) touches the order any more, and a later refusal of it by that dealer is an error
    /// ([`RerouteError::AlreadyAccepted`]). A move the order must make (another of its nodes
    /// went down) still routes it again.
    Accepted {
        /// Index of the order in the batch.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// A dealer let the offer time out.
    TimedOut {
        /// Index of the order in the batch.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// The starting routable stock of a position is corrected to `routable`.
    StockCorrection {
        /// The node.
        node: NodeIdx,
        /// The SKU.
        sku: SkuId,
        /// The corrected routable units.
        routable: u32,
    },
    /// `qty` more units arrived at a position.
    StockArrival {
        /// The node.
        node: NodeIdx,
        /// The SKU.
        sku: SkuId,
        /// Units added.
        qty: u32,
    },
}

/// Why events cannot be applied to a plan. Each has a stable `E31xx` code (`docs/errors.md`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RerouteError {
    /// A dealer event names a node that is not a dealer.
    #[error("event #{event}: node #{} is not a dealer, so it cannot answer the offer of order #{order}", .node.0)]
    NotADealer {
        /// Index of the event.
        event: usize,
        /// Index of the order.
        order: usize,
        /// The node.
        node: NodeIdx,
    },
    /// A dealer event names a dealer that does not ship the order (at that point of the events).
    #[error("event #{event}: order #{order} does not ship from node #{}, so it cannot answer its offer", .node.0)]
    NotOffered {
        /// Index of the event.
        event: usize,
        /// Index of the order.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// A dealer refuses (or lets time out) an order it accepted before.
    #[error("event #{event}: dealer node #{} accepted order #{order} before, so it cannot refuse it now", .node.0)]
    AlreadyAccepted {
        /// Index of the event.
        event: usize,
        /// Index of the order.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
}

impl RerouteError {
    /// The stable code: `E3109` not a dealer, `E3110` not offered, `E3112` accepted before.
    ///
    /// ```
    /// # use omniroute_core::{NodeIdx, RerouteError};
    /// let e = RerouteError::NotADealer { event: 0, order: 2, node: NodeIdx(1) };
    /// assert_eq!(e.code(), "E3109");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            RerouteError::NotADealer { .. } => "E3109",
            RerouteError::NotOffered { .. } => "E3110",
            RerouteError::AlreadyAccepted { .. } => "E3112",
        }
    }

    /// Index of the event at fault, in the events given to [`Router::reroute`].
    pub fn event(&self) -> usize {
        match *self {
            RerouteError::NotADealer { event, .. }
            | RerouteError::NotOffered { event, .. }
            | RerouteError::AlreadyAccepted { event, .. } => event,
        }
    }
}

/// What re-routing did.
#[derive(Debug, Clone)]
pub struct Rerouted {
    /// The new plan (one decision per order, same order).
    pub plan: Plan,
    /// Totals of the plan before the events.
    pub before: PlanTotals,
    /// Orders whose shipments changed, ascending, without repeats.
    pub moved: Vec<usize>,
    /// Orders sent to the review queue (too many rejections), ascending.
    pub review: Vec<usize>,
    /// The starting stock after corrections and arrivals: check the new plan against it.
    pub stock: StockTable,
}

impl Router {
    /// Applies `events` to `plan` (made for `orders` from starting stock `stock`), moving only the
    /// orders that must move. See the module docs for each event; a dealer event that does not
    /// fit the plan is an error.
    pub fn reroute(
        &self,
        orders: &[Order],
        plan: &Plan,
        stock: &StockTable,
        events: &[Event],
        now: Timestamp,
    ) -> Result<Rerouted, RerouteError> {
        let mut start = stock.clone();
        let mut left = stock.clone();
        let mut load = Load::default();
        for (order, d) in orders.iter().zip(&plan.decisions) {
            apply(order, d, &mut left, &mut load);
        }
        let mut state = State {
            router: self,
            orders: orders.to_vec(),
            decisions: plan.decisions.clone(),
            left,
            load,
            down: Vec::new(),
            rejected: vec![Vec::new(); orders.len()],
            accepted: vec![Vec::new(); orders.len()],
            review: Vec::new(),
            now,
        };
        for (k, &event) in events.iter().enumerate() {
            match event {
                Event::NodeDown(n) => {
                    state.down.push(n);
                    let hit = state.shipping_from(|s_node, _| s_node == n);
                    state.reroute_all(&hit, true);
                }
                Event::NodeUp(n) => {
                    state.down.retain(|&d| d != n);
                    let unfilled = state.with_unfilled(|_| true);
                    state.reroute_all(&unfilled, false);
                }
                Event::Rejected { order, node } | Event::TimedOut { order, node } => {
                    state.reject(k, order, node)?;
                }
                Event::Accepted { order, node } => state.accept(k, order, node)?,
                Event::StockCorrection {
                    node,
                    sku,
                    routable,
                } => {
                    let was = start.qty(node, sku);
                    start.take(node, sku, was);
                    start.add(node, sku, routable);
                    state.correct(node, sku, was, routable);
                }
                Event::StockArrival { node, sku, qty } => {
                    start.add(node, sku, qty);
                    state.left.add(node, sku, qty);
                    let waiting = state.with_unfilled(|l| l == sku);
                    state.reroute_all(&waiting, false);
                }
            }
        }
        let mut decisions = state.decisions;
        for (order, d) in orders.iter().zip(&mut decisions) {
            settle_reasons(
                order,
                d,
                (&start, &state.left),
                self.split_terms(order, now),
            );
        }
        let moved = (0..orders.len())
            .filter(|&i| !same_shipments(&plan.decisions[i], &decisions[i]))
            .collect();
        let mut review = state.review;
        review.sort_unstable();
        Ok(Rerouted {
            plan: Plan::from_decisions(orders, decisions),
            before: plan.totals,
            moved,
            review,
            stock: start,
        })
    }
}

struct State<'r> {
    router: &'r Router,
    orders: Vec<Order>,
    decisions: Vec<Decision>,
    left: StockTable,
    load: Load,
    down: Vec<NodeIdx>,
    /// Per order, the dealers that refused it.
    rejected: Vec<Vec<NodeIdx>>,
    /// Per order, the dealers that accepted it.
    accepted: Vec<Vec<NodeIdx>>,
    review: Vec<usize>,
    now: Timestamp,
}

impl State<'_> {
    /// Orders with a shipped line matching `hit(node, sku)`, in arrival order.
    fn shipping_from(&self, hit: impl Fn(NodeIdx, SkuId) -> bool) -> Vec<usize> {
        (0..self.orders.len())
            .filter(|&i| {
                self.decisions[i].shipments.iter().any(|s| {
                    s.lines
                        .iter()
                        .any(|&l| hit(s.node, self.orders[i].lines[l].sku))
                })
            })
            .collect()
    }

    /// Orders (not in review) with an unfilled line whose SKU matches.
    fn with_unfilled(&self, sku: impl Fn(SkuId) -> bool) -> Vec<usize> {
        (0..self.orders.len())
            .filter(|i| !self.review.contains(i))
            .filter(|&i| {
                self.decisions[i]
                    .unfilled
                    .iter()
                    .any(|u| sku(self.orders[i].lines[u.line].sku))
            })
            .collect()
    }

    /// Routes `orders` again; an optional move skips the orders a dealer accepted.
    fn reroute_all(&mut self, orders: &[usize], must: bool) {
        for &i in orders {
            if must || self.accepted[i].is_empty() {
                self.reroute_one(i, must);
            }
        }
    }

    /// Releases order `i`'s decision and routes it again; when the move is optional it is kept
    /// only if cheaper.
    fn reroute_one(&mut self, i: usize, must: bool) {
        let old = self.decisions[i].clone();
        release(&self.orders[i], &old, &mut self.left, &mut self.load);
        self.route_released(i, old, must);
    }

    /// Routes order `i`, whose decision `old` was already released, against what is left.
    fn route_released(&mut self, i: usize, old: Decision, must: bool) {
        let mut order = self.orders[i].clone();
        order.excluded.extend(self.down.iter().copied());
        let new = self.router.route(&order, &self.left, &self.load, self.now);
        let keep_old = !must && new.cost_cents() >= old.cost_cents();
        debug_assert!(must || !keep_old || fits(&self.orders[i], &old, &self.left));
        let d = if keep_old { old } else { new };
        apply(&self.orders[i], &d, &mut self.left, &mut self.load);
        self.decisions[i] = d;
    }

    /// Dealer `node` accepted order `i` (event `event`).
    fn accept(&mut self, event: usize, i: usize, node: NodeIdx) -> Result<(), RerouteError> {
        if self.accepted[i].contains(&node) {
            return Ok(()); // a copy of an accept already applied
        }
        self.offered(event, i, node)?;
        self.accepted[i].push(node);
        Ok(())
    }

    /// Order `i` ships from dealer `node`, or the error of event `event` that says it should.
    fn offered(&self, event: usize, i: usize, node: NodeIdx) -> Result<(), RerouteError> {
        if self.router.network().node(node).kind != NodeKind::Dealer {
            return Err(RerouteError::NotADealer {
                event,
                order: i,
                node,
            });
        }
        if !self.decisions[i].shipments.iter().any(|s| s.node == node) {
            return Err(RerouteError::NotOffered {
                event,
                order: i,
                node,
            });
        }
        Ok(())
    }

    /// Dealer `node` refused order `i` (event `event`).
    fn reject(&mut self, event: usize, i: usize, node: NodeIdx) -> Result<(), RerouteError> {
        if self.rejected[i].contains(&node) {
            return Ok(()); // a copy of a refusal already applied
        }
        if self.accepted[i].contains(&node) {
            return Err(RerouteError::AlreadyAccepted {
                event,
                order: i,
                node,
            });
        }
        self.offered(event, i, node)?;
        self.rejected[i].push(node);
        if !self.orders[i].excluded.contains(&node) {
            self.orders[i].excluded.push(node);
        }
        let policy = self.router.policy_for(&self.orders[i], self.now);
        if self.rejected[i].len() >= policy.dealers.max_rejections as usize {
            let old = self.decisions[i].clone();
            release(&self.orders[i], &old, &mut self.left, &mut self.load);
            let per_unit = super::order_terms::OrderTerms::resolve(&self.orders[i], policy)
                .unfilled_per_unit_cents;
            let mut d = super::decision::ship_nothing(&old, &self.orders[i], per_unit, |_| {
                Reason::Excluded
            });
            d.rules.push("review queue: too many rejections".into());
            self.decisions[i] = d;
            self.review.push(i);
        } else {
            self.reroute_one(i, true);
        }
        Ok(())
    }

    /// The position's starting stock went from `was` to `now`; move the latest users until the
    /// plan fits.
    fn correct(&mut self, node: NodeIdx, sku: SkuId, was: u32, now: u32) {
        if now >= was {
            self.left.add(node, sku, now - was);
            let waiting = self.with_unfilled(|l| l == sku);
            self.reroute_all(&waiting, false);
            return;
        }
        let cut = was - now;
        let remaining = self.left.qty(node, sku);
        self.left.take(node, sku, cut.min(remaining));
        let mut short = cut.saturating_sub(remaining);
        let users = self.shipping_from(|n, s| n == node && s == sku);
        for &i in users.iter().rev() {
            if short == 0 {
                break;
            }
            let shipped: u32 = self.decisions[i]
                .shipments
                .iter()
                .filter(|s| s.node == node)
                .flat_map(|s| s.lines.iter())
                .filter(|&&l| self.orders[i].lines[l].sku == sku)
                .map(|&l| self.orders[i].lines[l].qty)
                .sum();
            // Release the order, drop its units of this position from the stock (they no longer
            // exist), then route it again against what is left.
            let old = self.decisions[i].clone();
            release(&self.orders[i], &old, &mut self.left, &mut self.load);
            let gone = shipped.min(short);
            self.left.take(node, sku, gone);
            short -= gone;
            self.route_released(i, old, true);
        }
    }
}

/// Puts a decision's units back into `stock` and removes its shipments from `load`.
fn release(order: &Order, d: &Decision, stock: &mut StockTable, load: &mut Load) {
    for s in &d.shipments {
        for &l in &s.lines {
            let line = &order.lines[l];
            stock.add(s.node, line.sku, line.qty);
        }
        load.remove_shipment(s.node, s.units);
    }
}

/// True when `stock` still holds every line `d` ships (an optional move may keep it).
fn fits(order: &Order, d: &Decision, stock: &StockTable) -> bool {
    d.shipments.iter().all(|s| {
        s.lines
            .iter()
            .all(|&l| stock.qty(s.node, order.lines[l].sku) >= order.lines[l].qty)
    })
}
