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
    /// A policy rule's tag filter (`allowed_tags`, `excluded_tags`) keeps the node out.
    TagNotAllowed,
    /// The node is not in the node group being tried (a rule's `groups`).
    NotInGroup,
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
            Reason::TagNotAllowed => "TAG_NOT_ALLOWED",
            Reason::NotInGroup => "NOT_IN_GROUP",
        }
    }

    /// Every reason, in declaration order (the order of [`ReasonCounts`]).
    pub const ALL: [Reason; 13] = [
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
        Reason::TagNotAllowed,
        Reason::NotInGroup,
    ];

    /// Parses a code written by [`Reason::code`].
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A count per [`Reason`], for example the unfilled lines of a plan
/// ([`PlanTotals::unfilled_by_reason`](crate::PlanTotals::unfilled_by_reason)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReasonCounts([u64; Reason::ALL.len()]);

impl ReasonCounts {
    /// Counts one more for `reason`.
    pub fn add(&mut self, reason: Reason) {
        self.0[reason as usize] += 1;
    }

    /// The count of `reason`.
    pub fn get(&self, reason: Reason) -> u64 {
        self.0[reason as usize]
    }

    /// The sum over every reason.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The reasons counted at least once with their counts, most frequent first (ties in
    /// [`Reason::ALL`] order).
    ///
    /// ```
    /// use omniroute_core::{Reason, ReasonCounts};
    /// let mut counts = ReasonCounts::default();
    /// counts.add(Reason::NoStock);
    /// counts.add(Reason::SlaUnreachable);
    /// counts.add(Reason::SlaUnreachable);
    /// assert_eq!(counts.by_count(), [(Reason::SlaUnreachable, 2), (Reason::NoStock, 1)]);
    /// ```
    pub fn by_count(&self) -> Vec<(Reason, u64)> {
        let mut out: Vec<(Reason, u64)> = Reason::ALL
            .into_iter()
            .map(|r| (r, self.get(r)))
            .filter(|&(_, n)| n > 0)
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order_and_codes_round_trip() {
        for (i, r) in Reason::ALL.into_iter().enumerate() {
            assert_eq!(r as usize, i, "{r}");
            assert_eq!(Reason::from_code(r.code()), Some(r));
        }
        let mut counts = ReasonCounts::default();
        for r in [Reason::OutsideTerritory, Reason::NoStock, Reason::NoStock] {
            counts.add(r);
        }
        assert_eq!(counts.get(Reason::NoStock), 2);
        assert_eq!(counts.get(Reason::SlaUnreachable), 0);
        assert_eq!(counts.total(), 3);
        assert_eq!(
            counts.by_count(),
            [(Reason::NoStock, 2), (Reason::OutsideTerritory, 1)]
        );
    }
}
