//! Spatial index over node locations (stub: replaced by the R-tree implementation).

use crate::{LatLng, NodeIdx};

/// Nodes in an R-tree of 3-D unit-sphere points.
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    points: Vec<LatLng>,
}

impl SpatialIndex {
    /// Indexes points; the i-th point is `NodeIdx(i)`.
    pub fn new(points: impl IntoIterator<Item = LatLng>) -> Self {
        Self {
            points: points.into_iter().collect(),
        }
    }

    /// Nodes nearest-first from `from`, with their great-circle distance in km.
    pub fn nearest(&self, from: LatLng) -> impl Iterator<Item = (NodeIdx, f64)> + '_ {
        let mut v: Vec<(NodeIdx, f64)> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| (NodeIdx(i as u32), from.distance_km(*p)))
            .collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v.into_iter()
    }
}
