//! The re-routing state and the moves each event makes: release an order, route it again
//! against what the others leave, and keep the old decision when an optional move gains nothing.

use super::RerouteError;
use crate::router::{Decision, Load, Reason, Router, Shipment, StockTable};
use crate::{IncomingStock, NodeIdx, NodeKind, Order, SkuId};
use jiff::Timestamp;
use rustc_hash::FxHashMap;

/// The plan being re-routed: its orders and decisions, the stock and capacity they leave, and
/// what the events so far said (nodes down, refusals, acceptances, the review queue).
pub(super) struct State<'r> {
    router: &'r Router,
    orders: Vec<Order>,
    pub(super) decisions: Vec<Decision>,
    pub(super) left: StockTable,
    /// The incoming units no shipment has promised yet.
    incoming: IncomingStock,
    load: Load,
    pub(super) down: Vec<NodeIdx>,
    /// Per order, the dealers that refused it.
    rejected: Vec<Vec<NodeIdx>>,
    /// Per order, the dealers that accepted it.
    accepted: Vec<Vec<NodeIdx>>,
    pub(super) review: Vec<usize>,
    now: Timestamp,
    /// The shipments, before the current event, of each order it replaced the decision of
    /// (for [`Router::reroute_moves`]).
    touched: FxHashMap<usize, Vec<Shipment>>,
}

impl<'r> State<'r> {
    /// The state after `plan` (made for `orders` from the starting stock on hand and incoming),
    /// before any event.
    pub(super) fn new(
        router: &'r Router,
        orders: &[Order],
        plan: &[Decision],
        (stock, incoming): (&StockTable, &IncomingStock),
        now: Timestamp,
    ) -> Self {
        let mut state = State {
            router,
            orders: orders.to_vec(),
            decisions: plan.to_vec(),
            left: stock.clone(),
            incoming: incoming.clone(),
            load: Load::default(),
            down: Vec::new(),
            rejected: vec![Vec::new(); orders.len()],
            accepted: vec![Vec::new(); orders.len()],
            review: Vec::new(),
            now,
            touched: FxHashMap::default(),
        };
        for (i, d) in plan.iter().enumerate() {
            state.take(i, d);
        }
        state
    }

    /// Takes what order `i`'s decision `d` ships: its units out of the stock on hand, or of the
    /// incoming units for a shipment promised from them, and its shipments' capacity.
    fn take(&mut self, i: usize, d: &Decision) {
        let order = &self.orders[i];
        for s in &d.shipments {
            for &l in &s.lines {
                let line = &order.lines[l];
                if s.arrival.is_some() {
                    self.incoming.take(s.node, line.sku, line.qty);
                } else {
                    let taken = self.left.take(s.node, line.sku, line.qty);
                    debug_assert_eq!(taken, line.qty, "the plan ships more than the stock");
                }
            }
            self.load.add_shipment(s.node, s.units);
        }
    }

    /// Gives back what order `i`'s decision `d` took ([`State::take`]).
    fn release(&mut self, i: usize, d: &Decision) {
        let order = &self.orders[i];
        for s in &d.shipments {
            for &l in &s.lines {
                let line = &order.lines[l];
                if s.arrival.is_some() {
                    self.incoming.put_back(s.node, line.sku, line.qty);
                } else {
                    self.left.add(s.node, line.sku, line.qty);
                }
            }
            self.load.remove_shipment(s.node, s.units);
        }
    }

    /// True when what is left still holds every line `d` ships (an optional move may keep it).
    fn fits(&self, i: usize, d: &Decision) -> bool {
        let order = &self.orders[i];
        d.shipments.iter().all(|s| {
            s.lines.iter().all(|&l| {
                let line = &order.lines[l];
                let have = if s.arrival.is_some() {
                    self.incoming.qty(s.node, line.sku)
                } else {
                    self.left.qty(s.node, line.sku)
                };
                have >= line.qty
            })
        })
    }

    /// Replaces order `i`'s decision, remembering its shipments before the event.
    fn set(&mut self, i: usize, d: Decision) {
        self.touched
            .entry(i)
            .or_insert_with(|| self.decisions[i].shipments.clone());
        self.decisions[i] = d;
    }

