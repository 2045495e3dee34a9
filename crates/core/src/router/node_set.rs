//! [`NodeSet`]: a set of nodes as a bitmap, node n at bit `n % 64` of word `n / 64`. The rules'
//! tag filters and groups, a SKU's holders, the nodes within an order's reach and the nodes a
//! scan has seen are each one.

use crate::{Network, Node, NodeIdx};

/// A set of nodes, one bit per node index. A set made for `nodes` nodes has a word per 64 of
/// them; [`NodeSet::default`] has none (a posting without a holder bitmap keeps one so).
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeSet(Vec<u64>);

impl NodeSet {
    /// No node, with room for node indices below `nodes`.
    fn empty(nodes: usize) -> Self {
        Self(vec![0; nodes.div_ceil(64)])
    }

    /// The `members` (each below `nodes`), with room for node indices below `nodes`.
    pub(crate) fn from_nodes(nodes: usize, members: impl IntoIterator<Item = NodeIdx>) -> Self {
        let mut set = Self::empty(nodes);
        for n in members {
            set.0[n.0 as usize / 64] |= 1 << (n.0 % 64);
        }
        set
    }

    /// The nodes of `network` for which `keep` holds.
    pub(crate) fn of(network: &Network, keep: impl Fn(&Node) -> bool) -> Self {
        let members = (network.nodes().iter().enumerate())
            .filter(|(_, n)| keep(n))
            .map(|(i, _)| NodeIdx(i as u32));
        Self::from_nodes(network.len(), members)
    }

    /// True when `node` is in the set (false beyond its words).
    #[inline]
    pub(crate) fn contains(&self, node: NodeIdx) -> bool {
        (self.0.get(node.0 as usize / 64)).is_some_and(|w| w & (1 << (node.0 % 64)) != 0)
    }

    /// Adds `node`, growing the set to hold it; true when it was not in the set.
    #[inline]
    pub(crate) fn insert(&mut self, node: NodeIdx) -> bool {
        let (w, bit) = (node.0 as usize / 64, 1 << (node.0 % 64));
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        let new = self.0[w] & bit == 0;
        self.0[w] |= bit;
        new
    }

    /// Takes `node` out of the set.
    pub(crate) fn remove(&mut self, node: NodeIdx) {
        if let Some(w) = self.0.get_mut(node.0 as usize / 64) {
            *w &= !(1 << (node.0 % 64));
        }
    }

    /// The words: bit b of word w is node 64 w + b.
    #[inline]
    pub(crate) fn words(&self) -> &[u64] {
        &self.0
    }

    /// The set of the bitmap `words` (bit b of word w is node 64 w + b).
    pub(crate) fn from_words(words: Vec<u64>) -> Self {
        Self(words)
    }

    /// Keeps the members `keep` accepts (asked ascending).
    #[inline]
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(NodeIdx) -> bool) {
        for (w, word) in self.0.iter_mut().enumerate() {
            let base = (w * 64) as u32;
            let mut bits = *word;
            while bits != 0 {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                if !keep(NodeIdx(base + b)) {
                    *word &= !(1 << b);
                }
            }
        }
    }

    /// The members, ascending.
    pub(crate) fn iter(&self) -> Members<'_> {
        Members {
            words: &self.0,
            next: 0,
            word: 0,
        }
    }
}

/// [`NodeSet::iter`]: the set bits of each word in turn.
#[derive(Clone)]
pub(crate) struct Members<'a> {
    /// The words after the one being read.
    words: &'a [u64],
    /// The first node of the word after the one being read.
    next: u32,
    /// The bits of the word being read not yet yielded.
    word: u64,
}

impl Iterator for Members<'_> {
    type Item = NodeIdx;

    #[inline]
    fn next(&mut self) -> Option<NodeIdx> {
        while self.word == 0 {
            let (&word, rest) = self.words.split_first()?;
            (self.word, self.words) = (word, rest);
            self.next += 64;
        }
        let n = NodeIdx(self.next - 64 + self.word.trailing_zeros());
        self.word &= self.word - 1;
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_holds_what_was_put_in_and_grows_to_hold_it() {
        let mut set = NodeSet::from_nodes(70, [NodeIdx(0), NodeIdx(64), NodeIdx(69)]);
        assert_eq!(set.words(), &[1, 1 | 1 << 5]);
        assert!(set.contains(NodeIdx(64)) && !set.contains(NodeIdx(63)));
        assert!(!set.contains(NodeIdx(500)), "beyond the words");
        assert!(!set.insert(NodeIdx(64)), "already in");
        assert!(set.insert(NodeIdx(130)));
        assert_eq!(set.words().len(), 3);
        set.remove(NodeIdx(0));
        set.remove(NodeIdx(900));
        assert_eq!(set.words(), &[0, 1 | 1 << 5, 1 << 2]);
        assert!(NodeSet::default().words().is_empty());
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [NodeIdx(64), NodeIdx(69), NodeIdx(130)]
        );
        assert_eq!(
            NodeSet::from_words(vec![0, 0, 1 << 63])
                .iter()
                .collect::<Vec<_>>(),
            [NodeIdx(191)]
        );
        assert_eq!(NodeSet::default().iter().next(), None);
        let mut asked = Vec::new();
        set.retain(|n| {
            asked.push(n);
            n != NodeIdx(69)
        });
        assert_eq!(asked, [NodeIdx(64), NodeIdx(69), NodeIdx(130)]);
        assert_eq!(set.iter().collect::<Vec<_>>(), [NodeIdx(64), NodeIdx(130)]);
    }
}
