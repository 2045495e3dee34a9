//! The one error family of the ledger. Every variant has a stable `E3xxx` code (see
//! `docs/errors.md`), and an operation that returns one of them changed no state — except
//! [`InventoryError::Expired`], whose whole point is that the reservation was released.

use super::ReservationId;
use crate::{NodeIdx, SkuId};
use jiff::Timestamp;

/// Why an inventory event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InventoryError {
    /// A delta would take on-hand below zero.
    #[error(
        "delta seq {seq} for node {} sku {} would make on_hand negative ({on_hand} {change:+})",
        .node.0, .sku.0
    )]
    NegativeOnHand {
        /// The delta's node.
        node: NodeIdx,
        /// The delta's sequence number.
        seq: u64,
        /// The delta's SKU.
        sku: SkuId,
        /// On-hand before the delta.
        on_hand: u32,
        /// The refused change.
        change: i64,
    },
    /// A delta or a return would take on-hand above `u32::MAX`.
    #[error("on_hand of node {} sku {} would exceed {}", .node.0, .sku.0, u32::MAX)]
    QuantityOverflow {
        /// The node.
        node: NodeIdx,
        /// The SKU.
        sku: SkuId,
    },
    /// A reservation line asks for more than is routable; nothing was reserved.
    #[error(
        "reservation {id}: node {} sku {} has {routable} routable, {wanted} wanted",
        .node.0, .sku.0
    )]
    InsufficientStock {
        /// The refused reservation.
        id: ReservationId,
        /// The first short position, in line order.
        node: NodeIdx,
        /// Its SKU.
        sku: SkuId,
        /// Units wanted there (all lines of the reservation for that position added up).
        wanted: u64,
        /// Units routable there.
        routable: u32,
    },
    /// A live reservation already has this id.
    #[error("reservation {id} already exists")]
    DuplicateReservation {
        /// The id in use.
        id: ReservationId,
    },
    /// No live reservation has this id (never made, or already committed, released or expired).
    #[error("no live reservation {id}")]
    UnknownReservation {
        /// The unknown id.
        id: ReservationId,
    },
    /// A commit came at or after the reservation's expiry; the reservation was released.
    #[error("reservation {id} expired at {expires_at} and was released")]
    Expired {
        /// The expired reservation.
        id: ReservationId,
        /// When it expired.
        expires_at: Timestamp,
    },
    /// A commit found fewer units on hand than reserved (stock was corrected down after the
    /// reservation); nothing shipped and the reservation is still live.
    #[error(
        "reservation {id}: node {} sku {} has {on_hand} on hand, {reserved} to ship",
        .node.0, .sku.0
    )]
    ShortOnCommit {
        /// The reservation.
        id: ReservationId,
        /// The first short position.
        node: NodeIdx,
        /// Its SKU.
        sku: SkuId,
        /// Units reserved there.
        reserved: u32,
        /// Units on hand there.
        on_hand: u32,
    },
    /// A one-node snapshot carried a row for another node; nothing was replaced.
    #[error("snapshot for node {} has a row for node {}", .expected.0, .got.0)]
    SnapshotNodeMismatch {
        /// The node being replaced.
        expected: NodeIdx,
        /// The node of the stray row.
        got: NodeIdx,
    },
}

impl InventoryError {
    /// The stable code of this error (`E3001`…), documented in `docs/errors.md`.
    ///
    /// ```
    /// # use omniroute_core::{InventoryError, ReservationId};
    /// let e = InventoryError::UnknownReservation { id: ReservationId(7) };
    /// assert_eq!(e.code(), "E3005");
    /// assert_eq!(e.to_string(), "no live reservation 7");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Self::NegativeOnHand { .. } => "E3001",
            Self::QuantityOverflow { .. } => "E3002",
            Self::InsufficientStock { .. } => "E3003",
            Self::DuplicateReservation { .. } => "E3004",
            Self::UnknownReservation { .. } => "E3005",
            Self::Expired { .. } => "E3006",
            Self::ShortOnCommit { .. } => "E3007",
            Self::SnapshotNodeMismatch { .. } => "E3008",
        }
    }
}
