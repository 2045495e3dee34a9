//! The (node, SKU) pair and line of every row of `stock.csv` naming a known node and a SKU, to
//! find the pairs given twice, without a second copy of the kept rows' pairs.
//!
//! A kept row's pair is in the stock's rows, and its line is one past the kept row's before it
//! but where [`Positions`] notes a jump (the first row, blank lines, rows between that were not
//! kept); the rows not kept (they had a problem) are noted whole. Most files need a few notes.

use super::repeats::Runs;
use omniroute_core::{NodeIdx, SkuId, StockRow};

/// A repeated pair: its node and SKU, the repeat's line and the line of the pair's first row.
pub(crate) type Repeat = (NodeIdx, SkuId, u64, u64);

/// Where the rows naming a known node and a SKU are (see the module head).
pub(crate) struct Positions {
    /// (index of a kept row, its line) where that line is not one past the kept row before's.
    jumps: Vec<(usize, u64)>,
    /// (kept rows before it, key, line) of every row not kept.
    dropped: Vec<(usize, u64, u64)>,
    /// Kept rows so far, and the line of the last.
    kept: usize,
    last_line: u64,
}

/// A (node, SKU) pair as one sortable key.
pub(crate) fn key(node: NodeIdx, sku: SkuId) -> u64 {
    (u64::from(node.0) << 32) | u64::from(sku.0)
}

fn pair(key: u64) -> (NodeIdx, SkuId) {
    (NodeIdx((key >> 32) as u32), SkuId(key as u32))
}

impl Positions {
    pub fn new() -> Self {
        Self {
            jumps: Vec::new(),
            dropped: Vec::new(),
            kept: 0,
            last_line: 0,
        }
    }

    /// The next kept row is at `line`.
    pub fn keep(&mut self, line: u64) {
        if self.kept == 0 || line != self.last_line + 1 {
            self.jumps.push((self.kept, line));
        }
        self.kept += 1;
        self.last_line = line;
    }

    /// The next `n` kept rows are at `line`, `line + 1`, … (as `n` calls of
    /// [`Positions::keep`]).
    pub fn keep_run(&mut self, line: u64, n: usize) {
        if n > 0 {
            self.keep(line);
            self.kept += n - 1;
            self.last_line = line + n as u64 - 1;
        }
    }

    /// The row at `line`, naming `node` and `sku`, is not kept.
    pub fn drop_row(&mut self, node: NodeIdx, sku: SkuId, line: u64) {
        self.dropped.push((self.kept, key(node, sku), line));
    }

    /// Moves the notes of `next` (the rows after these; its kept rows follow these kept rows)
    /// here, their lines moved down by `lines` and each SKU renamed by `sku`; `next` is left
    /// empty, keeping its capacity for reuse.
    pub fn append(&mut self, next: &mut Positions, lines: u64, sku: impl Fn(SkuId) -> SkuId) {
        let kept = self.kept;
        self.jumps.extend(
            next.jumps
                .drain(..)
                .map(|(i, line)| (kept + i, line + lines)),
        );
        self.dropped
            .extend(next.dropped.drain(..).map(|(before, k, line)| {
                let (n, s) = pair(k);
                (kept + before, key(n, sku(s)), line + lines)
            }));
        if next.kept > 0 {
            self.kept += next.kept;
            self.last_line = next.last_line + lines;
        }
        next.kept = 0;
    }

    /// (key, line) of every row, in file order; `rows` are the kept rows.
    fn pairs<'a>(&'a self, rows: &'a [StockRow]) -> impl Iterator<Item = (u64, u64)> + 'a {
        let mut jumps = self.jumps.iter().peekable();
        let mut dropped = self.dropped.iter().peekable();
        let mut line = 0;
        let mut i = 0;
        std::iter::from_fn(move || {
            if let Some(&(_, k, at)) = dropped.next_if(|d| d.0 == i) {
                return Some((k, at));
            }
            let r = rows.get(i)?;
            line = jumps.next_if(|j| j.0 == i).map_or(line + 1, |j| j.1);
            i += 1;
            Some((key(r.node, r.sku), line))
        })
    }

    /// The line of kept row `i` when no row was dropped: one past the kept row before's, but
    /// at a jump.
    pub fn line_of(&self, i: usize) -> u64 {
        let j = self.jumps.partition_point(|j| j.0 <= i) - 1;
        let (at, line) = self.jumps[j];
        line + (i - at) as u64
    }

    /// True when some row was not kept.
    pub fn dropped_any(&self) -> bool {
        !self.dropped.is_empty()
    }

