//! Router tests: the independent checker and a brute-force optimum as oracles.

use crate::*;
use proptest::prelude::*;

const NOW: &str = "2026-11-26T06:30:00Z";

pub(super) fn now() -> jiff::Timestamp {
    NOW.parse().unwrap()
}

#[derive(Debug, Clone)]
pub(super) struct Case {
    pub network: Network,
    pub policy: Policy,
    pub stock: StockTable,
    pub orders: Vec<Order>,
}

pub(super) fn arb_case(
    max_nodes: usize,
    max_lines: usize,
    max_orders: usize,
) -> impl Strategy<Value = Case> {
    arb_case_with(max_nodes, max_lines, max_orders, 6, 60)
}

/// [`arb_case`] over `skus` SKUs with up to `stock_rows` stock rows.
#[allow(clippy::too_many_lines)]
pub(super) fn arb_case_with(
    max_nodes: usize,
    max_lines: usize,
    max_orders: usize,
    skus: u32,
    stock_rows: usize,
) -> impl Strategy<Value = Case> {
    let node = (
        20.0..24.0f64,
        76.0..80.0f64,
        0usize..5,
        prop::bool::weighted(0.9),
        prop::option::weighted(0.2, 1u32..6),
        prop::option::weighted(0.2, 1u32..3),
        prop::option::weighted(0.2, 0.0..400.0f64),
        0u32..1500,
        0i32..3,
    );
    let line = (0u32..skus, 1u32..4, prop::option::of(100i64..5000));
    let order = (
        20.0..24.0f64,
        76.0..80.0f64,
        prop::collection::vec(line, 1..=max_lines),
        0u8..3,
        prop::option::weighted(0.3, 1u8..4),
        prop::option::weighted(0.2, any::<bool>()),
        0i64..86_400,
    );
    (
        prop::collection::vec(node, 1..=max_nodes),
        prop::collection::vec((0usize..64, 0u32..skus, 0u32..5), 0..stock_rows),
        prop::collection::vec(order, 1..=max_orders),
        (0i64..400, 100i64..4000, any::<bool>(), 0i64..300),
    )
        .prop_map(
            |(nodes, stock, orders, (split_penalty, unfilled, soft, priority_step))| {
                let nodes: Vec<Node> = nodes
                    .into_iter()
                    .enumerate()
                    .map(
                        |(i, (lat, lon, kind, active, cap_u, cap_s, reach, margin, prio))| {
                            let mut n = Node::new(
                                format!("N{i}"),
                                NodeKind::ALL[kind],
                                LatLng::new(lat, lon).unwrap(),
                            );
                            n.active = active;
                            n.capacity_units = cap_u;
                            n.capacity_shipments = cap_s;
                            if let Some(r) = reach {
                                n.reach_km.push((ServiceLevel::NEXT_DAY, r));
                            }
                            n.priority = prio;
                            if n.kind == NodeKind::Dealer {
                                n.dealer = Some(DealerTerms {
                                    margin_bps: margin,
                                    territory: None,
                                    acceptance_timeout_s: None,
                                    acceptance_rate: None,
                                });
                            }
                            n.timezone = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
                            n
                        },
                    )
                    .collect();
                let count = nodes.len();
                let network = Network::new(nodes).unwrap();
                let stock = StockTable::from_positions(
                    stock
                        .into_iter()
                        .map(|(n, s, q)| (NodeIdx((n % count) as u32), SkuId(s), q)),
                );
                let orders = orders
                    .into_iter()
                    .enumerate()
                    .map(|(i, (lat, lon, lines, level, max_ship, complete, secs))| {
                        let lines = lines
                            .into_iter()
                            .enumerate()
                            .map(|(j, (sku, qty, price))| OrderLine {
                                line_no: j as u32 + 1,
                                sku: SkuId(sku),
                                qty,
                                unit_price_cents: price,
                            })
                            .collect();
                        let mut o =
                            Order::new(format!("O{i}"), LatLng::new(lat, lon).unwrap(), lines);
                        o.service_level = ServiceLevel(level);
                        o.split.max_shipments = max_ship;
                        o.split.ship_complete = complete;
                        o.created_at = Some(
                            "2026-11-25T18:30:00Z".parse::<jiff::Timestamp>().unwrap()
                                + jiff::SignedDuration::from_secs(secs),
                        );
                        o
                    })
                    .collect();
                let mut policy = Policy::default();
                policy.costs.split_penalty_cents = split_penalty;
                policy.costs.unfilled_per_unit_cents = unfilled;
                policy.costs.priority_step_cents = priority_step;
                if soft {
                    policy.sla = Sla::Soft;
                }
                Case {
                    network,
                    policy,
                    stock,
                    orders,
                }
            },
        )
}

