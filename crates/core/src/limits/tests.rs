//! The limits' arithmetic, and the wrap-rounds through the Rust API.

use super::*;

/// The module head's claim: the dearest order within the limits stays below the router's
/// `INF` (`i64::MAX / 4`), so no sum of two such costs can overflow either.
#[test]
fn the_dearest_order_fits_with_room() {
    let per_shipment = i128::from(MAX_MONEY_CENTS) // fixed
        + (MAX_PER_KM_CENTS * 20_038.0) as i128 // distance over half the earth
        + i128::from(MAX_MONEY_CENTS) * i128::from(MAX_PRIORITY)
        + i128::from(MAX_MONEY_CENTS) // split penalty
        + i128::from(MAX_MONEY_CENTS) * 7_304_850; // lateness: -9999-01-01 to 9999-12-31
    let per_unit = i128::from(MAX_MONEY_CENTS) // handling
        + i128::from(MAX_MONEY_CENTS) * i128::from(MAX_MARGIN_BPS) / 10_000 // margin
        + i128::from(MAX_MONEY_CENTS); // unfilled (an upper bound: a line ships or not)
    let order = 255 * per_shipment + per_unit * i128::from(MAX_ORDER_UNITS);
    assert!(order < i128::from(i64::MAX / 4), "{order}");
}

#[test]
fn clamps() {
    assert_eq!(money(i64::MAX), MAX_MONEY_CENTS);
    assert_eq!(money(-5), 0);
    assert!(per_km(f64::NAN).to_bits() == MAX_PER_KM_CENTS.to_bits());
    assert!(per_km(1e308).to_bits() == MAX_PER_KM_CENTS.to_bits());
    assert_eq!(priority(i32::MIN), -MAX_PRIORITY);
}

/// The reproductions through the Rust API, with no reader in front: no cost wraps
/// round, and where a clamped term priced a shipment, `check` says so.
mod api {
    use crate::{
        check, LatLng, Load, Network, Node, NodeIdx, NodeKind, Order, OrderLine, Plan, Policy,
        Router, Skus, Sla, StockTable, Violation, MAX_MONEY_CENTS, MAX_ORDER_UNITS,
    };
    use jiff::Timestamp;
    use std::sync::Arc;

    fn now() -> Timestamp {
        "2026-11-26T04:00:00Z".parse().unwrap()
    }

    /// W1 near and W2 far, each holding `u32::MAX` units; one order of one line (one unit
    /// unless `order` says otherwise) for W1's city.
    struct Case {
        net: Arc<Network>,
        policy: Policy,
        stock: StockTable,
        orders: Vec<Order>,
    }

    impl Case {
        fn new(
            near: impl FnOnce(&mut Node),
            policy: impl FnOnce(&mut Policy),
            order: impl FnOnce(&mut Order),
        ) -> Self {
            let mut skus = Skus::default();
            let tee = skus.intern("TEE");
            let at = |lat, lon| LatLng::new(lat, lon).unwrap();
            let mut w1 = Node::new("W1", NodeKind::Warehouse, at(28.61, 77.21));
            near(&mut w1);
            let w2 = Node::new("W2", NodeKind::Warehouse, at(19.07, 72.88));
            let mut p = Policy::default();
            policy(&mut p);
            let line = OrderLine {
                line_no: 1,
                sku: tee,
                qty: 1,
                unit_price_cents: None,
            };
            let mut o = Order::new("O1", at(28.60, 77.20), vec![line]);
            order(&mut o);
            Case {
                net: Arc::new(Network::new(vec![w1, w2]).unwrap()),
                policy: p,
                stock: StockTable::from_positions([
                    (NodeIdx(0), tee, u32::MAX),
                    (NodeIdx(1), tee, u32::MAX),
                ]),
                orders: vec![o],
            }
        }

        fn route(&self) -> Plan {
            Router::new(Arc::clone(&self.net), self.policy.clone()).route_sequential(
                &self.orders,
                &self.stock,
                now(),
            )
        }

        fn check(&self, plan: &Plan) -> Vec<Violation> {
            let versions = self.policy.clone().into();
            check(plan, &self.orders, &self.net, &versions, &self.stock, now())
        }
    }

    /// [`Case::new`], routed and checked.
    fn route(
        near: impl FnOnce(&mut Node),
        policy: impl FnOnce(&mut Policy),
        order: impl FnOnce(&mut Order),
    ) -> (Plan, Vec<Violation>) {
        let case = Case::new(near, policy, order);
        let plan = case.route();
        let violations = case.check(&plan);
        (plan, violations)
    }

    fn shipped_from(plan: &Plan) -> Vec<NodeIdx> {
        plan.decisions[0].shipments.iter().map(|s| s.node).collect()
    }

    #[test]
    fn a_node_at_i64_max_fixed_cost_loses_instead_of_winning_below_zero() {
        let (plan, violations) = route(|n| n.costs.fixed_cents = Some(i64::MAX), |_| {}, |_| {});
        assert_eq!(shipped_from(&plan), [NodeIdx(1)]);
        assert!(plan.totals.cost_cents > 0, "{}", plan.totals.cost_cents);
        assert_eq!(violations, []);
    }

    #[test]
    fn a_node_at_1e308_per_km_loses() {
        for per_km in [1e308, f64::INFINITY, f64::NAN] {
            let (plan, violations) = route(|n| n.costs.per_km_cents = Some(per_km), |_| {}, |_| {});
            assert_eq!(shipped_from(&plan), [NodeIdx(1)], "{per_km}");
            assert!(plan.totals.cost_cents > 0);
            assert_eq!(violations, []);
        }
    }