    /// The orders whose shipments the event just applied changed; starts the next event.
    pub(super) fn moved_by_event(&mut self) -> u64 {
        let decisions = &self.decisions;
        self.touched
            .drain()
            .filter(|(i, before)| *before != decisions[*i].shipments)
            .count() as u64
    }

    /// Orders with a shipped line matching `hit(shipment, sku)`, in arrival order.
    pub(super) fn shipping_from(&self, hit: impl Fn(&Shipment, SkuId) -> bool) -> Vec<usize> {
        (0..self.orders.len())
            .filter(|&i| {
                self.decisions[i]
                    .shipments
                    .iter()
                    .any(|s| s.lines.iter().any(|&l| hit(s, self.orders[i].lines[l].sku)))
            })
            .collect()
    }

    /// Orders (not in review) with an unfilled line whose SKU matches.
    pub(super) fn with_unfilled(&self, sku: impl Fn(SkuId) -> bool) -> Vec<usize> {
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
    pub(super) fn reroute_all(&mut self, orders: &[usize], must: bool) {
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
        self.release(i, &old);
        self.route_released(i, old, must);
    }

    /// Routes order `i`, whose decision `old` was already released, against what is left: the
    /// stock on hand, then, under `[incoming] promise`, the incoming units for its unfilled lines.
    fn route_released(&mut self, i: usize, old: Decision, must: bool) {
        let mut order = self.orders[i].clone();
        order.excluded.extend(self.down.iter().copied());
        let mut new = self.router.route(&order, &self.left, &self.load, self.now);
        let version = self.router.version(&order, self.now);
        if version.may_promise(&new) {
            // Promised against copies: `take` below takes the chosen decision's units once.
            let (mut incoming, mut load) = (self.incoming.clone(), self.load.clone());
            for s in &new.shipments {
                load.add_shipment(s.node, s.units);
            }
            version.promise_order(&order, &mut new, &mut incoming, &mut load, self.now);
        }
        let keep_old = !must && new.cost_cents() >= old.cost_cents();
        debug_assert!(must || !keep_old || self.fits(i, &old));
        let d = if keep_old { old } else { new };
        self.take(i, &d);
        self.set(i, d);
    }

    /// Dealer `node` accepted order `i` (event `event`).
    pub(super) fn accept(
        &mut self,
        event: usize,
        i: usize,
        node: NodeIdx,
    ) -> Result<(), RerouteError> {
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
    pub(super) fn reject(
        &mut self,
        event: usize,
        i: usize,
        node: NodeIdx,
    ) -> Result<(), RerouteError> {
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
            self.release(i, &old);
            let per_unit = crate::router::order_terms::OrderTerms::resolve(&self.orders[i], policy)
                .unfilled_per_unit_cents;
            let mut d =
                crate::router::decision::ship_nothing(&old, &self.orders[i], per_unit, |_| {
                    Reason::Excluded
                });
            d.rules.push("review queue: too many rejections".into());
            self.set(i, d);
            self.review.push(i);
        } else {
            self.reroute_one(i, true);
        }
        Ok(())
    }

    /// The position's starting stock went from `was` to `now`; move the latest users until the
    /// plan fits.
    pub(super) fn correct(&mut self, node: NodeIdx, sku: SkuId, was: u32, now: u32) {
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
        // Only shipments of stock on hand use the position's units.
        let users = self.shipping_from(|s, k| s.node == node && k == sku && s.arrival.is_none());
        for &i in users.iter().rev() {
            if short == 0 {
                break;
            }
            let shipped: u32 = self.decisions[i]
                .shipments
                .iter()
                .filter(|s| s.node == node && s.arrival.is_none())
                .flat_map(|s| s.lines.iter())
                .filter(|&&l| self.orders[i].lines[l].sku == sku)
                .map(|&l| self.orders[i].lines[l].qty)
                .sum();
            // Release the order, drop its units of this position from the stock (they no longer
            // exist), then route it again against what is left.
            let old = self.decisions[i].clone();
            self.release(i, &old);
            let gone = shipped.min(short);
            self.left.take(node, sku, gone);
            short -= gone;
            self.route_released(i, old, true);
        }
    }
}
