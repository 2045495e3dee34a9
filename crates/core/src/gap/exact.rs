//! An exact branch-and-bound for small assignment problems.
//!
//! Depth-first over the items (items with one option first, then the largest regret: the gap
//! between an item's two cheapest options), each item's options cheapest first. A node places one
//! option; it is pruned when the cost so far plus every remaining item's cheapest option (no
//! relaxation, no LP) cannot beat the incumbent, and an option is skipped when it does not fit in
//! what the resources have left. Because options are tried cheapest first, the first option that
//! cannot beat the incumbent ends its item's loop.
//!
//! The search places at most `Σ_d Π_{j ≤ d} k_j` options over items of `k_j` options, at most
//! `n + 2 · Π k_j` for `n` items (those with one option come first); [`ExactLimits::max_nodes`]
//! (and an optional deadline) caps it. A search that finishes proves its answer; one that is
//! stopped says so, and the caller falls back to the heuristic solver.

use super::{evaluate_assignment, AssignmentProblem};
use std::time::Instant;

/// When [`solve_exact`] stops.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExactLimits {
    /// Options placed at most (nodes of the search tree).
    pub(crate) max_nodes: u64,
    /// Wall-clock stop; `None` reads no clock, so the result is deterministic.
    pub(crate) deadline: Option<Instant>,
}

/// What [`solve_exact`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExactSolution {
    /// The best assignment found (an option index per item) with its cost.
    pub(crate) best: Option<(Vec<usize>, i64)>,
    /// True when the search finished: `best` is optimal, or there is no feasible assignment.
    pub(crate) proven: bool,
    /// Options placed.
    pub(crate) nodes: u64,
}

/// Nodes between two progress reports (and deadline checks).
const REPORT_EVERY: u64 = 1 << 12;

/// Solves `p` exactly within `limits`. `start` (an option index per item), when feasible, is the
/// first incumbent: the result is never worse. `progress(explored, best_cost)` is called every few
/// thousand nodes with the share of the search tree explored so far (0 to 1, never decreasing).
pub(crate) fn solve_exact(
    p: &AssignmentProblem,
    start: Option<&[usize]>,
    limits: ExactLimits,
    progress: &mut dyn FnMut(f64, Option<i64>),
) -> ExactSolution {
    let n = p.item_count();
    let Tree {
        order,
        sorted,
        rest,
        weight,
    } = Tree::new(p);
    let mut best: Option<(Vec<usize>, i64)> =
        start.and_then(|s| evaluate_assignment(p, s).ok().map(|c| (s.to_vec(), c)));
    let mut left: Vec<i64> = p.capacities().to_vec();
    let mut cursor = vec![0usize; n];
    let mut chosen = vec![usize::MAX; n];
    let mut cost = 0i64;
    let mut nodes = 0u64;
    let mut d = 0usize;
    let mut shown = 0.0f64;
    if n == 0 {
        return ExactSolution {
            best: Some((Vec::new(), 0)),
            proven: true,
            nodes,
        };
    }
    loop {
        let opts = &sorted[d];
        let mut placed = false;
        while cursor[d] < opts.len() {
            let o = opts[cursor[d]];
            cursor[d] += 1;
            let reach = cost + p.cost(o) + rest[d + 1];
            if best.as_ref().is_some_and(|b| reach >= b.1) {
                cursor[d] = opts.len(); // the rest of the item's options cost at least as much
                break;
            }
            if fits(p, o, &left) {
                take(p, o, &mut left, -1);
                chosen[d] = o;
                cost += p.cost(o);
                nodes += 1;
                placed = true;
                break;
            }
        }
        if placed {
            if d + 1 == n {
                // A full assignment cheaper than the incumbent (the prune above let it through).
                let mut choice = vec![0usize; n];
                for (dd, &o) in chosen.iter().enumerate() {
                    choice[order[dd]] = o - p.options(order[dd]).start;
                }
                best = Some((choice, cost));
                undo(p, &mut chosen[d], &mut left, &mut cost);
            } else {
                d += 1;
                cursor[d] = 0;
            }
            let check = nodes % REPORT_EVERY == 0;
            if nodes >= limits.max_nodes
                || (check && limits.deadline.is_some_and(|t| Instant::now() >= t))
            {
                return ExactSolution {
                    best,
                    proven: false,
                    nodes,
                };
            }
            if check {
                // Clamped: float sums of the tree shares may wobble in the last bit.
                shown = shown.max(explored(&cursor, &weight, d));
                progress(shown, best.as_ref().map(|b| b.1));
            }
        } else {
            if d == 0 {
                progress(1.0, best.as_ref().map(|b| b.1));
                return ExactSolution {
                    best,
                    proven: true,
                    nodes,
                };
            }
            d -= 1;
            undo(p, &mut chosen[d], &mut left, &mut cost);
        }
    }
}

