//! Local search for any problem (options may use several resources; `fast` handles the
//! single-resource case): tabu search over shift and swap moves on cost plus adaptively weighted
//! excess.
//!
//! Each step takes the best non-tabu move (or a tabu one that gives a new best feasible solution).
//! A shift moves one item to another option; a swap moves item `i` to an option on the resource of
//! item `k` and `k` to an option on the resource `i` leaves (for GAP: exchange the agents of two
//! jobs). Excess over capacity is allowed at a price per unit and resource that grows while the
//! resource is over capacity and shrinks while it is not (strategic oscillation). After a long run
//! without a new best the search restarts from the best solution, lightly perturbed.

use super::rng::Rng;
use super::state::{Changes, State};
use super::AssignmentProblem;
use std::time::Instant;

const NONE: u32 = u32::MAX;
const MULTI: u32 = u32::MAX - 1;

/// What the search needs from the Lagrangian phase: candidate options and starting weights.
#[derive(Clone, Debug)]
pub(crate) struct Guide {
    /// Primary resource of each global option (`NONE` for an option that uses nothing).
    primary: Vec<u32>,
    /// Per item (same ranges as its options): (primary resource, option), sorted.
    by_primary: Vec<(u32, u32)>,
    /// Per item: swap target options, smallest reduced cost first; `cand_start` gives the ranges.
    cand: Vec<u32>,
    cand_start: Vec<u32>,
    /// Starting price per unit of excess, per resource.
    weight: Vec<f64>,
    /// Per global option: its only (resource, amount), (`NONE`, 0) if it uses nothing, or
    /// (`MULTI`, 0) if it uses several resources (then moves go through [`Changes`]).
    simple: Vec<(u32, i64)>,
}

impl Guide {
    /// Builds the guide from the multipliers of the best dual value.
    pub(crate) fn new(p: &AssignmentProblem, lambda: &[f64]) -> Self {
        let n = p.item_count();
        let primary: Vec<u32> = (0..p.total_options()).map(|o| p.primary(o)).collect();
        let mut by_primary = Vec::with_capacity(p.total_options());
        let (mut cand, mut cand_start) = (Vec::new(), vec![0u32]);
        let mean_options = p.total_options() as f64 / n.max(1) as f64;
        let rc = p.resource_count().max(1) as f64;
        // Enough candidates that a swap scan looks at ~100 partners per item.
        let k = ((100.0 * rc / n.max(1) as f64).ceil() as usize)
            .max(3)
            .min(mean_options.ceil() as usize);
        for i in 0..n {
            let range = p.options(i);
            let mut row: Vec<(u32, i64, u32)> = range
                .clone()
                .map(|o| (primary[o], p.cost(o), o as u32))
                .collect();
            row.sort_unstable();
            by_primary.extend(row.iter().map(|&(r, _, o)| (r, o)));
            let mut rcost: Vec<(f64, u32)> = range
                .map(|o| {
                    let v = p
                        .uses(o)
                        .map(|u| lambda[p.use_resource(u)] * p.use_amount(u) as f64);
                    (p.cost(o) as f64 + v.sum::<f64>(), o as u32)
                })
                .collect();
            rcost.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cand.extend(rcost.iter().take(k).map(|x| x.1));
            cand_start.push(cand.len() as u32);
        }
        let weight = start_weights(p, lambda);
        let simple = (0..p.total_options())
            .map(|o| match p.uses(o).len() {
                0 => (NONE, 0),
                1 => {
                    let u = p.uses(o).start;
                    (p.use_resource(u) as u32, p.use_amount(u))
                }
                _ => (MULTI, 0),
            })
            .collect();
        Self {
            primary,
            by_primary,
            cand,
            cand_start,
            weight,
            simple,
        }
    }

    /// The cheapest option of item `i` whose primary resource is `r`.
    fn option_on(&self, p: &AssignmentProblem, i: usize, r: u32) -> Option<usize> {
        let row = &self.by_primary[p.options(i)];
        let at = row.partition_point(|e| e.0 < r);
        row.get(at).filter(|e| e.0 == r).map(|e| e.1 as usize)
    }

