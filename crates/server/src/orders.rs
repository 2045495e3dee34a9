//! The orders routed and reserved through `POST /v1/orders`: each one's reservation, status and
//! explanation, for `GET /v1/orders/{order_id}`.
//!
//! One order has at most one live reservation: a request claims the order id before it routes
//! ([`OrderBook::claim`]) and records the result after, so two requests for one order cannot both
//! reserve, and no lock is held while it routes. Memory is bounded: the records of settled orders
//! (committed, released, expired) beyond [`KEEP_SETTLED_ORDERS`] are forgotten, oldest first; a
//! live reservation's record is always kept.

use crate::error::{ApiError, ServeCode};
use axum::http::StatusCode;
use jiff::Timestamp;
use omniroute_core::ReservationId;
use parking_lot::Mutex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{json, Value};
use std::collections::VecDeque;

/// Settled orders whose records `GET /v1/orders/{order_id}` still answers; older ones get 404.
pub const KEEP_SETTLED_ORDERS: usize = 100_000;

/// An order routed and reserved.
#[derive(Debug, Clone)]
pub(crate) struct Routed {
    pub reservation: ReservationId,
    pub expires_at: Timestamp,
    pub status: &'static str,
    /// The decision with its ranked candidates (`omniroute explain --format json`).
    pub explanation: Value,
}

/// Every record, under one lock (each operation is a few map updates).
#[derive(Debug)]
pub(crate) struct OrderBook {
    book: Mutex<Book>,
}

#[derive(Debug, Default)]
struct Book {
    by_order: FxHashMap<String, Routed>,
    /// The order of each live reservation.
    by_reservation: FxHashMap<ReservationId, String>,
    /// Orders being routed and reserved right now.
    claimed: FxHashSet<String>,
    /// Settled orders with the reservation they settled, oldest first.
    settled: VecDeque<(String, ReservationId)>,
    keep_settled: usize,
}

/// An order id claimed for one request; unclaimed when dropped unless recorded.
pub(crate) struct Claim<'a> {
    book: &'a OrderBook,
    order_id: String,
}

impl Claim<'_> {
    /// Records the order's reservation and releases the claim.
    pub fn record(self, routed: Routed) {
        let mut book = self.book.book.lock();
        book.by_reservation
            .insert(routed.reservation, self.order_id.clone());
        book.by_order.insert(self.order_id.clone(), routed);
        // `drop` removes the claim.
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.book.book.lock().claimed.remove(&self.order_id);
    }
}

impl OrderBook {
    /// A book that keeps up to `keep_settled` settled orders.
    pub fn new(keep_settled: usize) -> Self {
        OrderBook {
            book: Mutex::new(Book {
                keep_settled,
                ..Book::default()
            }),
        }
    }

    /// Claims `order_id` for a reservation; 409 (`E5005`) while another request holds it or
    /// while its recorded reservation is live (`is_live`).
    pub fn claim(
        &self,
        order_id: &str,
        is_live: impl Fn(ReservationId) -> bool,
    ) -> Result<Claim<'_>, ApiError> {
        let mut book = self.book.lock();
        let held = if book.claimed.contains(order_id) {
            Some(format!(
                "order `{order_id}` is being reserved by another request"
            ))
        } else {
            book.by_order
                .get(order_id)
                .filter(|r| is_live(r.reservation))
                .map(|r| format!("order `{order_id}` has live reservation {}", r.reservation))
        };
        if let Some(message) = held {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ServeCode::OrderReserved.id(),
                message,
                "commit or release it first (POST /v1/reservations/{id}/commit or /release)",
            )
            .at("order_id"));
        }
        book.claimed.insert(order_id.to_owned());
        Ok(Claim {
            book: self,
            order_id: order_id.to_owned(),
        })
    }

    /// Reservation `id` was committed, released or expired: its order's record says so, and the
    /// oldest settled records beyond the limit are forgotten.
    pub fn settle(&self, id: ReservationId, status: &'static str) {
        let mut book = self.book.lock();
        let Some(order) = book.by_reservation.remove(&id) else {
            return;
        };
        let Some(r) = book.by_order.get_mut(&order) else {
            return;
        };
        r.status = status;
        book.settled.push_back((order, id));
        while book.settled.len() > book.keep_settled {
            let Some((order, id)) = book.settled.pop_front() else {
                break;
            };
            // Unless the order was reserved again since.
            if book
                .by_order
                .get(&order)
                .is_some_and(|r| r.reservation == id)
            {
                book.by_order.remove(&order);
            }
        }
    }

    /// `GET /v1/orders/{order_id}`'s answer.
    pub fn answer(&self, order_id: &str) -> Option<Value> {
        let book = self.book.lock();
        let r = book.by_order.get(order_id)?;
        Some(json!({
            "order_id": order_id,
            "reservation_id": r.reservation.to_string(),
            "expires_at": r.expires_at.to_string(),
            "status": r.status,
            "decision": r.explanation,
        }))
    }

    /// Records kept (live and settled).
    pub fn len(&self) -> usize {
        self.book.lock().by_order.len()
    }
}