/// The optimum over every assignment of lines to nodes or to "unfilled", priced and checked by
/// the checker's own functions.
fn brute_force(case: &Case, order: &Order) -> i64 {
    let rules = OrderRules::of(order, &case.policy);
    let unfilled_all: i64 = order
        .lines
        .iter()
        .map(|l| rules.unfilled_per_unit_cents * i64::from(l.qty))
        .sum();
    feasible_assignments(case, order, &rules)
        .into_iter()
        .map(|(cost, _)| cost)
        .fold(unfilled_all, i64::min)
}

/// Every assignment of the order's lines to a node or to "unfilled" (`usize::MAX`) that passes
/// the checker's rules for the order alone, with its cost: an odometer over (nodes + 1)^lines.
pub(super) fn feasible_assignments(
    case: &Case,
    order: &Order,
    rules: &OrderRules,
) -> Vec<(i64, Vec<usize>)> {
    let n = case.network.len();
    let lines = order.lines.len();
    let mut out = Vec::new();
    let mut assign = vec![usize::MAX; lines];
    loop {
        if let Some(cost) = price(case, order, rules, &assign) {
            out.push((cost, assign.clone()));
        }
        let mut i = 0;
        loop {
            if i == lines {
                return out;
            }
            assign[i] = if assign[i] == usize::MAX {
                0
            } else {
                assign[i] + 1
            };
            if assign[i] == n {
                assign[i] = usize::MAX;
                i += 1;
            } else {
                break;
            }
        }
    }
}

pub(super) fn price(
    case: &Case,
    order: &Order,
    rules: &OrderRules,
    assign: &[usize],
) -> Option<i64> {
    let mut nodes: Vec<usize> = assign
        .iter()
        .copied()
        .filter(|&a| a != usize::MAX)
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    if nodes.len() > rules.max_shipments {
        return None;
    }
    let shipped = assign.iter().filter(|&&a| a != usize::MAX).count();
    if rules.ship_complete && shipped != 0 && shipped != assign.len() {
        return None;
    }
    let mut total = 0;
    for (i, &node) in nodes.iter().enumerate() {
        let idx = NodeIdx(node as u32);
        let lines: Vec<usize> = (0..assign.len()).filter(|&l| assign[l] == node).collect();
        let nd = case.network.node(idx);
        let kind = case.policy.kind(nd.kind);
        let mut units = 0u32;
        for &l in &lines {
            units += order.lines[l].qty;
            let sku = order.lines[l].sku;
            let want: u32 = lines
                .iter()
                .filter(|&&m| order.lines[m].sku == sku)
                .map(|&m| order.lines[m].qty)
                .sum();
            let have = case.stock.qty(idx, sku).saturating_sub(kind.safety_stock);
            if want > have {
                return None;
            }
        }
        if nd
            .capacity_units
            .or(kind.capacity_units)
            .is_some_and(|c| units > c)
            || nd.capacity_shipments.or(kind.capacity_shipments) == Some(0)
        {
            return None;
        }
        // Shipments after the first pay the split penalty whatever their order.
        let s = shipment_cost(
            order,
            idx,
            &lines,
            i > 0,
            &case.network,
            &case.policy,
            rules,
            now(),
        )
        .ok()?;
        total += s.cost.total_cents();
    }
    for (l, &a) in assign.iter().enumerate() {
        if a == usize::MAX {
            total += rules.unfilled_per_unit_cents * i64::from(order.lines[l].qty);
        }
    }
    Some(total)
}

/// The checker's violations of `d`, the decision for `order` of `case` routed alone.
pub(super) fn check_alone(case: &Case, order: &Order, d: &Decision) -> Vec<Violation> {
    let plan = Plan::from_decisions(std::slice::from_ref(order), vec![d.clone()]);
    check(
        &plan,
        std::slice::from_ref(order),
        &case.network,
        &case.policy.clone().into(),
        &case.stock,
        now(),
    )
}

