//! The figures of a small hand-built plan against values worked out by hand, and re-route
//! causes on a routed plan.

use crate::*;
use jiff::civil::{date, Date};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// WH (warehouse, 10 units a day), ST (store), DL (dealer).
fn network() -> Network {
    let mut wh = Node::new("WH", NodeKind::Warehouse, LatLng::new(28.6, 77.2).unwrap());
    wh.capacity_units = Some(10);
    let st = Node::new("ST", NodeKind::Store, LatLng::new(28.5, 77.0).unwrap());
    let dl = Node::new("DL", NodeKind::Dealer, LatLng::new(28.4, 77.3).unwrap());
    Network::new(vec![wh, st, dl]).unwrap()
}

fn order(id: &str, lines: &[(u32, u32)], created_at: Option<&str>) -> Order {
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, &(sku, qty))| OrderLine {
            line_no: i as u32 + 1,
            sku: SkuId(sku),
            qty,
            unit_price_cents: None,
        })
        .collect();
    let mut o = Order::new(id, LatLng::new(28.55, 77.1).unwrap(), lines);
    o.created_at = created_at.map(at);
    o
}

fn ship(
    node: u32,
    lines: &[usize],
    units: u32,
    km: f64,
    day: Date,
    cost: CostBreakdown,
) -> Shipment {
    Shipment {
        node: NodeIdx(node),
        lines: lines.to_vec(),
        units,
        distance_km: km,
        promised_date: day,
        cost,
        arrival: None,
    }
}

fn cost(fixed: i64, distance: i64, margin: i64) -> CostBreakdown {
    CostBreakdown {
        fixed_cents: fixed,
        distance_cents: distance,
        margin_cents: margin,
        ..CostBreakdown::default()
    }
}

fn decision(
    shipments: Vec<Shipment>,
    unfilled: Vec<UnfilledLine>,
    unfilled_cents: i64,
) -> Decision {
    let mut total = CostBreakdown {
        unfilled_cents,
        ..CostBreakdown::default()
    };
    for s in &shipments {
        total += s.cost;
    }
    Decision {
        shipments,
        unfilled,
        cost: total,
        candidates: Vec::new(),
        rules: Vec::new(),
        group: None,
    }
}

/// SKUs: 0 = A, 1 = B, 2 = C. The warehouse starts with 2 A and nothing else.
///
/// - o0: A×2 from WH, 10 km, promised the order's day (same day); 500 + 5.
/// - o1: A×1 from ST (20 km, next day), B×3 from DL (30 km, in 2 days, margin 150); a split.
/// - o2: C×4 unfilled (`NO_STOCK`), 12,000.
/// - o3: no `created_at`, so it counts from `now` (25 Nov): B×1 from DL, 40 km, promised 30 Nov
///   (5 days: the 4+ bucket); margin 40.
fn plan() -> (Network, Vec<Order>, Plan, StockTable) {
    let created = Some("2026-11-26T06:30:00Z");
    let orders = vec![
        order("o0", &[(0, 2)], created),
        order("o1", &[(0, 1), (1, 3)], created),
        order("o2", &[(2, 4)], created),
        order("o3", &[(1, 1)], None),
    ];
    let decisions = vec![
        decision(
            vec![ship(0, &[0], 2, 10.0, date(2026, 11, 26), cost(500, 5, 0))],
            vec![],
            0,
        ),
        decision(
            vec![
                ship(1, &[0], 1, 20.0, date(2026, 11, 27), cost(500, 10, 0)),
                ship(2, &[1], 3, 30.0, date(2026, 11, 28), cost(500, 15, 150)),
            ],
            vec![],
            0,
        ),
        decision(
            vec![],
            vec![UnfilledLine {
                line: 0,
                reason: Reason::NoStock,
            }],
            12_000,
        ),
        decision(
            vec![ship(
                2,
                &[0],
                1,
                40.0,
                date(2026, 11, 30),
                cost(500, 20, 40),
            )],
            vec![],
            0,
        ),
    ];
    let plan = Plan::from_decisions(&orders, decisions);
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 2)]);
    (network(), orders, plan, stock)
}

