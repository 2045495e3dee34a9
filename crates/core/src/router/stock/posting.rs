//! One SKU's holders: the posting list (nodes ascending, units alongside) and, for a SKU held by
//! many nodes, a bitmap over the nodes where a holder's place in the list is its rank. Each of
//! the three is shared until written, on its own: a batch's working copy that takes units from
//! a SKU copies its units, and its nodes and bitmap only when a holder sells out.

use super::ranked::RankedSet;
use crate::NodeIdx;
use std::sync::Arc;

/// One SKU's holders.
#[derive(Debug, Clone, Default)]
pub(super) struct Posting {
    /// Holders, ascending.
    pub(super) nodes: Arc<Vec<NodeIdx>>,
    /// Routable units of `nodes[i]` (always > 0).
    pub(super) units: Arc<Vec<u32>>,
    /// The holders as a bitmap; no words when the SKU has none.
    pub(super) bits: Arc<RankedSet>,
}

impl Posting {
    /// True when the SKU has a holder bitmap.
    #[inline]
    pub(super) fn has_bitmap(&self) -> bool {
        !self.bits.words().is_empty()
    }

    pub(super) fn find(&self, node: NodeIdx) -> Result<usize, usize> {
        if !self.has_bitmap() {
            return self.nodes.binary_search(&node);
        }
        if !self.bits.contains(node) {
            return Err(usize::MAX); // not a holder (the position is not needed by callers)
        }
        // A holder's place in the list is its rank in the bitmap: a directory entry and a count
        // of the bits before it in its cache line (where a binary search chains a dozen loads).
        let before = self.bits.rank(node);
        debug_assert_eq!(self.nodes[before], node, "the bitmap and the list agree");
        Ok(before)
    }

    /// Takes `units` from the holder at `i`, `node`, and lists it no more when none are left;
    /// returns how many it took.
    pub(super) fn take_at(&mut self, i: usize, node: NodeIdx, units: u32) -> u32 {
        let left = Arc::make_mut(&mut self.units);
        let taken = units.min(left[i]);
        left[i] -= taken;
        if left[i] == 0 {
            left.remove(i);
            Arc::make_mut(&mut self.nodes).remove(i);
            self.set_bit(node, false);
        }
        taken
    }

    /// Adds `units` at `node`, listing it if it was not; true when it was not.
    pub(super) fn add(&mut self, node: NodeIdx, units: u32) -> bool {
        match self.nodes.binary_search(&node) {
            Ok(i) => {
                let held = &mut Arc::make_mut(&mut self.units)[i];
                *held = held.saturating_add(units);
                false
            }
            Err(i) => {
                Arc::make_mut(&mut self.nodes).insert(i, node);
                Arc::make_mut(&mut self.units).insert(i, units);
                self.set_bit(node, true);
                true
            }
        }
    }

    fn set_bit(&mut self, node: NodeIdx, on: bool) {
        if !self.has_bitmap() {
            return;
        }
        let bits = Arc::make_mut(&mut self.bits);
        if on {
            bits.insert(node);
        } else {
            bits.remove(node);
        }
    }
}
