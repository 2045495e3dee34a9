//! Re-routing: plans stay feasible, only orders that had to (or could gain) move, a rejected
//! node never serves the order again, and too many rejections send an order to review.

use super::tests::{arb_case, now, Case};
use crate::*;
use proptest::prelude::*;

/// No units on their way.
fn none() -> IncomingStock {
    IncomingStock::default()
}

fn arb_events(nodes: usize, orders: usize) -> impl Strategy<Value = Vec<Event>> {
    let event = (0u8..7, 0..nodes, 0..orders.max(1), 0u32..6, 0u32..4).prop_map(
        |(kind, node, order, sku, qty)| {
            let node = NodeIdx(node as u32);
            let sku = SkuId(sku);
            match kind {
                0 => Event::NodeDown(node),
                1 => Event::NodeUp(node),
                2 => Event::Rejected { order, node },
                3 => Event::TimedOut { order, node },
                6 => Event::Accepted { order, node },
                4 => Event::StockCorrection {
                    node,
                    sku,
                    routable: qty,
                },
                _ => Event::StockArrival { node, sku, qty },
            }
        },
    );
    prop::collection::vec(event, 0..6)
}

fn case_and_events() -> impl Strategy<Value = (Case, Vec<Event>)> {
    arb_case(12, 3, 10).prop_flat_map(|case| {
        let (n, o) = (case.network.len(), case.orders.len());
        (Just(case), arb_events(n, o))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// With `[incoming] promise` and random dated incoming stock, every re-routed plan passes
    /// the checker against the stock on hand and incoming: no unit, on hand or on its way, is
    /// shipped twice or lost when the order that promised it moves.
    #[test]
    fn reroute_of_incoming_promises_keeps_plans_feasible(
        (case, events) in case_and_events(),
        lots in prop::collection::vec((0u32..12, 0u32..3, 1u32..4, 0i64..12), 0..10),
    ) {
        let mut policy = case.policy.clone();
        policy.incoming.promise = true;
        let router = Router::new(case.network.clone(), policy.clone());
        let nodes = case.network.len() as u32;
        let day = now().to_zoned(jiff::tz::TimeZone::UTC).date();
        let inc = IncomingStock::from_positions(lots.iter().map(|&(n, s, qty, d)| {
            let expected = Some(day + jiff::Span::new().days(d));
            (NodeIdx(n % nodes), SkuId(s), Incoming { qty, expected })
        }));
        let plan = router.route_sequential(&case.orders, &case.stock, now());
        let plan = router.promise_incoming(&case.orders, plan, &inc, now());
        let Ok(r) = router.reroute(&case.orders, &plan, &case.stock, &inc, &events, now()) else {
            return Ok(()); // a dealer event that does not fit: the test above covers it
        };
        let policies: PolicyVersions = policy.into();
        let v = check_with_incoming(&r.plan, &case.orders, &case.network, &policies, &r.stock, &inc, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
    }

    #[test]
    fn reroute_keeps_plans_feasible_and_moves_only_what_it_may((case, mut events) in case_and_events()) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let plan = router.route_sequential(&case.orders, &case.stock, now());
        let r = match router.reroute(&case.orders, &plan, &case.stock, &none(), &events, now()) {
            Ok(r) => r,
            Err(e) => {
                // The events before the bad one apply, and the bad one is a new dealer event by
                // a node that is not a dealer or does not ship the order there, or a refusal
                // by a dealer that accepted the order before.
                let k = e.event();
                events.truncate(k + 1);
                let bad = events.pop();
                let Some(Event::Rejected { order, node } | Event::TimedOut { order, node } | Event::Accepted { order, node }) = bad else {
                    panic!("{e} names event {k}, not a dealer event: {events:?}");
                };
                let refusal = !matches!(bad, Some(Event::Accepted { .. }));
                let before = router.reroute(&case.orders, &plan, &case.stock, &none(), &events, now()).unwrap();
                let ships = before.plan.decisions[order].shipments.iter().any(|s| s.node == node);
                let dealer = case.network.node(node).kind == NodeKind::Dealer;
                let refused = events.iter().any(|e| matches!(*e,
                    Event::Rejected { order: o, node: n } | Event::TimedOut { order: o, node: n } if (o, n) == (order, node)));
                let accepted = events.iter().any(|e| matches!(*e, Event::Accepted { order: o, node: n } if (o, n) == (order, node)));
                let repeated = if refusal { refused } else { accepted };
                prop_assert!(!repeated, "{e}: a repeated event is no error");
                match e {
                    RerouteError::NotADealer { .. } => prop_assert!(!dealer, "{e}"),
                    RerouteError::NotOffered { .. } => prop_assert!(dealer && !ships, "{e}"),
                    RerouteError::AlreadyAccepted { .. } => prop_assert!(refusal && accepted, "{e}"),
                }
                before
            }
        };
        // Feasible against the corrected starting stock (every cost recomputed).
        let v = check(&r.plan, &case.orders, &case.network, &case.policy.clone().into(), &r.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}\nevents {events:?}");
        // Unmoved orders keep their shipments exactly; moved ones changed them.
        for i in 0..case.orders.len() {
            let same = r.plan.decisions[i].shipments == plan.decisions[i].shipments;
            prop_assert_eq!(same, !r.moved.contains(&i), "order {} moved: {:?}", i, r.moved);
        }
        // An order may move only if an event touched it: it shipped from a node that went down or
        // rejected it, used a corrected position, or had an unfilled line (which new stock or a
        // node coming back may fill).
        for &i in &r.moved {
            let d = &plan.decisions[i];
            let order = &case.orders[i];
            let ships_from = |n: NodeIdx| d.shipments.iter().any(|s| s.node == n);
            let uses = |n: NodeIdx, sku: SkuId| d.shipments.iter().any(|s| s.node == n && s.lines.iter().any(|&l| order.lines[l].sku == sku));
            let allowed = !d.unfilled.is_empty() || events.iter().any(|e| match *e {
                Event::NodeDown(n) => ships_from(n),
                Event::Rejected { order: o, .. } | Event::TimedOut { order: o, .. } => o == i,
                Event::StockCorrection { node, sku, .. } => uses(node, sku),
                _ => false,
            });
            prop_assert!(allowed, "order {} moved without cause; events {:?}", i, events);
        }
        // A node that is down at the end ships nothing.
        for (k, e) in events.iter().enumerate() {
            if let Event::NodeDown(n) = *e {
                if !events[k..].contains(&Event::NodeUp(n)) {
                    prop_assert!(r.plan.decisions.iter().all(|d| d.shipments.iter().all(|s| s.node != n)), "down node {:?} still ships", n);
                }
            }
        }
        // An accepted order makes no optional move afterwards: with no event that forces a move
        // (a node down, a stock correction, a later refusal of it), its shipments stay as they
        // were at the accept.
        if !events.iter().any(|e| matches!(e, Event::NodeDown(_) | Event::StockCorrection { .. })) {
            for (k, e) in events.iter().enumerate() {
                let Event::Accepted { order, .. } = *e else { continue };
                let refused_after = events[k..].iter().any(|e| matches!(*e,
                    Event::Rejected { order: o, .. } | Event::TimedOut { order: o, .. } if o == order));
                if refused_after {
                    continue;
                }
                let at = router.reroute(&case.orders, &plan, &case.stock, &none(), &events[..k], now()).unwrap();
                prop_assert_eq!(&r.plan.decisions[order].shipments, &at.plan.decisions[order].shipments, "accepted order {} moved", order);
            }
        }
        // A node that rejected an order never serves it afterwards.
        for e in &events {
            if let Event::Rejected { order, node } | Event::TimedOut { order, node } = *e {
                prop_assert!(r.plan.decisions[order].shipments.iter().all(|s| s.node != node));
            }
        }
    }
}

#[test]
fn too_many_rejections_send_the_order_to_review() {
    let net = Network::new(vec![
        Node::new("D1", NodeKind::Dealer, LatLng::new(28.60, 77.20).unwrap()),
        Node::new("D2", NodeKind::Dealer, LatLng::new(28.62, 77.22).unwrap()),
        Node::new("D3", NodeKind::Dealer, LatLng::new(28.64, 77.24).unwrap()),
        Node::new("D4", NodeKind::Dealer, LatLng::new(28.66, 77.26).unwrap()),
    ])
    .unwrap();
    let policy = Policy::default(); // max_rejections = 3
    let router = Router::new(net.clone(), policy.clone());
    let stock = StockTable::from_positions((0..4).map(|n| (NodeIdx(n), SkuId(0), 1)));
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: None,
    };
    let orders = vec![Order::new(
        "O",
        LatLng::new(28.60, 77.20).unwrap(),
        vec![line],
    )];
    let plan = router.route_sequential(&orders, &stock, now());
    assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(0));
    let mut events = Vec::new();
    let mut r = router
        .reroute(&orders, &plan, &stock, &none(), &events, now())
        .unwrap();
    for expected in [NodeIdx(1), NodeIdx(2)] {
        let node = r.plan.decisions[0].shipments[0].node;
        events.push(Event::Rejected { order: 0, node });
        r = router
            .reroute(&orders, &plan, &stock, &none(), &events, now())
            .unwrap();
        assert_eq!(
            r.plan.decisions[0].shipments[0].node, expected,
            "moves to the next dealer"
        );
        assert!(r.review.is_empty());
    }
    events.push(Event::TimedOut {
        order: 0,
        node: NodeIdx(2),
    });
    let r = router
        .reroute(&orders, &plan, &stock, &none(), &events, now())
        .unwrap();
    assert_eq!(r.review, vec![0]);
    assert!(
        r.plan.decisions[0].shipments.is_empty(),
        "review orders ship nothing"
    );
    assert_eq!(r.moved, vec![0]);
    assert!(r.plan.totals.cost_cents > r.before.cost_cents);
}

