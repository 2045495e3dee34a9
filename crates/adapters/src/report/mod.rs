//! The HTML report: one self-contained page (`page.html`, its CSS and a hand-written script
//! inline) that draws the key figures, the promise-days histogram, cost per order by term, node
//! load, the dealers' share and a map of nodes and deliveries from JSON embedded in the page. It
//! opens with no network access: nothing is fetched.
//!
//! The page sets `<body data-ready="ok">` once every chart drew at least one element (else
//! `empty:<charts>` or `error:<message>`), which `scripts/report-test` checks in Chromium.
//! Destinations on the map are rounded to 0.01° (about 1 km): a report shows where deliveries
//! go, not customers' addresses.

use omniroute_core::{
    Business, Currency, KpiRow, Kpis, Network, NodeBusiness, NodeKind, Order, Plan, PromiseDays,
    SalesChannel, SalesFigures, NOT_AVAILABLE,
};
use serde_json::{json, Value};

/// The page, with `__TITLE__` and `__DATA__` to fill.
const PAGE: &str = include_str!("page.html");

/// At most this many deliveries (shipments) are drawn on the map, the first in plan order.
pub const MAP_DELIVERIES: usize = 3000;

/// At most this many nodes are listed in the node-load chart, the busiest first.
pub const LOAD_NODES: usize = 30;

/// What a report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// One line under the title (inputs, policy, reference time).
    pub subtitle: &'a str,
    /// The network.
    pub network: &'a Network,
    /// The plan's orders.
    pub orders: &'a [Order],
    /// The plan.
    pub plan: &'a Plan,
    /// Its figures.
    pub kpis: &'a Kpis,
    /// The policy's currency: every amount is shown in it (`None`: plain cents).
    pub currency: Option<Currency>,
    /// The total business with the stock feed's counter sales and returns (`--feed`), if any.
    pub business: Option<&'a Business>,
}

