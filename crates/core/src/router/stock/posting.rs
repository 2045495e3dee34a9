//! One SKU's holders: the posting list (nodes ascending, units inline) and, for a SKU held by
//! many nodes, a bitmap over the nodes where a holder's place in the list is its rank.

use super::ranked::RankedSet;
use crate::NodeIdx;

/// One SKU's holders.
#[derive(Debug, Clone, Default)]
pub(super) struct Posting {
    /// Holders, ascending.
    pub(super) nodes: Vec<NodeIdx>,
    /// Routable units of `nodes[i]` (always > 0).
    pub(super) units: Vec<u32>,
    /// The holders as a bitmap; no words when the SKU has none.
    pub(super) bits: RankedSet,
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

    pub(super) fn set_bit(&mut self, node: NodeIdx, on: bool) {
        if !self.has_bitmap() {
            return;
        }
        if on {
            self.bits.insert(node);
        } else {
            self.bits.remove(node);
        }
    }
}
