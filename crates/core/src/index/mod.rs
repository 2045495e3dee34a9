//! Spatial index over node locations: an R-tree of 3-D unit-sphere points.
//!
//! On the unit sphere the Euclidean chord between two points is a strictly increasing function of
//! the great-circle angle, so the tree's chord order is great-circle order. Every distance the index
//! returns is nevertheless [`LatLng::distance_km`] on the stored location, bit-identical to a
//! brute-force scan; chord values are only used to find and bound candidates.
//!
//! Floating point makes chord and haversine disagree by a few ulps (up to ~1e-4 km for nearly
//! antipodal points, where both formulas are ill-conditioned). [`ChordSlack`] bounds that
//! disagreement generously, which lets [`SpatialIndex::within_km`] return exactly the brute-force
//! set and [`SpatialIndex::nearest`] yield exactly the brute-force order.

use crate::{chord_for_km, km_for_chord, LatLng, NodeIdx};
use rstar::primitives::GeomWithData;
use rstar::{RStarInsertionStrategy, RTree, RTreeParams};
use std::collections::VecDeque;

mod by_chord;
mod kept;
#[cfg(test)]
mod tests;
mod within;

pub(crate) use by_chord::ChordOrder;
pub(crate) use kept::{box_chord2, NearestWhere, Walked};
use kept::{Kept, Next, Queued};
pub(crate) use within::NodeTree;

/// A node in the tree: its unit vector and its index.
type Entry = GeomWithData<[f64; 3], u32>;

/// The tree's node sizes: wider than rstar's default (3 to 6), so a nearest-first walk queues
/// and pops fewer subtrees for the nodes it reads.
#[derive(Debug, Clone, Copy)]
struct Wide;

impl RTreeParams for Wide {
    const MIN_SIZE: usize = 6;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// Error bounds between a chord computed from [`LatLng::unit_vector`] and the haversine distance.
///
/// Both are within a few ulps of the exact value, as if the inputs were moved by ~1e-15 rad (an
/// absolute chord error) and the results rounded a few times (a relative error). The constants are
/// about a thousand times those errors; they only cost a little extra lookahead.
pub(crate) struct ChordSlack;

impl ChordSlack {
    /// Relative slack on chords, haversine terms and km.
    const REL: f64 = 1e-12;
    /// Absolute slack on chords (unit sphere), ~6.4e-9 km.
    const ABS: f64 = 1e-12;

    /// The largest haversine km of any node whose computed squared chord is at most `chord2`.
    pub(crate) fn km_upper_bound(chord2: f64) -> f64 {
        let chord = chord2.max(0.0).sqrt() * (1.0 + 2.0 * Self::REL) + Self::ABS;
        km_for_chord(chord) * (1.0 + Self::REL)
    }

    /// The smallest haversine km of any node whose computed squared chord is at least `chord2`.
    pub(crate) fn km_lower_bound(chord2: f64) -> f64 {
        let chord = chord2.sqrt() * (1.0 - 2.0 * Self::REL) - Self::ABS;
        km_for_chord(chord) * (1.0 - Self::REL)
    }

    /// [`ChordSlack::chord2_upper_bound`] for any `km`: `-1` below zero (no node is that near),
    /// infinite when not finite.
    pub(crate) fn chord2_at_most_km(km: f64) -> f64 {
        if km < 0.0 {
            -1.0
        } else if km.is_finite() {
            Self::chord2_upper_bound(km)
        } else {
            f64::INFINITY
        }
    }

    /// The largest computed squared chord of any node whose haversine km is at most `km`.
    pub(crate) fn chord2_upper_bound(km: f64) -> f64 {
        let chord = chord_for_km(km * (1.0 + Self::REL)) * (1.0 + Self::REL) + Self::ABS;
        chord * chord
    }
}

/// The squared chord between two unit vectors, as every walk of the index computes it.
fn chord2_between(from: [f64; 3], u: [f64; 3]) -> f64 {
    (u[0] - from[0]).powi(2) + (u[1] - from[1]).powi(2) + (u[2] - from[2]).powi(2)
}

/// The room [`SpatialIndex::nearest_where`]'s queue starts with: a walk on a 20,000-node network
/// holds about 50 subtrees and nodes, and growing the queue (copying it each time) was a tenth
/// of the walk's time.
const WALK_QUEUE: usize = 128;

/// Nodes in an R-tree of 3-D unit-sphere points, bulk-loaded, answering nearest-first walks and
/// radius queries with exact haversine distances.
///
/// ```
/// # use omniroute_core::{LatLng, NodeIdx, SpatialIndex};
/// let index = SpatialIndex::new([LatLng::new(28.6139, 77.2090)?, LatLng::new(19.0760, 72.8777)?]);
/// let pune = LatLng::new(18.5204, 73.8567)?;
/// assert_eq!(index.nearest(pune).next().map(|(idx, _)| idx), Some(NodeIdx(1)));
/// # Ok::<(), omniroute_core::LatLngError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    tree: RTree<Entry, Wide>,
    points: Vec<LatLng>,
    /// [`LatLng::unit_vector`] of each point.
    units: Vec<[f64; 3]>,
}

