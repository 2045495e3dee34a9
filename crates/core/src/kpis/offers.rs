//! The dealer figures: what dealers made of their offers (`offer_acceptance_rate`,
//! `offer_time_to_accept_s`, from the outcomes a service records as they happen) and channel
//! conflicts (`channel_conflict_orders`: shipped orders inside a dealer's territory that no
//! dealer of that territory ships any part of).

use crate::dealers::{in_territory, Offer, OfferState};
use crate::{Network, NodeKind, Order, Plan};
use geo::{BoundingRect, Rect};

/// Answered offers: the acceptance figures read them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OfferFigures {
    /// Offers accepted.
    pub accepted: u64,
    /// Offers rejected or timed out.
    pub refused: u64,
    /// Seconds from offer to accept, summed over the accepted offers.
    pub accept_seconds: f64,
}

impl OfferFigures {
    /// Counts `offer` if it was answered (accepted, shipped, rejected or timed out).
    pub fn record(&mut self, offer: &Offer) {
        match offer.state {
            OfferState::Accepted { at } => {
                self.accepted += 1;
                self.accept_seconds += at.duration_since(offer.offered_at).as_secs_f64();
            }
            OfferState::Rejected { .. } | OfferState::TimedOut { .. } => self.refused += 1,
            OfferState::Offered | OfferState::Shipped { .. } => {}
        }
    }

    /// Accepted offers / answered offers (`None` before any answer).
    pub fn acceptance_rate(&self) -> Option<f64> {
        let answered = self.accepted + self.refused;
        (answered > 0).then(|| self.accepted as f64 / answered as f64)
    }

    /// Mean seconds from offer to accept (`None` before any accept).
    pub fn mean_time_to_accept_s(&self) -> Option<f64> {
        (self.accepted > 0).then(|| self.accept_seconds / self.accepted as f64)
    }

    /// Adds `other`'s counts.
    pub fn add(&mut self, other: &OfferFigures) {
        self.accepted += other.accepted;
        self.refused += other.refused;
        self.accept_seconds += other.accept_seconds;
    }
}

/// Shipped orders whose destination lies in one or more dealers' territories and that none of
/// those dealers ships any part of; `None` when no dealer has a territory.
pub(super) fn channel_conflicts(network: &Network, orders: &[Order], plan: &Plan) -> Option<u64> {
    let dealers: Vec<(u32, Rect)> = network
        .nodes()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == NodeKind::Dealer)
        .filter_map(|(i, n)| {
            let rect = n.dealer.as_ref()?.territory.as_ref()?.bounding_rect()?;
            Some((i as u32, rect))
        })
        .collect();
    if dealers.is_empty() {
        return None;
    }
    let mut conflicts = 0;
    for (order, d) in orders.iter().zip(&plan.decisions) {
        if d.shipments.is_empty() {
            continue;
        }
        let (x, y) = (order.destination.lon_deg(), order.destination.lat_deg());
        let mut holders = dealers.iter().filter(|(i, rect)| {
            let (min, max) = (rect.min(), rect.max());
            (min.x..=max.x).contains(&x)
                && (min.y..=max.y).contains(&y)
                && in_territory(network.node(crate::NodeIdx(*i)), order.destination) == Some(true)
        });
        let mut inside = false;
        let served = holders.any(|(i, _)| {
            inside = true;
            d.shipments.iter().any(|s| s.node.0 == *i)
        });
        conflicts += u64::from(inside && !served);
    }
    Some(conflicts)
}
