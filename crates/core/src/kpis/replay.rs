//! Replaying days under a policy (`omniroute simulate`, `omniroute position`): route each day's
//! orders in arrival order, apply the day's events (re-routing), optionally draw dealer rejects
//! from a seed ([`super::rejects`]), and hand back the plan, its re-routes by cause and the stock
//! the day leaves for the next.
//!
//! Events were recorded under the policy that ran that day: a dealer rejection or time-out of an
//! order the replayed policy never offered to that dealer did not happen under it, so it is
//! skipped (and counted), not an error. Every other refusal is the caller's input error.

use super::rejects::draw_rejects;
use super::{reroute_counts, KpiInputs, Kpis, RerouteCounts};
use crate::{Event, IncomingStock, NodeIdx, Order, Plan, RerouteError, Router, StockTable};
use jiff::Timestamp;
use rustc_hash::FxHashSet;

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
    /// Dealer rejects drawn from the seed and applied (0 without a seed).
    pub drawn_rejects: u64,
}

/// One day to replay: its orders (arrival order) and its recorded events.
#[derive(Debug, Clone, Copy)]
pub struct Day<'a> {
    /// The day's orders.
    pub orders: &'a [Order],
    /// The day's recorded events (indices into `orders`).
    pub events: &'a [Event],
}

/// How days are replayed: the router, the reference time and, with `reject_seed`, dealer
/// rejects drawn from each dealer's acceptance rate (docs/kpis.md, "Seeded dealer rejects").
#[derive(Debug, Clone, Copy)]
pub struct Replay<'a> {
    /// The router of the policy replayed.
    pub router: &'a Router,
    /// The reference time for orders without `created_at`.
    pub now: Timestamp,
    /// The seed of the drawn dealer rejects; `None` draws none.
    pub reject_seed: Option<u64>,
}

/// A day of a multi-day replay refused an event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("day {day}: {source}")]
pub struct DayError {
    /// The day (0-based) whose events were refused.
    pub day: usize,
    /// The refusal.
    #[source]
    pub source: RerouteError,
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
    let replay = Replay {
        router,
        now,
        reject_seed: None,
    };
    replay.day(0, Day { orders, events }, stock)
}

