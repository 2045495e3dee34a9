//! The exact choice for orders of up to [`EXACT_MAX_LINES`](super::EXACT_MAX_LINES) lines: a
//! dynamic programme over subsets of lines that adds one node at a time (each node ships at most
//! once), with one layer per shipment count so the split rule and ship-complete are honoured,
//! and a per-node choice table for reconstruction (docs/router.md, "Choosing").

use super::candidate::Viable;
use super::choose::{Pick, Problem, INF};
use super::LineSet;

/// See the module docs.
pub(crate) struct Exact {
    p: Problem,
    lines: usize,
    k_max: usize,
    /// `dp[k * masks + mask]`: cheapest cost of shipping exactly `mask` in `k` shipments.
    dp: Vec<i64>,
    /// Per added node, `choice[(k - 1) * masks + mask]`: the subset it shipped to reach (k, mask).
    choices: Vec<(usize, Vec<u16>)>,
    /// Units per subset of lines.
    subset_units: Vec<u64>,
    /// Unfilled cost of the complement of each subset.
    unfilled_of: Vec<i64>,
    /// Scratch: cost of each subset at the node being added.
    subset_cost: Vec<i64>,
    /// A zeroed choice table left by a node that changed nothing, for the next node to fill
    /// (most nodes change nothing, so most adds allocate nothing).
    spare_choice: Vec<u16>,
    /// Scratch of [`Exact::rest_bound`] (a cell, so that bound is a read).
    floor_in: std::cell::RefCell<Vec<i64>>,
    /// (objective, k, mask) of the best solution so far.
    best: (i64, usize, usize),
    added: usize,
}

impl Exact {
    pub(crate) fn new(p: Problem) -> Self {
        let lines = p.units.len();
        let masks = 1usize << lines;
        let k_max = p.max_shipments.min(lines);
        let mut subset_units = vec![0u64; masks];
        let mut unfilled_in = vec![0i64; masks];
        for m in 1..masks {
            let low = m.trailing_zeros() as usize;
            subset_units[m] = subset_units[m & (m - 1)] + u64::from(p.units[low]);
            unfilled_in[m] = unfilled_in[m & (m - 1)] + p.unfilled_cents[low];
        }
        let full = masks - 1;
        let unfilled_of: Vec<i64> = (0..masks).map(|m| unfilled_in[full & !m]).collect();
        let mut dp = vec![INF; (k_max + 1) * masks];
        dp[0] = 0;
        let best = (unfilled_of[0], 0, 0);
        Self {
            p,
            lines,
            k_max,
            dp,
            choices: Vec::new(),
            subset_units,
            unfilled_of,
            subset_cost: vec![0; masks],
            spare_choice: Vec::new(),
            floor_in: std::cell::RefCell::new(vec![0; masks]),
            best,
            added: 0,
        }
    }

    pub(crate) fn add(&mut self, v: &Viable, line_cents: &[i64], group_stock: &[u32]) {
        let masks = 1usize << self.lines;
        let avail_all = v.lines.low_bits() as usize;
        // Subset costs at this node, for subsets of what it can ship.
        self.subset_cost[0] = v.base_cents;
        // Ascending submask order, so each subset's smaller part is priced first.
        let mut s = 0usize;
        loop {
            s = s.wrapping_sub(avail_all) & avail_all;
            if s == 0 {
                break;
            }
            let low = s.trailing_zeros() as usize;
            self.subset_cost[s] = self.subset_cost[s & (s - 1)] + line_cents[low];
        }
        let mut choice = std::mem::take(&mut self.spare_choice);
        if choice.is_empty() {
            choice = vec![0u16; self.k_max * masks];
        }
        let mut changed = false;
        for k in (0..self.k_max).rev() {
            let penalty = if k > 0 { self.p.split_penalty_cents } else { 0 };
            for mask in 0..masks {
                let here = self.dp[k * masks + mask];
                if here >= INF {
                    continue;
                }
                let avail = avail_all & !mask;
                let mut sub = avail;
                while sub != 0 {
                    if self.subset_units[sub] <= u64::from(v.units_left)
                        && (self.p.sku_groups.is_empty()
                            || self
                                .p
                                .groups_fit(&LineSet::from_bits(sub as u64), group_stock))
                    {
                        let cost = here + self.subset_cost[sub] + penalty;
                        let slot = (k + 1) * masks + (mask | sub);
                        if cost < self.dp[slot] {
                            self.dp[slot] = cost;
                            choice[k * masks + (mask | sub)] = sub as u16;
                            changed = true;
                        }
                    }
                    sub = (sub - 1) & avail;
                }
            }
        }
        if changed {
            self.choices.push((self.added, choice));
            self.refresh_best();
        } else {
            // Nothing was written: the table is still all zeros.
            self.spare_choice = choice;
        }
        self.added += 1;
    }