/// Every single-order decision of `router` passes the checker and costs exactly the brute-force
/// optimum.
pub(super) fn assert_exact(router: &Router, case: &Case) -> Result<(), TestCaseError> {
    for order in &case.orders {
        let d = router.route(order, &case.stock, &Load::default(), now());
        let v = check_alone(case, order, &d);
        prop_assert!(v.is_empty(), "violations: {v:?}\n{d:#?}");
        prop_assert_eq!(d.cost_cents(), brute_force(case, order), "{:#?}", d);
        // NO_STOCK exactly when no node holds enough units for the line.
        for u in &d.unfilled {
            let line = &order.lines[u.line];
            let held = (0..case.network.len())
                .any(|n| case.stock.qty(NodeIdx(n as u32), line.sku) >= line.qty);
            prop_assert_eq!(u.reason == Reason::NoStock, !held, "{:#?}", d);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

    /// Every single-order decision passes the checker and costs exactly the brute-force optimum.
    #[test]
    fn route_equals_brute_force_optimum(case in arb_case(9, 4, 3)) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        assert_exact(&router, &case)?;
    }

    /// The nearest-first walk, its posting-list fallbacks and the partial-node pruning give the
    /// same optimum as the brute force, whatever the limits.
    #[test]
    fn every_candidate_path_is_exact(
        case in arb_case(14, 4, 3),
        walk in 0usize..6,
        posting in 0usize..4,
        dense in prop_oneof![Just(1usize), Just(3), Just(usize::MAX)],
        divisor in prop_oneof![Just(1usize), Just(4), Just(usize::MAX)],
    ) {
        let mut case = case;
        let network = case.network.clone();
        case.stock.bound_holders(|n| network.node(n).location, dense);
        let router =
            Router::new(case.network.clone(), case.policy.clone()).with_limits(posting, walk, divisor);
        assert_exact(&router, &case)?;
    }

    /// The parallel sequential batch equals the one-thread run, decision for decision.
    #[test]
    fn parallel_batch_equals_serial(case in arb_case(20, 4, 40)) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let router = Router::new(case.network.clone(), case.policy.clone());
        let parallel = pool.install(|| router.clone().route_sequential(&case.orders, &case.stock, now()));
        let serial = router.parallel(false).route_sequential(&case.orders, &case.stock, now());
        prop_assert_eq!(parallel.decisions, serial.decisions);
    }

    /// Sequential batches pass the checker (stock and capacity shared across orders).
    #[test]
    fn sequential_plan_passes_checker(case in arb_case(30, 5, 12)) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let plan = router.route_sequential(&case.orders, &case.stock, now());
        let v = check(&plan, &case.orders, &case.network, &case.policy.clone().into(), &case.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
    }
}

proptest! {
    // Cheap (a few hundred microseconds a case) and the contended cases are a minority: many
    // cases, so a missing option or a wrong prune is caught on every run.
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// Optimise plans pass the checker and never cost more than the sequential plan. These
    /// batches are tiny (at most 3 orders of 2 lines over 5 nodes: at most 36 options per order,
    /// a product of at most 36³ = 46,656, far inside the exact search's node budget), so the plan
    /// costs exactly the brute-force optimum of the whole batch and its bound equals it.
    #[test]
    fn optimise_equals_the_brute_force_optimum_on_tiny_batches(case in arb_case(5, 2, 3)) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let seq = router.route_sequential(&case.orders, &case.stock, now());
        let opts = OptimiseOptions { iteration_limit: Some(2_000), single_thread: true, ..OptimiseOptions::default() };
        let plan = router.route_batch(&case.orders, &case.stock, now(), &Mode::Optimise(opts));
        let v = check(&plan, &case.orders, &case.network, &case.policy.clone().into(), &case.stock, now());
        prop_assert!(v.is_empty(), "violations: {v:?}");
        prop_assert!(plan.totals.cost_cents <= seq.totals.cost_cents);
        let optimum = batch_brute_force(&case);
        let bound = plan.bound_cents.unwrap();
        prop_assert!(bound <= optimum, "bound {bound} > optimum {optimum}");
        prop_assert_eq!(plan.totals.cost_cents, optimum);
        prop_assert_eq!(bound, optimum, "a finished exact search proves its plan");
    }
}

