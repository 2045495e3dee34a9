//! The nodes that hold every SKU of an order in the quantity it needs (a word-wise AND of the
//! bitmaps when every SKU has one, else a walk of the shortest list), or any of them; and one
//! SKU's holders among a set of nodes (`holdings_within`).

use super::posting::Posting;
use super::ranked::RankCursor;
use super::StockTable;
use crate::router::node_set::NodeSet;
use crate::{NodeIdx, SkuId};

impl StockTable {
    /// Nodes holding at least `need` units of every `(sku, need)` of `needs` (non-empty, distinct
    /// SKUs).
    pub(crate) fn full_holders(&self, needs: &[(SkuId, u32)]) -> NodeSet {
        (self.full_holders_below(needs, usize::MAX).1).expect("no count reaches usize::MAX")
    }

    /// [`StockTable::full_holders_at_most`], and [`StockTable::full_holders`] when that count is
    /// below `cap`: one AND of the bitmaps gives both (its words counted, then the holders of
    /// too few units of a line asking more than one cleared from them, and kept as the set).
    pub(crate) fn full_holders_below(
        &self,
        needs: &[(SkuId, u32)],
        cap: usize,
    ) -> (usize, Option<NodeSet>) {
        let posting = |s: SkuId| self.posting_of(s);
        let Some(postings) = needs
            .iter()
            .map(|&(s, _)| posting(s))
            .collect::<Option<Vec<_>>>()
        else {
            return (0, (cap > 0).then(NodeSet::default)); // a SKU nobody holds
        };
        if let [p] = postings[..] {
            if p.nodes.len() >= cap {
                return (p.nodes.len(), None); // one SKU: its bitmap's count is its list's length
            }
        }
        if postings.iter().all(|p| p.has_bitmap()) {
            // Every SKU is dense: AND the bitmaps, count, then check quantities above one unit.
            // A holder's place in its list is its rank in the bitmap (the holders before it),
            // counted on from node to node.
            // One bitmap after the other (each a sequential read; the loops vectorise).
            let (first, rest) = postings.split_first().expect("needs is not empty");
            let mut and = first.bits.words().to_vec();
            for p in rest {
                and.truncate(p.bits.words().len());
                for (a, &b) in and.iter_mut().zip(p.bits.words()) {
                    *a &= b;
                }
            }
            let at_most = and.iter().map(|w| w.count_ones() as usize).sum();
            if at_most >= cap {
                return (at_most, None); // counted, not kept
            }
            let mut big: Vec<(&Posting, u32, RankCursor<'_>)> = needs
                .iter()
                .zip(&postings)
                .filter(|((_, need), _)| *need > 1)
                .map(|(&(_, need), &p)| (p, need, RankCursor::new(&p.bits)))
                .collect();
            // The holders of enough units of the lines asking more than one: each such line's
            // units at the holder's rank. One such line (the most common case after none) has
            // its cursor in a local, not in memory.
            let enough = |p: &Posting, need: u32, rank: &mut RankCursor<'_>, n: NodeIdx| {
                let at = rank.rank(n);
                debug_assert_eq!(p.nodes[at], n, "the bitmap and the list agree");
                p.units[at] >= need
            };
            let mut set = NodeSet::from_words(and);
            match big.as_mut_slice() {
                [] => {}
                [(p, need, rank)] => {
                    let (p, need, mut rank) = (*p, *need, *rank);
                    set.retain(|n| enough(p, need, &mut rank, n));
                }
                big => set.retain(|n| {
                    big.iter_mut()
                        .all(|(p, need, rank)| enough(p, *need, rank, n))
                }),
            }
            return (at_most, Some(set));
        }
        // Walk the shortest list and look each node up in the others, each from where its last
        // lookup ended (the nodes come ascending).
        let (k, shortest) = postings
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| p.nodes.len())
            .expect("needs is not empty");
        if shortest.nodes.len() >= cap {
            return (shortest.nodes.len(), None);
        }
        let need = needs[k].1;
        let mut others: Vec<(Cursor<'_>, u32)> = (needs.iter().zip(&postings).enumerate())
            .filter(|&(i, _)| i != k)
            .map(|(_, (&(_, need), &p))| (Cursor::new(p), need))
            .collect();
        let mut set = NodeSet::default();
        for (&n, &u) in shortest.nodes.iter().zip(shortest.units.iter()) {
            if u >= need && others.iter_mut().all(|(c, need)| c.holds(n, *need)) {
                set.insert(n);
            }
        }
        (shortest.nodes.len(), Some(set))
    }

    /// True when `node` holds at least `need` units of every `(sku, need)` of `needs`: it is
    /// one of [`StockTable::full_holders`]. A SKU's bit (when it has a bitmap) rejects most
    /// nodes before any units are read.
    #[inline]
    pub(crate) fn holds_all(&self, needs: &[(SkuId, u32)], node: NodeIdx) -> bool {
        let bits = needs.iter().all(|&(s, _)| {
            self.postings
                .get(s.0 as usize)
                .is_some_and(|p| !p.has_bitmap() || p.bits.contains(node))
        });
        bits && needs.iter().all(|&(s, need)| {
            let p = &self.postings[s.0 as usize];
            if need <= 1 && p.has_bitmap() {
                return true; // the bit said so
            }
            p.find(node).is_ok_and(|i| p.units[i] >= need)
        })
    }