/// The search order.
struct Tree {
    /// The item at each depth.
    order: Vec<usize>,
    /// Per depth, the item's global options, cheapest first (ties by index).
    sorted: Vec<Vec<usize>>,
    /// `rest[d]`: the cheapest options of the items at depth `d` and after.
    rest: Vec<i64>,
    /// `weight[d]`: the share of the tree under one option at depth `d`.
    weight: Vec<f64>,
}

impl Tree {
    fn new(p: &AssignmentProblem) -> Self {
        let n = p.item_count();
        let by_item: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                let mut o: Vec<usize> = p.options(i).collect();
                o.sort_by_key(|&o| (p.cost(o), o));
                o
            })
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| {
            let o = &by_item[i];
            let regret = if o.len() < 2 {
                i64::MAX
            } else {
                p.cost(o[1]) - p.cost(o[0])
            };
            (std::cmp::Reverse(regret), i)
        });
        let sorted: Vec<Vec<usize>> = order.iter().map(|&i| by_item[i].clone()).collect();
        let mut rest = vec![0i64; n + 1];
        for d in (0..n).rev() {
            rest[d] = rest[d + 1] + p.cost(sorted[d][0]);
        }
        let mut weight = vec![1.0f64; n];
        let mut w = 1.0;
        for d in 0..n {
            w /= sorted[d].len() as f64;
            weight[d] = w;
        }
        Self {
            order,
            sorted,
            rest,
            weight,
        }
    }
}

/// The share of the tree explored: at each depth above `d` the options before the current one,
/// and at `d` the options already tried.
fn explored(cursor: &[usize], weight: &[f64], d: usize) -> f64 {
    let above: f64 = (0..d)
        .map(|j| cursor[j].saturating_sub(1) as f64 * weight[j])
        .sum();
    (above + cursor[d] as f64 * weight[d]).min(1.0)
}

fn fits(p: &AssignmentProblem, o: usize, left: &[i64]) -> bool {
    p.uses(o)
        .all(|u| p.use_amount(u) <= left[p.use_resource(u)])
}

/// Adds `sign ×` the uses of option `o` to `left`.
fn take(p: &AssignmentProblem, o: usize, left: &mut [i64], sign: i64) {
    for u in p.uses(o) {
        left[p.use_resource(u)] += sign * p.use_amount(u);
    }
}

/// Takes the option at a depth back out.
fn undo(p: &AssignmentProblem, chosen: &mut usize, left: &mut [i64], cost: &mut i64) {
    take(p, *chosen, left, 1);
    *cost -= p.cost(*chosen);
    *chosen = usize::MAX;
}

#[cfg(test)]
mod tests {
    use super::super::{AssignOption, AssignmentProblem};
    use super::*;
    use proptest::prelude::*;

    const UNLIMITED: ExactLimits = ExactLimits {
        max_nodes: u64::MAX,
        deadline: None,
    };

    fn brute_force(p: &AssignmentProblem) -> Option<i64> {
        let n = p.item_count();
        let mut choice = vec![0usize; n];
        let mut best: Option<i64> = None;
        loop {
            if let Ok(c) = evaluate_assignment(p, &choice) {
                best = Some(best.map_or(c, |b| b.min(c)));
            }
            let Some(i) = (0..n).find(|&i| choice[i] + 1 < p.option_count(i)) else {
                return best;
            };
            choice[i] += 1;
            choice[..i].fill(0);
        }
    }

