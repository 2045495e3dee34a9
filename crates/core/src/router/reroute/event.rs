//! The events re-routing applies to a plan (what each does: the parent module's docs).

use crate::{NodeIdx, SkuId};

/// Something that happened after a plan was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A node stopped shipping.
    NodeDown(NodeIdx),
    /// A node ships again.
    NodeUp(NodeIdx),
    /// A dealer rejected the order's offer (`order` is the index in the batch).
    Rejected {
        /// Index of the order in the batch.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// A dealer accepted the order's offer: no optional move (after a node comes back or stock
    /// arrives) touches the order any more, and a later refusal of it by that dealer is an error
    /// ([`RerouteError::AlreadyAccepted`](super::RerouteError::AlreadyAccepted)). A move the order must make (another of its nodes
    /// went down) still routes it again.
    Accepted {
        /// Index of the order in the batch.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// A dealer let the offer time out.
    TimedOut {
        /// Index of the order in the batch.
        order: usize,
        /// The dealer.
        node: NodeIdx,
    },
    /// The starting routable stock of a position is corrected to `routable`.
    StockCorrection {
        /// The node.
        node: NodeIdx,
        /// The SKU.
        sku: SkuId,
        /// The corrected routable units.
        routable: u32,
    },
    /// `qty` more units arrived at a position.
    StockArrival {
        /// The node.
        node: NodeIdx,
        /// The SKU.
        sku: SkuId,
        /// Units added.
        qty: u32,
    },
}
