//! [`Reach::near_km`](super::reach::Reach::near_km), the reach of the promise groups near
//! enough to serve an order: the decisions stay as they were (shipments, costs, the unfilled
//! lines' reasons), the explanation only loses nodes that could not serve, and a far group that
//! can is never cut.

use super::order_terms::OrderTerms;
use super::scan_limits::WALK_DIVISOR;
use super::tests::{arb_case, assert_exact, now, Case};
use super::{Load, Router};
use crate::*;
use proptest::prelude::*;

/// `case` with its nodes in three time zones by longitude (west to east: UTC+5, +5:30, +6), so
/// that at some hours the promise groups of one zone are past their cut-off and those of
/// another are not.
fn in_zones(mut case: Case) -> Case {
    let nodes = (case.network.nodes().iter().cloned())
        .map(|mut n| {
            let zone = match n.location.lon_deg() {
                x if x < 77.3 => "Asia/Karachi",
                x if x < 78.6 => "Asia/Kolkata",
                _ => "Asia/Dhaka",
            };
            n.timezone = jiff::tz::TimeZone::get(zone).unwrap();
            n
        })
        .collect();
    case.network = Network::new(nodes).unwrap();
    case
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// With and without the near groups' reach, alone and in a sequential batch: the same
    /// shipments, costs and unfilled reasons (and the brute-force optimum); the explanation
    /// keeps a subset of its nodes, each with the same outcome.
    #[test]
    fn near_groups_leave_the_decisions_as_they_were(
        case in arb_case(14, 3, 6).prop_map(in_zones),
        walk in 0usize..6,
        posting in 0usize..4,
    ) {
        let on = Router::new(case.network.clone(), case.policy.clone())
            .with_limits(posting, walk, WALK_DIVISOR)
            .parallel(false);
        let off = on.clone().without_near_groups();
        assert_exact(&on, &case)?;
        let a = on.route_sequential(&case.orders, &case.stock, now());
        let b = off.route_sequential(&case.orders, &case.stock, now());
        for (a, b) in a.decisions.iter().zip(&b.decisions) {
            prop_assert_eq!(&a.shipments, &b.shipments);
            prop_assert_eq!(&a.unfilled, &b.unfilled);
            prop_assert_eq!(a.cost_cents(), b.cost_cents());
            for c in &a.candidates {
                prop_assert!(b.candidates.contains(c), "{:#?}\n{:#?}", a, b);
            }
        }
    }
}

