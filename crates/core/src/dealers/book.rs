//! Following offers: one order through its offers ([`OrderOffers`]) and each dealer through its
//! answers ([`DealerBook`]: the observed outcomes the acceptance estimate reads, and cool-down).
//!
//! Cool-down: a dealer that refuses `cool_down_after` offers in a row (rejects or time-outs;
//! an accept resets the run) gets no offer for `cool_down_hours` after the last of them.

use super::{AcceptanceCounts, Offer, OfferState};
use crate::{DealerRules, Network, NodeIdx, Order};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;

/// How many offers ended each way: the plain figures a report reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferOutcomes {
    /// Offers still waiting.
    pub offered: u32,
    /// Offers accepted and not shipped yet.
    pub accepted: u32,
    /// Offers shipped.
    pub shipped: u32,
    /// Offers rejected.
    pub rejected: u32,
    /// Offers timed out.
    pub timed_out: u32,
}

impl OfferOutcomes {
    /// Counts `offers` by state.
    pub fn of<'a>(offers: impl IntoIterator<Item = &'a Offer>) -> Self {
        let mut out = Self::default();
        for o in offers {
            let n = match o.state {
                OfferState::Offered => &mut out.offered,
                OfferState::Accepted { .. } => &mut out.accepted,
                OfferState::Shipped { .. } => &mut out.shipped,
                OfferState::Rejected { .. } => &mut out.rejected,
                OfferState::TimedOut { .. } => &mut out.timed_out,
            };
            *n += 1;
        }
        out
    }
}

/// The offers of one order, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderOffers {
    /// Every offer made for the order.
    pub offers: Vec<Offer>,
}

impl OrderOffers {
    /// The dealers that refused the order, in the order they did, each once.
    pub fn refused_by(&self) -> Vec<NodeIdx> {
        let mut out: Vec<NodeIdx> = Vec::new();
        for o in self.offers.iter().filter(|o| o.state.is_refusal()) {
            if !out.contains(&o.node) {
                out.push(o.node);
            }
        }
        out
    }

    /// True when the order has been refused by `max_rejections` dealers (a positive limit) and
    /// goes to the review queue instead of another offer.
    pub fn needs_review(&self, rules: &DealerRules) -> bool {
        rules.max_rejections > 0 && self.refused_by().len() >= rules.max_rejections as usize
    }

    /// The offer still waiting for an answer, if any.
    pub fn open(&mut self) -> Option<&mut Offer> {
        self.offers
            .iter_mut()
            .find(|o| o.state == OfferState::Offered)
    }

    /// Adds every refusing dealer to `order.excluded` (each once), so routing it again leaves
    /// them out.
    pub fn exclude_refusers(&self, order: &mut Order) {
        for node in self.refused_by() {
            if !order.excluded.contains(&node) {
                order.excluded.push(node);
            }
        }
    }
}

/// One dealer's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// Offers answered, for the acceptance estimate.
    pub seen: AcceptanceCounts,
    /// Refusals since the last accept.
    pub refusals_in_a_row: u32,
    /// No offers before this instant.
    pub cool_until: Option<Timestamp>,
}

/// Every dealer's record, by node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DealerBook {
    standings: BTreeMap<NodeIdx, Standing>,
}

impl DealerBook {
    /// Records the end of `offer` (accepted, rejected or timed out; other states are ignored):
    /// updates the dealer's counts and starts its cool-down when the rules say.
    pub fn record(&mut self, offer: &Offer, rules: &DealerRules) {
        let s = self.standings.entry(offer.node).or_default();
        match offer.state {
            OfferState::Accepted { .. } => {
                s.seen.accepted += 1;
                s.refusals_in_a_row = 0;
            }
            OfferState::Rejected { at, .. } | OfferState::TimedOut { at } => {
                s.seen.refused += 1;
                s.refusals_in_a_row += 1;
                if rules.cool_down_after > 0 && s.refusals_in_a_row >= rules.cool_down_after {
                    let hours = SignedDuration::from_hours(i64::from(rules.cool_down_hours));
                    s.cool_until = Some(at.saturating_add(hours).expect("a duration"));
                    s.refusals_in_a_row = 0;
                }
            }
            OfferState::Offered | OfferState::Shipped { .. } => {}
        }
    }

    /// The dealer's record (all zero for a dealer never offered anything).
    pub fn standing(&self, node: NodeIdx) -> Standing {
        self.standings.get(&node).copied().unwrap_or_default()
    }

    /// True when `node` is cooling down at `now`.
    pub fn cooling_down(&self, node: NodeIdx, now: Timestamp) -> bool {
        self.standing(node).cool_until.is_some_and(|t| now < t)
    }

    /// The dealers cooling down at `now`, in node order.
    pub fn cooling(&self, now: Timestamp) -> Vec<NodeIdx> {
        self.standings
            .keys()
            .copied()
            .filter(|&n| self.cooling_down(n, now))
            .collect()
    }

    /// The estimated acceptance rate of `node` (its `known_rate` from nodes.csv, else the
    /// prior, updated by what this book has seen).
    pub fn acceptance_rate(
        &self,
        node: NodeIdx,
        known_rate: Option<f64>,
        rules: &DealerRules,
    ) -> f64 {
        rules.prior.rate(known_rate, self.standing(node).seen)
    }

    /// `network` with the acceptance rate of every dealer this book has seen answer replaced by
    /// its estimate ([`DealerBook::acceptance_rate`]), so a router built over it prices a
    /// refusal ([`crate::reject_risk_cents`]) from the outcomes observed so far. The other nodes
    /// are unchanged.
    pub fn observed_network(&self, network: &Network, rules: &DealerRules) -> Network {
        let mut nodes = network.nodes().to_vec();
        for (&node, s) in &self.standings {
            if s.seen == AcceptanceCounts::default() {
                continue;
            }
            if let Some(d) = nodes
                .get_mut(node.0 as usize)
                .and_then(|n| n.dealer.as_mut())
            {
                d.acceptance_rate = Some(rules.prior.rate(d.acceptance_rate, s.seen));
            }
        }
        Network::new(nodes).expect("the same nodes, rates aside, are a valid network")
    }
}

#[cfg(test)]
mod tests;
