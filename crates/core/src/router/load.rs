//! [`Load`]: the capacity (units and shipments) used per node, which the capacity filters read.

use super::reads::Reads;
use crate::NodeIdx;
use std::sync::Arc;

/// Capacity used per node during a batch (units and shipments). Two loads are equal when every
/// node has used the same in both.
#[derive(Debug, Clone, Default)]
pub struct Load {
    /// Per node, by index, up to the last node anything was added at (a lookup is an index, not
    /// a hash: the router asks once per node it weighs).
    used: Vec<(u32, u32)>,
    /// While a batch speculates, where each route's reads are recorded (`speculate.rs`).
    reads: Option<Arc<Reads>>,
}

impl PartialEq for Load {
    fn eq(&self, other: &Self) -> bool {
        let (short, long) = if self.used.len() <= other.used.len() {
            (&self.used, &other.used)
        } else {
            (&other.used, &self.used)
        };
        long[..short.len()] == short[..] && long[short.len()..].iter().all(|&u| u == (0, 0))
    }
}

impl Eq for Load {}

impl Load {
    /// True while nothing was added at any node.
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
        self.used.get(node.0 as usize).copied().unwrap_or((0, 0))
    }

    /// `node`'s entry, made if need be.
    fn entry(&mut self, node: NodeIdx) -> &mut (u32, u32) {
        let i = node.0 as usize;
        if self.used.len() <= i {
            self.used.resize(i + 1, (0, 0));
        }
        &mut self.used[i]
    }

    /// Adds `units` and `shipments` at a node at once (a day's load carried in, see
    /// [`crate::DailyLoad`]).
    pub fn add_used(&mut self, node: NodeIdx, units: u32, shipments: u32) {
        let e = self.entry(node);
        e.0 = e.0.saturating_add(units);
        e.1 = e.1.saturating_add(shipments);
    }

    /// Records one shipment of `units` at a node.
    pub fn add_shipment(&mut self, node: NodeIdx, units: u32) {
        let e = self.entry(node);
        e.0 = e.0.saturating_add(units);
        e.1 = e.1.saturating_add(1);
    }

    /// Removes one shipment of `units` at a node (re-routing releases it).
    pub fn remove_shipment(&mut self, node: NodeIdx, units: u32) {
        if let Some(e) = self.used.get_mut(node.0 as usize) {
            e.0 = e.0.saturating_sub(units);
            e.1 = e.1.saturating_sub(1);
        }
    }

    /// Every node that has used anything, with its (units, shipments), sorted by node.
    pub fn per_node(&self) -> Vec<(NodeIdx, u32, u32)> {
        (self.used.iter().enumerate())
            .filter(|(_, &u)| u != (0, 0))
            .map(|(n, &(u, s))| (NodeIdx(n as u32), u, s))
            .collect()
    }
}