fn kpis_of(network: &Network, orders: &[Order], plan: &Plan, stock: &StockTable) -> Kpis {
    Kpis::compute(&KpiInputs {
        network,
        orders,
        plan,
        policy: &Policy::default(),
        stock,
        now: at("2026-11-25T10:00:00Z"),
        reroutes: None,
    })
}

#[test]
fn figures_of_a_small_plan_match_the_hand_computed_ones() {
    let (network, orders, plan, stock) = plan();
    let k = kpis_of(&network, &orders, &plan, &stock);
    assert_eq!((k.orders, k.orders_shipped, k.orders_complete), (4, 3, 3));
    assert_eq!((k.units_ordered, k.units_filled), (11, 7));
    assert_eq!(k.fill_rate(), Some(7.0 / 11.0));
    assert_eq!(k.order_fill_rate(), Some(0.75));
    assert_eq!(k.split_rate(), Some(1.0 / 3.0));
    let fig = |orders, shipments, units| KindFigures {
        orders,
        shipments,
        units,
    };
    assert_eq!(k.kind(NodeKind::Warehouse), fig(1, 1, 2));
    assert_eq!(k.kind(NodeKind::Store), fig(1, 1, 1));
    assert_eq!(k.kind(NodeKind::Dealer), fig(2, 2, 4));
    assert_eq!(k.kind(NodeKind::Supplier), fig(0, 0, 0));
    assert_eq!(k.km_per_unit(), Some(100.0 / 7.0));
    assert_eq!(k.promise_days.orders, [1, 0, 1, 0, 1]);
    assert_eq!(k.same_or_next_day_share(), Some(1.0 / 3.0));
    assert_eq!(k.dealer_share(), Some(2.0 / 3.0));
    assert_eq!(k.dealer_margin_cents, 190);
    // B×3 (o1) and B×1 (o3): the warehouse had no B; A×2 and A×1 it could have filled.
    assert_eq!(k.stockouts_avoided, Some(2));
    let util: Vec<(u32, u32, Option<f64>)> = k
        .nodes
        .iter()
        .map(|n| (n.node.0, n.units, n.utilisation()))
        .collect();
    assert_eq!(util, [(0, 2, Some(0.2)), (1, 1, None), (2, 4, None)]);
}

#[test]
fn rows_carry_cost_per_order_by_term_and_mark_offer_figures_not_available() {
    let (network, orders, plan, stock) = plan();
    let rows = kpis_of(&network, &orders, &plan, &stock).rows(&network);
    let value = |name: &str, key: &str| {
        rows.iter()
            .find(|r| r.name == name && r.key == key)
            .unwrap_or_else(|| panic!("no row {name}/{key}"))
            .value
    };
    // Totals: fixed 2,000, distance 50, margin 190, unfilled 12,000 = 14,240 over 4 orders.
    assert_eq!(value("cost_per_order_cents", "fixed"), Some(500.0));
    assert_eq!(value("cost_per_order_cents", "distance"), Some(12.5));
    assert_eq!(value("cost_per_order_cents", "margin"), Some(47.5));
    assert_eq!(value("cost_per_order_cents", "unfilled"), Some(3000.0));
    assert_eq!(value("cost_per_order_cents", "total"), Some(3560.0));
    assert_eq!(value("promise_days", "4_plus_days"), Some(1.0));
    assert_eq!(value("orders_by_kind", "dealer"), Some(2.0));
    assert_eq!(value("node_utilisation", "WH"), Some(0.2));
    assert_eq!(value("node_units", "DL"), Some(4.0));
    assert_eq!(value("offer_acceptance_rate", ""), None);
    let offers: Vec<&str> = rows
        .iter()
        .filter(|r| r.note().is_some())
        .map(|r| r.name)
        .collect();
    assert_eq!(
        offers,
        [
            "offer_acceptance_rate",
            "offer_time_to_accept_s",
            "channel_conflict_orders"
        ]
    );
    assert_eq!(value("channel_conflict_orders", ""), None);
    // No re-routing: its figures are undefined, not zero.
    assert_eq!(value("reroutes", ""), None);
}

