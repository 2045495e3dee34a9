//! Candidate source, second phase: every other node nearest first from the spatial index, while
//! a partial shipment could still pay, handing over to the posting lists once they are shorter.

use super::full::FullHolders;
use super::search::Search;
use crate::NodeIdx;

impl Search<'_> {
    /// Walks the nodes nearest first, skipping `full` (weighed in the first phase), until the
    /// bounds close for a partial shipment; after `WALK_LIMIT` nodes (or the order's `posting`
    /// size divided by `WALK_DIVISOR`), or once the nodes that may still help have fewer posting
    /// entries than that, the rest come from the posting lists ([`Search::scan_postings`]).
    pub(super) fn scan_nearest(&mut self, full: &mut FullHolders<'_>, posting: usize) {
        if self.closed_to_partial(0.0).is_some() {
            return; // the bounds only grow with the distance
        }
        let limits = self.router.limits;
        let limit = limits.walk.max(posting / limits.divisor);
        let index = self.router.network.index();
        let mut visited: Vec<NodeIdx> = Vec::new();
        for (n, km) in index.nearest(self.ctx.order.destination) {
            if self.closed_to_partial(km).is_some() {
                return;
            }
            if visited.len() == limit
                || self.bounds().narrowed(km).postings < posting / limits.divisor
            {
                self.scan_postings(visited, full, km);
                return;
            }
            if !full.contains(self.stock, n) {
                self.consider(n, km);
            }
            visited.push(n);
        }
    }
}
