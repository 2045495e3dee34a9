//! What the endpoints do, without HTTP: a kept router over the live stock ([`LiveStock`]), the
//! names decisions are written with, and the orders routed so far ([`OrderBook`]). Every answer
//! is a JSON value or an [`ApiError`]; decisions are written by the CLI's writer
//! ([`omniroute_adapters::decision_json`]).
//!
//! Locks: the SKU table is read-locked while a request reads and writes its orders' SKUs, and
//! written only by a delta that names a new SKU; routing one order takes the live stock's own
//! lock; a batch routes against a copy of the table with no lock held (see [`Service::batch`]).

pub(crate) mod kpis;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::orders::{OrderBook, Routed, KEEP_SETTLED_ORDERS};
use crate::store::{Ledger, LedgerError};
use jiff::{SignedDuration, Timestamp};
use omniroute_adapters::{
    decision_json, feed_outcomes_json, position_json, read_feed_array, read_order_json_in,
    refusal_message, totals_json, DecisionNames, Inputs, JsonOrder, Policies,
};
use omniroute_core::{
    Decision, InventoryError, LiveStock, Mode, Network, NodeIdx, OptimiseOptions, Order,
    ReservationId, Router, SkuId, Skus, StockChange,
};
use parking_lot::RwLock;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Longest optimise budget a batch may ask for, seconds.
pub const MAX_BATCH_SECONDS: f64 = 20.0;

/// The state behind every endpoint (`Send + Sync`, shared by `Arc`).
#[derive(Debug)]
pub struct Service {
    /// The ledger (in memory, or in PostgreSQL with its mirror: `store`).
    live: Ledger,
    network: Arc<Network>,
    policies: Policies,
    /// The SKU table; a delta may add a SKU. Held for reading across a request that numbers an
    /// order's SKUs and routes it, so the numbering cannot change under it.
    skus: Arc<RwLock<Skus>>,
    /// Orders reserved through `POST /v1/orders`.
    orders: OrderBook,
    next_id: AtomicU64,
    ttl: SignedDuration,
    pub(crate) metrics: Metrics,
    kpis: kpis::KpiLog,
}

impl Service {
    /// Builds the router once and loads the ledger from the inputs' stock; reservations live
    /// for `ttl` unless committed or released.
    pub fn new(inputs: Inputs, ttl: SignedDuration) -> Self {
        let live = inputs.live_stock();
        Service {
            kpis: kpis::KpiLog::new(live.stock_table()),
            live: Ledger::memory(live),
            network: inputs.network,
            policies: inputs.policies,
            skus: Arc::new(RwLock::new(inputs.skus)),
            orders: OrderBook::new(KEEP_SETTLED_ORDERS),
            next_id: AtomicU64::new(1),
            ttl,
            metrics: Metrics::default(),
        }
    }

    /// Keeps the records of at most `n` settled orders for `GET /v1/orders/{order_id}`
    /// ([`KEEP_SETTLED_ORDERS`] by default).
    #[must_use]
    pub fn keep_settled_orders(mut self, n: usize) -> Self {
        self.orders = OrderBook::new(n);
        self
    }

    /// Orders whose records `GET /v1/orders/{order_id}` answers (live and settled).
    pub fn orders_kept(&self) -> usize {
        self.orders.len()
    }

    /// [`Service::new`] with the ledger kept in the PostgreSQL database at `url`
    /// (`crate::store`): the stock is the database's, not the inputs'.
    #[cfg(feature = "postgres")]
    pub async fn with_database(
        inputs: Inputs,
        ttl: SignedDuration,
        url: &str,
    ) -> Result<Self, omniroute_adapters::postgres::DbError> {
        let mut service = Self::new(inputs, ttl);
        let router = Arc::clone(service.live.router());
        let network = Arc::clone(&service.network);
        let (ledger, first_id) =
            Ledger::postgres(router, url, network, Arc::clone(&service.skus)).await?;
        service.live = ledger;
        service.next_id = AtomicU64::new(first_id);
        Ok(service)
    }

    /// The live stock (for audits and tests; with a database, its mirror).
    pub fn live(&self) -> &LiveStock {
        self.live.mirror()
    }

