//! Preparing a table for routing: holder bitmaps for SKUs held by many nodes, and per SKU a
//! spherical cap around its holders, so a destination further than the cap's far edge cannot be
//! served with the SKU.

use super::posting::Posting;
use super::ranked::RankedSet;
use super::StockTable;
use crate::{LatLng, NodeIdx, SkuId};
use std::sync::Arc;

/// Holders whose dot product with a cap's centre is within this of the least are measured by
/// haversine for the radius. It is a difference of about 1.4e-3 rad in angle at the antipode,
/// and never below 1e-9 rad, against a haversine's rounding of at most about 1e-8 rad there.
const FAR_DOT_MARGIN: f64 = 1e-9;

impl StockTable {
    /// Prepares the table for routing: per SKU, a cap around its holders (see the `caps` field)
    /// from their locations, and a holder bitmap for SKUs with at least `dense_min` holders whose
    /// bitmap is no larger than their posting list.
    pub(crate) fn bound_holders(&mut self, locate: impl Fn(NodeIdx) -> LatLng, dense_min: usize) {
        let nodes = self
            .postings
            .iter()
            .filter_map(|p| p.nodes.last())
            .map(|n| n.0 as usize + 1)
            .max()
            .unwrap_or(0);
        let words = nodes.div_ceil(64);
        // Each node's unit vector once, not once per SKU it holds.
        let units: Vec<[f64; 3]> = (0..nodes)
            .map(|n| locate(NodeIdx(n as u32)).unit_vector())
            .collect();
        let bound = |p: &mut Posting| {
            p.bits = Arc::new(
                if p.nodes.len() >= dense_min.max(words) && !p.nodes.is_empty() {
                    RankedSet::from_nodes(nodes, p.nodes.iter().copied())
                } else {
                    RankedSet::default()
                },
            );
            cap(&p.nodes, &units, &locate)
        };
        self.caps = self.postings.iter_mut().map(bound).collect();
    }

    /// The furthest any current holder of `sku` can be from `dest`, when a cap is known.
    pub(crate) fn holder_reach_km(&self, sku: SkuId, dest: LatLng) -> Option<f64> {
        let (centre, radius) = (*self.caps.get(sku.0 as usize)?)?;
        Some(dest.distance_km(centre) + radius + 1e-6)
    }
}

/// A spherical cap (centre, radius in km) holding every one of `holders`, `units` their unit
/// vectors by node; `None` for no holders or holders around the whole sphere.
fn cap(
    holders: &[NodeIdx],
    units: &[[f64; 3]],
    locate: impl Fn(NodeIdx) -> LatLng,
) -> Option<(LatLng, f64)> {
    let unit = |n: NodeIdx| units[n.0 as usize];
    let mut sum = [0.0f64; 3];
    for &n in holders {
        for (s, x) in sum.iter_mut().zip(unit(n)) {
            *s += x;
        }
    }
    let norm = (sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]).sqrt();
    if holders.is_empty() || norm < 1e-9 {
        return None;
    }
    let lat = (sum[2] / norm).clamp(-1.0, 1.0).asin().to_degrees();
    let lon = sum[1].atan2(sum[0]).to_degrees();
    let centre = LatLng::new(lat, lon).ok()?;
    // The furthest holder has the least dot product with the centre: measure only the holders
    // near that least (any other is further from the far edge than a haversine's rounding), so
    // the radius is the haversine maximum, bit for bit.
    let c = centre.unit_vector();
    let dot = |u: [f64; 3]| c[0] * u[0] + c[1] * u[1] + c[2] * u[2];
    let least = holders
        .iter()
        .map(|&n| dot(unit(n)))
        .fold(f64::MAX, f64::min);
    let radius = holders
        .iter()
        .filter(|&&n| dot(unit(n)) <= least + FAR_DOT_MARGIN)
        .map(|&n| centre.distance_km(locate(n)))
        .fold(0.0, f64::max);
    Some((centre, radius + 1e-6))
}