    /// Every row, kept or not, whose pair an earlier row gave, with that earlier row's line, in
    /// line order: one pass of [`Runs`] over every row while each node's rows are in one run,
    /// by sorting every row when a node comes back.
    pub fn repeated(&self, rows: &[StockRow], nodes: usize) -> Vec<Repeat> {
        let (mut runs, mut run, mut out) = (Runs::new(nodes), Vec::new(), Vec::new());
        let mut twice = false;
        for (k, line) in self.pairs(rows) {
            let (node, sku) = pair(k);
            if run.last().is_none_or(|r: &(u64, u64)| r.0 >> 32 != k >> 32) {
                if twice {
                    repeats_in(&mut run, &mut out);
                }
                if !runs.start(node) {
                    return self.all_repeated(rows);
                }
                run.clear();
                twice = false;
            }
            twice |= runs.mark(sku);
            run.push((k, line));
        }
        if twice {
            repeats_in(&mut run, &mut out);
        }
        out.sort_unstable_by_key(|r| r.2);
        out
    }

    /// [`Positions::repeated`] by sorting every row.
    pub fn all_repeated(&self, rows: &[StockRow]) -> Vec<Repeat> {
        let mut all: Vec<(u64, u64)> = self.pairs(rows).collect();
        let mut out = Vec::new();
        repeats_in(&mut all, &mut out);
        out.sort_unstable_by_key(|r| r.2);
        out
    }
}

/// Adds the repeats among `rows` (sorted here) to `out`, each with the first line of its pair.
pub(super) fn repeats_in(rows: &mut [(u64, u64)], out: &mut Vec<Repeat>) {
    rows.sort_unstable();
    for group in rows.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        let (key, first) = group[0];
        let (node, sku) = pair(key);
        out.extend(group[1..].iter().map(|&(_, line)| (node, sku, line, first)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::repeats::Repeats;
    use super::Positions;
    use omniroute_core::{NodeIdx, SkuId, StockRow};
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// A node whose runs are one in each half, its pair repeated across them: scanned in two
    /// halves, the scan stops (as one scan would) and the repeat is found.
    #[test]
    fn a_node_in_both_halves_stops_the_scan() {
        let row = |n, s| StockRow {
            node: NodeIdx(n),
            sku: SkuId(s),
            on_hand: 1,
            reserved: 0,
            safety_stock: 0,
        };
        let rows = [row(0, 1), row(1, 2), row(0, 1)];
        let mut positions = Positions::new();
        for line in 2..5 {
            positions.keep(line);
        }
        let want = vec![(NodeIdx(0), SkuId(1), 4, 2)];
        assert_eq!(Repeats::new(2).finish(&rows, &positions), want);
        assert_eq!(Repeats::new(2).finish_halved(&rows, &positions, 1), want);
    }

    proptest! {
        /// Grouped by node or not, kept or not, split in two parts or not, the repeats that
        /// `Repeats::finish` (the readers' way, in halves on two threads or not) and `Positions::repeated` (every row's runs)
        /// find are those a map of first lines finds.
        #[test]
        fn repeats_match_a_map(
            pairs in prop::collection::vec((0u32..4, 0u32..5, any::<bool>(), 1u64..3), 0..40),
            grouped in any::<bool>(),
            all_kept in any::<bool>(),
            cut in 0usize..40,
            min_half in 1usize..8,
        ) {
            let mut pairs = pairs;
            if grouped {
                pairs.sort_by_key(|p| p.0);
            }
            let cut = cut.min(pairs.len());
            let (mut rows, mut first, mut want) = (Vec::new(), HashMap::new(), Vec::new());
            let (mut whole, mut parts) = (Positions::new(), [Positions::new(), Positions::new()]);
            let (mut line, mut cut_line) = (1, 0);
            for (i, &(n, s, kept, step)) in pairs.iter().enumerate() {
                let kept = kept || all_kept;
                line += step;
                if i == cut {
                    cut_line = line - 1;
                }
                let part = &mut parts[usize::from(i >= cut)];
                let local = if i >= cut { line - cut_line } else { line };
                let (node, sku) = (NodeIdx(n), SkuId(s));
                if kept {
                    rows.push(StockRow { node, sku, on_hand: 1, reserved: 0, safety_stock: 0 });
                    whole.keep(line);
                    part.keep(local);
                } else {
                    whole.drop_row(node, sku, line);
                    part.drop_row(node, sku, local);
                }
                if let Some(&f) = first.get(&(n, s)) {
                    want.push((node, sku, line, f));
                } else {
                    first.insert((n, s), line);
                }
            }
            let [mut a, mut b] = parts;
            let mut joined = Positions::new();
            joined.append(&mut a, 0, |s| s);
            joined.append(&mut b, cut_line, |s| s);
            prop_assert_eq!(whole.repeated(&rows, 4), want.clone());
            prop_assert_eq!(Repeats::new(4).finish(&rows, &whole), want.clone());
            prop_assert_eq!(Repeats::new(4).finish(&rows, &joined), want.clone());
            // Scanned in two halves, each of at least `min_half` rows, when they can be cut.
            prop_assert_eq!(Repeats::new(4).finish_halved(&rows, &whole, min_half), want);
        }
    }
}
