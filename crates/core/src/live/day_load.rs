//! [`DayLoad`]: the node capacity (`capacity_units`, `capacity_shipments`) the live stock's
//! orders use today, so an order routed through [`super::LiveStock`] sees what the orders reserved
//! before it took, as the orders of a sequential batch do.
//!
//! A reservation's shipments count from reserve; a release or an expiry gives them back, a commit
//! keeps them (they ship today). The day is the UTC date: at the first change of a new day, the
//! commits of earlier days stop counting and only live reservations do. (Per-node local days and
//! per-day capacity rules belong with the routing rules; this is the one place to change.)

use crate::{Decision, Load, NodeIdx, ReservationId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Capacity used today by the live stock's orders.
#[derive(Debug, Default)]
pub(crate) struct DayLoad {
    /// The UTC date `load` counts; `None` before the first reservation.
    day: Option<Date>,
    load: Load,
    /// The shipments `(node, units)` of each live reservation, to give back on release or expiry.
    held: FxHashMap<ReservationId, Vec<(NodeIdx, u32)>>,
}

fn utc_day(now: Timestamp) -> Date {
    TimeZone::UTC.to_datetime(now).date()
}

impl DayLoad {
    /// The load an order routed at `now` sees: today's, or only the live reservations' when the
    /// day has changed since the last change.
    pub(crate) fn at(&self, now: Timestamp) -> Cow<'_, Load> {
        if self.day.is_none_or(|d| d == utc_day(now)) {
            Cow::Borrowed(&self.load)
        } else {
            Cow::Owned(self.held_only())
        }
    }

    fn held_only(&self) -> Load {
        let mut load = Load::default();
        for shipments in self.held.values() {
            for &(node, units) in shipments {
                load.add_shipment(node, units);
            }
        }
        load
    }

    /// Starts the day of `now` if it is a new one.
    fn roll(&mut self, now: Timestamp) {
        let today = utc_day(now);
        if self.day != Some(today) {
            if self.day.is_some() {
                self.load = self.held_only();
            }
            self.day = Some(today);
        }
    }

    /// Counts the shipments of `decision`, reserved under `id` at `now`.
    pub(crate) fn hold(&mut self, id: ReservationId, decision: &Decision, now: Timestamp) {
        self.roll(now);
        let shipments: Vec<(NodeIdx, u32)> = decision
            .shipments
            .iter()
            .map(|s| (s.node, s.units))
            .collect();
        for &(node, units) in &shipments {
            self.load.add_shipment(node, units);
        }
        if !shipments.is_empty() {
            self.held.insert(id, shipments);
        }
    }

    /// Reservation `id` shipped at `now`: its shipments stay counted that day.
    pub(crate) fn commit(&mut self, id: ReservationId, now: Timestamp) {
        self.roll(now);
        self.held.remove(&id);
    }

    /// Reservation `id` was released or expired: its shipments are given back.
    pub(crate) fn free(&mut self, id: ReservationId) {
        if let Some(shipments) = self.held.remove(&id) {
            for (node, units) in shipments {
                self.load.remove_shipment(node, units);
            }
        }
    }
}
