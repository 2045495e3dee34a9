//! [`DailyLoad`]: what each node has shipped per calendar day in its own time zone, kept across
//! batches and service requests, so a node's daily capacity (`capacity_units`,
//! `capacity_shipments`) counts a whole local day, not one batch.
//!
//! A shipment counts on the local date, at its node, of its order's `created_at` (or the
//! reference time `now` for an order without one). A batch starts from [`DailyLoad::load_at`]
//! (what every node has used on its local day of `now`) and its plan is added with
//! [`DailyLoad::record_plan`]; a released reservation takes its shipments back out
//! ([`DailyLoad::release`]). Within one batch the router counts every order against the one
//! starting load plus the batch's own shipments.

use crate::{Decision, Load, Network, NodeIdx, Order, Plan};
use jiff::civil::Date;
use jiff::Timestamp;
use rustc_hash::FxHashMap;

/// Units and shipments per (node, local date). Not synchronised: a service keeps it behind its
/// own lock, beside the live stock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyLoad {
    used: FxHashMap<(NodeIdx, Date), (u32, u32)>,
}

impl DailyLoad {
    /// The local date at `node` of the instant `at`.
    pub fn day(network: &Network, node: NodeIdx, at: Timestamp) -> Date {
        at.to_zoned(network.node(node).timezone.clone()).date()
    }

    /// Units and shipments used at `node` on its local date `day`.
    pub fn used(&self, node: NodeIdx, day: Date) -> (u32, u32) {
        self.used.get(&(node, day)).copied().unwrap_or((0, 0))
    }

    /// The load a batch routed at `now` starts from: every node's use on its local date of `now`.
    pub fn load_at(&self, network: &Network, now: Timestamp) -> Load {
        let mut load = Load::default();
        for (&(node, day), &(units, shipments)) in &self.used {
            if day == Self::day(network, node, now) {
                load.add_used(node, units, shipments);
            }
        }
        load
    }

    /// Each shipment of `d`, the decision for `order`, as (node, local date, units): the day it
    /// counts on (see the module docs; `now` stands in for a missing `created_at`).
    pub fn shipments<'a>(
        network: &'a Network,
        order: &Order,
        d: &'a Decision,
        now: Timestamp,
    ) -> impl Iterator<Item = (NodeIdx, Date, u32)> + 'a {
        let at = order.created_at.unwrap_or(now);
        d.shipments
            .iter()
            .map(move |s| (s.node, Self::day(network, s.node, at), s.units))
    }

    /// Adds the shipments of `d`, the decision for `order`, on their local days.
    pub fn record(&mut self, network: &Network, order: &Order, d: &Decision, now: Timestamp) {
        self.add(Self::shipments(network, order, d, now));
    }

    /// Takes the shipments of `d` back out (a released reservation, a re-routed order).
    pub fn release(&mut self, network: &Network, order: &Order, d: &Decision, now: Timestamp) {
        self.take(Self::shipments(network, order, d, now));
    }

    /// Adds shipments (node, local date, units), as [`DailyLoad::shipments`] lists them.
    pub fn add(&mut self, shipments: impl IntoIterator<Item = (NodeIdx, Date, u32)>) {
        for (node, day, units) in shipments {
            let e = self.used.entry((node, day)).or_insert((0, 0));
            e.0 = e.0.saturating_add(units);
            e.1 = e.1.saturating_add(1);
        }
    }

    /// Takes shipments (node, local date, units) back out; a day already forgotten is skipped.
    pub fn take(&mut self, shipments: impl IntoIterator<Item = (NodeIdx, Date, u32)>) {
        for (node, day, units) in shipments {
            let key = (node, day);
            if let Some(e) = self.used.get_mut(&key) {
                e.0 = e.0.saturating_sub(units);
                e.1 = e.1.saturating_sub(1);
                if *e == (0, 0) {
                    self.used.remove(&key);
                }
            }
        }
    }

    /// [`DailyLoad::record`] for every decision of `plan` (one per order, same order).
    pub fn record_plan(
        &mut self,
        network: &Network,
        orders: &[Order],
        plan: &Plan,
        now: Timestamp,
    ) {
        for (order, d) in orders.iter().zip(&plan.decisions) {
            self.record(network, order, d, now);
        }
    }

    /// Forgets every day before `day` (any zone), so a long-running service keeps a few days.
    pub fn forget_before(&mut self, day: Date) {
        self.used.retain(|&(_, d), _| d >= day);
    }

    /// The instants `[from, until)` around `now` over which [`DailyLoad::load_at`] gives the
    /// same load: no node with a recorded day starts a new local day in between (a kept load is
    /// reused while the time stays inside). Unbounded when nothing is recorded.
    pub fn same_days(&self, network: &Network, now: Timestamp) -> (Timestamp, Timestamp) {
        let (mut from, mut until) = (Timestamp::MIN, Timestamp::MAX);
        let mut seen = rustc_hash::FxHashSet::default();
        for &(node, _) in self.used.keys() {
            if !seen.insert(node) {
                continue;
            }
            let local = now.to_zoned(network.node(node).timezone.clone());
            let start = local.start_of_day().map(|z| z.timestamp());
            let end = local
                .tomorrow()
                .and_then(|z| z.start_of_day())
                .map(|z| z.timestamp());
            // A day jiff cannot bound (at the end of its range) is never kept: `now..now`.
            from = from.max(start.unwrap_or(now));
            until = until.min(end.unwrap_or(now));
        }
        (from, until)
    }
}

