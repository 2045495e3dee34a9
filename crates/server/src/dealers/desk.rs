//! The dealer desk: offers of routed orders to dealers and what their answers do.
//!
//! An order placed on the desk is routed against the live stock without the dealers that refused
//! it, the dealers cooling down and the dealers without a WhatsApp number, and each of its
//! shipments is reserved in the service's ledger as a part of its own (`flow.rs`; so it works
//! with `--database` too). Every dealer part is offered to its dealer, and its reservation lives
//! for the dealer's acceptance timeout plus the service's reservation TTL. An accept keeps the
//! reservation, to be committed (`POST /v1/reservations/{id}/commit`) when the dealer ships, as
//! for `POST /v1/orders`, and sends the dealer the customer's name, phone and address, which
//! appear nowhere else (no log line, no answer of the API). A reject or a time-out releases that
//! part's units and routes its lines again, as one shipment (so the order never has more
//! shipments than its first routing), without that dealer, reserving and offering the new part
//! in turn, until `max_rejections` refusals send the order to review.
//!
//! Ranking learns: every answer is recorded in the [`DealerBook`], and the desk routes by a
//! router built over the network with each answering dealer's estimated acceptance rate
//! ([`DealerBook::observed_network`]), rebuilt after an answer, so a dealer that keeps refusing
//! carries a growing refusal risk (`reject_risk_cents`) into the next orders.

mod history;

use super::flow::{Flow, Part, Stage};
use super::seen::{Seen, KEEP_WEBHOOK_IDS};
use crate::error::ApiError;
use crate::Service;
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use omniroute_adapters::channel::whatsapp::{
    parse_webhook, verify_signature, InboundKind, WebhookError,
};
use omniroute_adapters::channel::{Action, Contacts, Message, OfferLine, OfferMessage};
use omniroute_adapters::{decision_json, read_order_json, Policies};
use omniroute_core::codes::ChannelCode;
use omniroute_core::{
    acceptance_timeout_s, DealerBook, Network, NodeIdx, NodeKind, Offer, OfferId, OfferState,
    Order, OrderOffers, RejectReason, Router, Skus,
};
use parking_lot::Mutex;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// The keys of `customer` in `POST /v1/offers` and the order fields they are.
const CUSTOMER_KEYS: [(&str, &str); 3] = [
    ("name", "customer_name"),
    ("phone", "customer_phone"),
    ("address", "dest_address"),
];

/// A message to send once the desk's lock is released: (the dealer's number, the message).
pub(crate) type Outgoing = (String, Message);

struct State {
    next_offer: u64,
    flows: HashMap<String, Flow>,
    offer_order: HashMap<OfferId, String>,
    /// Webhook items already applied (their keys): a delivery repeated is applied once.
    seen: Seen,
    book: DealerBook,
    /// The router the desk routes by: over the observed acceptance rates.
    router: Arc<Router>,
    /// The book changed since `router` was built.
    stale: bool,
}

/// The webhook's secrets: the app secret that signs POSTs (`WHATSAPP_APP_SECRET`) and the
/// handshake's verify token (`WHATSAPP_VERIFY_TOKEN`). `Debug` hides them.
#[derive(Clone)]
pub struct WebhookSecrets {
    /// The app secret.
    pub app_secret: String,
    /// The verify token.
    pub verify_token: String,
}

impl std::fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecrets(<hidden>)")
    }
}

/// The dealer desk (see the module head).
pub struct Desk {
    service: Arc<Service>,
    network: Arc<Network>,
    skus: Skus,
    policies: Policies,
    contacts: Contacts,
    app_secret: String,
    verify_token: String,
    state: Mutex<State>,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Desk(<dealer offers>)")
    }
}

fn webhook_error(e: &WebhookError) -> ApiError {
    let status = match e {
        WebhookError::MissingSignature | WebhookError::BadSignature => StatusCode::UNAUTHORIZED,
        WebhookError::Handshake => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    };
    ApiError::new(status, e.code(), e.to_string(), "see docs/errors.md")
}