impl SpatialIndex {
    /// Indexes points; the i-th point is `NodeIdx(i)`.
    ///
    /// ```
    /// # use omniroute_core::{LatLng, SpatialIndex};
    /// let index = SpatialIndex::new([LatLng::new(0.0, 0.0)?, LatLng::new(0.0, 0.0)?]);
    /// assert_eq!(index.len(), 2);
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    ///
    /// # Panics
    /// With 2^32 points or more.
    pub fn new(points: impl IntoIterator<Item = LatLng>) -> Self {
        let points: Vec<LatLng> = points.into_iter().collect();
        let units: Vec<[f64; 3]> = points.iter().map(|p| p.unit_vector()).collect();
        let entries = units
            .iter()
            .enumerate()
            .map(|(i, &u)| {
                let i = u32::try_from(i).expect("fewer than 2^32 nodes");
                GeomWithData::new(u, i)
            })
            .collect();
        Self {
            tree: RTree::bulk_load_with_params(entries),
            points,
            units,
        }
    }

    /// Number of indexed nodes.
    ///
    /// ```
    /// # use omniroute_core::{LatLng, SpatialIndex};
    /// assert_eq!(SpatialIndex::new([LatLng::new(1.0, 2.0)?]).len(), 1);
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// True when no node is indexed.
    ///
    /// ```
    /// # use omniroute_core::SpatialIndex;
    /// assert!(SpatialIndex::new([]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The location of node `idx`, as given to [`SpatialIndex::new`].
    ///
    /// ```
    /// # use omniroute_core::{LatLng, NodeIdx, SpatialIndex};
    /// let delhi = LatLng::new(28.6139, 77.2090)?;
    /// assert_eq!(SpatialIndex::new([delhi]).location(NodeIdx(0)), delhi);
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    ///
    /// # Panics
    /// If `idx` is not below [`SpatialIndex::len`].
    pub fn location(&self, idx: NodeIdx) -> LatLng {
        self.points[idx.0 as usize]
    }