#[test]
fn posting_and_walk_agree() {
    // Many holders force the nearest-first walk; few force posting lists. Same answer either way.
    let mut nodes = Vec::new();
    for i in 0..400 {
        let lat = 10.0 + f64::from(i % 20) * 0.9;
        let lon = 70.0 + f64::from(i / 20) * 0.9;
        nodes.push(Node::new(
            format!("N{i}"),
            NodeKind::Store,
            LatLng::new(lat, lon).unwrap(),
        ));
    }
    let network = Network::new(nodes).unwrap();
    let policy = Policy::default();
    let router = Router::new(network.clone(), policy.clone());
    let many = StockTable::from_positions((0..400).map(|i| (NodeIdx(i), SkuId(0), 1 + i % 3)));
    let few = StockTable::from_positions(
        (0..400)
            .filter(|i| i % 2 == 0)
            .map(|i| (NodeIdx(i), SkuId(0), 1 + i % 3)),
    );
    assert!(many.holders(SkuId(0)).len() > POSTING_LIMIT);
    assert!(few.holders(SkuId(0)).len() <= POSTING_LIMIT);
    for (k, dest) in [(14.0, 75.0), (19.5, 87.5), (9.0, 69.0), (25.0, 80.0)]
        .into_iter()
        .enumerate()
    {
        let line = OrderLine {
            line_no: 1,
            sku: SkuId(0),
            qty: 2,
            unit_price_cents: None,
        };
        let order = Order::new(
            format!("O{k}"),
            LatLng::new(dest.0, dest.1).unwrap(),
            vec![line],
        );
        let a = router.route(&order, &many, &Load::default(), now());
        let b = router.route(&order, &few, &Load::default(), now());
        // Odd nodes hold 2 units only when i % 3 == 1; compare each against its own brute force.
        for (stock, d) in [(&many, &a), (&few, &b)] {
            let case = Case {
                network: network.clone(),
                policy: policy.clone(),
                stock: stock.clone(),
                orders: vec![order.clone()],
            };
            assert_eq!(d.cost_cents(), brute_force(&case, &order));
        }
    }
}

#[test]
fn unfillable_lines_carry_reasons() {
    let network = Network::new(vec![
        Node::new("FAR", NodeKind::Dealer, LatLng::new(8.5, 76.9).unwrap()),
        Node::new("OFF", NodeKind::Store, LatLng::new(28.6, 77.2).unwrap()),
    ])
    .unwrap();
    let mut inactive = network.nodes().to_vec();
    inactive[1].active = false;
    let network = Network::new(inactive).unwrap();
    let policy = Policy::default();
    let router = Router::new(network.clone(), policy.clone());
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(1), 5), (NodeIdx(1), SkuId(2), 5)]);
    let dest = LatLng::new(28.61, 77.21).unwrap();
    let lines = vec![
        OrderLine {
            line_no: 1,
            sku: SkuId(1),
            qty: 1,
            unit_price_cents: None,
        },
        OrderLine {
            line_no: 2,
            sku: SkuId(2),
            qty: 1,
            unit_price_cents: None,
        },
        OrderLine {
            line_no: 3,
            sku: SkuId(3),
            qty: 1,
            unit_price_cents: None,
        },
    ];
    let d = router.route(
        &Order::new("O", dest, lines),
        &stock,
        &Load::default(),
        now(),
    );
    let reasons: Vec<Reason> = d.unfilled.iter().map(|u| u.reason).collect();
    // The dealer 2,000 km away is beyond its 600 km standard reach; the store is inactive; nobody
    // holds SKU 3.
    assert_eq!(
        reasons,
        [Reason::OutOfReach, Reason::NodeInactive, Reason::NoStock]
    );
    assert_eq!(d.cost_cents(), 3 * 3000);
}

