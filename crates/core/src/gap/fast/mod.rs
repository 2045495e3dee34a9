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

mod moves;
mod run;
mod view;

use super::rng::Rng;
use super::tabu::Limits;
use moves::best_move;
use run::Run;
use std::time::Instant;
pub(crate) use view::Simple;

/// Marks "no option" and "no resource".
const NONE: u32 = u32::MAX;
/// Price factors per move: growth of an over-capacity resource's price while infeasible, and
/// relaxation of every price while feasible.
const GROW: f64 = 1.005;
const RELAX: f64 = 1.005;
/// A restart shifts a few random items, each to one of its first `PERTURB_TOP` candidates: a
/// random candidate is mostly far worse, and the search's first moves would only undo it.
const PERTURB_TOP: usize = 3;

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
            Some(m) => {
                for (i, o) in m
                    .leave(&run.choice, &mut tabu, it, tenure, rng)
                    .into_iter()
                    .flatten()
                {
                    run.shift(i, o);
                }
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
