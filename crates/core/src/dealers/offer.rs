//! One offer: a dealer assignment waiting for the dealer's answer.
//!
//! ```text
//! offered ──accept──▶ accepted ──ship──▶ shipped
//!    ├──reject──▶ rejected (with a reason)
//!    └──expire──▶ timed out (at the deadline)
//! ```
//! Rejected and timed-out offers are refusals: the caller re-routes the order without that
//! dealer ([`super::OrderOffers`]). Every other move is an [`OfferError`]; a failed move changes
//! nothing. An answer at or after the deadline is late ([`OfferError::Late`]): the offer has
//! timed out whether or not [`Offer::expire`] ran yet.

use super::acceptance_timeout_s;
use crate::codes::ChannelCode;
use crate::{DealerRules, Network, NodeIdx, NodeKind};
use jiff::{SignedDuration, Timestamp};
use std::fmt;

/// Identifies an offer across channels (it is in the reply buttons' ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OfferId(pub u64);

impl fmt::Display for OfferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why a dealer rejected an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectReason {
    /// The dealer declined without saying why (the Reject button).
    Declined,
    /// The dealer does not have the stock after all.
    NoStock,
    /// The dealer cannot deliver in time.
    NoCapacity,
}

impl RejectReason {
    /// The name used in files and events.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::Declined => "declined",
            RejectReason::NoStock => "no_stock",
            RejectReason::NoCapacity => "no_capacity",
        }
    }
}

/// Where an offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OfferState {
    /// Sent, waiting for the dealer until the offer's deadline.
    Offered,
    /// The dealer accepted.
    Accepted {
        /// When.
        at: Timestamp,
    },
    /// The dealer shipped.
    Shipped {
        /// When.
        at: Timestamp,
    },
    /// The dealer rejected.
    Rejected {
        /// When.
        at: Timestamp,
        /// Why.
        reason: RejectReason,
    },
    /// The dealer did not answer by the deadline.
    TimedOut {
        /// The deadline.
        at: Timestamp,
    },
}

impl OfferState {
    /// The state's name: `offered`, `accepted`, `shipped`, `rejected`, `timed_out`.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferState::Offered => "offered",
            OfferState::Accepted { .. } => "accepted",
            OfferState::Shipped { .. } => "shipped",
            OfferState::Rejected { .. } => "rejected",
            OfferState::TimedOut { .. } => "timed_out",
        }
    }

    /// True for a rejected or timed-out offer.
    pub fn is_refusal(self) -> bool {
        matches!(
            self,
            OfferState::Rejected { .. } | OfferState::TimedOut { .. }
        )
    }
}

/// A move the offer's state does not allow. Codes `E40xx` (docs/errors.md).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfferError {
    /// Only dealers get offers.
    #[error("node #{} is a {kind}, and only dealers get offers", .node.0)]
    NotADealer {
        /// The node.
        node: NodeIdx,
        /// Its kind.
        kind: NodeKind,
    },
    /// The move does not start from the offer's state.
    #[error("offer {offer} is {from} and cannot become {to}")]
    Illegal {
        /// The offer.
        offer: OfferId,
        /// Its state.
        from: &'static str,
        /// The state asked for.
        to: &'static str,
    },
    /// The answer came at or after the deadline.
    #[error("offer {offer} timed out at {deadline}; the answer came at {at}")]
    Late {
        /// The offer.
        offer: OfferId,
        /// Its deadline.
        deadline: Timestamp,
        /// When the answer came.
        at: Timestamp,
    },
}

impl OfferError {
    /// The stable code: `E4001` not a dealer, `E4002` illegal move, `E4003` late answer.
    pub fn code(&self) -> &'static str {
        match self {
            OfferError::NotADealer { .. } => ChannelCode::OfferNotADealer.id(),
            OfferError::Illegal { .. } => ChannelCode::IllegalMove.id(),
            OfferError::Late { .. } => ChannelCode::LateAnswer.id(),
        }
    }
}

/// An offer of one order to one dealer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Its id.
    pub id: OfferId,
    /// The order's id.
    pub order_id: String,
    /// The dealer.
    pub node: NodeIdx,
    /// When it was sent.
    pub offered_at: Timestamp,
    /// The dealer must answer before this instant.
    pub deadline: Timestamp,
    /// Where it stands.
    pub state: OfferState,
}

impl Offer {
    /// An offer of `order_id` to `node`, sent at `now`, due within the dealer's acceptance
    /// timeout ([`acceptance_timeout_s`]). `Err` when `node` is not a dealer.
    pub fn new(
        id: OfferId,
        order_id: impl Into<String>,
        network: &Network,
        node: NodeIdx,
        rules: &DealerRules,
        now: Timestamp,
    ) -> Result<Self, OfferError> {
        let n = network.node(node);
        if n.kind != NodeKind::Dealer {
            return Err(OfferError::NotADealer { node, kind: n.kind });
        }
        let timeout = SignedDuration::from_secs(i64::from(acceptance_timeout_s(n, rules)));
        Ok(Self {
            id,
            order_id: order_id.into(),
            node,
            offered_at: now,
            deadline: now
                .saturating_add(timeout)
                .expect("a duration, not calendar units"),
            state: OfferState::Offered,
        })
    }

    /// The dealer accepts at `now`.
    pub fn accept(&mut self, now: Timestamp) -> Result<(), OfferError> {
        self.answer(now, "accepted", OfferState::Accepted { at: now })
    }

    /// The dealer rejects at `now` for `reason`.
    pub fn reject(&mut self, now: Timestamp, reason: RejectReason) -> Result<(), OfferError> {
        self.answer(now, "rejected", OfferState::Rejected { at: now, reason })
    }

    /// The accepted order shipped at `now`.
    pub fn ship(&mut self, now: Timestamp) -> Result<(), OfferError> {
        match self.state {
            OfferState::Accepted { .. } => {
                self.state = OfferState::Shipped { at: now };
                Ok(())
            }
            from => Err(self.illegal(from, "shipped")),
        }
    }

    /// Times the offer out if it is still waiting and `now` is at or past its deadline; true
    /// when it did.
    pub fn expire(&mut self, now: Timestamp) -> bool {
        if self.state == OfferState::Offered && now >= self.deadline {
            self.state = OfferState::TimedOut { at: self.deadline };
            return true;
        }
        false
    }

    fn answer(
        &mut self,
        now: Timestamp,
        to: &'static str,
        next: OfferState,
    ) -> Result<(), OfferError> {
        if self.state != OfferState::Offered {
            return Err(self.illegal(self.state, to));
        }
        if now >= self.deadline {
            return Err(OfferError::Late {
                offer: self.id,
                deadline: self.deadline,
                at: now,
            });
        }
        self.state = next;
        Ok(())
    }

    fn illegal(&self, from: OfferState, to: &'static str) -> OfferError {
        OfferError::Illegal {
            offer: self.id,
            from: from.as_str(),
            to,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