    /// The ledger.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn ledger(&self) -> &Ledger {
        &self.live
    }

    fn names<'a>(&'a self, skus: &'a Skus, order: &'a JsonOrder) -> DecisionNames<'a> {
        order.names(&self.network, skus, &self.policies)
    }

    /// `POST /v1/quote`: the order's decision against the live stock; nothing is reserved.
    pub fn quote(&self, body: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let skus = self.skus.read();
        let order = read_order_json_in(body, &skus, &self.network, &self.policies, now)
            .map_err(|p| ApiError::order(&p, ""))?;
        let decision = self.live.quote(&order.order, now);
        self.metrics.orders_routed.inc();
        Ok(decision_json(
            &order.order,
            &decision,
            &self.names(&skus, &order),
            false,
        ))
    }

    /// `POST /v1/orders`: routes and reserves atomically; 409 while the order has a live
    /// reservation or another request is reserving it. The order id is claimed first, then the
    /// order routed and reserved under the live stock's lock alone, then recorded.
    pub fn reserve(&self, body: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let skus = self.skus.read();
        let order = read_order_json_in(body, &skus, &self.network, &self.policies, now)
            .map_err(|p| ApiError::order(&p, ""))?;
        let o = &order.order;
        let claim = self
            .orders
            .claim(&o.id, |id| self.live.reservation(id).is_some())?;
        let id = ReservationId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let decision = self
            .live
            .route_and_reserve(o, id, now, self.ttl)
            .map_err(|e| self.ledger_error(&e, &skus))?;
        let expires_at = now.checked_add(self.ttl).unwrap_or(Timestamp::MAX);
        // Written once, with the candidates kept for GET /v1/orders; the reply leaves them out.
        let explanation = decision_json(o, &decision, &self.names(&skus, &order), true);
        let reply = without_candidates(&explanation);
        claim.record(Routed {
            reservation: id,
            expires_at,
            status: "reserved",
            explanation,
        });
        self.kpis.record(o, &decision, now);
        self.metrics.orders_routed.inc();
        Ok(json!({
            "reservation_id": id.to_string(),
            "expires_at": expires_at.to_string(),
            "decision": reply,
        }))
    }

    /// Routes `order` by `router` (the dealer desk's) and reserves it under a new reservation
    /// until `now + ttl`. Not recorded for `GET /v1/orders`: the desk keeps its own record.
    pub(crate) fn reserve_by(
        &self,
        router: &Router,
        order: &Order,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<(ReservationId, Decision), ApiError> {
        let id = ReservationId(self.next_id.fetch_add(1, Ordering::Relaxed));
        self.live
            .route_and_reserve_by(router, order, id, now, ttl)
            .map(|d| (id, d))
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))
    }

    /// Counts an answered dealer offer for `GET /v1/kpis`.
    pub(crate) fn record_offer(&self, offer: &omniroute_core::Offer) {
        self.kpis.record_offer(offer);
    }

    /// How long a reservation lives unless committed or released.
    pub(crate) fn ttl(&self) -> SignedDuration {
        self.ttl
    }

    /// `POST /v1/reservations/{id}/commit`.
    pub fn commit(&self, id: &str, now: Timestamp) -> Result<Value, ApiError> {
        let id = reservation_id(id)?;
        let result = self.live.commit(id, now);
        match &result {
            Ok(()) => self.settled(id, "committed"),
            Err(LedgerError::Refused(InventoryError::Expired { .. })) => {
                self.settled(id, "expired");
            }
            Err(_) => {}
        }
        result.map_err(|e| self.ledger_error(&e, &self.skus.read()))?;
        Ok(json!({"reservation_id": id.to_string(), "status": "committed"}))
    }

    /// `POST /v1/reservations/{id}/release`.
    pub fn release(&self, id: &str) -> Result<Value, ApiError> {
        let id = reservation_id(id)?;
        self.live
            .release(id)
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))?;
        self.settled(id, "released");
        Ok(json!({"reservation_id": id.to_string(), "status": "released"}))
    }

    /// Releases the reservations expired at `now`; returns how many.
    pub fn expire(&self, now: Timestamp) -> usize {
        let expired = self.live.expire(now);
        for &id in &expired {
            self.settled(id, "expired");
        }
        expired.len()
    }

    fn settled(&self, id: ReservationId, status: &'static str) {
        self.orders.settle(id, status);
    }

    /// `POST /v1/stock/deltas`: an array of stock feed events (the delta stream's objects,
    /// `docs/formats.md`; `{"node_id", "seq", "sku", "change"}` is an adjust), applied all or
    /// none; duplicates ignored, gaps applied and reported.
    pub fn deltas(&self, body: &Value) -> Result<Value, ApiError> {
        let hint = "send an array of {\"op\", \"node_id\", \"sku\", \"qty\", \"seq\"}";
        let items = body
            .as_array()
            .ok_or_else(|| ApiError::invalid("", "the body is not a JSON array", hint))?;
        let events = read_feed_array(items, &self.network).map_err(|p| ApiError::order(&p, ""))?;
        let deltas: Vec<StockChange> = {
            let mut skus = self.skus.write();
            let (versions, now) = (&self.policies.versions, Timestamp::now());
            events
                .iter()
                .map(|e| e.change_under(&mut skus, versions, now))
                .collect()
        };
        let outcomes = self
            .live
            .apply_changes(&deltas)
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))?;
        self.kpis.record_sales(&events, &outcomes);
        let answer = feed_outcomes_json(&self.network, &deltas, &outcomes);
        self.metrics
            .deltas_applied
            .inc_by(answer["applied"].as_u64().unwrap_or(0));
        Ok(answer)
    }

    /// `GET /v1/stock?node_id=..&sku=..`: the ledger's position and the units the router may use
    /// (`routable`, after the policy's safety hold).
    pub fn stock(&self, node_id: Option<&str>, sku: Option<&str>) -> Result<Value, ApiError> {
        let hint = "give both query parameters, for example /v1/stock?node_id=W1&sku=TEE";
        let node_id =
            node_id.ok_or_else(|| ApiError::invalid("node_id", "node_id is missing", hint))?;
        let sku_name = sku.ok_or_else(|| ApiError::invalid("sku", "sku is missing", hint))?;
        let node = self.node(node_id, "node_id")?;
        let sku = self.skus.read().get(sku_name).ok_or_else(|| {
            ApiError::not_found(
                "sku",
                format!("sku `{sku_name}` is not in the stock"),
                "check the SKU (names are case-sensitive)",
            )
        })?;
        Ok(position_json(
            self.live.mirror(),
            (node, node_id),
            (sku, sku_name),
        ))
    }

    /// `GET /v1/orders/{order_id}`: the reservation and the decision with its ranked candidates.
    pub fn order(&self, order_id: &str) -> Result<Value, ApiError> {
        self.orders.answer(order_id).ok_or_else(|| {
            ApiError::not_found(
                "order_id",
                format!("order `{order_id}` was not routed by POST /v1/orders, or was settled long ago"),
                "check the id (ids are case-sensitive); quotes are not kept, nor more than the latest 100,000 settled orders",
            )
        })
    }

    /// `POST /v1/batch`: `{"orders": [...], "mode": "sequential" | "optimise", "time_limit_s"?,
    /// "seed"?, "iterations"?}` routed against a copy of the live stock; nothing is reserved.
    /// A sequential batch starts from the node capacity the day's reservations use
    /// ([`omniroute_core::LiveStock::day_load`]); optimise mode counts capacity from zero.
    ///
    /// The orders are read and the table copied under the SKU table's read lock, which is let go
    /// before routing (an optimise run takes seconds, and a waiting writer would hold up every
    /// reader). Taken together, the copy holds only SKUs the orders were numbered against, so a
    /// SKU an order names that the table did not know (id `skus.len() + k`) has no stock in it
    /// even if a delta adds a SKU meanwhile; the decisions are then written with those ids
    /// moved past the grown table (`names_after`).
    pub fn batch(&self, body: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let hint = "send {\"orders\": [...], \"mode\": \"sequential\" or \"optimise\"}";
        let items = body
            .get("orders")
            .and_then(Value::as_array)
            .ok_or_else(|| ApiError::invalid("orders", "orders is not an array", hint))?;
        let mode = match body.get("mode").map(|m| m.as_str()) {
            None | Some(Some("sequential")) => Mode::Sequential,
            Some(Some("optimise")) => Mode::Optimise(optimise_options(body)?),
            Some(_) => {
                return Err(ApiError::invalid(
                    "mode",
                    "mode is not sequential or optimise",
                    hint,
                ))
            }
        };
        let (read, known, stock) = {
            let skus = self.skus.read();
            let read: Vec<JsonOrder> = items
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    read_order_json_in(o, &skus, &self.network, &self.policies, now)
                        .map_err(|p| ApiError::order(&p, &format!("orders[{i}].")))
                })
                .collect::<Result<_, _>>()?;
            (read, skus.len(), self.live.stock_table())
        };
        let orders: Vec<Order> = read.iter().map(|o| o.order.clone()).collect();
        let router = self.live.router();
        let plan = if matches!(mode, Mode::Sequential) {
            let day = self.live.day_load(now);
            router.route_sequential_from(&orders, &stock, &day, now, &|_| {})
        } else {
            router.route_batch(&orders, &stock, now, &mode)
        };
        self.metrics.orders_routed.inc_by(orders.len() as u64);
        let skus = self.skus.read();
        let decisions: Vec<Value> = read
            .iter()
            .zip(&plan.decisions)
            .map(|(o, d)| {
                let o = names_after(o, known, skus.len());
                decision_json(&o.order, d, &self.names(&skus, &o), false)
            })
            .collect();
        Ok(json!({
            "mode": if matches!(mode, Mode::Sequential) { "sequential" } else { "optimise" },
            "totals": totals_json(&plan.totals),
            "bound_cents": plan.bound_cents,
            "gap": plan.gap(),
            "decisions": decisions,
        }))
    }

    /// A ledger refusal with its status and code, its message naming nodes and SKUs by id.
    fn ledger_error(&self, e: &LedgerError, skus: &Skus) -> ApiError {
        match e {
            LedgerError::Refused(e) => {
                let mut api = ApiError::from(e.clone());
                api.message = refusal_message(e, &self.network, skus);
                api
            }
            #[cfg(feature = "postgres")]
            LedgerError::Db(e) => ApiError::from(e),
        }
    }

    fn node(&self, node_id: &str, field: &str) -> Result<NodeIdx, ApiError> {
        self.network.find(node_id).ok_or_else(|| {
            ApiError::not_found(
                field,
                format!("node `{node_id}` is not in the network"),
                "check the id against nodes.csv (ids are case-sensitive)",
            )
        })
    }

    /// Live reservations, for the metrics.
    pub(crate) fn live_reservations(&self) -> usize {
        self.live.live_reservations()
    }

    /// A SKU's id, if known (for tests and audits).
    pub fn sku(&self, name: &str) -> Option<SkuId> {
        self.skus.read().get(name)
    }
}

