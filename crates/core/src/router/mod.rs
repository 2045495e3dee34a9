//! The router: the exact best shipments for one order (DESIGN §4).
//!
//! 1. **Candidates.** When the order's SKUs are held by few nodes (their posting lists add up to at
//!    most [`POSTING_LIMIT`]), every holder is a candidate, nearest first. Otherwise in two
//!    phases. First the nodes that hold enough of every line to ship the order alone (an AND of
//!    the SKUs' holder bitmaps, or a pass over the shortest posting list), nearest first, until one
//!    shipment from further away would cost more than the best found. Then every other node
//!    nearest-first from the spatial index, but only while a *partial* shipment could still pay
//!    (its cost plus the least the lines it leaves can cost: another shipment when the split
//!    rules allow one, or the cheapest unfilled line), for up to [`WALK_LIMIT`] nodes before the
//!    remaining holders come from the posting lists. The scan stops once the cheapest shipment
//!    any further node could make (smallest fixed + priority cost, plus the smallest per-km cost ×
//!    distance), added to the cheapest way the nodes seen can handle the other lines, exceeds the
//!    best complete solution. Every shipment costs at least that bound and no other term is
//!    negative, so no unvisited node can be part of a better (or equally good) solution, and a
//!    node holding none of the order's SKUs cannot ship anything: the result is the same as
//!    scanning every node. When that bound needs the lines' own costs, one pass over each line's
//!    posting list gives its cheapest handling and margin and its furthest holder among the
//!    holders with enough stock that may ship it at all (active, allowed, capacity left, within
//!    their own reach and, for a hard deadline, their promise group's reach); and once the full
//!    holders are weighed, covering every line from nodes still to come takes two shipments.
//!    The same floors narrow what a further node must hold to help at all: every line that
//!    would cost more elsewhere than the best leaves room for ([`Walk::required`]), and some line
//!    outside what an already priced, cheaper node could ship instead ([`dominance`]); once that
//!    narrows the posting lists below the order's, the walk hands over to them (read again each
//!    time they halve), limited to the distance where a partial shipment stops paying. Lines no
//!    node may ship are unfilled in every solution, so their cost is added to every bound.
//! 2. **Filters** (hard rules) record a [`Reason`] per rejected node.
//! 3. **Promise** per node from the order's `created_at` (or the reference time). When neither the
//!    order (`promised_by`) nor its level sets a deadline, the date cannot filter or price a node,
//!    so it is computed for the chosen nodes only.
//! 4. **Choose** with [`choose`]: exact up to [`EXACT_MAX_LINES`] lines.
//! 5. **Explain**: every considered node with its cost or its reason.
//!
//! Costs assume non-negative policy terms (the policy reader rejects negative costs); a negative
//! node priority with a positive `priority_step_cents` is allowed and lowers the bound. Every
//! money term is clamped to `0..=MAX_MONEY_CENTS` (and per-km cost, margin and priority to their
//! limits) when the terms are resolved, and orders beyond [`crate::order_within_limits`] are
//! refused, so no cost of an order can overflow (see `limits.rs`).

mod batch;
#[cfg(test)]
mod big_order_tests;
mod candidate;
mod choose;
mod cost;
mod decision;
mod dominance;
mod greedy;
mod line_set;
mod optimise;
mod reason;
mod reroute;
#[cfg(test)]
mod reroute_tests;
mod reserve;
mod stock;
mod terms;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod version_tests;

pub use batch::{Plan, PlanTotals};
pub use choose::EXACT_MAX_LINES;
pub use cost::{distance_cents, margin_cents, CostBreakdown};
pub use decision::{Candidate, CandidateOutcome, Decision, Shipment, UnfilledLine};
pub use line_set::LineSet;
pub use optimise::{Mode, OptimiseOptions, OptimisePhase, OptimiseProgress, ALTERNATIVES};
pub use reason::Reason;
pub use reroute::{Event, RerouteError, Rerouted};
pub use stock::{Load, StockTable};

use crate::index::NearestChord;
use crate::versions::{later_start, version_for};
use crate::{Network, NodeIdx, Order, Policy, PolicyVersions};
use candidate::{evaluate, may_ship, stock_lines, OrderCtx, Viable};
use choose::{Pick, Problem, Solver};
use dominance::Dominators;
use jiff::Timestamp;
use std::sync::Arc;
use terms::{NetworkTerms, OrderTerms};

/// When the order's SKUs' posting lists add up to at most this many entries, the holders are the
/// candidates; beyond it the router walks the spatial index nearest-first.
pub const POSTING_LIMIT: usize = 256;

/// The nearest-first walk visits at least this many nodes (and up to half the order's posting
/// size); if the cost bound has not closed by then, the remaining candidates come from the posting
/// lists: only the nodes that hold every line when partial nodes are priced out, else every holder.
pub const WALK_LIMIT: usize = 48;

/// The walk goes on for up to the order's posting size divided by this (when more than
/// [`WALK_LIMIT`]): past that, reading the posting lists is cheaper than walking every node. It
/// also hands over early once the nodes that may still help (see [`Walk::narrowed`]) have fewer
/// posting entries than the order's divided by this.
const WALK_DIVISOR: usize = 4;

/// A line whose SKU is held by at most this many nodes has its holders scanned up front, so the
/// router knows how far away the line can still be shipped from; longer lists use the SKU's cap.
pub(crate) const LINE_SCAN_LIMIT: usize = 16;

/// Routes orders over one network under one policy, or under [`PolicyVersions`] (each order
/// under the version of its `created_at`, see [`Router::versioned`]). Cheap to share across
/// threads.
///
/// ```
/// # use omniroute_core::*;
/// let mut skus = Skus::default();
/// let tee = skus.intern("TEE");
/// let net = Network::new(vec![
///     Node::new("W1", NodeKind::Warehouse, LatLng::new(28.61, 77.21)?),
///     Node::new("S1", NodeKind::Store, LatLng::new(28.50, 77.10)?),
/// ])?;
/// let policy = Policy::default();
/// let router = Router::new(net.clone(), policy.clone());
/// let stock = StockTable::from_positions([(NodeIdx(0), tee, 10), (NodeIdx(1), tee, 1)]);
/// let order = Order::new("O1", LatLng::new(28.52, 77.12)?, vec![OrderLine {
///     line_no: 1, sku: tee, qty: 1, unit_price_cents: None,
/// }]);
/// let now = "2026-11-26T04:00:00Z".parse()?;
/// let decision = router.route(&order, &stock, &Load::default(), now);
/// assert_eq!(decision.shipments[0].node, NodeIdx(1)); // the nearer store
/// assert!(decision.is_complete());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Router {
    network: Arc<Network>,
    policy: Arc<Policy>,
    terms: NetworkTerms,
    /// [`POSTING_LIMIT`], [`WALK_LIMIT`], the divisor of the posting size that extends the walk,
    /// and `LINE_SCAN_LIMIT`; tests change them to exercise every path.
    limits: (usize, usize, usize, usize),
    /// Route batches across rayon's threads (results do not depend on it).
    parallel: bool,
    /// A versioned router's versions after the earliest (empty for one policy): `self` routes
    /// the orders of the earliest and `later[k - 1]`, a one-version router over the same network,
    /// those of version `k` (which starts at its policy's `effective_from`).
    later: Vec<Router>,
}

