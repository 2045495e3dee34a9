//! First-improvement descent with ejections, for problems whose options use several resources
//! (optimise mode's batches): each item in turn takes a cheaper option if it fits, or if moving
//! one other item off the one resource that blocks it (to any option of its own) makes it fit at
//! a lower total cost. Every move keeps the state feasible and lowers the cost, so the descent
//! ends; one pass costs about what one best-improvement tabu move does (which scans every item),
//! but applies every improvement it meets, so on thousands of items it gets much further in the
//! same time. The tabu search then continues from its result.

use super::state::{Changes, State};
use std::time::Instant;

/// Items on a blocking resource tried as the one to eject, at most (a node's capacity may be
/// shared by thousands of items).
const EJECT_SCAN: usize = 64;

/// Runs the descent on a feasible `s` until a pass improves nothing or `deadline`; returns the
/// moves made.
pub(crate) fn descend_ejecting(s: &mut State, deadline: Option<Instant>) -> u64 {
    let p = s.p;
    let (mut ch, mut both) = (Changes::default(), Changes::default());
    let mut moves = 0;
    loop {
        let mut improved = false;
        for i in 0..p.item_count() {
            if i % 256 == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
                return moves;
            }
            let cur = s.choice[i] as usize;
            for o in p.options(i) {
                let gain = p.cost(cur) - p.cost(o);
                if gain <= 0 {
                    continue;
                }
                ch.clear();
                ch.option(p, cur, -1);
                ch.option(p, o, 1);
                if s.fits(&ch) {
                    s.shift(i, o);
                } else if let Some((k, q)) = ejection(s, &mut both, (i, cur, o), gain, &ch) {
                    s.shift(i, o);
                    s.shift(k, q);
                } else {
                    continue;
                }
                moves += 1;
                improved = true;
                break;
            }
        }
        if !improved {
            return moves;
        }
    }
}

/// An item `k` on the one resource that `ch` (item `i` from `cur` to `o`) overfills, and an
/// option `q` of it, such that both moves fit and cost less than `gain` together.
fn ejection(
    s: &State,
    both: &mut Changes,
    (i, cur, o): (usize, usize, usize),
    gain: i64,
    ch: &Changes,
) -> Option<(usize, usize)> {
    let p = s.p;
    let r = s.single_over(ch)?;
    for &k in s.members[r].iter().take(EJECT_SCAN) {
        let k = k as usize;
        if k == i {
            continue;
        }
        let ck = s.choice[k] as usize;
        for q in p.options(k) {
            if q == ck || p.cost(q) - p.cost(ck) >= gain {
                continue;
            }
            both.clear();
            both.option(p, cur, -1);
            both.option(p, o, 1);
            both.option(p, ck, -1);
            both.option(p, q, 1);
            if s.fits(both) {
                return Some((k, q));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::{evaluate_assignment, AssignOption, AssignmentProblem};
    use super::*;
    use proptest::prelude::*;

    fn global(p: &AssignmentProblem, local: &[usize]) -> Vec<u32> {
        local
            .iter()
            .enumerate()
            .map(|(i, &k)| (p.options(i).start + k) as u32)
            .collect()
    }

    #[test]
    fn an_item_takes_a_cheaper_resource_by_moving_its_holder_elsewhere() {
        // One unit at the near node: item 0 holds it (saves 1 there), item 1 would save 10; item
        // 0 has a second node at +1. No single shift fits; the ejection does.
        let mut p = AssignmentProblem::new();
        let near = p.add_resource(1).unwrap();
        let other = p.add_resource(1).unwrap();
        p.add_item(vec![
            AssignOption::new(5, vec![(near, 1)]),
            AssignOption::new(6, vec![(other, 1)]),
        ])
        .unwrap();
        p.add_item(vec![
            AssignOption::new(20, vec![]),
            AssignOption::new(10, vec![(near, 1)]),
        ])
        .unwrap();
        let mut s = State::new(&p, &global(&p, &[0, 0]));
        assert_eq!(descend_ejecting(&mut s, None), 1);
        assert_eq!(s.cost, 16);
        assert_eq!(s.choice, global(&p, &[1, 1]));
    }

    proptest! {
        /// From a feasible start the descent stays feasible, never costs more, and ends where
        /// no single shift both fits and saves.
        #[test]
        fn descent_stays_feasible_and_ends_at_a_shift_optimum(
            caps in prop::collection::vec(0u64..6, 1..4),
            items in prop::collection::vec(
                prop::collection::vec((0i64..30, prop::collection::vec((0usize..3, 1u64..4), 0..3)), 1..4),
                1..8,
            ),
        ) {
            let mut p = AssignmentProblem::new();
            let ids: Vec<_> = caps.iter().map(|&c| p.add_resource(c).unwrap()).collect();
            for options in items {
                let mut v: Vec<AssignOption> = options
                    .into_iter()
                    .map(|(c, uses)| {
                        AssignOption::new(c, uses.into_iter().map(|(r, a)| (ids[r % ids.len()], a)).collect())
                    })
                    .collect();
                v.push(AssignOption::unassigned(40)); // the feasible start
                p.add_item(v).unwrap();
            }
            let last: Vec<usize> = (0..p.item_count()).map(|i| p.option_count(i) - 1).collect();
            let before = evaluate_assignment(&p, &last).unwrap();
            let mut s = State::new(&p, &global(&p, &last));
            descend_ejecting(&mut s, None);
            let local: Vec<usize> = s
                .choice
                .iter()
                .enumerate()
                .map(|(i, &o)| o as usize - p.options(i).start)
                .collect();
            prop_assert_eq!(evaluate_assignment(&p, &local), Ok(s.cost));
            prop_assert!(s.cost <= before);
            let mut ch = Changes::default();
            for i in 0..p.item_count() {
                let cur = s.choice[i] as usize;
                for o in p.options(i).filter(|&o| p.cost(o) < p.cost(cur)) {
                    ch.clear();
                    ch.option(&p, cur, -1);
                    ch.option(&p, o, 1);
                    prop_assert!(!s.fits(&ch), "item {i} could still shift to {o}");
                }
            }
        }
    }
}
