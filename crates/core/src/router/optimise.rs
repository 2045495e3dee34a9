//! Optimise mode (docs/design.md §5): one plan for a whole batch under shared stock and capacity.
//!
//! 1. The sequential plan is the start (the result is never worse).
//! 2. **Tiny batches are solved exactly.** A batch is *tiny* when every order has at most
//!    [`EXACT_MAX_LINES`](super::EXACT_MAX_LINES) lines and at most
//!    [`EXACT_MAX_ASSIGNMENTS`](every::EXACT_MAX_ASSIGNMENTS) (4,096) assignments of its lines
//!    to nodes (the product over lines of 1 + the nodes that can ship the line), and the batch
//!    has at most [`EXACT_MAX_OPTIONS`] (4,096) feasible options in all. Each order's options are
//!    then *every* feasible assignment of whole lines to nodes or to "unfilled" (`every.rs`: the
//!    router's own hard rules and prices), and a branch-and-bound (`crate::gap::exact`) picks
//!    the cheapest jointly feasible combination. If it finishes within [`EXACT_MAX_NODES`]
//!    (1,000,000) nodes and within the time limit, the plan is
//!    optimal and its bound equals its cost (gap 0): the search is the proof. It always finishes
//!    when the product of the orders' option counts is at most 400,000 (the search places at
//!    most `orders + 2 × product` options). Otherwise the batch goes on as a large one.
//! 3. Options per order (large batches): its sequential decision, its *solo* decision (routed
//!    alone against the batch's starting stock, what it would get if it came first), up to
//!    [`ALTERNATIVES`] more found by routing it again without the nodes of the previous ones, and
//!    "leave it unfilled".
//! 4. The options become a general assignment problem (`crate::gap`): each order picks one
//!    option; options consume (node, SKU) stock and the units and shipments of capacity-limited
//!    nodes. It is solved by Lagrangian relaxation, repair and tabu search from the start.
//! 5. **Bound.** Each order's solo decision is its exact optimum with the whole starting stock to
//!    itself, so no plan can cost less than their sum: the Lagrangian bound at zero prices, valid
//!    for the real problem (not just the generated options). Subgradient rounds (`lagrange.rs`)
//!    then raise prices on over-used stock and capacity and route every order again with them
//!    (the priced router is the pricing step); each round's dual value is a valid bound and its
//!    decisions join the options. Orders of more than [`EXACT_MAX_LINES`](super::EXACT_MAX_LINES)
//!    lines are routed heuristically and add their floor (`Router::floor_cents`: each line's
//!    cheapest handling or unfilled cost, plus one shipment) to the bound instead.
//!
//! **Time.** `time_limit` is a deadline for the whole run, counted from
//! [`OptimiseOptions::started`] (the call by default); `iteration_limit` is a further cap, and
//! a run that ends within the deadline is deterministic. Past the deadline each phase stops at
//! its next check and the run returns the best plan so far (never worse than the sequential
//! one) with a valid bound. What can overrun: the sequential pass is never cut (it is the start
//! plan: it takes what routing the batch takes); building options checks the clock after each
//! order (past the deadline, the remaining orders keep their sequential decision and add 0 to
//! the bound), so it overruns by one order's routing; the exact search checks every 4,096 nodes;
//! a pricing round routes every order once and is not cut (it starts only before the pricing
//! deadline, half-way through the time left, so it overruns only when one round takes more
//! than half the time left); the search checks every 8 moves.
//!
//! Explanations: a chosen option other than the sequential decision keeps the candidates of the
//! order's solo routing (every node the router weighed; in the exact solve, every node holding
//! one of its SKUs), with `chosen` set on the nodes the plan ships from, and the rule list
//! records `batch optimiser`. [`Router::optimise_with`] reports progress (`progress.rs`);
//! [`Router::optimise_from`] starts from a sequential plan the caller already has (the CLI routes
//! it first under its own progress bar), so the sequential pass runs once.

