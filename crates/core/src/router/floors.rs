//! [`LineFloors`]: per line, what any node that may ship it costs at least and how far it can be,
//! from one pass over each line's posting list. Computed once per order, the first time a bound
//! needs it (docs/router.md, "Stopping").

use super::candidate::may_ship;
use super::choose;
use super::node_set::NodeSet;
use super::reads::Count;
use super::search::Search;
use super::terms::{FloorRange, FloorTerms};
use super::LineSet;
use super::{distance_cents, margin_cents};
use crate::index::{ChordSlack, NearestChord};
use crate::NodeIdx;
use kinds_held::KindsHeld;

mod kinds_held;

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
    /// ascending by node (empty while the line is [`LineFloors::unread`]).
    pub qualified: Vec<Vec<(NodeIdx, f64)>>,
    /// Per line, its nearest holder with enough units (for its unfilled reason), when the
    /// floors read the line's posting list (not when they read the nodes within reach).
    pub nearest: Vec<Option<NearestChord>>,
    /// Lines whose posting lists the floors have not read (an order without a reach limit, and
    /// more holders of enough units than
    /// [`FLOORS_READ_LIMIT`](super::scan_limits::FLOORS_READ_LIMIT), at most an eighth of them
    /// of a kind with a reach of its own at the level: [`KindsHeld::of`]): bounded by the terms of
    /// the kinds of those holders (`NetworkTerms::kind_floors`), as if they were anywhere (no
    /// reach but the line's cap, nothing sunk), until the hand-over to the posting lists asks
    /// for them ([`LineFloors::read`]).
    pub unread: LineSet,
    /// Per line left unread, how many of its holders hold enough units (what the hand-over
    /// counts the line's list as until it is read).
    pub enough: Vec<usize>,
    /// What every solution pays for lines no node may ship (unfilled); 0 under ship-complete.
    pub sunk_cents: i64,
    /// The distance of the nearest node that may ship some line (a lower bound, km; infinite
    /// when none may).
    pub near_km: f64,
}

impl LineFloors {
    /// One pass over each line's posting list (see the fields); or, when the order has a reach
    /// limit, over the nodes within it and within their kind's furthest reach at the order's
    /// level (`within_reach`, whose walks give up past
    /// [`FLOORS_NEAR_PERCENT`](super::scan_limits::FLOORS_NEAR_PERCENT) of the longest list's
    /// length in nodes).
    pub(super) fn compute(s: &Search<'_>) -> Self {
        let order = s.ctx.order;
        // No node beyond the nearest groups' reach may ship a line: the same holders.
        let limit_chord2 = s.reach.near_chord2();
        let longest = (order.lines.iter())
            .map(|l| s.stock.holders(l.sku).len())
            .max()
            .unwrap_or(0);
        let budget = longest.saturating_mul(s.router.limits.floors_near) / 100;
        let dest = order.destination.unit_vector();
        let near = (limit_chord2 < 4.0) // the squared diameter: every node
            .then(|| within_reach(s, dest, limit_chord2, budget))
            .flatten();
        Self::compute_with(s, near.as_deref(), s.router.limits.floors_read)
    }

    /// [`LineFloors::compute`] with every line's posting list read (none left unread).
    pub(super) fn compute_all(s: &Search<'_>) -> Self {
        Self::compute_with(s, None, usize::MAX)
    }