#[test]
fn max_shipments_one_forces_single_node() {
    let network = Network::new(vec![
        Node::new("A", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
        Node::new("B", NodeKind::Store, LatLng::new(28.70, 77.30).unwrap()),
        Node::new("W", NodeKind::Warehouse, LatLng::new(28.40, 77.00).unwrap()),
    ])
    .unwrap();
    let policy = Policy::default();
    let router = Router::new(network.clone(), policy.clone());
    let stock = StockTable::from_positions([
        (NodeIdx(0), SkuId(1), 1),
        (NodeIdx(1), SkuId(2), 1),
        (NodeIdx(2), SkuId(1), 9),
        (NodeIdx(2), SkuId(2), 9),
    ]);
    let lines = vec![
        OrderLine {
            line_no: 1,
            sku: SkuId(1),
            qty: 1,
            unit_price_cents: None,
        },
        OrderLine {
            line_no: 2,
            sku: SkuId(2),
            qty: 1,
            unit_price_cents: None,
        },
    ];
    let mut order = Order::new("O", LatLng::new(28.65, 77.25).unwrap(), lines);
    let split = router.route(&order, &stock, &Load::default(), now());
    order.split.allow_split = Some(false);
    let single = router.route(&order, &stock, &Load::default(), now());
    assert_eq!(single.shipments.len(), 1);
    assert_eq!(single.shipments[0].node, NodeIdx(2));
    // Two near stores cost 2 × fixed; one warehouse costs 1 × fixed + more km: cheaper here.
    assert!(split.cost_cents() <= single.cost_cents());
    assert_eq!(split.shipments.len(), 1, "{split:#?}");
}

/// The optimum of a whole (tiny) batch: every order's every assignment, jointly feasible.
fn batch_brute_force(case: &Case) -> i64 {
    // Each order's feasible assignments, priced alone (stock and capacity checked jointly below).
    let per_order: Vec<Vec<(i64, Vec<usize>)>> = case
        .orders
        .iter()
        .map(|order| feasible_assignments(case, order, &OrderRules::of(order, &case.policy)))
        .collect();
    let mut best = i64::MAX;
    let mut pick = vec![0usize; per_order.len()];
    loop {
        let mut stock: std::collections::HashMap<(usize, SkuId), u32> =
            std::collections::HashMap::new();
        let mut load: std::collections::HashMap<usize, (u32, u32)> =
            std::collections::HashMap::new();
        let mut cost = 0;
        let mut ok = true;
        for (o, &k) in pick.iter().enumerate() {
            let (c, assign) = &per_order[o][k];
            cost += c;
            let order = &case.orders[o];
            let mut nodes: Vec<usize> = assign
                .iter()
                .copied()
                .filter(|&a| a != usize::MAX)
                .collect();
            nodes.sort_unstable();
            nodes.dedup();
            for &n in &nodes {
                load.entry(n).or_default().1 += 1;
            }
            for (l, &a) in assign.iter().enumerate() {
                if a != usize::MAX {
                    *stock.entry((a, order.lines[l].sku)).or_default() += order.lines[l].qty;
                    load.entry(a).or_default().0 += order.lines[l].qty;
                }
            }
        }
        for (&(n, sku), &used) in &stock {
            let node = case.network.node(NodeIdx(n as u32));
            let held = case.policy.kind(node.kind).safety_stock;
            ok &= used <= case.stock.qty(NodeIdx(n as u32), sku).saturating_sub(held);
        }
        for (&n, &(units, shipments)) in &load {
            let node = case.network.node(NodeIdx(n as u32));
            let kind = case.policy.kind(node.kind);
            ok &= node
                .capacity_units
                .or(kind.capacity_units)
                .is_none_or(|c| units <= c);
            ok &= node
                .capacity_shipments
                .or(kind.capacity_shipments)
                .is_none_or(|c| shipments <= c);
        }
        if ok {
            best = best.min(cost);
        }
        let mut i = 0;
        loop {
            if i == pick.len() {
                return best;
            }
            pick[i] += 1;
            if pick[i] == per_order[i].len() {
                pick[i] = 0;
                i += 1;
            } else {
                break;
            }
        }
    }
}

/// Once the full holders are weighed, two far partial nodes can still beat a near full holder;
/// the bound that lets the walk stop counts two shipments for them, not more.
#[test]
fn two_far_partial_nodes_beat_a_near_full_dealer_on_every_path() {
    let at = |lat: f64| LatLng::new(lat, 77.25).unwrap();
    let mut dealer = Node::new("D", NodeKind::Dealer, at(28.66));
    dealer.dealer = Some(DealerTerms {
        margin_bps: 1_000,
        territory: None,
        acceptance_timeout_s: None,
        acceptance_rate: None,
    });
    let network = Network::new(vec![
        dealer,
        Node::new("W1", NodeKind::Warehouse, at(29.10)),
        Node::new("W2", NodeKind::Warehouse, at(29.19)),
    ])
    .unwrap();
    let policy = Policy::default();
    let stock = StockTable::from_positions([
        (NodeIdx(0), SkuId(1), 1),
        (NodeIdx(0), SkuId(2), 1),
        (NodeIdx(1), SkuId(1), 1),
        (NodeIdx(2), SkuId(2), 1),
    ]);
    let line = |n: u32| OrderLine {
        line_no: n,
        sku: SkuId(n),
        qty: 1,
        unit_price_cents: Some(4_000),
    };
    let mut order = Order::new("O", at(28.65), vec![line(1), line(2)]);
    order.service_level = ServiceLevel::STANDARD;
    // The dealer ships both for 500 + 1 + 2 × 400 = 1,301; the warehouses for 2 × 500 + ~55.
    for limits in [(POSTING_LIMIT, WALK_LIMIT), (0, 0), (0, 1)] {
        let router = Router::new(network.clone(), policy.clone()).with_limits(
            limits.0,
            limits.1,
            usize::MAX,
        );
        let d = router.route(&order, &stock, &Load::default(), now());
        let nodes: Vec<NodeIdx> = d.shipments.iter().map(|s| s.node).collect();
        assert_eq!(nodes, [NodeIdx(1), NodeIdx(2)], "{limits:?}: {d:#?}");
        assert!(d.cost_cents() < 1_301, "{}", d.cost_cents());
    }
}
