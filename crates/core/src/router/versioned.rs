//! Routing under policy versions: each order under the version of its `created_at`.

use super::policy_router::PolicyRouter;
use super::Router;
use crate::versions::version_for;
use crate::{Network, Order, Policy, PolicyVersions};
use jiff::Timestamp;
use std::sync::Arc;

impl Router {
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
        Self {
            versions: versions
                .iter()
                .map(|p| {
                    let router = PolicyRouter::new(Arc::clone(&network), Arc::new(p.clone()));
                    (p.effective_from, router)
                })
                .collect(),
            parallel: true,
        }
    }

    /// The router of the earliest version (the only one for one policy): node capacities and
    /// safety stock are the same in every version.
    pub(super) fn earliest(&self) -> &PolicyRouter {
        &self.versions[0].1
    }

    /// The router of the version that routes `order` (the only one for one policy). Every
    /// per-order entry point is one line, `self.version(order, now).<body>(..)`, whose body
    /// routes under that router's policy and so knows nothing of versions.
    #[inline]
    pub(super) fn version(&self, order: &Order, now: Timestamp) -> &PolicyRouter {
        let later = &self.versions[1..];
        let start = |v: &(Option<Timestamp>, PolicyRouter)| {
            v.0.expect("only the earliest version may have no effective_from")
        };
        &self.versions[version_for(later, start, order, now)].1
    }

    /// The policy `order` is routed under: the version of its `created_at` (or `now`) for a
    /// versioned router, else the one policy.
    pub fn policy_for(&self, order: &Order, now: Timestamp) -> &Policy {
        &self.version(order, now).policy
    }
}