#[test]
fn an_empty_plan_has_no_ratios_and_no_warehouse_means_no_stockouts_figure() {
    let network = Network::new(vec![Node::new(
        "ST",
        NodeKind::Store,
        LatLng::new(1.0, 1.0).unwrap(),
    )])
    .unwrap();
    let plan = Plan::from_decisions(&[], Vec::new());
    let k = kpis_of(&network, &[], &plan, &StockTable::default());
    assert_eq!(k.fill_rate(), None);
    assert_eq!(k.split_rate(), None);
    assert_eq!(k.km_per_unit(), None);
    assert_eq!(k.stockouts_avoided, None);
}

#[test]
fn diff_matches_rows_by_name_and_key_and_keeps_rows_only_one_side_has() {
    let (network, orders, plan, stock) = plan();
    let a = kpis_of(&network, &orders, &plan, &stock).rows(&network);
    let mut b = a.clone();
    b.retain(|r| !(r.name == "node_units" && r.key == "ST"));
    b.iter_mut()
        .filter(|r| r.name == "orders_shipped")
        .for_each(|r| r.value = Some(4.0));
    let d = kpi_diff(&b, &a);
    let shipped = d.iter().find(|r| r.name == "orders_shipped").unwrap();
    assert_eq!(
        (shipped.a, shipped.b, shipped.delta()),
        (Some(4.0), Some(3.0), Some(-1.0))
    );
    let st = d.last().unwrap();
    assert_eq!(
        (st.name, st.key.as_str(), st.a, st.b),
        ("node_units", "ST", None, Some(1.0))
    );
    assert_eq!(d.len(), a.len());
}

#[test]
fn reroute_counts_charge_each_move_to_the_event_that_made_it() {
    // Two warehouses holding SKU 0; the orders ship from the nearer, W0. W0 goes down (both
    // move to W1), then 5 units arrive at W1 for an order left unfilled (it moves again).
    let w0 = Node::new("W0", NodeKind::Warehouse, LatLng::new(28.6, 77.2).unwrap());
    let w1 = Node::new("W1", NodeKind::Warehouse, LatLng::new(28.0, 77.0).unwrap());
    let network = Network::new(vec![w0, w1]).unwrap();
    let orders = vec![
        order("a", &[(0, 1)], Some("2026-11-26T06:30:00Z")),
        order("b", &[(0, 1)], Some("2026-11-26T06:30:00Z")),
        order("c", &[(0, 2)], Some("2026-11-26T06:30:00Z")),
    ];
    let router = Router::new(network.clone(), Policy::default());
    let stock = router.stock_table([(NodeIdx(0), SkuId(0), 2), (NodeIdx(1), SkuId(0), 2)]);
    let now = at("2026-11-26T06:30:00Z");
    let plan = router.route_sequential(&orders, &stock, now);
    let from = |p: &Plan, i: usize| p.decisions[i].shipments.first().map(|s| s.node.0);
    assert_eq!(
        (from(&plan, 0), from(&plan, 1), from(&plan, 2)),
        (Some(0), Some(0), Some(1))
    );
    let events = [
        Event::NodeDown(NodeIdx(0)),
        Event::StockArrival {
            node: NodeIdx(1),
            sku: SkuId(0),
            qty: 5,
        },
    ];
    let (r, counts) = reroute_counts(
        &router,
        &orders,
        &plan,
        (&stock, &crate::IncomingStock::default()),
        &events,
        now,
    )
    .unwrap();
    // W0 down: a and b lose their shipments (W1's 2 units ship c); the arrival at W1 fills
    // them: two moves each, two orders moved in the end.
    assert_eq!(counts.events, 2);
    assert_eq!(counts.moves_by(RerouteCause::NodeDown), 2);
    assert_eq!(counts.moves_by(RerouteCause::StockArrival), 2);
    assert_eq!(counts.moves_by(RerouteCause::DealerRejected), 0);
    assert_eq!(counts.total_moves(), 4);
    assert_eq!((counts.orders_moved, counts.review), (2, 0));
    assert_eq!(r.moved, [0, 1]);
    assert!(
        (0..3).all(|i| from(&r.plan, i) == Some(1)),
        "{:?}",
        r.plan.decisions
    );
}

