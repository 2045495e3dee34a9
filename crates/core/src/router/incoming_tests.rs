//! The incoming promise (`incoming.rs`): hand-computed dates on a small network, deadlines,
//! competition for incoming units, and the checker as the oracle (including over-promises).

use super::tests::{arb_case, now};
use crate::*;
use jiff::civil::{date, Date, Weekday};
use jiff::tz::TimeZone;
use proptest::prelude::*;

const TEE: SkuId = SkuId(0);

/// W1 (near the destination, Asia/Kolkata, one handling day, closed on Sundays) and W2
/// (about 300 km away, UTC, no handling days), neither holding stock on hand.
fn network() -> Network {
    let at = |lat, lon| LatLng::new(lat, lon).unwrap();
    let mut w1 = Node::new("W1", NodeKind::Warehouse, at(28.60, 77.20));
    w1.timezone = TimeZone::get("Asia/Kolkata").unwrap();
    w1.handling_days = Some(1);
    w1.calendar.close_weekday(Weekday::Sunday);
    let w2 = Node::new("W2", NodeKind::Warehouse, at(26.90, 75.80));
    Network::new(vec![w1, w2]).unwrap()
}

/// An order of `qty` TEE to near W1, created Thursday 2026-03-05 at 09:30 in Kolkata.
fn order(id: &str, qty: u32, promised_by: Option<Date>) -> Order {
    let mut o = Order::new(
        id,
        LatLng::new(28.52, 77.12).unwrap(),
        vec![OrderLine {
            line_no: 1,
            sku: TEE,
            qty,
            unit_price_cents: None,
        }],
    );
    o.created_at = Some("2026-03-05T04:00:00Z".parse().unwrap());
    o.promised_by = promised_by;
    o
}

fn incoming(lots: &[(u32, u32, Date)]) -> IncomingStock {
    IncomingStock::from_positions(lots.iter().map(|&(node, qty, day)| {
        let inc = Incoming {
            qty,
            expected: Some(day),
        };
        (NodeIdx(node), TEE, inc)
    }))
}

fn policy(promise: bool) -> Policy {
    let mut p = Policy::default();
    p.incoming.promise = promise;
    p
}

/// Routes `orders` on stock on hand (none), then promises from `inc`; the checker must pass.
fn plan(promise: bool, orders: &[Order], inc: &IncomingStock) -> Plan {
    let router = Router::new(network(), policy(promise));
    let stock = StockTable::default();
    let plan = router.route_sequential(orders, &stock, now());
    let plan = router.promise_incoming(orders, plan, inc, now());
    let v = check_with_incoming(
        &plan,
        orders,
        router.network(),
        &policy(promise).into(),
        &stock,
        inc,
        now(),
    );
    assert!(v.is_empty(), "{v:?}");
    plan
}

#[test]
fn an_unfilled_line_is_promised_from_incoming_stock_only_with_the_policy_on() {
    // W1's 3 units arrive Saturday 03-07: handling starts that day (00:00 is before the 14:00
    // cut-off), one handling day skips the closed Sunday to Monday 03-09, one transit day
    // (about 12 km) delivers Tuesday 03-10, before promised_by 03-12.
    let orders = [order("O1", 2, Some(date(2026, 3, 12)))];
    let inc = incoming(&[(0, 3, date(2026, 3, 7))]);
    let off = plan(false, &orders, &inc);
    assert!(off.decisions[0].shipments.is_empty());
    assert_eq!(off.decisions[0].unfilled[0].reason, Reason::NoStock);
    assert_eq!(off.totals.cost_cents, 6_000);

    let on = plan(true, &orders, &inc);
    let d = &on.decisions[0];
    assert!(d.is_complete());
    let s = &d.shipments[0];
    assert_eq!(s.node, NodeIdx(0));
    assert_eq!(s.arrival, Some(date(2026, 3, 7)));
    assert_eq!(s.promised_date, date(2026, 3, 10));
    // Fixed 500 plus 0.5 cents per km, rounded.
    let km = orders[0]
        .destination
        .distance_km(network().node(NodeIdx(0)).location);
    assert_eq!(s.cost.total_cents(), 500 + (0.5 * km + 0.5).floor() as i64);
    assert_eq!(on.totals.cost_cents, s.cost.total_cents());
    assert_eq!(on.totals.units_filled, 2);
}

