//! The solver entry point: Lagrangian bound, repair, then tabu search runs (in parallel or not),
//! combined in a fixed order; for classic GAP, rounds of short runs and then one phase that
//! recombines their results (`fast_rounds`).

use super::eject::descend_ejecting;
use super::fast::{self, Simple};
use super::lagrange::{subgradient, Budget};
use super::proof::{prove, start_multipliers, ProofLimits};
use super::rng::Rng;
use super::tabu::{search, Guide, Limits};
use super::AssignmentProblem;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// How to solve.
///
/// Determinism: with `iteration_limit` set, the result depends only on the problem, `seed`,
/// `start` and the number of runs (`threads`), on any machine, as long as the solve ends within
/// `time_limit` (a hard cap either way). With only a `time_limit`, the same
/// inputs on the same machine give the same result as long as the machine is as fast as before;
/// a busier or faster machine may stop at another step.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Wall-clock budget of the whole solve; with `iteration_limit` set, a cap that stops the
    /// moves early (and makes the result depend on the machine) only if they take longer.
    pub time_limit: Duration,
    /// Moves per search run (for classic GAP, shared by a run's multi-start rounds and its final
    /// phase); when set the solve reads no clock for stopping and is deterministic.
    pub iteration_limit: Option<u64>,
    /// Seed of the search's random choices.
    pub seed: u64,
    /// Parallel search runs: `None` = one per thread of rayon's global pool, `Some(1)` = one run on
    /// the calling thread. Runs are combined in run order, best cost first.
    pub threads: Option<usize>,
    /// A starting assignment (an option index per item), for example the sequential router's plan.
    /// If it is feasible the result is never worse. Ignored if it is not a valid choice vector.
    pub start: Option<Vec<usize>>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(1),
            iteration_limit: None,
            seed: 0,
            threads: None,
            start: None,
        }
    }
}

/// The result of [`solve_assignment`].
#[derive(Clone, Debug, PartialEq)]
pub struct AssignmentSolution {
    /// The option index chosen per item; when `feasible` is false, the least-bad assignment seen.
    pub choice: Vec<usize>,
    /// Total cost of `choice`.
    pub cost: i64,
    /// A valid lower bound on the optimum: the cost when the solve proved it optimal, else the
    /// best of the Lagrangian relaxations of the capacities and (when every option uses at most
    /// one resource) of the assignment constraints.
    pub lower_bound: i64,
    /// `(cost − lower_bound) / |cost|` (0 when both are 0; infinite when not feasible).
    pub gap: f64,
    /// Whether `choice` keeps every resource within capacity.
    pub feasible: bool,
    /// Subgradient steps, proof nodes and local-search moves, over all runs.
    pub iterations: u64,
    /// Wall-clock time taken.
    pub elapsed: Duration,
}

/// A feasible assignment (global options) with its cost, if one was found.
type Found = Option<(Vec<u32>, i64)>;

/// Subgradient steps at most.
const DUAL_STEPS: u64 = 1_500;
/// Nodes of the proof by knapsack bounds when the solve is bounded by iterations.
const PROOF_NODES: u64 = 2_000;

/// Solves an assignment problem: minimise the total cost with every item on exactly one option and
/// every resource within capacity.
pub fn solve_assignment(problem: &AssignmentProblem, opts: &SolveOptions) -> AssignmentSolution {
    solve_with(problem, opts, true)
}

