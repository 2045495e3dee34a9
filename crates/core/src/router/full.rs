//! Candidate source, first phase: the nodes that hold enough of every line to ship the order
//! alone, nearest first.
//!
//! They come from a walk of the spatial index that keeps the nodes holding every line (a bit
//! test per SKU), so a dense SKU's thousands of holders are never listed. Fewer than
//! [`FULL_WALK_MIN`](super::scan_limits::FULL_WALK_MIN) are found at once, as a bitmap, and
//! ordered by chord as its bits are read; when the walk has tested
//! [`FULL_WALK_PERCENT`](super::scan_limits::FULL_WALK_PERCENT) of their number without the bound
//! closing (few full holders, or a remote order), the others are found and ordered so instead.
//! Both give the nodes in the same (km, index) order
//! ([`SpatialIndex::nearest_where`](crate::SpatialIndex::nearest_where)). Once a node is weighed,
//! the phase stops beyond the near groups' reach (`Reach::near_km`: no node there can serve).

use super::node_set::NodeSet;
use super::reads::Count;
use super::scan_limits::Limits;
use super::search::Search;
use crate::index::Walked;
use crate::{NodeIdx, SkuId, StockTable};

/// The nodes that can ship the whole order (as far as stock goes), as the later phases skip them:
/// a membership test, and their set once a phase has needed it.
pub(super) struct FullHolders<'a> {
    every: &'a [(SkuId, u32)],
    set: Option<NodeSet>,
}

impl<'a> FullHolders<'a> {
    /// The holders of `every` (each SKU with the most units a line asks).
    pub(super) fn new(every: &'a [(SkuId, u32)]) -> Self {
        FullHolders { every, set: None }
    }

    /// True when `node` holds enough of every line.
    pub(super) fn contains(&self, stock: &StockTable, node: NodeIdx) -> bool {
        if let Some(set) = &self.set {
            return set.contains(node);
        }
        stock.read_at(node);
        stock.holds_all(self.every, node)
    }

    /// `set`, [`StockTable::full_holders`] of the order's lines, kept.
    fn found(&mut self, set: NodeSet) -> &NodeSet {
        self.set.insert(set)
    }

    /// Every such node (found the first time it is asked).
    pub(super) fn set(&mut self, stock: &StockTable) -> &NodeSet {
        self.set
            .get_or_insert_with(|| stock.full_holders(self.every))
    }
}

impl Search<'_> {
    /// Considers the nodes of `full`, nearest first (ties by index), until one shipment from
    /// further away costs more than the best found.
    pub(super) fn scan_full_holders(&mut self, full: &mut FullHolders<'_>) {
        if self.bounds().whole(0.0).is_some() {
            return; // no node at any distance can serve the order, or pay
        }
        let index = self.router.network.index();
        let from = self.ctx.order.destination;
        let stock = self.stock;
        let every = full.every;
        let limits = self.router.limits;
        // Too few to walk for are found at once, as a set, by the pass that counts them (the AND
        // of the bitmaps, or the walk of the shortest list).
        let (at_most, found) = stock.full_holders_below(every, limits.full_walk_min);
        let budget = if found.is_some() {
            0
        } else {
            at_most * limits.full_walk / 100
        };
        let mut weighed: Vec<NodeIdx> = Vec::new();
        let mut spent = budget == 0;
        let mut tested = 0;
        if !spent {
            let holds = |n| stock.holds_all(every, n);
            let mut walk = index.nearest_where(from, holds, budget);
            // The walk reads no node or subtree beyond where the phase would close: it no longer
            // finds the closing node, and the one after it (to order them), before stopping.
            walk.cap_km(self.full_km());
            while let Some(step) = walk.next() {
                match step {
                    Walked::Node(n, km) => {
                        if self.full_closed(km) {
                            break;
                        }
                        self.consider_lines(n, km, self.full.clone());
                        weighed.push(n);
                        walk.cap_km(self.full_km());
                    }
                    Walked::Spent => {
                        spent = true;
                        break;
                    }
                }
            }
            tested = walk.tested();
        }
        // The walk made `tested` tests: a spent walk any budget of exactly that many, another
        // any budget of at least that many.
        let (lo, hi) = at_most_for_budget(limits, at_most, tested, spent);
        stock.read_count(Count::FullAtMost, lo, hi);
        if !spent {
            return; // every full holder was weighed
        }
        // The walk ran long (or there was none): the holders it has not yielded within the
        // order's reach limit (any further is beyond it: the loop below would stop there),
        // ordered by chord.
        weighed.sort_unstable();
        let dest = from.unit_vector();
        let limit_chord2 = if self.candidates.is_empty() {
            self.reach.limit_chord2()
        } else {
            self.reach.near_chord2()
        };
        let set = match found {
            Some(set) => full.found(set),
            None => full.set(stock),
        };
        let rest = (set.iter())
            .filter(|n| weighed.binary_search(n).is_err())
            .map(|n| (n, index.chord2(dest, n)))
            .filter(|&(_, chord2)| chord2 <= limit_chord2);
        for (n, km) in index.nearest_by_chord(from, rest) {
            if self.full_closed(km) {
                break;
            }
            self.consider_lines(n, km, self.full.clone());
        }
    }
}

impl Search<'_> {
    /// True when no node that holds every line at `km` or further needs weighing: tests 1 and
    /// 2 close, or, once a node was weighed, `km` is beyond [`Reach::near_km`] (no such node can
    /// serve the order; left unweighed, it goes unlisted in the explanation, whose first node
    /// holds every line and so alone gives the unfilled lines their reasons).
    ///
    /// [`Reach::near_km`]: super::reach::Reach::near_km
    fn full_closed(&self, km: f64) -> bool {
        self.bounds().whole(km).is_some() || km > self.near_once_weighed()
    }

    /// A distance beyond which [`Search::full_closed`] is true.
    fn full_km(&self) -> f64 {
        self.bounds().whole_km().min(self.near_once_weighed())
    }

    /// [`Reach::near_km`](super::reach::Reach::near_km) once a node is weighed, else infinite.
    fn near_once_weighed(&self) -> f64 {
        if self.candidates.is_empty() {
            f64::INFINITY
        } else {
            self.reach.near_km
        }
    }
}

/// The values of [`StockTable::full_holders_at_most`] that give the first phase's walk the same
/// course: a walk that made `tested` tests and was `spent` had a budget of exactly that many (0:
/// no walk); one that ended first (`at_most` was the count), a budget of at least that many, and at least one. The budget
/// only grows with the count, so each is a range.
fn at_most_for_budget(
    limits: Limits,
    at_most: usize,
    tested: usize,
    spent: bool,
) -> (usize, usize) {
    // The least count whose budget is at least `t` (`None`: no count's is).
    let first = |t: usize| -> Option<usize> {
        if t == 0 {
            return Some(0);
        }
        if limits.full_walk == 0 {
            return None;
        }
        let a = (t.checked_mul(100)?).div_ceil(limits.full_walk);
        Some(a.max(limits.full_walk_min))
    };
    let hi = |t: usize| first(t + 1).map_or(usize::MAX, |a| a - 1);
    match (spent, first(tested.max(usize::from(!spent)))) {
        (_, None) => (at_most, at_most), // cannot happen: the walk had this budget
        (true, Some(lo)) => (lo, hi(tested)),
        (false, Some(lo)) => (lo, usize::MAX),
    }
}
