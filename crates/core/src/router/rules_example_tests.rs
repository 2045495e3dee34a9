//! Tag filters, groups and pins on a two-node network: the decision, its explanation, and the
//! checker's verdict on plans that break them.

use super::tests::now;
use crate::*;

#[test]
#[allow(clippy::too_many_lines)]
fn a_plan_shipping_from_an_excluded_tag_or_outside_its_group_is_a_violation() {
    let at = |lat, lon| LatLng::new(lat, lon).unwrap();
    let mut outlet = Node::new("OUTLET", NodeKind::Store, at(28.50, 77.10));
    outlet.tags = vec!["outlet".into()];
    let wh = Node::new("WH", NodeKind::Warehouse, at(28.70, 77.30));
    let network = Network::new(vec![outlet, wh]).unwrap();
    let sku = SkuId(0);
    let stock = StockTable::from_positions([(NodeIdx(0), sku, 5), (NodeIdx(1), sku, 5)]);
    let order = Order::new(
        "O1",
        at(28.52, 77.12),
        vec![OrderLine {
            line_no: 1,
            sku,
            qty: 1,
            unit_price_cents: None,
        }],
    );
    let judge = |policy: &Policy, d: &Decision| {
        let plan = Plan::from_decisions(std::slice::from_ref(&order), vec![d.clone()]);
        let v = check(
            &plan,
            std::slice::from_ref(&order),
            &network,
            &policy.clone().into(),
            &stock,
            now(),
        );
        v.into_iter().map(|v| v.code).collect::<Vec<_>>()
    };
    // Without rules the nearer outlet ships; a rule excluding the tag moves it to the warehouse,
    // and the outlet's decision is then a TAG violation.
    let open = Policy::default();
    let by_outlet =
        Router::new(network.clone(), open.clone()).route(&order, &stock, &Load::default(), now());
    assert_eq!(by_outlet.shipments[0].node, NodeIdx(0));
    let mut no_outlet = open.clone();
    no_outlet.rules.push(Rule {
        name: "never outlets".into(),
        set: Overrides {
            excluded_tags: vec!["outlet".into()],
            ..Overrides::default()
        },
        ..Rule::default()
    });
    let d = Router::new(network.clone(), no_outlet.clone()).route(
        &order,
        &stock,
        &Load::default(),
        now(),
    );
    assert_eq!(d.shipments[0].node, NodeIdx(1));
    let outlet_seen = d.candidates.iter().find(|c| c.node == NodeIdx(0)).unwrap();
    assert_eq!(
        outlet_seen.outcome,
        CandidateOutcome::Filtered(Reason::TagNotAllowed)
    );
    assert!(judge(&no_outlet, &by_outlet).contains(&"TAG"));
    // Groups: warehouses first unless within 5 km (the warehouse is ~25 km away), then stores.
    let mut grouped = open.clone();
    grouped.rules.push(Rule {
        name: "warehouses first".into(),
        groups: vec![
            NodeGroup {
                name: "near warehouses".into(),
                select: GroupSelect {
                    kinds: vec![NodeKind::Warehouse],
                    ..GroupSelect::default()
                },
                require: GroupCondition {
                    within_km: Some(5.0),
                    ..GroupCondition::default()
                },
            },
            NodeGroup {
                name: "warehouses".into(),
                select: GroupSelect {
                    kinds: vec![NodeKind::Warehouse],
                    ..GroupSelect::default()
                },
                require: GroupCondition::default(),
            },
        ],
        ..Rule::default()
    });
    let d = Router::new(network.clone(), grouped.clone()).route(
        &order,
        &stock,
        &Load::default(),
        now(),
    );
    assert_eq!(d.shipments[0].node, NodeIdx(1));
    let choice = d.group.clone().unwrap();
    assert_eq!(choice.rule, "warehouses first");
    assert_eq!(choice.group.as_deref(), Some("warehouses"));
    assert_eq!(choice.failed.len(), 1);
    assert_eq!(choice.failed[0].0, "near warehouses");
    assert_eq!(choice.failed[0].1.code(), "TOO_FAR");
    assert!(judge(&grouped, &d).is_empty());
    // The outlet's decision, claiming the same group, ships from outside it.
    let mut forged = by_outlet.clone();
    forged.group = d.group.clone();
    assert_eq!(judge(&grouped, &forged), ["GROUP"]);
    // No claim at all.
    assert_eq!(judge(&grouped, &by_outlet), ["GROUP"]);
    // Pins: only the warehouse may serve, though the outlet is nearer.
    let mut pinned = order.clone();
    pinned.pinned = vec![NodeIdx(1)];
    let d =
        Router::new(network.clone(), open.clone()).route(&pinned, &stock, &Load::default(), now());
    assert_eq!(d.shipments[0].node, NodeIdx(1));
    let outlet_seen = d.candidates.iter().find(|c| c.node == NodeIdx(0)).unwrap();
    assert_eq!(
        outlet_seen.outcome,
        CandidateOutcome::Filtered(Reason::Excluded)
    );
}

