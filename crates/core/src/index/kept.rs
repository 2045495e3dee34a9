//! [`SpatialIndex::nearest_where`]'s walk: a best-first walk of the R-tree that tests a leaf's
//! nodes before queueing them, so a node left out costs one test and no queue entry.

use super::{chord2_between, ChordSlack, Entry, Nearest};
use crate::NodeIdx;
use rstar::{ParentNode, RTreeNode, AABB};

/// One step of [`SpatialIndex::nearest_where`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Walked {
    /// The next kept node and its haversine km.
    Node(NodeIdx, f64),
    /// The budget is spent: the walk ends here, and the kept nodes not yet yielded are the
    /// caller's to order.
    Spent,
}

/// The walk behind [`SpatialIndex::nearest_where`].
pub(crate) struct NearestWhere<'a, F> {
    pub(super) walk: Nearest<'a, Kept<'a, F>>,
    pub(super) done: bool,
    /// The furthest km still wanted ([`NearestWhere::cap_km`]).
    pub(super) cap_km: f64,
}

impl<F> NearestWhere<'_, F> {
    /// Ends the walk before the first node further than `km` (haversine): the caller needs
    /// none of them. Only lowers the cap; the nodes yielded are the same sequence as without
    /// it, cut there. The tree is read no further than the nodes within `km` need: a node or
    /// subtree beyond the cap's squared chord is neither tested nor queued.
    pub(crate) fn cap_km(&mut self, km: f64) {
        self.cap_km = self.cap_km.min(km);
        let cap = &mut self.walk.tree.cap;
        *cap = cap.min(ChordSlack::chord2_at_most_km(km));
    }

    /// The nodes of the tree read so far (each counts against the budget, kept or not).
    pub(crate) fn tested(&self) -> usize {
        self.walk.tree.tested
    }
}

impl<F: FnMut(NodeIdx) -> bool> Iterator for NearestWhere<'_, F> {
    type Item = Walked;

    fn next(&mut self) -> Option<Walked> {
        if self.done {
            return None;
        }
        let next = self.walk.next();
        // Once the tree's stream is cut, the walk takes its held-back nodes for the last ones:
        // a node it yields then may come before one never read, so it is not yielded.
        if self.walk.tree.spent {
            self.done = true;
            return Some(Walked::Spent);
        }
        match next {
            Some((n, km)) if km <= self.cap_km => Some(Walked::Node(n, km)),
            _ => {
                self.done = true;
                None
            }
        }
    }
}

/// The least squared chord from `f` to any point of `aabb`, computed as [`SpatialIndex::chord2`]
/// computes a point's (so never above the chord of a point inside).
pub(crate) fn box_chord2(f: [f64; 3], aabb: &AABB<[f64; 3]>) -> f64 {
    let (lo, hi) = (aabb.lower(), aabb.upper());
    // The gap below the box or above it, whichever is positive (both are not), else 0.
    (0..3)
        .map(|i| {
            let d = (lo[i] - f[i]).max(f[i] - hi[i]).max(0.0);
            d * d
        })
        .sum()
}

/// What the walk's queue holds: a subtree, or a kept node.
pub(super) enum Next<'a> {
    Parent(&'a ParentNode<Entry>),
    Node(u32),
}

/// A queue entry by its squared chord (a subtree's least), nearest on top.
pub(super) struct Queued<'a>(pub(super) f64, pub(super) Next<'a>);

impl PartialEq for Queued<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Queued<'_> {}

impl PartialOrd for Queued<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Squared chords are never negative, so their bits sort as the numbers do (reversed:
        // the heap's top is the least).
        other.0.to_bits().cmp(&self.0.to_bits())
    }
}

/// The tree's nodes that `keep` accepts, by non-decreasing squared chord up to `cap`: a
/// best-first walk of the R-tree that tests a leaf's nodes before queueing them, so the nodes
/// left out cost a test each. Each node of the tree read counts in `tested`, and once `budget`
/// are the stream is cut (marked `spent`). A node or a subtree beyond `cap` is neither tested
/// nor queued, and the stream ends when nothing within it is left.
pub(super) struct Kept<'a, F> {
    pub(super) from: [f64; 3],
    pub(super) queue: std::collections::BinaryHeap<Queued<'a>>,
    pub(super) keep: F,
    pub(super) budget: usize,
    pub(super) tested: usize,
    pub(super) spent: bool,
    /// The largest squared chord still wanted (only falls).
    pub(super) cap: f64,
}

impl<F: FnMut(NodeIdx) -> bool> Iterator for Kept<'_, F> {
    type Item = (u32, f64);

    fn next(&mut self) -> Option<(u32, f64)> {
        while !self.spent {
            // The queue's least is beyond the cap: so is everything left.
            let Queued(chord2, next) = self.queue.pop().filter(|q| q.0 <= self.cap)?;
            let parent = match next {
                Next::Node(idx) => return Some((idx, chord2)),
                Next::Parent(parent) => parent,
            };
            for child in parent.children() {
                let queued = match child {
                    RTreeNode::Leaf(entry) => {
                        if self.tested == self.budget {
                            self.spent = true;
                            break;
                        }
                        self.tested += 1;
                        let chord2 = chord2_between(self.from, *entry.geom());
                        if chord2 > self.cap || !(self.keep)(NodeIdx(entry.data)) {
                            continue;
                        }
                        Queued(chord2, Next::Node(entry.data))
                    }
                    RTreeNode::Parent(p) => {
                        let chord2 = box_chord2(self.from, &p.envelope());
                        if chord2 > self.cap {
                            continue;
                        }
                        Queued(chord2, Next::Parent(p))
                    }
                };
                self.queue.push(queued);
            }
        }
        None
    }
}
