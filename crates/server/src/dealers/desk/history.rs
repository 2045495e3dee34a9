//! What the desk shows of an order: its offers, parts and current decision (never the customer).

use super::{Desk, State};
use crate::error::ApiError;
use omniroute_adapters::DecisionNames;
use omniroute_core::NodeIdx;
use serde_json::{json, Value};

impl Desk {
    /// The names an order's decision is written with (`new_skus`: the order's SKUs the table
    /// did not know).
    pub(super) fn names<'a>(&'a self, new_skus: &'a [String]) -> DecisionNames<'a> {
        DecisionNames {
            network: &self.network,
            skus: &self.skus,
            new_skus,
            levels: self.policies.versions.levels(),
            currency: self.policies.versions.earliest().currency,
        }
    }

    /// `GET /v1/offers/{order_id}`: the order's stage, offers and current decision (never the
    /// customer).
    pub(crate) fn history(&self, order_id: &str) -> Result<Value, ApiError> {
        let state = self.state.lock();
        if !state.flows.contains_key(order_id) {
            return Err(ApiError::not_found(
                "order_id",
                format!("order `{order_id}` is not on the dealer desk"),
                "place it with POST /v1/offers",
            ));
        }
        Ok(self.history_of(&state, order_id))
    }

    pub(super) fn history_of(&self, state: &State, order_id: &str) -> Value {
        let flow = &state.flows[order_id];
        let offers: Vec<Value> = flow
            .offers
            .offers
            .iter()
            .map(|o| {
                json!({
                    "offer_id": o.id.0,
                    "node_id": self.network.node(o.node).id,
                    "state": o.state.as_str(),
                    "offered_at": o.offered_at.to_string(),
                    "deadline": o.deadline.to_string(),
                })
            })
            .collect();
        let sku = |l: usize| {
            let names = self.names(&flow.new_skus);
            names.sku(flow.order.lines[l].sku).to_owned()
        };
        let node_id = |n: NodeIdx| self.network.node(n).id.clone();
        json!({
            "order_id": order_id,
            "stage": flow.stage.as_str(),
            "offers": offers,
            "parts": flow.parts_json(node_id, sku),
            "decision": flow.decision,
        })
    }
}
