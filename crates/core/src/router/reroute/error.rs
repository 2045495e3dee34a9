//! Why events cannot be applied to a plan: a dealer event that does not fit it.

use crate::codes::InventoryCode;
use crate::NodeIdx;
#[cfg(doc)]
use crate::Router;

/// Why events cannot be applied to a plan. Each has a stable `E31xx` code (`docs/errors.md`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RerouteError {
    /// A dealer event names a node that is not a dealer.
    #[error("event #{event}: node #{} is not a dealer, so it cannot answer the offer of order #{order}", .node.0)]
    NotADealer {
        /// Index of the event.
        event: usize,
        /// Index of the order.
        order: usize,
        /// The node.
        node: NodeIdx,
    },
    /// A dealer event names a dealer that does not ship the order (at that point of the events).
    #[error("event #{event}: order #{order} does not ship from node #{}, so it cannot answer its offer", .node.0)]
    NotOffered {
        /// Index of the event.
        event: usize,
        /// Index of the order.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// A dealer refuses (or lets time out) an order it accepted before.
    #[error("event #{event}: dealer node #{} accepted order #{order} before, so it cannot refuse it now", .node.0)]
    AlreadyAccepted {
        /// Index of the event.
        event: usize,
        /// Index of the order.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
}

impl RerouteError {
    /// The stable code: `E3109` not a dealer, `E3110` not offered, `E3112` accepted before.
    ///
    /// ```
    /// # use omniroute_core::{NodeIdx, RerouteError};
    /// let e = RerouteError::NotADealer { event: 0, order: 2, node: NodeIdx(1) };
    /// assert_eq!(e.code(), "E3109");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            RerouteError::NotADealer { .. } => InventoryCode::EventNotADealer.id(),
            RerouteError::NotOffered { .. } => InventoryCode::EventNotOffered.id(),
            RerouteError::AlreadyAccepted { .. } => InventoryCode::EventAlreadyAccepted.id(),
        }
    }

    /// Index of the event at fault, in the events given to [`Router::reroute`].
    pub fn event(&self) -> usize {
        match *self {
            RerouteError::NotADealer { event, .. }
            | RerouteError::NotOffered { event, .. }
            | RerouteError::AlreadyAccepted { event, .. } => event,
        }
    }
}
