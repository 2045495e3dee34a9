//! `GET /v1/kpis`: the key figures (docs/kpis.md) of the orders routed and reserved through
//! `POST /v1/orders` since the service started, the latest decision per order id (a released or
//! expired order still counts: it was routed). Quotes and batches are not kept. Stock-outs
//! avoided are judged against the stock the service started with. The offer figures count the
//! dealer offers answered on the dealer desk (`serve --dealers`), as they are answered. The total
//! business (`business`) adds the `ship` and `return` events applied through
//! `POST /v1/stock/deltas` since the service started.

use super::Service;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use omniroute_adapters::FeedEvent;
use omniroute_core::{
    Business, Decision, DeltaOutcome, KpiInputs, KpiRow, Kpis, Offer, OfferFigures, Order, Plan,
    SaleEvent, StockTable,
};
use parking_lot::Mutex;
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use std::sync::Arc;

/// The orders routed so far and the stock the service started with.
#[derive(Debug)]
pub(crate) struct KpiLog {
    start: StockTable,
    routed: Mutex<Routed>,
    /// Answered offers (`None` until the first answer).
    offers: Mutex<Option<OfferFigures>>,
    /// The `ship` and `return` events applied through `POST /v1/stock/deltas`, for the total
    /// business.
    sales: Mutex<Vec<SaleEvent>>,
}

#[derive(Debug, Default)]
struct Routed {
    orders: Vec<Order>,
    decisions: Vec<Decision>,
    by_id: FxHashMap<String, usize>,
}

impl KpiLog {
    /// An empty log over the starting stock.
    pub(crate) fn new(start: StockTable) -> Self {
        KpiLog {
            start,
            routed: Mutex::default(),
            offers: Mutex::default(),
            sales: Mutex::default(),
        }
    }

    /// Keeps the sales and returns among `events` the ledger applied (not its duplicates).
    pub(crate) fn record_sales(&self, events: &[FeedEvent], outcomes: &[DeltaOutcome]) {
        let applied = events
            .iter()
            .zip(outcomes)
            .filter(|(_, o)| !matches!(o, DeltaOutcome::Duplicate));
        let mut sales = self.sales.lock();
        sales.extend(applied.filter_map(|(e, _)| e.sale_event()));
    }

    /// Counts an answered offer.
    pub(crate) fn record_offer(&self, offer: &Offer) {
        self.offers.lock().get_or_insert_default().record(offer);
    }

    /// Keeps `order`'s decision (replacing an earlier one of the same id) without its
    /// explanation (the figures need only the shipments); an order without `created_at` counts
    /// from `now`, the time it was routed.
    pub(crate) fn record(&self, order: &Order, decision: &Decision, now: Timestamp) {
        let mut order = order.clone();
        order.created_at.get_or_insert(now);
        let decision = Decision {
            shipments: decision.shipments.clone(),
            unfilled: decision.unfilled.clone(),
            cost: decision.cost,
            candidates: Vec::new(),
            rules: Vec::new(),
            group: None,
        };
        let mut r = self.routed.lock();
        if let Some(&i) = r.by_id.get(&order.id) {
            r.orders[i] = order;
            r.decisions[i] = decision;
        } else {
            let i = r.orders.len();
            r.by_id.insert(order.id.clone(), i);
            r.orders.push(order);
            r.decisions.push(decision);
        }
    }
}

/// A figure in JSON: `{"name", "key", "value", "unit", "note"?}` (`value` null when undefined).
pub fn row_json(r: &KpiRow) -> Value {
    let mut v = json!({"name": r.name, "key": r.key, "value": r.value, "unit": r.unit});
    if let Some(note) = r.note() {
        v["note"] = note.into();
    }
    v
}

impl Service {
    /// `GET /v1/kpis`: `{"orders": n, "kpis": [row, ...]}`.
    pub fn kpis(&self, now: Timestamp) -> Value {
        let (orders, decisions) = {
            let r = self.kpis.routed.lock();
            (r.orders.clone(), r.decisions.clone())
        };
        let plan = Plan::from_decisions(&orders, decisions);
        let mut kpis = Kpis::compute(&KpiInputs {
            network: &self.network,
            orders: &orders,
            plan: &plan,
            policy: self.policies.versions.earliest(),
            stock: &self.kpis.start,
            now,
            reroutes: None,
        });
        kpis.offers = *self.kpis.offers.lock();
        let rows: Vec<Value> = kpis.rows(&self.network).iter().map(row_json).collect();
        let sales = self.kpis.sales.lock().clone();
        let business = Business::compute(&self.network, &orders, &plan, &sales);
        let business: Vec<Value> = business.rows(&self.network).iter().map(row_json).collect();
        json!({"orders": orders.len(), "kpis": rows, "business": business})
    }
}

/// One key figure. The schema types describe the JSON only (see `openapi.rs`).
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub(crate) struct KpiBody {
    /// The figure (docs/kpis.md), for example `fill_rate`.
    name: String,
    /// What it is broken down by (node kind, cost term, bucket, node id), or empty.
    key: String,
    /// Null when undefined (a ratio of nothing) or not available yet.
    value: Option<f64>,
    unit: String,
    /// `not available until offers exist` on the figures that need dealer offers or
    /// territories and have no value.
    note: Option<String>,
}

/// The key figures of the orders routed through `POST /v1/orders`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub(crate) struct KpisReply {
    orders: u64,
    kpis: Vec<KpiBody>,
    /// The total business (docs/kpis.md): these orders and the counter sales and returns the
    /// `ship` and `return` events of `POST /v1/stock/deltas` reported.
    business: Vec<KpiBody>,
}

/// The key figures of the orders routed and reserved so far (docs/kpis.md).
#[utoipa::path(get, path = "/v1/kpis", security(("bearer" = [])),
    responses((status = 200, body = KpisReply), (status = 401, body = crate::openapi::ErrorBody)))]
pub(crate) async fn get_kpis(State(s): State<Arc<Service>>) -> Json<Value> {
    Json(s.kpis(Timestamp::now()))
}
