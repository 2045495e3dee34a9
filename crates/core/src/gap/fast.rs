//! Tabu search for problems whose options each use at most one resource (classic GAP: an option is
//! an agent). Every move is evaluated in O(1) from the resource loads: a shift of item `i` changes
//! the excess of the resource it leaves and of the one it enters, a swap of `i` and `k` only those
//! two. Shifts are restricted to each item's best options by Lagrangian reduced cost, swaps to the
//! first few of them, and the swap partner's option on a resource is a table look-up. When no shift
//! improves, swaps and two-step ejection chains (`i` enters `b`, a `k` of `b` leaves for a third
//! resource) are scanned too; each item's two best exits are found once per move, so a chain is also
//! O(1). `Simple::restricted` cuts the candidates down to the options of a few solutions, for a
//! search that recombines them (see `solve.rs`).
//!
//! The search minimises cost plus a price per unit of excess per resource; a price grows while its
//! resource is over capacity and shrinks while it is not (strategic oscillation). Each step takes
//! the best non-tabu move (a tabu move only if it gives a new best feasible solution); after a long
//! run without a new best it restarts from the best, lightly perturbed (a few items moved to one of
//! their best few options).

use super::rng::Rng;
use super::tabu::{start_weights, Limits};
use super::AssignmentProblem;
use std::ops::Range;
use std::time::Instant;

const NONE: u32 = u32::MAX;
/// A candidate option: (option, resource, cost, amount).
type Cand = (u32, u32, i64, i64);
/// An item's cheapest candidate on one resource: (option, cost, amount), (`NONE`, 0, 0) if none.
type Cheapest = (u32, i64, i64);
/// Price factors per move: growth of an over-capacity resource's price while infeasible, and
/// relaxation of every price while feasible.
const GROW: f64 = 1.005;
const RELAX: f64 = 1.005;
/// A restart shifts a few random items, each to one of its first `PERTURB_TOP` candidates: a
/// random candidate is mostly far worse, and the search's first moves would only undo it.
const PERTURB_TOP: usize = 3;
/// Largest items × resources table kept for swap look-ups.
const TABLE_MAX: usize = 1 << 24;

/// A flat single-resource view of a problem, shared by all runs.
#[derive(Clone, Debug)]
pub(crate) struct Simple {
    /// Per global option: its resource (`NONE` if it uses nothing), amount and cost.
    res: Vec<u32>,
    amt: Vec<i64>,
    cost: Vec<i64>,
    cap: Vec<i64>,
    /// Resources.
    m: usize,
    /// `on[r * n + i]`: the cheapest shift candidate of item `i` on resource `r`; laid out so a
    /// swap scan on one resource stays in cache.
    on: Vec<Cheapest>,
    /// Per item: shift candidates as (option, resource, cost, amount), smallest reduced cost
    /// first; `cand_start` gives the ranges.
    cand: Vec<Cand>,
    cand_start: Vec<u32>,
    /// How many leading candidates are also swap targets.
    swaps: usize,
    /// Starting price per unit of excess, per resource.
    weight: Vec<f64>,
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

    fn cand(&self, i: usize) -> &[Cand] {
        &self.cand[self.cand_range(i)]
    }

    /// Where item `i`'s candidates are in `cand`.
    fn cand_range(&self, i: usize) -> Range<usize> {
        self.cand_start[i] as usize..self.cand_start[i + 1] as usize
    }

    /// Moves without a new best after which a search restarts from its best.
    pub(crate) fn stall(&self) -> u64 {
        super::tabu::stall(self.cand_start.len() - 1)
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

/// The current assignment: option per item, loads, the items on each resource, cost and excess.
#[derive(Clone)]
struct Run<'s> {
    s: &'s Simple,
    choice: Vec<u32>,
    /// (cost, amount) of each item's current option.
    cur: Vec<(i64, i64)>,
    load: Vec<i64>,
    members: Vec<Vec<u32>>,
    /// Position of each item in the member list of its resource.
    pos: Vec<u32>,
    cost: i64,
    excess: i64,
}

impl<'s> Run<'s> {
    fn new(s: &'s Simple, choice: &[u32]) -> Self {
        let mut run = Self {
            s,
            choice: choice.to_vec(),
            cur: choice
                .iter()
                .map(|&o| (s.cost[o as usize], s.amt[o as usize]))
                .collect(),
            load: vec![0; s.m],
            members: vec![Vec::new(); s.m],
            pos: vec![0; choice.len()],
            cost: 0,
            excess: 0,
        };
        for (i, &o) in choice.iter().enumerate() {
            run.cost += s.cost[o as usize];
            run.enter(i, o as usize);
        }
        run
    }