/// [`solve_assignment`], with the proof by knapsack bounds (`proof::prove`) or without it (the
/// search alone, as the tests that pin its moves need).
pub(crate) fn solve_with(
    problem: &AssignmentProblem,
    opts: &SolveOptions,
    proof: bool,
) -> AssignmentSolution {
    let t0 = Instant::now();
    let p = problem;
    let deadline = t0.checked_add(opts.time_limit);
    let start: Option<Vec<u32>> = opts.start.as_ref().filter(|s| valid(p, s)).map(|s| {
        s.iter()
            .enumerate()
            .map(|(i, &k)| (p.options(i).start + k) as u32)
            .collect()
    });
    let incumbent = start
        .as_ref()
        .map(|s| super::state::State::new(p, s))
        .filter(|s| s.excess == 0);
    let incumbent = incumbent.map(|s| (s.choice, s.cost));
    // Without an iteration limit the dual gets a fifth of the time; with one, its step cap.
    let dual_deadline = match opts.iteration_limit {
        None => t0.checked_add(opts.time_limit / 5),
        Some(_) => deadline,
    };
    let dual = subgradient(
        p,
        incumbent,
        Budget {
            deadline: dual_deadline,
            max_iterations: DUAL_STEPS,
        },
    );
    let mut iterations = dual.iterations;
    let mut best = dual.best.clone();
    let mut bound = dual.bound;
    let mut proven = best.as_ref().is_some_and(|b| b.1 <= bound);
    if proof && !proven {
        let (found, b, done, nodes) = prove_first(p, opts, t0, &dual.lambda, best, bound);
        (best, bound, proven) = (found, b, done);
        iterations += nodes;
    }
    if !proven {
        let simple = Simple::new(p, &dual.lambda);
        let guide = simple.is_none().then(|| Guide::new(p, &dual.lambda));
        let from = best.as_ref().map_or_else(
            || start.clone().unwrap_or_else(|| dual.priced.clone()),
            |b| b.0.clone(),
        );
        let limits = Limits {
            deadline,
            max_iterations: opts.iteration_limit.unwrap_or(u64::MAX),
            target: bound,
        };
        let (found, its) = match (&simple, &guide) {
            (Some(s), _) => fast_rounds(s, &from, &best, limits, opts.seed, opts.threads),
            (None, Some(g)) => {
                // Tabu moves scan every item: a descent with ejections first gets far cheaper.
                let best = descend_first(p, best.clone(), deadline);
                let from = best.as_ref().map_or(from, |b| b.0.clone());
                keep_best(
                    best.clone(),
                    in_parallel(opts.threads, |k| {
                        let mut rng = Rng::new(opts.seed, k as u64);
                        search(p, g, &from, best.clone(), limits, &mut rng)
                    }),
                )
            }
            (None, None) => (best.clone(), 0),
        };
        iterations += its;
        best = found;
    }
    let (choice, feasible) = match best {
        Some((c, _)) => (c, true),
        None => (start.unwrap_or(dual.priced), false),
    };
    let choice: Vec<usize> = choice
        .iter()
        .enumerate()
        .map(|(i, &o)| o as usize - p.options(i).start)
        .collect();
    let cost = choice
        .iter()
        .enumerate()
        .map(|(i, &k)| p.option_cost(i, k))
        .sum::<i64>();
    let lower_bound = if p.item_count() == 0 { 0 } else { bound };
    let gap = if !feasible {
        f64::INFINITY
    } else if cost == lower_bound {
        0.0
    } else {
        (cost as f64 - lower_bound as f64) / (cost as f64).abs()
    };
    AssignmentSolution {
        choice,
        cost,
        lower_bound,
        gap,
        feasible,
        iterations,
        elapsed: t0.elapsed(),
    }
}

/// Multi-start rounds of the fast search before one merged phase: `ROUNDS` rounds share the first
/// half of the budget, each run of a round searching from `from` with its own random stream; the
/// second half searches from the best found, with every item limited to the options it has in one
/// of the rounds' results (`Simple::restricted`). Good GAP solutions sit in many far-apart basins
/// (half the items differ between two of them), so several short runs find a better one than one
/// long run, and recombining them finds a better one still. When a round's runs are too slow to
/// settle (fewer moves than a restart period), the rounds stop and the rest of the budget goes to
/// one unrestricted phase. Deterministic with an iteration limit: each round run gets
/// `max_iterations / (2 ROUNDS)` moves, each final run the rest.
fn fast_rounds(
    s: &Simple,
    from: &[u32],
    incumbent: &Found,
    limits: Limits,
    seed: u64,
    threads: Option<usize>,
) -> (Found, u64) {
    const ROUNDS: u32 = 8;
    // Each round run gets one slice of the budget; the final phase the rest (at least half).
    const SLICES: u32 = 2 * ROUNDS;
    let t0 = Instant::now();
    // The end of the first `k` slices of the time budget; with an iteration limit, rounds
    // are sliced by moves and the deadline is only the hard cap.
    let upto = |k: u32| {
        limits.deadline.map(|d| {
            if limits.max_iterations == u64::MAX {
                t0 + d.saturating_duration_since(t0) * k / SLICES
            } else {
                d
            }
        })
    };
    let slice = limits.max_iterations / u64::from(SLICES);
    let (mut best, mut moves) = (incumbent.clone(), 0);
    let mut sols = Vec::new();
    let (mut settled, mut rounds) = (true, 0);
    while settled && rounds < ROUNDS && best.as_ref().is_none_or(|b| b.1 > limits.target) {
        // Each run starts from `from` and knows only the first incumbent, so that its restarts
        // return to its own best and the rounds stay apart.
        let runs = in_parallel(threads, |k| {
            let mut rng = Rng::new(seed, (u64::from(rounds) << 32) | k as u64);
            let lim = Limits {
                deadline: upto(rounds + 1),
                max_iterations: slice,
                ..limits
            };
            fast::search(s, from, incumbent.clone(), lim, &mut rng)
        });
        rounds += 1;
        settled = runs.iter().all(|r| r.1 >= s.stall());
        sols.extend(
            runs.iter()
                .filter_map(|r| r.0.as_ref().map(|b| b.0.clone())),
        );
        let (b, m) = keep_best(best, runs);
        (best, moves) = (b, moves + m);
    }
    let view = if settled && !sols.is_empty() {
        s.restricted(&sols)
    } else {
        s.clone()
    };
    let start = best.as_ref().map_or(from, |b| &b.0).to_vec();
    let rest = Limits {
        max_iterations: limits.max_iterations - slice * u64::from(rounds),
        ..limits
    };
    let runs = in_parallel(threads, |k| {
        let mut rng = Rng::new(seed, (u64::from(ROUNDS) << 32) | k as u64);
        fast::search(&view, &start, best.clone(), rest, &mut rng)
    });
    let (best, m) = keep_best(best, runs);
    (best, moves + m)
}