impl Router {
    /// Prepares a router: resolves every node's terms under the policy once. The router owns (or
    /// shares, through the `Arc`s) the network and the policy, so it can be built once and kept
    /// (a service, a binding) and shared across threads.
    pub fn new(network: impl Into<Arc<Network>>, policy: impl Into<Arc<Policy>>) -> Self {
        let (network, policy) = (network.into(), policy.into());
        Self {
            terms: NetworkTerms::new(&network, &policy),
            network,
            policy,
            limits: (POSTING_LIMIT, WALK_LIMIT, WALK_DIVISOR, LINE_SCAN_LIMIT),
            parallel: true,
            later: Vec::new(),
        }
    }

    /// Prepares a router over policy versions: every order (in [`Router::route`], batches,
    /// optimise mode, [`Router::reroute`] and reservations) is routed under the version that
    /// applies at its `created_at`, or at the reference time `now` when it has none
    /// ([`PolicyVersions::index_for`]), exactly as `Router::new(network, that_version)` would
    /// route it. An order created before every version's `effective_from` is routed under the
    /// earliest version (this cannot fail; the CLI and the Python package reject such an order
    /// before routing). Batch-wide resources (safety stock in [`Router::stock_table`], node
    /// capacities) are the same in every version by construction.
    ///
    /// ```
    /// # use omniroute_core::*;
    /// let mut skus = Skus::default();
    /// let (tee, cap) = (skus.intern("TEE"), skus.intern("CAP"));
    /// let net = Network::new(vec![
    ///     Node::new("S1", NodeKind::Store, LatLng::new(28.50, 77.10)?),
    ///     Node::new("S2", NodeKind::Store, LatLng::new(28.52, 77.14)?),
    ///     Node::new("W1", NodeKind::Warehouse, LatLng::new(19.07, 72.88)?), // ~1,150 km away
    /// ])?;
    /// // From March, a shipment after the first costs 5,000 cents more.
    /// let mut march = Policy::default();
    /// march.effective_from = Some("2026-03-01T00:00:00Z".parse()?);
    /// march.costs.split_penalty_cents = 5_000;
    /// let versions = PolicyVersions::new(vec![Policy::default(), march])?;
    /// let router = Router::versioned(net.clone(), &versions);
    /// let stock = StockTable::from_positions([
    ///     (NodeIdx(0), tee, 1), (NodeIdx(1), cap, 1), (NodeIdx(2), tee, 1), (NodeIdx(2), cap, 1),
    /// ]);
    /// let line = |line_no, sku| OrderLine { line_no, sku, qty: 1, unit_price_cents: None };
    /// let mut order = Order::new("O1", LatLng::new(28.51, 77.12)?, vec![line(1, tee), line(2, cap)]);
    /// order.created_at = Some("2026-02-28T10:00:00Z".parse()?);
    /// let now = "2026-03-02T00:00:00Z".parse()?;
    /// let february = router.route(&order, &stock, &Load::default(), now);
    /// assert_eq!(february.shipments.len(), 2); // the two near stores
    /// order.created_at = Some("2026-03-01T10:00:00Z".parse()?);
    /// let in_march = router.route(&order, &stock, &Load::default(), now);
    /// assert_eq!(in_march.shipments.len(), 1); // the far warehouse ships both lines
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn versioned(network: impl Into<Arc<Network>>, versions: &PolicyVersions) -> Self {
        let network = network.into();
        let mut router = Self::new(Arc::clone(&network), versions.earliest().clone());
        router.later = versions
            .iter()
            .skip(1)
            .map(|p| Self::new(Arc::clone(&network), p.clone()))
            .collect();
        router
    }

    /// The router of the version that routes `order` (`self` for one policy). Every per-order
    /// entry point is one line, `self.version(order, now).<body>(..)`, whose body routes under
    /// its own router's policy and so knows nothing of versions.
    #[inline]
    fn version(&self, order: &Order, now: Timestamp) -> &Self {
        match version_for(&self.later, |r| later_start(&r.policy), order, now) {
            0 => self,
            k => &self.later[k - 1],
        }
    }

    /// The policy `order` is routed under: the version of its `created_at` (or `now`) for a
    /// versioned router, else the one policy.
    pub fn policy_for(&self, order: &Order, now: Timestamp) -> &Policy {
        &self.version(order, now).policy
    }

    /// Turns batch parallelism on or off (on by default). Plans are identical either way; off
    /// routes on the calling thread only.
    #[must_use]
    pub fn parallel(mut self, on: bool) -> Self {
        self.parallel = on;
        self
    }

    /// True when the node has a daily capacity in units or shipments (the same in every version).
    pub(crate) fn capacity_limited(&self, node: NodeIdx) -> bool {
        let t = &self.terms.nodes[node.0 as usize];
        t.capacity_units.is_some() || t.capacity_shipments.is_some()
    }

