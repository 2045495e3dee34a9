//! Dominance between candidate nodes of one order.
//!
//! A priced node V *dominates* a node P for the lines in `m` when V can ship every line of `m`,
//! V's shipment base (fixed, priority, distance, lateness, prices) is below the least P's can be
//! (its fixed, priority and distance), and V handles each line of `m` for no more than P would.
//! Then no solution that ships from P is optimal: replacing P's shipment by V's (or merging it
//! into V's when V already ships) costs strictly less. The merge needs V to hold the stock and
//! capacity for every line at once, so only nodes that can take the whole order's units are kept,
//! and only for orders whose lines have distinct SKUs and whose shipment bases cannot be negative.

use super::LineSet;

/// The priced nodes that may dominate later candidates: (lines, base, per-line cost).
#[derive(Debug, Default)]
pub(crate) struct Dominators {
    lines: usize,
    masks: Vec<LineSet>,
    bases: Vec<i64>,
    /// `lines` costs per dominator.
    costs: Vec<i64>,
}

impl Dominators {
    pub(crate) fn new(lines: usize) -> Self {
        Self {
            lines,
            ..Self::default()
        }
    }

    /// Adds a priced node that can ship `mask` for `base` plus `line_cents[l]` per line.
    pub(crate) fn add(&mut self, mask: &LineSet, base: i64, line_cents: &[i64]) {
        if mask.is_empty() || self.position(mask, base, &|l| line_cents[l]).is_some() {
            return; // an earlier one is at least as good
        }
        self.masks.push(mask.clone());
        self.bases.push(base);
        self.costs.extend_from_slice(&line_cents[..self.lines]);
    }

    /// True when some dominator ships every line of `mask`, has a base below `base_floor` and
    /// costs no more than `floor(l)` on each line of `mask`.
    pub(crate) fn dominates(
        &self,
        mask: &LineSet,
        base_floor: i64,
        floor: impl Fn(usize) -> i64,
    ) -> bool {
        self.position(mask, base_floor - 1, &floor).is_some()
    }

    /// The lines of the dominators whose base is below `base_floor` and whose every line
    /// costs at most `floors[l]`: each dominates every node with such floors that ships only
    /// lines of its mask.
    pub(crate) fn below<'a>(
        &'a self,
        base_floor: i64,
        floors: &'a [i64],
    ) -> impl Iterator<Item = &'a LineSet> + 'a {
        (0..self.masks.len())
            .filter(move |&i| {
                self.bases[i] < base_floor && self.cheap(i, &self.masks[i], |l| floors[l])
            })
            .map(|i| &self.masks[i])
    }

    /// A dominator that ships every line of `mask`, with a base at most `base` and costing at
    /// most `floor(l)` on each line of `mask`.
    fn position(&self, mask: &LineSet, base: i64, floor: &impl Fn(usize) -> i64) -> Option<usize> {
        (0..self.masks.len()).find(|&i| {
            mask.is_subset(&self.masks[i]) && self.bases[i] <= base && self.cheap(i, mask, floor)
        })
    }

    fn cheap(&self, i: usize, mask: &LineSet, floor: impl Fn(usize) -> i64) -> bool {
        let costs = &self.costs[i * self.lines..(i + 1) * self.lines];
        mask.iter().all(|l| costs[l] <= floor(l))
    }
}