    /// See `Solver::rest_bound_cents` (`open`: bit i = line i).
    pub(crate) fn rest_bound(
        &self,
        open: usize,
        line_min: &[i64],
        base: i64,
        partial_only: bool,
    ) -> i64 {
        let masks = 1usize << self.lines;
        let full = masks - 1;
        let unfilled = |l: usize| {
            if self.p.ship_complete {
                INF
            } else {
                self.p.unfilled_cents[l]
            }
        };
        let cover = |l: usize| {
            if open & (1 << l) != 0 {
                line_min[l]
            } else {
                INF
            }
        };
        // floor_in[m]: the floors of the lines in m.
        let mut floor_in = self.floor_in.borrow_mut();
        floor_in[0] = 0;
        for m in 1..masks {
            let low = m.trailing_zeros() as usize;
            let floor = cover(low).min(unfilled(low));
            floor_in[m] = (floor_in[m & (m - 1)] + floor).min(INF);
        }
        let mut best = INF;
        for k in 0..self.k_max {
            let row = &self.dp[k * masks..(k + 1) * masks];
            for (m, &here) in row.iter().enumerate() {
                if here < INF && (m != 0 || !partial_only) {
                    best = best.min(here + floor_in[full & !m] + base);
                }
            }
        }
        if partial_only && self.dp[0] == 0 {
            // Nothing from the nodes added so far: either some line is left unfilled (its
            // floor raised to its unfilled cost) or the coming nodes ship every line, in two
            // shipments at least.
            let floors = floor_in[full];
            let raise = (0..self.lines)
                .map(|l| unfilled(l) - cover(l).min(unfilled(l)))
                .min()
                .unwrap_or(INF);
            best = best.min((floors + raise).min(INF) + base);
            if self.k_max >= 2 {
                let all: i64 = (0..self.lines).map(cover).fold(0, |a, c| (a + c).min(INF));
                best = best.min(all + 2 * base);
            }
        }
        best
    }

    /// The best objective over the nodes added so far.
    pub(crate) fn best_cents(&self) -> i64 {
        self.best.0
    }

    fn refresh_best(&mut self) {
        let masks = 1usize << self.lines;
        let full = masks - 1;
        for k in 0..=self.k_max {
            for mask in 0..masks {
                if self.p.ship_complete && mask != 0 && mask != full {
                    continue;
                }
                let d = self.dp[k * masks + mask];
                if d >= INF {
                    continue;
                }
                let total = d + self.unfilled_of[mask];
                if total < self.best.0 {
                    self.best = (total, k, mask);
                }
            }
        }
    }

    pub(crate) fn picks(&self) -> Vec<Pick> {
        let masks = 1usize << self.lines;
        let (_, mut k, mut mask) = self.best;
        let mut picks = Vec::new();
        for (viable, choice) in self.choices.iter().rev() {
            if k == 0 {
                break;
            }
            let sub = choice[(k - 1) * masks + mask] as usize;
            if sub != 0 {
                picks.push(Pick {
                    viable: *viable,
                    lines: LineSet::from_bits(sub as u64),
                });
                k -= 1;
                mask &= !sub;
            }
        }
        picks.reverse();
        picks
    }
}
