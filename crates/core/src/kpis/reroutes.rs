//! Re-routes by cause: which event moved which order.
//!
//! [`Router::reroute`] reports the orders whose shipments changed, not why.
//! [`Router::reroute_moves`] compares each order's shipments before and after every event in the
//! one re-route, which charges every move to the event that made it (an order moved twice
//! counts twice): what replaying the events one prefix at a time would give, in one pass.

use crate::{Event, IncomingStock, Order, Plan, RerouteError, Rerouted, Router, StockTable};
use jiff::Timestamp;

/// The kind of event that moved an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RerouteCause {
    /// A node went down.
    NodeDown,
    /// A node came back.
    NodeUp,
    /// A dealer rejected the offer.
    DealerRejected,
    /// A dealer let the offer time out.
    DealerTimedOut,
    /// A stock count was corrected.
    StockCorrection,
    /// Stock arrived.
    StockArrival,
}

impl RerouteCause {
    /// Every cause, in declaration order (the order of [`RerouteCounts::moves`]).
    pub const ALL: [RerouteCause; 6] = [
        RerouteCause::NodeDown,
        RerouteCause::NodeUp,
        RerouteCause::DealerRejected,
        RerouteCause::DealerTimedOut,
        RerouteCause::StockCorrection,
        RerouteCause::StockArrival,
    ];

    /// The event type's name in events.ndjson.
    pub fn as_str(self) -> &'static str {
        match self {
            RerouteCause::NodeDown => "node_down",
            RerouteCause::NodeUp => "node_up",
            RerouteCause::DealerRejected => "dealer_rejected",
            RerouteCause::DealerTimedOut => "dealer_timed_out",
            RerouteCause::StockCorrection => "stock_correction",
            RerouteCause::StockArrival => "stock_arrival",
        }
    }

    /// The cause `event` is; `None` for a dealer's accept, which moves no order.
    pub fn of(event: &Event) -> Option<Self> {
        Some(match event {
            Event::NodeDown(_) => RerouteCause::NodeDown,
            Event::NodeUp(_) => RerouteCause::NodeUp,
            Event::Rejected { .. } => RerouteCause::DealerRejected,
            Event::TimedOut { .. } => RerouteCause::DealerTimedOut,
            Event::StockCorrection { .. } => RerouteCause::StockCorrection,
            Event::StockArrival { .. } => RerouteCause::StockArrival,
            Event::Accepted { .. } => return None,
        })
    }
}

/// What re-routing did, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RerouteCounts {
    /// Events applied.
    pub events: u64,
    /// Moves charged to each cause, indexed like [`RerouteCause::ALL`].
    pub moves: [u64; RerouteCause::ALL.len()],
    /// Orders whose final shipments differ from the plan's.
    pub orders_moved: u64,
    /// Orders sent to the review queue.
    pub review: u64,
}

impl RerouteCounts {
    /// Moves charged to `cause`.
    pub fn moves_by(&self, cause: RerouteCause) -> u64 {
        self.moves[cause as usize]
    }

    /// Adds another run's counts.
    pub fn add(&mut self, other: &RerouteCounts) {
        self.events += other.events;
        for (a, b) in self.moves.iter_mut().zip(other.moves) {
            *a += b;
        }
        self.orders_moved += other.orders_moved;
        self.review += other.review;
    }

    /// Every move (an order moved by two events counts twice).
    pub fn total_moves(&self) -> u64 {
        self.moves.iter().sum()
    }
}

/// [`Router::reroute`] of `events` on `plan`, and its moves charged to the events that made them.
pub fn reroute_counts(
    router: &Router,
    orders: &[Order],
    plan: &Plan,
    (stock, incoming): (&StockTable, &IncomingStock),
    events: &[Event],
    now: Timestamp,
) -> Result<(Rerouted, RerouteCounts), RerouteError> {
    let (r, moves) = router.reroute_moves(orders, plan, stock, incoming, events, now)?;
    let mut counts = RerouteCounts {
        events: events.len() as u64,
        orders_moved: r.moved.len() as u64,
        review: r.review.len() as u64,
        ..RerouteCounts::default()
    };
    for (event, moved) in events.iter().zip(moves) {
        match RerouteCause::of(event) {
            Some(cause) => counts.moves[cause as usize] += moved,
            None => debug_assert_eq!(moved, 0, "an accept moves no order"),
        }
    }
    Ok((r, counts))
}
