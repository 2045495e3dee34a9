//! The knapsack bound and the proof against brute force on small single-resource problems, and
//! gap1–12 proven at their known optima.

use super::relax::{ascend, Flat, Node, Relaxation, NONE};
use super::{prove, ProofLimits, ROOT};
use crate::gap::{evaluate_assignment, AssignOption, AssignmentProblem};
use proptest::prelude::*;
use std::path::Path;

/// Per global option, the cheapest feasible assignment that uses it (`None`: none does), and the
/// cheapest overall.
fn brute_by_option(p: &AssignmentProblem) -> (Vec<Option<i64>>, Option<i64>) {
    let n = p.item_count();
    let mut by = vec![None; p.total_options()];
    let mut best: Option<i64> = None;
    let mut choice = vec![0usize; n];
    loop {
        if let Ok(c) = evaluate_assignment(p, &choice) {
            best = Some(best.map_or(c, |b| b.min(c)));
            for (i, &k) in choice.iter().enumerate() {
                let o = p.options(i).start + k;
                by[o] = Some(by[o].map_or(c, |b: i64| b.min(c)));
            }
        }
        let Some(i) = (0..n).find(|&i| choice[i] + 1 < p.option_count(i)) else {
            return (by, best);
        };
        choice[i] += 1;
        choice[..i].fill(0);
    }
}

/// Items of up to 4 options, each on one of up to 3 resources or (sometimes) on none.
fn problem() -> impl Strategy<Value = AssignmentProblem> {
    let option = (-5i64..30, prop::option::of((0usize..3, 0u64..7)));
    let item = prop::collection::vec(option, 1..5);
    (
        prop::collection::vec(0u64..12, 1..4),
        prop::collection::vec(item, 0..7),
    )
        .prop_map(|(caps, items)| {
            let mut p = AssignmentProblem::new();
            let ids: Vec<_> = caps.iter().map(|&c| p.add_resource(c).unwrap()).collect();
            for options in items {
                let v = options.into_iter().map(|(c, on)| {
                    AssignOption::new(
                        c,
                        on.map(|(r, a)| (ids[r % ids.len()], a))
                            .into_iter()
                            .collect(),
                    )
                });
                p.add_item(v.collect()).unwrap();
            }
            p
        })
}

fn root(f: &Flat) -> Node {
    Node {
        fixed: vec![NONE; f.items.len()],
        banned: vec![false; f.res.len()],
        left: f.cap.clone(),
        fixed_cost: 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// For any multipliers, `L(u)` is at most the optimum, `L(u) + into[o]` at most the cheapest
    /// assignment using `o`, and `L(u) + out[o]` at most the cheapest one without it; so is the
    /// bound after subgradient steps.
    #[test]
    fn bound_and_penalties_never_exceed_brute_force(
        p in problem(),
        raw_u in prop::collection::vec(-10i32..40, 7),
    ) {
        let f = Flat::new(&p).unwrap();
        let node = root(&f);
        let (by, best) = brute_by_option(&p);
        let mut u: Vec<f64> = (0..p.item_count()).map(|i| f64::from(raw_u[i]) / 2.0).collect();
        let mut rx = Relaxation::default();
        let l = rx.evaluate(&f, &node, &u, true);
        let eps = 1e-6;
        if let Some(opt) = best {
            prop_assert!(l <= opt as f64 + eps, "L {l} > optimum {opt}");
            for o in 0..p.total_options() {
                let i = f.item[o] as usize;
                if let Some(c) = by[o] {
                    prop_assert!(l + rx.into[o] <= c as f64 + eps, "into {o}");
                }
                let without = (0..p.total_options())
                    .filter(|&q| q != o && f.item[q] as usize == i)
                    .filter_map(|q| by[q])
                    .min();
                if let Some(c) = without {
                    prop_assert!(l + rx.out[o] <= c as f64 + eps, "out {o}");
                }
            }
        }
        let l = ascend(&mut rx, &f, &node, &mut u, best, ROOT, None);
        if let Some(opt) = best {
            prop_assert!(l <= opt as f64 + eps, "ascended L {l} > optimum {opt}");
        }
    }

    /// The proof finishes on these sizes and finds the brute-force optimum (or proves there is
    /// none), with or without a first incumbent.
    #[test]
    fn proof_equals_brute_force(p in problem(), with_start in any::<bool>()) {
        let (_, best) = brute_by_option(&p);
        let start: Vec<u32> = (0..p.item_count()).map(|i| p.options(i).start as u32).collect();
        let first = with_start.then(|| {
            let choice: Vec<usize> = vec![0; p.item_count()];
            evaluate_assignment(&p, &choice).ok().map(|c| (start.clone(), c))
        }).flatten();
        let limits = ProofLimits { max_nodes: u64::MAX, deadline: None };
        let proof = prove(&p, first, vec![0.0; p.item_count()], limits).unwrap();
        prop_assert!(proof.proven);
        match (best, proof.best) {
            (Some(opt), Some((choice, cost))) => {
                prop_assert_eq!(cost, opt);
                prop_assert_eq!(proof.bound, opt);
                let local: Vec<usize> = choice
                    .iter()
                    .enumerate()
                    .map(|(i, &o)| o as usize - p.options(i).start)
                    .collect();
                prop_assert_eq!(evaluate_assignment(&p, &local), Ok(cost));
            }
            (None, None) => {}
            (opt, found) => prop_assert!(false, "optimum {opt:?}, found {found:?}"),
        }
    }
}

/// gap1–12 (60 problems) as minimisation, from the repository's copy of OR-Library, with their
/// optima from `best-known.csv` (all proven in the literature).
pub(crate) fn orlib_gap1_12() -> Vec<(String, AssignmentProblem, i64)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/data/orlib-gap");
    let known = std::fs::read_to_string(dir.join("best-known.csv")).unwrap();
    let mut out = Vec::new();
    for k in 1..=12 {
        let text = std::fs::read_to_string(dir.join(format!("orlib/gap{k}.txt"))).unwrap();
        let mut nums = text.split_whitespace().map(|t| t.parse::<i64>().unwrap());
        let count = nums.next().unwrap();
        for index in 1..=count {
            let (m, n) = (nums.next().unwrap() as usize, nums.next().unwrap() as usize);
            let mut table =
                |_| -> Vec<Vec<i64>> { (0..m).map(|_| nums.by_ref().take(n).collect()).collect() };
            let cost = table(0);
            let amount: Vec<Vec<u64>> = table(1)
                .into_iter()
                .map(|r| r.into_iter().map(|a| a as u64).collect())
                .collect();
            let cap: Vec<u64> = nums.by_ref().take(m).map(|c| c as u64).collect();
            let name = format!("gap{k}-{index}");
            let best = known
                .lines()
                .find(|l| l.starts_with(&format!("{name},")) && l.contains(",min,"))
                .and_then(|l| l.split(',').nth(1))
                .unwrap()
                .parse()
                .unwrap();
            out.push((
                name,
                AssignmentProblem::classic_gap(&cost, &amount, &cap).unwrap(),
                best,
            ));
        }
    }
    out
}

