//! The router behind the handle, in safe Rust: a [`LiveStock`] (router built once, live ledger)
//! loaded by the adapters' [`Inputs::load`], orders read by [`read_order_json_in`] and decisions
//! written by [`decision_json`], as the HTTP service does (crates/server `service.rs`), so a
//! decision is `omniroute route --format json`'s for the same order.

use crate::error::{code, OmError};
use jiff::{SignedDuration, Timestamp};
use omniroute_adapters::{
    decision_json, open_table, position_json, read_order_json_in, refusal_message, Inputs,
    JsonOrder, Policies, Source,
};
use omniroute_core::{
    Delta, DeltaOutcome, InventoryError, LiveStock, Network, NodeIdx, ReservationId, SkuId, Skus,
};
use parking_lot::RwLock;
use serde::Deserialize;
use serde_json::{json, Value};
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

/// One delta as JSON: the body of the service's `POST /v1/stock/deltas`, item by item.
#[derive(Debug, Deserialize)]
struct DeltaJson {
    node_id: String,
    seq: u64,
    sku: String,
    change: i64,
}

impl OmRouter {
    /// Loads nodes and stock (CSV, or Parquet for a `.parquet` path) and the policy (`None`:
    /// the default policy), every problem of every file reported together.
    pub fn from_files(nodes: &str, stock: &str, policy: Option<&str>) -> Result<Self, OmError> {
        let input = |r| OmError::input(&r);
        let nodes = open_table(nodes).map_err(input)?;
        let stock = open_table(stock).map_err(input)?;
        let policies: Vec<Source> = policy
            .map(Source::open)
            .transpose()
            .map_err(input)?
            .into_iter()
            .collect();
        let inputs = Inputs::load(&nodes, &stock, None, &policies).map_err(input)?;
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
                code::MALFORMED_JSON,
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
                    code::INVALID_TTL,
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

    /// Applies `[{"node_id", "seq", "sku", "change"}]` all or none (duplicates ignored, gaps
    /// applied and reported); `{"applied", "duplicates", "gaps": [{"node_id", "expected",
    /// "got"}]}`, as the service's `POST /v1/stock/deltas` answers.
    pub fn apply_deltas(&self, json: &str) -> Result<String, OmError> {
        let hint = "pass a JSON array of {\"node_id\", \"seq\", \"sku\", \"change\"}";
        let items: Vec<DeltaJson> = serde_json::from_str(json).map_err(|e| {
            let code = if e.is_data() {
                code::INVALID_DELTAS
            } else {
                code::MALFORMED_JSON
            };
            OmError::new(code, format!("the deltas are not valid: {e}"), hint)
        })?;
        let mut nodes = Vec::with_capacity(items.len());
        for (i, d) in items.iter().enumerate() {
            nodes.push(self.node(&d.node_id, &format!("[{i}].node_id"))?);
            if d.sku.trim().is_empty() {
                return Err(OmError::new(code::INVALID_DELTAS, "sku is empty", hint)
                    .at(format!("[{i}].sku")));
            }
        }
        let deltas: Vec<Delta> = {
            let mut skus = self.skus.write();
            items
                .iter()
                .zip(&nodes)
                .map(|(d, &node)| Delta {
                    node,
                    seq: d.seq,
                    sku: skus.intern(d.sku.trim()),
                    change: d.change,
                })
                .collect()
        };
        let outcomes = self
            .live
            .apply_deltas(&deltas)
            .map_err(|e| self.ledger_error(&e, &self.skus.read()))?;
        let mut applied = 0u64;
        let mut duplicates = 0u64;
        let mut gaps = Vec::new();
        for (d, outcome) in items.iter().zip(&outcomes) {
            match outcome {
                DeltaOutcome::Applied => applied += 1,
                DeltaOutcome::Duplicate => duplicates += 1,
                DeltaOutcome::Gap { expected, got } => {
                    applied += 1;
                    gaps.push(json!({"node_id": d.node_id, "expected": expected, "got": got}));
                }
            }
        }
        Ok(json!({"applied": applied, "duplicates": duplicates, "gaps": gaps}).to_string())
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
                code::UNKNOWN_NODE,
                format!("node `{node_id}` is not in the network"),
                "check the id against nodes.csv (ids are case-sensitive)",
            )
            .at(field)
        })
    }

    fn sku(&self, name: &str) -> Result<SkuId, OmError> {
        self.skus.read().get(name).ok_or_else(|| {
            OmError::new(
                code::UNKNOWN_SKU,
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