    /// The same router with other candidate-gathering limits (the result must not change):
    /// [`POSTING_LIMIT`], [`WALK_LIMIT`] and [`WALK_DIVISOR`].
    #[cfg(test)]
    pub(crate) fn with_limits(mut self, posting: usize, walk: usize, divisor: usize) -> Self {
        self.limits = (posting, walk, divisor, 0);
        self.later = std::mem::take(&mut self.later)
            .into_iter()
            .map(|r| r.with_limits(posting, walk, divisor))
            .collect();
        self
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The shared network, for a caller that keeps it beside the router.
    pub fn network_arc(&self) -> &Arc<Network> {
        &self.network
    }

    /// The policy (the earliest version of a versioned router; see [`Router::policy_for`]).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Builds the stock table the router routes against from `(node, sku, routable)` positions,
    /// holding back the policy's routing-only safety stock per node kind (the same in every
    /// version).
    pub fn stock_table(
        &self,
        positions: impl IntoIterator<Item = (NodeIdx, crate::SkuId, u32)>,
    ) -> StockTable {
        let mut table = StockTable::from_positions(positions.into_iter().map(|(n, s, q)| {
            let held = self.terms.nodes[n.0 as usize].safety_stock;
            (n, s, q.saturating_sub(held))
        }));
        let index = self.network.index();
        table.bound_holders(|n| index.location(n), stock::DENSE_MIN_HOLDERS);
        table
    }

    /// Routes one order against `stock` and the capacity already used in `load`. `now` is the
    /// reference time for orders without `created_at`. Pure: nothing is reserved.
    ///
    /// # Panics
    ///
    /// When the order is beyond the input limits ([`crate::order_within_limits`]: more than
    /// [`crate::MAX_ORDER_UNITS`] units, or a unit price outside `0..=MAX_MONEY_CENTS`), whose
    /// costs the router could not add up exactly. The orders reader rejects such orders.
    pub fn route(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
    ) -> Decision {
        self.route_priced(order, stock, load, now, None)
    }

    /// [`Router::route`] with Lagrangian prices added to what each shipment uses (optimise
    /// mode's pricing step). The decision's cost is still the real cost.
    pub(crate) fn route_priced(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
    ) -> Decision {
        assert!(
            crate::order_within_limits(order),
            "order {} is beyond the input limits (MAX_ORDER_UNITS, MAX_MONEY_CENTS)",
            order.id
        );
        self.version(order, now)
            .route_under(order, stock, load, now, prices)
    }

    /// [`Router::route_priced`] under `self`'s own policy, whatever the order's version: the
    /// caller has already picked the router of that version ([`Router::version`]).
    fn route_under(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
    ) -> Decision {
        self.with_walk(order, stock, load, now, prices, |mut walk, rules| {
            if !order.lines.is_empty() {
                walk.run();
            }
            walk.finish(rules)
        })
    }

    /// A lower bound on the cost of every decision for `order` against `stock` and `load`
    /// (prices, being non-negative, only add to it): optimise mode's bound for an order the
    /// router does not route exactly (more than [`EXACT_MAX_LINES`] lines). Each line costs at
    /// least the cheaper of its unfilled cost and its cheapest handling and margin at a node
    /// that may ship it; shipping anything costs at least one shipment from the nearest such
    /// node; shipping nothing costs every line's unfilled cost.
    pub(crate) fn floor_cents(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
    ) -> i64 {
        self.version(order, now)
            .with_walk(order, stock, load, now, None, |mut walk, _| {
                walk.floor_cents()
            })
    }

    /// Prepares the search for `order` and hands it to `f` with the policy rules that apply.
    fn with_walk<T>(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
        f: impl FnOnce(Walk<'_>, Vec<String>) -> T,
    ) -> T {
        let terms = OrderTerms::resolve(order, &self.policy);
        let lines = order.lines.len();
        let unfilled_cents: Vec<i64> = order
            .lines
            .iter()
            .map(|l| terms.unfilled_per_unit_cents * i64::from(l.qty))
            .collect();
        let sku_groups = sku_groups(order);
        // What the lines a partial shipment leaves cost at least: another shipment (when the
        // split rules allow one) or leaving the cheapest line unfilled (unless ship-complete).
        let another = if terms.max_shipments >= 2 {
            self.terms
                .min_base_cents
                .saturating_add(terms.split_penalty_cents)
        } else {
            choose::INF
        };
        let leave = if terms.ship_complete {
            choose::INF
        } else {
            unfilled_cents.iter().copied().min().unwrap_or(0)
        };
        let partial_extra = another.min(leave).max(0);
        let problem = Problem {
            units: order.lines.iter().map(|l| l.qty).collect(),
            sku_groups: sku_groups.iter().map(|(m, _)| m.clone()).collect(),
            unfilled_cents,
            max_shipments: terms.max_shipments,
            ship_complete: terms.ship_complete,
            split_penalty_cents: terms.split_penalty_cents,
        };
        let rules = terms.rules.clone();
        // Dominance needs whole-order merges to stay feasible and costs that only add up.
        let dominance = sku_groups.is_empty() && self.terms.min_base_cents >= 0;
        let total_units: u64 = order.lines.iter().map(|l| u64::from(l.qty)).sum();
        let ctx = OrderCtx {
            order,
            terms,
            created_at: order.created_at.unwrap_or(now),
            units: order.lines.iter().map(|l| l.qty).collect(),
        };
        let mut walk = Walk {
            router: self,
            prices,
            ctx: &ctx,
            stock,
            load,
            solver: Solver::new(problem),
            viables: Vec::new(),
            candidates: Vec::new(),
            line_cents: vec![0; lines],
            group_stock: vec![0; sku_groups.len()],
            sku_groups,
            full: LineSet::full(lines),
            line_reach_km: Vec::new(),
            reach_limit_km: f64::INFINITY,
            group_reach_chord2: Vec::new(),
            partial_extra_cents: partial_extra,
            line_min_cents: vec![0; lines],
            line_cover_cents: vec![0; lines],
            sunk_cents: 0,
            qualified: Vec::new(),
            nearest: Vec::new(),
            dominators: Dominators::new(lines),
            dominance: dominance.then_some(total_units),
            near_km: f64::INFINITY,
            sharpened: false,
            partial_only: false,
        };
        if lines > 0 {
            let groups_km;
            (walk.reach_limit_km, groups_km) = walk.reach_limit();
            walk.group_reach_chord2 = groups_km
                .iter()
                .map(|&km| {
                    if km < 0.0 {
                        -1.0
                    } else {
                        crate::index::ChordSlack::chord2_upper_bound(km)
                    }
                })
                .collect();
            walk.line_reach_km = walk.line_reach();
        }
        f(walk, rules)
    }

    fn line_cents(&self, node: NodeIdx, order: &Order, out: &mut [i64]) {
        let t = &self.terms.nodes[node.0 as usize];
        for (slot, line) in out.iter_mut().zip(&order.lines) {
            *slot = t.per_unit_cents * i64::from(line.qty)
                + margin_cents(t.margin_bps, line.value_cents());
        }
    }
}

/// Prices (cents per unit) on (node, SKU) stock, node units and node shipments: the Lagrangian
/// multipliers of optimise mode. Non-negative, so every bound of the candidate scan still holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prices {
    pub stock: rustc_hash::FxHashMap<(NodeIdx, crate::SkuId), i64>,
    pub units: rustc_hash::FxHashMap<NodeIdx, i64>,
    pub shipments: rustc_hash::FxHashMap<NodeIdx, i64>,
}

impl Prices {
    /// What a decision pays in prices.
    pub(crate) fn of(&self, order: &Order, d: &Decision) -> i64 {
        d.shipments
            .iter()
            .map(|s| {
                self.shipments.get(&s.node).copied().unwrap_or(0)
                    + s.lines
                        .iter()
                        .map(|&l| {
                            let line = &order.lines[l];
                            (self.stock.get(&(s.node, line.sku)).copied().unwrap_or(0)
                                + self.units.get(&s.node).copied().unwrap_or(0))
                                * i64::from(line.qty)
                        })
                        .sum::<i64>()
            })
            .sum()
    }
}

struct Walk<'r> {
    router: &'r Router,
    prices: Option<&'r Prices>,
    ctx: &'r OrderCtx<'r>,
    stock: &'r StockTable,
    load: &'r Load,
    solver: Solver,
    viables: Vec<Viable>,
    candidates: Vec<Candidate>,
    line_cents: Vec<i64>,
    /// Lines sharing a SKU: (lines, SKU), and scratch for a node's stock of each.
    sku_groups: Vec<(LineSet, crate::SkuId)>,
    group_stock: Vec<u32>,
    /// Every line of the order.
    full: LineSet,
    /// Per line, see [`Walk::line_reach`].
    line_reach_km: Vec<f64>,
    /// See [`Walk::reach_limit`].
    reach_limit_km: f64,
    /// Per promise group, the largest squared chord (as the index computes it) of a destination
    /// it can serve by a hard deadline, -1 when none (empty without a hard deadline).
    group_reach_chord2: Vec<f64>,
    /// What the lines a partial shipment leaves cost at least: another shipment's base (plus the
    /// split penalty) when allowed, or the cheapest line's unfilled cost unless ship-complete
    /// (never below zero).
    partial_extra_cents: i64,
    /// Per line, a lower bound on its handling and margin at any node that holds enough of it
    /// and may ship it ([`may_ship`]; `choose::INF` when none does); zeros until
    /// [`Walk::sharpen`] computes it.
    line_min_cents: Vec<i64>,
    /// Per line, the least that *not* shipping it from a given node adds to a solution that uses
    /// that node: leaving it unfilled (unless ship-complete), or another shipment that carries it
    /// from at least as far as its nearest holder that may ship it. Zeros until
    /// [`Walk::sharpen`]. See [`Walk::required`].
    line_cover_cents: Vec<i64>,
    /// Per line, the holders that may ship it (see [`Walk::sharpen`]) with their squared chord
    /// to the destination, ascending by node; empty until then.
    qualified: Vec<Vec<(NodeIdx, f64)>>,
    /// Per line, its nearest holder with enough units (for its unfilled reason), as
    /// [`Walk::sharpen`] met them; empty until then.
    nearest: Vec<NearestChord>,
    /// What every solution pays for lines no node may ship (unfilled); 0 until
    /// [`Walk::sharpen`], and under ship-complete. Excluded from `line_cover_cents`.
    sunk_cents: i64,
    /// Priced nodes that may dominate later ones ([`dominance`]).
    dominators: Dominators,
    /// The order's units when dominance applies to this order (else `None`).
    dominance: Option<u64>,
    /// The distance of the nearest holder that may ship some line (a lower bound, km; infinite
    /// when none may); unset until [`Walk::sharpen`].
    near_km: f64,
    sharpened: bool,
    /// No node still to come can ship every line alone, or none that can could beat the best
    /// (set once phase 1 has weighed the full holders).
    partial_only: bool,
}

