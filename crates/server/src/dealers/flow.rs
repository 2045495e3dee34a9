//! One order on the dealer desk: its reserved parts, its offers and where it stands.
//!
//! An order is held as **parts**, one per shipment: the lines one node ships, reserved in the
//! service's ledger under a reservation of their own. A dealer's part is offered to the dealer;
//! a refusal releases that part alone and routes its lines again, so the other parts (another
//! dealer's accepted shipment, a warehouse's) keep their nodes and their units.

use omniroute_adapters::channel::Customer;
use omniroute_core::{NodeIdx, OfferId, OfferState, Order, OrderOffers, ReservationId};
use serde_json::{json, Value};

/// Where an order on the desk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// Waiting for a dealer's answer.
    Offered,
    /// Every offer answered, at least one accepted.
    Accepted,
    /// No offer open or accepted: the parts ship from no dealer (or nothing ships).
    Routed,
    /// Refused `max_rejections` times: for a person to look at.
    Review,
}

impl Stage {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Stage::Offered => "offered",
            Stage::Accepted => "accepted",
            Stage::Routed => "routed",
            Stage::Review => "review",
        }
    }
}

/// The lines one node ships, reserved.
#[derive(Debug, Clone)]
pub(super) struct Part {
    /// Indices into the order's lines.
    pub lines: Vec<usize>,
    pub node: NodeIdx,
    pub reservation: ReservationId,
    /// The offer of a dealer's part.
    pub offer: Option<OfferId>,
}

/// One order on the desk.
pub(super) struct Flow {
    /// The whole order; `excluded` gathers the dealers it may no longer go to.
    pub order: Order,
    pub new_skus: Vec<String>,
    pub area: Option<String>,
    pub customer: Customer,
    pub offers: OrderOffers,
    pub parts: Vec<Part>,
    pub stage: Stage,
    /// The decision of the latest routing (of the whole order, then of refused lines).
    pub decision: Value,
}

impl Flow {
    /// The stage the offers give (review stays review).
    pub fn restage(&mut self) {
        if self.stage == Stage::Review {
            return;
        }
        let states = || self.offers.offers.iter().map(|o| o.state);
        self.stage = if states().any(|s| s == OfferState::Offered) {
            Stage::Offered
        } else if states().any(|s| matches!(s, OfferState::Accepted { .. })) {
            Stage::Accepted
        } else {
            Stage::Routed
        };
    }

    /// Takes out the part offered as `offer`.
    pub fn take_part(&mut self, offer: OfferId) -> Option<Part> {
        let i = self.parts.iter().position(|p| p.offer == Some(offer))?;
        Some(self.parts.remove(i))
    }

    /// `order` keeping only `lines` (indices into its lines).
    pub fn sub_order(&self, lines: &[usize]) -> Order {
        let mut sub = self.order.clone();
        sub.lines = lines.iter().map(|&l| self.order.lines[l]).collect();
        sub
    }

    /// The parts as the API shows them: node, reservation, offer and lines (never the
    /// customer); `node_id` and `sku` name nodes and SKUs.
    pub fn parts_json(
        &self,
        node_id: impl Fn(NodeIdx) -> String,
        sku: impl Fn(usize) -> String,
    ) -> Value {
        let parts: Vec<Value> = self
            .parts
            .iter()
            .map(|p| {
                let lines: Vec<Value> = p
                    .lines
                    .iter()
                    .map(|&l| json!({"sku": sku(l), "qty": self.order.lines[l].qty}))
                    .collect();
                json!({
                    "node_id": node_id(p.node),
                    "reservation_id": p.reservation.to_string(),
                    "offer_id": p.offer.map(|o| o.0),
                    "lines": lines,
                })
            })
            .collect();
        Value::Array(parts)
    }
}
