//! Candidate source, the hand-over: once the bounds narrow what a further node must hold, the
//! nodes that hold it come from the lists the line floors kept, nearest first.

use super::bounds::Narrowed;
use super::full::FullHolders;
use super::node_set::NodeSet;
use super::search::Search;
use crate::index::ChordSlack;
use crate::NodeIdx;

impl Search<'_> {
    /// The nodes not yet `seen` (nor `full`, weighed in the first phase) that hold what
    /// [`Bounds::narrowed`](super::bounds::Bounds::narrowed) asks at `km`, nearest first, until
    /// the bounds close. Each node is still checked alone ([`Search::consider`]); when the bounds
    /// narrow the lists to half or less, they are read again.
    pub(super) fn scan_postings(
        &mut self,
        mut seen: Vec<NodeIdx>,
        full: &mut FullHolders<'_>,
        mut km: f64,
    ) {
        let index = self.router.network.index();
        loop {
            let Some(narrowed) = self.narrowed_read(km) else {
                return;
            };
            let nodes = self.holder_set(&narrowed, &seen, full.set(self.stock));
            let mut again = false;
            for (n, k) in index.nearest_by_chord(self.ctx.order.destination, nodes.iter().copied())
            {
                km = k;
                if self.closed_to_partial(km).is_some() {
                    return;
                }
                let now = self.bounds().narrowed(km);
                if now.closed(&self.full) {
                    return;
                }
                if now.postings <= narrowed.postings / 2 {
                    again = true;
                    break;
                }
                self.consider(n, km);
                seen.push(n);
            }
            if !again {
                return;
            }
        }
    }

    /// What a node at `km` or further must hold, with every line it names read by the floors
    /// (reading tightens the bounds, so they are asked again), or `None` when no node can help.
    fn narrowed_read(&mut self, km: f64) -> Option<Narrowed> {
        loop {
            let narrowed = self.bounds().narrowed(km);
            if narrowed.closed(&self.full) {
                return None;
            }
            let floors = self.floors.as_ref().expect("the walk computed the floors");
            let unread = (narrowed.required.union(&narrowed.useful)).intersection(&floors.unread);
            if unread.is_empty() {
                return Some(narrowed);
            }
            let mut floors = self.floors.take().expect("just seen");
            floors.read(self, &unread);
            self.floors = Some(floors);
        }
    }

    /// The nodes that may ship every line of `required` and some line of `useful` (from the
    /// lists the line floors kept), except those `seen` or in `full`, within the distance where
    /// a partial shipment stops paying, with their squared chords, each once, in no particular
    /// order (the caller orders them by chord). A list, not an iterator: the scan that takes
    /// them changes the search this reads.
    fn holder_set(
        &self,
        Narrowed {
            required, useful, ..
        }: &Narrowed,
        seen: &[NodeIdx],
        full: &NodeSet,
    ) -> Vec<(NodeIdx, f64)> {
        let floors = self.floors.as_ref().expect("the walk computed the floors");
        let qualified = &floors.qualified;
        let r = self.router;
        // bound(km) = min_base + round(per_km × km) exceeds best - extra beyond this distance.
        let level = usize::from(self.ctx.order.service_level.0);
        let per_km = r.terms.min_per_km_cents[level];
        let extra = self.partial_extra_cents.max(floors.sunk_cents);
        let slack = self.solver.best_cents() - extra - r.terms.min_base_cents;
        let mut radius = self.reach.limit_km;
        if per_km > 0.0 {
            radius = radius.min((slack as f64 + 1.0) / per_km * (1.0 + 1e-9) + 1e-6);
        }
        let max_chord2 = if radius.is_finite() {
            ChordSlack::chord2_upper_bound(radius.max(0.0))
        } else {
            f64::INFINITY
        };
        let mut skip = full.clone();
        for &n in seen {
            skip.insert(n);
        }
        // Sized for every node the lists could give (a few thousand at most): growing the list
        // as it fills was a twentieth of the slowest orders' routing, with the line floors'.
        let mut nodes: Vec<(NodeIdx, f64)>;
        if required.is_empty() {
            nodes = Vec::with_capacity(useful.iter().map(|l| qualified[l].len()).sum());
            // The union of the useful lines' lists: each node once (its chord is the same in
            // every list).
            for l in useful.iter() {
                for &(n, chord2) in &qualified[l] {
                    if chord2 <= max_chord2 && skip.insert(n) {
                        nodes.push((n, chord2));
                    }
                }
            }
        } else {
            // The shortest required line's list, each node checked against the others.
            let shortest = (required.iter())
                .min_by_key(|&l| qualified[l].len())
                .expect("required is not empty");
            nodes = Vec::with_capacity(qualified[shortest].len());
            let ships =
                |l: usize, n: NodeIdx| qualified[l].binary_search_by_key(&n, |&(m, _)| m).is_ok();
            nodes.extend(qualified[shortest].iter().filter(|&&(n, chord2)| {
                chord2 <= max_chord2
                    && !skip.contains(n)
                    && required.iter().all(|l| ships(l, n))
                    && useful.iter().any(|l| ships(l, n))
            }));
        }
        nodes
    }
}
