//! The fast search's move choice: the best admissible shift, else the best swap or two-step
//! ejection chain.

use super::run::{pen, Run};
use super::NONE;

pub(super) use crate::gap::tabu::Move;

/// The best admissible move and its value (cost change plus weighted excess change). `enter` (one
/// entry per candidate, as `Simple::cand`) is scratch: the shift scan writes there the weighted
/// excess change of entering each candidate's resource, for every candidate off its item's own
/// resource, and the exits of the same move read it back.
pub(super) fn best_move(
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
