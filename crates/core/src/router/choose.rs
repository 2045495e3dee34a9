//! Choosing shipments: the least-cost assignment of whole lines to the viable nodes fed so far.
//!
//! Up to [`EXACT_MAX_LINES`] lines, exact: a DP over subsets of lines adding one node at a time,
//! one layer per shipment count (docs/router.md, "Choosing"); beyond, [`Greedy`]. Ties keep the
//! earlier candidate and the fewer shipments, so the result is deterministic.

use super::candidate::Viable;
use super::exact::Exact;
use super::greedy::Greedy;
use super::LineSet;

/// Orders with at most this many lines are chosen exactly.
pub const EXACT_MAX_LINES: usize = 12;

pub(crate) const INF: i64 = i64::MAX / 4;

/// The order-level numbers the solver needs.
pub(crate) struct Problem {
    /// Units per line.
    pub units: Vec<u32>,
    /// Unfilled cost per line.
    pub unfilled_cents: Vec<i64>,
    pub max_shipments: usize,
    pub ship_complete: bool,
    pub split_penalty_cents: i64,
    /// Lines that share a SKU (groups of two or more lines only): a node must hold the group's
    /// combined quantity to ship the lines together.
    pub sku_groups: Vec<LineSet>,
}

impl Problem {
    /// True when `sub` fits the node's stock of every shared SKU (`group_stock[g]` units of
    /// group `g`'s SKU).
    pub(crate) fn groups_fit(&self, sub: &LineSet, group_stock: &[u32]) -> bool {
        self.sku_groups.iter().zip(group_stock).all(|(g, &have)| {
            let units: u64 = sub
                .intersection(g)
                .iter()
                .map(|l| u64::from(self.units[l]))
                .sum();
            units <= u64::from(have)
        })
    }
}

/// One chosen shipment: the viable node's position in the candidate list and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pick {
    pub viable: usize,
    pub lines: LineSet,
}

/// Incremental solver: feed viable nodes nearest first, read the best objective at any time.
pub(crate) enum Solver {
    Exact(Exact),
    Greedy(Greedy),
}

impl Solver {
    pub(crate) fn new(problem: Problem) -> Self {
        if problem.units.len() <= EXACT_MAX_LINES {
            Solver::Exact(Exact::new(problem))
        } else {
            Solver::Greedy(Greedy::new(problem))
        }
    }

    /// Adds a viable node with its per-line costs (handling + margin) at that node.
    pub(crate) fn add(&mut self, viable: &Viable, line_cents: &[i64], group_stock: &[u32]) {
        match self {
            Solver::Exact(e) => e.add(viable, line_cents, group_stock),
            Solver::Greedy(g) => g.add(viable, line_cents, group_stock),
        }
    }

    /// The best objective over the nodes added so far.
    pub(crate) fn best_cents(&self) -> i64 {
        match self {
            Solver::Exact(e) => e.best_cents(),
            Solver::Greedy(g) => g.best_cents(),
        }
    }

    /// A lower bound on any solution that ships some of the `open` lines from nodes yet to come,
    /// each such shipment costing at least `base`: the cheapest way to handle every line with
    /// at most `max_shipments − 1` added nodes, each line they leave costing its floor — the
    /// cheaper of leaving it unfilled (unless ship-complete) and, for an open line,
    /// `line_min[l]` (a lower bound on its handling and margin at any node) — plus one `base`.
    /// With `partial_only` no node yet to come can ship every line, so covering them all takes
    /// two such shipments. `i64::MIN` when unknown (greedy).
    pub(crate) fn rest_bound_cents(
        &self,
        open: &LineSet,
        line_min: &[i64],
        base: i64,
        partial_only: bool,
    ) -> i64 {
        match self {
            Solver::Exact(e) => {
                e.rest_bound(open.low_bits() as usize, line_min, base, partial_only)
            }
            Solver::Greedy(_) => i64::MIN,
        }
    }

    /// The best set of shipments, in candidate order.
    pub(crate) fn picks(&mut self) -> Vec<Pick> {
        match self {
            Solver::Exact(e) => e.picks(),
            Solver::Greedy(g) => g.picks(),
        }
    }
}