    /// True when `node` holds at least `need` units of `sku` ([`StockTable::holds_all`] of one).
    pub(crate) fn holds(&self, sku: SkuId, need: u32, node: NodeIdx) -> bool {
        let Some(p) = self.posting_of(sku) else {
            return false;
        };
        if p.has_bitmap() {
            if !p.bits.contains(node) {
                return false;
            }
            if need <= 1 {
                return true;
            }
        }
        p.find(node).is_ok_and(|i| p.units[i] >= need)
    }

    /// At least as many nodes as [`StockTable::full_holders`] finds, cheaply: the holders of
    /// every SKU (a count of the AND of the bitmaps) when every SKU has a bitmap, else the
    /// shortest posting list's length ([`StockTable::full_holders_below`] counting, finding no
    /// set).
    pub(crate) fn full_holders_at_most(&self, needs: &[(SkuId, u32)]) -> usize {
        self.full_holders_below(needs, 0).0
    }

    /// The holders of `sku` in `within`, with their units, ascending, to `f`: a word-wise AND
    /// when the SKU has a bitmap (a holder's units are at its rank, counted as the AND goes),
    /// else a bit test per list entry.
    pub(crate) fn holdings_within(
        &self,
        sku: SkuId,
        within: &NodeSet,
        mut f: impl FnMut(NodeIdx, u32),
    ) {
        let Some(p) = self.posting_of(sku) else {
            return;
        };
        if !p.has_bitmap() {
            for (&n, &units) in p.nodes.iter().zip(p.units.iter()) {
                if within.contains(n) {
                    f(n, units);
                }
            }
            return;
        }
        let mut rank = RankCursor::new(&p.bits);
        for (w, (&holder_word, &within_word)) in
            p.bits.words().iter().zip(within.words()).enumerate()
        {
            let mut word = holder_word & within_word;
            while word != 0 {
                let n = NodeIdx((w * 64) as u32 + word.trailing_zeros());
                word &= word - 1;
                let at = rank.rank(n);
                debug_assert_eq!(p.nodes[at], n, "the bitmap and the list agree");
                f(n, p.units[at]);
            }
        }
    }

    /// Nodes holding some of the SKUs of `needs` (any quantity), ascending, into `out`: an OR of
    /// the bitmaps when every SKU has one, else a merge of the posting lists.
    pub(crate) fn any_holders(&self, needs: &[(SkuId, u32)], out: &mut Vec<NodeIdx>) {
        out.clear();
        let postings: Vec<&Posting> = needs
            .iter()
            .filter_map(|&(s, _)| self.posting_of(s))
            .collect();
        if postings.len() > 1 && postings.iter().all(|p| p.has_bitmap()) {
            let words = postings
                .iter()
                .map(|p| p.bits.words().len())
                .max()
                .unwrap_or(0);
            for w in 0..words {
                let mut word = postings.iter().fold(0, |acc, p| {
                    acc | p.bits.words().get(w).copied().unwrap_or(0)
                });
                while word != 0 {
                    out.push(NodeIdx((w * 64) as u32 + word.trailing_zeros()));
                    word &= word - 1;
                }
            }
            return;
        }
        for p in postings {
            out.extend_from_slice(&p.nodes);
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// A posting's holders looked up for nodes in ascending order, each lookup starting where the
/// last ended: a list is galloped forward from there, a bitmap's rank counted on from the last
/// word reached ([`RankCursor`]; a binary search or a rank sweep from the start per node, before).
struct Cursor<'a> {
    p: &'a Posting,
    /// The list's first node not below the last node asked.
    i: usize,
    /// Where the bitmap's ranks were counted to.
    rank: RankCursor<'a>,
}

impl<'a> Cursor<'a> {
    fn new(p: &'a Posting) -> Self {
        Cursor {
            p,
            i: 0,
            rank: RankCursor::new(&p.bits),
        }
    }

    /// True when `n` (not below the node asked before) holds at least `need` units.
    fn holds(&mut self, n: NodeIdx, need: u32) -> bool {
        let p = self.p;
        if !p.has_bitmap() {
            let rest = &p.nodes[self.i..];
            let mut hi = 1;
            while hi < rest.len() && rest[hi] < n {
                hi *= 2;
            }
            let lo = hi / 2;
            let found = rest[lo..(hi + 1).min(rest.len())].binary_search(&n);
            let at = self.i + lo + found.unwrap_or_else(|j| j);
            self.i = at;
            return found.is_ok() && p.units[at] >= need;
        }
        if !p.bits.contains(n) {
            return false;
        }
        if need <= 1 {
            return true; // the bit said so
        }
        let at = self.rank.rank(n);
        debug_assert_eq!(p.nodes[at], n, "the bitmap and the list agree");
        p.units[at] >= need
    }
}
