//! Lagrangian relaxation of the capacities, optimised by subgradient steps.
//!
//! With multipliers `λ_r ≥ 0` the problem splits by item: each item takes its cheapest option under
//! `cost + Σ λ_r × amount` (the pricing step), and `L(λ) = Σ_i min_o (...) − Σ_r λ_r × capacity_r`
//! is a lower bound on the optimum for every `λ ≥ 0`; the best value seen is kept. Steps are
//! Polyak's, aimed at the best feasible cost, with the step factor halved when the bound stalls.
//! Every few steps the pricing solution is repaired into a feasible one (an upper bound).

use super::repair::{descend, repair};
use super::state::{Changes, State};
use super::AssignmentProblem;
use std::time::Instant;

/// What the subgradient phase found.
#[derive(Clone, Debug)]
pub(crate) struct Dual {
    /// A valid lower bound: the ceiling of the best dual value (`i64::MIN` if none was computed).
    pub(crate) bound: i64,
    /// Multipliers of the best dual value.
    pub(crate) lambda: Vec<f64>,
    /// The pricing solution at those multipliers (global options; may be over capacity).
    pub(crate) priced: Vec<u32>,
    /// The best feasible solution found by repair, with its cost.
    pub(crate) best: Option<(Vec<u32>, i64)>,
    /// Subgradient steps taken.
    pub(crate) iterations: u64,
}

/// Stop rules of the phase.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Budget {
    /// Wall-clock stop (none: iterations only, deterministic).
    pub(crate) deadline: Option<Instant>,
    /// Maximum number of steps.
    pub(crate) max_iterations: u64,
}

/// Rounds a dual value up to the integer bound it proves, with a margin for float error.
pub(crate) fn ceil_bound(l: f64) -> i64 {
    if l.is_finite() {
        (l - 1e-9 * l.abs().max(1.0)).ceil() as i64
    } else {
        i64::MIN
    }
}

/// The pricing step: fills `choice` and `load` and returns `L(λ)`.
fn price(p: &AssignmentProblem, lambda: &[f64], choice: &mut [u32], load: &mut [i64]) -> f64 {
    load.fill(0);
    let mut total = 0.0;
    for (i, c) in choice.iter_mut().enumerate() {
        let mut best = (f64::INFINITY, usize::MAX);
        for o in p.options(i) {
            let mut v = p.cost(o) as f64;
            for u in p.uses(o) {
                v += lambda[p.use_resource(u)] * p.use_amount(u) as f64;
            }
            if v < best.0 {
                best = (v, o);
            }
        }
        total += best.0;
        *c = best.1 as u32;
        for u in p.uses(best.1) {
            load[p.use_resource(u)] += p.use_amount(u);
        }
    }
    let cap = p.capacities();
    total
        - lambda
            .iter()
            .zip(cap)
            .map(|(l, &c)| l * c as f64)
            .sum::<f64>()
}

/// Runs subgradient optimisation; `incumbent` is a known feasible solution (for the step target).
pub(crate) fn subgradient(
    p: &AssignmentProblem,
    incumbent: Option<(Vec<u32>, i64)>,
    budget: Budget,
) -> Dual {
    let rc = p.resource_count();
    let cap = p.capacities();
    let mut lambda = vec![0.0; rc];
    let mut choice = vec![0u32; p.item_count()];
    let mut load = vec![0i64; rc];
    let mut g = vec![0.0; rc];
    let mut ch = Changes::default();
    let mut dual = Dual {
        bound: i64::MIN,
        lambda: lambda.clone(),
        priced: choice.clone(),
        best: incumbent,
        iterations: 0,
    };
    let mut best_l = f64::NEG_INFINITY;
    let (mut theta, mut stall) = (2.0_f64, 0);
    while dual.iterations < budget.max_iterations
        && budget.deadline.is_none_or(|d| Instant::now() < d)
    {
        let l = price(p, &lambda, &mut choice, &mut load);
        if l > best_l + 1e-9 * l.abs().max(1.0) {
            best_l = l;
            dual.bound = ceil_bound(l);
            dual.lambda.clone_from(&lambda);
            dual.priced.clone_from(&choice);
            stall = 0;
        } else {
            stall += 1;
            if stall >= 20 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if dual.iterations % 5 == 0 {
            let mut s = State::new(p, &choice);
            if repair(&mut s, &mut ch) {
                descend(&mut s, &mut ch);
                if dual.best.as_ref().is_none_or(|b| s.cost < b.1) {
                    dual.best = Some((s.choice, s.cost));
                }
            }
        }
        dual.iterations += 1;
        let ub = dual.best.as_ref().map(|b| b.1);
        if ub.is_some_and(|u| dual.bound >= u) || theta < 1e-3 {
            break;
        }
        let mut norm = 0.0;
        for r in 0..rc {
            let gr = (load[r] - cap[r]) as f64;
            g[r] = if lambda[r] <= 0.0 && gr < 0.0 {
                0.0
            } else {
                gr
            };
            norm += g[r] * g[r];
        }
        if norm == 0.0 {
            // Feasible and complementary: the pricing solution is optimal.
            let s = State::new(p, &choice);
            if dual.best.as_ref().is_none_or(|b| s.cost < b.1) {
                dual.best = Some((s.choice, s.cost));
            }
            break;
        }
        let target = ub.map_or(l + 0.05 * l.abs().max(1.0), |u| u as f64);
        let step = theta * (target - l).max(1e-3) / norm;
        for r in 0..rc {
            lambda[r] = (lambda[r] + step * g[r]).max(0.0);
        }
    }
    dual
}
