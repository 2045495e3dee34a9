//! The router behind the handle, in safe Rust: a [`LiveStock`] (router built once, live ledger)
//! loaded by the adapters' [`Inputs::load`], orders read by [`read_order_json_in`] and decisions
//! written by [`decision_json`], as the HTTP service does (crates/server `service.rs`), so a
//! decision is `omniroute route --format json`'s for the same order.

use crate::error::{AbiCode, OmError};
use jiff::{SignedDuration, Timestamp};
use omniroute_adapters::{
    decision_json, feed_outcomes_json, parse_json_unique, position_json, read_feed_array,
    read_order_json_in, refusal_message, Inputs, JsonOrder, Policies,
};
use omniroute_core::{
    InventoryError, LiveStock, Network, NodeIdx, ReservationId, SkuId, Skus, StockChange,
};
use parking_lot::RwLock;
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Longest reservation, seconds (a reservation is a hold of minutes, not of years).
pub const OMNIROUTE_MAX_TTL_SECONDS: u64 = u32::MAX as u64;

/// A kept router over the live stock; one handle serves many threads at once.
#[derive(Debug)]
pub struct OmRouter {
    live: LiveStock,
    network: Arc<Network>,
    policies: Policies,
    /// The SKU table; a delta or a return may add a SKU. Read-locked across a whole call that
    /// numbers an order's SKUs, so the numbering cannot change under it.
    skus: RwLock<Skus>,
    next_id: AtomicU64,
}

impl OmRouter {
    /// Loads nodes and stock (CSV, or Parquet for a `.parquet` path) and the policy (`None`:
    /// the default policy), every problem of every file reported together.
    pub fn from_files(nodes: &str, stock: &str, policy: Option<&str>) -> Result<Self, OmError> {
        let policies: Vec<String> = policy.map(str::to_owned).into_iter().collect();
        let inputs = Inputs::open(nodes, stock, None, &policies).map_err(|r| OmError::input(&r))?;
        Ok(Self::new(inputs))
    }

    /// Builds the router once and loads the ledger from the inputs' stock.
    pub fn new(inputs: Inputs) -> Self {
        OmRouter {
            live: inputs.live_stock(),
            network: inputs.network,
            policies: inputs.policies,
            skus: RwLock::new(inputs.skus),
            next_id: AtomicU64::new(1),
        }
    }

    /// The live stock (for audits and tests).
    pub fn live(&self) -> &LiveStock {
        &self.live
    }

    fn read_order(&self, json: &str, skus: &Skus, now: Timestamp) -> Result<JsonOrder, OmError> {
        let body: Value = serde_json::from_str(json).map_err(|e| {
            OmError::new(
                AbiCode::MalformedJson.id(),
                format!("the order is not valid JSON: {e}"),
                "pass one JSON object: {\"order_id\", \"dest\": {\"lat\", \"lon\"}, \"lines\": [{\"sku\", \"qty\"}]}",
            )
        })?;
        read_order_json_in(&body, skus, &self.network, &self.policies, now)
            .map_err(|p| OmError::order(&p))
    }

    /// The order's decision against the live stock (with its ranked candidates when
    /// `candidates`, as `omniroute explain --format json`); nothing is reserved.
    pub fn route(&self, order: &str, now: Timestamp, candidates: bool) -> Result<String, OmError> {
        let skus = self.skus.read();
        let order = self.read_order(order, &skus, now)?;
        let decision = self.live.quote(&order.order, now);
        let names = order.names(&self.network, &skus, &self.policies);
        Ok(decision_json(&order.order, &decision, &names, candidates).to_string())
    }

    /// Routes and reserves the order atomically until `now + ttl_seconds`; the reservation id
    /// and the decision (the one [`OmRouter::route`] gives at that moment).
    pub fn reserve(
        &self,
        order: &str,
        now: Timestamp,
        ttl_seconds: u64,
    ) -> Result<(u64, String), OmError> {
        let ttl = i64::try_from(ttl_seconds)
            .ok()
            .filter(|s| (1..=OMNIROUTE_MAX_TTL_SECONDS as i64).contains(s))
            .map(SignedDuration::from_secs)
            .ok_or_else(|| {
                OmError::new(
                    AbiCode::InvalidTtl.id(),
                    format!(
                        "ttl_seconds {ttl_seconds} is not from 1 to {OMNIROUTE_MAX_TTL_SECONDS}"
                    ),
                    "give how long the reservation holds, in seconds (900 is 15 minutes)",
                )
                .at("ttl_seconds")
            })?;
        let skus = self.skus.read();
        let order = self.read_order(order, &skus, now)?;
        let id = ReservationId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let decision = self
            .live
            .route_and_reserve(&order.order, id, now, ttl)
            .map_err(|e| self.ledger_error(&e, &skus))?;
        let names = order.names(&self.network, &skus, &self.policies);
        Ok((
            id.0,
            decision_json(&order.order, &decision, &names, false).to_string(),
        ))
    }