    /// Every node exactly once, nearest-first from `from`, with its haversine distance in km
    /// ([`LatLng::distance_km`] on the stored location, bit-identical to a brute-force scan).
    ///
    /// Order guarantee: the sequence is exactly a brute-force scan sorted by
    /// `(km.total_cmp, idx)`: km never decreases and equal km come in ascending index order.
    /// It is lazy: each step pops the R-tree's nearest-neighbour heap and holds back only nodes
    /// whose chord could still be overtaken in haversine km by a node not yet popped (equal or
    /// within ~1e-8 km, more near the antipode), so taking the first k nodes costs O(k log n).
    ///
    /// ```
    /// # use omniroute_core::{LatLng, NodeIdx, SpatialIndex};
    /// let index = SpatialIndex::new([
    ///     LatLng::new(28.6139, 77.2090)?, // Delhi
    ///     LatLng::new(19.0760, 72.8777)?, // Mumbai
    ///     LatLng::new(18.5204, 73.8567)?, // Pune
    /// ]);
    /// let walk: Vec<(NodeIdx, f64)> = index.nearest(LatLng::new(19.0, 73.0)?).collect();
    /// assert_eq!(walk.iter().map(|w| w.0 .0).collect::<Vec<_>>(), [1, 2, 0]);
    /// assert!(walk.windows(2).all(|w| w[0].1 <= w[1].1));
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    pub fn nearest(&self, from: LatLng) -> impl Iterator<Item = (NodeIdx, f64)> + '_ {
        let tree = self
            .tree
            .nearest_neighbor_iter_with_distance_2(&from.unit_vector())
            .map(|(entry, chord2)| (entry.data, chord2));
        Nearest::new(&self.points, from, tree)
    }

    /// The given nodes (distinct, each below [`SpatialIndex::len`]) nearest-first from `from`,
    /// with the order guarantee and distances of [`SpatialIndex::nearest`]. Ordering them costs a
    /// squared chord each (no trigonometry); only the nodes the walk reaches are measured.
    ///
    /// ```
    /// # use omniroute_core::{LatLng, NodeIdx, SpatialIndex};
    /// let index = SpatialIndex::new([
    ///     LatLng::new(28.6139, 77.2090)?, // Delhi
    ///     LatLng::new(19.0760, 72.8777)?, // Mumbai
    ///     LatLng::new(18.5204, 73.8567)?, // Pune
    /// ]);
    /// let from = LatLng::new(19.0, 73.0)?;
    /// let walk: Vec<NodeIdx> = index.nearest_among(from, &[NodeIdx(0), NodeIdx(2)]).map(|w| w.0).collect();
    /// assert_eq!(walk, [NodeIdx(2), NodeIdx(0)]);
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    pub fn nearest_among<'a>(
        &'a self,
        from: LatLng,
        nodes: &'a [NodeIdx],
    ) -> impl Iterator<Item = (NodeIdx, f64)> + 'a {
        let f = from.unit_vector();
        let order = ChordOrder::new(nodes.iter().map(move |&n| (n, self.chord2(f, n))));
        Nearest::new(&self.points, from, order)
    }

    /// The nodes `keep` accepts, nearest-first from `from`, with the order guarantee and
    /// distances of [`SpatialIndex::nearest`]: the same sequence as
    /// [`SpatialIndex::nearest_among`] of those nodes, found by walking the tree (only the nodes
    /// kept are measured) instead of ordering them all. After the walk has read `budget` nodes of
    /// the tree it yields [`Walked::Spent`] and ends; the nodes yielded before are the first of
    /// that sequence, so the rest can come from [`SpatialIndex::nearest_among`] of the others.
    /// [`NearestWhere::cap_km`] ends the sequence before its first node beyond a distance, and
    /// the walk reads nothing of the tree beyond it.
    pub(crate) fn nearest_where<F: FnMut(NodeIdx) -> bool>(
        &self,
        from: LatLng,
        keep: F,
        budget: usize,
    ) -> NearestWhere<'_, F> {
        let f = from.unit_vector();
        let root = self.tree.root();
        let mut queue = std::collections::BinaryHeap::with_capacity(WALK_QUEUE);
        queue.push(Queued(box_chord2(f, &root.envelope()), Next::Parent(root)));
        let kept = Kept {
            from: f,
            queue,
            keep,
            budget,
            tested: 0,
            spent: false,
            cap: f64::INFINITY,
        };
        NearestWhere {
            walk: Nearest::new(&self.points, from, kept),
            done: false,
            cap_km: f64::INFINITY,
        }
    }

    /// [`SpatialIndex::nearest_among`] for nodes whose squared chords from `from` (as
    /// [`SpatialIndex::chord2`] computes them) are known.
    pub(crate) fn nearest_by_chord<I: Iterator<Item = (NodeIdx, f64)> + Clone>(
        &self,
        from: LatLng,
        nodes: I,
    ) -> Nearest<'_, ChordOrder<I>> {
        let order = ChordOrder::new(nodes);
        Nearest::new(&self.points, from, order)
    }

    /// The first node [`SpatialIndex::nearest_among`] would yield for `nodes`, found in one pass
    /// of squared chords (no heap, see [`NearestChord`]).
    pub(crate) fn nearest_of(
        &self,
        from: LatLng,
        nodes: impl Iterator<Item = NodeIdx>,
    ) -> Option<(NodeIdx, f64)> {
        let f = from.unit_vector();
        let mut nearest = NearestChord::default();
        for n in nodes {
            nearest.push(n, self.chord2(f, n));
        }
        nearest.finish(self, from)
    }

    /// The squared chord from the unit vector `from` to node `idx`, as [`SpatialIndex::nearest`]
    /// orders by.
    pub(crate) fn chord2(&self, from: [f64; 3], idx: NodeIdx) -> f64 {
        chord2_between(from, self.units[idx.0 as usize])
    }

    /// Node `idx`'s unit vector ([`LatLng::unit_vector`] of its location).
    pub(crate) fn unit(&self, idx: NodeIdx) -> [f64; 3] {
        self.units[idx.0 as usize]
    }
}

