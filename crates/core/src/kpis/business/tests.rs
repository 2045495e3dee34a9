//! The total business of a small hand-built plan and feed against values worked out by hand.

use crate::*;
use jiff::civil::date;

/// WH (warehouse), ST (store), DL (dealer).
fn network() -> Network {
    let at = |lat| LatLng::new(lat, 77.0).unwrap();
    Network::new(vec![
        Node::new("WH", NodeKind::Warehouse, at(28.6)),
        Node::new("ST", NodeKind::Store, at(28.5)),
        Node::new("DL", NodeKind::Dealer, at(28.4)),
    ])
    .unwrap()
}

/// Lines of (SKU, qty, unit price).
fn order(id: &str, lines: &[(u32, u32, i64)]) -> Order {
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, &(sku, qty, price))| OrderLine {
            line_no: i as u32 + 1,
            sku: SkuId(sku),
            qty,
            unit_price_cents: Some(price),
        })
        .collect();
    Order::new(id, LatLng::new(28.55, 77.1).unwrap(), lines)
}

fn decision(shipments: &[(u32, &[usize], u32)]) -> Decision {
    let shipments: Vec<Shipment> = shipments
        .iter()
        .map(|&(node, lines, units)| Shipment {
            node: NodeIdx(node),
            lines: lines.to_vec(),
            units,
            distance_km: 10.0,
            promised_date: date(2026, 12, 5),
            cost: CostBreakdown::default(),
            arrival: None,
        })
        .collect();
    let unfilled = if shipments.is_empty() {
        vec![UnfilledLine {
            line: 0,
            reason: Reason::NoStock,
        }]
    } else {
        Vec::new()
    };
    Decision {
        shipments,
        unfilled,
        cost: CostBreakdown::default(),
        candidates: Vec::new(),
        rules: Vec::new(),
        group: None,
    }
}

/// (node, `is_return`, units, order id, sold via, unit price).
type Event<'a> = (
    u32,
    bool,
    u32,
    Option<&'a str>,
    Option<SalesChannel>,
    Option<i64>,
);

