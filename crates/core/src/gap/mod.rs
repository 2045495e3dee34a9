//! The general assignment core (docs/design.md §5): items (jobs, orders) each pick exactly one option;
//! options have an integer cost and consume integer amounts of resources with capacities. Classic
//! GAP is the case of one resource per agent; the router's optimise mode is the case of options =
//! sets of shipments consuming (node, SKU) stock and node capacity, plus an "unfilled" option that
//! consumes nothing.
//!
//! [`solve_assignment`] runs a Lagrangian relaxation of the capacities (a valid lower bound),
//! repairs the pricing solutions into feasible ones, and improves the best with a tabu search:
//! `fast` when every option uses at most one resource (classic GAP; moves evaluated in O(1)),
//! `tabu` otherwise. When every option uses at most one resource, a branch and bound on the
//! Lagrangian relaxation of the assignment constraints (`proof`: per-resource knapsacks) runs
//! first on a tenth of the budget; it proves small classic GAPs optimal, and its root bound is
//! the one reported otherwise.
//! [`evaluate_assignment`] is the independent feasibility and cost check. The solver reads a
//! monotonic clock only to honour `time_limit`; with `iteration_limit` set it is deterministic
//! whenever it ends within `time_limit`.

// Optimisation code names items i, k, options o, q, resources r and the problem p, as the
// literature does.
#![allow(clippy::many_single_char_names)]

mod eject;
mod evaluate;
pub(crate) mod exact;
mod fast;
mod lagrange;
mod problem;
pub(crate) mod proof;
mod repair;
mod rng;
mod solve;
mod state;
mod tabu;
#[cfg(test)]
mod tests;

pub use evaluate::{evaluate_assignment, Infeasibility};
pub use problem::{AssignOption, AssignmentProblem, ItemId, ModelError, ResourceId};
pub use solve::{solve_assignment, AssignmentSolution, SolveOptions};
