//! [`RankedSet`]: a SKU's holders as a bitmap whose members' ranks (their places in the posting
//! list) are a directory lookup and a few word counts away, and [`RankCursor`], the rank counted
//! on for nodes asked in ascending order.

use crate::router::node_set::NodeSet;
use crate::NodeIdx;

/// Words of the bitmap per directory entry: one cache line.
const BLOCK: usize = 8;

/// A [`NodeSet`] with a rank directory: the members before each block of [`BLOCK`] words. A
/// member's rank costs one directory read and at most `BLOCK` word counts, where a count from
/// the start reads every word before it (157 words on 10,000 nodes). Adding or removing a member
/// moves the entries after its block by one.
#[derive(Debug, Clone, Default)]
pub(super) struct RankedSet {
    set: NodeSet,
    /// `before[k]`: the members in words `0 .. k * BLOCK`.
    before: Vec<u32>,
}

impl RankedSet {
    /// The `members` (each below `nodes`).
    pub(super) fn from_nodes(nodes: usize, members: impl IntoIterator<Item = NodeIdx>) -> Self {
        let mut ranked = Self {
            set: NodeSet::from_nodes(nodes, members),
            before: Vec::new(),
        };
        ranked.index();
        ranked
    }

    /// Builds the directory from the words.
    fn index(&mut self) {
        let mut count = 0;
        self.before = (self.set.words().chunks(BLOCK))
            .map(|block| {
                let at = count;
                count += block.iter().map(|w| w.count_ones()).sum::<u32>();
                at
            })
            .collect();
    }

    /// True when `node` is in the set.
    #[inline]
    pub(super) fn contains(&self, node: NodeIdx) -> bool {
        self.set.contains(node)
    }

    /// Adds `node`, growing the set to hold it.
    pub(super) fn insert(&mut self, node: NodeIdx) {
        let words = self.set.words().len();
        if self.set.insert(node) {
            if self.set.words().len() == words {
                self.moved(node, |b| b + 1);
            } else {
                self.index(); // grown: new blocks
            }
        }
    }

    /// Takes `node` out of the set.
    pub(super) fn remove(&mut self, node: NodeIdx) {
        if self.set.contains(node) {
            self.set.remove(node);
            self.moved(node, |b| b - 1);
        }
    }

    /// Moves the directory entries after `node`'s block.
    fn moved(&mut self, node: NodeIdx, by: impl Fn(u32) -> u32) {
        let block = node.0 as usize / 64 / BLOCK;
        for b in self.before.iter_mut().skip(block + 1) {
            *b = by(*b);
        }
    }

    /// The words: bit b of word w is node 64 w + b; none when the SKU has no bitmap.
    #[inline]
    pub(super) fn words(&self) -> &[u64] {
        self.set.words()
    }

    /// How many members are below `node` (within the set's words): a member's place in an
    /// ascending list of them.
    #[inline]
    pub(super) fn rank(&self, node: NodeIdx) -> usize {
        RankCursor::new(self).rank(node)
    }
}

/// A member's rank in a [`RankedSet`] for nodes asked in ascending order, counted on from the
/// word the last one was in, or from the directory when that is nearer: a walk over the set
/// counts each word at most once, and a jump at most [`BLOCK`] words. A posting's holder bitmap
/// gives a holder's place in its list this way. In a hot loop, keep a cursor in a local where the
/// loop allows (as a field of something in memory, each advance is a store and a load; cursors
/// in a `Vec`, one per SKU, advance once a word).
#[derive(Debug, Clone, Copy)]
pub(super) struct RankCursor<'a> {
    set: &'a RankedSet,
    /// The word reached, and the members in the words before it.
    w: usize,
    before: usize,
}

impl<'a> RankCursor<'a> {
    /// A cursor at the start of `set`.
    #[inline]
    pub(super) fn new(set: &'a RankedSet) -> Self {
        Self {
            set,
            w: 0,
            before: 0,
        }
    }

    /// How many members of the set are below `node`. `node` is within the set's words and not
    /// below the node asked before.
    #[inline]
    pub(super) fn rank(&mut self, node: NodeIdx) -> usize {
        let (w, b) = (node.0 as usize / 64, node.0 % 64);
        if self.w < w {
            let start = w / BLOCK * BLOCK;
            if self.w < start {
                self.w = start;
                self.before = self.set.before[w / BLOCK] as usize;
            }
            let words = self.set.words();
            self.before += (words[self.w..w].iter())
                .map(|x| x.count_ones() as usize)
                .sum::<usize>();
            self.w = w;
        }
        self.before + bits_below(self.set.words()[w], b)
    }
}

/// How many bits of `word` are set below bit `b`.
#[inline]
fn bits_below(word: u64, b: u32) -> usize {
    (word & ((1u64 << b) - 1)).count_ones() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_rank_is_the_count_of_members_below() {
        let members = [1, 3, 63, 64, 200, 250, 255, 600, 1100];
        let set = RankedSet::from_nodes(1200, members.map(NodeIdx));
        let mut cursor = RankCursor::new(&set);
        for (i, &n) in members.iter().enumerate() {
            assert_eq!(cursor.rank(NodeIdx(n)), i, "node {n}");
            assert_eq!(cursor.rank(NodeIdx(n)), i, "node {n} again");
            assert_eq!(set.rank(NodeIdx(n)), i, "node {n} from the start");
        }
        assert_eq!(set.rank(NodeIdx(254)), 6, "not a member: the members below");
    }

    proptest! {
        /// After any adds and removes, every node's rank (asked alone, or by one cursor in
        /// ascending order) is the count of members below it.
        #[test]
        fn ranks_stay_counts_through_changes(
            nodes in 1usize..2000,
            start in proptest::collection::vec(0u32..2000, 0..300),
            changes in proptest::collection::vec((0u32..2100, any::<bool>()), 0..200),
            asked in proptest::collection::vec(0u32..2100, 1..50),
        ) {
            let start: Vec<NodeIdx> = start.into_iter().filter(|&n| (n as usize) < nodes).map(NodeIdx).collect();
            let mut set = RankedSet::from_nodes(nodes, start.iter().copied());
            let mut members: std::collections::BTreeSet<u32> = start.iter().map(|n| n.0).collect();
            for (n, add) in changes {
                if add {
                    set.insert(NodeIdx(n));
                    members.insert(n);
                } else {
                    set.remove(NodeIdx(n));
                    members.remove(&n);
                }
            }
            let mut asked: Vec<u32> = asked.into_iter().filter(|&n| (n as usize) < set.words().len() * 64).collect();
            asked.sort_unstable();
            let mut cursor = RankCursor::new(&set);
            for n in asked {
                let below = members.range(..n).count();
                prop_assert_eq!(set.rank(NodeIdx(n)), below, "node {}", n);
                prop_assert_eq!(cursor.rank(NodeIdx(n)), below, "node {} by the cursor", n);
                prop_assert_eq!(set.contains(NodeIdx(n)), members.contains(&n));
            }
        }
    }
}
