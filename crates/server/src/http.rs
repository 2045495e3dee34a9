//! The routes, their handlers and the middleware: bearer auth on `/v1`, metrics, request ids and
//! tracing, body limit, timeout, panics caught, and every error as JSON.

use crate::error::{ApiError, ServeCode};
use crate::openapi::{
    Api, BatchBody, BatchReply, DecisionBody, DeltaBody, DeltasReply, ErrorBody, OrderBody,
    OrderReply, ReservedBody, SettledBody, StockReply,
};
use crate::{Config, Service};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;
use subtle::ConstantTimeEq;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::OpenApi;

type Shared = State<Arc<Service>>;
type Answer = Result<Json<Value>, ApiError>;

/// The whole service as an axum router.
pub fn app(service: Arc<Service>, config: &Config) -> Router {
    let token: Arc<[u8]> = config.token.as_bytes().into();
    let mut v1 = Router::new()
        .route("/quote", post(quote))
        .route("/orders", post(reserve))
        .route("/orders/{order_id}", get(order))
        .route("/reservations/{id}/commit", post(commit))
        .route("/reservations/{id}/release", post(release))
        .route("/stock/deltas", post(deltas))
        .route("/stock", get(stock))
        .route("/batch", post(batch))
        .route("/kpis", get(crate::service::kpis::get_kpis));
    let mut webhooks = Router::new();
    if let Some(d) = &config.dealers {
        // `GET /v1/orders/{order_id}` shows an order's offers too.
        v1 = v1
            .merge(crate::dealers::v1_routes(d.clone()))
            .layer(axum::Extension(d.clone()));
        webhooks = crate::dealers::webhook_routes(d.clone());
    }
    let v1 = v1.route_layer(from_fn_with_state(token, auth));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .nest("/v1", v1)
        .merge(webhooks)
        .route_layer(from_fn_with_state(Arc::clone(&service), observe))
        .fallback(unknown_route)
        .with_state(service)
        .layer(
            ServiceBuilder::new()
                .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
                .layer(DefaultBodyLimit::disable()),
        )
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout,
        ))
        // Outside the limit and the timeout, whose refusals it turns into JSON.
        .layer(from_fn(json_errors))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(Ids::default()))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CatchPanicLayer::custom(|_| {
                    tracing::error!("a handler panicked");
                    internal()
                })),
        )
}

/// Request ids: a counter, so a log line's request is easy to follow.
#[derive(Debug, Clone, Default)]
struct Ids(Arc<AtomicU64>);

impl MakeRequestId for Ids {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        Some(RequestId::new(HeaderValue::from(n)))
    }
}

fn internal() -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        ServeCode::Internal.id(),
        "internal error",
        "report it with the request id (the x-request-id header)",
    )
    .into_response()
}

/// `Authorization: Bearer <token>`, compared in constant time; 401 before anything runs.
async fn auth(State(token): State<Arc<[u8]>>, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "));
    if given.is_some_and(|t| bool::from(t.ct_eq(&token))) {
        return next.run(req).await;
    }
    let mut r = ApiError::new(
        StatusCode::UNAUTHORIZED,
        ServeCode::Unauthorized.id(),
        "missing or wrong bearer token",
        "send Authorization: Bearer $OMNIROUTE_API_TOKEN",
    )
    .into_response();
    r.headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

/// Counts every routed request by its route and status.
async fn observe(State(s): Shared, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let start = Instant::now();
    let response = next.run(req).await;
    let seconds = start.elapsed().as_secs_f64();
    s.metrics
        .observe(&route, response.status().as_u16(), seconds);
    response
}

/// The middleware's own refusals (body too large, timeout) as JSON errors too.
async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE if !is_json => too_large().into_response(),
        StatusCode::REQUEST_TIMEOUT if !is_json => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            ServeCode::Timeout.id(),
            "the request took too long",
            "retry; send smaller batches or a shorter time_limit_s",
        )
        .into_response(),
        _ => response,
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ServeCode::TooLarge.id(),
        "the body is larger than the server takes",
        "send fewer orders or deltas per request, or start serve with a larger --max-body",
    )
}

async fn unknown_route() -> ApiError {
    ApiError::not_found(
        "path",
        "no such endpoint",
        "see /openapi.json for the endpoints",
    )
}

/// The body as JSON: 413 over the limit, 400 when it is not JSON (`E5001`) or an object repeats
/// a key (`E5010`: the last value would win silently).
fn json_body(body: Result<Bytes, BytesRejection>) -> Result<Value, ApiError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                ServeCode::Malformed.id(),
                format!("cannot read the body: {e}"),
                "send the whole body",
            )
        }
    })?;
    omniroute_adapters::parse_json_unique(&bytes).map_err(|e| {
        if e.is_data() {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                ServeCode::RepeatedKey.id(),
                format!("the body repeats a key: {e}"),
                "give each key once in an object",
            )
        } else {
            ApiError::malformed(&e)
        }
    })
}