/// What a node at some distance or further must hold to help ([`Walk::narrowed`]).
struct Narrowed {
    /// Every line of [`Walk::required`].
    required: LineSet,
    /// Some line of [`Walk::useful`].
    useful: LineSet,
    /// About how many posting entries such nodes have.
    postings: usize,
}

/// Each SKU of the lines in `lines` once, with the most units one of those lines asks for: a
/// node holding that much of every SKU can ship those lines (as far as stock goes).
fn needs(order: &Order, lines: &LineSet) -> Vec<(crate::SkuId, u32)> {
    let mut needs: Vec<(crate::SkuId, u32)> = Vec::new();
    for line in lines.iter().map(|i| &order.lines[i]) {
        match needs.iter_mut().find(|(s, _)| *s == line.sku) {
            Some((_, q)) => *q = (*q).max(line.qty),
            None => needs.push((line.sku, line.qty)),
        }
    }
    needs
}

/// Groups of two or more lines that order the same SKU.
fn sku_groups(order: &Order) -> Vec<(LineSet, crate::SkuId)> {
    let mut groups: Vec<(LineSet, crate::SkuId)> = Vec::new();
    for (i, line) in order.lines.iter().enumerate() {
        match groups.iter_mut().find(|(_, s)| *s == line.sku) {
            Some((m, _)) => m.insert(i),
            None => groups.push((LineSet::from_iter([i]), line.sku)),
        }
    }
    groups.retain(|(m, _)| m.len() > 1);
    groups
}