    /// The floors from the posting lists, except, when `near` (in any order, every node that
    /// may ship some line, and perhaps others) is given, for the lines whose SKU has a holder
    /// bitmap or more holders than `near` has nodes: those from `near`. A line with more than
    /// `read_limit` holders of enough units may be left unread (see [`LineFloors::unread`]).
    pub(super) fn compute_with(
        s: &Search<'_>,
        near: Option<&[(NodeIdx, f64)]>,
        read_limit: usize,
    ) -> Self {
        let order = s.ctx.order;
        let lines = order.lines.len();
        let mut floors = Self {
            min_cents: vec![0; lines],
            cover_cents: vec![0; lines],
            reach_km: line_reach(s),
            qualified: vec![Vec::new(); lines],
            nearest: vec![None; lines],
            unread: LineSet::new(),
            enough: vec![0; lines],
            sunk_cents: 0,
            near_km: f64::INFINITY,
        };
        let ships = MayShip::new(s);
        let index = s.router.network.index();
        let dest = order.destination.unit_vector();
        // `near` as a node set, its words ANDed with each line's holders: built the first time
        // a line reads its holders that way.
        let mut within: Option<NodeSet> = None;
        let unlimited = s.reach.near_chord2() >= 4.0; // the squared diameter
        for (l, line) in order.lines.iter().enumerate() {
            let holders = s.stock.holders(line.sku).len();
            // A holder bitmap ANDed with `within` reads a word per 64 nodes: cheaper than a
            // list's entries (each a node's unit vector and terms). A SKU without one has its
            // shorter list read with a bit test per entry: holders out of reach cost no chord
            // and no terms (and the line has no `nearest`).
            let by_near = near.filter(|near| s.stock.has_bitmap(line.sku) || near.len() < holders);
            let Some(near) = by_near else {
                // Within a reach limit, which holders are within their own reach decides much
                // (lines no holder may ship, how far a line may come from): read then.
                let kinds = (holders > read_limit && unlimited)
                    .then(|| KindsHeld::of(s, l))
                    .flatten()
                    .filter(|k| k.enough > read_limit && k.mask != 0);
                if let Some(kinds) = kinds {
                    floors.unread.insert(l);
                    floors.enough[l] = kinds.enough;
                    floors.settle(s, l, &Seen::anywhere(s, kinds.mask));
                } else {
                    floors.read_list(s, &ships, l);
                }
                continue;
            };
            let mut seen = Seen::with_capacity(near.len().min(holders));
            let within = within.get_or_insert_with(|| {
                NodeSet::from_nodes(index.len(), near.iter().map(|&(n, _)| n))
            });
            // The same squared chords as `near`'s (both from the nodes' unit vectors).
            s.stock.holdings_within(line.sku, within, |n, units| {
                if units < line.qty {
                    return;
                }
                let chord2 = index.chord2(dest, n);
                if ships.test(n, chord2, line.qty) {
                    seen.add(n, chord2, &s.router.terms.floors[n.0 as usize]);
                }
            });
            // The floors change when a node they kept stops holding enough (none can start to
            // during a batch).
            s.stock.read_at_each(seen.qualified.iter().map(|&(n, _)| n));
            floors.settle(s, l, &seen);
            floors.qualified[l] = seen.qualified;
        }
        floors
    }

    /// Reads the posting lists of the lines of `lines` left [`LineFloors::unread`]: their
    /// floors tighten to what their holders give, as if read from the start (a line left
    /// unread has something to ship it from, so nothing was sunk for it before).
    pub(super) fn read(&mut self, s: &Search<'_>, lines: &LineSet) {
        let ships = MayShip::new(s);
        for l in lines.intersection(&self.unread).iter() {
            self.unread.remove(l);
            self.read_list(s, &ships, l);
        }
    }

    /// True when some node may ship line `l`: for a line left unread, its list is read up to
    /// the first holder that may (every holder of enough units is already marked read).
    pub(super) fn any_may_ship(&self, s: &Search<'_>, l: usize) -> bool {
        if !self.unread.contains(l) {
            return self.min_cents[l] < choose::INF;
        }
        let line = &s.ctx.order.lines[l];
        let ships = MayShip::new(s);
        let index = s.router.network.index();
        let dest = s.ctx.order.destination.unit_vector();
        let (holders, held) = s.stock.posting(line.sku);
        (holders.iter().zip(held))
            .any(|(&n, &units)| units >= line.qty && ships.test(n, index.chord2(dest, n), line.qty))
    }

