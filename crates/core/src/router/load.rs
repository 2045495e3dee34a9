//! [`Load`]: the capacity (units and shipments) used per node, which the capacity filters read.

use super::reads::Reads;
use crate::NodeIdx;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Capacity used per node during a batch (units and shipments).
#[derive(Debug, Clone, Default)]
pub struct Load {
    used: FxHashMap<NodeIdx, (u32, u32)>,
    /// While a batch speculates, where each route's reads are recorded (`speculate.rs`).
    reads: Option<Arc<Reads>>,
}

impl PartialEq for Load {
    fn eq(&self, other: &Self) -> bool {
        self.used == other.used
    }
}

impl Eq for Load {}

impl Load {
    /// True while no node has anything loaded.
    pub fn is_empty(&self) -> bool {
        let empty = self.used.is_empty();
        if empty {
            if let Some(r) = &self.reads {
                r.mark_whole();
            }
        }
        empty
    }

    /// Records every read in `reads` from now on (`None`: stops).
    /// Returns where they were recorded until now.
    pub(super) fn record_reads(&mut self, reads: Option<Arc<Reads>>) -> Option<Arc<Reads>> {
        std::mem::replace(&mut self.reads, reads)
    }

    /// Units and shipments used at a node.
    #[inline]
    pub fn used(&self, node: NodeIdx) -> (u32, u32) {
        if let Some(r) = &self.reads {
            r.mark(node);
        }
        if self.used.is_empty() {
            return (0, 0); // no hashing: a lone order, or the first of a batch
        }
        self.used.get(&node).copied().unwrap_or((0, 0))
    }

    /// Adds `units` and `shipments` at a node at once (a day's load carried in, see
    /// [`crate::DailyLoad`]).
    pub fn add_used(&mut self, node: NodeIdx, units: u32, shipments: u32) {
        let e = self.used.entry(node).or_insert((0, 0));
        e.0 = e.0.saturating_add(units);
        e.1 = e.1.saturating_add(shipments);
    }

    /// Records one shipment of `units` at a node.
    pub fn add_shipment(&mut self, node: NodeIdx, units: u32) {
        let e = self.used.entry(node).or_insert((0, 0));
        e.0 = e.0.saturating_add(units);
        e.1 = e.1.saturating_add(1);
    }

    /// Removes one shipment of `units` at a node (re-routing releases it).
    pub fn remove_shipment(&mut self, node: NodeIdx, units: u32) {
        if let Some(e) = self.used.get_mut(&node) {
            e.0 = e.0.saturating_sub(units);
            e.1 = e.1.saturating_sub(1);
        }
    }

    /// Every node with its (units, shipments), sorted by node.
    pub fn per_node(&self) -> Vec<(NodeIdx, u32, u32)> {
        let mut v: Vec<_> = self.used.iter().map(|(&n, &(u, s))| (n, u, s)).collect();
        v.sort_unstable();
        v
    }
}