fn events(list: &[Event<'_>]) -> Vec<SaleEvent> {
    list.iter()
        .map(
            |&(node, is_return, units, order_id, sold_via, price)| SaleEvent {
                node: NodeIdx(node),
                is_return,
                units,
                order_id: order_id.map(str::to_owned),
                sold_via,
                unit_price_cents: price,
            },
        )
        .collect()
}

/// - o1: A×2 at 10.00 from WH, B×1 at 5.00 from ST (a split); o2: C×3 at 2.00 from DL; o3
///   unfilled. Online: 2 orders, 6 units, 31.00.
/// - Ships: ST 1 for o1 (the routed order's pick: not a sale); ST 2 at 7.00 (a sale); ST 1 + 1 at
///   3.00 on receipt R-9 (one sale, 2 units); DL 4 unpriced (a sale, so the dealer's and the
///   total revenue are unknown); WH 5 (not a sale). Store: 2 sales, 4 units, 20.00.
/// - Returns: ST 1 of o2 (online → store, cross); DL 1 sold via store (cross); ST 1 of R-9 (store
///   → store); WH 2 sold online; DL 1 unknown; ST 1 of o1 that says dealer (the routed order
///   wins: online → store, cross). Cross-channel: 3 units.
fn business() -> (Network, Business) {
    use SalesChannel::{Dealer, Online, Store};
    let orders = vec![
        order("o1", &[(0, 2, 1000), (1, 1, 500)]),
        order("o2", &[(2, 3, 200)]),
        order("o3", &[(3, 1, 100)]),
    ];
    let decisions = vec![
        decision(&[(0, &[0], 2), (1, &[1], 1)]),
        decision(&[(2, &[0], 3)]),
        decision(&[]),
    ];
    let plan = Plan::from_decisions(&orders, decisions);
    let feed = events(&[
        (1, false, 1, Some("o1"), None, None),
        (1, false, 2, None, None, Some(700)),
        (1, false, 1, Some("R-9"), None, Some(300)),
        (1, false, 1, Some("R-9"), None, Some(300)),
        (2, false, 4, None, None, None),
        (0, false, 5, None, None, None),
        (1, true, 1, Some("o2"), None, None),
        (2, true, 1, None, Some(Store), None),
        (1, true, 1, Some("R-9"), None, None),
        (0, true, 2, None, Some(Online), None),
        (2, true, 1, None, None, None),
        (1, true, 1, Some("o1"), Some(Dealer), None),
    ]);
    let network = network();
    let b = Business::compute(&network, &orders, &plan, &feed);
    (network, b)
}

fn figures(orders: u64, units: u64, priced_cents: i64, unpriced_units: u64) -> SalesFigures {
    SalesFigures {
        orders,
        units,
        priced_cents,
        unpriced_units,
    }
}

#[test]
fn channels_nodes_and_returns_by_hand() {
    use SalesChannel::{Dealer, Online, Store};
    let (_, b) = business();
    assert_eq!(b.channel(Online), figures(2, 6, 3100, 0));
    assert_eq!(b.channel(Store), figures(2, 4, 2000, 0));
    assert_eq!(b.channel(Dealer), figures(1, 4, 0, 4));
    assert_eq!(b.channel(Dealer).revenue_cents(), None);
    assert_eq!(b.total(), figures(5, 14, 5100, 4));
    assert_eq!(b.other_shipped_units, 5);

    let flows: Vec<(String, u64, u64, bool)> = b
        .returns
        .iter()
        .map(|f| (f.key(), f.returns, f.units, f.is_cross_channel()))
        .collect();
    let want = [
        ("online_to_warehouse", 1, 2, false),
        ("online_to_store", 2, 2, true),
        ("store_to_store", 1, 1, false),
        ("store_to_dealer", 1, 1, true),
        ("unknown_to_dealer", 1, 1, false),
    ];
    let want: Vec<(String, u64, u64, bool)> = want
        .iter()
        .map(|&(k, r, u, c)| (k.to_owned(), r, u, c))
        .collect();
    assert_eq!(flows, want);
    assert_eq!(b.cross_channel_returned_units(), 3);
    assert_eq!(b.returned_units(Some(Online)), 4);
    assert_eq!(b.returned_units(Some(Store)), 2);
    assert_eq!(b.returned_units(Some(Dealer)), 0);
    assert_eq!(b.returned_units(None), 1);

    let nodes: Vec<_> = b
        .nodes
        .iter()
        .map(|n| (n.node.0, n.routed, n.counter, n.returned_units))
        .collect();
    assert_eq!(
        nodes,
        [
            (0, figures(1, 2, 2000, 0), figures(0, 0, 0, 0), 2),
            (1, figures(1, 1, 500, 0), figures(2, 4, 2000, 0), 3),
            (2, figures(1, 3, 600, 0), figures(1, 4, 0, 4), 2),
        ]
    );
}

#[test]
fn rows_by_hand() {
    let (network, b) = business();
    let rows = b.rows(&network);
    let value = |name: &str, key: &str| {
        let found: Vec<_> = rows
            .iter()
            .filter(|r| r.name == name && r.key == key)
            .collect();
        assert!(found.len() <= 1, "{name} · {key} twice");
        found.first().map(|r| r.value)
    };
    assert_eq!(value("business_orders", "total"), Some(Some(5.0)));
    assert_eq!(value("business_units", "store"), Some(Some(4.0)));
    assert_eq!(
        value("business_revenue_cents", "online"),
        Some(Some(3100.0))
    );
    assert_eq!(value("business_revenue_cents", "store"), Some(Some(2000.0)));
    // Not every unit has a price: the figure is left out.
    assert_eq!(value("business_revenue_cents", "dealer"), None);
    assert_eq!(value("business_revenue_cents", "total"), None);
    assert_eq!(value("business_returned_units", "total"), Some(Some(7.0)));
    assert_eq!(value("business_returned_units", "unknown"), Some(Some(1.0)));
    assert_eq!(value("business_net_units", "online"), Some(Some(2.0)));
    assert_eq!(value("business_net_units", "total"), Some(Some(7.0)));
    assert_eq!(
        value("business_returns", "online_to_store"),
        Some(Some(2.0))
    );
    assert_eq!(value("business_cross_channel_returns", ""), Some(Some(3.0)));
    assert_eq!(value("business_other_shipped_units", ""), Some(Some(5.0)));
    assert_eq!(value("business_node_counter_sales", "ST"), Some(Some(2.0)));
    assert_eq!(value("business_node_returned_units", "DL"), Some(Some(2.0)));
    assert_eq!(
        value("business_node_revenue_cents", "ST"),
        Some(Some(2500.0))
    );
    assert_eq!(value("business_node_revenue_cents", "DL"), None);
}

#[test]
fn without_a_feed_the_business_is_the_routed_orders() {
    let (network, _) = business();
    let orders = vec![order("o1", &[(0, 2, 1000)])];
    let plan = Plan::from_decisions(&orders, vec![decision(&[(1, &[0], 2)])]);
    let b = Business::compute(&network, &orders, &plan, &[]);
    assert_eq!(b.total(), figures(1, 2, 2000, 0));
    assert_eq!(b.channel(SalesChannel::Store), SalesFigures::default());
    assert!(b.returns.is_empty());
    assert_eq!(SalesChannel::parse("dealer"), Some(SalesChannel::Dealer));
    assert_eq!(SalesChannel::parse("Dealer"), None);
}