    fn over(&self, r: usize, load: i64) -> i64 {
        (load - self.s.cap[r]).max(0)
    }

    /// Change of excess of resource `r` if its load changed by `d`.
    fn dex(&self, r: u32, d: i64) -> i64 {
        if r == NONE {
            return 0;
        }
        let (r, l) = (r as usize, self.load[r as usize]);
        self.over(r, l + d) - self.over(r, l)
    }

    fn enter(&mut self, i: usize, o: usize) {
        let r = self.s.res[o];
        if r != NONE {
            let d = self.dex(r, self.s.amt[o]);
            self.excess += d;
            self.load[r as usize] += self.s.amt[o];
            self.pos[i] = self.members[r as usize].len() as u32;
            self.members[r as usize].push(i as u32);
        }
    }

    fn leave(&mut self, i: usize, o: usize) {
        let r = self.s.res[o];
        if r != NONE {
            let d = self.dex(r, -self.s.amt[o]);
            self.excess += d;
            self.load[r as usize] -= self.s.amt[o];
            let list = &mut self.members[r as usize];
            let at = self.pos[i] as usize;
            list.swap_remove(at);
            if let Some(&k) = list.get(at) {
                self.pos[k as usize] = at as u32;
            }
        }
    }

    fn shift(&mut self, i: usize, o: usize) {
        let cur = self.choice[i] as usize;
        if cur != o {
            self.leave(i, cur);
            self.enter(i, o);
            self.choice[i] = o as u32;
            self.cur[i] = (self.s.cost[o], self.s.amt[o]);
            self.cost += self.s.cost[o] - self.s.cost[cur];
        }
    }
}

/// Where an ejected item can go: option `q` on resource `c` (`NONE` if it uses nothing) taking
/// `amt`, with its cost change `dc`, the weighted excess change on `c` (`pen`) and whether `q` is
/// tabu.
#[derive(Clone, Copy)]
struct Exit {
    q: u32,
    c: u32,
    amt: i64,
    dc: i64,
    pen: f64,
    tabu: bool,
}

impl Exit {
    const NONE: Self = Self {
        q: NONE,
        c: NONE,
        amt: 0,
        dc: 0,
        pen: 0.0,
        tabu: false,
    };

    /// Non-tabu exits first, then the smaller value.
    fn before(&self, other: &Self) -> bool {
        other.q == NONE
            || (self.tabu, self.dc as f64 + self.pen) < (other.tabu, other.dc as f64 + other.pen)
    }
}

impl Run<'_> {
    /// Per item `k`, its two best exits (shift candidates) to two different resources other than
    /// its own: a chain that starts on resource `a` takes the first whose resource is not `a`.
    /// `enter`: the weighted excess change of entering each candidate's resource, as this move's
    /// shift scan priced it (see `best_move`).
    fn exits(&self, enter: &[f64], tabu: &[u64], it: u64) -> Vec<Exit> {
        let s = self.s;
        let mut out = vec![Exit::NONE; 2 * self.choice.len()];
        for (k, two) in out.chunks_exact_mut(2).enumerate() {
            let own = s.res[self.choice[k] as usize];
            let at = s.cand_range(k);
            for (&(q, c, qc, qa), &pen) in s.cand[at.clone()].iter().zip(&enter[at]) {
                if c == own {
                    continue;
                }
                let e = Exit {
                    q,
                    c,
                    amt: qa,
                    dc: qc - self.cur[k].0,
                    pen,
                    tabu: tabu[q as usize] > it,
                };
                if two[0].q != NONE && two[0].c == c {
                    if e.before(&two[0]) {
                        two[0] = e;
                    }
                } else if e.before(&two[0]) {
                    two[1] = two[0];
                    two[0] = e;
                } else if e.before(&two[1]) {
                    two[1] = e;
                }
            }
        }
        out
    }
}

/// Weighted excess change of resource `r` when its load changes by `d`.
#[inline]
fn pen(run: &Run, w: &[f64], r: u32, d: i64) -> f64 {
    if r == NONE || d == 0 {
        return 0.0;
    }
    let dex = run.dex(r, d);
    if dex == 0 {
        0.0
    } else {
        w[r as usize] * dex as f64
    }
}

#[derive(Clone, Copy)]
enum Move {
    Shift(usize, usize),
    Swap(usize, usize, usize, usize),
}