/// Liveness: 200 while the server answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "`{\"status\": \"ok\"}`")))]
pub(crate) async fn healthz() -> Json<Value> {
    Json(serde_json::json!({"status": "ok"}))
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text", content_type = "text/plain")))]
pub(crate) async fn metrics(State(s): Shared) -> Response {
    let text = s.metrics.render(s.live_reservations());
    (
        [(
            CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// This description.
#[utoipa::path(get, path = "/openapi.json", responses((status = 200, description = "OpenAPI 3.1")))]
pub(crate) async fn openapi() -> Json<&'static utoipa::openapi::OpenApi> {
    // Generated once: the document is fixed by the code.
    static SPEC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    Json(SPEC.get_or_init(Api::openapi))
}

/// The order's decision against the live stock; nothing is reserved.
#[utoipa::path(post, path = "/v1/quote", request_body = OrderBody, security(("bearer" = [])),
    responses((status = 200, body = DecisionBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn quote(State(s): Shared, body: Result<Bytes, BytesRejection>) -> Answer {
    let body = json_body(body)?;
    s.quote(&body, Timestamp::now()).map(Json)
}

/// Routes the order and reserves its shipped lines, atomically.
#[utoipa::path(post, path = "/v1/orders", request_body = OrderBody, security(("bearer" = [])),
    responses((status = 200, body = ReservedBody), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 409, body = ErrorBody, description = "the order has a live reservation"),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn reserve(State(s): Shared, body: Result<Bytes, BytesRejection>) -> Answer {
    let body = json_body(body)?;
    s.reserve(&body, Timestamp::now()).map(Json)
}

/// A routed order: its reservation and its decision with ranked candidates.
#[utoipa::path(get, path = "/v1/orders/{order_id}", security(("bearer" = [])),
    params(("order_id" = String, Path, description = "The order's id")),
    responses((status = 200, body = OrderReply), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub(crate) async fn order(
    State(s): Shared,
    dealers: Option<axum::Extension<crate::dealers::Dealers>>,
    Path(order_id): Path<String>,
) -> Answer {
    let offers = dealers.and_then(|d| d.desk.history(&order_id).ok());
    match (s.order(&order_id), offers) {
        (Ok(mut order), Some(offers)) => {
            order["offers"] = offers;
            Ok(Json(order))
        }
        // An order placed with POST /v1/offers: its reservations are its parts'.
        (Err(_), Some(offers)) => Ok(Json(json!({"order_id": order_id, "offers": offers}))),
        (answer, None) => answer.map(Json),
    }
}

/// Ships a reservation.
#[utoipa::path(post, path = "/v1/reservations/{id}/commit", security(("bearer" = [])),
    params(("id" = String, Path, description = "The reservation_id")),
    responses((status = 200, body = SettledBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "expired (now released) or short on hand")))]
pub(crate) async fn commit(State(s): Shared, Path(id): Path<String>) -> Answer {
    s.commit(&id, Timestamp::now()).map(Json)
}

/// Frees a reservation.
#[utoipa::path(post, path = "/v1/reservations/{id}/release", security(("bearer" = [])),
    params(("id" = String, Path, description = "The reservation_id")),
    responses((status = 200, body = SettledBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub(crate) async fn release(State(s): Shared, Path(id): Path<String>) -> Answer {
    s.release(&id).map(Json)
}

/// Applies on-hand deltas, all or none: duplicates ignored, gaps applied and reported.
#[utoipa::path(post, path = "/v1/stock/deltas", request_body = Vec<DeltaBody>, security(("bearer" = [])),
    responses((status = 200, body = DeltasReply), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "unknown node"),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn deltas(State(s): Shared, body: Result<Bytes, BytesRejection>) -> Answer {
    let body = json_body(body)?;
    s.deltas(&body).map(Json)
}

/// One position of the live stock.
#[utoipa::path(get, path = "/v1/stock", security(("bearer" = [])),
    params(("node_id" = String, Query), ("sku" = String, Query)),
    responses((status = 200, body = StockReply), (status = 400, body = ErrorBody, description = "a malformed query string"),
              (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn stock(
    State(s): Shared,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Answer {
    let Query(pairs) = q.map_err(|e| bad_query(&e.body_text()))?;
    let mut q: HashMap<&str, &str> = HashMap::new();
    for (k, v) in &pairs {
        if q.insert(k, v).is_some() {
            return Err(bad_query(&format!("`{k}` is given twice")).at(k.as_str()));
        }
    }
    s.stock(q.get("node_id").copied(), q.get("sku").copied())
        .map(Json)
}

/// A query string that cannot be read (400, `E5011`).
fn bad_query(why: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ServeCode::BadQuery.id(),
        format!("the query string is malformed: {why}"),
        "give each parameter once, URL-encoded, for example /v1/stock?node_id=W1&sku=TEE",
    )
}

/// Routes a batch against the live stock, sequentially or optimised; nothing is reserved.
#[utoipa::path(post, path = "/v1/batch", request_body = BatchBody, security(("bearer" = [])),
    responses((status = 200, body = BatchReply), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn batch(State(s): Shared, body: Result<Bytes, BytesRejection>) -> Answer {
    let body = json_body(body)?;
    // Optimise runs for seconds: off the async threads.
    tokio::task::spawn_blocking(move || s.batch(&body, Timestamp::now()))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ServeCode::Internal.id(),
                "the batch failed",
                "report it with the request id (the x-request-id header)",
            )
        })?
        .map(Json)
}
