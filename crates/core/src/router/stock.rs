//! What the router routes against: routable quantity per (node, SKU) kept as per-SKU posting
//! lists, and the capacity already used per node. Both are plain values, so a batch can route
//! against its own working copy while the live ledger goes on.
//!
//! Each SKU's posting list holds its holders sorted by node with their units inline (one source of
//! truth: a position at zero is not listed). A SKU held by many nodes also gets a bitmap over the
//! nodes (set by [`StockTable::bound_holders`], then kept up to date), so "does this node hold the
//! SKU" is one bit test and the nodes holding every SKU of an order are a word-wise AND.

use crate::{LatLng, NodeIdx, SkuId};

/// A SKU gets a holder bitmap once it has at least this many holders and the bitmap is no larger
/// than its posting list (one bit per node against eight bytes per holder).
pub(crate) const DENSE_MIN_HOLDERS: usize = 64;

/// One SKU's holders.
#[derive(Debug, Clone, Default)]
struct Posting {
    /// Holders, ascending.
    nodes: Vec<NodeIdx>,
    /// Routable units of `nodes[i]` (always > 0).
    units: Vec<u32>,
    /// Bit n set when node n is a holder; empty when the SKU has no bitmap.
    bits: Vec<u64>,
}

impl Posting {
    fn find(&self, node: NodeIdx) -> Result<usize, usize> {
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

    fn set_bit(&mut self, node: NodeIdx, on: bool) {
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
fn bits_below(word: u64, b: u32) -> usize {
    (word & ((1u64 << b) - 1)).count_ones() as usize
}

fn bit(bits: &[u64], node: NodeIdx) -> bool {
    bits.get(node.0 as usize / 64)
        .is_some_and(|w| w & (1 << (node.0 % 64)) != 0)
}

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
    postings: Vec<Posting>,
    /// Per SKU, a spherical cap (centre, radius in km) holding every holder, when known: a
    /// destination cannot be served with the SKU from further than its distance to the centre
    /// plus the radius. Set by [`StockTable::bound_holders`]; a new holder forgets it.
    caps: Vec<Option<(LatLng, f64)>>,
}

impl StockTable {
    /// Builds the table from (node, SKU, routable units); zero rows are skipped and repeated
    /// positions add up.
    pub fn from_positions(rows: impl IntoIterator<Item = (NodeIdx, SkuId, u32)>) -> Self {
        let mut lists: Vec<Vec<(NodeIdx, u32)>> = Vec::new();
        for (node, sku, units) in rows {
            if units == 0 {
                continue;
            }
            let s = sku.0 as usize;
            if lists.len() <= s {
                lists.resize(s + 1, Vec::new());
            }
            lists[s].push((node, units));
        }
        let postings = lists
            .into_iter()
            .map(|mut list| {
                list.sort_unstable_by_key(|&(n, _)| n);
                let mut p = Posting::default();
                for (node, units) in list {
                    if p.nodes.last() == Some(&node) {
                        let held = p.units.last_mut().expect("parallel vectors");
                        *held = held.saturating_add(units);
                    } else {
                        p.nodes.push(node);
                        p.units.push(units);
                    }
                }
                p
            })
            .collect();
        StockTable {
            postings,
            caps: Vec::new(),
        }
    }

    /// Adds units at a position.
    pub fn add(&mut self, node: NodeIdx, sku: SkuId, units: u32) {
        if units == 0 {
            return;
        }
        let s = sku.0 as usize;
        if self.postings.len() <= s {
            self.postings.resize(s + 1, Posting::default());
        }
        let p = &mut self.postings[s];
        match p.nodes.binary_search(&node) {
            Ok(i) => p.units[i] = p.units[i].saturating_add(units),
            Err(i) => {
                p.nodes.insert(i, node);
                p.units.insert(i, units);
                p.set_bit(node, true);
                if let Some(cap) = self.caps.get_mut(s) {
                    *cap = None;
                }
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
        let taken = units.min(p.units[i]);
        p.units[i] -= taken;
        if p.units[i] == 0 {
            p.nodes.remove(i);
            p.units.remove(i);
            p.set_bit(node, false);
        }
        taken
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

    /// Nodes holding at least `need` units of every `(sku, need)` of `needs` (non-empty, distinct
    /// SKUs), ascending, into `out`.
    pub(crate) fn full_holders(&self, needs: &[(SkuId, u32)], out: &mut Vec<NodeIdx>) {
        out.clear();
        let posting = |s: SkuId| self.postings.get(s.0 as usize);
        let Some(postings) = needs
            .iter()
            .map(|&(s, _)| posting(s))
            .collect::<Option<Vec<_>>>()
        else {
            return; // a SKU nobody holds
        };
        let holds = |n: NodeIdx, p: &Posting, need: u32| {
            if need <= 1 && !p.bits.is_empty() {
                bit(&p.bits, n)
            } else {
                p.find(n).is_ok_and(|i| p.units[i] >= need)
            }
        };
        if postings.iter().all(|p| !p.bits.is_empty()) {
            // Every SKU is dense: AND the bitmaps, then check quantities above one unit. A
            // holder's place in its list is its rank in the bitmap (the holders before it), kept
            // word by word as the AND goes.
            let words = postings.iter().map(|p| p.bits.len()).min().unwrap_or(0);
            let mut big: Vec<(&Posting, u32, usize)> = needs
                .iter()
                .zip(&postings)
                .filter(|((_, need), _)| *need > 1)
                .map(|(&(_, need), &p)| (p, need, 0))
                .collect();
            for w in 0..words {
                let mut word = postings.iter().fold(u64::MAX, |acc, p| acc & p.bits[w]);
                while word != 0 {
                    let b = word.trailing_zeros();
                    let n = NodeIdx((w * 64) as u32 + b);
                    word &= word - 1;
                    let enough = big.iter().all(|&(p, need, before)| {
                        let at = before + bits_below(p.bits[w], b);
                        debug_assert_eq!(p.nodes[at], n, "the bitmap and the list agree");
                        p.units[at] >= need
                    });
                    if enough {
                        out.push(n);
                    }
                }
                for (p, _, before) in &mut big {
                    *before += p.bits[w].count_ones() as usize;
                }
            }
            return;
        }
        // Walk the shortest list and look the node up in the others.
        let (k, shortest) = postings
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| p.nodes.len())
            .expect("needs is not empty");
        let need = needs[k].1;
        for (&n, &u) in shortest.nodes.iter().zip(&shortest.units) {
            if u >= need
                && needs
                    .iter()
                    .zip(&postings)
                    .all(|(&(_, need), p)| holds(n, p, need))
            {
                out.push(n);
            }
        }
    }

    /// Nodes holding some of the SKUs of `needs` (any quantity), ascending, into `out`: an OR of
    /// the bitmaps when every SKU has one, else a merge of the posting lists.
    pub(crate) fn any_holders(&self, needs: &[(SkuId, u32)], out: &mut Vec<NodeIdx>) {
        out.clear();
        let postings: Vec<&Posting> = needs
            .iter()
            .filter_map(|&(s, _)| self.postings.get(s.0 as usize))
            .collect();
        if postings.len() > 1 && postings.iter().all(|p| !p.bits.is_empty()) {
            let words = postings.iter().map(|p| p.bits.len()).max().unwrap_or(0);
            for w in 0..words {
                let mut word = postings
                    .iter()
                    .fold(0, |acc, p| acc | p.bits.get(w).copied().unwrap_or(0));
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The nodes holding enough of every SKU, from the bitmaps (with each holder's place in
        /// its list taken from its rank in the bitmap) or from the lists, are exactly those a scan
        /// of every node finds; on up to 300 nodes, so ranks cross many 64-bit words.
        #[test]
        fn full_holders_are_the_nodes_holding_enough_of_every_sku(
            rows in proptest::collection::vec((0u32..300, 0u32..4, 1u32..5), 0..900),
            changes in proptest::collection::vec((0u32..320, 0u32..4, 1u32..5, any::<bool>()), 0..60),
            needs in proptest::collection::vec(1u32..4, 1..4),
            dense in prop_oneof![Just(1usize), Just(usize::MAX)],
        ) {
            let mut table = StockTable::from_positions(
                rows.iter().map(|&(n, s, q)| (NodeIdx(n), SkuId(s), q)),
            );
            table.bound_holders(|_| LatLng::new(0.0, 0.0).unwrap(), dense);
            // The same positions in a plain map: the oracle shares no code with the table.
            let mut held = std::collections::HashMap::<(u32, u32), u32>::new();
            for &(n, s, q) in &rows {
                *held.entry((n, s)).or_default() += q;
            }
            // Reservations and restocks after the bitmaps are built (new holders, sold out).
            for &(n, s, q, add) in &changes {
                let units = held.entry((n, s)).or_default();
                if add {
                    table.add(NodeIdx(n), SkuId(s), q);
                    *units += q;
                } else {
                    table.take(NodeIdx(n), SkuId(s), q);
                    *units -= q.min(*units);
                }
            }
            let needs: Vec<(SkuId, u32)> =
                needs.iter().enumerate().map(|(s, &q)| (SkuId(s as u32), q)).collect();
            let mut found = Vec::new();
            table.full_holders(&needs, &mut found);
            let expected: Vec<NodeIdx> = (0..320)
                .map(NodeIdx)
                .filter(|&n| {
                    needs
                        .iter()
                        .all(|&(s, q)| held.get(&(n.0, s.0)).copied().unwrap_or(0) >= q)
                })
                .collect();
            prop_assert_eq!(found, expected);
        }
    }
}