/// The cheapest of `best` and the runs' results (the first on ties), and the runs' moves.
fn keep_best(mut best: Found, runs: Vec<(Found, u64)>) -> (Found, u64) {
    let mut moves = 0;
    for (found, its) in runs {
        moves += its;
        if let Some(f) = found {
            if best.as_ref().is_none_or(|b| f.1 < b.1) {
                best = Some(f);
            }
        }
    }
    (best, moves)
}

/// Runs `run(0)`, `run(1)`, … (one per thread, or `threads` of them) and returns the results in
/// run order.
fn in_parallel<T: Send>(threads: Option<usize>, run: impl Fn(usize) -> T + Sync) -> Vec<T> {
    match threads {
        Some(1) => vec![run(0)],
        Some(t) => match rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| (0..t).into_par_iter().map(&run).collect()),
            Err(_) => (0..t).map(run).collect(),
        },
        None => (0..rayon::current_num_threads())
            .into_par_iter()
            .map(&run)
            .collect(),
    }
}

fn valid(p: &AssignmentProblem, choice: &[usize]) -> bool {
    choice.len() == p.item_count()
        && choice
            .iter()
            .enumerate()
            .all(|(i, &k)| k < p.option_count(i))
}

/// The proof by knapsack bounds (`proof::prove`) before the search, on a tenth of the time (or a
/// node budget with an iteration limit); when it stops short its root bound still guides and
/// stops the search. Returns the best found, the bound, whether it is proven and the nodes.
fn prove_first(
    p: &AssignmentProblem,
    opts: &SolveOptions,
    t0: Instant,
    lambda: &[f64],
    best: Found,
    bound: i64,
) -> (Found, i64, bool, u64) {
    let limits = match opts.iteration_limit {
        None => ProofLimits {
            max_nodes: u64::MAX,
            deadline: t0.checked_add(opts.time_limit / 10),
        },
        Some(_) => ProofLimits {
            max_nodes: PROOF_NODES,
            deadline: t0.checked_add(opts.time_limit),
        },
    };
    match prove(p, best.clone(), start_multipliers(p, lambda), limits) {
        None => (best, bound, false, 0),
        Some(proof) => {
            // Proven infeasible: the bound of the relaxation stays the reported one.
            let bound = if proof.best.is_some() || !proof.proven {
                bound.max(proof.bound)
            } else {
                bound
            };
            (proof.best, bound, proof.proven, proof.nodes)
        }
    }
}

/// The descent with ejections (`eject.rs`) from the incumbent, if there is one.
fn descend_first(p: &AssignmentProblem, best: Found, deadline: Option<Instant>) -> Found {
    let (choice, _) = best?;
    let mut s = super::state::State::new(p, &choice);
    descend_ejecting(&mut s, deadline);
    Some((s.choice, s.cost))
}
