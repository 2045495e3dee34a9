//! Repair and greedy descent: turn an over-capacity assignment (the Lagrangian pricing solution)
//! into a feasible one, then take every cheaper option that still fits.

use super::state::{Changes, State};

/// Moves items off over-capacity resources, the move with the smallest cost increase per unit of
/// excess removed first (a regret rule), until nothing is over capacity. Returns whether the state
/// is feasible at the end (false when no move reduces the excess any more).
pub(crate) fn repair(s: &mut State, ch: &mut Changes) -> bool {
    let p = s.p;
    let unit = vec![1.0; p.resource_count()];
    while s.excess > 0 {
        let Some(r) = (0..s.load.len()).find(|&r| s.excess_of(r) > 0) else {
            break;
        };
        let mut best: Option<(f64, usize, usize)> = None;
        for &i in &s.members[r] {
            let i = i as usize;
            let cur = s.choice[i] as usize;
            for o in p.options(i) {
                if o == cur {
                    continue;
                }
                ch.clear();
                ch.option(p, cur, -1);
                ch.option(p, o, 1);
                let (_, dex) = s.delta(ch, &unit);
                if dex >= 0 {
                    continue;
                }
                let score = (p.cost(o) - p.cost(cur)) as f64 / (-dex) as f64;
                if best.is_none_or(|b| score < b.0) {
                    best = Some((score, i, o));
                }
            }
        }
        match best {
            Some((_, i, o)) => s.shift(i, o),
            None => return false,
        }
    }
    true
}

/// Shifts items to the cheapest option that keeps every resource within capacity, in item order,
/// until a pass changes nothing. Keeps a feasible state feasible.
pub(crate) fn descend(s: &mut State, ch: &mut Changes) {
    let p = s.p;
    for _ in 0..50 {
        let mut moved = false;
        for i in 0..p.item_count() {
            let cur = s.choice[i] as usize;
            let mut best = (0, cur);
            for o in p.options(i) {
                let d = p.cost(o) - p.cost(cur);
                if d < best.0 {
                    ch.clear();
                    ch.option(p, cur, -1);
                    ch.option(p, o, 1);
                    if s.fits(ch) {
                        best = (d, o);
                    }
                }
            }
            if best.1 != cur {
                s.shift(i, best.1);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}
