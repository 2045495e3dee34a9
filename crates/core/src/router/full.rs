//! Candidate source, first phase: the nodes that hold enough of every line to ship the order
//! alone, nearest first.

use super::search::Search;
use crate::{NodeIdx, SkuId};

impl Search<'_> {
    /// Considers the nodes holding `every` (each SKU with the most units a line asks), nearest
    /// first (ties by index), until one shipment from further away costs more than the best
    /// found. Returns them all, ascending by node (the later phases skip them).
    pub(super) fn scan_full_holders(&mut self, every: &[(SkuId, u32)]) -> Vec<NodeIdx> {
        let mut full = Vec::new();
        self.stock.full_holders(every, &mut full);
        let index = self.router.network.index();
        for (n, km) in index.nearest_among(self.ctx.order.destination, &full) {
            if self.bounds().whole(km).is_some() {
                break;
            }
            self.consider_lines(n, km, self.full.clone());
        }
        full
    }
}