#[test]
fn merging_two_days_adds_counts_and_capacities() {
    let (network, orders, plan, stock) = plan();
    let day = kpis_of(&network, &orders, &plan, &stock);
    let mut two = day.clone();
    two.merge(&day);
    assert_eq!((two.orders, two.units_filled, two.split_orders), (8, 14, 2));
    assert_eq!(two.promise_days.orders, [2, 0, 2, 0, 2]);
    assert_eq!(two.fill_rate(), day.fill_rate());
    assert_eq!(two.dealer_margin_cents, 380);
    assert_eq!(two.stockouts_avoided, Some(4));
    assert_eq!(two.cost.total_cents(), 2 * 14_240);
    // WH: 4 units over two days of 10.
    assert_eq!(
        (two.nodes[0].units, two.nodes[0].capacity_units),
        (4, Some(20))
    );
    assert_eq!(two.nodes[0].utilisation(), Some(0.2));
    assert_eq!(two.reroutes, None);
}

#[test]
fn replaying_a_day_skips_rejections_never_offered_and_carries_the_stock_left() {
    let w0 = Node::new("W0", NodeKind::Warehouse, LatLng::new(28.6, 77.2).unwrap());
    let d1 = Node::new("D1", NodeKind::Dealer, LatLng::new(20.0, 73.0).unwrap());
    let network = Network::new(vec![w0, d1]).unwrap();
    let created = Some("2026-11-26T06:30:00Z");
    let orders = vec![
        order("a", &[(0, 1)], created),
        order("b", &[(0, 2)], created),
    ];
    let router = Router::new(network, Policy::default());
    let stock = router.stock_table([(NodeIdx(0), SkuId(0), 2), (NodeIdx(1), SkuId(0), 9)]);
    let now = at("2026-11-26T06:30:00Z");
    // The dealer never got order a (W0 ships it): its rejection is skipped; 4 units arrive at W0.
    let events = [
        Event::Rejected {
            order: 0,
            node: NodeIdx(1),
        },
        Event::StockArrival {
            node: NodeIdx(0),
            sku: SkuId(0),
            qty: 4,
        },
    ];
    let day = replay_day(&router, &orders, &stock, &events, now).unwrap();
    assert_eq!(day.skipped, [0]);
    let counts = day.reroutes.as_ref().unwrap();
    assert_eq!(counts.events, 1);
    // W0 started with 2 + 4 and ships a (1) and b (2): 3 left; the dealer keeps its 9.
    assert_eq!(day.start.qty(NodeIdx(0), SkuId(0)), 6);
    assert_eq!(day.left.qty(NodeIdx(0), SkuId(0)), 3);
    assert_eq!(day.left.qty(NodeIdx(1), SkuId(0)), 9);
    assert!(day.plan.decisions.iter().all(Decision::is_complete));
    // A warehouse cannot reject: an input error, named by its place in the given list.
    let bad = [
        events[1],
        Event::Rejected {
            order: 1,
            node: NodeIdx(0),
        },
    ];
    let e = replay_day(&router, &orders, &stock, &bad, now).unwrap_err();
    assert_eq!((e.code(), e.event()), ("E3109", 1));
}

/// A dealer near every order (rate `rate`), a warehouse far away; `n` one-unit orders.
fn dealer_day(rate: f64, n: usize) -> (Router, Vec<Order>, StockTable) {
    let w0 = Node::new("W0", NodeKind::Warehouse, LatLng::new(28.9, 77.4).unwrap());
    let mut d1 = Node::new("D1", NodeKind::Dealer, LatLng::new(28.56, 77.1).unwrap());
    d1.dealer = Some(DealerTerms {
        margin_bps: 0,
        territory: None,
        acceptance_timeout_s: None,
        acceptance_rate: Some(rate),
    });
    let network = Network::new(vec![w0, d1]).unwrap();
    let created = Some("2026-11-26T06:30:00Z");
    let orders = (0..n)
        .map(|i| order(&format!("o{i}"), &[(0, 1)], created))
        .collect();
    let router = Router::new(network, Policy::default());
    let stock = router.stock_table([(NodeIdx(0), SkuId(0), 1000), (NodeIdx(1), SkuId(0), 1000)]);
    (router, orders, stock)
}

