//! The report's data and page on a small routed plan.

use super::{report_data, report_html, ReportPage};
use omniroute_core::{
    DealerTerms, KpiInputs, Kpis, LatLng, Network, Node, NodeIdx, NodeKind, Order, OrderLine,
    Policy, Router, SkuId,
};

fn at() -> jiff::Timestamp {
    "2026-11-26T04:00:00Z".parse().unwrap()
}

/// A warehouse and a dealer named so that it would close the data's <script> if not escaped;
/// three one-line orders, two from the warehouse, one (SKU 1) from the dealer.
fn page_of(f: impl FnOnce(&ReportPage<'_>)) {
    let wh = Node::new("WH", NodeKind::Warehouse, LatLng::new(28.6, 77.2).unwrap());
    let mut dl = Node::new(
        "</script>DL",
        NodeKind::Dealer,
        LatLng::new(28.4, 77.3).unwrap(),
    );
    dl.dealer = Some(DealerTerms {
        margin_bps: 1000,
        territory: None,
        acceptance_timeout_s: None,
        acceptance_rate: None,
    });
    let network = Network::new(vec![wh, dl]).unwrap();
    let orders: Vec<Order> = [(0, 28.612_345), (0, 28.5), (1, 28.45)]
        .iter()
        .enumerate()
        .map(|(i, &(sku, lat))| {
            let line = OrderLine {
                line_no: 1,
                sku: SkuId(sku),
                qty: 1,
                unit_price_cents: Some(10_000),
            };
            let mut o = Order::new(
                format!("o{i}"),
                LatLng::new(lat, 77.25).unwrap(),
                vec![line],
            );
            o.created_at = Some(at());
            o
        })
        .collect();
    let router = Router::new(network.clone(), Policy::default());
    let stock = router.stock_table([(NodeIdx(0), SkuId(0), 5), (NodeIdx(1), SkuId(1), 5)]);
    let plan = router.route_sequential(&orders, &stock, at());
    let kpis = Kpis::compute(&KpiInputs {
        network: &network,
        orders: &orders,
        plan: &plan,
        policy: router.policy(),
        stock: &stock,
        now: at(),
        reroutes: None,
    });
    f(&ReportPage {
        title: "Day 1 <test>",
        subtitle: "three orders",
        network: &network,
        orders: &orders,
        plan: &plan,
        kpis: &kpis,
        currency: None,
        business: None,
    });
}

/// The page's amounts follow the policy's currency: its code, prefix and minor unit are in the
/// data the script formats with, and none (plain cents) is `null`.
#[test]
fn the_currency_is_in_the_data() {
    page_of(|page| {
        assert_eq!(report_data(page)["currency"], serde_json::Value::Null);
        let eur = ReportPage {
            currency: Some(omniroute_core::Currency::new("EUR").unwrap()),
            ..*page
        };
        let d = report_data(&eur);
        assert_eq!(
            d["currency"],
            serde_json::json!({"code": "EUR", "prefix": "€", "minor_digits": 2})
        );
        let jpy = ReportPage {
            currency: Some(omniroute_core::Currency::new("JPY").unwrap()),
            ..*page
        };
        assert_eq!(report_data(&jpy)["currency"]["minor_digits"], 0);
        assert!(!report_html(&eur).contains('₹'));
    });
}

#[test]
fn data_has_every_chart_and_rounds_destinations() {
    page_of(|page| {
        let d = report_data(page);
        let promise: u64 = d["promise_days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b[1].as_u64().unwrap())
            .sum();
        assert_eq!(promise, 3);
        let load = &d["nodes_by_load"];
        assert_eq!(
            (load[0]["id"].as_str(), load[0]["units"].as_u64()),
            (Some("WH"), Some(2))
        );
        assert_eq!(load[1]["units"], 1);
        assert_eq!(d["deliveries"].as_array().unwrap().len(), 3);
        assert_eq!(d["deliveries"][0][2], 28.61);
        assert_eq!(d["deliveries"][2][4], "dealer");
        assert_eq!(
            (
                d["dealers"]["orders"].as_u64(),
                d["dealers"]["other_orders"].as_u64()
            ),
            (Some(1), Some(2))
        );
        let terms: Vec<&str> = d["cost_per_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t[0].as_str().unwrap())
            .collect();
        assert!(
            terms.contains(&"fixed") && terms.contains(&"margin"),
            "{terms:?}"
        );
        assert!(!terms.contains(&"total"));
        // 10 % of one 100.00 line over three orders.
        assert_eq!(d["dealers"]["margin_cents"], 1000.0);
    });
}

#[test]
fn page_embeds_the_data_safely_and_fetches_nothing() {
    page_of(|page| {
        let html = report_html(page);
        assert!(html.contains("<title>Day 1 &lt;test&gt;</title>"));
        // The node id's `</script>` is written `<\/script>` inside the JSON.
        assert!(html.contains(r"<\/script>DL"));
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the page's own two scripts end"
        );
        for remote in ["http://", "https://", "src=", "@import"] {
            let found: Vec<&str> = html.lines().filter(|l| l.contains(remote)).collect();
            // The SVG namespace is a name, not a fetch.
            assert!(
                found
                    .iter()
                    .all(|l| l.contains("http://www.w3.org/2000/svg")),
                "{remote}: {found:?}"
            );
        }
    });
}

/// With a feed, the data has the total business: the routed orders (3 units at 100.00) and a
/// counter sale of 2 unpriced units at the dealer, so the dealer's revenue is unknown (`null`);
/// a return of the first order at the dealer is a cross-channel return.
#[test]
fn data_has_the_total_business_with_a_feed() {
    page_of(|page| {
        assert_eq!(report_data(page)["business"], serde_json::Value::Null);
        let sale = |is_return, units, order_id: Option<&str>| omniroute_core::SaleEvent {
            node: NodeIdx(1),
            is_return,
            units,
            order_id: order_id.map(str::to_owned),
            sold_via: None,
            unit_price_cents: None,
        };
        let feed = [sale(false, 2, None), sale(true, 1, Some("o0"))];
        let b = omniroute_core::Business::compute(page.network, page.orders, page.plan, &feed);
        let d = report_data(&ReportPage {
            business: Some(&b),
            ..*page
        });
        let channels: Vec<(&str, u64, serde_json::Value, i64)> = d["business"]["channels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["channel"].as_str().unwrap(),
                    c["units"].as_u64().unwrap(),
                    c["revenue_cents"].clone(),
                    c["net_units"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            channels,
            [
                ("online", 3, serde_json::json!(30_000), 2),
                ("store", 0, serde_json::json!(0), 0),
                ("dealer", 2, serde_json::Value::Null, 2),
                ("total", 5, serde_json::Value::Null, 4),
            ]
        );
        let flow = &d["business"]["returns"][0];
        assert_eq!(
            (
                &flow["bought_via"],
                &flow["returned_at"],
                &flow["cross_channel"]
            ),
            (&"online".into(), &"dealer".into(), &true.into())
        );
        assert_eq!(d["business"]["cross_channel_units"], 1);
        // The dealer sold the most units (1 routed + 2 at the counter): first.
        assert_eq!(d["business"]["nodes"][0]["counter_sales"], 1);
        assert!(report_html(&ReportPage {
            business: Some(&b),
            ..*page
        })
        .contains("business-section"));
    });
}
