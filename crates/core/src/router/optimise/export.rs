//! Optimise mode's assignment model of a large batch, for benchmarks that compare its bound and
//! plan with an LP solver's relaxation of the same options (`benches/optimise`).

use super::progress::Reporter;
use crate::gap::AssignmentProblem;
use crate::router::{Router, StockTable};
use crate::Order;
use jiff::Timestamp;
use std::time::Instant;

use super::OptimiseOptions;

/// What optimise mode solves on a large batch, before its search.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OptimiseModel {
    /// Each order is an item; its option 0 is its sequential decision, then its solo decision,
    /// alternatives, priced decisions and "unfilled", at their costs in cents; resources are
    /// (node, SKU) stock and capacity-limited nodes' units and shipments.
    pub problem: AssignmentProblem,
    /// The Lagrangian bound of the pricing rounds (valid for every plan, not only these options).
    pub bound_cents: i64,
    /// The sequential plan's cost (option 0 of every item).
    pub sequential_cents: i64,
}

impl Router {
    /// The model [`Router::route_batch`] in optimise mode builds for a large batch (the tiny-batch
    /// exact solve skipped): the sequential pass, each order's options and the pricing rounds, on
    /// the same clock (`opts.time_limit` from `opts.started` or the call, pricing until half the
    /// time left), so with an `iteration_limit` it is the model that call solves.
    pub fn optimise_model(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
    ) -> OptimiseModel {
        let deadline = opts
            .started
            .unwrap_or_else(Instant::now)
            .checked_add(opts.time_limit);
        let sequential = self.route_sequential(orders, stock, now);
        let report = Reporter::new(&|_| {});
        let (options, bound) =
            self.large_options(orders, stock, now, opts, deadline, &sequential, &report);
        OptimiseModel {
            problem: self.assignment(orders, &options, stock),
            bound_cents: bound,
            sequential_cents: sequential.totals.cost_cents,
        }
    }
}
