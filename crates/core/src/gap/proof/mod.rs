//! A branch and bound that proves optima of problems whose options each use at most one resource
//! (classic GAP), bounded by the Lagrangian relaxation of the assignment constraints (per-resource
//! 0-1 knapsacks, `relax.rs`), the classic strong bound for GAP.
//!
//! Each node runs subgradient steps from its parent's multipliers, then fixes variables by their
//! bound: an option whose forced inclusion lifts the bound to the incumbent is banned, and one
//! whose exclusion does is fixed. Items left with one option are fixed, which shrinks what their
//! resource has left. The node branches on the free item that loses most by not getting its most
//! promising option: first that option, then the item without it. A search that finishes proves
//! its answer; one stopped by its limits keeps the root bound.

mod knapsack;
mod relax;
#[cfg(test)]
mod tests;

use super::AssignmentProblem;
use relax::{ascend, ceil_bound, Flat, Node, Relaxation, Steps, NONE};
use std::time::Instant;

/// When [`prove`] stops.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProofLimits {
    /// Nodes of the search tree at most.
    pub(crate) max_nodes: u64,
    /// Wall-clock stop; `None` reads no clock.
    pub(crate) deadline: Option<Instant>,
}

/// What [`prove`] found.
#[derive(Clone, Debug)]
pub(crate) struct Proof {
    /// The best feasible assignment (global options) and its cost, the incumbent's if no better.
    pub(crate) best: Option<(Vec<u32>, i64)>,
    /// A valid lower bound on the optimum: `best`'s cost when `proven`, else the root bound.
    pub(crate) bound: i64,
    /// True when the search finished: `best` is optimal, or nothing is feasible.
    pub(crate) proven: bool,
    pub(crate) nodes: u64,
}

/// Largest knapsack table (cells per evaluation) the proof takes on.
pub(crate) const CELLS_MAX: usize = 1 << 21;

const ROOT: Steps = Steps {
    max: 600,
    theta: 1.0,
    stall: 20,
};
const CHILD: Steps = Steps {
    max: 40,
    theta: 0.2,
    stall: 6,
};