    #[test]
    fn an_i64_max_unfilled_cost_ships_the_line() {
        let (plan, violations) = route(
            |_| {},
            |p| p.costs.unfilled_per_unit_cents = i64::MAX,
            // The case: 2 × i64::MAX wrapped round to -2.
            |o| o.lines[0].qty = 2,
        );
        assert_eq!(shipped_from(&plan), [NodeIdx(0)]);
        assert!(plan.totals.cost_cents > 0);
        assert_eq!(violations, []);
    }

    #[test]
    fn an_i64_max_lateness_never_pays() {
        let (plan, violations) = route(
            |_| {},
            |p| {
                p.sla = Sla::Soft;
                p.costs.lateness_per_day_cents = i64::MAX;
            },
            |o| o.promised_by = Some(now().to_zoned(jiff::tz::TimeZone::UTC).date()),
        );
        // Standard takes a day or more and the order is due today: every shipment is late,
        // so leaving the line unfilled (3,000 cents) is cheapest.
        assert_eq!(shipped_from(&plan), []);
        assert_eq!(plan.totals.cost_cents, 3_000);
        assert_eq!(violations, []);
    }

    #[test]
    fn check_reports_a_cost_the_router_priced_at_the_clamped_term() {
        let (plan, violations) = route(
            |n| n.costs.fixed_cents = Some(i64::MAX),
            |p| {
                p.kinds[NodeKind::Warehouse.index()].reach_km.fill(100.0);
                p.costs.unfilled_per_unit_cents = MAX_MONEY_CENTS;
            },
            |o| o.lines[0].qty = 2,
        );
        // Only W1 reaches; it ships at the clamped fixed cost, which check prices exactly.
        assert_eq!(shipped_from(&plan), [NodeIdx(0)]);
        assert_eq!(plan.decisions[0].cost.fixed_cents, MAX_MONEY_CENTS);
        let codes: Vec<&str> = violations.iter().map(|v| v.code).collect();
        assert!(codes.contains(&"COST"), "{violations:?}");
    }

    /// A plan whose every term matches the checker's but whose total saturated (as a router
    /// adding in `i64` would have to) is still a `COST` violation: check adds in `i128`.
    #[test]
    fn check_adds_up_in_i128() {
        let fixed = i64::MAX - 10;
        let case = Case::new(
            |n| {
                n.costs.fixed_cents = Some(fixed);
                n.costs.per_unit_cents = Some(100);
            },
            |p| {
                p.kinds[NodeKind::Warehouse.index()].reach_km.fill(100.0);
                p.costs.unfilled_per_unit_cents = MAX_MONEY_CENTS;
            },
            |o| o.lines[0].qty = 2,
        );
        let mut plan = case.route();
        let s = &mut plan.decisions[0].shipments[0];
        s.cost.fixed_cents = fixed;
        s.cost.handling_cents = 200;
        plan.decisions[0].cost = s.cost;
        plan.totals.cost_cents = plan.decisions[0].cost_cents();
        assert_eq!(plan.totals.cost_cents, i64::MAX, "saturated, not wrapped");
        let violations = case.check(&plan);
        let messages: Vec<String> = violations.iter().map(ToString::to_string).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("COST") && m.contains("in all")),
            "{messages:?}"
        );
    }

    #[test]
    fn the_dearest_dealer_line_within_the_limits_is_priced_exactly() {
        let (plan, violations) = route(
            |n| {
                n.kind = NodeKind::Dealer;
                n.dealer = Some(crate::DealerTerms {
                    margin_bps: 9_000,
                    territory: None,
                    acceptance_timeout_s: None,
                    acceptance_rate: None,
                });
            },
            |p| {
                p.costs.unfilled_per_unit_cents = MAX_MONEY_CENTS;
                p.kinds[NodeKind::Warehouse.index()].reach_km.fill(100.0);
            },
            |o| {
                o.lines[0].qty = MAX_ORDER_UNITS as u32;
                o.lines[0].unit_price_cents = Some(MAX_MONEY_CENTS);
            },
        );
        assert_eq!(violations, []);
        let d = &plan.decisions[0];
        assert_eq!(shipped_from(&plan), [NodeIdx(0)]);
        assert_eq!(d.cost.margin_cents, 90_000_000_000_000_000, "90 % of 10^17");
        assert!(
            d.cost_cents() < 100_000_000_000_000_000,
            "cheaper than unfilled"
        );
    }

    #[test]
    #[should_panic(expected = "beyond the input limits")]
    fn an_i64_max_unit_price_is_refused() {
        route(
            |_| {},
            |_| {},
            |o| o.lines[0].unit_price_cents = Some(i64::MAX),
        );
    }

    #[test]
    #[should_panic(expected = "beyond the input limits")]
    fn an_order_above_max_order_units_is_refused() {
        route(|_| {}, |_| {}, |o| o.lines[0].qty = u32::MAX);
    }

    #[test]
    fn load_and_stock_sums_saturate() {
        let mut load = Load::default();
        load.add_shipment(NodeIdx(0), u32::MAX);
        load.add_shipment(NodeIdx(0), 5);
        assert_eq!(load.used(NodeIdx(0)), (u32::MAX, 2));
        let mut skus = Skus::default();
        let tee = skus.intern("TEE");
        let mut stock =
            StockTable::from_positions([(NodeIdx(0), tee, u32::MAX), (NodeIdx(0), tee, 7)]);
        assert_eq!(stock.qty(NodeIdx(0), tee), u32::MAX);
        stock.add(NodeIdx(0), tee, 9);
        assert_eq!(stock.qty(NodeIdx(0), tee), u32::MAX);
    }
}
