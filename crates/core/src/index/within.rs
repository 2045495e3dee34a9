//! [`SpatialIndex`]'s radius queries: every node within a squared chord (of some nodes in a
//! tree of their own for the router's line floors, with a budget), or within a haversine
//! distance (exact, sorted).

use super::{box_chord2, chord2_between, ChordSlack, Entry, SpatialIndex, Wide};
use crate::{LatLng, NodeIdx};
use rstar::primitives::GeomWithData;
use rstar::{ParentNode, RTree, RTreeNode, AABB};

impl SpatialIndex {
    /// Every node within `radius_km` of `from` (haversine [`LatLng::distance_km`] `<= radius_km`),
    /// with its distance, sorted by `(km, idx)`: exactly the set and order of a brute-force scan.
    ///
    /// A negative or NaN radius gives nothing; an infinite one gives every node.
    ///
    /// ```
    /// # use omniroute_core::{LatLng, NodeIdx, SpatialIndex};
    /// let index = SpatialIndex::new([
    ///     LatLng::new(28.6139, 77.2090)?, // Delhi
    ///     LatLng::new(19.0760, 72.8777)?, // Mumbai
    ///     LatLng::new(18.5204, 73.8567)?, // Pune
    /// ]);
    /// let near_mumbai = index.within_km(LatLng::new(19.0760, 72.8777)?, 200.0);
    /// assert_eq!(near_mumbai.iter().map(|w| w.0).collect::<Vec<_>>(), [NodeIdx(1), NodeIdx(2)]);
    /// assert_eq!(near_mumbai[0].1, 0.0);
    /// assert!(index.within_km(LatLng::new(0.0, 0.0)?, -1.0).is_empty());
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    pub fn within_km(&self, from: LatLng, radius_km: f64) -> Vec<(NodeIdx, f64)> {
        if radius_km.is_nan() || radius_km < 0.0 {
            return Vec::new();
        }
        let chord2 = ChordSlack::chord2_upper_bound(radius_km);
        let mut found: Vec<(NodeIdx, f64)> = self
            .tree
            .locate_within_distance(from.unit_vector(), chord2)
            .map(|entry| {
                let idx = NodeIdx(entry.data);
                (idx, from.distance_km(self.location(idx)))
            })
            .filter(|&(_, km)| km <= radius_km)
            .collect();
        found.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        found
    }
}

/// Some nodes of an index in a tree of their own (their indices kept), for
/// [`NodeTree::within_chord2`] over those alone: the nodes of one kind, whose reach differs from
/// the others'.
#[derive(Debug, Clone)]
pub(crate) struct NodeTree {
    tree: RTree<Entry, Wide>,
}

impl SpatialIndex {
    /// The nodes of `nodes` in a tree of their own.
    pub(crate) fn subtree(&self, nodes: impl IntoIterator<Item = NodeIdx>) -> NodeTree {
        let entries = (nodes.into_iter())
            .map(|n| GeomWithData::new(self.units[n.0 as usize], n.0))
            .collect();
        NodeTree {
            tree: RTree::bulk_load_with_params(entries),
        }
    }
}

impl NodeTree {
    /// Every one of these nodes whose squared chord from `from` ([`SpatialIndex::chord2`]) is
    /// at most `max_chord2`, with it, in no particular order; `None` when the walk would test
    /// more than `budget` nodes: every node of the subtrees whose box may hold such a node.
    ///
    /// A subtree whose box lies wholly within `max_chord2` counts its nodes without testing them
    /// (their chords are computed only if the walk succeeds), so a walk that gives up pays for
    /// the subtrees across the radius's edge, not for every node within it.
    pub(crate) fn within_chord2(
        &self,
        from: [f64; 3],
        max_chord2: f64,
        budget: usize,
    ) -> Option<Vec<(NodeIdx, f64)>> {
        // The nodes within found at the radius's edge; those of `inside` are added once the walk
        // is sure to succeed (a walk that gives up allocates no room for them).
        let mut found = Vec::new();
        // Nodes tested, or counted in `inside`.
        let mut counted = 0usize;
        let mut inside = Vec::new();
        let mut inside_nodes = 0usize;
        let mut stack = vec![self.tree.root()];
        while let Some(parent) = stack.pop() {
            for child in parent.children() {
                match child {
                    RTreeNode::Leaf(entry) => {
                        counted += 1;
                        if counted > budget {
                            return None;
                        }
                        let chord2 = chord2_between(from, *entry.geom());
                        if chord2 <= max_chord2 {
                            found.push((NodeIdx(entry.data), chord2));
                        }
                    }
                    RTreeNode::Parent(p) => {
                        let aabb = p.envelope();
                        if box_chord2(from, &aabb) > max_chord2 {
                            continue;
                        }
                        if box_far_chord2(from, &aabb) <= max_chord2 {
                            let len = subtree_len(p);
                            inside_nodes += len;
                            counted += len;
                            if counted > budget {
                                return None;
                            }
                            inside.push(p);
                        } else {
                            stack.push(p);
                        }
                    }
                }
            }
        }
        // Every node of these is within: its chord is at most its box's furthest corner's.
        found.reserve_exact(inside_nodes);
        while let Some(parent) = inside.pop() {
            for child in parent.children() {
                match child {
                    RTreeNode::Leaf(entry) => {
                        found.push((NodeIdx(entry.data), chord2_between(from, *entry.geom())));
                    }
                    RTreeNode::Parent(p) => inside.push(p),
                }
            }
        }
        Some(found)
    }
}

/// The greatest squared chord from `f` to any point of `aabb`, computed as
/// [`SpatialIndex::chord2`] computes a point's (so never below the chord of a point inside:
/// each rounded difference, square and sum is monotone in its inputs).
fn box_far_chord2(f: [f64; 3], aabb: &AABB<[f64; 3]>) -> f64 {
    let (lo, hi) = (aabb.lower(), aabb.upper());
    let d = |i: usize| (lo[i] - f[i]).abs().max((hi[i] - f[i]).abs());
    d(0) * d(0) + d(1) * d(1) + d(2) * d(2)
}

/// How many nodes the subtree under `parent` holds, read from its parents' child counts: rstar
/// gives a parent leaves only or parents only, so the first child tells which.
fn subtree_len(parent: &ParentNode<Entry>) -> usize {
    match parent.children().first() {
        Some(RTreeNode::Parent(_)) => (parent.children().iter())
            .map(|child| match child {
                RTreeNode::Parent(p) => subtree_len(p),
                RTreeNode::Leaf(_) => 1,
            })
            .sum(),
        _ => parent.children().len(),
    }
}