#[cfg(test)]
mod tests {
    use crate::*;

    #[test]
    fn capacity_is_counted_per_local_day_across_batches() {
        let at = |lat, lon| LatLng::new(lat, lon).unwrap();
        let mut near = Node::new("NEAR", NodeKind::Store, at(28.50, 77.10));
        near.capacity_shipments = Some(1);
        near.timezone = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
        let far = Node::new("FAR", NodeKind::Warehouse, at(28.90, 77.50));
        let net = Network::new(vec![near, far]).unwrap();
        let router = Router::new(net.clone(), Policy::default());
        let stock =
            StockTable::from_positions([(NodeIdx(0), SkuId(0), 9), (NodeIdx(1), SkuId(0), 9)]);
        let order = |id: &str, created: &str| {
            let line = OrderLine {
                line_no: 1,
                sku: SkuId(0),
                qty: 1,
                unit_price_cents: None,
            };
            let mut o = Order::new(id, at(28.52, 77.12), vec![line]);
            o.created_at = Some(created.parse().unwrap());
            o
        };
        let mut daily = DailyLoad::default();
        // 23:30 in Kolkata: the near store ships its one shipment of the day.
        let now: jiff::Timestamp = "2026-11-26T18:00:00Z".parse().unwrap();
        let first = [order("A", "2026-11-26T18:00:00Z")];
        let plan = router.route_sequential(&first, &stock, now);
        assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(0));
        daily.record_plan(&net, &first, &plan, now);
        let today = DailyLoad::day(&net, NodeIdx(0), now);
        assert_eq!(daily.used(NodeIdx(0), today), (1, 1));
        // A second batch the same local day: the store is full, the far warehouse ships.
        let now: jiff::Timestamp = "2026-11-26T18:20:00Z".parse().unwrap();
        let second = [order("B", "2026-11-26T18:20:00Z")];
        let plan =
            router.route_sequential_from(&second, &stock, &daily.load_at(&net, now), now, &|_| {});
        assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(1));
        let store = plan.decisions[0]
            .candidates
            .iter()
            .find(|c| c.node == NodeIdx(0))
            .unwrap();
        assert_eq!(
            store.outcome,
            CandidateOutcome::Filtered(Reason::NoCapacity)
        );
        // Just after midnight in Kolkata (18:45 UTC) it is a new day at the store.
        let now: jiff::Timestamp = "2026-11-26T18:45:00Z".parse().unwrap();
        let third = [order("C", "2026-11-26T18:45:00Z")];
        let plan =
            router.route_sequential_from(&third, &stock, &daily.load_at(&net, now), now, &|_| {});
        assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(0));
        // Releasing the first decision frees the day; forgetting drops old days.
        let d = router.route(&first[0], &stock, &Load::default(), now);
        daily.release(&net, &first[0], &d, now);
        assert_eq!(daily.used(NodeIdx(0), today), (0, 0));
        daily.record(&net, &first[0], &d, now);
        daily.forget_before(today.tomorrow().unwrap());
        assert_eq!(daily, DailyLoad::default());
    }
}
