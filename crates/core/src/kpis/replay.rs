//! Replaying a day under a policy (`omniroute simulate`): route the day's orders in arrival
//! order, apply the day's events (re-routing), and hand back the plan, its re-routes by cause and
//! the stock the day leaves for the next.
//!
//! Events were recorded under the policy that ran that day: a dealer rejection or time-out of an
//! order the replayed policy never offered to that dealer did not happen under it, so it is
//! skipped (and counted), not an error. Every other refusal is the caller's input error.

use super::{reroute_counts, RerouteCounts};
use crate::{Event, Order, Plan, RerouteError, Router, StockTable};
use jiff::Timestamp;

/// One replayed day.
#[derive(Debug, Clone)]
pub struct ReplayedDay {
    /// The final plan (after the events).
    pub plan: Plan,
    /// Re-routes by cause (`None` without events).
    pub reroutes: Option<RerouteCounts>,
    /// The stock the day started from, after the events' corrections and arrivals.
    pub start: StockTable,
    /// The stock left after the plan shipped: the next day's start.
    pub left: StockTable,
    /// Indices (into the given events) of the dealer events skipped as never offered.
    pub skipped: Vec<usize>,
}

/// Routes `orders` from `stock` with `router`, then applies `events` (skipping dealer events
/// that do not fit the replayed plan). Deterministic: the same inputs give the same day.
pub fn replay_day(
    router: &Router,
    orders: &[Order],
    stock: &StockTable,
    events: &[Event],
    now: Timestamp,
) -> Result<ReplayedDay, RerouteError> {
    let routed = router.route_sequential(orders, stock, now);
    let mut kept: Vec<(usize, Event)> = events.iter().copied().enumerate().collect();
    let mut skipped = Vec::new();
    let (plan, start, reroutes) = if events.is_empty() {
        (routed, stock.clone(), None)
    } else {
        loop {
            let list: Vec<Event> = kept.iter().map(|&(_, e)| e).collect();
            match reroute_counts(router, orders, &routed, stock, &list, now) {
                Ok((r, counts)) => break (r.plan, r.stock, Some(counts)),
                Err(RerouteError::NotOffered { event, .. }) => {
                    skipped.push(kept.remove(event).0);
                }
                Err(e) => {
                    // Name the event by its place in the caller's list.
                    let event = kept[e.event()].0;
                    return Err(renumber(&e, event));
                }
            }
        }
    };
    skipped.sort_unstable();
    let mut left = start.clone();
    for (order, d) in orders.iter().zip(&plan.decisions) {
        for s in &d.shipments {
            for &l in &s.lines {
                left.take(s.node, order.lines[l].sku, order.lines[l].qty);
            }
        }
    }
    Ok(ReplayedDay {
        plan,
        reroutes,
        start,
        left,
        skipped,
    })
}

fn renumber(e: &RerouteError, event: usize) -> RerouteError {
    match *e {
        RerouteError::NotADealer { order, node, .. } => {
            RerouteError::NotADealer { event, order, node }
        }
        RerouteError::NotOffered { order, node, .. } => {
            RerouteError::NotOffered { event, order, node }
        }
    }
}