fn row_json(r: &KpiRow) -> Value {
    json!({"name": r.name, "key": r.key, "value": r.value, "unit": r.unit, "note": r.note()})
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The data the page draws, as JSON.
pub fn report_data(page: &ReportPage<'_>) -> Value {
    let (network, k) = (page.network, page.kpis);
    let rows = k.rows(network);
    let value = |name: &str, key: &str| {
        rows.iter()
            .find(|r| r.name == name && r.key == key)
            .and_then(|r| r.value)
            .unwrap_or(0.0)
    };
    let promise: Vec<Value> = PromiseDays::BUCKETS
        .iter()
        .zip(k.promise_days.orders)
        .map(|(b, n)| json!([b.replace('_', " "), n]))
        .collect();
    let cost: Vec<Value> = rows
        .iter()
        .filter(|r| r.name == "cost_per_order_cents" && r.key != "total")
        .filter(|r| r.value.is_some_and(|v| v != 0.0))
        .map(|r| json!([r.key.replace('_', " "), r.value]))
        .collect();
    let mut loads: Vec<_> = k.nodes.iter().filter(|n| n.units > 0).collect();
    loads.sort_by(|a, b| b.units.cmp(&a.units).then(a.node.cmp(&b.node)));
    let more = loads.len().saturating_sub(LOAD_NODES);
    let by_load: Vec<Value> = loads
        .iter()
        .take(LOAD_NODES)
        .map(|n| {
            let node = network.node(n.node);
            json!({"id": node.id, "kind": node.kind.as_str(), "units": n.units,
                   "utilisation": n.utilisation()})
        })
        .collect();
    let (nodes, deliveries, map_note) = map_data(page);
    let dealer_orders = k.kind(NodeKind::Dealer).orders;
    let cards = cards(&rows);
    json!({
        "title": page.title,
        "subtitle": page.subtitle,
        "currency": page.currency.map(|c| json!({
            "code": c.code(), "prefix": c.prefix(), "minor_digits": c.minor_digits(),
        })),
        "kpis": rows.iter().map(row_json).collect::<Vec<_>>(),
        "cards": cards,
        "promise_days": promise,
        "cost_per_order": cost,
        "nodes_by_load": by_load,
        "nodes_by_load_more": more,
        "nodes": nodes,
        "deliveries": deliveries,
        "map_note": map_note,
        "dealers": {
            "orders": dealer_orders,
            "other_orders": k.orders_shipped - dealer_orders,
            "margin_cents": value("dealer_margin_paid_cents", ""),
            "offers_note": NOT_AVAILABLE,
        },
        "business": page.business.map(|b| business_data(network, b)),
    })
}

/// The total business: per channel and in total, the returns by where bought and where
/// returned, and the [`LOAD_NODES`] nodes with the most units (sold, shipped or returned).
fn business_data(network: &Network, b: &Business) -> Value {
    let figures = |label: &str, f: &SalesFigures, returned: u64| {
        json!({"channel": label, "orders": f.orders, "units": f.units,
               "revenue_cents": f.revenue_cents(), "returned_units": returned,
               "net_units": f.units as i64 - returned as i64})
    };
    let mut channels: Vec<Value> = SalesChannel::ALL
        .iter()
        .map(|&c| figures(c.as_str(), &b.channel(c), b.returned_units(Some(c))))
        .collect();
    channels.push(figures("total", &b.total(), b.all_returned_units()));
    let returns: Vec<Value> = b
        .returns
        .iter()
        .map(|f| {
            json!({"bought_via": f.bought_via.map_or("unknown", SalesChannel::as_str),
                   "returned_at": f.returned_at.as_str(), "returns": f.returns,
                   "units": f.units, "cross_channel": f.is_cross_channel()})
        })
        .collect();
    let mut nodes: Vec<_> = b.nodes.iter().collect();
    nodes.sort_by(|a, b| {
        let units = |n: &NodeBusiness| n.sales().units;
        units(b).cmp(&units(a)).then(a.node.cmp(&b.node))
    });
    let more = nodes.len().saturating_sub(LOAD_NODES);
    let nodes: Vec<Value> = nodes
        .iter()
        .take(LOAD_NODES)
        .map(|n| {
            let node = network.node(n.node);
            json!({"id": node.id, "kind": node.kind.as_str(),
                   "routed_orders": n.routed.orders, "routed_units": n.routed.units,
                   "counter_sales": n.counter.orders, "counter_units": n.counter.units,
                   "returned_units": n.returned_units, "revenue_cents": n.sales().revenue_cents()})
        })
        .collect();
    json!({
        "channels": channels,
        "returns": returns,
        "cross_channel_units": b.cross_channel_returned_units(),
        "other_shipped_units": b.other_shipped_units,
        "nodes": nodes,
        "nodes_more": more,
    })
}

/// The map's nodes (with units shipped), its deliveries (at most [`MAP_DELIVERIES`],
/// destinations rounded) and the note under it.
fn map_data(page: &ReportPage<'_>) -> (Vec<Value>, Vec<Value>, String) {
    let (network, k) = (page.network, page.kpis);
    let units: Vec<u32> = {
        let mut u = vec![0; network.len()];
        k.nodes.iter().for_each(|n| u[n.node.0 as usize] = n.units);
        u
    };
    let nodes: Vec<Value> = network
        .nodes()
        .iter()
        .zip(&units)
        .map(|(n, u)| {
            json!({"id": n.id, "kind": n.kind.as_str(), "lat": n.location.lat_deg(),
                   "lon": n.location.lon_deg(), "units": u})
        })
        .collect();
    let shipments = page
        .orders
        .iter()
        .zip(&page.plan.decisions)
        .flat_map(|(o, d)| d.shipments.iter().map(move |s| (o, s)));
    let total = page.plan.totals.shipments as usize;
    let deliveries: Vec<Value> = shipments
        .take(MAP_DELIVERIES)
        .map(|(o, s)| {
            let n = network.node(s.node);
            json!([
                n.location.lat_deg(),
                n.location.lon_deg(),
                round2(o.destination.lat_deg()),
                round2(o.destination.lon_deg()),
                n.kind.as_str()
            ])
        })
        .collect();
    let map_note = if total > deliveries.len() {
        format!(
            "the first {} of {total} shipments; destinations rounded to 0.01°",
            deliveries.len()
        )
    } else {
        format!("{total} shipments; destinations rounded to 0.01°")
    };
    (nodes, deliveries, map_note)
}

/// The headline figures.
fn cards(rows: &[KpiRow]) -> Vec<Value> {
    let card = |label: &str, name: &str, key: &str| {
        let r = rows.iter().find(|r| r.name == name && r.key == key);
        json!({"label": label, "value": r.and_then(|r| r.value), "unit": r.map_or("", |r| r.unit)})
    };
    vec![
        card("orders", "orders", ""),
        card("fill rate (units)", "fill_rate", ""),
        card("promised same or next day", "same_or_next_day_share", ""),
        card("split orders", "split_rate", ""),
        card("km per unit", "km_per_unit", ""),
        card("cost per order", "cost_per_order_cents", "total"),
        card("orders via dealers", "dealer_share", ""),
        card("stock-outs avoided", "stockouts_avoided", ""),
    ]
}

/// Escapes text for HTML.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The whole page: `report_data` embedded in `page.html`.
pub fn report_html(page: &ReportPage<'_>) -> String {
    // `</` cannot end the JSON's <script> element once written `<\/` (still the same JSON).
    let data = report_data(page).to_string().replace("</", "<\\/");
    let title = html_escape(page.title);
    let (head, tail) = PAGE
        .split_once("__DATA__")
        .expect("page.html has a __DATA__");
    let mut html = head.replace("__TITLE__", &title);
    html.push_str(&data);
    html.push_str(&tail.replace("__TITLE__", &title));
    html
}

#[cfg(test)]
mod tests;