#[test]
fn a_stock_correction_moves_the_latest_user_only() {
    let net = Network::new(vec![
        Node::new("A", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
        Node::new("B", NodeKind::Store, LatLng::new(28.70, 77.30).unwrap()),
    ])
    .unwrap();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 2), (NodeIdx(1), SkuId(0), 5)]);
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: None,
    };
    let dest = LatLng::new(28.60, 77.20).unwrap();
    let orders = vec![
        Order::new("O1", dest, vec![line]),
        Order::new("O2", dest, vec![line]),
    ];
    let plan = router.route_sequential(&orders, &stock, now());
    assert!(plan
        .decisions
        .iter()
        .all(|d| d.shipments[0].node == NodeIdx(0)));
    let events = [Event::StockCorrection {
        node: NodeIdx(0),
        sku: SkuId(0),
        routable: 1,
    }];
    let r = router
        .reroute(&orders, &plan, &stock, &none(), &events, now())
        .unwrap();
    assert_eq!(
        r.moved,
        vec![1],
        "the later order moves, the earlier keeps its unit"
    );
    assert_eq!(r.plan.decisions[0], plan.decisions[0]);
    assert_eq!(r.plan.decisions[1].shipments[0].node, NodeIdx(1));
}

/// One order of one unit of SKU 0 near D1; `nodes` hold a unit each.
fn one_order(nodes: Vec<Node>) -> (Network, StockTable, Vec<Order>) {
    let n = nodes.len() as u32;
    let net = Network::new(nodes).unwrap();
    let stock = StockTable::from_positions((0..n).map(|i| (NodeIdx(i), SkuId(0), 1)));
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: None,
    };
    let dest = LatLng::new(28.60, 77.20).unwrap();
    (net, stock, vec![Order::new("O", dest, vec![line])])
}