#[test]
fn an_arrival_too_late_for_the_deadline_is_not_used() {
    // W1 would deliver 03-10, after promised_by 03-09; W2's units arrive the day the order is
    // made (03-05, before the cut-off in UTC), ship that day, and two transit days (about
    // 240 km) deliver 03-07.
    let by = Some(date(2026, 3, 9));
    let only_late = plan(
        true,
        &[order("O1", 1, by)],
        &incoming(&[(0, 5, date(2026, 3, 7))]),
    );
    assert!(only_late.decisions[0].shipments.is_empty());
    assert_eq!(only_late.decisions[0].unfilled[0].reason, Reason::NoStock);

    let inc = incoming(&[(0, 5, date(2026, 3, 7)), (1, 5, date(2026, 3, 5))]);
    let both = plan(true, &[order("O1", 1, by)], &inc);
    let s = &both.decisions[0].shipments[0];
    assert_eq!(s.node, NodeIdx(1));
    assert_eq!(
        (s.arrival, s.promised_date),
        (Some(date(2026, 3, 5)), date(2026, 3, 7))
    );
}

#[test]
fn without_a_deadline_the_horizon_bounds_the_arrival() {
    // No promised_by and the standard level has no deadline: 14 days after 03-05 is 03-19.
    let late = plan(
        true,
        &[order("O1", 1, None)],
        &incoming(&[(1, 1, date(2026, 3, 18))]),
    );
    assert!(late.decisions[0].shipments.is_empty());
    let soon = plan(
        true,
        &[order("O1", 1, None)],
        &incoming(&[(1, 1, date(2026, 3, 16))]),
    );
    assert_eq!(
        soon.decisions[0].shipments[0].promised_date,
        date(2026, 3, 18)
    );
}

#[test]
fn two_orders_never_promise_the_same_incoming_unit() {
    let orders = [order("O1", 1, None), order("O2", 1, None)];
    let inc = incoming(&[(0, 1, date(2026, 3, 7))]);
    let p = plan(true, &orders, &inc);
    assert_eq!(p.decisions[0].shipments.len(), 1);
    assert!(p.decisions[1].shipments.is_empty());
    assert_eq!(p.totals.units_filled, 1);
}

#[test]
fn the_checker_rejects_an_over_promise_and_an_early_promise() {
    let orders = [order("O1", 1, None), order("O2", 1, None)];
    let two = incoming(&[(0, 2, date(2026, 3, 7))]);
    let p = plan(true, &orders, &two);
    assert_eq!(p.totals.units_filled, 2);
    let network = network();
    let policies: PolicyVersions = policy(true).into();
    let stock = StockTable::default();
    let check_against = |p: &Plan, inc: &IncomingStock| {
        let v = check_with_incoming(p, &orders, &network, &policies, &stock, inc, now());
        v.into_iter().map(|v| v.code).collect::<Vec<_>>()
    };
    let one = incoming(&[(0, 1, date(2026, 3, 7))]);
    assert_eq!(check_against(&p, &one), ["INCOMING"]);
    let later = incoming(&[(0, 2, date(2026, 3, 8))]);
    assert_eq!(check_against(&p, &later), ["INCOMING", "INCOMING"]);
    let mut early = p.clone();
    early.decisions[0].shipments[0].promised_date = date(2026, 3, 9);
    assert_eq!(check_against(&early, &two), ["PROMISE"]);
    let plain = check(&p, &orders, &network, &policies, &stock, now());
    assert!(
        plain.iter().all(|v| v.code == "INCOMING") && plain.len() == 3,
        "{plain:?}"
    );
}

