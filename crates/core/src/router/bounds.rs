//! [`Bounds`]: the read-only stopping tests of the candidate scan, each with a named result
//! ([`Closed`]). The tests and the argument that stopping on them is exact are docs/router.md's
//! "Stopping"; every test only grows more true with the distance and as the best falls.

use super::floors::LineFloors;
use super::reads::Count;
use super::search::Search;
use super::{distance_cents, LineSet};

/// Why no node at some distance or further can be part of a solution as good as the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Closed {
    /// Beyond the distance any node can serve the order from (test 1).
    Reach,
    /// One shipment from there costs more than the best (test 2).
    OneShipment,
    /// No line can still be shipped from there (test 3).
    NoOpenLine,
    /// One such shipment plus the cheapest handling of the other lines exceeds the best (test 4).
    RestOfOrder,
    /// A shipment that leaves lines costs more than the best (test 5).
    PartialShipment,
}

/// A read-only view of a [`Search`]'s bounds (see the module docs).
pub(super) struct Bounds<'a, 'r> {
    s: &'a Search<'r>,
}

/// What a node at some distance or further must hold to help ([`Bounds::narrowed`]).
pub(super) struct Narrowed {
    /// Every line of [`Bounds::required`] (test 6 of docs/router.md when it is every line).
    pub required: LineSet,
    /// Some line of [`Bounds::useful`] (test 7 when it is empty).
    pub useful: LineSet,
    /// About how many posting entries such nodes have.
    pub postings: usize,
}

impl Narrowed {
    /// True when no node still to come can help: every line is required (the nodes that hold
    /// every line were all weighed first) or no line is useful.
    pub(super) fn closed(&self, full: &LineSet) -> bool {
        self.required == *full || self.useful.is_empty()
    }
}

impl<'r> Search<'r> {
    /// The bounds as they stand.
    pub(super) fn bounds(&self) -> Bounds<'_, 'r> {
        Bounds { s: self }
    }
}

impl Bounds<'_, '_> {
    fn floors(&self) -> Option<&LineFloors> {
        self.s.floors.as_ref()
    }

    fn best(&self) -> i64 {
        self.s.solver.best_cents()
    }

    /// What every solution pays for lines no node may ship (0 until the floors are known).
    fn sunk_cents(&self) -> i64 {
        self.floors().map_or(0, |f| f.sunk_cents)
    }

    /// The least one shipment from a node at `km` or further costs: the smallest fixed +
    /// priority cost plus the smallest per-km cost × `km`.
    pub(super) fn shipment_cents(&self, km: f64) -> i64 {
        let t = &self.s.router.terms;
        let level = usize::from(self.s.ctx.order.service_level.0);
        t.min_base_cents + distance_cents(t.min_per_km_cents[level], km)
    }

    /// Tests 1 and 2, enough for a node that can ship every line.
    pub(super) fn whole(&self, km: f64) -> Option<Closed> {
        if km > self.s.reach.limit_km {
            Some(Closed::Reach)
        } else if self.shipment_cents(km) + self.sunk_cents() > self.best() {
            Some(Closed::OneShipment)
        } else {
            None
        }
    }

    /// A distance beyond which [`Bounds::whole`] closes (at it or nearer it may or may not):
    /// the reach limit, or where one shipment's per-km cost alone passes the best less the
    /// least fixed cost. `distance_cents` rounds half up, so test 2 closes from
    /// `(best − min base − sunk + ½) / per km` on; the margin covers the float rounding.
    pub(super) fn whole_km(&self) -> f64 {
        let t = &self.s.router.terms;
        let per_km = t.min_per_km_cents[usize::from(self.s.ctx.order.service_level.0)];
        let over = self.best() as f64 - t.min_base_cents.saturating_add(self.sunk_cents()) as f64;
        let one_shipment = if per_km > 0.0 {
            ((over + 0.5) / per_km).max(0.0) * (1.0 + 1e-9) + 1e-6
        } else {
            f64::INFINITY
        };
        self.s.reach.limit_km.min(one_shipment)
    }