/// The decision of [`decision_json`] without its `candidates`.
fn without_candidates(explanation: &Value) -> Value {
    let fields = explanation.as_object().into_iter().flatten();
    Value::Object(
        fields
            .filter(|(k, _)| *k != "candidates")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// `order`, read against a SKU table of `known` SKUs, for writing with the table grown to `now`
/// SKUs: the ids of SKUs it did not know (`known + k`) become `now + k`, past the grown table.
fn names_after(order: &JsonOrder, known: usize, now: usize) -> Cow<'_, JsonOrder> {
    if known == now || order.new_skus.is_empty() {
        return Cow::Borrowed(order);
    }
    let mut moved = order.clone();
    for line in &mut moved.order.lines {
        if line.sku.0 as usize >= known {
            line.sku = SkuId((line.sku.0 as usize - known + now) as u32);
        }
    }
    Cow::Owned(moved)
}

/// A reservation id from a path: the number `POST /v1/orders` gave; anything else is unknown.
fn reservation_id(s: &str) -> Result<ReservationId, ApiError> {
    s.parse::<u64>().map(ReservationId).map_err(|_| {
        ApiError::not_found(
            "id",
            format!("no live reservation {s}"),
            "use the reservation_id POST /v1/orders returned",
        )
    })
}

fn optimise_options(body: &Value) -> Result<OptimiseOptions, ApiError> {
    let hint = "time_limit_s: seconds from 0 to 20; seed and iterations: whole numbers";
    let secs = match body.get("time_limit_s") {
        None => 5.0,
        Some(v) => v
            .as_f64()
            .filter(|s| (0.0..=MAX_BATCH_SECONDS).contains(s))
            .ok_or_else(|| {
                ApiError::invalid("time_limit_s", "time_limit_s is out of range", hint)
            })?,
    };
    let whole = |k: &str| match body.get(k) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| ApiError::invalid(k, format!("{k} is not a whole number"), hint)),
    };
    Ok(OptimiseOptions {
        time_limit: Duration::from_secs_f64(secs),
        iteration_limit: whole("iterations")?,
        seed: whole("seed")?.unwrap_or(0),
        single_thread: false,
        started: None,
    })
}