fn dealers(n: u32) -> Vec<Node> {
    (0..n)
        .map(|i| {
            let at = LatLng::new(28.60 + 0.02 * f64::from(i), 77.20).unwrap();
            Node::new(format!("D{}", i + 1), NodeKind::Dealer, at)
        })
        .collect()
}

#[test]
fn a_repeated_rejection_counts_once() {
    let (net, stock, orders) = one_order(dealers(4));
    let policy = Policy::default(); // max_rejections = 3
    let router = Router::new(net.clone(), policy.clone());
    let plan = router.route_sequential(&orders, &stock, now());
    let d1 = Event::Rejected {
        order: 0,
        node: NodeIdx(0),
    };
    let timed_out = Event::TimedOut {
        order: 0,
        node: NodeIdx(0),
    };
    let r = router
        .reroute(&orders, &plan, &stock, &none(), &[d1, d1, timed_out], now())
        .unwrap();
    assert!(r.review.is_empty(), "one refusal, not three");
    assert_eq!(r.plan.decisions[0].shipments[0].node, NodeIdx(1));
    assert_eq!(r.moved, vec![0]);
}

#[test]
fn a_rejection_by_a_node_without_the_order_or_not_a_dealer_is_an_error() {
    let mut nodes = dealers(2);
    nodes.push(Node::new(
        "WH",
        NodeKind::Warehouse,
        LatLng::new(28.9, 77.5).unwrap(),
    ));
    let (net, stock, orders) = one_order(nodes);
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let plan = router.route_sequential(&orders, &stock, now());
    assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(0));
    let reject = |node| Event::Rejected {
        order: 0,
        node: NodeIdx(node),
    };
    let err = router
        .reroute(&orders, &plan, &stock, &none(), &[reject(1)], now())
        .unwrap_err();
    let not_offered = RerouteError::NotOffered {
        event: 0,
        order: 0,
        node: NodeIdx(1),
    };
    assert_eq!((err.code(), &err), ("E3110", &not_offered));
    let err = router
        .reroute(&orders, &plan, &stock, &none(), &[reject(2)], now())
        .unwrap_err();
    assert_eq!(err.code(), "E3109");
    // After D1 refuses, the order is D2's: D2 may refuse it, and D1 again is a repeat (two
    // refusals of three: the warehouse ships it).
    let r = router.reroute(
        &orders,
        &plan,
        &stock,
        &none(),
        &[reject(0), reject(1), reject(0)],
        now(),
    );
    let r = r.unwrap();
    assert_eq!(r.plan.decisions[0].shipments[0].node, NodeIdx(2));
    assert!(r.review.is_empty());
    let err = router
        .reroute(
            &orders,
            &plan,
            &stock,
            &none(),
            &[reject(0), reject(0), reject(2)],
            now(),
        )
        .unwrap_err();
    assert_eq!((err.code(), err.event()), ("E3109", 2));
}