/// The nearest of some nodes, fed one at a time with their squared chords from a point
/// ([`SpatialIndex::chord2`]): keeps only the nodes whose chord could still tie the least in
/// haversine km, and measures those alone in [`NearestChord::finish`].
#[derive(Debug, Clone)]
pub(crate) struct NearestChord {
    /// The least squared chord pushed.
    least: f64,
    /// Pushed nodes with a squared chord up to [`NearestChord::keep`] of `least` (at the time).
    near: Vec<(NodeIdx, f64)>,
    keep: f64,
}

impl Default for NearestChord {
    fn default() -> Self {
        NearestChord {
            least: f64::INFINITY,
            near: Vec::new(),
            keep: f64::INFINITY,
        }
    }
}

impl NearestChord {
    /// A squared chord up to which a node may still tie one at `least` in km: at least
    /// `ChordSlack::chord2_upper_bound(ChordSlack::km_upper_bound(least))` (whose slack is about
    /// 1e-12 relative plus 1e-12 absolute on the chord), without trigonometry.
    fn keep(least: f64) -> f64 {
        let chord = least.sqrt() * (1.0 + 1e-9) + 1e-9;
        chord * chord
    }

    pub(crate) fn push(&mut self, node: NodeIdx, chord2: f64) {
        if chord2 > self.keep {
            return;
        }
        if chord2 < self.least {
            self.least = chord2;
            self.keep = Self::keep(chord2);
            let keep = self.keep;
            self.near.retain(|&(_, c)| c <= keep);
        }
        self.near.push((node, chord2));
    }

    /// The pushed nodes [`NearestChord::finish`] chooses among: the nearest is one of them
    /// whatever other nodes were pushed or not.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = NodeIdx> + '_ {
        self.near.iter().map(|&(n, _)| n)
    }

    /// The nearest node pushed (ties in km by index) with its haversine km from `from`.
    pub(crate) fn finish(&self, index: &SpatialIndex, from: LatLng) -> Option<(NodeIdx, f64)> {
        if self.near.is_empty() {
            return None;
        }
        // Every node whose km could be at most the least chord's km.
        let reach = ChordSlack::chord2_upper_bound(ChordSlack::km_upper_bound(self.least));
        debug_assert!(reach <= self.keep);
        self.near
            .iter()
            .filter(|&&(_, c)| c <= reach)
            .map(|&(n, _)| (n, from.distance_km(index.points[n.0 as usize])))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
    }
}

/// The lazy walk behind [`SpatialIndex::nearest`].
pub(crate) struct Nearest<'a, I> {
    points: &'a [LatLng],
    from: LatLng,
    /// The tree's walk: `(idx, squared chord)`, squared chord non-decreasing.
    tree: I,
    /// The next tree entry, not yet measured.
    peeked: Option<(u32, f64)>,
    /// Measured nodes not yet yielded, sorted by `(km, idx)`.
    pending: VecDeque<(f64, u32)>,
}

impl<'a, I: Iterator<Item = (u32, f64)>> Nearest<'a, I> {
    fn new(points: &'a [LatLng], from: LatLng, mut tree: I) -> Self {
        let peeked = tree.next();
        Nearest {
            points,
            from,
            tree,
            peeked,
            pending: VecDeque::new(),
        }
    }
}

impl<I: Iterator<Item = (u32, f64)>> Iterator for Nearest<'_, I> {
    type Item = (NodeIdx, f64);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            // Nodes still in the tree are at least `bound` km away, so a pending node strictly
            // nearer than that is the next one in (km, idx) order.
            if let Some(&(km, idx)) = self.pending.front() {
                let beaten = self
                    .peeked
                    .is_some_and(|(_, chord2)| km >= ChordSlack::km_lower_bound(chord2));
                if !beaten {
                    self.pending.pop_front();
                    return Some((NodeIdx(idx), km));
                }
            }
            let (idx, _) = self.peeked?;
            self.peeked = self.tree.next();
            let km = self.from.distance_km(self.points[idx as usize]);
            let at = self
                .pending
                .partition_point(|&(k, i)| k.total_cmp(&km).then(i.cmp(&idx)).is_lt());
            self.pending.insert(at, (km, idx));
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (lo, hi) = self.tree.size_hint();
        let held = self.pending.len() + usize::from(self.peeked.is_some());
        (lo + held, hi.map(|hi| hi + held))
    }
}
