//! The dealer terms in routing: the expected cost of a refusal and territories, against the
//! brute force priced by the checker.

use super::tests::{arb_case, assert_exact, now};
use crate::*;
use ::geo::{polygon, MultiPolygon};
use proptest::prelude::*;

fn dealer(id: &str, lat: f64, rate: Option<f64>) -> Node {
    let mut n = Node::new(id, NodeKind::Dealer, LatLng::new(lat, 77.2).unwrap());
    n.dealer = Some(DealerTerms {
        margin_bps: 0,
        territory: None,
        acceptance_timeout_s: None,
        acceptance_rate: rate,
    });
    n
}

fn one_line(lat: f64) -> Order {
    let line = OrderLine {
        line_no: 1,
        sku: SkuId(0),
        qty: 1,
        unit_price_cents: Some(10_000),
    };
    Order::new("o", LatLng::new(lat, 77.2).unwrap(), vec![line])
}

/// A cheap dealer who rejects half the time loses to a slightly farther one who never does once
/// refusals are priced, and wins while they are not.
#[test]
fn a_dealer_who_rejects_often_loses_to_a_farther_one_who_does_not() {
    let near = dealer("NEAR", 28.60, Some(0.5));
    let far = dealer("FAR", 28.70, Some(1.0));
    let network = Network::new(vec![near, far]).unwrap();
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 5), (NodeIdx(1), SkuId(0), 5)]);
    let order = one_line(28.60);
    let mut policy = Policy::default();
    let route = |policy: &Policy| {
        let d = Router::new(network.clone(), policy.clone()).route(
            &order,
            &stock,
            &Load::default(),
            now(),
        );
        (d.shipments[0].node, d.shipments[0].cost)
    };
    // 11.1 km further at 0.5 a km: 6 cents dearer.
    let (node, cost) = route(&policy);
    assert_eq!((node, cost.reject_risk_cents), (NodeIdx(0), 0));
    policy.dealers.reject_cost_cents = 20;
    let (node, cost) = route(&policy);
    assert_eq!((node, cost.reject_risk_cents), (NodeIdx(1), 0));
    // The near dealer's expected refusal cost is 10, above the 6 cents of distance.
    policy.dealers.reject_cost_cents = 11;
    policy.dealers.delay_cost_per_hour_cents = 4; // 15 minutes: 1 cent, so 12 × 0.5 = 6.
    let (node, _) = route(&policy);
    assert_eq!(
        node,
        NodeIdx(0),
        "6 cents of risk ties 6 cents of distance: the id breaks it"
    );
}

/// Inside its territory a dealer is preferred by `outside_territory_cents`, or required.
#[test]
fn territories_are_preferred_or_required() {
    let mut inside = dealer("IN", 28.70, Some(1.0));
    let mut outside = dealer("OUT", 28.60, Some(1.0));
    let box_at = |lat: f64| {
        MultiPolygon(vec![polygon![
            (x: 77.0, y: lat - 0.05), (x: 77.4, y: lat - 0.05),
            (x: 77.4, y: lat + 0.05), (x: 77.0, y: lat + 0.05)
        ]])
    };
    inside.dealer.as_mut().unwrap().territory = Some(box_at(28.60));
    outside.dealer.as_mut().unwrap().territory = Some(box_at(30.0));
    let network = Network::new(vec![inside, outside]).unwrap();
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 5), (NodeIdx(1), SkuId(0), 5)]);
    let order = one_line(28.60);
    let route = |policy: &Policy| {
        Router::new(network.clone(), policy.clone()).route(&order, &stock, &Load::default(), now())
    };
    let mut policy = Policy::default();
    assert_eq!(route(&policy).shipments[0].node, NodeIdx(1), "nearer wins");
    policy.dealers.outside_territory_cents = 1_000;
    let d = route(&policy);
    assert_eq!(d.shipments[0].node, NodeIdx(0), "inside its territory");
    assert_eq!(d.shipments[0].cost.outside_territory_cents, 0);
    policy.dealers.outside_territory_cents = 0;
    policy.dealers.territory_required = true;
    let d = route(&policy);
    assert_eq!(d.shipments[0].node, NodeIdx(0));
    let out = d.candidates.iter().find(|c| c.node == NodeIdx(1)).unwrap();
    assert_eq!(
        out.outcome,
        CandidateOutcome::Filtered(Reason::OutsideTerritory)
    );
}

fn with_dealer_terms(
    mut case: super::tests::Case,
    rates: &[Option<f64>],
    territories: &[Option<(f64, f64, f64)>],
    (reject, delay, outside, required): (i64, i64, i64, bool),
) -> super::tests::Case {
    let nodes: Vec<Node> = case
        .network
        .nodes()
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut n = n.clone();
            if let Some(d) = n.dealer.as_mut() {
                d.acceptance_rate = rates[i % rates.len()];
                d.acceptance_timeout_s = (i % 3 == 0).then_some(3_600);
                d.territory = territories[i % territories.len()].map(|(lat, lon, r)| {
                    MultiPolygon(vec![polygon![
                        (x: lon - r, y: lat - r), (x: lon + r, y: lat - r),
                        (x: lon + r, y: lat + r), (x: lon - r, y: lat + r)
                    ]])
                });
            }
            n
        })
        .collect();
    case.network = Network::new(nodes).unwrap();
    case.policy.dealers.reject_cost_cents = reject;
    case.policy.dealers.delay_cost_per_hour_cents = delay;
    case.policy.dealers.outside_territory_cents = outside;
    case.policy.dealers.territory_required = required;
    case
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// With refusals and territories priced, every decision costs exactly the brute-force
    /// optimum priced by the checker (which prices each dealer's expected refusal cost): no
    /// order goes to a dealer whose expected cost exceeds another feasible choice's.
    #[test]
    fn dealer_terms_keep_routing_exact(
        case in arb_case(9, 4, 3),
        rates in prop::collection::vec(prop::option::weighted(0.8, 0.0..=1.0f64), 1..4),
        territories in prop::collection::vec(
            prop::option::weighted(0.6, (20.0..24.0f64, 76.0..80.0f64, 0.2..2.0f64)),
            1..4,
        ),
        terms in (0i64..3_000, 0i64..2_000, 0i64..3_000, any::<bool>()),
    ) {
        let case = with_dealer_terms(case, &rates, &territories, terms);
        let router = Router::new(case.network.clone(), case.policy.clone());
        assert_exact(&router, &case)?;
    }
}
