//! Preparing a table for routing: holder bitmaps for SKUs held by many nodes, and per SKU a
//! spherical cap around its holders, so a destination further than the cap's far edge cannot be
//! served with the SKU.

use super::StockTable;
use crate::{LatLng, NodeIdx, SkuId};

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
        for p in &mut self.postings {
            p.bits.clear();
            if p.nodes.len() >= dense_min.max(words) && !p.nodes.is_empty() {
                p.bits = vec![0; words];
                for &n in &p.nodes {
                    p.bits[n.0 as usize / 64] |= 1 << (n.0 % 64);
                }
            }
        }
        self.caps = self
            .postings
            .iter()
            .map(|p| {
                let holders = &p.nodes;
                let mut sum = [0.0f64; 3];
                for &n in holders {
                    let v = locate(n).unit_vector();
                    for (s, x) in sum.iter_mut().zip(v) {
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
                let radius = holders
                    .iter()
                    .map(|&n| centre.distance_km(locate(n)))
                    .fold(0.0, f64::max);
                Some((centre, radius + 1e-6))
            })
            .collect();
    }

    /// The furthest any current holder of `sku` can be from `dest`, when a cap is known.
    pub(crate) fn holder_reach_km(&self, sku: SkuId, dest: LatLng) -> Option<f64> {
        let (centre, radius) = (*self.caps.get(sku.0 as usize)?)?;
        Some(dest.distance_km(centre) + radius + 1e-6)
    }
}
