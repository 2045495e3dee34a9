//! Sequential batch routing (DESIGN §5): orders in arrival order, each against the stock and
//! capacity left by the ones before, exactly what an OMS does live.

use super::{Decision, Load, Router, StockTable};
use crate::Order;
use jiff::Timestamp;

/// Totals of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PlanTotals {
    /// Sum of every decision's objective, cents.
    pub cost_cents: i64,
    /// Sum of shipment distances, km.
    pub distance_km: f64,
    /// Orders routed.
    pub orders: u64,
    /// Orders with every line shipped.
    pub orders_complete: u64,
    /// Units ordered.
    pub units_ordered: u64,
    /// Units shipped.
    pub units_filled: u64,
    /// Shipments.
    pub shipments: u64,
    /// Orders shipped in more than one shipment.
    pub split_orders: u64,
}

impl PlanTotals {
    /// Units filled over units ordered (1.0 for an empty plan).
    pub fn fill_rate(&self) -> f64 {
        if self.units_ordered == 0 {
            1.0
        } else {
            self.units_filled as f64 / self.units_ordered as f64
        }
    }
}

/// The decisions of a batch, in order, plus totals and the per-node load.
#[derive(Debug, Clone)]
pub struct Plan {
    /// One decision per order, in input order.
    pub decisions: Vec<Decision>,
    /// Totals.
    pub totals: PlanTotals,
    /// Capacity used per node.
    pub load: Load,
}

impl Plan {
    /// Builds a plan (totals and load) from decisions.
    pub fn from_decisions(orders: &[Order], decisions: Vec<Decision>) -> Self {
        let mut totals = PlanTotals::default();
        let mut load = Load::default();
        for (order, d) in orders.iter().zip(&decisions) {
            totals.orders += 1;
            totals.cost_cents += d.cost_cents();
            totals.distance_km += d.distance_km();
            totals.units_ordered += order.units();
            totals.shipments += d.shipments.len() as u64;
            totals.orders_complete += u64::from(d.is_complete());
            totals.split_orders += u64::from(d.shipments.len() > 1);
            for s in &d.shipments {
                totals.units_filled += u64::from(s.units);
                load.add_shipment(s.node, s.units);
            }
        }
        Self {
            decisions,
            totals,
            load,
        }
    }
}

impl Router<'_> {
    /// Routes `orders` in arrival order against a working copy of `stock`: each order sees the
    /// stock and capacity left by the ones before it. `now` is the reference time for orders
    /// without `created_at`.
    pub fn route_sequential(&self, orders: &[Order], stock: &StockTable, now: Timestamp) -> Plan {
        let mut stock = stock.clone();
        let mut load = Load::default();
        let mut decisions = Vec::with_capacity(orders.len());
        for order in orders {
            let d = self.route(order, &stock, &load, now);
            apply(order, &d, &mut stock, &mut load);
            decisions.push(d);
        }
        Plan::from_decisions(orders, decisions)
    }
}

/// Takes a decision's shipped units out of `stock` and adds its shipments to `load`.
pub(crate) fn apply(order: &Order, d: &Decision, stock: &mut StockTable, load: &mut Load) {
    for s in &d.shipments {
        for &l in &s.lines {
            let line = &order.lines[l];
            let taken = stock.take(s.node, line.sku, line.qty);
            debug_assert_eq!(taken, line.qty, "router chose more than the stock");
        }
        load.add_shipment(s.node, s.units);
    }
}
