//! [`SpatialIndex::nearest_where`]'s walk: a best-first walk of the R-tree that tests a leaf's
//! nodes before queueing them, so a node left out costs one test and no queue entry.

use super::{chord2_between, Entry, Nearest};
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
        next.map(|(n, km)| Walked::Node(n, km))
    }
}

/// The least squared chord from `f` to any point of `aabb`, computed as [`SpatialIndex::chord2`]
/// computes a point's (so never above the chord of a point inside).
pub(crate) fn box_chord2(f: [f64; 3], aabb: &AABB<[f64; 3]>) -> f64 {
    let (lo, hi) = (aabb.lower(), aabb.upper());
    (0..3)
        .map(|i| {
            let d = if f[i] < lo[i] {
                lo[i] - f[i]
            } else if f[i] > hi[i] {
                f[i] - hi[i]
            } else {
                0.0
            };
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

/// The tree's nodes that `keep` accepts, by non-decreasing squared chord: a best-first walk of
/// the R-tree that tests a leaf's nodes before queueing them, so the nodes left out cost a test
/// each. After `left` nodes tested the stream is cut (marked `spent`).
pub(super) struct Kept<'a, F> {
    pub(super) from: [f64; 3],
    pub(super) queue: std::collections::BinaryHeap<Queued<'a>>,
    pub(super) keep: F,
    pub(super) left: usize,
    pub(super) spent: bool,
}

impl<F: FnMut(NodeIdx) -> bool> Iterator for Kept<'_, F> {
    type Item = (u32, f64);

    fn next(&mut self) -> Option<(u32, f64)> {
        while !self.spent {
            let Queued(chord2, next) = self.queue.pop()?;
            let parent = match next {
                Next::Node(idx) => return Some((idx, chord2)),
                Next::Parent(parent) => parent,
            };
            for child in parent.children() {
                let queued = match child {
                    RTreeNode::Leaf(entry) => {
                        if self.left == 0 {
                            self.spent = true;
                            break;
                        }
                        self.left -= 1;
                        let n = NodeIdx(entry.data);
                        if !(self.keep)(n) {
                            continue;
                        }
                        Queued(
                            chord2_between(self.from, *entry.geom()),
                            Next::Node(entry.data),
                        )
                    }
                    RTreeNode::Parent(p) => {
                        Queued(box_chord2(self.from, &p.envelope()), Next::Parent(p))
                    }
                };
                self.queue.push(queued);
            }
        }
        None
    }
}