mod every;
mod export;
mod lagrange;
mod large;
mod model;
mod plan;
mod progress;
#[cfg(test)]
mod tests;

pub use export::OptimiseModel;
pub(super) use plan::{same_shipments, settle_reasons};
pub use progress::{OptimisePhase, OptimiseProgress};

use plan::{chosen_plan, seq_reason};

use super::{Candidate, Decision, Plan, Router, StockTable};
use crate::gap::exact::{solve_exact, ExactLimits};
use crate::Order;
use jiff::Timestamp;
use progress::Reporter;
use std::time::{Duration, Instant};

/// Extra options per order beyond its sequential and solo decisions (large batches).
pub const ALTERNATIVES: usize = 2;

/// A batch is solved exactly only when its orders have at most this many feasible options in
/// all (and each order at most [`EXACT_MAX_ASSIGNMENTS`](every::EXACT_MAX_ASSIGNMENTS)
/// assignments to enumerate).
pub const EXACT_MAX_OPTIONS: usize = 4_096;

/// Nodes (options placed) the exact search may visit before the batch is treated as large.
pub const EXACT_MAX_NODES: u64 = 1_000_000;

/// How to route a batch.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Mode {
    /// Orders in arrival order, each against what the earlier ones left (what an OMS does live).
    Sequential,
    /// One plan for the whole batch, with a lower bound and the gap to it; optimal (gap 0) on
    /// tiny batches.
    Optimise(OptimiseOptions),
}

/// Settings of [`Mode::Optimise`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimiseOptions {
    /// Wall-clock budget of the whole run, counted from `started`: a deadline every phase
    /// checks (see the module docs for what can overrun it).
    pub time_limit: Duration,
    /// Moves per search run (and at most 8 pricing rounds), a cap besides the time limit; a run
    /// that ends within the time limit is then deterministic on any machine.
    pub iteration_limit: Option<u64>,
    /// When the run's clock started, if before the call: a caller that routed the sequential
    /// plan itself ([`Router::optimise_from`]) passes the instant it began, so that the time
    /// limit covers the whole run. `None`: the call.
    pub started: Option<Instant>,
    /// Seed of the search.
    pub seed: u64,
    /// Solve on the calling thread only (the plan is deterministic either way for a fixed
    /// `iteration_limit`).
    pub single_thread: bool,
}

impl Default for OptimiseOptions {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(10),
            iteration_limit: None,
            started: None,
            seed: 0,
            single_thread: false,
        }
    }
}

impl Router {
    /// Routes a batch in the given mode. See [`Router::route_sequential`] and the module docs of
    /// optimise mode.
    pub fn route_batch(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        mode: &Mode,
    ) -> Plan {
        match mode {
            Mode::Sequential => self.route_sequential(orders, stock, now),
            Mode::Optimise(opts) => self.optimise_with(orders, stock, now, opts, &|_| {}),
        }
    }

    /// [`Router::route_batch`] in optimise mode, calling `progress` from the calling thread as
    /// the run goes: after each chunk of the sequential pass, each few orders' options, each
    /// few thousand nodes of an exact search, each pricing round, before the search, and once
    /// with [`OptimisePhase::Done`] at the end. Fractions never decrease.
    pub fn optimise_with(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
        progress: &(dyn Fn(&OptimiseProgress) + Sync),
    ) -> Plan {
        self.optimise(orders, stock, now, opts, None, true, progress)
    }

