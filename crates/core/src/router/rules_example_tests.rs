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