impl Walk<'_> {
    fn run(&mut self) {
        let order = self.ctx.order;
        let every = needs(order, &self.full);
        let posting: usize = every
            .iter()
            .map(|&(s, _)| self.stock.holders(s).len())
            .sum();
        let (posting_limit, walk_limit, divisor, _) = self.router.limits;
        if posting <= posting_limit {
            // Sparse SKUs: every holder is a candidate, nearest first.
            let mut nodes = Vec::new();
            self.stock.any_holders(&every, &mut nodes);
            self.consider_by_distance(&nodes, false);
            return;
        }
        // Phase 1: nodes that can ship every line alone, nearest first, until one shipment from
        // further away costs more than the best found.
        let mut full = Vec::new();
        self.stock.full_holders(&every, &mut full);
        self.consider_by_distance(&full, true);
        self.partial_only = true;
        // Phase 2: every other node nearest first, while a partial shipment could still pay
        // (full holders that phase 1 did not reach cannot beat the best at all). Walk while
        // walking is cheaper than reading every posting list.
        if self.partial_pruned(0.0) || self.beyond_bound(0.0) {
            return; // both only grow with the distance
        }
        let limit = walk_limit.max(posting / divisor);
        let index = self.router.network.index();
        let mut visited: Vec<NodeIdx> = Vec::new();
        for (n, km) in index.nearest(order.destination) {
            if self.beyond_bound(km) || self.partial_pruned(km) {
                return;
            }
            if visited.len() == limit || self.narrowed(km).postings < posting / divisor {
                // Read the rest from the posting lists rather than walk every node.
                self.consider_holders(visited, &full, km);
                return;
            }
            if full.binary_search(&n).is_err() {
                self.consider(n, km);
            }
            visited.push(n);
        }
    }

    /// What a node at `km` or further must hold to help (see [`Narrowed`]).
    fn narrowed(&self, km: f64) -> Narrowed {
        let required = self.required(km);
        let (useful, size) = self.useful(km);
        let shortest = required
            .iter()
            .map(|l| self.line_holders(l))
            .min()
            .unwrap_or(usize::MAX);
        Narrowed {
            required,
            useful,
            postings: size.min(shortest),
        }
    }

    /// Phase 2 from the posting lists: the nodes not yet `seen` (nor `full`, weighed in phase 1)
    /// that hold what [`Walk::narrowed`] asks at `km`, nearest first, until the bounds close.
    /// Each node is still checked alone ([`Walk::consider_masked`]); when the bounds narrow the
    /// lists to half or less, they are read again.
    fn consider_holders(&mut self, mut seen: Vec<NodeIdx>, full: &[NodeIdx], mut km: f64) {
        let order = self.ctx.order;
        let index = self.router.network.index();
        loop {
            let narrowed = self.narrowed(km);
            if narrowed.required == self.full || narrowed.useful.is_empty() {
                return;
            }
            let size = narrowed.postings;
            let nodes = self.holder_set(&narrowed, &seen, full);
            let mut narrowed = false;
            for (n, k) in index.nearest_by_chord(order.destination, &nodes) {
                km = k;
                if self.beyond_bound(km) || self.partial_pruned(km) {
                    return;
                }
                let now = self.narrowed(km);
                if now.required == self.full || now.useful.is_empty() {
                    return;
                }
                if now.postings <= size / 2 {
                    narrowed = true;
                    break;
                }
                self.consider(n, km);
                seen.push(n);
            }
            if !narrowed {
                return;
            }
        }
    }

    /// The nodes that may ship every line of `required` and some line of `useful` (from the
    /// lists [`Walk::sharpen`] kept), except those `seen` or in `full`, within the distance where
    /// [`Walk::partial_pruned`] closes, with their squared chords.
    fn holder_set(
        &self,
        Narrowed {
            required, useful, ..
        }: &Narrowed,
        seen: &[NodeIdx],
        full: &[NodeIdx],
    ) -> Vec<(NodeIdx, f64)> {
        debug_assert!(self.sharpened);
        let r = self.router;
        // bound(km) = min_base + round(per_km × km) exceeds best - extra beyond this distance.
        let level = usize::from(self.ctx.order.service_level.0);
        let per_km = r.terms.min_per_km_cents[level];
        let slack = self.solver.best_cents() - self.partial_extra() - r.terms.min_base_cents;
        let mut radius = self.reach_limit_km;
        if per_km > 0.0 {
            radius = radius.min((slack as f64 + 1.0) / per_km * (1.0 + 1e-9) + 1e-6);
        }
        let max_chord2 = if radius.is_finite() {
            crate::index::ChordSlack::chord2_upper_bound(radius.max(0.0))
        } else {
            f64::INFINITY
        };
        let mut skip = vec![0u64; r.network.index().len().div_ceil(64)];
        for &n in seen.iter().chain(full) {
            skip[n.0 as usize / 64] |= 1 << (n.0 % 64);
        }
        let skipped = |skip: &[u64], n: NodeIdx| skip[n.0 as usize / 64] & (1 << (n.0 % 64)) != 0;
        let mut nodes: Vec<(NodeIdx, f64)> = Vec::new();
        if required.is_empty() {
            // The union of the useful lines' lists: each node once (its chord is the same in
            // every list), in no particular order (the caller orders them by chord).
            for l in useful.iter() {
                for &(n, chord2) in &self.qualified[l] {
                    if chord2 <= max_chord2 && !skipped(&skip, n) {
                        skip[n.0 as usize / 64] |= 1 << (n.0 % 64);
                        nodes.push((n, chord2));
                    }
                }
            }
        } else {
            let shortest = required
                .iter()
                .min_by_key(|&l| self.qualified[l].len())
                .expect("required is not empty");
            let ships = |l: usize, n: NodeIdx| {
                self.qualified[l]
                    .binary_search_by_key(&n, |&(m, _)| m)
                    .is_ok()
            };
            nodes.extend(self.qualified[shortest].iter().filter(|&&(n, chord2)| {
                chord2 <= max_chord2
                    && !skipped(&skip, n)
                    && required.iter().all(|l| ships(l, n))
                    && useful.iter().any(|l| ships(l, n))
            }));
        }
        nodes
    }

    /// Considers `nodes` nearest first until the bound closes: for nodes that can each ship
    /// every line (`whole`), until one shipment from further costs more than the best; else
    /// [`Walk::beyond_bound`], which needs every nearer node seen. Ties come by index.
    fn consider_by_distance(&mut self, nodes: &[NodeIdx], whole: bool) {
        let index = self.router.network.index();
        for (n, km) in index.nearest_among(self.ctx.order.destination, nodes) {
            let closed = if whole {
                km > self.reach_limit_km
                    || self.bound_cents(km) + self.sunk_cents > self.solver.best_cents()
            } else {
                (self.partial_only
                    && (self.partial_pruned(km)
                        || self.required(km) == self.full
                        || self.useful(km).0.is_empty()))
                    || self.beyond_bound(km)
            };
            if closed {
                break;
            }
            if whole {
                self.consider_masked(n, km, self.full.clone());
            } else {
                self.consider(n, km);
            }
        }
    }

    /// True when a node at `km` or further that cannot ship every line alone cannot be part of
    /// a solution as good as the best: such a node's shipment costs at least the bound, and the
    /// lines it leaves cost at least `partial_extra_cents` more (another shipment, or unfilled).
    fn partial_pruned(&self, km: f64) -> bool {
        self.bound_cents(km) + self.partial_extra() > self.solver.best_cents()
    }

    /// What the lines a partial shipment leaves cost at least: `partial_extra_cents`, or the
    /// lines no node may ship ([`Walk::sunk_cents`]), whichever is more.
    fn partial_extra(&self) -> i64 {
        self.partial_extra_cents.max(self.sunk_cents)
    }

    /// Lines that a node at `km` or further must hold to be part of a solution as good as the
    /// best. A solution using such a node that does not ship line `l` from it costs at least the
    /// node's shipment (the one-shipment bound) plus what line `l` costs elsewhere
    /// ([`Walk::line_cover_cents`]); the node's other lines and every other term are
    /// non-negative. Only grows with the distance and as the best improves.
    fn required(&self, km: f64) -> LineSet {
        let over = self.solver.best_cents() - self.bound_cents(km) - self.sunk_cents;
        self.line_cover_cents
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > over)
            .map(|(i, _)| i)
            .collect()
    }

    /// True when a priced node dominates `node` at `km` for the lines of `mask` (see
    /// [`dominance`]): `node`'s own fixed, priority, distance and line costs are its floor.
    fn dominated(&self, node: NodeIdx, km: f64, mask: &LineSet) -> bool {
        if self.dominance.is_none() {
            return false;
        }
        let t = &self.router.terms.nodes[node.0 as usize];
        let level = usize::from(self.ctx.order.service_level.0);
        let base = t.base_cents() + distance_cents(t.per_km_cents[level], km);
        let lines = &self.ctx.order.lines;
        self.dominators.dominates(mask, base, |l| {
            t.per_unit_cents * i64::from(lines[l].qty)
                + margin_cents(t.margin_bps, lines[l].value_cents())
        })
    }

    /// Lines of which a node at `km` or further must ship at least one to be part of a solution
    /// as good as the best, and how many posting entries hold one of them: a dominator cheaper
    /// than any such node's floor (the one-shipment bound and each line's
    /// [`Walk::line_min_cents`]) dominates every node shipping only its lines. Of several such
    /// dominators, the one that leaves the shortest lists.
    fn useful(&self, km: f64) -> (LineSet, usize) {
        let size = |m: &LineSet| -> usize { m.iter().map(|l| self.line_holders(l)).sum() };
        if self.dominance.is_none() || !self.sharpened {
            return (self.full.clone(), size(&self.full));
        }
        self.dominators
            .below(self.bound_cents(km), &self.line_min_cents)
            .map(|m| self.full.difference(m))
            .chain([self.full.clone()])
            .map(|m| {
                let s = size(&m);
                (m, s)
            })
            .min_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)))
            .expect("full is a candidate")
    }

    /// How many nodes might ship line `l`: those [`Walk::sharpen`] kept, else its SKU's holders.
    fn line_holders(&self, l: usize) -> usize {
        match self.qualified.get(l) {
            Some(q) => q.len(),
            None => self.stock.holders(self.ctx.order.lines[l].sku).len(),
        }
    }

    /// See [`Router::floor_cents`].
    fn floor_cents(&mut self) -> i64 {
        if self.ctx.order.lines.is_empty() {
            return 0;
        }
        if !self.sharpened {
            self.sharpen();
        }
        let terms = &self.ctx.terms;
        let unfilled =
            |l: usize| terms.unfilled_per_unit_cents * i64::from(self.ctx.order.lines[l].qty);
        let lines = self.ctx.order.lines.len();
        let nothing: i64 = (0..lines).map(unfilled).sum();
        let each: i64 = (0..lines)
            .map(|l| {
                let leave = if terms.ship_complete {
                    choose::INF
                } else {
                    unfilled(l)
                };
                self.line_min_cents[l].min(leave)
            })
            .fold(0, |a, c| a.saturating_add(c).min(choose::INF));
        let min_base = self.router.terms.min_base_cents;
        let shipments = if min_base < 0 {
            // With a negative base, every allowed shipment may lower the cost.
            min_base * terms.max_shipments.min(lines) as i64
        } else if self.near_km.is_finite() {
            self.bound_cents(self.near_km)
        } else {
            choose::INF
        };
        nothing.min(shipments.saturating_add(each))
    }

    fn bound_cents(&self, km: f64) -> i64 {
        let t = &self.router.terms;
        let level = usize::from(self.ctx.order.service_level.0);
        t.min_base_cents + distance_cents(t.min_per_km_cents[level], km)
    }

    /// How far any node can serve this order: the level's reach limit, and for a hard deadline
    /// the furthest distance whose transit still meets it from some group of nodes that promise
    /// alike (zone, cut-off, handling, calendar). `-1` when no node can meet the deadline. For a
    /// hard deadline, also each group's own limit (else empty).
    fn reach_limit(&self) -> (f64, Vec<f64>) {
        let order = self.ctx.order;
        let r = self.router;
        let level = usize::from(order.service_level.0);
        let terms = r.policy.level(order.service_level);
        let limit = r.terms.max_reach_km[level];
        if self.ctx.terms.sla != crate::Sla::Hard
            || (order.promised_by.is_none() && terms.deadline_days.is_none())
        {
            return (limit, Vec::new());
        }
        let groups: Vec<f64> = r
            .terms
            .profiles
            .iter()
            .map(|p| {
                if p.max_reach_km[level] <= 0.0 {
                    return -1.0;
                }
                let node = r.network.node(p.node);
                let pn = crate::PromiseNode {
                    timezone: &node.timezone,
                    cutoff_local: p.cutoff_local,
                    handling_days: p.handling_days,
                    calendar: &node.calendar,
                };
                let Some(promise) = crate::promise(&pn, self.ctx.created_at, 0) else {
                    return -1.0;
                };
                let deadline = order.promised_by.or_else(|| {
                    terms.deadline_days.map(|d| {
                        crate::order_date(self.ctx.created_at, &node.timezone)
                            + jiff::Span::new().days(i64::from(d))
                    })
                });
                let Some(deadline) = deadline else {
                    return -1.0;
                };
                let slack = (deadline - promise.ships_on).get_days();
                let feasible_km = terms
                    .transit
                    .iter()
                    .filter(|b| i64::from(b.days) <= i64::from(slack))
                    .map(|b| b.max_km)
                    .fold(-1.0, f64::max);
                p.max_reach_km[level].min(feasible_km)
            })
            .collect();
        let reach = groups.iter().copied().fold(-1.0f64, f64::max);
        (reach.min(limit), groups)
    }

    /// True when no node at `km` or further can be part of a solution as good as the best, or
    /// serve the order at all.
    ///
    /// Three tests, each enough alone: (1) `km` is beyond [`Walk::reach_limit`]; (2) one shipment from there costs more than the best; (3) the open lines (those a
    /// node at `km` or further might still ship, see [`Walk::open_lines`]) are B; any solution
    /// using such nodes costs at least one such shipment plus the cheapest handling of the other
    /// lines by the nodes already seen ([`Solver::rest_bound_cents`]), and that exceeds the best.
    fn beyond_bound(&mut self, km: f64) -> bool {
        if km > self.reach_limit_km {
            return true;
        }
        let bound = self.bound_cents(km);
        let best = self.solver.best_cents();
        if bound + self.sunk_cents > best {
            return true;
        }
        if !self.sharpened {
            self.sharpen();
        }
        let open = self.open_lines(km);
        if open.is_empty() {
            return true;
        }
        bound >= 0
            && self
                .solver
                .rest_bound_cents(&open, &self.line_min_cents, bound, self.partial_only)
                > best
    }

    /// One pass over each line's posting list. Over the holders with enough units: the nearest
    /// ([`Walk::nearest`], for an unfilled reason). Over those that may also ship it (reach,
    /// deadline, capacity, restrictions): [`Walk::line_min_cents`] (the cheapest handling and
    /// margin), [`Walk::line_reach_km`] (the furthest), [`Walk::line_cover_cents`] (from the
    /// nearest) and [`Walk::qualified`]; a line with none adds its unfilled cost to
    /// [`Walk::sunk_cents`].
    fn sharpen(&mut self) {
        self.sharpened = true;
        let r = self.router;
        let nodes = &r.terms.nodes;
        let index = r.network.index();
        let dest = self.ctx.order.destination.unit_vector();
        let level = usize::from(self.ctx.order.service_level.0);
        let levels = r.policy.levels.len();
        // Unless the order restricts nodes, an offering node may ship when it has room.
        let restricted =
            self.ctx.terms.allowed_kinds.is_some() || !self.ctx.order.excluded.is_empty();
        // Without node restrictions, deadline groups or capacity used, a holder in reach ships
        // when its capacities allow one shipment of the line.
        let plain = !restricted && self.group_reach_chord2.is_empty() && self.load.is_empty();
        // The order's own reach limit (the level's transit bands, a hard deadline).
        let limit_chord2 = if self.reach_limit_km < 0.0 {
            -1.0
        } else {
            crate::index::ChordSlack::chord2_upper_bound(self.reach_limit_km)
        };
        for (l, line) in self.ctx.order.lines.iter().enumerate() {
            // Over the holders that may ship the line at all and have the destination within
            // their reach: the least handling and the extreme margin rates apart (a lower bound
            // without a division per holder: the margin is monotone in the rate), and the
            // furthest such holder.
            let mut per_unit = i64::MAX;
            let (mut low, mut high) = (u32::MAX, 0);
            let (mut far_chord2, mut near_chord2) = (-1.0f64, f64::INFINITY);
            let mut nearest = NearestChord::default();
            let (holders, held) = self.stock.posting(line.sku);
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
                        may_ship(&nodes[n.0 as usize], self.ctx, self.load, n, line.qty)
                    } else {
                        t.capacity.has_room(self.load, n, line.qty)
                    }) && self
                        .group_reach_chord2
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
            self.qualified.push(qualified);
            self.nearest.push(nearest);
            let value = line.value_cents();
            let terms = &self.ctx.terms;
            let leave = if terms.ship_complete {
                choose::INF
            } else {
                terms.unfilled_per_unit_cents * i64::from(line.qty)
            };
            let mut elsewhere = choose::INF;
            if per_unit == i64::MAX {
                self.line_min_cents[l] = choose::INF;
                self.line_reach_km[l] = -1.0;
                if !terms.ship_complete {
                    // Unfilled in every solution.
                    self.sunk_cents += leave;
                    continue;
                }
            } else {
                self.line_min_cents[l] = per_unit * i64::from(line.qty)
                    + margin_cents(low, value).min(margin_cents(high, value));
                let far = crate::index::ChordSlack::km_upper_bound(far_chord2);
                self.line_reach_km[l] = self.line_reach_km[l].min(far);
                let near = crate::index::ChordSlack::km_lower_bound(near_chord2).max(0.0);
                self.near_km = self.near_km.min(near);
                if terms.max_shipments >= 2 && r.terms.min_base_cents >= 0 {
                    elsewhere = r.terms.min_base_cents
                        + terms.split_penalty_cents
                        + distance_cents(r.terms.min_per_km_cents[level], near)
                        + self.line_min_cents[l];
                }
            }
            // With a negative shipment base, more shipments can cost less: no cover then.
            self.line_cover_cents[l] = if r.terms.min_base_cents >= 0 {
                leave.min(elsewhere)
            } else {
                0
            };
        }
    }

    /// Lines that a node at `km` or further might still ship: a line whose SKU has a short
    /// posting list is open while some holder with enough stock, within its own reach, lies at
    /// `km` or further; lines with long posting lists are always open.
    fn open_lines(&self, km: f64) -> LineSet {
        self.line_reach_km
            .iter()
            .enumerate()
            .filter(|(_, &last)| last >= km)
            .map(|(i, _)| i)
            .collect()
    }

    /// Per line: the distance of the furthest holder that might ship it (`-1` when none can):
    /// scanned for short posting lists, else bounded by the SKU's holder cap (`INFINITY` when
    /// none is known).
    fn line_reach(&self) -> Vec<f64> {
        let order = self.ctx.order;
        let index = self.router.network.index();
        let level = usize::from(order.service_level.0);
        order
            .lines
            .iter()
            .map(|line| {
                let holders = self.stock.holders(line.sku);
                if holders.len() > self.router.limits.3 {
                    return self
                        .stock
                        .holder_reach_km(line.sku, order.destination)
                        .unwrap_or(f64::INFINITY);
                }
                self.stock
                    .holdings(line.sku)
                    .filter(|&(_, units)| units >= line.qty)
                    .map(|(n, _)| (n, order.destination.distance_km(index.location(n))))
                    .filter(|&(n, km)| km <= self.router.terms.nodes[n.0 as usize].reach_km[level])
                    .map(|(_, km)| km)
                    .fold(-1.0, f64::max)
            })
            .collect()
    }

    fn consider(&mut self, node: NodeIdx, km: f64) {
        let lines = stock_lines(self.ctx.order, self.stock, node);
        self.consider_masked(node, km, lines);
    }

    /// [`Walk::consider`] for a node whose [`stock_lines`] are known.
    fn consider_masked(&mut self, node: NodeIdx, km: f64, mask: LineSet) {
        let r = self.router;
        if !mask.is_empty()
            && mask != self.full
            && (self.partial_pruned(km) || !self.required(km).is_subset(&mask))
        {
            return; // priced out: see `partial_pruned` and `required`
        }
        if !mask.is_empty() && self.dominated(node, km, &mask) {
            return;
        }
        let outcome = match evaluate(
            &r.network,
            &r.policy,
            &r.terms.nodes[node.0 as usize],
            self.ctx,
            self.load,
            node,
            km,
            mask,
        ) {
            Ok(v) => {
                r.line_cents(node, self.ctx.order, &mut self.line_cents);
                let mut v = v;
                if let Some(p) = self.prices {
                    v.base_cents += p.shipments.get(&node).copied().unwrap_or(0);
                    let unit = p.units.get(&node).copied().unwrap_or(0);
                    for (slot, line) in self.line_cents.iter_mut().zip(&self.ctx.order.lines) {
                        let stock = p.stock.get(&(node, line.sku)).copied().unwrap_or(0);
                        *slot += (stock + unit) * i64::from(line.qty);
                    }
                }
                for (slot, &(_, sku)) in self.group_stock.iter_mut().zip(&self.sku_groups) {
                    *slot = self.stock.qty(node, sku);
                }
                self.solver.add(&v, &self.line_cents, &self.group_stock);
                if self
                    .dominance
                    .is_some_and(|units| u64::from(v.units_left) >= units)
                {
                    self.dominators
                        .add(&v.lines, v.base_cents, &self.line_cents);
                }
                let cost = v.base_cents + v.lines.iter().map(|i| self.line_cents[i]).sum::<i64>();
                let lines = v.lines.clone();
                self.viables.push(v);
                CandidateOutcome::Priced {
                    lines,
                    cost_cents: cost,
                }
            }
            Err(reason) => CandidateOutcome::Filtered(reason),
        };
        self.candidates.push(Candidate {
            node,
            distance_km: km,
            outcome,
            chosen: false,
        });
    }

    fn finish(mut self, rules: Vec<String>) -> Decision {
        let order = self.ctx.order;
        let picks: Vec<Pick> = self.solver.picks();
        let mut shipments = Vec::with_capacity(picks.len());
        let mut total = CostBreakdown::default();
        let mut shipped = LineSet::new();
        for (i, pick) in picks.iter().enumerate() {
            let v = &self.viables[pick.viable];
            let t = &self.router.terms.nodes[v.node.0 as usize];
            let lines: Vec<usize> = pick.lines.iter().collect();
            let mut cost = CostBreakdown {
                fixed_cents: t.fixed_cents,
                distance_cents: v.distance_cents,
                priority_cents: t.priority_cents,
                lateness_cents: v.lateness_cents,
                split_penalty_cents: if i > 0 {
                    self.ctx.terms.split_penalty_cents
                } else {
                    0
                },
                ..CostBreakdown::default()
            };
            let mut units = 0;
            for &l in &lines {
                let line = &order.lines[l];
                units += line.qty;
                cost.handling_cents += t.per_unit_cents * i64::from(line.qty);
                cost.margin_cents += margin_cents(t.margin_bps, line.value_cents());
            }
            shipped.extend_from(&pick.lines);
            total += cost;
            for c in &mut self.candidates {
                if c.node == v.node {
                    c.chosen = true;
                }
            }
            shipments.push(Shipment {
                node: v.node,
                lines,
                units,
                distance_km: v.distance_km,
                promised_date: v.promised_date.unwrap_or_else(|| {
                    let n = self.router.network.node(v.node);
                    candidate::promised_date_at(n, t, self.ctx.created_at, v.transit_days)
                        .expect("always_ships nodes open within the horizon")
                }),
                cost,
            });
        }
        let unfilled: Vec<UnfilledLine> = (0..order.lines.len())
            .filter(|&l| !shipped.contains(l))
            .map(|l| UnfilledLine {
                line: l,
                reason: self.unfilled_reason(l, shipments.len(), &shipped),
            })
            .collect();
        for u in &unfilled {
            total.unfilled_cents +=
                self.ctx.terms.unfilled_per_unit_cents * i64::from(order.lines[u.line].qty);
        }
        Decision {
            shipments,
            unfilled,
            cost: total,
            candidates: self.candidates,
            rules,
        }
    }

    /// The nearest node (ties by index) holding enough units for line `l`, with its distance:
    /// from what [`Walk::sharpen`] met, else one pass of squared chords over the posting list
    /// (`SpatialIndex::nearest_of`).
    fn nearest_holder(&self, l: usize) -> Option<(f64, NodeIdx)> {
        let dest = self.ctx.order.destination;
        let index = self.router.network.index();
        let (n, km) = if let Some(nearest) = self.nearest.get(l) {
            nearest.finish(index, dest)?
        } else {
            let line = &self.ctx.order.lines[l];
            let holders = self
                .stock
                .holdings(line.sku)
                .filter(move |&(_, units)| units >= line.qty)
                .map(|(n, _)| n);
            index.nearest_of(dest, holders)?
        };
        Some((km, n))
    }

    /// Why line `l` is unfilled: the most specific reason the router met.
    fn unfilled_reason(&self, l: usize, shipments: usize, shipped: &LineSet) -> Reason {
        // Some node could ship it: one the router weighed, or (when the bounds read the posting
        // lists) a holder that passed every distance-free rule and the reach and deadline
        // limits, which the bounds then proved not worth it.
        let could = self.viables.iter().any(|v| v.lines.contains(l))
            || (self.sharpened && self.line_min_cents[l] < choose::INF);
        if could {
            if self.ctx.terms.ship_complete && shipped.is_empty() {
                return Reason::ShipComplete;
            }
            if shipments >= self.ctx.terms.max_shipments {
                return Reason::SplitLimit;
            }
            return Reason::Uneconomic;
        }
        // No viable node could ship it: the reason of the nearest node holding enough stock.
        let line = &self.ctx.order.lines[l];
        let holds = |n: NodeIdx| self.stock.qty(n, line.sku) >= line.qty;
        if let Some(c) = self.candidates.iter().find(|c| holds(c.node)) {
            if let CandidateOutcome::Filtered(r) = c.outcome {
                return r;
            }
        }
        let nearest = self.nearest_holder(l);
        let Some((km, n)) = nearest else {
            return Reason::NoStock;
        };
        let r = self.router;
        match evaluate(
            &r.network,
            &r.policy,
            &r.terms.nodes[n.0 as usize],
            self.ctx,
            self.load,
            n,
            km,
            stock_lines(self.ctx.order, self.stock, n),
        ) {
            Err(reason) => reason,
            Ok(_) => Reason::Uneconomic,
        }
    }
}