    /// [`Router::optimise_with`] from `sequential`, the plan of
    /// [`Router::route_sequential`]`(orders, stock, now)` already computed by the caller (for
    /// its own progress display, say), so the sequential pass is not run again. It does what
    /// [`Router::optimise_with`] does from there: the same plan for a fixed `iteration_limit`;
    /// the time limit counts from [`OptimiseOptions::started`], else from the call.
    /// Progress starts at the end of the [`OptimisePhase::Sequential`] phase.
    ///
    /// # Panics
    ///
    /// If `sequential` does not have one decision per order, or an order is beyond the input
    /// limits (as [`Router::route`]).
    pub fn optimise_from(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
        sequential: Plan,
        progress: &(dyn Fn(&OptimiseProgress) + Sync),
    ) -> Plan {
        assert_eq!(
            sequential.decisions.len(),
            orders.len(),
            "the sequential plan must have one decision per order"
        );
        orders.iter().for_each(super::assert_within_limits);
        self.optimise(orders, stock, now, opts, Some(sequential), true, progress)
    }

    /// Optimise mode from `sequential` (routed here when `None`); `exact: false` skips the
    /// exact solve of tiny batches (tests of the large batch path).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn optimise(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
        sequential: Option<Plan>,
        exact: bool,
        progress: &(dyn Fn(&OptimiseProgress) + Sync),
    ) -> Plan {
        let deadline = opts
            .started
            .unwrap_or_else(Instant::now)
            .checked_add(opts.time_limit);
        let report = Reporter::new(progress);
        report.deadline(deadline);
        let n = orders.len().max(1) as f64;
        let sequential = match sequential {
            Some(plan) => {
                report.phase(OptimisePhase::Sequential, 1.0);
                plan
            }
            None => self.route_sequential_with(orders, stock, now, &|done| {
                report.phase(OptimisePhase::Sequential, done as f64 / n);
            }),
        };
        report.best(sequential.totals.cost_cents);
        let proven = if exact {
            self.optimise_exact(orders, stock, now, deadline, &sequential, &report)
        } else {
            None
        };
        let plan = proven.unwrap_or_else(|| {
            self.optimise_large(orders, stock, now, opts, deadline, sequential, &report)
        });
        report.done(plan.totals.cost_cents, plan.bound_cents);
        plan
    }

    /// Every option of every order and the exact search over them; `None` when the batch is not
    /// tiny or the search did not finish.
    fn optimise_exact(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        deadline: Option<Instant>,
        sequential: &Plan,
        report: &Reporter<'_>,
    ) -> Option<Plan> {
        if orders.len() > EXACT_MAX_OPTIONS {
            return None;
        }
        let mut options: Vec<Vec<Decision>> = Vec::with_capacity(orders.len());
        let mut explain: Vec<Vec<Candidate>> = Vec::with_capacity(orders.len());
        let mut total = 0;
        for (i, (order, seq)) in orders.iter().zip(&sequential.decisions).enumerate() {
            report.phase(OptimisePhase::Options, i as f64 / orders.len() as f64);
            let every = self.every_option(order, stock, now, |l| seq_reason(seq, l))?;
            total += every.options.len();
            if total > EXACT_MAX_OPTIONS {
                return None;
            }
            // The sequential decision is option 0 (the start); every other assignment follows.
            let mut list = vec![seq.clone()];
            list.extend(
                every
                    .options
                    .into_iter()
                    .filter(|d| !same_shipments(d, seq)),
            );
            options.push(list);
            explain.push(every.candidates);
        }
        report.phase(OptimisePhase::Exact, 0.0);
        let problem = self.assignment(orders, &options, stock);
        let limits = ExactLimits {
            max_nodes: EXACT_MAX_NODES,
            deadline,
        };
        let start = vec![0; orders.len()];
        let solution = solve_exact(&problem, Some(&start), limits, &mut |f, best| {
            report.phase(OptimisePhase::Exact, f);
            if let Some(b) = best {
                report.best(b);
            }
        });
        if !solution.proven {
            return None;
        }
        let (choice, cost) = solution.best?;
        let terms = |o: &Order| self.split_terms(o, now);
        let mut plan = chosen_plan(orders, stock, options, &choice, terms, |i, _| {
            std::mem::take(&mut explain[i])
        });
        debug_assert_eq!(plan.totals.cost_cents, cost);
        plan.bound_cents = Some(cost);
        Some(plan)
    }
}