    /// Line `l`'s floors from one pass over its posting list.
    fn read_list(&mut self, s: &Search<'_>, ships: &MayShip<'_, '_>, l: usize) {
        let (seen, nearest) = Self::scan_list(s, ships, l);
        self.settle(s, l, &seen);
        self.qualified[l] = seen.qualified;
        self.nearest[l] = Some(nearest);
    }

    /// The holders of line `l`'s list that may ship it, and its nearest holder with enough
    /// units.
    fn scan_list(s: &Search<'_>, ships: &MayShip<'_, '_>, l: usize) -> (Seen, NearestChord) {
        let line = &s.ctx.order.lines[l];
        let index = s.router.network.index();
        let dest = s.ctx.order.destination.unit_vector();
        let (holders, held) = s.stock.posting(line.sku);
        let mut seen = Seen::with_capacity(holders.len());
        let mut nearest = NearestChord::default();
        for (&n, &units) in holders.iter().zip(held) {
            if units < line.qty {
                continue;
            }
            let chord2 = index.chord2(dest, n);
            nearest.push(n, chord2);
            if ships.test(n, chord2, line.qty) {
                seen.add(n, chord2, &s.router.terms.floors[n.0 as usize]);
            }
        }
        // The floors change when a node they kept, or a node that may be the nearest holder,
        // stops holding enough (none can start to during a batch).
        s.stock.read_at_each(seen.qualified.iter().map(|&(n, _)| n));
        s.stock.read_at_each(nearest.nodes());
        (seen, nearest)
    }

