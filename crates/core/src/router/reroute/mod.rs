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
//! other order, then, when its policy sets `[incoming] promise`, its unfilled lines are promised
//! from the incoming units the other orders left (as [`Router::promise_incoming`] does after a
//! batch), so the result is feasible; a shipment promised from incoming stock holds its units
//! of `incoming`, not of the stock on hand, and gives them back when its order moves (a
//! `NodeDown` of its node moves it like any other); an order that did not need to move keeps its
//! shipments exactly. An order is listed as moved when its shipments differ from the plan's
//! (one moved away and back is not). At the end, unfilled reasons that the final stock makes
//! false (`NO_STOCK` where stock was freed later, say) are brought up to date.

mod error;
mod event;
mod state;

pub use error::RerouteError;
pub use event::Event;

use super::optimise::{same_shipments, settle_reasons};
use super::{Plan, PlanTotals, Router, StockTable};
use crate::{IncomingStock, Order};
use jiff::Timestamp;
use state::State;

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
    /// Applies `events` to `plan` (made for `orders` from starting stock `stock` and the units
    /// on their way `incoming`, empty when the batch promised none), moving only the orders that
    /// must move. See the module docs for each event; a dealer event that does not fit the plan
    /// is an error.
    pub fn reroute(
        &self,
        orders: &[Order],
        plan: &Plan,
        stock: &StockTable,
        incoming: &IncomingStock,
        events: &[Event],
        now: Timestamp,
    ) -> Result<Rerouted, RerouteError> {
        self.reroute_moves(orders, plan, stock, incoming, events, now)
            .map(|(r, _)| r)
    }

    /// [`Router::reroute`], and per event the orders whose shipments it changed (one pass: the
    /// shipments of each order an event touches are compared before and after it).
    pub fn reroute_moves(
        &self,
        orders: &[Order],
        plan: &Plan,
        stock: &StockTable,
        incoming: &IncomingStock,
        events: &[Event],
        now: Timestamp,
    ) -> Result<(Rerouted, Vec<u64>), RerouteError> {
        let mut moves = Vec::with_capacity(events.len());
        let mut start = stock.clone();
        let mut state = State::new(self, orders, &plan.decisions, (stock, incoming), now);
        for (k, &event) in events.iter().enumerate() {
            match event {
                Event::NodeDown(n) => {
                    state.down.push(n);
                    let hit = state.shipping_from(|s, _| s.node == n);
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
            moves.push(state.moved_by_event());
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
        let rerouted = Rerouted {
            plan: Plan::from_decisions(orders, decisions),
            before: plan.totals,
            moved,
            review,
            stock: start,
        };
        Ok((rerouted, moves))
    }
}

impl Router {
    /// The stock before the policy's safety hold (`raw`, what [`crate::check`] takes) after
    /// `events` whose starting stock for the router became `after` ([`Rerouted::stock`]): each
    /// position a stock event touched is set to its routable units plus the hold, so the
    /// checker, which takes the hold off, sees what the router saw.
    pub fn raw_stock_after(
        &self,
        raw: &StockTable,
        events: &[Event],
        after: &StockTable,
    ) -> StockTable {
        let mut raw = raw.clone();
        for e in events {
            let (Event::StockCorrection { node, sku, .. } | Event::StockArrival { node, sku, .. }) =
                *e
            else {
                continue;
            };
            let want = after.qty(node, sku).saturating_add(self.safety_hold(node));
            let have = raw.qty(node, sku);
            raw.take(node, sku, have);
            raw.add(node, sku, want);
        }
        raw
    }
}
