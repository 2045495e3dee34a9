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

    /// The pair of the row at `line`.
    pub fn push(&mut self, node: NodeIdx, sku: SkuId, line: u64) {
        let key = key(node, sku);
        self.ascending = match self.rows.last() {
            None => true,
            Some(&(last, _)) => self.ascending && key > last,
        };
        self.rows.push((key, line));
    }

    /// Moves every line down by `lines`.
    pub fn shift(&mut self, lines: u64) {
        for row in &mut self.rows {
            row.1 += lines;
        }
    }

    /// Adds the pairs of the rows after these, their lines moved down by `lines` and each
    /// SKU renamed by `sku`.
    pub fn append(&mut self, mut next: Positions, lines: u64, sku: impl Fn(SkuId) -> SkuId) {
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
    }

    /// Every row whose pair an earlier row gave, with that earlier row's line, in line order.
    pub fn repeated(mut self) -> Vec<(NodeIdx, SkuId, u64, u64)> {
        if self.ascending {
            return Vec::new();
        }
        self.rows.sort_unstable();
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