#[test]
fn gap1_to_12_are_proven_at_their_optima() {
    let all = orlib_gap1_12();
    assert_eq!(all.len(), 60);
    for (name, p, best) in all {
        let limits = ProofLimits {
            max_nodes: 200_000,
            deadline: None,
        };
        let proof = prove(&p, None, vec![0.0; p.item_count()], limits).unwrap();
        assert!(proof.proven, "{name}: not proven in {} nodes", proof.nodes);
        let (choice, cost) = proof.best.unwrap();
        assert_eq!((cost, proof.bound), (best, best), "{name}");
        let local: Vec<usize> = choice
            .iter()
            .enumerate()
            .map(|(i, &o)| o as usize - p.options(i).start)
            .collect();
        assert_eq!(evaluate_assignment(&p, &local), Ok(best), "{name}");
    }
}

/// Found by `proof_equals_brute_force`: two options of one item on the same resource with the
/// same amount, an incumbent of 19 and an optimum of 15 (item 0's option 2 and item 3's option 0).
#[test]
fn a_tie_on_one_resource_still_finds_the_optimum() {
    let mut p = AssignmentProblem::new();
    let r = p.add_resource(5).unwrap();
    let opt =
        |c: i64, on: Option<u64>| AssignOption::new(c, on.map(|a| (r, a)).into_iter().collect());
    p.add_item(vec![opt(6, None), opt(0, Some(3)), opt(2, None)])
        .unwrap();
    p.add_item(vec![opt(0, None)]).unwrap();
    p.add_item(vec![opt(0, None)]).unwrap();
    p.add_item(vec![opt(13, Some(3)), opt(17, Some(3))])
        .unwrap();
    p.add_item(vec![opt(0, None)]).unwrap();
    let start: Vec<u32> = (0..p.item_count())
        .map(|i| p.options(i).start as u32)
        .collect();
    let first = Some((start, evaluate_assignment(&p, &[0; 5]).unwrap()));
    assert_eq!(first.as_ref().unwrap().1, 19);
    let limits = ProofLimits {
        max_nodes: u64::MAX,
        deadline: None,
    };
    let proof = prove(&p, first, vec![0.0; p.item_count()], limits).unwrap();
    assert!(proof.proven);
    assert_eq!((proof.best.unwrap().1, proof.bound), (15, 15));
}
