//! The router: the least-cost shipments for one order (docs/design.md §4), and why.
//!
//! Contract: [`Router::route`] is a pure function of (network, policy, stock, load, order, time)
//! returning the decision of least cost (docs/design.md §3) over every assignment of whole lines
//! to nodes (or to "unfilled") that the hard rules allow: exactly the one a scan of every node would give,
//! for orders of up to [`EXACT_MAX_LINES`] lines; a heuristic that never ships what is not there
//! beyond. Ties break on the order candidates are met (nearest first, then node index). Every
//! decision lists each node weighed with its cost or reason and a reason per unfilled line.
//! Invariant the bounds rely on: no cost term is negative but a node's priority cost.
//!
//! Money terms are clamped to their input limits when terms are resolved and orders beyond
//! [`crate::order_within_limits`] are refused, so no cost of an order can overflow.
//!
//! The algorithm, its pieces and the proof of exactness: `docs/router.md`.

#[cfg(test)]
mod balance_tests;
mod batch;
#[cfg(test)]
mod batch_tests;
#[cfg(test)]
mod big_order_tests;
mod bounds;
#[cfg(test)]
mod bounds_tests;
mod candidate;
mod choose;
mod cost;
#[cfg(test)]
mod dealer_tests;
mod decision;
mod dominance;
mod exact;
mod fallback;
mod filter;
mod floors;
#[cfg(test)]
mod floors_tests;
mod full;
mod greedy;
mod greedy_moves;
mod incoming;
#[cfg(test)]
mod incoming_tests;
mod line_set;
#[cfg(test)]
mod line_set_tests;
mod load;
mod nearest;
mod node_set;
mod optimise;
mod order_terms;
mod policy_router;
mod postings;
mod prices;
mod ranking;
mod reach;
#[cfg(test)]
mod reach_tests;
mod reads;
mod reason;
mod reroute;
#[cfg(test)]
mod reroute_tests;
mod reserve;
#[cfg(test)]
mod rules_example_tests;
#[cfg(test)]
mod rules_tests;
mod scan_limits;
mod search;
mod sparse;
mod speculate;
#[cfg(test)]
mod speculate_tests;
mod stale;
mod stock;
mod terms;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod version_tests;
mod versioned;

pub use batch::{Plan, PlanTotals};
pub use choose::EXACT_MAX_LINES;
pub use cost::{distance_cents, margin_cents, CostBreakdown};
pub use decision::{Candidate, CandidateOutcome, Decision, Shipment, UnfilledLine};
pub use line_set::LineSet;
pub use load::Load;
pub use optimise::{
    Mode, OptimiseModel, OptimiseOptions, OptimisePhase, OptimiseProgress, ALTERNATIVES,
};
pub use reason::{Reason, ReasonCounts};
pub use reroute::{Event, RerouteError, Rerouted};
pub use speculate::Speculation;
pub use stock::StockTable;

pub(crate) use prices::Prices;
pub(crate) use scan_limits::Limits;
pub use scan_limits::{POSTING_LIMIT, WALK_LIMIT};

use crate::{Network, NodeIdx, Order, Policy};
use jiff::Timestamp;
use policy_router::PolicyRouter;
use std::sync::Arc;

/// Routes orders over one network under one policy, or under [`PolicyVersions`](crate::PolicyVersions) (each order
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
    /// One single-policy router per policy version with its start (`effective_from`), ascending
    /// by start; one entry for one policy. The earliest also routes every order created before
    /// the first start ([`Router::versioned`]).
    versions: Vec<(Option<Timestamp>, PolicyRouter)>,
    /// Route batches across rayon's threads (results do not depend on it).
    parallel: bool,
}

impl Router {
    /// Prepares a router: resolves every node's terms under the policy once. The router owns (or
    /// shares, through the `Arc`s) the network and the policy, so it can be built once and kept
    /// (a service, a binding) and shared across threads.
    pub fn new(network: impl Into<Arc<Network>>, policy: impl Into<Arc<Policy>>) -> Self {
        let policy = policy.into();
        Self {
            versions: vec![(
                policy.effective_from,
                PolicyRouter::new(network.into(), policy),
            )],
            parallel: true,
        }
    }

    /// Turns batch parallelism on or off (on by default). Plans are identical either way; off
    /// routes on the calling thread only.
    #[must_use]
    pub fn parallel(mut self, on: bool) -> Self {
        self.parallel = on;
        self
    }