#[test]
fn seeded_rejects_follow_the_draw_and_reroute_to_the_warehouse() {
    let (router, orders, stock) = dealer_day(0.5, 40);
    let now = at("2026-11-26T06:30:00Z");
    let replay = Replay {
        router: &router,
        now,
        reject_seed: Some(7),
    };
    let day = Day {
        orders: &orders,
        events: &[],
    };
    let r = replay.day(3, day, &stock).unwrap();
    // Worked out apart from the replay: the orders whose draw is at or above the rate.
    let rejected: Vec<usize> = (0..40)
        .filter(|&i| reject_draw(7, 3, &format!("o{i}"), "D1") >= 0.5)
        .collect();
    assert!(rejected.len() > 5 && rejected.len() < 35, "{rejected:?}");
    assert_eq!(r.drawn_rejects, rejected.len() as u64);
    let counts = r.reroutes.as_ref().unwrap();
    assert_eq!(counts.events, rejected.len() as u64);
    assert_eq!(counts.orders_moved, rejected.len() as u64);
    for (i, d) in r.plan.decisions.iter().enumerate() {
        let node = u32::from(!rejected.contains(&i));
        assert_eq!(d.shipments[0].node, NodeIdx(node), "order {i}");
    }
    // Same seed, same day; another seed, other rejects.
    let again = replay.day(3, day, &stock).unwrap();
    assert_eq!(again.plan.decisions, r.plan.decisions);
    let other = Replay {
        reject_seed: Some(8),
        ..replay
    };
    let o = other.day(3, day, &stock).unwrap();
    assert_ne!(o.plan.decisions, r.plan.decisions);
    // Without a seed nothing is drawn: every order stays with the dealer.
    let none = replay_day(&router, &orders, &stock, &[], now).unwrap();
    assert_eq!(none.drawn_rejects, 0);
    assert!(none
        .plan
        .decisions
        .iter()
        .all(|d| d.shipments[0].node == NodeIdx(1)));
}

#[test]
fn a_dealer_that_always_accepts_is_never_drawn_to_reject_and_one_that_never_does_always_is() {
    let now = at("2026-11-26T06:30:00Z");
    for (rate, expect) in [(1.0, 0), (0.0, 12)] {
        let (router, orders, stock) = dealer_day(rate, 12);
        let replay = Replay {
            router: &router,
            now,
            reject_seed: Some(1),
        };
        let days = [Day {
            orders: &orders,
            events: &[],
        }; 2];
        let r = replay.days(&days, &stock).unwrap();
        assert_eq!(r[0].drawn_rejects, expect);
        assert_eq!(r[1].drawn_rejects, expect);
        // The second day starts from what the first left.
        let left_d1 = if expect == 0 { 1000 - 12 } else { 1000 };
        assert_eq!(r[0].left.qty(NodeIdx(1), SkuId(0)), left_d1);
        assert_eq!(r[1].start.qty(NodeIdx(1), SkuId(0)), left_d1);
    }
}

