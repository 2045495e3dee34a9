//! The incoming promise (`[incoming] promise = true`, docs/router.md "Incoming stock"): a
//! post-pass over a plan that promises the lines on-hand stock left unfilled from stock arriving
//! in time. The router's decisions on stock on hand are not touched; this only adds shipments.
//!
//! Contract, per order in plan order, against one working copy of the incoming units:
//! - a whole line ships from the incoming units of one node holding at least its quantity
//!   (never split, never mixed with stock on hand), from a node the order has no shipment from,
//!   within the order's `max_shipments`; a ship-complete order only when every line then ships;
//!   an order routed by a rule's node groups is left as its group decided;
//! - the node passes every hard rule of [`evaluate`] (activity, filters, reach, territory,
//!   capacity counted with the whole plan's load);
//! - handling starts no earlier than the start of the arrival day ([`crate::ready_at`]), through
//!   the node's cut-off, handling days and calendar ([`promised_date_at`]); the delivery date
//!   meets the order's deadline (`promised_by`, else the level's `deadline_days`, else the
//!   policy's `horizon_days` after the order date), whatever the SLA;
//! - a shipment's price is the router's ([`PolicyRouter::shipment_cost`]); among the nodes it is
//!   the one that saves the most (unfilled cost of its lines less its price), only when it saves,
//!   ties on the lowest node index; repeated while a line can still be promised.

use super::candidate::{evaluate, promised_date_at, OrderCtx};
use super::order_terms::OrderTerms;
use super::policy_router::PolicyRouter;
use super::{CostBreakdown, Decision, LineSet, Load, Plan, Router, Shipment};
use crate::promise::{deadline, order_date, ready_at};
use crate::{IncomingStock, NodeIdx, Order};
use jiff::civil::Date;
use jiff::Timestamp;
use std::collections::BTreeSet;

/// One node's offer for some of an order's open lines.
struct Offer {
    shipment: Shipment,
    /// Unfilled cost of its lines less its price.
    saving_cents: i64,
}

impl Router {
    /// Promises, from `incoming`, the lines of `plan`'s decisions that stock on hand left
    /// unfilled, for the orders whose policy version sets `[incoming] promise` (see the module
    /// docs for the rules). `orders` are the plan's orders in order; `now` the reference time
    /// for orders without `created_at`. Each incoming unit is promised at most once, in plan
    /// order. The plan's totals and load are rebuilt; a plan that gained a shipment loses its
    /// lower bound (it bounded the plan on stock on hand only).
    ///
    /// ```
    /// # use omniroute_core::*;
    /// use jiff::civil::date;
    /// let tee = SkuId(0);
    /// let net = Network::new(vec![Node::new("W1", NodeKind::Warehouse, LatLng::new(28.6, 77.2)?)])?;
    /// let mut policy = Policy::default();
    /// policy.incoming.promise = true;
    /// let router = Router::new(net, policy);
    /// let order = Order::new("O1", LatLng::new(28.5, 77.1)?, vec![OrderLine {
    ///     line_no: 1, sku: tee, qty: 2, unit_price_cents: None,
    /// }]);
    /// let now = "2026-03-02T04:00:00Z".parse()?;
    /// let plan = router.route_sequential(std::slice::from_ref(&order), &StockTable::default(), now);
    /// assert!(!plan.decisions[0].is_complete());
    /// let incoming = IncomingStock::from_positions([(
    ///     NodeIdx(0), tee, Incoming { qty: 5, expected: Some(date(2026, 3, 4)) },
    /// )]);
    /// let plan = router.promise_incoming(std::slice::from_ref(&order), plan, &incoming, now);
    /// let s = &plan.decisions[0].shipments[0];
    /// // Arrives Wednesday, ships that day (no handling days), one transit day.
    /// assert_eq!((s.arrival, s.promised_date), (Some(date(2026, 3, 4)), date(2026, 3, 5)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn promise_incoming(
        &self,
        orders: &[Order],
        plan: Plan,
        incoming: &IncomingStock,
        now: Timestamp,
    ) -> Plan {
        let on = |o: &Order| self.version(o, now).policy.incoming.promise;
        if incoming.is_empty() || !orders.iter().any(on) {
            return plan;
        }
        let mut left = incoming.clone();
        let mut load = plan.load.clone();
        let mut changed = false;
        let mut decisions = plan.decisions;
        for (order, d) in orders.iter().zip(&mut decisions) {
            let router = self.version(order, now);
            changed |= router.promise_order(order, d, &mut left, &mut load, now);
        }
        if !changed {
            return Plan { decisions, ..plan };
        }
        Plan {
            speculation: plan.speculation,
            ..Plan::from_decisions(orders, decisions)
        }
    }
}

impl PolicyRouter {
    /// True when `d` may gain incoming shipments: the policy promises incoming stock, a line is
    /// unfilled, and no rule's node groups decided the order (their condition the extra
    /// shipments could change).
    pub(super) fn may_promise(&self, d: &Decision) -> bool {
        self.policy.incoming.promise && !d.unfilled.is_empty() && d.group.is_none()
    }