    /// Tests 1 to 4, for any node (3 and 4 once the floors are known).
    pub(super) fn any(&self, km: f64) -> Option<Closed> {
        if let Some(closed) = self.whole(km) {
            return Some(closed);
        }
        let floors = self.floors()?;
        let open: LineSet = (floors.reach_km.iter().enumerate())
            .filter(|(_, &last)| last >= km)
            .map(|(i, _)| i)
            .collect();
        if open.is_empty() {
            return Some(Closed::NoOpenLine);
        }
        let bound = self.shipment_cents(km);
        if bound < 0 {
            return None; // a negative shipment base: more shipments can cost less
        }
        let rest =
            (self.s.solver).rest_bound_cents(&open, &floors.min_cents, bound, self.s.partial_only);
        (rest > self.best()).then_some(Closed::RestOfOrder)
    }

    /// Test 5: a node at `km` or further that cannot ship every line costs at least the
    /// one-shipment bound, and the lines it leaves at least [`Search::partial_extra_cents`] (or
    /// the lines no node may ship, whichever is more).
    pub(super) fn partial_shipment(&self, km: f64) -> Option<Closed> {
        let extra = self.s.partial_extra_cents.max(self.sunk_cents());
        (self.shipment_cents(km) + extra > self.best()).then_some(Closed::PartialShipment)
    }

    /// Lines that a node at `km` or further must hold to be part of a solution as good as the
    /// best. A solution using such a node that does not ship line `l` from it costs at least the
    /// node's shipment (the one-shipment bound) plus what line `l` costs elsewhere
    /// ([`LineFloors::cover_cents`], 0 until known); the node's other lines and every other term
    /// are non-negative. Only grows with the distance and as the best improves.
    pub(super) fn required(&self, km: f64) -> LineSet {
        let over = self.best() - self.shipment_cents(km) - self.sunk_cents();
        match self.floors() {
            Some(f) => (f.cover_cents.iter().enumerate())
                .filter(|(_, &c)| c > over)
                .map(|(i, _)| i)
                .collect(),
            None if 0 > over => self.s.full.clone(),
            None => LineSet::new(),
        }
    }

    /// Lines of which a node at `km` or further must ship at least one to be part of a solution
    /// as good as the best, and how many posting entries hold one of them: a dominator cheaper
    /// than any such node's floor (the one-shipment bound and each line's
    /// [`LineFloors::min_cents`]) dominates every node shipping only its lines. Of several such
    /// dominators, the one that leaves the shortest lists.
    pub(super) fn useful(&self, km: f64) -> (LineSet, usize) {
        let full = &self.s.full;
        let size = |m: &LineSet| -> usize { m.iter().map(|l| self.line_holders(l)).sum() };
        let Some(floors) = self.floors().filter(|_| self.s.dominance.is_some()) else {
            return (full.clone(), size(full));
        };
        (self.s.dominators)
            .below(self.shipment_cents(km), &floors.min_cents)
            .map(|m| full.difference(m))
            .chain([full.clone()])
            .map(|m| {
                let s = size(&m);
                (m, s)
            })
            .min_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)))
            .expect("full is a candidate")
    }

    /// What a node at `km` or further must hold to help: every line of [`Bounds::required`]
    /// and some line of [`Bounds::useful`]; and about how many posting entries such nodes have.
    pub(super) fn narrowed(&self, km: f64) -> Narrowed {
        let required = self.required(km);
        let (useful, size) = self.useful(km);
        let shortest = (required.iter())
            .map(|l| self.line_holders(l))
            .min()
            .unwrap_or(usize::MAX);
        Narrowed {
            required,
            useful,
            postings: size.min(shortest),
        }
    }

    /// How many nodes might ship line `l`: those the floors kept (or, while they leave the
    /// line unread, its holders of enough units), else its SKU's holders.
    fn line_holders(&self, l: usize) -> usize {
        if let Some(f) = self.floors() {
            return if f.unread.contains(l) {
                f.enough[l]
            } else {
                f.qualified[l].len()
            };
        }
        let sku = self.s.ctx.order.lines[l].sku;
        let holders = self.s.stock.holders(sku).len();
        let stock = self.s.stock;
        stock.read_count(Count::Holders(sku), holders, holders);
        holders
    }
}