/// Runs one tabu search from `start` (global options); returns the best feasible solution found
/// (or `incumbent` if nothing better) and the number of moves made.
pub(crate) fn search(
    s: &Simple,
    start: &[u32],
    incumbent: Option<(Vec<u32>, i64)>,
    limits: Limits,
    rng: &mut Rng,
) -> (Option<(Vec<u32>, i64)>, u64) {
    let n = start.len();
    let mut run = Run::new(s, start);
    let mut best = incumbent;
    if run.excess == 0 && best.as_ref().is_none_or(|b| run.cost < b.1) {
        best = Some((run.choice.clone(), run.cost));
    }
    let mut w = s.weight.clone();
    let floor: Vec<f64> = w.iter().map(|x| x * 0.05).collect();
    let mut tabu = vec![0u64; s.res.len()];
    let mut enter = vec![0.0; s.cand.len()];
    let tenure = ((s.cand.len() as f64).sqrt() / 8.0).max(6.0) as usize;
    let stall = s.stall();
    let (mut it, mut last) = (0u64, 0u64);
    while it < limits.max_iterations
        && best.as_ref().is_none_or(|b| b.1 > limits.target)
        && limits
            .deadline
            .is_none_or(|d| it % 8 != 0 || Instant::now() < d)
    {
        it += 1;
        let best_cost = best.as_ref().map_or(i64::MAX, |b| b.1);
        let (mv, _) = best_move(&run, &w, &tabu, it, best_cost, &mut enter);
        match mv {
            None => tabu.fill(0),
            Some(Move::Shift(i, o)) => {
                tabu[run.choice[i] as usize] = it + (tenure + rng.below(tenure + 1)) as u64;
                run.shift(i, o);
            }
            Some(Move::Swap(i, to, k, q)) => {
                tabu[run.choice[i] as usize] = it + (tenure + rng.below(tenure + 1)) as u64;
                tabu[run.choice[k] as usize] = it + (tenure + rng.below(tenure + 1)) as u64;
                run.shift(i, to);
                run.shift(k, q);
            }
        }
        // Prices of over-capacity resources grow while the assignment is infeasible; all prices
        // shrink while it is feasible, so the search oscillates around the boundary.
        for (r, wr) in w.iter_mut().enumerate() {
            if run.excess == 0 {
                *wr = (*wr / RELAX).max(floor[r]);
            } else if run.load[r] > s.cap[r] {
                *wr = (*wr * GROW).min(1e12 * s.weight[r]);
            }
        }
        if run.excess == 0 && run.cost < best_cost {
            best = Some((run.choice.clone(), run.cost));
            last = it;
        } else if it - last > stall {
            if let Some(b) = &best {
                run = Run::new(s, &b.0);
                for _ in 0..(n / 20).max(2) {
                    let i = rng.below(n);
                    let c = s.cand(i);
                    let c = &c[..c.len().min(PERTURB_TOP)];
                    run.shift(i, c[rng.below(c.len())].0 as usize);
                }
            }
            w.clone_from(&s.weight);
            last = it;
        }
    }
    (best, it)
}