    /// Adds incoming shipments to `d` (see [`Router::promise_incoming`]), taking their units from
    /// `left` and their capacity in `load`; true when it added any (never unless
    /// [`PolicyRouter::may_promise`]).
    pub(super) fn promise_order(
        &self,
        order: &Order,
        d: &mut Decision,
        left: &mut IncomingStock,
        load: &mut Load,
        now: Timestamp,
    ) -> bool {
        if !self.may_promise(d) {
            return false;
        }
        let terms = OrderTerms::resolve(order, &self.policy);
        let ctx = OrderCtx::new(self, order, &terms, now, None);
        let mut added = Vec::new();
        let mut open: LineSet = LineSet::new();
        for u in &d.unfilled {
            open.insert(u.line);
        }
        // Each node ships at most once per order, so the units and capacity of the nodes still
        // weighed are those before this order: `left` and `load` change only once it is settled.
        while d.shipments.len() + added.len() < terms.max_shipments {
            let shipped = d.shipments.iter().chain(&added).count();
            let taken: Vec<NodeIdx> = d.shipments.iter().chain(&added).map(|s| s.node).collect();
            let best = holders(order, &open, left)
                .into_iter()
                .filter(|n| !taken.contains(n))
                .filter_map(|n| self.offer(&ctx, n, &open, left, load, shipped > 0))
                .filter(|o| o.saving_cents > 0)
                .min_by_key(|o| (-o.saving_cents, o.shipment.node));
            let Some(best) = best else { break };
            for &l in &best.shipment.lines {
                open.remove(l);
            }
            added.push(best.shipment);
        }
        if added.is_empty() || (terms.ship_complete && !open.is_empty()) {
            return false;
        }
        for s in &added {
            for &l in &s.lines {
                left.take(s.node, order.lines[l].sku, order.lines[l].qty);
            }
            load.add_shipment(s.node, s.units);
        }
        d.unfilled.retain(|u| open.contains(u.line));
        let unfilled_units: i64 = d
            .unfilled
            .iter()
            .map(|u| i64::from(order.lines[u.line].qty))
            .sum();
        d.cost.unfilled_cents = terms.unfilled_per_unit_cents * unfilled_units;
        for s in &added {
            d.cost += CostBreakdown {
                unfilled_cents: 0,
                ..s.cost
            };
        }
        d.shipments.extend(added);
        true
    }

    /// What `node` can promise of the `open` lines from the incoming units `left` with the
    /// capacity `load` leaves: the lines whose arrival still meets the deadline, priced.
    fn offer(
        &self,
        ctx: &OrderCtx<'_>,
        node: NodeIdx,
        open: &LineSet,
        left: &IncomingStock,
        load: &Load,
        extra: bool,
    ) -> Option<Offer> {
        let order = ctx.order;
        let mut lines = LineSet::new();
        for l in open.iter() {
            if left.qty(node, order.lines[l].sku) >= order.lines[l].qty {
                lines.insert(l);
            }
        }
        let n = self.network.node(node);
        let t = &self.terms.nodes[node.0 as usize];
        let km = order.destination.distance_km(n.location);
        let v = evaluate(&self.network, &self.policy, t, ctx, load, node, km, lines).ok()?;
        let by = deadline(
            order.promised_by,
            self.policy.level(order.service_level).deadline_days,
            ctx.created_at,
            &n.timezone,
        )
        .unwrap_or_else(|| {
            let days = i64::from(self.policy.incoming.horizon_days);
            order_date(ctx.created_at, &n.timezone) + jiff::Span::new().days(days)
        });
        let mut chosen: Vec<usize> = Vec::new();
        let (mut units, mut arrival, mut date) = (0u32, Date::MIN, Date::MIN);
        for l in v.lines.iter() {
            let line = &order.lines[l];
            let lot = left.lot(node, line.sku)?;
            let same_sku: u32 = chosen
                .iter()
                .filter(|&&c| order.lines[c].sku == line.sku)
                .map(|&c| order.lines[c].qty)
                .sum();
            if same_sku + line.qty > lot.qty {
                continue;
            }
            let ready = ready_at(ctx.created_at, lot.arrival, &n.timezone)?;
            let Some(delivered) = promised_date_at(n, t, ready, v.transit_days) else {
                continue;
            };
            if delivered > by || units.saturating_add(line.qty) > v.units_left {
                continue;
            }
            units += line.qty;
            arrival = arrival.max(lot.arrival);
            date = date.max(delivered);
            chosen.push(l);
        }
        if chosen.is_empty() {
            return None;
        }
        let split = if extra {
            ctx.terms.split_penalty_cents
        } else {
            0
        };
        let (cost, units) = self.shipment_cost(&v, order, &chosen, split, None);
        let unfilled: i64 = chosen
            .iter()
            .map(|&l| ctx.terms.unfilled_per_unit_cents * i64::from(order.lines[l].qty))
            .sum();
        Some(Offer {
            saving_cents: unfilled - cost.total_cents(),
            shipment: Shipment {
                node,
                lines: chosen,
                units,
                distance_km: km,
                promised_date: date,
                cost,
                arrival: Some(arrival),
            },
        })
    }
}

/// The nodes with enough incoming units left for at least one open line, ascending.
fn holders(order: &Order, open: &LineSet, left: &IncomingStock) -> BTreeSet<NodeIdx> {
    open.iter()
        .flat_map(|l| {
            let line = &order.lines[l];
            left.lots(line.sku)
                .iter()
                .filter(move |lot| lot.qty >= line.qty)
                .map(|lot| lot.node)
        })
        .collect()
}
