//! Building a table from (node, SKU, units) rows: a counting sort by SKU into one flat run per
//! SKU (no list per SKU grown push by push), then each run made a posting list. On the calling
//! thread: the Python package runs the core's parallel work only inside its own pool (safe after
//! `fork`), and the table is built outside it.

use super::posting::Posting;
use super::StockTable;
use crate::{NodeIdx, SkuId};
use std::sync::Arc;

impl StockTable {
    /// Builds the table from (node, SKU, routable units); zero rows are skipped and repeated
    /// positions add up.
    pub fn from_positions(rows: impl IntoIterator<Item = (NodeIdx, SkuId, u32)>) -> Self {
        // Sized by the rows' upper bound, not grown by doubling: each doubling copies into
        // memory the kernel hands over fresh (zeroing it: most of a run's system time);
        // room never written costs nothing.
        let rows = rows.into_iter();
        let (least, most) = rows.size_hint();
        let mut kept = Vec::with_capacity(most.unwrap_or(least));
        kept.extend(rows.filter(|r| r.2 > 0));
        let rows = kept;
        let skus = rows.iter().map(|r| r.1 .0 as usize + 1).max().unwrap_or(0);
        // ends[s]: where SKU s's run ends in `flat`; next[s]: where its next row goes.
        let mut ends = vec![0usize; skus];
        for r in &rows {
            ends[r.1 .0 as usize] += 1;
        }
        let mut next = Vec::with_capacity(skus);
        let mut at = 0;
        for end in &mut ends {
            next.push(at);
            at += *end;
            *end = at;
        }
        let mut flat = vec![(NodeIdx(0), 0u32); rows.len()];
        for (node, sku, units) in rows {
            let i = &mut next[sku.0 as usize];
            flat[*i] = (node, units);
            *i += 1;
        }
        let mut runs = Vec::with_capacity(skus);
        let mut rest = flat.as_mut_slice();
        let mut start = 0;
        for &end in &ends {
            let (run, tail) = rest.split_at_mut(end - start);
            runs.push(run);
            rest = tail;
            start = end;
        }
        let postings = runs.into_iter().map(|run| Arc::new(posting(run))).collect();
        StockTable {
            postings,
            caps: Vec::new(),
            reads: None,
        }
    }
}

/// One SKU's posting list from its rows in any order; rows of one node add up.
fn posting(run: &mut [(NodeIdx, u32)]) -> Posting {
    if !run.is_sorted_by_key(|&(n, _)| n) {
        run.sort_unstable_by_key(|&(n, _)| n);
    }
    let mut p = Posting {
        nodes: Vec::with_capacity(run.len()),
        units: Vec::with_capacity(run.len()),
        bits: Vec::new(),
    };
    for &(node, units) in run.iter() {
        if p.nodes.last() == Some(&node) {
            let held = p.units.last_mut().expect("parallel vectors");
            *held = held.saturating_add(units);
        } else {
            p.nodes.push(node);
            p.units.push(units);
        }
    }
    p
}
