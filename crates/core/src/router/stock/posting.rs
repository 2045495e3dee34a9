//! One SKU's holders: the posting list (nodes ascending, units inline) and, for a SKU held by
//! many nodes, a bitmap over the nodes where a holder's place in the list is its rank.

use crate::NodeIdx;

/// One SKU's holders.
#[derive(Debug, Clone, Default)]
pub(super) struct Posting {
    /// Holders, ascending.
    pub(super) nodes: Vec<NodeIdx>,
    /// Routable units of `nodes[i]` (always > 0).
    pub(super) units: Vec<u32>,
    /// Bit n set when node n is a holder; empty when the SKU has no bitmap.
    pub(super) bits: Vec<u64>,
}

impl Posting {
    pub(super) fn find(&self, node: NodeIdx) -> Result<usize, usize> {
        if self.bits.is_empty() {
            return self.nodes.binary_search(&node);
        }
        if !bit(&self.bits, node) {
            return Err(usize::MAX); // not a holder (the position is not needed by callers)
        }
        // A holder's place in the list is its rank in the bitmap: a count of the bits before it
        // (one sweep over a few cache lines, where a binary search chains a dozen loads).
        let (w, b) = (node.0 as usize / 64, node.0 % 64);
        let before = self.bits[..w]
            .iter()
            .map(|x| x.count_ones() as usize)
            .sum::<usize>()
            + bits_below(self.bits[w], b);
        debug_assert_eq!(self.nodes[before], node, "the bitmap and the list agree");
        Ok(before)
    }

    pub(super) fn set_bit(&mut self, node: NodeIdx, on: bool) {
        if self.bits.is_empty() {
            return;
        }
        let (w, b) = (node.0 as usize / 64, node.0 % 64);
        if w >= self.bits.len() {
            self.bits.resize(w + 1, 0);
        }
        if on {
            self.bits[w] |= 1 << b;
        } else {
            self.bits[w] &= !(1 << b);
        }
    }
}

/// How many bits of `word` are set below bit `b`.
pub(super) fn bits_below(word: u64, b: u32) -> usize {
    (word & ((1u64 << b) - 1)).count_ones() as usize
}

/// True when node's bit is set in `bits`.
pub(super) fn bit(bits: &[u64], node: NodeIdx) -> bool {
    bits.get(node.0 as usize / 64)
        .is_some_and(|w| w & (1 << (node.0 % 64)) != 0)
}
