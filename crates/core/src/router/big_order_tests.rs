//! Orders of more lines than the exact DP takes (and than a machine word holds): routed by the
//! heuristic, they must never ship what is not there. The checker is the oracle.

use super::tests::{arb_case_with, now, Case};
use crate::*;
use proptest::prelude::*;

/// One warehouse W1 near the destination; `lines` lines of one unit of SKUs 0, 1, 2, …;
/// W1 holds one unit of each SKU below `held`.
fn one_warehouse(lines: u32, held: u32) -> (Case, Order) {
    let network = Network::new(vec![Node::new(
        "W1",
        NodeKind::Warehouse,
        LatLng::new(28.61, 77.21).unwrap(),
    )])
    .unwrap();
    let stock = StockTable::from_positions((0..held).map(|s| (NodeIdx(0), SkuId(s), 1)));
    let order = Order::new(
        "B2B",
        LatLng::new(28.52, 77.12).unwrap(),
        (0..lines)
            .map(|k| OrderLine {
                line_no: k + 1,
                sku: SkuId(k),
                qty: 1,
                unit_price_cents: None,
            })
            .collect(),
    );
    let case = Case {
        network,
        policy: Policy::default(),
        stock,
        orders: vec![order.clone()],
    };
    (case, order)
}

/// Routes the case's orders one after another and checks the plan.
fn routed(case: &Case) -> Plan {
    let router = Router::new(case.network.clone(), case.policy.clone());
    let plan = router.route_sequential(&case.orders, &case.stock, now());
    let v = check(
        &plan,
        &case.orders,
        &case.network,
        &case.policy.clone().into(),
        &case.stock,
        now(),
    );
    assert!(v.is_empty(), "violations: {v:?}");
    plan
}

/// The shipped line indices and the unfilled ones with their reasons.
fn outcome(d: &Decision) -> (Vec<usize>, Vec<(usize, Reason)>) {
    let shipped = d.shipments.iter().flat_map(|s| s.lines.clone()).collect();
    let unfilled = d.unfilled.iter().map(|u| (u.line, u.reason)).collect();
    (shipped, unfilled)
}

#[test]
fn a_66_line_order_ships_only_the_line_in_stock() {
    let (case, _) = one_warehouse(66, 1);
    let plan = routed(&case);
    let (shipped, unfilled) = outcome(&plan.decisions[0]);
    assert_eq!(shipped, [0]);
    assert_eq!(unfilled.len(), 65);
    assert!(unfilled.iter().all(|&(_, r)| r == Reason::NoStock));
    assert_eq!(plan.decisions[0].candidates.len(), 1);
}

#[test]
fn a_65_line_order_with_64_in_stock_ships_64() {
    let (case, _) = one_warehouse(65, 64);
    let (shipped, unfilled) = outcome(&routed(&case).decisions[0]);
    assert_eq!(shipped, (0..64).collect::<Vec<_>>());
    assert_eq!(unfilled, [(64, Reason::NoStock)]);
}

#[test]
fn a_128_line_order_in_stock_ships_whole() {
    let (case, _) = one_warehouse(128, 128);
    let plan = routed(&case);
    let d = &plan.decisions[0];
    assert!(d.is_complete(), "{:?}", outcome(d));
    assert_eq!(d.shipments.len(), 1);
    assert_eq!(d.shipments[0].units, 128);
    match &d.candidates[0].outcome {
        CandidateOutcome::Priced { lines, .. } => assert_eq!(*lines, LineSet::full(128)),
        other @ CandidateOutcome::Filtered(_) => panic!("{other:?}"),
    }
}

#[test]
fn optimise_bounds_a_300_line_order() {
    let (case, _) = one_warehouse(300, 300);
    let router = Router::new(case.network.clone(), case.policy.clone());
    let opts = OptimiseOptions {
        iteration_limit: Some(200),
        single_thread: true,
        ..OptimiseOptions::default()
    };
    let plan = router.route_batch(&case.orders, &case.stock, now(), &Mode::Optimise(opts));
    assert!(plan.decisions[0].is_complete());
    // One shipment of 300 units from the one node: the floor (the shipment's fixed and distance
    // costs, no handling) is the cost itself.
    assert_eq!(plan.bound_cents, Some(plan.totals.cost_cents));
    assert_eq!(plan.gap(), Some(0.0));
}

#[test]
fn big_orders_split_across_nodes_by_stock_and_sku_groups() {
    // Two nodes each holding half the SKUs; lines 0 and 1 share a SKU that W1 holds only one
    // unit of (so they cannot both ship from it) and W2 holds two of.
    let network = Network::new(vec![
        Node::new(
            "W1",
            NodeKind::Warehouse,
            LatLng::new(28.61, 77.21).unwrap(),
        ),
        Node::new(
            "W2",
            NodeKind::Warehouse,
            LatLng::new(28.40, 77.00).unwrap(),
        ),
    ])
    .unwrap();
    let mut positions: Vec<(NodeIdx, SkuId, u32)> =
        (1..100).map(|s| (NodeIdx(s % 2), SkuId(s), 1)).collect();
    positions.extend([(NodeIdx(0), SkuId(0), 1), (NodeIdx(1), SkuId(0), 2)]);
    let lines = (0..100)
        .map(|k| OrderLine {
            line_no: k + 1,
            sku: SkuId(k.saturating_sub(1)),
            qty: 1,
            unit_price_cents: None,
        })
        .collect();
    let order = Order::new("B2B", LatLng::new(28.5, 77.1).unwrap(), lines);
    let case = Case {
        network,
        policy: Policy::default(),
        stock: StockTable::from_positions(positions),
        orders: vec![order],
    };
    let d = &routed(&case).decisions[0];
    assert!(d.is_complete(), "{:?}", outcome(d));
    assert_eq!(d.shipments.len(), 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// Orders of 1 to 300 lines over up to 30 nodes and 400 SKUs: every sequential plan passes
    /// the checker (every shipped line held by its node, capacities, rules, costs).
    #[test]
    fn orders_of_up_to_300_lines_pass_the_checker(case in arb_case_with(30, 300, 3, 400, 4_000)) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let plan = router.route_sequential(&case.orders, &case.stock, now());
        let v = check(&plan, &case.orders, &case.network, &case.policy.clone().into(), &case.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
        // A line is NO_STOCK exactly when no node holds enough of it (here: when routed alone).
        let first = &case.orders[0];
        let d = router.route(first, &case.stock, &Load::default(), now());
        for u in &d.unfilled {
            let line = &first.lines[u.line];
            let held = (0..case.network.len())
                .any(|n| case.stock.qty(NodeIdx(n as u32), line.sku) >= line.qty);
            prop_assert_eq!(u.reason == Reason::NoStock, !held);
        }
    }

    /// Optimise mode's bound never exceeds the plan's cost, and the plan passes the checker.
    #[test]
    fn optimise_bounds_orders_of_up_to_300_lines(case in arb_case_with(12, 300, 3, 400, 3_000)) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let opts = OptimiseOptions { iteration_limit: Some(200), single_thread: true, ..OptimiseOptions::default() };
        let plan = router.route_batch(&case.orders, &case.stock, now(), &Mode::Optimise(opts));
        let v = check(&plan, &case.orders, &case.network, &case.policy.clone().into(), &case.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
        let bound = plan.bound_cents.unwrap();
        prop_assert!(bound <= plan.totals.cost_cents);
    }
}
