//! What the router routes against: routable quantity per (node, SKU) with per-SKU posting lists,
//! and the capacity already used per node. Both are plain values, so a batch can route against
//! its own working copy while the live ledger goes on.

use crate::{LatLng, NodeIdx, SkuId};
use rustc_hash::FxHashMap;

/// Routable units per (node, SKU) plus, per SKU, the nodes that hold it.
///
/// ```
/// # use omniroute_core::{NodeIdx, SkuId, StockTable};
/// let stock = StockTable::from_positions([(NodeIdx(0), SkuId(7), 5), (NodeIdx(3), SkuId(7), 2)]);
/// assert_eq!(stock.qty(NodeIdx(3), SkuId(7)), 2);
/// assert_eq!(stock.holders(SkuId(7)).len(), 2);
/// assert_eq!(stock.qty(NodeIdx(1), SkuId(7)), 0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct StockTable {
    qty: FxHashMap<u64, u32>,
    holders: Vec<Vec<NodeIdx>>,
    /// Per SKU, a spherical cap (centre, radius in km) holding every holder, when known: a
    /// destination cannot be served with the SKU from further than its distance to the centre
    /// plus the radius. Set by [`StockTable::bound_holders`]; a new holder forgets it.
    caps: Vec<Option<(LatLng, f64)>>,
}

fn key(node: NodeIdx, sku: SkuId) -> u64 {
    (u64::from(sku.0) << 32) | u64::from(node.0)
}

impl StockTable {
    /// Builds the table from (node, SKU, routable units); zero rows are skipped and repeated
    /// positions add up.
    pub fn from_positions(rows: impl IntoIterator<Item = (NodeIdx, SkuId, u32)>) -> Self {
        let mut table = StockTable::default();
        for (node, sku, units) in rows {
            table.add(node, sku, units);
        }
        table
    }

    /// Adds units at a position.
    pub fn add(&mut self, node: NodeIdx, sku: SkuId, units: u32) {
        if units == 0 {
            return;
        }
        let entry = self.qty.entry(key(node, sku)).or_insert(0);
        if *entry == 0 {
            let s = sku.0 as usize;
            if self.holders.len() <= s {
                self.holders.resize(s + 1, Vec::new());
            }
            // A position at zero is never listed (`take` unlists it), so this is a new holder.
            self.holders[s].push(node);
            if let Some(cap) = self.caps.get_mut(s) {
                *cap = None;
            }
        }
        *entry += units;
    }

    /// Removes up to `units` at a position; returns how many were removed.
    pub fn take(&mut self, node: NodeIdx, sku: SkuId, units: u32) -> u32 {
        match self.qty.get_mut(&key(node, sku)) {
            Some(q) => {
                let taken = units.min(*q);
                *q -= taken;
                if *q == 0 && taken > 0 {
                    // Keep posting lists to nodes that still hold the SKU.
                    if let Some(list) = self.holders.get_mut(sku.0 as usize) {
                        if let Some(i) = list.iter().position(|&n| n == node) {
                            list.swap_remove(i);
                        }
                    }
                }
                taken
            }
            None => 0,
        }
    }

    /// Routable units at a position.
    #[inline]
    pub fn qty(&self, node: NodeIdx, sku: SkuId) -> u32 {
        self.qty.get(&key(node, sku)).copied().unwrap_or(0)
    }

    /// Nodes that hold the SKU (positive quantity), in no particular order.
    pub fn holders(&self, sku: SkuId) -> &[NodeIdx] {
        self.holders.get(sku.0 as usize).map_or(&[], Vec::as_slice)
    }

    /// Records, per SKU, a cap around its holders (see the `caps` field) from their locations.
    pub(crate) fn bound_holders(&mut self, locate: impl Fn(NodeIdx) -> LatLng) {
        self.caps = self
            .holders
            .iter()
            .map(|holders| {
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

/// Capacity used per node during a batch (units and shipments).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Load {
    used: FxHashMap<NodeIdx, (u32, u32)>,
}

impl Load {
    /// Units and shipments used at a node.
    #[inline]
    pub fn used(&self, node: NodeIdx) -> (u32, u32) {
        self.used.get(&node).copied().unwrap_or((0, 0))
    }

    /// Records one shipment of `units` at a node.
    pub fn add_shipment(&mut self, node: NodeIdx, units: u32) {
        let e = self.used.entry(node).or_insert((0, 0));
        e.0 += units;
        e.1 += 1;
    }

    /// Removes one shipment of `units` at a node (re-routing releases it).
    pub fn remove_shipment(&mut self, node: NodeIdx, units: u32) {
        if let Some(e) = self.used.get_mut(&node) {
            e.0 = e.0.saturating_sub(units);
            e.1 = e.1.saturating_sub(1);
        }
    }

    /// Every node with its (units, shipments), sorted by node.
    pub fn per_node(&self) -> Vec<(NodeIdx, u32, u32)> {
        let mut v: Vec<_> = self.used.iter().map(|(&n, &(u, s))| (n, u, s)).collect();
        v.sort_unstable();
        v
    }
}