    /// Line `l`'s floors from the holders that may ship it.
    fn settle(&mut self, s: &Search<'_>, l: usize, seen: &Seen) {
        let Seen {
            range:
                FloorRange {
                    per_unit_cents: per_unit,
                    low_bps: low,
                    high_bps: high,
                },
            far_chord2,
            near_chord2,
            ..
        } = *seen;
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
                // Unfilled in every solution: its cost is sunk, not a node's to cover (a line
                // left unread had a cover until read).
                self.sunk_cents += leave;
                self.cover_cents[l] = 0;
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

/// The distance-free test of "may ship" (see [`LineFloors`]) for a holder with enough units.
struct MayShip<'s, 'r> {
    s: &'s Search<'r>,
    /// [`Reach::near_chord2`](super::reach::Reach::near_chord2).
    limit_chord2: f64,
    /// Without node restrictions, deadline groups or capacity used, a holder in reach ships
    /// when its capacities allow one shipment of the line.
    plain: bool,
    /// The order restricts nodes (kinds, filters).
    restricted: bool,
    /// Per node, its `reach_chord2` at the order's level, or -1 when it is inactive or does not
    /// offer it (`NetworkTerms::offers`).
    offers: &'s [f64],
}

impl<'s, 'r> MayShip<'s, 'r> {
    fn new(s: &'s Search<'r>) -> Self {
        let restricted = s.ctx.terms.allowed_kinds.is_some() || s.ctx.filter.restricts(s.ctx.order);
        let plain = !restricted && s.reach.group_chord2().is_empty() && s.load.is_empty();
        let nodes = s.router.terms.nodes.len();
        let level = usize::from(s.ctx.order.service_level.0);
        Self {
            s,
            limit_chord2: s.reach.near_chord2(),
            plain,
            restricted,
            offers: &s.router.terms.offers[level * nodes..][..nodes],
        }
    }

    /// True when holder `n`, at squared chord `chord2` from the destination, may ship `qty`
    /// units of a line. Inlined by force: it runs once per holder of each line, and as a call
    /// (the compiler's choice with a plain `#[inline]`) its prologue was a fifth of its time.
    #[allow(clippy::inline_always)] // measured: see above
    #[inline(always)]
    fn test(&self, n: NodeIdx, chord2: f64, qty: u32) -> bool {
        let s = self.s;
        let r = s.router;
        if chord2 > self.limit_chord2 {
            return false;
        }
        if chord2 > self.offers[n.0 as usize] {
            return false; // inactive, level not offered, or beyond the node's reach
        }
        let t = &r.terms.floors[n.0 as usize];
        if self.plain {
            return t.capacity.has_room_idle(qty);
        }
        // The deadline first: it reads no load (a holder that misses it depends on none).
        let meets = (s.reach.group_chord2())
            .get(t.profile as usize)
            .is_none_or(|&limit| chord2 <= limit);
        meets
            && if self.restricted {
                may_ship(&r.terms.nodes[n.0 as usize], s.ctx, s.load, n, qty)
            } else {
                t.capacity.has_room(s.load, n, qty)
            }
    }
}

/// What one line's holders that may ship it add up to: the least per-unit handling and the
/// extreme margin rates, the furthest and nearest squared chords, and the holders themselves.
struct Seen {
    /// Its per-unit handling is `i64::MAX` when none may ship the line.
    range: FloorRange,
    far_chord2: f64,
    near_chord2: f64,
    qualified: Vec<(NodeIdx, f64)>,
}

impl Seen {
    /// Nothing seen yet, with room for `holders` qualified nodes (every holder may qualify:
    /// growing the list as it fills was a twentieth of the slowest orders' routing).
    fn with_capacity(holders: usize) -> Self {
        Self {
            range: FloorRange::EMPTY,
            far_chord2: -1.0,
            near_chord2: f64::INFINITY,
            qualified: Vec::with_capacity(holders),
        }
    }

    /// What a line whose holders are not read is bounded by: the terms of any node of the
    /// kinds in `kinds` (bits by [`NodeKind::index`](crate::NodeKind::index)), anywhere (the
    /// squared diameter and zero), no list.
    fn anywhere(s: &Search<'_>, kinds: u8) -> Self {
        let mut range = FloorRange::EMPTY;
        for (k, kind) in s.router.terms.kind_floors.iter().enumerate() {
            if kinds & 1 << k != 0 {
                range.merge(kind);
            }
        }
        Self {
            range,
            far_chord2: 4.0,
            near_chord2: 0.0,
            qualified: Vec::new(),
        }
    }

    fn add(&mut self, n: NodeIdx, chord2: f64, t: &FloorTerms) {
        // Plain comparisons: chords are never NaN (`f64::max` would test for it).
        if chord2 > self.far_chord2 {
            self.far_chord2 = chord2;
        }
        if chord2 < self.near_chord2 {
            self.near_chord2 = chord2;
        }
        self.qualified.push((n, chord2));
        self.range.add(t);
    }
}

/// The active nodes that offer the order's level within `limit_chord2` of `dest` and within the
/// furthest reach of their kind at that level (every node that may ship a line is among them),
/// with their squared chords, in no particular order; `None` when the walks would test more
/// than about `budget` nodes.
pub(super) fn within_reach(
    s: &Search<'_>,
    dest: [f64; 3],
    limit_chord2: f64,
    budget: usize,
) -> Option<Vec<(NodeIdx, f64)>> {
    let terms = &s.router.terms;
    let level = usize::from(s.ctx.order.service_level.0);
    let mut near = Vec::new();
    for (tree, &reach) in terms
        .kind_trees(&s.router.network)
        .iter()
        .zip(&terms.kind_reach_chord2[level])
    {
        if reach >= 0.0 {
            let left = budget.checked_sub(near.len())?;
            near.extend(tree.within_chord2(dest, reach.min(limit_chord2), left)?);
        }
    }
    Some(near)
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
            let holders = s.stock.holders(line.sku).len();
            let scan = r.limits.line_scan;
            if holders > scan {
                s.stock
                    .read_count(Count::Holders(line.sku), scan + 1, usize::MAX);
                return s
                    .stock
                    .holder_reach_km(line.sku, order.destination)
                    .unwrap_or(f64::INFINITY);
            }
            s.stock.read_count(Count::Holders(line.sku), 0, scan);
            s.stock
                .holdings(line.sku)
                .filter(|&(_, units)| units >= line.qty)
                .inspect(|&(n, _)| s.stock.read_at(n))
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
        let floors = LineFloors::compute_all(self);
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
