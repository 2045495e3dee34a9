//! What the router routes against: routable quantity per (node, SKU) kept as per-SKU posting
//! lists, and the capacity already used per node. Both are plain values, so a batch can route
//! against its own working copy while the live ledger goes on.
//!
//! Each SKU's posting list holds its holders sorted by node with their units alongside (one source
//! of truth: a position at zero is not listed). A SKU held by many nodes also gets a bitmap over the
//! nodes (set by [`StockTable::bound_holders`], then kept up to date), so "does this node hold the
//! SKU" is one bit test and the nodes holding every SKU of an order are a word-wise AND.
//!
//! `posting.rs` is one SKU's list and bitmap, `build.rs` makes the lists from rows, `holders.rs`
//! the nodes holding every (or any) SKU of an order and one SKU's holders among a set of nodes, `caps.rs` prepares the table for routing
//! (bitmaps and a cap around each SKU's holders). Invariant: a listed holder has units > 0, and
//! when a SKU has a bitmap, bit n is set exactly when node n is listed.

mod build;
mod caps;
mod holders;
mod posting;
mod ranked;
#[cfg(test)]
mod tests;

use super::reads::{Count, Reads};
use crate::{LatLng, NodeIdx, SkuId};
use posting::Posting;
use std::sync::Arc;

/// A SKU gets a holder bitmap once it has at least this many holders and the bitmap is no larger
/// than its posting list (one bit per node against eight bytes per holder).
pub(crate) const DENSE_MIN_HOLDERS: usize = 64;

/// Routable units per (node, SKU) as per-SKU posting lists.
///
/// ```
/// # use omniroute_core::{NodeIdx, SkuId, StockTable};
/// let stock = StockTable::from_positions([(NodeIdx(3), SkuId(7), 2), (NodeIdx(0), SkuId(7), 5)]);
/// assert_eq!(stock.qty(NodeIdx(3), SkuId(7)), 2);
/// assert_eq!(stock.holders(SkuId(7)), &[NodeIdx(0), NodeIdx(3)]);
/// assert_eq!(stock.qty(NodeIdx(1), SkuId(7)), 0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct StockTable {
    /// Per SKU, shared until written: a clone (a batch's working copy) copies the units its
    /// orders ship from (and the holders of a SKU that sells out somewhere), not the whole table.
    postings: Vec<Posting>,
    /// Per SKU, a spherical cap (centre, radius in km) holding every holder, when known: a
    /// destination cannot be served with the SKU from further than its distance to the centre
    /// plus the radius. Set by [`StockTable::bound_holders`]; a new holder forgets it.
    caps: Vec<Option<(LatLng, f64)>>,
    /// While a batch speculates, where each route's reads are recorded (`speculate.rs`).
    reads: Option<Arc<Reads>>,
}

impl StockTable {
    /// `sku`'s list, if the table has a slot for it.
    #[inline]
    fn posting_of(&self, sku: SkuId) -> Option<&Posting> {
        self.postings.get(sku.0 as usize)
    }

    /// Records the router's reads in `reads` from now on (`None`: stops).
    /// Returns where they were recorded until now.
    pub(crate) fn record_reads(&mut self, reads: Option<Arc<Reads>>) -> Option<Arc<Reads>> {
        std::mem::replace(&mut self.reads, reads)
    }

    /// Records that the route read `node`'s stock of the order's SKUs (while recording).
    #[inline]
    pub(crate) fn read_at(&self, node: NodeIdx) {
        if let Some(r) = &self.reads {
            r.mark_stock(node);
        }
    }

    /// [`StockTable::read_at`] for each of `nodes`.
    pub(crate) fn read_at_each(&self, nodes: impl IntoIterator<Item = NodeIdx>) {
        if let Some(r) = &self.reads {
            nodes.into_iter().for_each(|n| r.mark_stock(n));
        }
    }

    /// Records that the route's comparisons of `count` come out the same for any value from
    /// `lo` to `hi` (while recording).
    pub(crate) fn read_count(&self, count: Count, lo: usize, hi: usize) {
        if let Some(r) = &self.reads {
            r.count(count, lo, hi);
        }
    }

    /// Adds units at a position.
    pub fn add(&mut self, node: NodeIdx, sku: SkuId, units: u32) {
        if units == 0 {
            return;
        }
        let s = sku.0 as usize;
        if self.postings.len() <= s {
            self.postings.resize_with(s + 1, Posting::default);
        }
        if self.postings[s].add(node, units) {
            if let Some(cap) = self.caps.get_mut(s) {
                *cap = None;
            }
        }
    }

    /// Removes up to `units` at a position; returns how many were removed.
    pub fn take(&mut self, node: NodeIdx, sku: SkuId, units: u32) -> u32 {
        let Some(p) = self.postings.get_mut(sku.0 as usize) else {
            return 0;
        };
        let Ok(i) = p.find(node) else {
            return 0;
        };
        p.take_at(i, node, units)
    }

    /// Routable units at a position.
    #[inline]
    pub fn qty(&self, node: NodeIdx, sku: SkuId) -> u32 {
        self.postings
            .get(sku.0 as usize)
            .and_then(|p| p.find(node).ok().map(|i| p.units[i]))
            .unwrap_or(0)
    }

    /// Nodes that hold the SKU (positive quantity), ascending.
    pub fn holders(&self, sku: SkuId) -> &[NodeIdx] {
        self.postings
            .get(sku.0 as usize)
            .map_or(&[], |p| p.nodes.as_slice())
    }

    /// True when `sku` has a holder bitmap (see the module docs).
    pub(crate) fn has_bitmap(&self, sku: SkuId) -> bool {
        self.postings
            .get(sku.0 as usize)
            .is_some_and(Posting::has_bitmap)
    }

    /// The holders of `sku` (ascending) and their units, side by side.
    pub(crate) fn posting(&self, sku: SkuId) -> (&[NodeIdx], &[u32]) {
        self.postings
            .get(sku.0 as usize)
            .map_or((&[], &[]), |p| (p.nodes.as_slice(), p.units.as_slice()))
    }

    /// The holders of `sku` with their units, ascending by node.
    pub(crate) fn holdings(&self, sku: SkuId) -> impl Iterator<Item = (NodeIdx, u32)> + '_ {
        self.postings
            .get(sku.0 as usize)
            .into_iter()
            .flat_map(|p| p.nodes.iter().copied().zip(p.units.iter().copied()))
    }
}
