//! The inventory-balance term against a brute force, and the checker's bounds on it.

use super::tests::{arb_case, feasible_assignments, now};
use crate::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 800, ..ProptestConfig::default() })]

    /// With a balance term every decision costs the brute-force optimum (each assignment priced
    /// by the checker plus its balance against the stock), and every sequential plan passes the
    /// checker.
    #[test]
    fn balance_is_priced_exactly(
        case in arb_case(7, 3, 6),
        below_units in 1u32..6,
        per_unit_cents in 0i64..2000,
    ) {
        let mut case = case;
        case.policy.balance = Some(Balance { below_units, per_unit_cents });
        let b = case.policy.balance.unwrap();
        let router = Router::new(case.network.clone(), case.policy.clone());
        for order in &case.orders {
            let d = router.route(order, &case.stock, &Load::default(), now());
            let rules = OrderRules::of(order, &case.policy);
            let unfilled: i64 = order
                .lines
                .iter()
                .map(|l| rules.unfilled_per_unit_cents * i64::from(l.qty))
                .sum();
            let best = feasible_assignments(&case, order, &rules)
                .into_iter()
                .map(|(cost, assign)| {
                    let balance: i64 = assign
                        .iter()
                        .zip(&order.lines)
                        .filter(|(&n, _)| n != usize::MAX)
                        .map(|(&n, l)| b.cents(case.stock.qty(NodeIdx(n as u32), l.sku), l.qty))
                        .sum();
                    cost + balance
                })
                .fold(unfilled, i64::min);
            prop_assert_eq!(d.cost_cents(), best, "{:#?}", d);
        }
        let plan = router.route_sequential(&case.orders, &case.stock, now());
        let v = check(&plan, &case.orders, &case.network, &case.policy.clone().into(), &case.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
    }
}

#[test]
fn a_store_keeps_its_last_units_and_the_checker_bounds_the_term() {
    let at = |lat, lon| LatLng::new(lat, lon).unwrap();
    let store = Node::new("STORE", NodeKind::Store, at(28.50, 77.10));
    let wh = Node::new("WH", NodeKind::Warehouse, at(28.70, 77.30));
    let network = Network::new(vec![store, wh]).unwrap();
    let sku = SkuId(0);
    let stock = StockTable::from_positions([(NodeIdx(0), sku, 1), (NodeIdx(1), sku, 300)]);
    let line = OrderLine {
        line_no: 1,
        sku,
        qty: 1,
        unit_price_cents: None,
    };
    let order = Order::new("O1", at(28.52, 77.12), vec![line]);
    // Off by default: the nearer store sells its last unit.
    let mut policy = Policy::default();
    let d =
        Router::new(network.clone(), policy.clone()).route(&order, &stock, &Load::default(), now());
    assert_eq!((d.shipments[0].node, d.cost.balance_cents), (NodeIdx(0), 0));
    // On: the store's last unit takes one unit into its buffer of 3 (3 below after, 2 before),
    // 5000 cents, more than the ~35 km to the warehouse holding 300.
    policy.balance = Some(Balance {
        below_units: 3,
        per_unit_cents: 5000,
    });
    policy.costs.unfilled_per_unit_cents = 100_000; // so the pinned order below ships
    let router = Router::new(network.clone(), policy.clone());
    let d = router.route(&order, &stock, &Load::default(), now());
    assert_eq!((d.shipments[0].node, d.cost.balance_cents), (NodeIdx(1), 0));
    let store = d.candidates.iter().find(|c| c.node == NodeIdx(0)).unwrap();
    let CandidateOutcome::Priced { cost_cents, .. } = store.outcome else {
        panic!()
    };
    assert_eq!(cost_cents, 500 + 1 + 5000); // fixed + ~2.9 km × 0.5 + one unit into the buffer
                                            // A plan that prices the store's shipment without the term is a COST violation.
    let policies: PolicyVersions = policy.clone().into();
    let mut forced = order.clone();
    forced.pinned = vec![NodeIdx(0)];
    let honest = router.route(&forced, &stock, &Load::default(), now());
    assert_eq!(honest.cost.balance_cents, 5000);
    let plan = Plan::from_decisions(std::slice::from_ref(&forced), vec![honest.clone()]);
    assert!(check(
        &plan,
        std::slice::from_ref(&forced),
        &network,
        &policies,
        &stock,
        now()
    )
    .is_empty());
    let mut cheat = honest;
    cheat.shipments[0].cost.balance_cents = 0;
    cheat.cost.balance_cents = 0;
    let plan = Plan::from_decisions(std::slice::from_ref(&forced), vec![cheat]);
    let v = check(
        &plan,
        std::slice::from_ref(&forced),
        &network,
        &policies,
        &stock,
        now(),
    );
    assert_eq!(
        v.iter().map(|v| v.code).collect::<Vec<_>>(),
        ["COST"],
        "{v:?}"
    );
}
