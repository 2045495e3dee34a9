//! Candidate source for orders whose SKUs are held by few nodes: every holder, nearest first.

use super::search::Search;
use crate::SkuId;

impl Search<'_> {
    /// Considers every node holding one of `every`'s SKUs, nearest first (ties by index), until
    /// the bounds close ([`Search::closed`], which needs every nearer node seen).
    pub(super) fn scan_sparse_holders(&mut self, every: &[(SkuId, u32)]) {
        let mut nodes = Vec::new();
        self.stock.any_holders(every, &mut nodes);
        let index = self.router.network.index();
        for (n, km) in index.nearest_among(self.ctx.order.destination, &nodes) {
            if self.closed(km).is_some() {
                return;
            }
            self.consider(n, km);
        }
    }
}