    /// The same router with other candidate-gathering limits (the result must not change):
    /// [`POSTING_LIMIT`], [`WALK_LIMIT`] and [`WALK_DIVISOR`](scan_limits::WALK_DIVISOR); every line's holders are scanned,
    /// and the first phase's walk tests `20 × walk` nodes per hundred full holders (its
    /// [`FULL_WALK_PERCENT`](scan_limits::FULL_WALK_PERCENT)), however few they are; for an
    /// odd `walk` the line floors and the unfilled lines' nearest holders come from walks of the
    /// spatial index whenever they can and the floors leave every list unread until the
    /// hand-over asks, for an even one from the posting lists, every list read.
    #[cfg(test)]
    pub(crate) fn with_limits(mut self, posting: usize, walk: usize, divisor: usize) -> Self {
        for (_, version) in &mut self.versions {
            version.limits = Limits {
                posting,
                walk,
                divisor,
                line_scan: 0,
                full_walk: walk * 20,
                full_walk_min: 0,
                floors_near: if walk % 2 == 1 { usize::MAX } else { 0 },
                nearest_walk_min: 0,
                floors_read: if walk % 2 == 1 { 0 } else { usize::MAX },
                near_groups: true,
            };
        }
        self
    }

    /// The same router without [`Reach::near_km`](reach::Reach::near_km) (the reach limit in
    /// its place; the decisions must not change).
    #[cfg(test)]
    pub(crate) fn without_near_groups(mut self) -> Self {
        for (_, version) in &mut self.versions {
            version.limits.near_groups = false;
        }
        self
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.earliest().network
    }

    /// The shared network, for a caller that keeps it beside the router.
    pub fn network_arc(&self) -> &Arc<Network> {
        &self.earliest().network
    }

    /// The policy (the earliest version of a versioned router; see [`Router::policy_for`]).
    pub fn policy(&self) -> &Policy {
        &self.earliest().policy
    }

    /// Units of every SKU the policy holds back from routing at `node` (the routing-only safety
    /// stock of its kind, the same in every version): [`Router::stock_table`] lists a position
    /// with `routable − safety_hold(node)` units.
    pub fn safety_hold(&self, node: NodeIdx) -> u32 {
        self.earliest().terms.nodes[node.0 as usize].safety_stock
    }

    /// Builds the stock table the router routes against from `(node, sku, routable)` positions,
    /// holding back the policy's routing-only safety stock per node kind (the same in every
    /// version). The positions are read twice ([`StockTable::from_positions`]).
    pub fn stock_table<I>(&self, positions: I) -> StockTable
    where
        I: IntoIterator<Item = (NodeIdx, crate::SkuId, u32)>,
        I::IntoIter: Clone,
    {
        let earliest = self.earliest();
        let mut table = StockTable::from_positions(positions.into_iter().map(|(n, s, q)| {
            let held = earliest.terms.nodes[n.0 as usize].safety_stock;
            (n, s, q.saturating_sub(held))
        }));
        let index = earliest.network.index();
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
    /// costs the router could not add up exactly. No front end can get there: every order the
    /// CLI, the service, the C ABI and Python route comes through the orders reader (orders.csv,
    /// Parquet, tables and order JSON alike), which rejects such an order with `E1009` (too many
    /// units, or a price out of range); only Rust code building an [`Order`] by hand can, and
    /// [`crate::order_within_limits`] is its check.
    pub fn route(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
    ) -> Decision {
        assert_within_limits(order);
        self.route_priced(order, stock, load, now, None)
    }

    /// [`Router::route`] with Lagrangian prices added to what each shipment uses (optimise
    /// mode's pricing step). The decision's cost is still the real cost. The caller has checked
    /// the order's limits ([`assert_within_limits`]): every batch entry point does, once per
    /// order, before it routes any.
    pub(crate) fn route_priced(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
    ) -> Decision {
        debug_assert!(crate::order_within_limits(order));
        self.version(order, now)
            .route_under(order, stock, load, now, prices)
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
            .floor_under(order, stock, load, now)
    }
}

/// The panic of [`Router::route`] (see there) for an order beyond the input limits.
pub(crate) fn assert_within_limits(order: &Order) {
    assert!(
        crate::order_within_limits(order),
        "order {} is beyond the input limits (MAX_ORDER_UNITS, MAX_MONEY_CENTS)",
        order.id
    );
}