/// The best admissible move and its value (cost change plus weighted excess change). `enter` (one
/// entry per candidate, as `Simple::cand`) is scratch: the shift scan writes there the weighted
/// excess change of entering each candidate's resource, for every candidate off its item's own
/// resource, and the exits of the same move read it back.
fn best_move(
    run: &Run,
    w: &[f64],
    tabu: &[u64],
    it: u64,
    best_cost: i64,
    enter: &mut [f64],
) -> (Option<Move>, f64) {
    let s = run.s;
    let n = run.choice.len();
    let (mut mv, mut val) = (None, f64::INFINITY);
    // A tabu move is admissible only if it reaches a new best feasible solution.
    let aspire = |dc: i64, dex: i64| run.excess + dex == 0 && run.cost + dc < best_cost;
    for i in 0..run.choice.len() {
        let cur = run.choice[i] as usize;
        let (a, x) = (s.res[cur], s.amt[cur]);
        let leave = pen(run, w, a, -x);
        let at = s.cand_range(i);
        for (&(o, b, oc, oa), enter_b) in s.cand[at.clone()].iter().zip(&mut enter[at]) {
            let o = o as usize;
            if o == cur {
                continue;
            }
            let dc = oc - run.cur[i].0;
            let moved = if a == b {
                pen(run, w, a, oa - x)
            } else {
                *enter_b = pen(run, w, b, oa);
                leave + *enter_b
            };
            let v = dc as f64 + moved;
            if v < val {
                let dex = if a == b {
                    run.dex(a, oa - x)
                } else {
                    run.dex(a, -x) + run.dex(b, oa)
                };
                if tabu[o] <= it || aspire(dc, dex) {
                    (mv, val) = (Some(Move::Shift(i, o)), v);
                }
            }
        }
    }
    if val < -1e-9 {
        return (mv, val);
    }
    // No improving shift: look at swaps and ejection chains too. A chain moves i to resource b
    // and ejects a k of b to a third resource c; k's part of its value does not depend on i (c is
    // neither a nor b), so each item's best exits are found once per move, not once per chain.
    let exits = run.exits(enter, tabu, it);
    for i in 0..run.choice.len() {
        let cur = run.choice[i] as usize;
        let (a, x) = (s.res[cur], s.amt[cur]);
        let cand = s.cand(i);
        if a == NONE {
            continue;
        }
        let leave = pen(run, w, a, -x);
        for &(to, b, tc, y) in &cand[..cand.len().min(s.swaps)] {
            let to = to as usize;
            if b == NONE || b == a {
                continue;
            }
            let base = tc - run.cur[i].0;
            let free = tabu[to] <= it;
            for &k in &run.members[b as usize] {
                let k = k as usize;
                let db = y - run.cur[k].1;
                let pb = pen(run, w, b, db);
                let (q, qc, qa) = s.on[a as usize * n + k];
                if q != NONE {
                    let q = q as usize;
                    let dc = base + qc - run.cur[k].0;
                    let da = qa - x;
                    let v = dc as f64 + pen(run, w, a, da) + pb;
                    if v < val {
                        let dex = run.dex(a, da) + run.dex(b, db);
                        if (free && tabu[q] <= it) || aspire(dc, dex) {
                            (mv, val) = (Some(Move::Swap(i, to, k, q)), v);
                        }
                    }
                }
                // Ejection chain: i enters b, k leaves b for its best exit that is not a.
                let Some(e) = exits[2 * k..2 * k + 2]
                    .iter()
                    .find(|e| e.q != NONE && e.c != a)
                else {
                    continue;
                };
                let dc = base + e.dc;
                let v = dc as f64 + leave + pb + e.pen;
                if v < val {
                    let dex = run.dex(a, -x) + run.dex(b, db) + run.dex(e.c, e.amt);
                    if (free && !e.tabu) || aspire(dc, dex) {
                        (mv, val) = (Some(Move::Swap(i, to, k, e.q as usize)), v);
                    }
                }
            }
        }
    }
    (mv, val)
}

#[cfg(test)]
mod tests {
    use super::super::rng::Rng;
    use super::super::tabu::Limits;
    use super::{search, Simple};
    use crate::AssignmentProblem;

    /// 4 agents, 9 jobs; agent `r` of job `i` is global option `4 i + r`.
    fn gap() -> AssignmentProblem {
        let cost: Vec<Vec<i64>> = (0..4)
            .map(|r| (0..9).map(|i| 10 + (3 * i + 5 * r) % 7).collect())
            .collect();
        let amount: Vec<Vec<u64>> = (0..4)
            .map(|r| (0..9).map(|i| 1 + ((i + 2 * r) % 5) as u64).collect())
            .collect();
        AssignmentProblem::classic_gap(&cost, &amount, &[8, 8, 8, 8]).unwrap()
    }

    #[test]
    fn restricted_view_keeps_the_options_of_the_solutions() {
        let p = gap();
        let s = Simple::new(&p, &[0.0; 4]).unwrap();
        let a: Vec<u32> = (0..9).map(|i| 4 * i + i % 4).collect();
        let b: Vec<u32> = (0..9).map(|i| 4 * i + (i + 1) % 4).collect();
        let r = s.restricted(&[a.clone(), b.clone(), a.clone()]);
        for i in 0..9 {
            let mut got: Vec<u32> = r.cand(i).iter().map(|c| c.0).collect();
            got.sort_unstable();
            assert_eq!(got, vec![a[i].min(b[i]), a[i].max(b[i])], "item {i}");
        }
        // A search in the view only ever uses those options.
        let limits = Limits {
            deadline: None,
            max_iterations: 500,
            target: i64::MIN,
        };
        let (found, moves) = search(&r, &a, None, limits, &mut Rng::new(1, 0));
        assert_eq!(moves, 500);
        let (choice, _) = found.expect("b is feasible in the view");
        assert!((0..9).all(|i| choice[i] == a[i] || choice[i] == b[i]));
    }
}
