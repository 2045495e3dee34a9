//! The one error family of the ledger. Every variant has a stable `E3xxx` code (see
//! `docs/errors.md`), and an operation that returns one of them changed no state — except
//! [`InventoryError::Expired`], whose whole point is that the reservation was released.

use super::ReservationId;
use crate::codes::InventoryCode;
use crate::{NodeIdx, SkuId};
use jiff::Timestamp;
use std::fmt;

/// Why an inventory event was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InventoryError {
    /// A delta would take on-hand below zero.
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
    QuantityOverflow {
        /// The node.
        node: NodeIdx,
        /// The SKU.
        sku: SkuId,
    },
    /// A reservation line asks for more than is routable; nothing was reserved.
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
    DuplicateReservation {
        /// The id in use.
        id: ReservationId,
    },
    /// No live reservation has this id (never made, or already committed, released or expired).
    UnknownReservation {
        /// The unknown id.
        id: ReservationId,
    },
    /// A commit came at or after the reservation's expiry; the reservation was released.
    Expired {
        /// The expired reservation.
        id: ReservationId,
        /// When it expired.
        expires_at: Timestamp,
    },
    /// A commit found fewer units on hand than reserved (stock was corrected down after the
    /// reservation); nothing shipped and the reservation is still live.
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
    /// A feed's release frees more units than are held outside omniroute at the position.
    ReleaseBeyondHeld {
        /// The event's node.
        node: NodeIdx,
        /// The event's sequence number.
        seq: u64,
        /// The event's SKU.
        sku: SkuId,
        /// Units held outside omniroute before the event.
        held: u32,
        /// Units the event frees.
        release: u32,
    },
    /// A one-node snapshot carried a row for another node; nothing was replaced.
    SnapshotNodeMismatch {
        /// The node being replaced.
        expected: NodeIdx,
        /// The node of the stray row.
        got: NodeIdx,
    },
}

impl std::error::Error for InventoryError {}

/// Shows nodes and SKUs by index (`node #0 sku #3`): the core does not know their ids. Front ends
/// name them with [`InventoryError::describe`].
impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&|n| format!("#{}", n.0), &|s| format!("#{}", s.0)))
    }
}

impl InventoryError {
    /// The message with each node and SKU written by `node` and `sku` (a front end passes their
    /// ids, so a user never reads an internal index).
    ///
    /// ```
    /// # use omniroute_core::{InventoryError, NodeIdx, ReservationId, SkuId};
    /// let e = InventoryError::InsufficientStock {
    ///     id: ReservationId(7), node: NodeIdx(0), sku: SkuId(3), wanted: 2, routable: 1,
    /// };
    /// assert_eq!(e.to_string(), "reservation 7: node #0 sku #3 has 1 routable, 2 wanted");
    /// let named = e.describe(&|_| "W1".into(), &|_| "TEE-M".into());
    /// assert_eq!(named, "reservation 7: node W1 sku TEE-M has 1 routable, 2 wanted");
    /// ```
    pub fn describe(
        &self,
        node: &dyn Fn(NodeIdx) -> String,
        sku: &dyn Fn(SkuId) -> String,
    ) -> String {
        match self {
            Self::NegativeOnHand {
                node: n,
                seq,
                sku: s,
                on_hand,
                change,
            } => format!(
                "delta seq {seq} for node {} sku {} would make on_hand negative ({on_hand} {change:+})",
                node(*n),
                sku(*s)
            ),
            Self::QuantityOverflow { node: n, sku: s } => format!(
                "on_hand of node {} sku {} would exceed {}",
                node(*n),
                sku(*s),
                u32::MAX
            ),
            Self::InsufficientStock {
                id,
                node: n,
                sku: s,
                wanted,
                routable,
            } => format!(
                "reservation {id}: node {} sku {} has {routable} routable, {wanted} wanted",
                node(*n),
                sku(*s)
            ),
            Self::DuplicateReservation { id } => format!("reservation {id} already exists"),
            Self::UnknownReservation { id } => format!("no live reservation {id}"),
            Self::Expired { id, expires_at } => {
                format!("reservation {id} expired at {expires_at} and was released")
            }
            Self::ShortOnCommit {
                id,
                node: n,
                sku: s,
                reserved,
                on_hand,
            } => format!(
                "reservation {id}: node {} sku {} has {on_hand} on hand, {reserved} to ship",
                node(*n),
                sku(*s)
            ),
            Self::ReleaseBeyondHeld {
                node: n,
                seq,
                sku: s,
                held,
                release,
            } => format!(
                "event seq {seq} for node {} sku {} releases {release} units, {held} are held",
                node(*n),
                sku(*s)
            ),
            Self::SnapshotNodeMismatch { expected, got } => format!(
                "snapshot for node {} has a row for node {}",
                node(*expected),
                node(*got)
            ),
        }
    }

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
            Self::NegativeOnHand { .. } => InventoryCode::NegativeOnHand.id(),
            Self::QuantityOverflow { .. } => InventoryCode::QuantityOverflow.id(),
            Self::InsufficientStock { .. } => InventoryCode::InsufficientStock.id(),
            Self::DuplicateReservation { .. } => InventoryCode::DuplicateReservation.id(),
            Self::UnknownReservation { .. } => InventoryCode::UnknownReservation.id(),
            Self::Expired { .. } => InventoryCode::Expired.id(),
            Self::ShortOnCommit { .. } => InventoryCode::ShortOnCommit.id(),
            Self::SnapshotNodeMismatch { .. } => InventoryCode::SnapshotNodeMismatch.id(),
            Self::ReleaseBeyondHeld { .. } => InventoryCode::ReleaseBeyondHeld.id(),
        }
    }
}