impl Replay<'_> {
    /// Replays day number `day_no` (which salts the drawn rejects) from `stock`.
    ///
    /// # Errors
    ///
    /// A recorded event that does not fit the plan, other than a dealer event never offered.
    pub fn day(
        &self,
        day_no: usize,
        day: Day<'_>,
        stock: &StockTable,
    ) -> Result<ReplayedDay, RerouteError> {
        let (router, orders, now) = (self.router, day.orders, self.now);
        let routed = router.route_sequential(orders, stock, now);
        let recorded = day.events.len();
        // (index in the caller's list, or beyond it for a drawn reject; the event)
        let mut kept: Vec<(usize, Event)> = day.events.iter().copied().enumerate().collect();
        let mut skipped = Vec::new();
        let mut drawn: FxHashSet<(usize, NodeIdx)> = FxHashSet::default();
        let mut drawn_rejects = 0;
        let mut applied = self.apply(&routed, day, stock, &mut kept, &mut skipped)?;
        if let Some(seed) = self.reject_seed {
            // A re-routed order may land on another dealer, who is drawn in turn; every
            // (order, dealer) pair is drawn once, so this ends.
            loop {
                let plan = applied.as_ref().map_or(&routed, |(p, _, _)| p);
                let new = draw_rejects(router, orders, plan, seed, day_no, &mut drawn, now);
                if new.is_empty() {
                    break;
                }
                drawn_rejects += new.len() as u64;
                let next = recorded.max(kept.last().map_or(0, |k| k.0 + 1));
                kept.extend(new.into_iter().enumerate().map(|(i, e)| (next + i, e)));
                applied = self.apply(&routed, day, stock, &mut kept, &mut skipped)?;
            }
        }
        // A drawn reject skipped (its order moved off the dealer first) is not a recorded one.
        let drawn_skipped = skipped.iter().filter(|&&i| i >= recorded).count() as u64;
        skipped.retain(|&i| i < recorded);
        skipped.sort_unstable();
        let (plan, start, reroutes) = applied.unwrap_or_else(|| (routed, stock.clone(), None));
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
            drawn_rejects: drawn_rejects - drawn_skipped,
        })
    }

    /// Replays `days` in order, each from the stock the day before left (the first from
    /// `start`).
    ///
    /// # Errors
    ///
    /// The first day whose recorded events do not fit its plan.
    pub fn days(&self, days: &[Day<'_>], start: &StockTable) -> Result<Vec<ReplayedDay>, DayError> {
        let mut out: Vec<ReplayedDay> = Vec::with_capacity(days.len());
        for (i, &day) in days.iter().enumerate() {
            let stock = out.last().map_or(start, |d| &d.left);
            let replayed = self
                .day(i, day, stock)
                .map_err(|source| DayError { day: i, source })?;
            out.push(replayed);
        }
        Ok(out)
    }

    /// The figures of the replayed `days` added up ([`Kpis::merge`]); each day's stock-outs
    /// avoided against the stock it started from before its events (`start` for the first).
    ///
    /// # Panics
    ///
    /// When `days` is empty.
    pub fn kpis(&self, days: &[Day<'_>], replayed: &[ReplayedDay], start: &StockTable) -> Kpis {
        let mut total: Option<Kpis> = None;
        for (i, (day, r)) in days.iter().zip(replayed).enumerate() {
            let stock = if i == 0 { start } else { &replayed[i - 1].left };
            let kpis = Kpis::compute(&KpiInputs {
                network: self.router.network(),
                orders: day.orders,
                plan: &r.plan,
                policy: self.router.policy(),
                stock,
                now: self.now,
                reroutes: r.reroutes.as_ref(),
            });
            match &mut total {
                None => total = Some(kpis),
                Some(t) => t.merge(&kpis),
            }
        }
        total.expect("at least one day")
    }

    /// Every replayed day's decisions in one plan over the days' orders, in order.
    pub fn plan(days: &[Day<'_>], replayed: &[ReplayedDay]) -> Plan {
        let orders: Vec<Order> = days.iter().flat_map(|d| d.orders.iter().cloned()).collect();
        let decisions = replayed
            .iter()
            .flat_map(|r| r.plan.decisions.iter().cloned())
            .collect();
        Plan::from_decisions(&orders, decisions)
    }

    /// Re-routes `routed` with the `kept` events, dropping (into `skipped`) each dealer event
    /// never offered; `None` when there are no events.
    fn apply(
        &self,
        routed: &Plan,
        day: Day<'_>,
        stock: &StockTable,
        kept: &mut Vec<(usize, Event)>,
        skipped: &mut Vec<usize>,
    ) -> Result<Option<(Plan, StockTable, Option<RerouteCounts>)>, RerouteError> {
        loop {
            if kept.is_empty() && skipped.is_empty() {
                return Ok(None);
            }
            let list: Vec<Event> = kept.iter().map(|&(_, e)| e).collect();
            // A replayed day routes stock on hand only: nothing is promised from incoming stock.
            let stocks = (stock, &IncomingStock::default());
            match reroute_counts(self.router, day.orders, routed, stocks, &list, self.now) {
                Ok((r, counts)) => return Ok(Some((r.plan, r.stock, Some(counts)))),
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
    }
}

fn renumber(e: &RerouteError, event: usize) -> RerouteError {
    match *e {
        RerouteError::NotADealer { order, node, .. } => {
            RerouteError::NotADealer { event, order, node }
        }
        RerouteError::NotOffered { order, node, .. } => {
            RerouteError::NotOffered { event, order, node }
        }
        RerouteError::AlreadyAccepted { order, node, .. } => {
            RerouteError::AlreadyAccepted { event, order, node }
        }
    }
}
