//! [`LineFloors`]: per line, what any node that may ship it costs at least and how far it can be,
//! from one pass over each line's posting list. Computed once per order, the first time a bound
//! needs it (docs/router.md, "Stopping").

use super::candidate::may_ship;
use super::choose;
use super::search::Search;
use super::{distance_cents, margin_cents};
use crate::index::{ChordSlack, NearestChord};
use crate::NodeIdx;

/// See the module docs. "May ship" a line: holds enough units, and passes every rule that does
/// not depend on the date (active, allowed, level offered, capacity left), within its own reach,
/// the order's reach limit and, for a hard deadline, its promise group's reach.
pub(super) struct LineFloors {
    /// Per line, a lower bound on its handling and margin at any node that may ship it
    /// (`choose::INF` when none may).
    pub min_cents: Vec<i64>,
    /// Per line, the least that *not* shipping it from a given node adds to a solution that uses
    /// that node: leaving it unfilled (unless ship-complete), or another shipment that carries it
    /// from at least as far as its nearest holder that may ship it (see `Bounds::required`).
    pub cover_cents: Vec<i64>,
    /// Per line, the distance of the furthest node that may ship it (`-1` when none may).
    pub reach_km: Vec<f64>,
    /// Per line, the nodes that may ship it with their squared chord to the destination,
    /// ascending by node.
    pub qualified: Vec<Vec<(NodeIdx, f64)>>,
    /// Per line, its nearest holder with enough units (for its unfilled reason).
    pub nearest: Vec<NearestChord>,
    /// What every solution pays for lines no node may ship (unfilled); 0 under ship-complete.
    pub sunk_cents: i64,
    /// The distance of the nearest node that may ship some line (a lower bound, km; infinite
    /// when none may).
    pub near_km: f64,
}

impl LineFloors {
    /// One pass over each line's posting list (see the fields).
    pub(super) fn compute(s: &Search<'_>) -> Self {
        let r = s.router;
        let order = s.ctx.order;
        let index = r.network.index();
        let dest = order.destination.unit_vector();
        let level = usize::from(order.service_level.0);
        let levels = r.policy.levels.len();
        let lines = order.lines.len();
        let mut floors = Self {
            min_cents: vec![0; lines],
            cover_cents: vec![0; lines],
            reach_km: line_reach(s),
            qualified: Vec::with_capacity(lines),
            nearest: Vec::with_capacity(lines),
            sunk_cents: 0,
            near_km: f64::INFINITY,
        };
        // Unless the order restricts nodes, an offering node may ship when it has room.
        let restricted = s.ctx.terms.allowed_kinds.is_some() || s.ctx.filter.restricts(order);
        let groups = &s.reach.group_chord2;
        // Without node restrictions, deadline groups or capacity used, a holder in reach ships
        // when its capacities allow one shipment of the line.
        let plain = !restricted && groups.is_empty() && s.load.is_empty();
        // The order's own reach limit (the level's transit bands, a hard deadline).
        let limit_chord2 = if s.reach.limit_km < 0.0 {
            -1.0
        } else {
            ChordSlack::chord2_upper_bound(s.reach.limit_km)
        };
        for (l, line) in order.lines.iter().enumerate() {
            // Over the holders that may ship the line at all and have the destination within
            // their reach: the least handling and the extreme margin rates apart (a lower bound
            // without a division per holder: the margin is monotone in the rate), and the
            // furthest such holder.
            let mut per_unit = i64::MAX;
            let (mut low, mut high) = (u32::MAX, 0);
            let (mut far_chord2, mut near_chord2) = (-1.0f64, f64::INFINITY);
            let mut nearest = NearestChord::default();
            let (holders, held) = s.stock.posting(line.sku);
            let mut qualified = Vec::with_capacity(holders.len());
            for (&n, &units) in holders.iter().zip(held) {
                if units < line.qty {
                    continue;
                }
                let chord2 = index.chord2(dest, n);
                nearest.push(n, chord2);
                if chord2 > limit_chord2 {
                    continue;
                }
                if chord2 > r.terms.offers[n.0 as usize * levels + level] {
                    continue; // inactive, level not offered, or beyond the node's reach
                }
                let t = &r.terms.floors[n.0 as usize];
                let ships = if plain {
                    t.capacity.has_room_idle(line.qty)
                } else {
                    (if restricted {
                        may_ship(&r.terms.nodes[n.0 as usize], s.ctx, s.load, n, line.qty)
                    } else {
                        t.capacity.has_room(s.load, n, line.qty)
                    }) && groups
                        .get(t.profile as usize)
                        .is_none_or(|&limit| chord2 <= limit) // else it misses the deadline
                };
                if !ships {
                    continue;
                }
                // Plain comparisons: chords are never NaN (`f64::max` would test for it).
                if chord2 > far_chord2 {
                    far_chord2 = chord2;
                }
                if chord2 < near_chord2 {
                    near_chord2 = chord2;
                }
                qualified.push((n, chord2));
                per_unit = per_unit.min(t.per_unit_cents);
                low = low.min(t.margin_bps);
                high = high.max(t.margin_bps);
            }
            floors.qualified.push(qualified);
            floors.nearest.push(nearest);
            floors.settle(s, l, per_unit, (low, high), (far_chord2, near_chord2));
        }
        floors
    }

