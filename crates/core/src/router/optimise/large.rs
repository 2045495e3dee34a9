//! Optimise mode on a large batch: a few options per order, the Lagrangian bound of the pricing
//! rounds, and the heuristic solve of the assignment problem (steps 3–5 of `optimise.rs`).

use super::lagrange::Pricing;
use super::plan::{chosen_plan, seq_reason, unfilled};
use super::progress::{OptimisePhase, Reporter};
use super::{same_shipments, OptimiseOptions, ALTERNATIVES};
use crate::gap::{solve_assignment, SolveOptions};
use crate::router::{Decision, Load, Plan, Reason, Router, StockTable};
use crate::Order;
use jiff::Timestamp;
use std::time::{Duration, Instant};

impl Router {
    /// Large batches: a few options per order, the Lagrangian bound, and the heuristic solve.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn optimise_large(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
        deadline: Option<Instant>,
        sequential: Plan,
        report: &Reporter<'_>,
    ) -> Plan {
        let (options, bound) =
            self.large_options(orders, stock, now, opts, deadline, &sequential, report);
        report.phase(OptimisePhase::Search, 0.0);
        let problem = self.assignment(orders, &options, stock);
        let solution = solve_assignment(
            &problem,
            &SolveOptions {
                time_limit: deadline.map_or(Duration::MAX, |d| {
                    d.saturating_duration_since(Instant::now())
                }),
                iteration_limit: opts.iteration_limit,
                seed: opts.seed,
                threads: opts.single_thread.then_some(1),
                start: Some(vec![0; orders.len()]),
            },
        );
        let terms = |o: &Order| self.split_terms(o, now);
        let mut plan = chosen_plan(orders, stock, options, &solution.choice, terms, |_, o| {
            o[1.min(o.len() - 1)].candidates.clone()
        });
        if plan.totals.cost_cents > sequential.totals.cost_cents || !solution.feasible {
            plan = sequential; // never worse than the start
        }
        plan.bound_cents = Some(bound.min(plan.totals.cost_cents));
        plan
    }

    /// A large batch's options per order (the sequential decision first) and the Lagrangian
    /// bound, priced until half the time left.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn large_options(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
        deadline: Option<Instant>,
        sequential: &Plan,
        report: &Reporter<'_>,
    ) -> (Vec<Vec<Decision>>, i64) {
        let past = || deadline.is_some_and(|d| Instant::now() >= d);
        let empty = Load::default();
        let mut bound = 0i64;
        let mut options: Vec<Vec<Decision>> = Vec::with_capacity(orders.len());
        let every = (orders.len() / 100).max(1);
        for (i, (order, seq)) in orders.iter().zip(&sequential.decisions).enumerate() {
            if i % every == 0 {
                report.phase(OptimisePhase::Options, i as f64 / orders.len() as f64);
            }
            if past() {
                // Out of time: the sequential decision only, and 0 to the bound.
                options.push(vec![seq.clone()]);
                continue;
            }
            let solo = self.route(order, stock, &empty, now);
            let exact =
                order.lines.len() <= crate::router::EXACT_MAX_LINES && !self.by_groups(order, now);
            bound = bound.saturating_add(if exact {
                solo.cost_cents()
            } else {
                self.floor_cents(order, stock, &empty, now)
            });
            let group = solo.group.clone();
            let mut list = vec![seq.clone(), solo.clone()];
            let mut restricted = order.clone();
            let mut last = solo;
            for _ in 0..ALTERNATIVES {
                if last.shipments.is_empty() {
                    break;
                }
                restricted
                    .excluded
                    .extend(last.shipments.iter().map(|s| s.node));
                // Within the group `solo` took (`Router::route_within`): none left there, stop.
                let within = group.as_ref();
                let Some(next) = self.route_within(&restricted, stock, &empty, now, None, within)
                else {
                    break;
                };
                last = next;
                // Its EXCLUDED reasons name the nodes left out here, not the order's own.
                let mut alternative = last.clone();
                for u in &mut alternative.unfilled {
                    if u.reason == Reason::Excluded {
                        u.reason = seq_reason(seq, u.line);
                    }
                }
                list.push(alternative);
            }
            // Shipping nothing meets no group's condition: only under the default (or no group).
            if seq.group.as_ref().is_none_or(|c| c.group.is_none()) {
                list.push(unfilled(order, seq, self, now));
            }
            let mut unique: Vec<Decision> = Vec::with_capacity(list.len());
            for d in list {
                if !unique.iter().any(|u| same_shipments(u, &d)) {
                    unique.push(d);
                }
            }
            options.push(unique);
        }
        report.bound(bound);
        // Pricing gets half the time left, or all of it with an iteration limit (rounds capped).
        let pricing_deadline = match opts.iteration_limit {
            None => deadline.map(|d| {
                let now = Instant::now();
                now + d.saturating_duration_since(now) / 2
            }),
            Some(_) => deadline,
        };
        let limits = Pricing {
            upper_cents: sequential.totals.cost_cents,
            deadline: pricing_deadline,
            max_rounds: opts.iteration_limit.map(|_| 8),
        };
        let priced = self.lagrangian(orders, stock, now, &mut options, &limits, report);
        (options, bound.max(priced))
    }
}