    /// Ships reservation `id`: on-hand goes down. An expired one is released instead (`E3006`).
    pub fn commit(&self, id: u64, now: Timestamp) -> Result<(), OmError> {
        self.live
            .commit(ReservationId(id), now)
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))
    }

    /// Frees reservation `id`.
    pub fn release(&self, id: u64) -> Result<(), OmError> {
        self.live
            .release(ReservationId(id))
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))
    }

    /// Releases the reservations expired at `now`; returns how many.
    pub fn expire(&self, now: Timestamp) -> usize {
        self.live.expire(now).len()
    }

    /// Applies an array of stock feed events (the delta stream's objects, `docs/formats.md`;
    /// `{"node_id", "seq", "sku", "change"}` is an adjust) all or none: duplicates ignored, gaps
    /// applied and reported; `{"applied", "duplicates", "gaps": [{"node_id", "expected",
    /// "got"}]}`, as the service's `POST /v1/stock/deltas` reads and answers them.
    pub fn apply_deltas(&self, json: &str) -> Result<String, OmError> {
        let hint = "pass a JSON array of {\"op\", \"node_id\", \"sku\", \"qty\", \"seq\"}";
        let body = parse_json_unique(json.as_bytes()).map_err(|e| {
            let code = if e.is_data() {
                AbiCode::InvalidDeltas.id()
            } else {
                AbiCode::MalformedJson.id()
            };
            OmError::new(code, format!("the deltas are not valid: {e}"), hint)
        })?;
        let items = body.as_array().ok_or_else(|| {
            OmError::new(
                AbiCode::InvalidDeltas.id(),
                "the deltas are not a JSON array",
                hint,
            )
        })?;
        let events = read_feed_array(items, &self.network).map_err(|p| OmError::order(&p))?;
        let changes: Vec<StockChange> = {
            let mut skus = self.skus.write();
            let (versions, now) = (&self.policies.versions, Timestamp::now());
            events
                .iter()
                .map(|e| e.change_under(&mut skus, versions, now))
                .collect()
        };
        let outcomes = self
            .live
            .apply_changes(&changes)
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))?;
        Ok(feed_outcomes_json(&self.network, &changes, &outcomes).to_string())
    }

    /// Adds `qty` returned units of `sku` to on-hand at `node_id` at once.
    pub fn return_units(&self, node_id: &str, sku: &str, qty: u32) -> Result<(), OmError> {
        let node = self.node(node_id, "node_id")?;
        let sku = self.skus.write().intern(sku.trim());
        self.live
            .return_units(node, sku, qty)
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))
    }

    /// `{"node_id", "sku", "on_hand", "reserved", "safety_stock", "routable"}`: the ledger's
    /// position and the units the router may use (after the policy's safety hold), as the
    /// service's `GET /v1/stock` answers.
    pub fn stock(&self, node_id: &str, sku_name: &str) -> Result<String, OmError> {
        let node = self.node(node_id, "node_id")?;
        let sku = self.sku(sku_name)?;
        Ok(position_json(&self.live, (node, node_id), (sku, sku_name)).to_string())
    }

    fn node(&self, node_id: &str, field: &str) -> Result<NodeIdx, OmError> {
        self.network.find(node_id).ok_or_else(|| {
            OmError::new(
                AbiCode::UnknownNode.id(),
                format!("node `{node_id}` is not in the network"),
                "check the id against nodes.csv (ids are case-sensitive)",
            )
            .at(field)
        })
    }

    fn sku(&self, name: &str) -> Result<SkuId, OmError> {
        self.skus.read().get(name).ok_or_else(|| {
            OmError::new(
                AbiCode::UnknownSku.id(),
                format!("sku `{name}` is not in the stock"),
                "check the SKU (names are case-sensitive)",
            )
            .at("sku")
        })
    }

    /// A ledger refusal with its `E3xxx` code, its message naming nodes and SKUs by id.
    fn ledger_error(&self, e: &InventoryError, skus: &Skus) -> OmError {
        let hint = match e {
            InventoryError::UnknownReservation { .. } => {
                "check the id: it may have been committed, released or expired"
            }
            InventoryError::Expired { .. } => {
                "route and reserve the order again (omniroute_reserve_json)"
            }
            InventoryError::ShortOnCommit { .. } | InventoryError::DuplicateReservation { .. } => {
                "release the reservation and route the order again"
            }
            _ => "check the feed's quantities, or send a fresh snapshot",
        };
        OmError::new(e.code(), refusal_message(e, &self.network, skus), hint)
    }
}

#[cfg(test)]
mod tests;
