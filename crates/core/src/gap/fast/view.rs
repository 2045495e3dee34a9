//! The flat single-resource view of a problem that every run of the fast search shares: per option
//! its resource, amount and cost, and per item its shift candidates, best by Lagrangian reduced
//! cost first.

use super::super::tabu::start_weights;
use super::super::AssignmentProblem;
use super::NONE;
use std::ops::Range;

/// A candidate option: (option, resource, cost, amount).
pub(super) type Cand = (u32, u32, i64, i64);
/// An item's cheapest candidate on one resource: (option, cost, amount), (`NONE`, 0, 0) if none.
pub(super) type Cheapest = (u32, i64, i64);
/// Largest items × resources table kept for swap look-ups.
const TABLE_MAX: usize = 1 << 24;

/// A flat single-resource view of a problem, shared by all runs.
#[derive(Clone, Debug)]
pub(crate) struct Simple {
    /// Per global option: its resource (`NONE` if it uses nothing), amount and cost.
    pub(super) res: Vec<u32>,
    pub(super) amt: Vec<i64>,
    pub(super) cost: Vec<i64>,
    pub(super) cap: Vec<i64>,
    /// Resources.
    pub(super) m: usize,
    /// `on[r * n + i]`: the cheapest shift candidate of item `i` on resource `r`; laid out so a
    /// swap scan on one resource stays in cache.
    pub(super) on: Vec<Cheapest>,
    /// Per item: shift candidates as (option, resource, cost, amount), smallest reduced cost
    /// first; `cand_start` gives the ranges.
    pub(super) cand: Vec<Cand>,
    pub(super) cand_start: Vec<u32>,
    /// How many leading candidates are also swap targets.
    pub(super) swaps: usize,
    /// Starting price per unit of excess, per resource.
    pub(super) weight: Vec<f64>,
}

impl Simple {
    /// The view, or `None` when an option uses several resources or the look-up table is too big.
    pub(crate) fn new(p: &AssignmentProblem, lambda: &[f64]) -> Option<Self> {
        let (n, m) = (p.item_count(), p.resource_count());
        if n.saturating_mul(m) > TABLE_MAX || (0..p.total_options()).any(|o| p.uses(o).len() > 1) {
            return None;
        }
        let res: Vec<u32> = (0..p.total_options())
            .map(|o| p.uses(o).next().map_or(NONE, |u| p.use_resource(u) as u32))
            .collect();
        let amt: Vec<i64> = (0..p.total_options())
            .map(|o| p.uses(o).next().map_or(0, |u| p.use_amount(u)))
            .collect();
        let cost: Vec<i64> = (0..p.total_options()).map(|o| p.cost(o)).collect();
        let shifts = 20;
        let swaps = 5;
        let (on, cand, cand_start) = candidates(n, m, |i, out| {
            let mut rc: Vec<(f64, u32)> = p
                .options(i)
                .map(|o| {
                    let l = if res[o] == NONE {
                        0.0
                    } else {
                        lambda[res[o] as usize]
                    };
                    (cost[o] as f64 + l * amt[o] as f64, o as u32)
                })
                .collect();
            rc.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            out.extend(rc.iter().take(shifts).map(|x| {
                let o = x.1 as usize;
                (x.1, res[o], cost[o], amt[o])
            }));
        });
        Some(Self {
            res,
            amt,
            cost,
            cap: p.capacities().to_vec(),
            m,
            on,
            cand,
            cand_start,
            swaps,
            weight: start_weights(p, lambda),
        })
    }

    pub(super) fn cand(&self, i: usize) -> &[Cand] {
        &self.cand[self.cand_range(i)]
    }

    /// Where item `i`'s candidates are in `cand`.
    pub(super) fn cand_range(&self, i: usize) -> Range<usize> {
        self.cand_start[i] as usize..self.cand_start[i + 1] as usize
    }

    /// Moves without a new best after which a search restarts from its best.
    pub(crate) fn stall(&self) -> u64 {
        super::super::tabu::stall(self.cand_start.len() - 1)
    }

    /// The same view with each item's candidates cut down to the options that some of `sols`
    /// (choice vectors of global options, at least one) give it, candidates in their order first.
    /// A search in it recombines those solutions: each item keeps only options that did well in
    /// one of them.
    pub(crate) fn restricted(&self, sols: &[Vec<u32>]) -> Self {
        let n = self.cand_start.len() - 1;
        let mut used: Vec<u32> = Vec::new();
        let (on, cand, cand_start) = candidates(n, self.m, |i, out| {
            used.clear();
            used.extend(sols.iter().map(|x| x[i]));
            used.sort_unstable();
            used.dedup();
            let cand = self.cand(i);
            // Candidates in their order, then options of `sols` that were not candidates.
            let kept = cand.iter().filter(|c| used.binary_search(&c.0).is_ok());
            let other = used
                .iter()
                .filter(|&&o| cand.iter().all(|c| c.0 != o))
                .map(|&o| {
                    let o_ = o as usize;
                    (o, self.res[o_], self.cost[o_], self.amt[o_])
                });
            out.extend(kept.copied().chain(other));
        });
        // Field by field: `..self.clone()` would copy the tables only to drop them.
        Self {
            res: self.res.clone(),
            amt: self.amt.clone(),
            cost: self.cost.clone(),
            cap: self.cap.clone(),
            m: self.m,
            on,
            cand,
            cand_start,
            swaps: self.swaps,
            weight: self.weight.clone(),
        }
    }
}

/// The candidate tables of `n` items on `m` resources (`Simple`'s `on`, `cand` and `cand_start`):
/// `push(i, out)` appends item `i`'s candidates to `out` in their order, and `on` keeps the
/// cheapest of them on each resource (the first on ties).
fn candidates(
    n: usize,
    m: usize,
    mut push: impl FnMut(usize, &mut Vec<Cand>),
) -> (Vec<Cheapest>, Vec<Cand>, Vec<u32>) {
    let mut on = vec![(NONE, 0, 0); n * m];
    let (mut cand, mut cand_start) = (Vec::new(), vec![0u32]);
    for i in 0..n {
        let first = cand.len();
        push(i, &mut cand);
        for &(o, r, c, a) in &cand[first..] {
            if r != NONE {
                let e = &mut on[r as usize * n + i];
                if e.0 == NONE || c < e.1 {
                    *e = (o, c, a);
                }
            }
        }
        cand_start.push(cand.len() as u32);
    }
    (on, cand, cand_start)
}