/// A next-day order at 15:00 in Delhi: the warehouse next door is past its 14:00 cut-off, the
/// one 400 km away keeps Dubai's time (13:30) and meets the promise, a store 1,700 km away could
/// too but not that far. The first phase weighs the near warehouse, then must not stop before
/// the far one.
#[test]
fn a_far_group_that_can_serve_is_not_cut() {
    let zone = |z: &str| jiff::tz::TimeZone::get(z).unwrap();
    let node = |id: &str, kind, lat, lon, tz: &str| {
        let mut n = Node::new(id, kind, LatLng::new(lat, lon).unwrap());
        n.timezone = zone(tz);
        n
    };
    let network = Network::new(vec![
        node("NEAR", NodeKind::Warehouse, 28.62, 77.22, "Asia/Kolkata"),
        node("FAR", NodeKind::Warehouse, 28.60, 81.30, "Asia/Dubai"),
        node("STORE", NodeKind::Store, 12.97, 77.59, "Asia/Kolkata"),
    ])
    .unwrap();
    let stock = StockTable::from_positions((0..3).map(|n| (NodeIdx(n), SkuId(0), 5)));
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: None,
    };
    let mut order = Order::new("O", LatLng::new(28.61, 77.21).unwrap(), vec![line]);
    order.service_level = ServiceLevel::NEXT_DAY;
    order.created_at = Some("2026-11-26T09:30:00Z".parse().unwrap());
    let router = Router::new(network.clone(), Policy::default()).with_limits(0, 1, WALK_DIVISOR);
    let r = &router.versions[0].1;
    let terms = OrderTerms::resolve(&order, &r.policy);
    let load = Load::default();
    let (near, limit) = r.search(&order, &terms, &stock, &load, now(), None, None, |s| {
        (s.reach.near_km, s.reach.limit_km)
    });
    // The store's group (250 km next day) is too far to count; Dubai's warehouses reach 600.
    assert_eq!((near, limit), (600.0, 600.0));
    let d = router.route(&order, &stock, &load, now());
    assert_eq!(d.shipments.len(), 1);
    assert_eq!(d.shipments[0].node, NodeIdx(1));
    assert_eq!(d.candidates[0].node, NodeIdx(0));
    assert_eq!(
        d.candidates[0].outcome,
        CandidateOutcome::Filtered(Reason::SlaUnreachable)
    );
    // With a store's 250 km in Dubai instead, and a dealer 200 km away whose 150 km cannot
    // reach: only groups past their cut-off or too far are left. The near warehouse is weighed
    // (its reason explains the line), the dealer no longer (it was filtered, out of reach).
    let mut nodes = network.nodes().to_vec();
    nodes[1].kind = NodeKind::Store;
    nodes[2] = node("DEALER", NodeKind::Dealer, 28.61, 79.26, "Asia/Kolkata");
    let network = Network::new(nodes).unwrap();
    let router = Router::new(network, Policy::default()).with_limits(0, 1, WALK_DIVISOR);
    let r = &router.versions[0].1;
    let reach = r.search(&order, &terms, &stock, &load, now(), None, None, |s| {
        (s.reach.near_km, s.reach.limit_km)
    });
    assert_eq!(reach, (-1.0, 250.0));
    let stock = StockTable::from_positions([0, 2].map(|n| (NodeIdx(n), SkuId(0), 5)));
    let weighed = |router: &Router| {
        let d = router.route(&order, &stock, &load, now());
        assert!(d.shipments.is_empty());
        assert_eq!(d.unfilled[0].reason, Reason::SlaUnreachable);
        d.candidates.iter().map(|c| c.node).collect::<Vec<_>>()
    };
    assert_eq!(weighed(&router), [NodeIdx(0)]);
    assert_eq!(
        weighed(&router.clone().without_near_groups()),
        [NodeIdx(0), NodeIdx(2)]
    );
}

/// The memo's epochs answer as a fresh memo does: next-day and same-day orders, some promised
/// by a date, created 7 minutes apart over four days across New York's and Lord Howe's DST
/// changes (that one is 30 minutes), then the same instants backwards and at random (a memo
/// for each of the three passes), from
/// groups in six zones with cut-offs on the hour, on the half hour and at midnight, and a
/// calendar closed on Sundays; and from New York's groups alone, whose cut-offs fall on the
/// day of its change. (An epoch kept past a cut-off, a midnight or a transition, or used for an
/// earlier order, gives another reach.) Each near reach is the largest of the groups whose area
/// comes within theirs, as every group tested in turn gives it.
#[test]
fn epochs_answer_as_a_fresh_memo() {
    let zones = [
        ("America/New_York", 40.7, -74.0),
        ("Europe/London", 51.5, -0.1),
        ("Asia/Kolkata", 28.6, 77.2),
        ("Asia/Kathmandu", 27.7, 85.3),
        ("Australia/Lord_Howe", -31.5, 159.1),
        ("Pacific/Auckland", -36.8, 174.8),
    ];
    let start: jiff::Timestamp = "2026-03-07T00:00:00Z".parse().unwrap();
    let steps: Vec<jiff::Timestamp> = (0..4 * 24 * 60 / 7)
        .map(|i| start + jiff::SignedDuration::from_mins(7 * i))
        .collect();
    let mut rng = 7u64;
    let mut random = || {
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (rng >> 33) as usize
    };
    let jumps: Vec<jiff::Timestamp> = (0..300).map(|_| steps[random() % steps.len()]).collect();
    let backwards: Vec<jiff::Timestamp> = steps.iter().rev().copied().collect();
    let passes = [&steps[..], &backwards, &jumps];
    assert_epochs_as_fresh(&zones, &passes);
    assert_epochs_as_fresh(&zones[..1], &passes);
}

