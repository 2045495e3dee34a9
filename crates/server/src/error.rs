//! The service's errors: an HTTP status and `{"error": {"code", "message", "field", "hint"}}`.
//! Input problems keep the file readers' codes (`E1xxx`, `E2xxx`) and the ledger's (`E3xxx`);
//! what only HTTP can get wrong has an `E5xxx` code (docs/errors.md).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use omniroute_adapters::FieldProblem;
use omniroute_core::InventoryError;
use serde_json::json;

/// The `E5xxx` codes (`omniroute_core::codes`).
pub(crate) use omniroute_core::codes::ServeCode;

/// One refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// What is wrong, lowercase.
    pub message: String,
    /// The JSON field or query parameter it is about, when one.
    pub field: Option<String>,
    /// What to do about it.
    pub hint: String,
}

impl ApiError {
    /// An error with no field.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            hint: hint.into(),
        }
    }

    /// The same error about `field`.
    #[must_use]
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A body that is not JSON (400).
    pub fn malformed(e: &serde_json::Error) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ServeCode::Malformed.id(),
            format!("the body is not valid JSON: {e}"),
            "send one JSON document with Content-Type: application/json",
        )
    }

    /// A well-formed value that is not what the endpoint takes (422).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>, hint: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ServeCode::Invalid.id(),
            message,
            hint,
        )
        .at(field)
    }

    /// Something the request names does not exist (404).
    pub fn not_found(field: impl Into<String>, message: impl Into<String>, hint: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ServeCode::NotFound.id(),
            message,
            hint,
        )
        .at(field)
    }

    /// The first problem of a JSON order, with its reader's code (422), the field prefixed by
    /// `prefix` (`orders[3].` in a batch).
    pub fn order(problems: &[FieldProblem], prefix: &str) -> Self {
        let Some(first) = problems.first() else {
            return Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ServeCode::Invalid.id(),
                "the order was refused",
                "check the order",
            );
        };
        let p = &first.problem;
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            p.code,
            p.message.clone(),
            p.hint.clone(),
        );
        e.field = first.field.as_ref().map(|f| format!("{prefix}{f}"));
        e
    }
}

impl From<InventoryError> for ApiError {
    /// Unknown reservations are 404, conflicts with the reservation's state 409, impossible
    /// quantities 422.
    fn from(e: InventoryError) -> Self {
        let (status, hint) = match &e {
            InventoryError::UnknownReservation { .. } => (
                StatusCode::NOT_FOUND,
                "check the id: it may have been committed, released or expired",
            ),
            InventoryError::Expired { .. } => (
                StatusCode::CONFLICT,
                "route and reserve the order again (POST /v1/orders)",
            ),
            InventoryError::ShortOnCommit { .. } | InventoryError::DuplicateReservation { .. } => (
                StatusCode::CONFLICT,
                "release the reservation and route the order again",
            ),
            _ => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "check the feed's quantities, or send a fresh snapshot",
            ),
        };
        Self::new(status, e.code(), e.to_string(), hint)
    }
}

/// The database failed: 503, with its `E6xxx` code.
#[cfg(feature = "postgres")]
impl From<&omniroute_adapters::postgres::DbError> for ApiError {
    fn from(e: &omniroute_adapters::postgres::DbError) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            e.code(),
            e.to_string(),
            e.hint(),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "hint": self.hint,
        }});
        (self.status, axum::Json(body)).into_response()
    }
}
