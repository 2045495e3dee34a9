//! Given nodes by squared chord, nearest first, for walks that mostly stop after a few: the
//! [`TOP`] nearest are picked in one pass, and the others are heaped only when a walk goes past
//! them (heaping every node cost more than the few it yielded, when a walk takes two or three).
//! Nothing is listed in that pass: the heap takes the nodes from a second run of the iterator
//! that gave them (a copy made before the first ran).

use crate::NodeIdx;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// How many of the nearest nodes the first pass picks.
const TOP: usize = 8;

/// A node as it is ordered: its squared chord's bits (never negative, so the bits sort as the
/// numbers do), then its index.
type Key = (u64, u32);

/// The nodes of [`ChordOrder::new`] by `(squared chord, index)`, ascending.
pub(crate) struct ChordOrder<I> {
    /// The nodes again, as given (taken when `top` is spent).
    again: Option<I>,
    /// How many nodes were given.
    given: usize,
    /// The least of them (all of them when fewer than [`TOP`], the rest filler), ascending.
    top: [Key; TOP],
    /// The next of `top` to yield.
    at: usize,
    /// The nodes after `top`, heaped once `top` is spent.
    rest: Option<BinaryHeap<Reverse<Key>>>,
}

impl<I: Iterator<Item = (NodeIdx, f64)> + Clone> ChordOrder<I> {
    /// Orders `nodes` (distinct indices, each with its squared chord), picking the nearest in
    /// the one pass that takes them. A second run of `nodes` (its clone from before the first)
    /// must give the same nodes: the callers compute the chords as they go, so nothing is
    /// listed unless a walk goes past the first [`TOP`].
    pub(super) fn new(nodes: I) -> Self {
        let again = nodes.clone();
        let mut given = 0;
        // No node's key is the filler: a squared chord's bits are never `u64::MAX` (a NaN).
        let mut top = [(u64::MAX, u32::MAX); TOP];
        for (n, chord2) in nodes {
            let key = (chord2.to_bits(), n.0);
            given += 1;
            // Most nodes are further than the eighth nearest so far: their chord alone says so.
            if key.0 <= top[TOP - 1].0 && key < top[TOP - 1] {
                // Insert in order, dropping the last.
                let mut i = TOP - 1;
                while i > 0 && top[i - 1] > key {
                    top[i] = top[i - 1];
                    i -= 1;
                }
                top[i] = key;
            }
        }
        ChordOrder {
            again: Some(again),
            given,
            top,
            at: 0,
            rest: None,
        }
    }
}

impl<I: Iterator<Item = (NodeIdx, f64)>> Iterator for ChordOrder<I> {
    /// A node's index and squared chord.
    type Item = (u32, f64);

    fn next(&mut self) -> Option<(u32, f64)> {
        let (bits, n) = if self.at < self.given.min(TOP) {
            self.at += 1;
            self.top[self.at - 1]
        } else {
            if self.given <= TOP {
                return None; // `top` held every node
            }
            let last = self.top[TOP - 1];
            let again = &mut self.again;
            let rest = self.rest.get_or_insert_with(|| {
                let nodes = again.take().expect("the nodes are run again once");
                (nodes.map(|(n, chord2)| (chord2.to_bits(), n.0)))
                    .filter(|&key| key > last)
                    .map(Reverse)
                    .collect()
            });
            rest.pop()?.0
        };
        Some((n, f64::from_bits(bits)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The order is a sort by (squared chord, index), every node once, whatever the count
        /// (below, at and above `TOP`) and however many chords tie.
        #[test]
        fn yields_the_sorted_order(chords in prop::collection::vec(0u8..6, 0..40)) {
            let nodes: Vec<(u32, f64)> = (chords.iter().enumerate())
                .map(|(i, &c)| ((i as u32).wrapping_mul(7) % 41, f64::from(c) * 0.25))
                .collect();
            let mut want = nodes.clone();
            want.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            let given = nodes.iter().map(|&(n, c)| (NodeIdx(n), c));
            let got: Vec<(u32, f64)> = ChordOrder::new(given).collect();
            prop_assert_eq!(got, want);
        }
    }
}
