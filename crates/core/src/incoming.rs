//! [`IncomingStock`]: units on their way to positions, with the date they arrive, as the
//! incoming promise ([`crate::Router::promise_incoming`]) and the checker read them.
//!
//! A plain value like [`crate::StockTable`]: a batch promises from its own working copy, taking
//! units as it goes, so two orders never promise the same incoming unit.

use crate::{Incoming, NodeIdx, SkuId};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// One position's incoming units and their arrival date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingLot {
    /// The node the units arrive at.
    pub node: NodeIdx,
    /// Units still free to promise.
    pub qty: u32,
    /// The local date at the node they arrive (usable from the start of that day).
    pub arrival: Date,
}

/// Incoming units per (node, SKU) that have an arrival date; positions without a date or with
/// no units are left out (they cannot be promised).
///
/// ```
/// # use omniroute_core::*;
/// use jiff::civil::date;
/// let tee = SkuId(0);
/// let mut incoming = IncomingStock::from_positions([(
///     NodeIdx(0),
///     tee,
///     Incoming { qty: 4, expected: Some(date(2026, 3, 10)) },
/// )]);
/// assert_eq!(incoming.qty(NodeIdx(0), tee), 4);
/// incoming.take(NodeIdx(0), tee, 3);
/// assert_eq!(incoming.qty(NodeIdx(0), tee), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncomingStock {
    /// Per SKU, its lots ascending by node (one per node).
    by_sku: BTreeMap<SkuId, Vec<IncomingLot>>,
}

impl IncomingStock {
    /// The table of `(node, sku, incoming)` positions; a repeated position keeps the last.
    pub fn from_positions(positions: impl IntoIterator<Item = (NodeIdx, SkuId, Incoming)>) -> Self {
        let mut t = Self::default();
        for (node, sku, inc) in positions {
            let Some(arrival) = inc.expected.filter(|_| inc.qty > 0) else {
                continue;
            };
            let lots = t.by_sku.entry(sku).or_default();
            let lot = IncomingLot {
                node,
                qty: inc.qty,
                arrival,
            };
            match lots.binary_search_by_key(&node, |l| l.node) {
                Ok(i) => lots[i] = lot,
                Err(i) => lots.insert(i, lot),
            }
        }
        t
    }

    /// True when no position has incoming units with a date.
    pub fn is_empty(&self) -> bool {
        self.by_sku
            .values()
            .all(|lots| lots.iter().all(|l| l.qty == 0))
    }

    /// The lots of `sku`, ascending by node (those fully taken included, with `qty` 0).
    pub fn lots(&self, sku: SkuId) -> &[IncomingLot] {
        self.by_sku.get(&sku).map_or(&[], Vec::as_slice)
    }

    /// The lot of `sku` at `node`, if any.
    pub fn lot(&self, node: NodeIdx, sku: SkuId) -> Option<IncomingLot> {
        let lots = self.lots(sku);
        lots.binary_search_by_key(&node, |l| l.node)
            .ok()
            .map(|i| lots[i])
    }

    /// Units of `sku` still free to promise at `node`.
    pub fn qty(&self, node: NodeIdx, sku: SkuId) -> u32 {
        self.lot(node, sku).map_or(0, |l| l.qty)
    }

    /// Takes `qty` units of `sku` at `node` (saturating at what is there).
    pub fn take(&mut self, node: NodeIdx, sku: SkuId, qty: u32) {
        if let Some(lots) = self.by_sku.get_mut(&sku) {
            if let Ok(i) = lots.binary_search_by_key(&node, |l| l.node) {
                lots[i].qty = lots[i].qty.saturating_sub(qty);
            }
        }
    }

    /// Gives back `qty` units taken from the lot at (`node`, `sku`) (an order that promised them
    /// moved); nothing when there is no such lot.
    pub fn put_back(&mut self, node: NodeIdx, sku: SkuId, qty: u32) {
        if let Some(lots) = self.by_sku.get_mut(&sku) {
            if let Ok(i) = lots.binary_search_by_key(&node, |l| l.node) {
                lots[i].qty = lots[i].qty.saturating_add(qty);
            }
        }
    }
}
