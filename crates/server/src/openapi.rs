//! `/openapi.json`: the paths come from the handlers' `#[utoipa::path]` attributes (a test checks
//! every route the router serves is listed), the bodies from the types below. The types describe
//! the JSON only; the service builds and reads it with `serde_json` (decisions through the CLI's
//! writer), so they are never constructed.
#![allow(dead_code)]

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "omniroute", description = "Order routing as a service (docs/design.md §8)"),
    paths(
        crate::http::healthz,
        crate::http::metrics,
        crate::http::openapi,
        crate::http::quote,
        crate::http::reserve,
        crate::http::order,
        crate::http::commit,
        crate::http::release,
        crate::http::deltas,
        crate::http::stock,
        crate::http::batch,
        crate::service::kpis::get_kpis,
    ),
    modifiers(&Bearer),
)]
pub(crate) struct Api;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// An order: orders.csv's fields, the destination and lines nested.
#[derive(ToSchema)]
pub(crate) struct OrderBody {
    order_id: String,
    dest: Dest,
    lines: Vec<LineBody>,
    service_level: Option<String>,
    /// RFC 3339.
    created_at: Option<String>,
    /// YYYY-MM-DD, a hard deadline.
    promised_by: Option<String>,
    priority: Option<i64>,
    channel: Option<String>,
    allow_split: Option<bool>,
    max_shipments: Option<u32>,
    ship_complete: Option<bool>,
    tags: Option<Vec<String>>,
}

/// The destination.
#[derive(ToSchema)]
pub(crate) struct Dest {
    lat: f64,
    lon: f64,
}

/// One order line.
#[derive(ToSchema)]
pub(crate) struct LineBody {
    sku: String,
    qty: u32,
    line_no: Option<u32>,
    unit_price_cents: Option<i64>,
}

/// A decision, exactly as `omniroute route --format json` writes it.
#[derive(ToSchema)]
pub(crate) struct DecisionBody {
    order_id: String,
    service_level: String,
    complete: bool,
    cost_cents: i64,
    /// The policy's ISO 4217 currency of every `_cents` figure; `null`: plain cents.
    currency: Option<String>,
    distance_km: f64,
    #[schema(value_type = Vec<Object>)]
    shipments: Vec<()>,
    #[schema(value_type = Vec<Object>)]
    unfilled: Vec<()>,
    #[schema(value_type = Object)]
    cost: (),
    rules: Vec<String>,
    /// `GET /v1/orders/{order_id}` only: the ranked candidates.
    #[schema(value_type = Option<Vec<Object>>)]
    candidates: (),
}

/// A reservation made.
#[derive(ToSchema)]
pub(crate) struct ReservedBody {
    reservation_id: String,
    /// RFC 3339.
    expires_at: String,
    decision: DecisionBody,
}

/// A reservation committed or released.
#[derive(ToSchema)]
pub(crate) struct SettledBody {
    reservation_id: String,
    /// `committed` or `released`.
    status: String,
}

/// One event of a node's stock feed (docs/formats.md, "Stock delta stream").
#[derive(ToSchema)]
pub(crate) struct DeltaBody {
    /// `adjust`, `set`, `reserve`, `release`, `ship` or `return`; without it, `change` is an
    /// adjust.
    op: Option<String>,
    node_id: String,
    /// The node's sequence number (increasing by 1).
    seq: u64,
    sku: String,
    /// Units: signed for `adjust`, 0 or more for the others.
    qty: Option<i64>,
    /// Units added or removed (the adjust of the first delta format).
    change: Option<i64>,
    /// When the node says it happened (RFC 3339).
    at: Option<String>,
}

/// What became of a batch of deltas.
#[derive(ToSchema)]
pub(crate) struct DeltasReply {
    applied: u64,
    duplicates: u64,
    gaps: Vec<Gap>,
}

/// Sequence numbers never seen at a node.
#[derive(ToSchema)]
pub(crate) struct Gap {
    node_id: String,
    expected: u64,
    got: u64,
}

/// One position.
#[derive(ToSchema)]
pub(crate) struct StockReply {
    node_id: String,
    sku: String,
    on_hand: u32,
    reserved: u32,
    safety_stock: u32,
    /// Units the router may use (after the policy's safety stock).
    routable: u32,
}

/// A routed order.
#[derive(ToSchema)]
pub(crate) struct OrderReply {
    order_id: String,
    reservation_id: String,
    expires_at: String,
    /// `reserved`, `committed`, `released` or `expired`.
    status: String,
    decision: DecisionBody,
    /// With `serve --dealers`, for an order placed with `POST /v1/offers`: its stage, offers
    /// and current decision, as `GET /v1/offers/{order_id}` answers (an order placed there has
    /// only `order_id` and `offers`).
    #[schema(value_type = Option<Object>)]
    offers: Option<serde_json::Value>,
}

/// A batch to route against the live stock (nothing is reserved).
#[derive(ToSchema)]
pub(crate) struct BatchBody {
    orders: Vec<OrderBody>,
    /// `sequential` (default) or `optimise`.
    mode: Option<String>,
    /// Optimise: seconds, 0 to 20 (default 5).
    time_limit_s: Option<f64>,
    seed: Option<u64>,
    iterations: Option<u64>,
}

/// A routed batch.
#[derive(ToSchema)]
pub(crate) struct BatchReply {
    mode: String,
    #[schema(value_type = Object)]
    totals: (),
    bound_cents: Option<i64>,
    gap: Option<f64>,
    decisions: Vec<DecisionBody>,
}

/// An error.
#[derive(ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable code (docs/errors.md).
    code: String,
    message: String,
    /// The JSON field or parameter, when one.
    field: Option<String>,
    hint: String,
}