    /// Items of up to 4 options over up to 3 resources, some with an "unassigned" option.
    fn problem() -> impl Strategy<Value = AssignmentProblem> {
        let option = (-5i64..30, prop::collection::vec((0usize..3, 1u64..6), 0..3));
        let item = (
            prop::collection::vec(option, 1..5),
            prop::option::of(0i64..40),
        );
        (
            prop::collection::vec(0u64..10, 1..4),
            prop::collection::vec(item, 0..7),
        )
            .prop_map(|(caps, items)| {
                let mut p = AssignmentProblem::new();
                let ids: Vec<_> = caps.iter().map(|&c| p.add_resource(c).unwrap()).collect();
                for (options, unassigned) in items {
                    let mut v: Vec<AssignOption> = options
                        .into_iter()
                        .map(|(c, uses)| {
                            AssignOption::new(
                                c,
                                uses.into_iter()
                                    .map(|(r, a)| (ids[r % ids.len()], a))
                                    .collect(),
                            )
                        })
                        .collect();
                    v.extend(unassigned.map(AssignOption::unassigned));
                    p.add_item(v).unwrap();
                }
                p
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Finishes, and its cost is the brute-force optimum (or it proves there is none).
        #[test]
        fn equals_brute_force(p in problem(), start_first in any::<bool>()) {
            let start = vec![0usize; p.item_count()];
            let start = start_first.then_some(start.as_slice());
            let mut reports = Vec::new();
            let sol = solve_exact(&p, start, UNLIMITED, &mut |f, _| reports.push(f));
            prop_assert!(sol.proven);
            match (brute_force(&p), sol.best) {
                (Some(opt), Some((choice, cost))) => {
                    prop_assert_eq!(cost, opt);
                    prop_assert_eq!(evaluate_assignment(&p, &choice), Ok(cost));
                }
                (None, None) => {}
                (opt, found) => prop_assert!(false, "optimum {opt:?}, found {found:?}"),
            }
            prop_assert!(reports.windows(2).all(|w| w[0] <= w[1]), "{reports:?}");
        }
    }

    /// `items` items and one fewer resources of capacity 1; every item may take any resource
    /// for free or stay out for 1. The optimum is 1, but the simple bound cannot see it: the
    /// search must close a pigeonhole tree.
    fn pigeonhole(items: usize) -> AssignmentProblem {
        let mut p = AssignmentProblem::new();
        let rs: Vec<_> = (1..items).map(|_| p.add_resource(1).unwrap()).collect();
        for _ in 0..items {
            let mut v: Vec<AssignOption> = rs
                .iter()
                .map(|&r| AssignOption::new(0, vec![(r, 1)]))
                .collect();
            v.push(AssignOption::unassigned(1));
            p.add_item(v).unwrap();
        }
        p
    }

    #[test]
    fn a_node_budget_stops_it_unproven_with_the_best_kept() {
        let p = pigeonhole(12);
        let limits = ExactLimits {
            max_nodes: 10_000,
            deadline: None,
        };
        let sol = solve_exact(&p, None, limits, &mut |_, _| {});
        assert!(!sol.proven);
        assert_eq!(sol.nodes, 10_000);
        assert_eq!(sol.best.map(|b| b.1), Some(1));
        let sol = solve_exact(&pigeonhole(6), None, UNLIMITED, &mut |_, _| {});
        assert!(sol.proven);
        assert_eq!(sol.best.map(|b| b.1), Some(1));
    }

    #[test]
    fn contention_is_resolved_exactly() {
        // One unit at the cheap resource; three items want it: the one with the largest regret
        // gets it.
        let mut p = AssignmentProblem::new();
        let near = p.add_resource(1).unwrap();
        for far in [5, 9, 7] {
            p.add_item(vec![
                AssignOption::new(1, vec![(near, 1)]),
                AssignOption::new(far, vec![]),
            ])
            .unwrap();
        }
        let sol = solve_exact(&p, None, UNLIMITED, &mut |_, _| {});
        assert!(sol.proven);
        assert_eq!(sol.best, Some((vec![1, 0, 1], 5 + 1 + 7)));
    }
}
