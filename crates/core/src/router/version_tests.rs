//! Versioned routing: each order is routed exactly as a one-version router of its version would
//! route it, the checker agrees on every version's prices, and a later version never changes the
//! decisions of orders before it.

use super::batch::apply;
use super::tests::{arb_case, now, Case};
use crate::*;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

/// The start of the day of `arb_case`'s `created_at` (orders fall in the 24 hours after it; the
/// reference time `now()` is inside that day too).
fn day() -> Timestamp {
    "2026-11-25T18:30:00Z".parse().unwrap()
}

fn at(secs: i64) -> Timestamp {
    day() + SignedDuration::from_secs(secs)
}

/// What a version changes from the case's policy: every priced term, node-level terms (per kind
/// fixed and per-km costs, reach, handling), split defaults, the SLA, dealer rules and a rule.
#[derive(Debug, Clone)]
struct Change {
    split_penalty_cents: i64,
    unfilled_per_unit_cents: i64,
    store_fixed_cents: i64,
    warehouse_per_km_cents: f64,
    dealer_next_day_reach_km: f64,
    warehouse_handling_days: u8,
    max_shipments: u8,
    soft: bool,
    max_rejections: u32,
    /// A rule: next-day orders only from warehouses.
    next_day_warehouses_only: bool,
}

fn arb_change() -> impl Strategy<Value = Change> {
    (
        (0i64..3000, 100i64..6000, 0i64..2000, 0.0..3.0f64),
        (
            0.0..300.0f64,
            0u8..3,
            1u8..4,
            any::<bool>(),
            1u32..4,
            any::<bool>(),
        ),
    )
        .prop_map(
            |((split, unfilled, fixed, per_km), (reach, handling, max, soft, rej, rule))| Change {
                split_penalty_cents: split,
                unfilled_per_unit_cents: unfilled,
                store_fixed_cents: fixed,
                warehouse_per_km_cents: per_km,
                dealer_next_day_reach_km: reach,
                warehouse_handling_days: handling,
                max_shipments: max,
                soft,
                max_rejections: rej,
                next_day_warehouses_only: rule,
            },
        )
}

fn version(base: &Policy, from: Option<Timestamp>, c: &Change) -> Policy {
    let mut p = base.clone();
    p.effective_from = from;
    p.costs.split_penalty_cents = c.split_penalty_cents;
    p.costs.unfilled_per_unit_cents = c.unfilled_per_unit_cents;
    p.kinds[NodeKind::Store.index()].fixed_cents = c.store_fixed_cents;
    p.kinds[NodeKind::Warehouse.index()].per_km_cents = c.warehouse_per_km_cents;
    p.kinds[NodeKind::Dealer.index()].reach_km[usize::from(ServiceLevel::NEXT_DAY.0)] =
        c.dealer_next_day_reach_km;
    p.kinds[NodeKind::Warehouse.index()].handling_days = c.warehouse_handling_days;
    p.split.max_shipments = c.max_shipments;
    p.sla = if c.soft { Sla::Soft } else { Sla::Hard };
    p.dealers.max_rejections = c.max_rejections;
    if c.next_day_warehouses_only {
        p.rules.push(Rule {
            name: "next day from warehouses".into(),
            when: Condition {
                service_level: Some(ServiceLevel::NEXT_DAY),
                ..Condition::default()
            },
            set: Overrides {
                allowed_kinds: Some(vec![NodeKind::Warehouse]),
                ..Overrides::default()
            },
            groups: Vec::new(),
        });
    }
    p
}

/// A case, its policy versions in the order given (the case's policy, undated or dated early in
/// the day, then two or three dated versions at random instants of the day) and the orders with
/// some `created_at` cleared (routed at `now()`).
fn arb_versioned(
    max_nodes: usize,
    max_lines: usize,
    max_orders: usize,
) -> impl Strategy<Value = (Case, Vec<Policy>)> {
    (
        arb_case(max_nodes, max_lines, max_orders),
        prop::option::of(0i64..7200),
        prop::collection::vec((0i64..86_400, arb_change()), 2..=3),
        prop::collection::vec(prop::bool::weighted(0.2), max_orders),
    )
        .prop_map(|(mut case, first_from, changes, undated)| {
            let mut first = case.policy.clone();
            first.effective_from = first_from.map(at);
            let mut versions = vec![first];
            for (secs, change) in changes {
                let mut from = at(secs);
                while versions.iter().any(|v| v.effective_from == Some(from)) {
                    from += SignedDuration::from_secs(1);
                }
                versions.push(version(&case.policy, Some(from), &change));
            }
            // Given in no particular order.
            versions.rotate_left(1);
            for (order, &clear) in case.orders.iter_mut().zip(&undated) {
                if clear {
                    order.created_at = None;
                }
            }
            (case, versions)
        })
}

