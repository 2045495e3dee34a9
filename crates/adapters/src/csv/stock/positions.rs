//! The (node, SKU) pair of every row of `stock.csv`, to find the pairs given twice.

use omniroute_core::{NodeIdx, SkuId};

/// The (node, SKU) pair of every row, to find the pairs given twice once the file is read: a
/// sort of 8-byte keys, skipped when the rows came in key order (as exports usually do), costs
/// less than a hash set of every pair.
pub(crate) struct Positions {
    /// (node << 32 | sku, line) per row.
    rows: Vec<(u64, u64)>,
    /// Every key so far was above the one before it: no pair can repeat.
    ascending: bool,
}

/// A (node, SKU) pair as one sortable key.
pub(crate) fn key(node: NodeIdx, sku: SkuId) -> u64 {
    (u64::from(node.0) << 32) | u64::from(sku.0)
}

fn pair(key: u64) -> (NodeIdx, SkuId) {
    (NodeIdx((key >> 32) as u32), SkuId(key as u32))
}

impl Positions {
    pub fn with_capacity(rows: usize) -> Self {
        Self {
            rows: Vec::with_capacity(rows),
            ascending: true,
        }
    }

    /// Room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.rows.reserve(rows);
    }

    /// The pair of the row at `line`.
    pub fn push(&mut self, node: NodeIdx, sku: SkuId, line: u64) {
        let key = key(node, sku);
        self.ascending = match self.rows.last() {
            None => true,
            Some(&(last, _)) => self.ascending && key > last,
        };
        self.rows.push((key, line));
    }

    /// Moves the pairs of `next` (the rows after these) here, their lines moved down by
    /// `lines` and each SKU renamed by `sku`; `next` keeps its capacity for reuse.
    pub fn append(&mut self, next: &mut Positions, lines: u64, sku: impl Fn(SkuId) -> SkuId) {
        for row in &mut next.rows {
            let (n, s) = pair(row.0);
            *row = (key(n, sku(s)), row.1 + lines);
        }
        let joined = match (self.rows.last(), next.rows.first()) {
            (Some(a), Some(b)) => a.0 < b.0,
            _ => true,
        };
        // Renaming SKUs can break the next rows' key order: check it again.
        self.ascending = self.ascending && joined && next.rows.windows(2).all(|w| w[0].0 < w[1].0);
        self.rows.append(&mut next.rows);
        next.ascending = true;
    }

    /// Every row whose pair an earlier row gave, with that earlier row's line, in line order.
    pub fn repeated(mut self) -> Vec<(NodeIdx, SkuId, u64, u64)> {
        if self.ascending {
            return Vec::new();
        }
        // Equal keys only need to end up side by side. When every node's rows come in one run
        // (files are usually grouped by node), sorting each run on its own does that, in cache.
        if grouped_by_node(&self.rows) {
            for run in self.rows.chunk_by_mut(|a, b| a.0 >> 32 == b.0 >> 32) {
                run.sort_unstable();
            }
        } else {
            self.rows.sort_unstable();
        }
        let mut out: Vec<(NodeIdx, SkuId, u64, u64)> = self
            .rows
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() > 1)
            .flat_map(|group| {
                let (key, first) = group[0];
                let (node, sku) = pair(key);
                group[1..]
                    .iter()
                    .map(move |&(_, line)| (node, sku, line, first))
            })
            .collect();
        out.sort_unstable_by_key(|r| r.2);
        out
    }
}

/// True when the rows of each node come in one run, none split across two.
fn grouped_by_node(rows: &[(u64, u64)]) -> bool {
    let nodes = rows
        .iter()
        .map(|r| (r.0 >> 32) as usize)
        .max()
        .map_or(0, |n| n + 1);
    let mut seen = vec![false; nodes];
    rows.chunk_by(|a, b| a.0 >> 32 == b.0 >> 32)
        .all(|run| !std::mem::replace(&mut seen[(run[0].0 >> 32) as usize], true))
}

#[cfg(test)]
mod tests {
    use super::Positions;
    use omniroute_core::{NodeIdx, SkuId};
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// Grouped by node or not, the repeats are those a map of first lines finds.
        #[test]
        fn repeats_match_a_map(pairs in prop::collection::vec((0u32..4, 0u32..5), 0..40), grouped in any::<bool>()) {
            let mut pairs = pairs;
            if grouped {
                pairs.sort_by_key(|p| p.0);
            }
            let mut positions = Positions::with_capacity(0);
            let mut first = HashMap::new();
            let mut want = Vec::new();
            for (i, &(n, s)) in pairs.iter().enumerate() {
                let line = i as u64 * 2 + 2;
                positions.push(NodeIdx(n), SkuId(s), line);
                if let Some(&f) = first.get(&(n, s)) {
                    want.push((NodeIdx(n), SkuId(s), line, f));
                } else {
                    first.insert((n, s), line);
                }
            }
            prop_assert_eq!(positions.repeated(), want);
        }
    }
}
