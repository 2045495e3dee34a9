//! Optimise mode on hand-made batches: the exact solve of tiny ones, the Lagrangian bound of the
//! large-batch path, and the progress reports of both.

use super::{OptimisePhase, OptimisePhase as P, OptimiseProgress, EXACT_MAX_OPTIONS};
use crate::*;
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn now() -> jiff::Timestamp {
    "2026-11-26T06:00:00Z".parse().unwrap()
}

fn one_unit(sku: u32) -> OrderLine {
    OrderLine {
        line_no: 1,
        sku: SkuId(sku),
        qty: 1,
        unit_price_cents: None,
    }
}

/// Two orders want the one unit at the near store; the other store is 300 km away.
fn contended() -> (Network, StockTable, Vec<Order>) {
    let net = Network::new(vec![
        Node::new("NEAR", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
        Node::new("FAR", NodeKind::Store, LatLng::new(26.00, 77.20).unwrap()),
    ])
    .unwrap();
    let stock = StockTable::from_positions([(NodeIdx(0), SkuId(0), 1), (NodeIdx(1), SkuId(0), 5)]);
    let dest = LatLng::new(28.60, 77.20).unwrap();
    let orders = vec![
        Order::new("A", dest, vec![one_unit(0)]),
        Order::new("B", dest, vec![one_unit(0)]),
    ];
    (net, stock, orders)
}

fn deterministic() -> OptimiseOptions {
    OptimiseOptions {
        iteration_limit: Some(500),
        single_thread: true,
        ..OptimiseOptions::default()
    }
}

/// Runs optimise mode (exact solve on or off) and returns the plan and every report.
fn run(
    router: &Router,
    orders: &[Order],
    stock: &StockTable,
    exact: bool,
) -> (Plan, Vec<OptimiseProgress>) {
    let reports = Mutex::new(Vec::new());
    let plan = router.optimise(orders, stock, now(), &deterministic(), None, exact, &|p| {
        reports.lock().unwrap().push(*p);
    });
    (plan, reports.into_inner().unwrap())
}

/// The near unit to one order, the far store to the other: (solo cost, far cost).
fn near_and_far(router: &Router, order: &Order, stock: &StockTable) -> (i64, i64) {
    let solo = router
        .route(order, stock, &Load::default(), now())
        .cost_cents();
    let far_only = StockTable::from_positions([(NodeIdx(1), SkuId(0), 5)]);
    let far = router
        .route(order, &far_only, &Load::default(), now())
        .cost_cents();
    (solo, far)
}

#[test]
fn prices_on_contended_stock_raise_the_bound_above_the_solo_sum() {
    let (net, stock, orders) = contended();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let (plan, _) = run(&router, &orders, &stock, false);
    let (solo, far) = near_and_far(&router, &orders[0], &stock);
    assert_eq!(plan.totals.cost_cents, solo + far, "one near, one far");
    let bound = plan.bound_cents.unwrap();
    assert!(
        bound > 2 * solo,
        "bound {bound} should beat the solo sum {}",
        2 * solo
    );
    assert!(bound <= plan.totals.cost_cents);
}

#[test]
fn a_tiny_batch_is_solved_exactly_with_a_zero_gap() {
    let (net, stock, orders) = contended();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let plan = router.route_batch(&orders, &stock, now(), &Mode::Optimise(deterministic()));
    let (solo, far) = near_and_far(&router, &orders[0], &stock);
    assert_eq!(plan.totals.cost_cents, solo + far);
    assert_eq!(plan.bound_cents, Some(solo + far));
    assert_eq!(plan.gap(), Some(0.0));
    let v = check(&plan, &orders, &net, &policy.clone().into(), &stock, now());
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn the_exact_solve_beats_sequential_where_arrival_order_misleads() {
    // A 1-line order comes first and takes the near store's unit of SKU 0; the second order
    // needs SKU 0 and SKU 1, which only the near store holds together. Sequential splits the
    // second order (or leaves a line); the optimum sends the first order to the far store.
    let net = Network::new(vec![
        Node::new("NEAR", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
        Node::new("FAR", NodeKind::Store, LatLng::new(27.60, 77.20).unwrap()),
    ])
    .unwrap();
    let stock = StockTable::from_positions([
        (NodeIdx(0), SkuId(0), 1),
        (NodeIdx(0), SkuId(1), 1),
        (NodeIdx(1), SkuId(0), 5),
    ]);
    let dest = LatLng::new(28.60, 77.20).unwrap();
    let mut second = one_unit(1);
    second.line_no = 2;
    let orders = vec![
        Order::new("A", dest, vec![one_unit(0)]),
        Order::new("B", dest, vec![one_unit(0), second]),
    ];
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let seq = router.route_sequential(&orders, &stock, now());
    let (plan, _) = run(&router, &orders, &stock, true);
    assert!(plan.totals.cost_cents < seq.totals.cost_cents);
    assert_eq!(plan.bound_cents, Some(plan.totals.cost_cents));
    assert_eq!(plan.decisions[0].shipments[0].node, NodeIdx(1));
    assert_eq!(plan.decisions[1].shipments.len(), 1);
    assert!(plan.decisions[0]
        .rules
        .contains(&"batch optimiser".to_string()));
    assert!(plan.decisions[0]
        .candidates
        .iter()
        .any(|c| c.chosen && c.node == NodeIdx(1)));
    let v = check(&plan, &orders, &net, &policy.clone().into(), &stock, now());
    assert!(v.is_empty(), "{v:?}");
}

/// Fractions never decrease, only the last report is Done (at 1), phases come in `expected`
/// order (each at least once), and the best cost never rises.
fn assert_monotone(reports: &[OptimiseProgress], expected: &[OptimisePhase], plan: &Plan) {
    assert!(reports.windows(2).all(|w| w[0].fraction <= w[1].fraction));
    let last = reports.last().unwrap();
    assert_eq!(last.phase, OptimisePhase::Done);
    assert!((last.fraction - 1.0).abs() < f64::EPSILON);
    assert_eq!(last.best_cents, Some(plan.totals.cost_cents));
    assert_eq!(last.bound_cents, plan.bound_cents);
    assert!(reports[..reports.len() - 1]
        .iter()
        .all(|p| p.fraction < 1.0 && p.phase != OptimisePhase::Done));
    let mut phases: Vec<OptimisePhase> = reports.iter().map(|p| p.phase).collect();
    phases.dedup();
    assert_eq!(phases, expected);
    let best: Vec<i64> = reports.iter().filter_map(|p| p.best_cents).collect();
    assert!(best.windows(2).all(|w| w[0] >= w[1]), "{best:?}");
    let left: Vec<_> = reports.iter().map(|p| p.time_left).collect();
    assert!(
        left.iter().all(Option::is_some) && left.windows(2).all(|w| w[0] >= w[1]),
        "the time limit holds with an iteration limit too: {left:?}"
    );
}

#[test]
fn progress_of_a_tiny_batch_ends_done_after_the_exact_search() {
    let (net, stock, orders) = contended();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let (plan, reports) = run(&router, &orders, &stock, true);
    assert_monotone(
        &reports,
        &[P::Sequential, P::Options, P::Exact, P::Done],
        &plan,
    );
}

/// 70 stores hold SKU 0 near 70 one-line orders: about 70 options each, more than the exact
/// limit in all.
fn many_stores() -> (Network, StockTable, Vec<Order>) {
    let nodes: Vec<Node> = (0..70)
        .map(|i| {
            let lat = 28.0 + f64::from(i) * 0.01;
            Node::new(
                format!("S{i}"),
                NodeKind::Store,
                LatLng::new(lat, 77.2).unwrap(),
            )
        })
        .collect();
    let net = Network::new(nodes).unwrap();
    let stock = StockTable::from_positions((0..70).map(|i| (NodeIdx(i), SkuId(0), 1)));
    let orders: Vec<Order> = (0..70)
        .map(|i| {
            let dest = LatLng::new(28.0 + f64::from(i) * 0.01, 77.25).unwrap();
            Order::new(format!("O{i}"), dest, vec![one_unit(0)])
        })
        .collect();
    const { assert!(70 * 70 > EXACT_MAX_OPTIONS) };
    (net, stock, orders)
}

#[test]
fn progress_of_a_large_batch_goes_through_pricing_and_search() {
    let (net, stock, orders) = many_stores();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let (plan, reports) = run(&router, &orders, &stock, true);
    assert_monotone(
        &reports,
        &[P::Sequential, P::Options, P::Pricing, P::Search, P::Done],
        &plan,
    );
    assert!(plan.bound_cents.unwrap() <= plan.totals.cost_cents);
    let v = check(&plan, &orders, &net, &policy.clone().into(), &stock, now());
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn optimise_from_the_sequential_plan_gives_optimise_with_s_plan() {
    for (net, stock, orders) in [contended(), many_stores()] {
        let policy = Policy::default();
        let router = Router::new(net.clone(), policy.clone());
        let with = router.optimise_with(&orders, &stock, now(), &deterministic(), &|_| {});
        let sequential = router.route_sequential(&orders, &stock, now());
        let reports = Mutex::new(Vec::new());
        let from =
            router.optimise_from(&orders, &stock, now(), &deterministic(), sequential, &|p| {
                reports.lock().unwrap().push(*p);
            });
        assert_eq!(from.decisions, with.decisions);
        assert_eq!(from.totals.cost_cents, with.totals.cost_cents);
        assert_eq!(from.bound_cents, with.bound_cents);
        // The sequential phase is already over: the first report says so.
        let reports = reports.into_inner().unwrap();
        assert_eq!(reports[0].phase, P::Sequential);
        assert!((reports[0].fraction - 0.1).abs() < 1e-9, "{:?}", reports[0]);
        assert!(reports.windows(2).all(|w| w[0].fraction <= w[1].fraction));
        assert_eq!(reports.last().unwrap().phase, P::Done);
    }
}

#[test]
#[should_panic(expected = "one decision per order")]
fn optimise_from_a_plan_of_other_orders_panics() {
    let (net, stock, orders) = contended();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let sequential = router.route_sequential(&orders[..1], &stock, now());
    router.optimise_from(
        &orders,
        &stock,
        now(),
        &deterministic(),
        sequential,
        &|_| {},
    );
}

#[test]
fn a_deadline_already_passed_returns_the_sequential_plan_with_a_valid_bound() {
    let (net, stock, orders) = many_stores();
    let policy = Policy::default();
    let router = Router::new(net.clone(), policy.clone());
    let sequential = router.route_sequential(&orders, &stock, now());
    let passed = [
        OptimiseOptions {
            time_limit: Duration::ZERO,
            ..deterministic()
        },
        OptimiseOptions {
            started: Some(Instant::now().checked_sub(Duration::from_secs(60)).unwrap()),
            ..deterministic()
        },
    ];
    for opts in passed {
        let reports = Mutex::new(Vec::new());
        let plan = router.optimise_with(&orders, &stock, now(), &opts, &|p| {
            reports.lock().unwrap().push(*p);
        });
        assert_eq!(plan.decisions, sequential.decisions, "{opts:?}");
        // No order was routed again: every order adds 0 to the bound (the solo sum is > 0).
        assert_eq!(plan.bound_cents, Some(0), "{opts:?}");
        let reports = reports.into_inner().unwrap();
        let pricing = reports.iter().filter(|p| p.phase == P::Pricing).count();
        assert_eq!(pricing, 1, "the pricing loop stops before its first round");
        assert_eq!(reports.last().unwrap().time_left, Some(Duration::ZERO));
        let v = check(&plan, &orders, &net, &policy.clone().into(), &stock, now());
        assert!(v.is_empty(), "{v:?}");
    }
}
