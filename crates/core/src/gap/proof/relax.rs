//! The Lagrangian relaxation of the assignment constraints ("each item takes exactly one option")
//! at a node of the branch and bound, for problems whose options use at most one resource.
//!
//! With a multiplier `u_i` per free item, `L(u) = fixed cost + Σ u_i + Σ_r min(knapsack_r) +
//! Σ min(0, c_o − u_i)` over the options that use nothing, where `knapsack_r` packs the options on
//! resource `r` at cost `c_o − u_i` within what `r` has left. Every `u` gives a lower bound on the
//! node's optimum (each feasible assignment is a feasible packing), at least as strong as the LP
//! relaxation (the knapsacks are solved in integers). Subgradient steps move `u_i` by
//! `1 − (options item i took)`.

use super::knapsack::{Entry, Knapsack};
use crate::gap::AssignmentProblem;
use std::ops::Range;
use std::time::Instant;

pub(super) const NONE: u32 = u32::MAX;

/// The problem flattened: per global option its item, resource (`NONE` if it uses nothing),
/// amount and cost; per resource the options on it.
#[derive(Debug)]
pub(super) struct Flat {
    pub(super) item: Vec<u32>,
    pub(super) res: Vec<u32>,
    pub(super) amt: Vec<i64>,
    pub(super) cost: Vec<i64>,
    pub(super) cap: Vec<i64>,
    pub(super) on: Vec<Vec<u32>>,
    pub(super) items: Vec<Range<usize>>,
}

impl Flat {
    /// The view, or `None` when an option uses more than one resource.
    pub(super) fn new(p: &AssignmentProblem) -> Option<Self> {
        let total = p.total_options();
        if (0..total).any(|o| p.uses(o).len() > 1) {
            return None;
        }
        let mut item = vec![0u32; total];
        let items: Vec<Range<usize>> = (0..p.item_count()).map(|i| p.options(i)).collect();
        for (i, r) in items.iter().enumerate() {
            item[r.clone()].fill(i as u32);
        }
        let first = |o: usize| p.uses(o).next();
        let res: Vec<u32> = (0..total)
            .map(|o| first(o).map_or(NONE, |u| p.use_resource(u) as u32))
            .collect();
        let mut on = vec![Vec::new(); p.resource_count()];
        for (o, &r) in res.iter().enumerate() {
            if r != NONE {
                on[r as usize].push(o as u32);
            }
        }
        Some(Self {
            item,
            res,
            amt: (0..total)
                .map(|o| first(o).map_or(0, |u| p.use_amount(u)))
                .collect(),
            cost: (0..total).map(|o| p.cost(o)).collect(),
            cap: p.capacities().to_vec(),
            on,
            items,
        })
    }

    /// Knapsack cells one evaluation of the relaxation fills at the root.
    pub(super) fn cells(&self) -> usize {
        self.on
            .iter()
            .zip(&self.cap)
            .map(|(o, &c)| o.len().saturating_mul(usize::try_from(c).unwrap_or(0) + 1))
            .fold(0usize, usize::saturating_add)
    }
}

/// What is decided at a node: fixed items, banned options, what each resource has left.
#[derive(Clone, Debug)]
pub(super) struct Node {
    /// Per item, its fixed global option (`NONE` while free).
    pub(super) fixed: Vec<u32>,
    pub(super) banned: Vec<bool>,
    pub(super) left: Vec<i64>,
    pub(super) fixed_cost: i64,
}

/// Scratch of the evaluations, and their last results.
#[derive(Debug, Default)]
pub(super) struct Relaxation {
    ks: Knapsack,
    entries: Vec<Entry>,
    opts: Vec<u32>,
    take: Vec<bool>,
    ww: Vec<(f64, f64)>,
    /// Per item, how many options the last evaluation took.
    pub(super) count: Vec<u32>,
    /// Per item, the cheapest option the last evaluation took (`NONE` if none).
    pub(super) took: Vec<u32>,
    /// Per global option, what forcing it in / out adds to the bound (`Relaxation::penalties`).
    pub(super) into: Vec<f64>,
    pub(super) out: Vec<f64>,
}

