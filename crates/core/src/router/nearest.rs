//! Candidate source, second phase: every other node nearest first from the spatial index, while
//! a partial shipment could still pay, handing over to the posting lists once they are shorter.

use super::full::FullHolders;
use super::reads::Count;
use super::search::Search;
use crate::NodeIdx;

impl Search<'_> {
    /// Walks the nodes nearest first, skipping `full` (weighed in the first phase), until the
    /// bounds close for a partial shipment; after `WALK_LIMIT` nodes (or the order's `posting`
    /// size divided by `WALK_DIVISOR`), or once the nodes that may still help have fewer posting
    /// entries than that, the rest come from the posting lists ([`Search::scan_postings`]).
    pub(super) fn scan_nearest(&mut self, full: &mut FullHolders<'_>, posting: usize) {
        let limits = self.router.limits;
        let d = limits.divisor;
        // The values of `posting / divisor` for which the walk's comparisons come out the same.
        let mut range = (0, usize::MAX);
        self.walk_nearest(full, posting / d, &mut range);
        self.stock.read_count(
            Count::Postings,
            (limits.posting.saturating_add(1)).max(range.0.saturating_mul(d)),
            range.1.saturating_mul(d).saturating_add(d - 1),
        );
    }

    /// [`Search::scan_nearest`] with `posting / divisor` as `share`, narrowing `range` to the
    /// values of `share` for which each comparison of it comes out as it does.
    fn walk_nearest(
        &mut self,
        full: &mut FullHolders<'_>,
        share: usize,
        range: &mut (usize, usize),
    ) {
        if self.closed_to_partial(0.0).is_some() {
            return; // the bounds only grow with the distance
        }
        let walk = self.router.limits.walk;
        let limit = walk.max(share);
        let index = self.router.network.index();
        let mut visited: Vec<NodeIdx> = Vec::new();
        for (n, km) in index.nearest(self.ctx.order.destination) {
            if self.closed_to_partial(km).is_some() {
                return;
            }
            let i = visited.len();
            if i == limit {
                // max(walk, share) = i: share is at most i when walk is i, else exactly i.
                if walk < i {
                    range.0 = range.0.max(i);
                }
                range.1 = range.1.min(i);
                self.scan_postings(visited, full, km);
                return;
            }
            if walk <= i {
                // The limit was not walk, nor any of walk..=i visited so far: share is above i.
                range.0 = range.0.max(i + 1);
            }
            let postings = self.bounds().narrowed(km).postings;
            if postings < share {
                range.0 = range.0.max(postings + 1);
                self.scan_postings(visited, full, km);
                return;
            }
            range.1 = range.1.min(postings);
            if !full.contains(self.stock, n) {
                self.consider(n, km);
            }
            visited.push(n);
        }
    }
}