    /// Line `l`'s floors from the holders that may ship it: the least per-unit handling, the
    /// extreme margin rates and the furthest and nearest squared chords (`per_unit` is
    /// `i64::MAX` when none may).
    fn settle(
        &mut self,
        s: &Search<'_>,
        l: usize,
        per_unit: i64,
        (low, high): (u32, u32),
        (far_chord2, near_chord2): (f64, f64),
    ) {
        let r = s.router;
        let line = &s.ctx.order.lines[l];
        let level = usize::from(s.ctx.order.service_level.0);
        let value = line.value_cents();
        let terms = &s.ctx.terms;
        let leave = if terms.ship_complete {
            choose::INF
        } else {
            terms.unfilled_per_unit_cents * i64::from(line.qty)
        };
        let mut elsewhere = choose::INF;
        if per_unit == i64::MAX {
            self.min_cents[l] = choose::INF;
            self.reach_km[l] = -1.0;
            if !terms.ship_complete {
                // Unfilled in every solution.
                self.sunk_cents += leave;
                return;
            }
        } else {
            self.min_cents[l] = per_unit * i64::from(line.qty)
                + margin_cents(low, value).min(margin_cents(high, value));
            let far = ChordSlack::km_upper_bound(far_chord2);
            self.reach_km[l] = self.reach_km[l].min(far);
            let near = ChordSlack::km_lower_bound(near_chord2).max(0.0);
            self.near_km = self.near_km.min(near);
            if terms.max_shipments >= 2 && r.terms.min_base_cents >= 0 {
                elsewhere = r.terms.min_base_cents
                    + terms.split_penalty_cents
                    + distance_cents(r.terms.min_per_km_cents[level], near)
                    + self.min_cents[l];
            }
        }
        // With a negative shipment base, more shipments can cost less: no cover then.
        self.cover_cents[l] = if r.terms.min_base_cents >= 0 {
            leave.min(elsewhere)
        } else {
            0
        };
    }
}

/// Per line: the distance of the furthest holder that might ship it (`-1` when none can):
/// scanned for short posting lists, else bounded by the SKU's holder cap (`INFINITY` when none
/// is known). [`LineFloors::compute`] tightens it.
fn line_reach(s: &Search<'_>) -> Vec<f64> {
    let order = s.ctx.order;
    let r = s.router;
    let index = r.network.index();
    let level = usize::from(order.service_level.0);
    order
        .lines
        .iter()
        .map(|line| {
            let holders = s.stock.holders(line.sku);
            if holders.len() > r.limits.line_scan {
                return s
                    .stock
                    .holder_reach_km(line.sku, order.destination)
                    .unwrap_or(f64::INFINITY);
            }
            s.stock
                .holdings(line.sku)
                .filter(|&(_, units)| units >= line.qty)
                .map(|(n, _)| (n, order.destination.distance_km(index.location(n))))
                .filter(|&(n, km)| km <= r.terms.nodes[n.0 as usize].reach_km[level])
                .map(|(_, km)| km)
                .fold(-1.0, f64::max)
        })
        .collect()
}

impl Search<'_> {
    /// See [`Router::floor_cents`].
    pub(super) fn floor_cents(&self) -> i64 {
        if self.ctx.order.lines.is_empty() {
            return 0;
        }
        let floors = LineFloors::compute(self);
        let terms = &self.ctx.terms;
        let unfilled =
            |l: usize| terms.unfilled_per_unit_cents * i64::from(self.ctx.order.lines[l].qty);
        let lines = self.ctx.order.lines.len();
        let nothing = (0..lines).map(unfilled).fold(0, i64::saturating_add);
        let each: i64 = (0..lines)
            .map(|l| {
                let leave = if terms.ship_complete {
                    choose::INF
                } else {
                    unfilled(l)
                };
                floors.min_cents[l].min(leave)
            })
            .fold(0, |a, c| a.saturating_add(c).min(choose::INF));
        let min_base = self.router.terms.min_base_cents;
        let shipments = if min_base < 0 {
            // With a negative base, every allowed shipment may lower the cost.
            min_base.saturating_mul(terms.max_shipments.min(lines) as i64)
        } else if floors.near_km.is_finite() {
            self.bounds().shipment_cents(floors.near_km)
        } else {
            choose::INF
        };
        nothing.min(shipments.saturating_add(each))
    }
}