impl Relaxation {
    /// `L(u)` at `node`; fills `count` and `took`, and with `penalties` also `into` and `out`.
    pub(super) fn evaluate(&mut self, f: &Flat, node: &Node, u: &[f64], penalties: bool) -> f64 {
        let n = f.items.len();
        self.count.clear();
        self.count.resize(n, 0);
        self.took.clear();
        self.took.resize(n, NONE);
        if penalties {
            self.into.clear();
            self.into.resize(f.res.len(), f64::INFINITY);
            self.out.clear();
            self.out.resize(f.res.len(), 0.0);
        }
        let free = |o: usize| node.fixed[f.item[o] as usize] == NONE && !node.banned[o];
        let mut l = node.fixed_cost as f64;
        for (i, r) in f.items.iter().enumerate() {
            if node.fixed[i] != NONE {
                continue;
            }
            l += u[i];
            for o in r.clone().filter(|&o| f.res[o] == NONE && !node.banned[o]) {
                let d = f.cost[o] as f64 - u[i];
                if d < 0.0 {
                    l += d;
                    self.took(f, o);
                }
                if penalties {
                    (self.into[o], self.out[o]) = (d.max(0.0), (-d).max(0.0));
                }
            }
        }
        for (r, on) in f.on.iter().enumerate() {
            let left = node.left[r];
            self.entries.clear();
            self.opts.clear();
            for &o in on.iter().filter(|&&o| free(o as usize)) {
                let o_ = o as usize;
                let profit = u[f.item[o_] as usize] - f.cost[o_] as f64;
                if profit > 0.0 && f.amt[o_] <= left {
                    self.entries.push(Entry {
                        profit,
                        weight: f.amt[o_],
                    });
                    self.opts.push(o);
                }
            }
            let best = self.ks.solve(&self.entries, left, &mut self.take);
            l -= best;
            for k in 0..self.opts.len() {
                if self.take[k] {
                    self.took(f, self.opts[k] as usize);
                }
            }
            if penalties {
                self.ks.with_without(&self.entries, &mut self.ww);
                for (k, &(with, without)) in self.ww.iter().enumerate() {
                    let o = self.opts[k] as usize;
                    (self.into[o], self.out[o]) = (best - with, best - without);
                }
                // Options that are no entry: forcing one in packs it next to the best of the
                // entries within what is left.
                let width = self.entries.len();
                for &o in on.iter().filter(|&&o| free(o as usize)) {
                    let o = o as usize;
                    if self.into[o].is_finite() || f.amt[o] > left {
                        continue;
                    }
                    let room = usize::try_from(left - f.amt[o]).unwrap_or(0);
                    let with =
                        u[f.item[o] as usize] - f.cost[o] as f64 + self.ks.best_within(width, room);
                    self.into[o] = best - with;
                }
            }
        }
        l
    }

    fn took(&mut self, f: &Flat, o: usize) {
        let i = f.item[o] as usize;
        self.count[i] += 1;
        if self.took[i] == NONE || f.cost[o] < f.cost[self.took[i] as usize] {
            self.took[i] = o as u32;
        }
    }
}

/// How a node's subgradient runs.
#[derive(Clone, Copy, Debug)]
pub(super) struct Steps {
    pub(super) max: u32,
    /// First step factor (Polyak's θ); halved after `stall` steps without a better bound.
    pub(super) theta: f64,
    pub(super) stall: u32,
}

/// Subgradient ascent from `u` at `node`, aimed at `ub` (the incumbent's cost). Leaves the best
/// multipliers in `u` and returns their bound, stopping early once it reaches `ub` or the relaxed
/// solution assigns every free item exactly once (then it is feasible and optimal at the node).
pub(super) fn ascend(
    rx: &mut Relaxation,
    f: &Flat,
    node: &Node,
    u: &mut [f64],
    ub: Option<i64>,
    steps: Steps,
    deadline: Option<Instant>,
) -> f64 {
    let mut best = (f64::NEG_INFINITY, u.to_vec());
    let (mut theta, mut since) = (steps.theta, 0);
    for _ in 0..steps.max {
        let l = rx.evaluate(f, node, u, false);
        if l > best.0 {
            best.0 = l;
            best.1.copy_from_slice(u);
            since = 0;
        } else {
            since += 1;
            if since >= steps.stall {
                theta /= 2.0;
                since = 0;
            }
        }
        if ub.is_some_and(|b| ceil_bound(best.0) >= b)
            || deadline.is_some_and(|d| Instant::now() >= d)
        {
            break;
        }
        let g = |i: usize| {
            if node.fixed[i] == NONE {
                1.0 - f64::from(rx.count[i])
            } else {
                0.0
            }
        };
        let norm: f64 = (0..u.len()).map(|i| g(i) * g(i)).sum();
        if norm == 0.0 {
            break;
        }
        let target = ub.map_or(l + 0.05 * l.abs().max(1.0), |b| b as f64);
        let step = theta * (target - l).max(1e-3) / norm;
        for (i, ui) in u.iter_mut().enumerate() {
            *ui += step * g(i);
        }
    }
    u.copy_from_slice(&best.1);
    best.0
}

/// The integer bound a dual value proves (costs are integers), with a margin for float error.
pub(super) fn ceil_bound(l: f64) -> i64 {
    crate::gap::lagrange::ceil_bound(l)
}
