//! The 0-1 knapsack of one resource, by dynamic programming over its integer capacity: the
//! subproblem of the Lagrangian relaxation of the assignment constraints. Profits are real (they
//! come from multipliers), weights and the capacity small integers.
//!
//! `solve` keeps the table of every prefix (`best[k][w]`: the most profit of the first `k` entries
//! within weight `w`), so the chosen entries are read back from it, and `with_without` adds the
//! table of every suffix to give, per entry, the best profit of a packing that must hold it and of
//! one that must leave it out (for fixing variables by their bound).

/// One candidate: a profit (> 0 for the DP to want it) and a weight.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) profit: f64,
    pub(crate) weight: i64,
}

/// Reusable tables.
#[derive(Debug, Default)]
pub(crate) struct Knapsack {
    /// `(k + 1) × (cap + 1)` prefix table, row `k` after the first `k` entries.
    prefix: Vec<f64>,
    /// The same for suffixes (`with_without` only), row `k` holding entries `k..`.
    suffix: Vec<f64>,
    cap: usize,
}

impl Knapsack {
    /// The most profit within `cap`, and in `take` whether each entry is packed.
    pub(crate) fn solve(&mut self, entries: &[Entry], cap: i64, take: &mut Vec<bool>) -> f64 {
        let c = usize::try_from(cap).unwrap_or(0);
        self.cap = c;
        let width = c + 1;
        self.prefix.clear();
        self.prefix.resize((entries.len() + 1) * width, 0.0);
        for (k, e) in entries.iter().enumerate() {
            let (done, next) = self.prefix.split_at_mut((k + 1) * width);
            let (row, next) = (&done[k * width..], &mut next[..width]);
            next.copy_from_slice(row);
            if let Ok(w) = usize::try_from(e.weight) {
                for x in w..width {
                    let v = row[x - w] + e.profit;
                    if v > next[x] {
                        next[x] = v;
                    }
                }
            }
        }
        take.clear();
        take.resize(entries.len(), false);
        let mut x = c;
        for k in (0..entries.len()).rev() {
            let (before, after) = (self.prefix[k * width + x], self.prefix[(k + 1) * width + x]);
            if after > before {
                take[k] = true;
                x -= usize::try_from(entries[k].weight).unwrap_or(0);
            }
        }
        self.prefix[entries.len() * width + c]
    }

    /// After `solve` on the same entries: per entry, the best profit of a packing that holds it
    /// (`f64::NEG_INFINITY` if it does not fit) and of one without it.
    pub(crate) fn with_without(&mut self, entries: &[Entry], out: &mut Vec<(f64, f64)>) {
        let width = self.cap + 1;
        let n = entries.len();
        self.suffix.clear();
        self.suffix.resize((n + 1) * width, 0.0);
        for k in (0..n).rev() {
            let (head, tail) = self.suffix.split_at_mut((k + 1) * width);
            let (row, next) = (&mut head[k * width..], &tail[..width]);
            row.copy_from_slice(next);
            if let Ok(w) = usize::try_from(entries[k].weight) {
                for x in w..width {
                    let v = next[x - w] + entries[k].profit;
                    if v > row[x] {
                        row[x] = v;
                    }
                }
            }
        }
        out.clear();
        for (k, e) in entries.iter().enumerate() {
            let before = &self.prefix[k * width..(k + 1) * width];
            let after = &self.suffix[(k + 1) * width..(k + 2) * width];
            // Both rows are non-decreasing in the weight, so the best split of `room` between the
            // entries before and after `k` is the best `before[x] + after[room - x]`.
            let split = |room: usize| {
                (0..=room)
                    .map(|x| before[x] + after[room - x])
                    .fold(f64::NEG_INFINITY, f64::max)
            };
            let with = usize::try_from(e.weight)
                .ok()
                .and_then(|w| self.cap.checked_sub(w))
                .map_or(f64::NEG_INFINITY, |room| e.profit + split(room));
            out.push((with, split(self.cap)));
        }
    }

    /// After `solve`: the best profit of the solved entries within `room` (≤ the capacity).
    pub(crate) fn best_within(&self, entries: usize, room: usize) -> f64 {
        let width = self.cap + 1;
        self.prefix[entries * width + room.min(self.cap)]
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // integer profits: every sum is exact
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The best profit over every subset, with `must` in it or out of it.
    fn brute(entries: &[Entry], cap: i64, must: Option<(usize, bool)>) -> f64 {
        let mut best = f64::NEG_INFINITY;
        for mask in 0u32..1 << entries.len() {
            if must.is_some_and(|(k, inside)| (mask >> k & 1 == 1) != inside) {
                continue;
            }
            let (mut p, mut w) = (0.0, 0);
            for (k, e) in entries.iter().enumerate() {
                if mask >> k & 1 == 1 {
                    p += e.profit;
                    w += e.weight;
                }
            }
            if w <= cap && p > best {
                best = p;
            }
        }
        best
    }

    proptest! {
        #[test]
        fn solve_and_with_without_match_brute_force(
            raw in prop::collection::vec((1u32..40, 0i64..9), 0..9),
            cap in 0i64..20,
        ) {
            let entries: Vec<Entry> = raw
                .iter()
                .map(|&(p, w)| Entry { profit: f64::from(p), weight: w })
                .collect();
            let (mut ks, mut take, mut ww) = (Knapsack::default(), Vec::new(), Vec::new());
            let best = ks.solve(&entries, cap, &mut take);
            prop_assert_eq!(best, brute(&entries, cap, None));
            let (p, w) = entries.iter().zip(&take).filter(|x| *x.1).fold((0.0, 0), |a, (e, _)| {
                (a.0 + e.profit, a.1 + e.weight)
            });
            prop_assert_eq!(p, best);
            prop_assert!(w <= cap);
            ks.with_without(&entries, &mut ww);
            for (k, &(with, without)) in ww.iter().enumerate() {
                prop_assert_eq!(with, brute(&entries, cap, Some((k, true))));
                prop_assert_eq!(without, brute(&entries, cap, Some((k, false))));
            }
        }
    }
}
