//! Building a table from (node, SKU, units) rows in two passes over them: the first counts each
//! SKU's rows, the second puts each row in its SKU's posting list, made with room for exactly
//! that many. No list is grown push by push and the rows are not copied (memory the kernel
//! hands over fresh and zeroes is most of a whole run's system time); only a list whose rows
//! came out of node order is copied to be sorted. Rows of one node add up. On the calling
//! thread: the Python package runs the core's parallel work only inside its own pool (safe after
//! `fork`), and the table is built outside it.

use super::posting::Posting;
use super::StockTable;
use crate::{NodeIdx, SkuId};
use std::sync::Arc;

impl StockTable {
    /// Builds the table from (node, SKU, routable units); zero rows are skipped and repeated
    /// positions add up. The rows are read twice (hence `Clone`: a slice's iterator, or a map
    /// over one, costs nothing to clone).
    pub fn from_positions<I>(rows: I) -> Self
    where
        I: IntoIterator<Item = (NodeIdx, SkuId, u32)>,
        I::IntoIter: Clone,
    {
        let rows = rows.into_iter().filter(|r| r.2 > 0);
        let mut counts: Vec<usize> = Vec::new();
        for (_, sku, _) in rows.clone() {
            let s = sku.0 as usize;
            if s >= counts.len() {
                counts.resize(s + 1, 0);
            }
            counts[s] += 1;
        }
        let mut postings: Vec<Rows> = (counts.iter())
            .map(|&n| Rows {
                nodes: Vec::with_capacity(n),
                units: Vec::with_capacity(n),
            })
            .collect();
        for (node, sku, units) in rows {
            let p = &mut postings[sku.0 as usize];
            p.nodes.push(node);
            p.units.push(units);
        }
        StockTable {
            postings: (postings.into_iter().map(tidy))
                .map(|p| Posting {
                    nodes: Arc::new(p.nodes),
                    units: Arc::new(p.units),
                    bits: Arc::default(),
                })
                .collect(),
            caps: Vec::new(),
            reads: None,
        }
    }
}

/// One SKU's rows as they are read.
struct Rows {
    nodes: Vec<NodeIdx>,
    units: Vec<u32>,
}

/// One SKU's posting list from its rows in any order: nodes ascending, the rows of one node
/// added up.
fn tidy(mut p: Rows) -> Rows {
    if !p.nodes.is_sorted() {
        let mut rows: Vec<(NodeIdx, u32)> = p
            .nodes
            .iter()
            .copied()
            .zip(p.units.iter().copied())
            .collect();
        rows.sort_unstable_by_key(|&(n, _)| n);
        (p.nodes, p.units) = rows.into_iter().unzip();
    }
    if p.nodes.windows(2).any(|w| w[0] == w[1]) {
        let mut kept = 0;
        for i in 0..p.nodes.len() {
            if kept > 0 && p.nodes[kept - 1] == p.nodes[i] {
                p.units[kept - 1] = p.units[kept - 1].saturating_add(p.units[i]);
            } else {
                p.nodes[kept] = p.nodes[i];
                p.units[kept] = p.units[i];
                kept += 1;
            }
        }
        p.nodes.truncate(kept);
        p.units.truncate(kept);
    }
    p
}