/// Optimise mode honours a rule's group fallback: an order whose first group can ship it
/// complete from the starting stock ships from that group, even where sending it to a later
/// group would free the group's stock for another order (docs/policy.md, "Node groups").
/// NEAR holds one unit; O1 sits by NEAR and O2 by FAR, the rule tries NEAR (ship complete)
/// first. The sequential plan sends O1 to NEAR and O2, finding NEAR empty, to FAR by the
/// default. Swapping them would cost less, but O1 can ship complete from NEAR, so its group is
/// NEAR: the optimised plan keeps O1 there, names that group and passes the checker.
#[test]
fn optimise_keeps_each_order_in_the_group_its_starting_stock_decides() {
    let at = |lat, lon| LatLng::new(lat, lon).unwrap();
    let near = Node::new("NEAR", NodeKind::Store, at(28.50, 77.10));
    let far = Node::new("FAR", NodeKind::Warehouse, at(28.90, 77.50));
    let network = Network::new(vec![near, far]).unwrap();
    let sku = SkuId(0);
    let stock = StockTable::from_positions([(NodeIdx(0), sku, 1), (NodeIdx(1), sku, 9)]);
    let order = |id: &str, lat, lon| {
        let line = OrderLine {
            line_no: 1,
            sku,
            qty: 1,
            unit_price_cents: None,
        };
        Order::new(id, at(lat, lon), vec![line])
    };
    // O1 is between the two (NEAR a little nearer); O2 is at NEAR's door.
    let orders = [order("O1", 28.69, 77.29), order("O2", 28.50, 77.10)];
    let mut policy = Policy::default();
    policy.rules.push(Rule {
        name: "near first".into(),
        groups: vec![NodeGroup {
            name: "near".into(),
            select: GroupSelect {
                node_ids: vec!["NEAR".into()],
                ..GroupSelect::default()
            },
            require: GroupCondition {
                ship_complete: true,
                ..GroupCondition::default()
            },
        }],
        ..Rule::default()
    });
    let router = Router::new(network.clone(), policy.clone()).parallel(false);
    let seq = router.route_sequential(&orders, &stock, now());
    let node = |p: &Plan, i: usize| p.decisions[i].shipments[0].node;
    assert_eq!((node(&seq, 0), node(&seq, 1)), (NodeIdx(0), NodeIdx(1)));
    let opts = OptimiseOptions {
        iteration_limit: Some(50),
        single_thread: true,
        ..OptimiseOptions::default()
    };
    let plan = router.route_batch(&orders, &stock, now(), &Mode::Optimise(opts));
    assert_eq!(node(&plan, 0), NodeIdx(0), "{:?}", plan.decisions[0]);
    let group = plan.decisions[0].group.as_ref().unwrap();
    assert_eq!(group.group.as_deref(), Some("near"));
    let v = check(&plan, &orders, &network, &policy.into(), &stock, now());
    assert!(v.is_empty(), "{v:?}");
}