    fn cand(&self, i: usize) -> &[u32] {
        &self.cand[self.cand_start[i] as usize..self.cand_start[i + 1] as usize]
    }
}

/// Moves without a new best after which a search over `items` items restarts from its best.
pub(crate) fn stall(items: usize) -> u64 {
    (20 * items as u64).max(2_000)
}

/// Starting price per unit of excess, per resource: the multiplier, at least the mean cost per
/// unit of resource over all options.
pub(crate) fn start_weights(p: &AssignmentProblem, lambda: &[f64]) -> Vec<f64> {
    let mut ratio = (0.0, 0usize);
    for o in 0..p.total_options() {
        for u in p.uses(o) {
            ratio.0 += p.cost(o).unsigned_abs() as f64 / p.use_amount(u) as f64;
            ratio.1 += 1;
        }
    }
    let base = (ratio.0 / ratio.1.max(1) as f64).max(1e-3);
    lambda.iter().map(|&l| l.max(base)).collect()
}

/// Stop rules of one search.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Wall-clock stop (none: iterations only, deterministic).
    pub(crate) deadline: Option<Instant>,
    /// Maximum number of moves.
    pub(crate) max_iterations: u64,
    /// Stop as soon as a feasible solution costs this or less (the lower bound).
    pub(crate) target: i64,
}

/// Net changes of up to four single-resource options, on the stack.
#[derive(Default)]
struct Quad {
    r: [u32; 4],
    d: [i64; 4],
    n: usize,
}

impl Quad {
    fn add(&mut self, (r, a): (u32, i64), sign: i64) {
        if r == NONE {
            return;
        }
        for k in 0..self.n {
            if self.r[k] == r {
                self.d[k] += sign * a;
                return;
            }
        }
        self.r[self.n] = r;
        self.d[self.n] = sign * a;
        self.n += 1;
    }

    /// (weighted excess change, excess change).
    fn delta(&self, s: &State, w: &[f64]) -> (f64, i64) {
        let cap = s.p.capacities();
        let (mut pen, mut ex) = (0.0, 0);
        for k in 0..self.n {
            let r = self.r[k] as usize;
            let before = (s.load[r] - cap[r]).max(0);
            let after = (s.load[r] + self.d[k] - cap[r]).max(0);
            pen += w[r] * (after - before) as f64;
            ex += after - before;
        }
        (pen, ex)
    }
}

/// (weighted excess change, excess change) of moving out of `out` and into `inn` (global options,
/// given with signs), on the stack when every option uses at most one resource.
fn move_delta(
    g: &Guide,
    s: &State,
    w: &[f64],
    ch: &mut Changes,
    moves: &[(usize, i64)],
) -> (f64, i64) {
    if moves.iter().all(|&(o, _)| g.simple[o].0 != MULTI) {
        let mut q = Quad::default();
        for &(o, sign) in moves {
            q.add(g.simple[o], sign);
        }
        q.delta(s, w)
    } else {
        ch.clear();
        for &(o, sign) in moves {
            ch.option(s.p, o, sign);
        }
        s.delta(ch, w)
    }
}

/// A tabu search's move: item `i` to option `o`, or items `i` and `k` to options `to` and `q`.
#[derive(Clone, Copy)]
pub(super) enum Move {
    Shift(usize, usize),
    Swap(usize, usize, usize, usize),
}

impl Move {
    /// Makes the options the moved items leave (`choice`: each item's option before the move)
    /// tabu for `tenure` to `2 × tenure` more iterations after `it`; returns the shifts to make,
    /// in order.
    pub(super) fn leave(
        self,
        choice: &[u32],
        tabu: &mut [u64],
        it: u64,
        tenure: usize,
        rng: &mut Rng,
    ) -> [Option<(usize, usize)>; 2] {
        let mut mark =
            |i: usize| tabu[choice[i] as usize] = it + (tenure + rng.below(tenure + 1)) as u64;
        match self {
            Move::Shift(i, o) => {
                mark(i);
                [Some((i, o)), None]
            }
            Move::Swap(i, to, k, q) => {
                mark(i);
                mark(k);
                [Some((i, to)), Some((k, q))]
            }
        }
    }
}