/// The test's own reading of the rule: the latest version whose `effective_from` is at or before
/// the order's time (`now()` without one; no `effective_from` is the beginning of time), else the
/// earliest version.
fn expected<'p>(versions: &'p [Policy], order: &Order) -> &'p Policy {
    let t = order.created_at.unwrap_or_else(now);
    versions
        .iter()
        .filter(|p| p.effective_from.is_none_or(|f| f <= t))
        .max_by_key(|p| p.effective_from)
        .unwrap_or_else(|| {
            versions
                .iter()
                .min_by_key(|p| p.effective_from)
                .expect("at least one version")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    /// Each order gets exactly the decision a one-version router of its version gives it, alone
    /// and inside a sequential batch (against the stock the earlier orders left), and the plan
    /// passes the checker under the versions.
    #[test]
    fn each_order_is_routed_as_its_versions_router_would((case, given) in arb_versioned(10, 3, 10)) {
        let versions = PolicyVersions::new(given.clone()).unwrap();
        let router = Router::versioned(case.network.clone(), &versions);
        let mut stock = case.stock.clone();
        let mut load = Load::default();
        let mut decisions = Vec::new();
        for order in &case.orders {
            let policy = expected(&given, order);
            prop_assert_eq!(router.policy_for(order, now()), policy);
            let alone = Router::new(case.network.clone(), policy.clone());
            prop_assert_eq!(
                router.route(order, &case.stock, &Load::default(), now()),
                alone.route(order, &case.stock, &Load::default(), now()),
                "order {} alone", &order.id
            );
            let d = alone.route(order, &stock, &load, now());
            apply(order, &d, &mut stock, &mut load);
            decisions.push(d);
        }
        let plan = router.route_sequential(&case.orders, &case.stock, now());
        prop_assert_eq!(&plan.decisions, &decisions);
        let serial = router.clone().parallel(false).route_sequential(&case.orders, &case.stock, now());
        prop_assert_eq!(&serial.decisions, &decisions);
        let v = check(&plan, &case.orders, &case.network, &versions, &case.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
    }

    /// Optimise mode prices every option under its order's version: its plans (exact on these
    /// tiny batches, and through the large-batch path) pass the checker under the versions and
    /// never cost more than the sequential plan.
    #[test]
    fn optimised_plans_price_each_order_under_its_version((case, given) in arb_versioned(5, 2, 4)) {
        let versions = PolicyVersions::new(given).unwrap();
        let router = Router::versioned(case.network.clone(), &versions);
        let seq = router.route_sequential(&case.orders, &case.stock, now());
        let opts = OptimiseOptions { iteration_limit: Some(500), single_thread: true, ..OptimiseOptions::default() };
        for exact in [true, false] {
            let plan = router.optimise(&case.orders, &case.stock, now(), &opts, None, exact, &|_| {});
            let v = check(&plan, &case.orders, &case.network, &versions, &case.stock, now());
            prop_assert!(v.is_empty(), "exact {exact}: violations: {v:?}");
            prop_assert!(plan.totals.cost_cents <= seq.totals.cost_cents);
        }
    }

    /// Changing only a later version never changes the decisions of orders before it: alone, and
    /// in a batch whose orders arrive in time order (an earlier order never sees what a later one
    /// took).
    #[test]
    fn a_later_version_never_changes_earlier_orders(
        (case, given) in arb_versioned(10, 3, 10),
        change in arb_change(),
    ) {
        let mut case = case;
        case.orders.sort_by_key(|o| o.created_at.unwrap_or_else(now));
        let versions = PolicyVersions::new(given.clone()).unwrap();
        let latest = versions.len() - 1;
        let from = versions.get(latest).effective_from.expect("later versions are dated");
        let mut changed = given.clone();
        let k = versions.given(latest);
        changed[k] = version(&case.policy, Some(from), &change);
        let changed = PolicyVersions::new(changed).unwrap();
        let (a, b) = (
            Router::versioned(case.network.clone(), &versions),
            Router::versioned(case.network.clone(), &changed),
        );
        let (pa, pb) = (
            a.route_sequential(&case.orders, &case.stock, now()),
            b.route_sequential(&case.orders, &case.stock, now()),
        );
        for (i, order) in case.orders.iter().enumerate() {
            if order.created_at.unwrap_or_else(now) < from {
                prop_assert_eq!(&pa.decisions[i], &pb.decisions[i], "order {}", &order.id);
                prop_assert_eq!(
                    a.route(order, &case.stock, &Load::default(), now()),
                    b.route(order, &case.stock, &Load::default(), now())
                );
            }
        }
    }
}

/// The version's own `max_rejections` sends an order to review: one rejection under the later
/// version (max 1), three under the earlier (max 3).
#[test]
fn reroute_reads_max_rejections_from_the_orders_version() {
    let net = Network::new(vec![
        Node::new("D1", NodeKind::Dealer, LatLng::new(28.60, 77.20).unwrap()),
        Node::new("D2", NodeKind::Dealer, LatLng::new(28.62, 77.22).unwrap()),
    ])
    .unwrap();
    let mut strict = Policy {
        effective_from: Some(at(3600)),
        ..Policy::default()
    };
    strict.dealers.max_rejections = 1;
    let versions = PolicyVersions::new(vec![Policy::default(), strict]).unwrap();
    let router = Router::versioned(net.clone(), &versions);
    let stock = StockTable::from_positions((0..2).map(|n| (NodeIdx(n), SkuId(0), 5)));
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: None,
    };
    let order = |id: &str, secs: i64| {
        let mut o = Order::new(id, LatLng::new(28.60, 77.20).unwrap(), vec![line]);
        o.created_at = Some(at(secs));
        o
    };
    let orders = vec![order("EARLY", 3599), order("LATE", 3600)];
    let plan = router.route_sequential(&orders, &stock, now());
    let events = [
        Event::Rejected {
            order: 0,
            node: NodeIdx(0),
        },
        Event::Rejected {
            order: 1,
            node: NodeIdx(0),
        },
    ];
    let r = router
        .reroute(
            &orders,
            &plan,
            &stock,
            &crate::IncomingStock::default(),
            &events,
            now(),
        )
        .unwrap();
    assert_eq!(r.review, vec![1]);
    assert_eq!(r.plan.decisions[0].shipments[0].node, NodeIdx(1));
    assert!(r.plan.decisions[1].shipments.is_empty());
    let v = check(&r.plan, &orders, &net, &versions, &r.stock, now());
    assert!(v.is_empty(), "{v:?}");
}

/// An order created before every version's `effective_from` is routed under the earliest
/// version, not a later one.
#[test]
fn an_order_before_every_version_is_routed_under_the_earliest() {
    let net = Network::new(vec![Node::new(
        "S",
        NodeKind::Store,
        LatLng::new(28.6, 77.2).unwrap(),
    )])
    .unwrap();
    let p = Policy {
        effective_from: Some(at(86_400 * 30)),
        ..Policy::default()
    };
    let mut q = Policy {
        effective_from: Some(at(86_400 * 60)),
        ..Policy::default()
    };
    q.kinds[NodeKind::Store.index()].fixed_cents = 900;
    let versions = PolicyVersions::new(vec![q.clone(), p.clone()]).unwrap();
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 1)]);
    let mut o = Order::new(
        "O",
        LatLng::new(28.6, 77.2).unwrap(),
        vec![OrderLine {
            line_no: 1,
            sku: SkuId(0),
            qty: 1,
            unit_price_cents: None,
        }],
    );
    o.created_at = Some(at(0));
    let d = Router::versioned(net.clone(), &versions).route(&o, &stock, &Load::default(), now());
    let under = |policy: &Policy| {
        Router::new(net.clone(), policy.clone()).route(&o, &stock, &Load::default(), now())
    };
    assert_eq!(d, under(&p));
    assert_ne!(d, under(&q));
    assert!(d.is_complete());
}