/// See [`epochs_answer_as_a_fresh_memo`]: three groups in each of `zones` (a dealer, a store
/// closed on Sundays and a warehouse, with cut-offs 14:00, 17:30 and midnight, or 00:30 in
/// every other zone), orders at
/// the times of each of `passes` (each pass with a memo of its own) to destinations near the
/// first zone, near none, and near the last, in runs of one level and one promise.
fn assert_epochs_as_fresh(zones: &[(&str, f64, f64)], passes: &[&[jiff::Timestamp]]) {
    let mut nodes = Vec::new();
    for (z, &(zone, lat, lon)) in zones.iter().enumerate() {
        let cutoffs = [(14, 0), (17, 30), (0, 30 * (z as i8 % 2))];
        for (c, &(h, m)) in cutoffs.iter().enumerate() {
            let kind = [NodeKind::Dealer, NodeKind::Store, NodeKind::Warehouse][c];
            let at = LatLng::new(lat + 0.3 * c as f64, lon).unwrap();
            let mut n = Node::new(format!("N{z}-{c}"), kind, at);
            n.timezone = jiff::tz::TimeZone::get(zone).unwrap();
            n.cutoff_local = Some(jiff::civil::time(h, m, 0, 0));
            if c == 1 {
                n.calendar.close_weekday(jiff::civil::Weekday::Sunday);
            }
            nodes.push(n);
        }
    }
    let router = Router::new(Network::new(nodes).unwrap(), Policy::default());
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 5)]);
    let load = Load::default();
    let reach = |router: &Router, order: &Order| {
        let r = &router.versions[0].1;
        let terms = OrderTerms::resolve(order, &r.policy);
        r.search(order, &terms, &stock, &load, now(), None, None, |s| {
            let g = s.reach.group_chord2().to_vec();
            // The near reach, from every group in turn (as squared chords: the same order).
            let dest = order.destination.unit_vector();
            let near = (r.terms.profiles.iter().zip(&g))
                .filter(|&(p, &c)| c >= 0.0 && crate::index::box_chord2(dest, &p.area) <= c)
                .map(|(_, &c)| c)
                .fold(-1.0, f64::max);
            let limit = s.reach.limit_chord2();
            if !g.is_empty() {
                let want = near.min(limit);
                assert_eq!(
                    s.reach.near_chord2().to_bits(),
                    want.to_bits(),
                    "{want} {g:?}"
                );
            }
            (s.reach.limit_km, s.reach.near_km, g)
        })
    };
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: None,
    };
    let mut hard = 0;
    let (mut kept_router, mut pass) = (router.clone(), 0);
    let times = passes
        .iter()
        .enumerate()
        .flat_map(|(p, t)| t.iter().map(move |&at| (p, at)));
    for (k, (p, at)) in times.enumerate() {
        if p != pass {
            (kept_router, pass) = (router.clone(), p);
        }
        let (lat, lon) = [(40.0, -75.0), (28.0, 80.0), (-33.9, 151.2)][k % 3];
        let mut order = Order::new("O", LatLng::new(lat, lon).unwrap(), vec![line]);
        // Runs of orders of one level and promise, so that an epoch lasts.
        order.service_level = [ServiceLevel::NEXT_DAY, ServiceLevel::SAME_DAY][k / 500 % 2];
        order.created_at = Some(at);
        if k / 700 % 3 == 2 {
            let utc = at.to_zoned(jiff::tz::TimeZone::UTC);
            order.promised_by = Some(utc.date()); // sooner than next day's
        }
        let kept = reach(&kept_router, &order);
        let fresh = reach(&router.clone(), &order);
        assert_eq!(kept, fresh, "order {k} at {at}");
        hard += usize::from(!kept.2.is_empty());
    }
    assert!(hard > 1_000, "only {hard} orders had a hard deadline");
}