#[test]
fn an_order_back_where_it_was_is_not_moved() {
    let (net, stock, orders) = one_order(vec![Node::new(
        "A",
        NodeKind::Store,
        LatLng::new(28.60, 77.20).unwrap(),
    )]);
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let plan = router.route_sequential(&orders, &stock, now());
    let (down, up) = (Event::NodeDown(NodeIdx(0)), Event::NodeUp(NodeIdx(0)));
    let r = router
        .reroute(&orders, &plan, &stock, &none(), &[down], now())
        .unwrap();
    assert_eq!(r.moved, vec![0], "nothing else ships it while A is down");
    assert!(r.plan.decisions[0].shipments.is_empty());
    let r = router
        .reroute(&orders, &plan, &stock, &none(), &[down, up], now())
        .unwrap();
    assert_eq!(r.plan.decisions[0].shipments, plan.decisions[0].shipments);
    assert!(r.moved.is_empty(), "back on A: not moved");
}

#[test]
fn an_accepted_order_stays_and_its_dealer_cannot_refuse_it_later() {
    let at = |lat| LatLng::new(lat, 77.20).unwrap();
    let net = Network::new(vec![
        Node::new("D1", NodeKind::Dealer, at(28.60)),
        Node::new("W", NodeKind::Warehouse, at(28.61)),
    ])
    .unwrap();
    let router = Router::new(net, Policy::default());
    // D1 holds the first line's SKU; nobody holds the second's yet.
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 1)]);
    let line = |line_no, sku| OrderLine {
        line_no,
        sku: SkuId(sku),
        qty: 1,
        unit_price_cents: None,
    };
    let orders = vec![Order::new("O", at(28.61), vec![line(1, 0), line(2, 1)])];
    let plan = router.route_sequential(&orders, &stock, now());
    assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(0));
    assert_eq!(plan.decisions[0].unfilled.len(), 1);
    let arrival = |sku| Event::StockArrival {
        node: NodeIdx(1),
        sku: SkuId(sku),
        qty: 1,
    };
    // Without an accept, both SKUs arriving at W move the whole order there.
    let r = router
        .reroute(
            &orders,
            &plan,
            &stock,
            &none(),
            &[arrival(0), arrival(1)],
            now(),
        )
        .unwrap();
    assert_eq!(r.plan.decisions[0].shipments.len(), 1);
    assert_eq!(r.plan.decisions[0].shipments[0].node, NodeIdx(1));
    // Accepted by D1, it stays.
    let accepted = Event::Accepted {
        order: 0,
        node: NodeIdx(0),
    };
    let r = router
        .reroute(
            &orders,
            &plan,
            &stock,
            &none(),
            &[accepted, arrival(0), arrival(1)],
            now(),
        )
        .unwrap();
    assert!(r.moved.is_empty(), "{:?}", r.plan.decisions[0]);
    // D1 cannot refuse it afterwards; an accept by a node that does not ship it is an error.
    let refused = Event::Rejected {
        order: 0,
        node: NodeIdx(0),
    };
    let e = router
        .reroute(&orders, &plan, &stock, &none(), &[accepted, refused], now())
        .unwrap_err();
    assert_eq!((e.code(), e.event()), ("E3112", 1));
    let stranger = Event::Accepted {
        order: 0,
        node: NodeIdx(1),
    };
    let e = router
        .reroute(&orders, &plan, &stock, &none(), &[stranger], now())
        .unwrap_err();
    assert_eq!(e.code(), "E3109", "W is not a dealer");
}