impl Desk {
    /// A desk for `service`, whose inputs had this network, SKUs and policies, reaching
    /// dealers at `contacts`, with the webhook `secrets`.
    pub fn new(
        service: Arc<Service>,
        (network, skus, policies): (Arc<Network>, Skus, Policies),
        contacts: Contacts,
        secrets: WebhookSecrets,
    ) -> Self {
        Self {
            network,
            skus,
            policies,
            contacts,
            app_secret: secrets.app_secret,
            verify_token: secrets.verify_token,
            state: Mutex::new(State {
                next_offer: 0,
                flows: HashMap::new(),
                offer_order: HashMap::new(),
                seen: Seen::new(KEEP_WEBHOOK_IDS),
                book: DealerBook::default(),
                router: Arc::clone(service.live().router()),
                stale: false,
            }),
            service,
        }
    }

    /// The verify token of the GET handshake.
    pub(crate) fn verify_token(&self) -> &str {
        &self.verify_token
    }

    /// `POST /v1/offers`: an order (the JSON of `POST /v1/quote` plus `dest_area` and
    /// `customer: {name, phone, address}`) routed and offered.
    pub(crate) fn place(
        &self,
        body: &Value,
        now: Timestamp,
    ) -> Result<(Value, Vec<Outgoing>), ApiError> {
        // `customer: {name, phone, address}` is the flat customer fields of an order.
        let mut order_body = body.clone();
        if let Some(o) = order_body.as_object_mut() {
            if let Some(c) = o.remove("customer") {
                for (key, flat) in CUSTOMER_KEYS {
                    if let Some(v) = c.get(key) {
                        o.insert(flat.to_owned(), v.clone());
                    }
                }
            }
        }
        let order = read_order_json(&order_body, &self.skus, &self.policies, now)
            .map_err(|p| ApiError::order(&p, ""))?;
        let id = order.order.id.clone();
        let mut state = self.state.lock();
        if state.flows.contains_key(&id) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                crate::error::ServeCode::OrderReserved.id(),
                format!("order `{id}` is already on the dealer desk"),
                "give each order its own id",
            )
            .at("order_id"));
        }
        let flow = Flow {
            order: order.order,
            new_skus: order.new_skus,
            area: order.customer.area,
            customer: order.customer.customer,
            offers: OrderOffers::default(),
            parts: Vec::new(),
            stage: Stage::Routed,
            decision: Value::Null,
        };
        let lines: Vec<usize> = (0..flow.order.lines.len()).collect();
        state.flows.insert(id.clone(), flow);
        let out = self.route_lines(&mut state, &id, &lines, now);
        Ok((self.history_of(&state, &id), out))
    }

    /// The router over the observed acceptance rates, rebuilt if the book changed.
    fn router(&self, state: &mut State, now: Timestamp) -> Arc<Router> {
        if state.stale {
            let versions = &self.policies.versions;
            let rules = versions
                .at(now)
                .unwrap_or_else(|| versions.earliest())
                .dealers;
            let network = state.book.observed_network(&self.network, &rules);
            state.router = Arc::new(Router::versioned(network, versions));
            state.stale = true;
        }
        Arc::clone(&state.router)
    }

    /// Records the end of `offer` in the book; the next routing prices what it shows.
    fn record(&self, state: &mut State, offer: &Offer, order: &Order, now: Timestamp) {
        let rules = self.policies.versions.for_order(order, now).dealers;
        state.book.record(offer, &rules);
        state.stale = true;
        self.service.record_offer(offer);
    }

    /// Leaves out of `flow`'s order the dealers that refused it, those `cooling` down and those
    /// without a number.
    fn exclude(&self, flow: &mut Flow, cooling: Vec<NodeIdx>) {
        flow.offers.exclude_refusers(&mut flow.order);
        let unreachable = self
            .network
            .nodes()
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == NodeKind::Dealer && !self.contacts.contains_key(&n.id));
        for node in unreachable.map(|(i, _)| NodeIdx(i as u32)).chain(cooling) {
            if !flow.order.excluded.contains(&node) {
                flow.order.excluded.push(node);
            }
        }
    }

    /// Routes the order's `lines` (indices into its lines) without the dealers it may not go
    /// to, reserves each shipment as a part and offers every dealer part to its dealer. Lines
    /// of a refused part (some parts already kept) go as one shipment.
    fn route_lines(
        &self,
        state: &mut State,
        order_id: &str,
        lines: &[usize],
        now: Timestamp,
    ) -> Vec<Outgoing> {
        let cooling = state.book.cooling(now);
        let router = self.router(state, now);
        let State {
            flows,
            offer_order,
            next_offer,
            ..
        } = state;
        let flow = flows.get_mut(order_id).expect("the order is on the desk");
        let rules = self.policies.versions.for_order(&flow.order, now).dealers;
        if flow.offers.needs_review(&rules) {
            flow.stage = Stage::Review;
            return Vec::new();
        }
        self.exclude(flow, cooling);
        let mut sub = flow.sub_order(lines);
        if !flow.parts.is_empty() {
            sub.split.max_shipments = Some(1);
        }
        let decision = self.service.live().quote_by(&router, &sub, now);
        let names = self.names(&flow.new_skus);
        flow.decision = decision_json(&sub, &decision, &names, false);
        let mut out = Vec::new();
        for shipment in &decision.shipments {
            let kept: Vec<usize> = shipment.lines.iter().map(|&l| lines[l]).collect();
            let mut pinned = flow.sub_order(&kept);
            pinned.pinned = vec![shipment.node];
            let node = self.network.node(shipment.node);
            let mut ttl = self.service.ttl();
            if node.kind == NodeKind::Dealer {
                let wait = SignedDuration::from_secs(i64::from(acceptance_timeout_s(node, &rules)));
                ttl = ttl.saturating_add(wait);
            }
            // The units were routable a moment ago; another request may have taken them since.
            let (reservation, reserved) = match self.service.reserve_by(&router, &pinned, now, ttl)
            {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(code = e.code, "a dealer desk part was not reserved");
                    continue;
                }
            };
            let Some(shipped) = reserved.shipments.first() else {
                continue;
            };
            let mut part = Part {
                lines: shipped.lines.iter().map(|&l| kept[l]).collect(),
                node: shipped.node,
                reservation,
                offer: None,
            };
            if node.kind == NodeKind::Dealer {
                *next_offer += 1;
                let offer = Offer::new(
                    OfferId(*next_offer),
                    order_id,
                    &self.network,
                    shipped.node,
                    &rules,
                    now,
                )
                .expect("the shipment's node is a dealer");
                let message = OfferMessage {
                    offer: offer.id,
                    order_id: order_id.to_owned(),
                    lines: part
                        .lines
                        .iter()
                        .map(|&l| {
                            let line = &flow.order.lines[l];
                            OfferLine {
                                sku: names.sku(line.sku).to_owned(),
                                qty: line.qty,
                            }
                        })
                        .collect(),
                    area: flow.area.clone(),
                    promised_date: shipped.promised_date,
                    margin_cents: shipped.cost.margin_cents,
                    deadline: offer.deadline,
                };
                out.push((self.contacts[&node.id].clone(), Message::Offer(message)));
                offer_order.insert(offer.id, order_id.to_owned());
                part.offer = Some(offer.id);
                flow.offers.offers.push(offer);
            }
            flow.parts.push(part);
        }
        flow.restage();
        out
    }

    /// `POST /webhooks/whatsapp`: checks the signature, parses, and applies every item not seen
    /// before. Nothing is applied from a body that is refused. Also gives the numbers that wrote
    /// (their 24-hour windows are open).
    pub(crate) fn webhook(
        &self,
        body: &[u8],
        signature: Option<&str>,
        now: Timestamp,
    ) -> Result<(Value, Vec<Outgoing>, Vec<String>), ApiError> {
        verify_signature(self.app_secret.as_bytes(), body, signature)
            .map_err(|e| webhook_error(&e))?;
        let items = parse_webhook(body).map_err(|e| webhook_error(&e))?;
        let mut state = self.state.lock();
        for item in &items {
            if let InboundKind::Reply { offer, .. } = item.kind {
                let Some(order_id) = state.offer_order.get(&offer) else {
                    return Err(ApiError::new(
                        StatusCode::NOT_FOUND,
                        ChannelCode::UnknownButton.id(),
                        format!("offer {offer} is not known"),
                        ChannelCode::UnknownButton.hint(),
                    ));
                };
                let dealer = state.flows[order_id]
                    .offers
                    .offers
                    .iter()
                    .find(|o| o.id == offer)
                    .map(|o| self.network.node(o.node).id.as_str());
                let number = dealer.and_then(|d| self.contacts.get(d));
                if number.map(|n| n.trim_start_matches('+'))
                    != Some(item.from.trim_start_matches('+'))
                {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        ChannelCode::WrongNumber.id(),
                        format!("offer {offer} was not sent to the number that answered it"),
                        ChannelCode::WrongNumber.hint(),
                    ));
                }
            }
        }
        let (mut applied, mut repeated) = (0, 0);
        let mut out = Vec::new();
        let wrote: Vec<String> = items
            .iter()
            .filter(|i| !matches!(i.kind, InboundKind::Status { .. }))
            .map(|i| i.from.clone())
            .collect();
        for item in items {
            if !state.seen.insert(&item.key) {
                repeated += 1;
                continue;
            }
            let InboundKind::Reply { offer, action } = item.kind else {
                continue;
            };
            applied += 1;
            out.extend(self.answer(&mut state, offer, action, now));
        }
        Ok((
            json!({"applied": applied, "repeated": repeated}),
            out,
            wrote,
        ))
    }

    /// A dealer's answer to `offer`. An answer the offer's state does not allow (late, twice)
    /// changes nothing.
    fn answer(
        &self,
        state: &mut State,
        offer: OfferId,
        action: Action,
        now: Timestamp,
    ) -> Vec<Outgoing> {
        let order_id = state.offer_order[&offer].clone();
        let flow = state
            .flows
            .get_mut(&order_id)
            .expect("offers belong to orders");
        let Some(o) = flow.offers.offers.iter_mut().find(|o| o.id == offer) else {
            return Vec::new();
        };
        let moved = match action {
            Action::Accept => o.accept(now),
            Action::Reject => o.reject(now, RejectReason::Declined),
            Action::CallMe => return Vec::new(),
        };
        if let Err(e) = moved {
            tracing::info!(
                code = e.code(),
                offer = offer.0,
                "dealer answer not applied"
            );
            return Vec::new();
        }
        let done = o.clone();
        let order = flow.order.clone();
        self.record(state, &done, &order, now);
        if matches!(done.state, OfferState::Accepted { .. }) {
            let flow = state
                .flows
                .get_mut(&order_id)
                .expect("offers belong to orders");
            flow.restage();
            let number = self.contacts[&self.network.node(done.node).id].clone();
            return vec![(
                number,
                Message::Customer {
                    offer,
                    order_id: order_id.clone(),
                    customer: flow.customer.clone(),
                },
            )];
        }
        self.refused(state, &order_id, offer, now)
    }

    /// Offer `offer` of `order_id` was refused: its part's units are released and its lines
    /// routed again.
    fn refused(
        &self,
        state: &mut State,
        order_id: &str,
        offer: OfferId,
        now: Timestamp,
    ) -> Vec<Outgoing> {
        let flow = state
            .flows
            .get_mut(order_id)
            .expect("offers belong to orders");
        let Some(part) = flow.take_part(offer) else {
            flow.restage();
            return Vec::new();
        };
        if let Err(e) = self.service.release(&part.reservation.to_string()) {
            // Expired or released through the API already: the units are free either way.
            tracing::info!(
                code = e.code,
                offer = offer.0,
                "an offered part was not live"
            );
        }
        self.route_lines(state, order_id, &part.lines, now)
    }

    /// Times out the offers past their deadline and re-routes their orders.
    pub(crate) fn tick(&self, now: Timestamp) -> Vec<Outgoing> {
        let mut state = self.state.lock();
        let mut expired = Vec::new();
        for (id, flow) in &mut state.flows {
            for o in &mut flow.offers.offers {
                if o.expire(now) {
                    expired.push((id.clone(), o.clone()));
                }
            }
        }
        expired.sort_by_key(|(_, o)| o.id);
        let mut out = Vec::new();
        for (order_id, offer) in expired {
            let order = state.flows[&order_id].order.clone();
            self.record(&mut state, &offer, &order, now);
            out.extend(self.refused(&mut state, &order_id, offer.id, now));
        }
        out
    }
}
