//! Sequential batch routing (docs/design.md §5): orders in arrival order, each against the stock and
//! capacity left by the ones before, exactly what an OMS does live.

use super::{Decision, Load, Reason, ReasonCounts, Router, Speculation, StockTable};
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
    /// Unfilled lines, counted by the reason each carries.
    pub unfilled_by_reason: ReasonCounts,
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
    /// A proven lower bound on the cost of any plan for the batch (optimise mode only).
    pub bound_cents: Option<i64>,
    /// How many guesses were kept and how many routed again, when the batch was routed on
    /// several threads (sequential mode only).
    pub speculation: Option<Speculation>,
}

impl Plan {
    /// `(cost − bound) / cost` when a bound is known (0 for a zero-cost plan).
    pub fn gap(&self) -> Option<f64> {
        self.bound_cents.map(|b| {
            let c = self.totals.cost_cents;
            if c == 0 {
                0.0
            } else {
                (c - b) as f64 / c as f64
            }
        })
    }

    /// The unfilled lines the batch's reference time may explain: `SLA_UNREACHABLE` lines of
    /// orders without `created_at`, whose promise was judged at the `now` the batch was routed
    /// at (after the day's cut-offs, a same-day or next-day promise may be out of reach).
    /// `orders` are the plan's orders, in order.
    pub fn unfilled_at_reference_time(&self, orders: &[Order]) -> u64 {
        orders
            .iter()
            .zip(&self.decisions)
            .filter(|(o, _)| o.created_at.is_none())
            .flat_map(|(_, d)| &d.unfilled)
            .filter(|u| u.reason == Reason::SlaUnreachable)
            .count() as u64
    }

    /// Builds a plan (totals and load) from decisions.
    pub fn from_decisions(orders: &[Order], decisions: Vec<Decision>) -> Self {
        let mut totals = PlanTotals::default();
        let mut load = Load::default();
        for (order, d) in orders.iter().zip(&decisions) {
            totals.orders += 1;
            totals.cost_cents = totals.cost_cents.saturating_add(d.cost_cents());
            totals.distance_km += d.distance_km();
            totals.units_ordered += order.units();
            totals.shipments += d.shipments.len() as u64;
            totals.orders_complete += u64::from(d.is_complete());
            totals.split_orders += u64::from(d.shipments.len() > 1);
            for s in &d.shipments {
                totals.units_filled += u64::from(s.units);
                load.add_shipment(s.node, s.units);
            }
            for u in &d.unfilled {
                totals.unfilled_by_reason.add(u.reason);
            }
        }
        Self {
            decisions,
            totals,
            load,
            bound_cents: None,
            speculation: None,
        }
    }
}

impl Router {
    /// Routes `orders` in arrival order against a working copy of `stock`: each order sees the
    /// stock and capacity left by the ones before it. `now` is the reference time for orders
    /// without `created_at`.
    ///
    /// With parallelism on ([`Router::parallel`], the default) rayon's threads route orders ahead
    /// as guesses against the state of some moment (a worker's own copy, or the committer's
    /// state for its own guesses), and one thread commits them in order, routing the orders no
    /// thread guessed at their turn; an order whose inputs an earlier order changed since its guess
    /// (one of its SKUs sold out or fell below its need at a node, or a capacity-limited node
    /// whose load its route read lost the room for it) is routed again against the state of its
    /// turn (`speculate.rs`). The plan is therefore identical to the one-thread run;
    /// [`Plan::speculation`] counts the guesses kept and routed again.
    pub fn route_sequential(&self, orders: &[Order], stock: &StockTable, now: Timestamp) -> Plan {
        self.route_sequential_with(orders, stock, now, &|_| {})
    }

    /// [`Router::route_sequential`], calling `progress(n)` after each chunk with the number of
    /// orders routed so far.
    pub fn route_sequential_with(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Plan {
        self.route_sequential_from(orders, stock, &Load::default(), now, progress)
    }

    /// [`Router::route_sequential_with`] from capacity already used (a day's load carried in
    /// from earlier batches: [`crate::DailyLoad::load_at`]); the plan's `load` is its own.
    ///
    /// # Panics
    ///
    /// When an order is beyond the input limits (as [`Router::route`]), checked once per order
    /// before any is routed.
    pub fn route_sequential_from(
        &self,
        orders: &[Order],
        stock: &StockTable,
        start: &Load,
        now: Timestamp,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Plan {
        orders.iter().for_each(super::assert_within_limits);
        let mut stock = stock.clone();
        let mut load = start.clone();
        let mut decisions = Vec::with_capacity(orders.len());
        let threads = if self.parallel {
            rayon::current_num_threads()
        } else {
            1
        };
        let speculation = if threads > 1 {
            Some(self.route_speculating(
                orders,
                &mut stock,
                &mut load,
                now,
                threads,
                &mut decisions,
                progress,
            ))
        } else {
            for batch in orders.chunks(256) {
                for order in batch {
                    let d = self.route_priced(order, &stock, &load, now, None);
                    apply(order, &d, &mut stock, &mut load);
                    decisions.push(d);
                }
                progress(decisions.len());
            }
            None
        };
        Plan {
            speculation,
            ..Plan::from_decisions(orders, decisions)
        }
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
