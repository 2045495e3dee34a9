//! Why a node was filtered or a line left unfilled.

use std::fmt;

/// A reason code. Failing to route is data: every filtered candidate and every unfilled line
/// carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// No node holds enough routable stock of the SKU.
    NoStock,
    /// The destination is beyond the node's reach for the service level.
    OutOfReach,
    /// The node cannot deliver by the deadline (hard SLA).
    SlaUnreachable,
    /// The node's daily capacity (units or shipments) is used up.
    NoCapacity,
    /// The node is inactive.
    NodeInactive,
    /// The order excludes the node (for example after a rejection).
    Excluded,
    /// A policy rule does not allow this kind of node for the order.
    KindNotAllowed,
    /// The split rule (one shipment, or at most N) leaves no room for this line.
    SplitLimit,
    /// Ship-complete: the order could not ship whole, so nothing ships.
    ShipComplete,
    /// Shipping would cost more than leaving the line unfilled.
    Uneconomic,
    /// The destination lies outside a dealer's territory where territories are required.
    OutsideTerritory,
}

impl Reason {
    /// The stable upper-case code used in files and explanations.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoStock => "NO_STOCK",
            Reason::OutOfReach => "OUT_OF_REACH",
            Reason::SlaUnreachable => "SLA_UNREACHABLE",
            Reason::NoCapacity => "NO_CAPACITY",
            Reason::NodeInactive => "NODE_INACTIVE",
            Reason::Excluded => "EXCLUDED",
            Reason::KindNotAllowed => "KIND_NOT_ALLOWED",
            Reason::SplitLimit => "SPLIT_LIMIT",
            Reason::ShipComplete => "SHIP_COMPLETE",
            Reason::Uneconomic => "UNECONOMIC",
            Reason::OutsideTerritory => "OUTSIDE_TERRITORY",
        }
    }

    /// Parses a code written by [`Reason::code`].
    pub fn from_code(code: &str) -> Option<Reason> {
        [
            Reason::NoStock,
            Reason::OutOfReach,
            Reason::SlaUnreachable,
            Reason::NoCapacity,
            Reason::NodeInactive,
            Reason::Excluded,
            Reason::KindNotAllowed,
            Reason::SplitLimit,
            Reason::ShipComplete,
            Reason::Uneconomic,
            Reason::OutsideTerritory,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