/// Starting multipliers from those of the capacities (`lambda`, one per resource): each item's
/// cheapest option priced at them.
pub(crate) fn start_multipliers(p: &AssignmentProblem, lambda: &[f64]) -> Vec<f64> {
    (0..p.item_count())
        .map(|i| {
            p.options(i)
                .map(|o| {
                    let priced = p
                        .uses(o)
                        .map(|u| lambda[p.use_resource(u)] * p.use_amount(u) as f64);
                    p.cost(o) as f64 + priced.sum::<f64>()
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

/// Proves an optimum of `p`, or `None` when an option uses several resources or the knapsacks are
/// too large (`CELLS_MAX`). `incumbent` (global options, feasible) is the first upper bound; `u`
/// the first multipliers (one per item).
pub(crate) fn prove(
    p: &AssignmentProblem,
    incumbent: Option<(Vec<u32>, i64)>,
    u: Vec<f64>,
    limits: ProofLimits,
) -> Option<Proof> {
    let f = Flat::new(p)?;
    if f.cells() > CELLS_MAX {
        return None;
    }
    let node = Node {
        fixed: vec![NONE; f.items.len()],
        banned: vec![false; f.res.len()],
        left: f.cap.clone(),
        fixed_cost: 0,
    };
    let mut s = Search {
        f: &f,
        rx: Relaxation::default(),
        best: incumbent,
        nodes: 0,
        root: i64::MIN,
        stopped: false,
        limits,
    };
    s.branch(node, u, ROOT);
    let bound = match (&s.best, s.stopped) {
        (Some(b), false) => b.1,
        (None, false) => i64::MAX,
        (_, true) => s.root,
    };
    Some(Proof {
        best: s.best,
        bound,
        proven: !s.stopped,
        nodes: s.nodes,
    })
}

struct Search<'f> {
    f: &'f Flat,
    rx: Relaxation,
    best: Option<(Vec<u32>, i64)>,
    nodes: u64,
    root: i64,
    stopped: bool,
    limits: ProofLimits,
}

impl Search<'_> {
    fn ub(&self) -> Option<i64> {
        self.best.as_ref().map(|b| b.1)
    }

    fn branch(&mut self, mut node: Node, mut u: Vec<f64>, steps: Steps) {
        if self.stopped || !self.propagate(&mut node) {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes
            || (self.nodes % 16 == 0 && self.limits.deadline.is_some_and(|d| Instant::now() >= d))
        {
            self.stopped = true;
            return;
        }
        if !node.fixed.contains(&NONE) {
            self.offer(node.fixed, node.fixed_cost);
            return;
        }
        let ub = self.ub();
        let l = ascend(
            &mut self.rx,
            self.f,
            &node,
            &mut u,
            ub,
            steps,
            self.limits.deadline,
        );
        if self.nodes == 1 {
            self.root = ceil_bound(l);
        }
        if self.ub().is_some_and(|b| ceil_bound(l) >= b) {
            return;
        }
        let l = self.rx.evaluate(self.f, &node, &u, true);
        self.round(&node);
        let Some(ub) = self.ub() else {
            return self.split(node, u);
        };
        // Fixing by the bound: what any assignment better than the incumbent must do.
        for i in 0..node.fixed.len() {
            if node.fixed[i] != NONE {
                continue;
            }
            for o in self.f.items[i].clone() {
                if node.banned[o] {
                    continue;
                }
                if ceil_bound(l + self.rx.into[o]) >= ub {
                    node.banned[o] = true;
                } else if ceil_bound(l + self.rx.out[o]) >= ub {
                    let others = self.f.items[i].clone().filter(|&q| q != o);
                    others.for_each(|q| node.banned[q] = true);
                }
            }
        }
        if !self.propagate(&mut node) {
            return;
        }
        if !node.fixed.contains(&NONE) {
            // The fixing decided every item: a leaf, the only assignment left to beat the incumbent.
            return self.offer(node.fixed, node.fixed_cost);
        }
        self.split(node, u);
    }

    /// Branches on the item that loses most without its best option (by `into`).
    fn split(&mut self, node: Node, u: Vec<f64>) {
        let f = self.f;
        let mut pick: Option<(f64, usize, usize)> = None;
        for (i, r) in f.items.iter().enumerate() {
            if node.fixed[i] != NONE {
                continue;
            }
            let mut two = (f64::INFINITY, usize::MAX, f64::INFINITY);
            for o in r.clone().filter(|&o| !node.banned[o]) {
                let v = self.rx.into[o];
                if v < two.0 {
                    two = (v, o, two.0);
                } else if v < two.2 {
                    two.2 = v;
                }
            }
            if two.1 != usize::MAX && pick.is_none_or(|p| two.2 > p.0) {
                pick = Some((two.2, i, two.1));
            }
        }
        let Some((_, i, o)) = pick else {
            return;
        };
        let mut take = node.clone();
        let others = f.items[i].clone().filter(|&q| q != o);
        others.for_each(|q| take.banned[q] = true);
        self.branch(take, u.clone(), CHILD);
        let mut skip = node;
        skip.banned[o] = true;
        self.branch(skip, u, CHILD);
    }

    /// Fixes items with one option left, until none is; false when the node is infeasible.
    fn propagate(&mut self, node: &mut Node) -> bool {
        let f = self.f;
        loop {
            let mut changed = false;
            for i in 0..node.fixed.len() {
                if node.fixed[i] != NONE {
                    continue;
                }
                let mut open = f.items[i].clone().filter(|&o| {
                    !node.banned[o]
                        && (f.res[o] == NONE || f.amt[o] <= node.left[f.res[o] as usize])
                });
                let Some(o) = open.next() else {
                    return false;
                };
                if open.next().is_none() {
                    node.fixed[i] = o as u32;
                    node.fixed_cost += f.cost[o];
                    if f.res[o] != NONE {
                        node.left[f.res[o] as usize] -= f.amt[o];
                    }
                    changed = true;
                }
            }
            if !changed {
                return true;
            }
        }
    }

    /// A feasible assignment from the last evaluation: each item that took options keeps its
    /// cheapest, the rest go to their cheapest option that still fits.
    fn round(&mut self, node: &Node) {
        let f = self.f;
        let mut left = node.left.clone();
        let mut choice = node.fixed.clone();
        let mut cost = node.fixed_cost;
        let fits = |o: usize, left: &mut [i64]| {
            let r = f.res[o];
            if r != NONE && f.amt[o] > left[r as usize] {
                return false;
            }
            if r != NONE {
                left[r as usize] -= f.amt[o];
            }
            true
        };
        let mut rest = Vec::new();
        for (i, c) in choice.iter_mut().enumerate() {
            if *c != NONE {
                continue;
            }
            let o = self.rx.took[i];
            if o != NONE && fits(o as usize, &mut left) {
                *c = o;
                cost += f.cost[o as usize];
            } else {
                rest.push(i);
            }
        }
        for i in rest {
            let mut open: Vec<usize> = f.items[i].clone().filter(|&o| !node.banned[o]).collect();
            open.sort_by_key(|&o| (f.cost[o], o));
            let Some(o) = open.into_iter().find(|&o| fits(o, &mut left)) else {
                return;
            };
            choice[i] = o as u32;
            cost += f.cost[o];
        }
        self.offer(choice, cost);
    }

    fn offer(&mut self, choice: Vec<u32>, cost: i64) {
        if self.ub().is_none_or(|b| cost < b) {
            self.best = Some((choice, cost));
        }
    }
}