/// Re-routing a plan with incoming promises: an order whose incoming node goes down is promised
/// from another node's incoming units, and the units it gave back serve it again once the node
/// is up (they are not lost, nor counted as stock on hand).
#[test]
fn reroute_moves_incoming_promises_and_gives_their_units_back() {
    let router = Router::new(network(), policy(true));
    let stock = StockTable::default();
    let policies: PolicyVersions = policy(true).into();
    let orders = [order("O1", 1, None), order("O2", 1, None)];
    let inc = incoming(&[(0, 1, date(2026, 3, 7)), (1, 1, date(2026, 3, 7))]);
    let p = plan(true, &orders, &inc);
    let node_of = |p: &Plan, i: usize| {
        p.decisions[i]
            .shipments
            .iter()
            .map(|s| s.node)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (node_of(&p, 0), node_of(&p, 1)),
        (vec![NodeIdx(0)], vec![NodeIdx(1)])
    );
    let reroute = |events: &[Event]| {
        let r = router
            .reroute(&orders, &p, &stock, &inc, events, now())
            .unwrap();
        let v = check_with_incoming(
            &r.plan,
            &orders,
            router.network(),
            &policies,
            &r.stock,
            &inc,
            now(),
        );
        assert!(v.is_empty(), "{v:?}");
        r
    };
    // W1 down: O1 cannot take W2's unit (O2 holds it) and is unfilled; O2 keeps its promise.
    let r = reroute(&[Event::NodeDown(NodeIdx(0))]);
    assert_eq!(r.moved, [0]);
    assert!(r.plan.decisions[0].shipments.is_empty());
    assert_eq!(node_of(&r.plan, 1), [NodeIdx(1)]);
    // W1 back: O1's unit at W1 was given back, so O1 is promised from it again.
    let r = reroute(&[Event::NodeDown(NodeIdx(0)), Event::NodeUp(NodeIdx(0))]);
    assert!(r.moved.is_empty(), "{:?}", r.moved);
    let s = &r.plan.decisions[0].shipments[0];
    assert_eq!((s.node, s.arrival), (NodeIdx(0), Some(date(2026, 3, 7))));
    // W2 down: W1's unit is O1's, so O2 is unfilled and O1 keeps its promise.
    let r = reroute(&[Event::NodeDown(NodeIdx(1))]);
    assert_eq!(r.moved, [1]);
    assert_eq!(node_of(&r.plan, 0), [NodeIdx(0)]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random networks, stock and orders with random dated incoming stock: every plan the
    /// incoming promise makes passes the checker, and it never fills fewer units nor costs more
    /// than the plan on stock on hand.
    #[test]
    fn incoming_promises_pass_the_checker(
        case in arb_case(6, 3, 6),
        lots in prop::collection::vec((0u32..6, 0u32..6, 1u32..5, 0i64..20), 0..12),
    ) {
        let mut policy = case.policy.clone();
        policy.incoming.promise = true;
        let router = Router::new(case.network.clone(), policy.clone());
        let nodes = case.network.nodes().len() as u32;
        let day = now().to_zoned(TimeZone::UTC).date();
        let inc = IncomingStock::from_positions(lots.iter().map(|&(n, s, qty, d)| {
            let expected = Some(day + jiff::Span::new().days(d));
            (NodeIdx(n % nodes), SkuId(s), Incoming { qty, expected })
        }));
        let on_hand = router.route_sequential(&case.orders, &case.stock, now());
        let p = router.promise_incoming(&case.orders, on_hand.clone(), &inc, now());
        let v = check_with_incoming(
            &p, &case.orders, &case.network, &policy.into(), &case.stock, &inc, now(),
        );
        prop_assert!(v.is_empty(), "violations: {v:?}");
        prop_assert!(p.totals.units_filled >= on_hand.totals.units_filled);
        prop_assert!(p.totals.cost_cents <= on_hand.totals.cost_cents);
    }
}