/// The router picks the version exactly at its `effective_from` (not a nanosecond before), takes
/// the reference time for an order without `created_at`, and gives an order older than every
/// version the earliest: the same index as [`PolicyVersions::index_for`].
#[test]
fn the_router_picks_each_orders_version_at_the_boundaries() {
    let net = Network::new(vec![Node::new(
        "S",
        NodeKind::Store,
        LatLng::new(28.6, 77.2).unwrap(),
    )])
    .unwrap();
    let dated = |secs: i64, split_penalty_cents: i64| {
        let mut p = Policy {
            effective_from: Some(at(secs)),
            ..Policy::default()
        };
        p.costs.split_penalty_cents = split_penalty_cents;
        p
    };
    let versions =
        PolicyVersions::new(vec![dated(7200, 2), dated(3600, 1), dated(10_800, 3)]).unwrap();
    let router = Router::versioned(net.clone(), &versions);
    let ns = SignedDuration::from_nanos(1);
    let mut order = Order::new("O", LatLng::new(28.6, 77.2).unwrap(), Vec::new());
    for (created_at, now, penalty) in [
        (Some(at(0)), at(7200), 1),
        (Some(at(3600) - ns), at(7200), 1),
        (Some(at(3600)), at(0), 1),
        (Some(at(7200) - ns), at(0), 1),
        (Some(at(7200)), at(0), 2),
        (Some(at(10_800) - ns), at(0), 2),
        (Some(at(10_800)), at(0), 3),
        (Some(at(86_400)), at(0), 3),
        (None, at(0), 1),
        (None, at(7200), 2),
        (None, at(10_800), 3),
    ] {
        order.created_at = created_at;
        let policy = router.policy_for(&order, now);
        assert_eq!(
            policy.costs.split_penalty_cents, penalty,
            "created_at {created_at:?}, now {now}"
        );
        assert_eq!(policy, versions.get(versions.index_for(&order, now)));
    }
}