#[test]
fn offer_figures_and_channel_conflicts() {
    use ::geo::{polygon, MultiPolygon};
    let (mut network, orders, plan, stock) = plan();
    let k = kpis_of(&network, &orders, &plan, &stock);
    assert_eq!(k.channel_conflict_orders, None, "no territory");
    // DL's territory holds every destination: o0 ships from WH alone (a conflict); o1 and o3
    // ship from DL; o2 ships nothing.
    let mut nodes = network.nodes().to_vec();
    nodes[2].dealer = Some(DealerTerms {
        margin_bps: 0,
        territory: Some(MultiPolygon(vec![polygon![
            (x: 77.0, y: 28.5), (x: 77.2, y: 28.5), (x: 77.2, y: 28.6), (x: 77.0, y: 28.6)
        ]])),
        acceptance_timeout_s: None,
        acceptance_rate: None,
    });
    network = Network::new(nodes).unwrap();
    let mut k = kpis_of(&network, &orders, &plan, &stock);
    assert_eq!(k.channel_conflict_orders, Some(1));

    let rules = Policy::default().dealers;
    let t0 = at("2026-11-26T06:00:00Z");
    let offer = |id| Offer::new(OfferId(id), "o1", &network, NodeIdx(2), &rules, t0).unwrap();
    let mut figures = OfferFigures::default();
    let mut accepted = offer(1);
    accepted.accept(at("2026-11-26T06:01:30Z")).unwrap();
    let mut rejected = offer(2);
    rejected.reject(t0, RejectReason::Declined).unwrap();
    let mut timed_out = offer(3);
    timed_out.expire(at("2026-11-27T00:00:00Z"));
    for o in [&accepted, &rejected, &timed_out, &offer(4)] {
        figures.record(o);
    }
    assert_eq!((figures.accepted, figures.refused), (1, 2));
    k.offers = Some(figures);
    let rows = k.rows(&network);
    let value = |name: &str| rows.iter().find(|r| r.name == name).unwrap().value;
    assert_eq!(value("offer_acceptance_rate"), Some(1.0 / 3.0));
    assert_eq!(value("offer_time_to_accept_s"), Some(90.0));
    assert_eq!(value("channel_conflict_orders"), Some(1.0));
    assert!(
        rows.iter().all(|r| r.note().is_none()),
        "every figure has a value"
    );
    let mut twice = k.clone();
    twice.merge(&k);
    assert_eq!(twice.offers.map(|f| f.accepted), Some(2));
    assert_eq!(twice.channel_conflict_orders, Some(2));
}

/// `Router::reroute_moves` counts each event's moves in one pass; replaying the events one
/// prefix at a time (the definition) gives the same counts and the same final plan.
#[test]
fn moves_in_one_pass_match_replaying_every_prefix() {
    let (router, orders, stock) = dealer_day(0.5, 30);
    let now = at("2026-11-26T06:30:00Z");
    let plan = router.route_sequential(&orders, &stock, now);
    let at_dealer: Vec<usize> = (0..orders.len())
        .filter(|&i| plan.decisions[i].shipments.iter().any(|s| s.node.0 == 1))
        .collect();
    assert!(at_dealer.len() >= 3, "{at_dealer:?}");
    let events = [
        Event::Rejected {
            order: at_dealer[0],
            node: NodeIdx(1),
        },
        Event::StockCorrection {
            node: NodeIdx(1),
            sku: SkuId(0),
            routable: 5,
        },
        Event::NodeDown(NodeIdx(0)),
        // Re-routes the orders left unfilled, which find nothing better: they keep their
        // decisions, so no move.
        Event::NodeUp(NodeIdx(1)),
        Event::NodeUp(NodeIdx(0)),
        Event::StockArrival {
            node: NodeIdx(1),
            sku: SkuId(0),
            qty: 50,
        },
    ];
    let (r, moves) = router
        .reroute_moves(
            &orders,
            &plan,
            &stock,
            &crate::IncomingStock::default(),
            &events,
            now,
        )
        .unwrap();
    let mut before = plan.decisions.clone();
    let mut by_prefix = Vec::new();
    for k in 1..=events.len() {
        let p = router
            .reroute(
                &orders,
                &plan,
                &stock,
                &crate::IncomingStock::default(),
                &events[..k],
                now,
            )
            .unwrap();
        let moved = before
            .iter()
            .zip(&p.plan.decisions)
            .filter(|(a, b)| a.shipments != b.shipments)
            .count() as u64;
        by_prefix.push(moved);
        before = p.plan.decisions;
    }
    assert_eq!(moves, by_prefix);
    assert!(
        moves.iter().filter(|&&m| m > 0).count() >= 3,
        "several events move orders: {moves:?}"
    );
    let shipments = |d: &[Decision]| d.iter().map(|d| d.shipments.clone()).collect::<Vec<_>>();
    assert_eq!(shipments(&r.plan.decisions), shipments(&before));
}