/// Runs one tabu search from `start` (global options); returns the best feasible solution found
/// (or `incumbent` if nothing better) and the number of moves made.
pub(crate) fn search(
    p: &AssignmentProblem,
    guide: &Guide,
    start: &[u32],
    incumbent: Option<(Vec<u32>, i64)>,
    limits: Limits,
    rng: &mut Rng,
) -> (Option<(Vec<u32>, i64)>, u64) {
    let n = p.item_count();
    let mut s = State::new(p, start);
    let mut best = incumbent;
    if s.excess == 0 && best.as_ref().is_none_or(|b| s.cost < b.1) {
        best = Some((s.choice.clone(), s.cost));
    }
    let mut w = guide.weight.clone();
    let floor: Vec<f64> = w.iter().map(|x| x * 0.05).collect();
    let mut tabu = vec![0u64; p.total_options()];
    let tenure = ((p.total_options() as f64).sqrt() / 4.0).max(3.0) as usize;
    let stall = stall(n);
    let mut ch = Changes::default();
    let (mut it, mut last) = (0u64, 0u64);
    while it < limits.max_iterations
        && best.as_ref().is_none_or(|b| b.1 > limits.target)
        && limits
            .deadline
            .is_none_or(|d| it % 8 != 0 || Instant::now() < d)
    {
        it += 1;
        let best_cost = best.as_ref().map_or(i64::MAX, |b| b.1);
        let mut mv: Option<Move> = None;
        let mut mv_val = f64::INFINITY;
        let mut consider =
            |ch: &mut Changes, mv_: &[(usize, i64)], dc: i64, is_tabu: bool, m: Move, s: &State| {
                let (pen, dex) = move_delta(guide, s, &w, ch, mv_);
                let val = dc as f64 + pen;
                if val < mv_val && (!is_tabu || (s.excess + dex == 0 && s.cost + dc < best_cost)) {
                    mv_val = val;
                    mv = Some(m);
                }
            };
        for i in 0..n {
            let cur = s.choice[i] as usize;
            for o in p.options(i) {
                if o != cur {
                    let dc = p.cost(o) - p.cost(cur);
                    let m = Move::Shift(i, o);
                    consider(&mut ch, &[(cur, -1), (o, 1)], dc, tabu[o] > it, m, &s);
                }
            }
            let rc = guide.primary[cur];
            for &to in guide.cand(i) {
                let to = to as usize;
                let rp = guide.primary[to];
                if rp == rc || rp == NONE {
                    continue;
                }
                for &k in &s.members[rp as usize] {
                    let k = k as usize;
                    let ck = s.choice[k] as usize;
                    let Some(q) = guide.option_on(p, k, rc).filter(|&q| q != ck && k != i) else {
                        continue;
                    };
                    let dc = p.cost(to) - p.cost(cur) + p.cost(q) - p.cost(ck);
                    let moves = [(cur, -1), (to, 1), (ck, -1), (q, 1)];
                    let m = Move::Swap(i, to, k, q);
                    consider(&mut ch, &moves, dc, tabu[to] > it || tabu[q] > it, m, &s);
                }
            }
        }
        match mv {
            None => tabu.fill(0),
            Some(m) => {
                for (i, o) in m
                    .leave(&s.choice, &mut tabu, it, tenure, rng)
                    .into_iter()
                    .flatten()
                {
                    s.shift(i, o);
                }
            }
        }
        for (r, wr) in w.iter_mut().enumerate() {
            if s.excess_of(r) > 0 {
                *wr *= 1.01;
            } else {
                *wr = (*wr / 1.01).max(floor[r]);
            }
        }
        if s.excess == 0 && s.cost < best_cost {
            best = Some((s.choice.clone(), s.cost));
            last = it;
        } else if it - last > stall {
            if let Some(b) = &best {
                s = State::new(p, &b.0);
                for _ in 0..(n / 20).max(2) {
                    let i = rng.below(n);
                    let o = p.options(i).start + rng.below(p.option_count(i));
                    s.shift(i, o);
                }
            }
            w.clone_from(&guide.weight);
            last = it;
        }
    }
    (best, it)
}
