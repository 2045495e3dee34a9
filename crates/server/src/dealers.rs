//! Dealer offers in `omniroute serve` (docs/design.md §6): `POST /v1/offers` places an order on
//! the [`Desk`], `GET /v1/offers/{order_id}` shows its offers, and `/webhooks/whatsapp` takes
//! the Cloud API's GET handshake and signed POSTs (dealers' replies). Time-outs fire from the
//! server's clock ([`run_timeouts`]). Messages go out through the [`CloudApi`] after the desk's
//! lock is released; a message that cannot be sent is logged by code and offer id only.

mod desk;
mod flow;
mod seen;

pub use desk::{Desk, WebhookSecrets};
pub use seen::KEEP_WEBHOOK_IDS;

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Extension, Json, Router};
use desk::Outgoing;
use jiff::Timestamp;
use omniroute_adapters::channel::whatsapp::{handshake, CloudApi};
use omniroute_adapters::channel::Channel;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The desk and the channel its messages go out on.
#[derive(Debug, Clone)]
pub struct Dealers {
    /// The desk.
    pub desk: Arc<Desk>,
    /// The channel.
    pub channel: Arc<CloudApi>,
}

impl Dealers {
    async fn send(&self, out: Vec<Outgoing>) {
        for (to, message) in out {
            if let Err(e) = self.channel.send(&to, &message).await {
                tracing::warn!(code = e.code(), "a dealer message was not sent");
            }
        }
    }
}

/// `/offers` and `/offers/{order_id}`, for nesting under `/v1` (behind its bearer token).
pub(crate) fn v1_routes<S: Clone + Send + Sync + 'static>(dealers: Dealers) -> Router<S> {
    Router::new()
        .route("/offers", axum::routing::post(place))
        .route("/offers/{order_id}", get(history))
        .layer(Extension(dealers))
}

/// `/webhooks/whatsapp` (no bearer token: Meta signs its POSTs instead).
pub(crate) fn webhook_routes<S: Clone + Send + Sync + 'static>(dealers: Dealers) -> Router<S> {
    Router::new()
        .route("/webhooks/whatsapp", get(verify).post(webhook))
        .layer(Extension(dealers))
}

async fn place(Extension(d): Extension<Dealers>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body: Value = serde_json::from_slice(&body).map_err(|e| ApiError::malformed(&e))?;
    let (answer, out) = d.desk.place(&body, Timestamp::now())?;
    d.send(out).await;
    Ok(Json(answer))
}

async fn history(
    Extension(d): Extension<Dealers>,
    Path(order_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    d.desk.history(&order_id).map(Json)
}

async fn verify(
    Extension(d): Extension<Dealers>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<String, ApiError> {
    let get = |k: &str| q.get(k).map(String::as_str);
    handshake(
        get("hub.mode"),
        get("hub.verify_token"),
        get("hub.challenge"),
        d.desk.verify_token(),
    )
    .map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            e.code(),
            e.to_string(),
            "see docs/errors.md",
        )
    })
}

async fn webhook(
    Extension(d): Extension<Dealers>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    let now = Timestamp::now();
    let (answer, out, wrote) = d.desk.webhook(&body, signature, now)?;
    for number in wrote {
        d.channel.note_inbound(&number, now);
    }
    d.send(out).await;
    Ok(Json(answer))
}

/// Times out offers every `every` (the server's clock) and sends the next offers.
pub(crate) async fn run_timeouts(dealers: Dealers, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let out = dealers.desk.tick(Timestamp::now());
        dealers.send(out).await;
    }
}
