//! [`Reach`]: how far any node can serve an order (the level's reach and, for a hard deadline,
//! the transit that still meets it from each group of nodes that promise alike).
//!
//! A group's reach is a function of the order's local date in the group's zone, which side of
//! the group's cut-off its local time falls on, its level and its `promised_by`; consecutive
//! orders mostly share them, so [`ReachMemo`] keeps, per level, every group's answer together
//! with the instants between which none of them changes ([`Epoch`]: between the last and the
//! next cut-off, local midnight or offset transition in any group's zone; the last few per
//! level), and each group's last answer with its key and each zone's UTC offset between its
//! transitions, to build the next one.

mod epoch;

use super::candidate::OrderCtx;
use super::policy_router::PolicyRouter;
use crate::index::ChordSlack;
use epoch::Epoch;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use std::sync::Arc;

/// See the module docs.
pub(super) struct Reach {
    /// No node further than this (km) can serve the order; `-1` when none can meet its deadline.
    pub limit_km: f64,
    /// Per promise group, the largest squared chord (as the index computes it) of a destination
    /// it can serve by a hard deadline, `-1` when none (`None` without a hard deadline; shared
    /// with the orders of the same [`Epoch`]).
    group_chord2: Option<Arc<[f64]>>,
    /// No node further than this (km) can serve the order either: for a hard deadline, the
    /// largest reach of a group whose area ([`Profile::area`](super::terms::Profile)) comes
    /// within it, else [`Reach::limit_km`]. Test 1 stays on [`Reach::limit_km`]; this one stops
    /// the first phase once it has weighed a node, and bounds the floors' reading (`full.rs`,
    /// `floors.rs`).
    pub near_km: f64,
}

impl Reach {
    /// No limit (an order without lines).
    pub(super) fn unlimited() -> Self {
        Self {
            limit_km: f64::INFINITY,
            group_chord2: None,
            near_km: f64::INFINITY,
        }
    }

    /// [`Reach::limit_km`] as a squared chord (as the index computes them, see
    /// [`ChordSlack::chord2_upper_bound`]): `-1` when no node can serve the order, infinite
    /// without a limit.
    pub(super) fn limit_chord2(&self) -> f64 {
        ChordSlack::chord2_at_most_km(self.limit_km)
    }

    /// [`Reach::near_km`] as a squared chord (as [`Reach::limit_chord2`]).
    pub(super) fn near_chord2(&self) -> f64 {
        ChordSlack::chord2_at_most_km(self.near_km)
    }

    /// Per promise group, the largest squared chord of a destination it can serve by a hard
    /// deadline, `-1` when none; empty without a hard deadline.
    pub(super) fn group_chord2(&self) -> &[f64] {
        self.group_chord2.as_deref().unwrap_or(&[])
    }

    /// The level's reach limit and, for a hard deadline, the furthest distance whose transit
    /// still meets it from some group of nodes that promise alike (zone, cut-off, handling,
    /// calendar), and each group's own limit.
    pub(super) fn of(r: &PolicyRouter, ctx: &OrderCtx<'_>) -> Self {
        let order = ctx.order;
        let level = usize::from(order.service_level.0);
        let terms = r.policy.level(order.service_level);
        let limit = r.terms.max_reach_km[level];
        if ctx.terms.sla != crate::Sla::Hard
            || (order.promised_by.is_none() && terms.deadline_days.is_none())
        {
            return Self {
                limit_km: limit,
                group_chord2: None,
                near_km: limit,
            };
        }
        // Another thread holding the memo: answer without it (the same values).
        let mut held = r.reach_memo.slot().try_lock();
        let mut own = ReachMemo::default();
        let memo = held.as_deref_mut().unwrap_or(&mut own);
        memo.epochs.resize_with(r.policy.levels.len(), Vec::new);
        let at = ctx.created_at;
        let found = memo.epochs[level]
            .iter()
            .position(|e| e.holds(order.promised_by, at));
        let k = found.unwrap_or_else(|| {
            let epoch = Epoch::new(memo, r, ctx);
            let kept = &mut memo.epochs[level];
            if kept.len() == EPOCHS_KEPT {
                kept.remove(0);
            }
            kept.push(epoch);
            kept.len() - 1
        });
        let epoch = &memo.epochs[level][k];
        Self {
            limit_km: epoch.reach_km().min(limit),
            group_chord2: Some(epoch.group_chord2()),
            near_km: epoch.near_km(r, order.destination.unit_vector()).min(limit),
        }
    }
}

/// The furthest distance (km) whose transit meets the order's hard deadline from group `i`, for
/// an order at `local` time in the group's zone; `-1` when none does.
fn group_km(r: &PolicyRouter, i: usize, local: DateTime, ctx: &OrderCtx<'_>) -> f64 {
    let order = ctx.order;
    let level = usize::from(order.service_level.0);
    let terms = r.policy.level(order.service_level);
    let p = &r.terms.profiles[i];
    let node = r.network.node(p.node);
    if p.max_reach_km[level] <= 0.0 {
        return -1.0;
    }
    let pn = crate::PromiseNode {
        timezone: &node.timezone,
        cutoff_local: p.cutoff_local,
        handling_days: p.handling_days,
        calendar: &node.calendar,
    };
    let Some(promise) = crate::promise::promise_local(&pn, local, 0) else {
        return -1.0;
    };
    let deadline = order.promised_by.or_else(|| {
        terms
            .deadline_days
            .map(|d| local.date() + jiff::Span::new().days(i64::from(d)))
    });
    let Some(deadline) = deadline else {
        return -1.0;
    };
    let slack = (deadline - promise.ships_on).get_days();
    let feasible_km = terms
        .transit
        .iter()
        .filter(|b| i64::from(b.days) <= i64::from(slack))
        .map(|b| b.max_km)
        .fold(-1.0, f64::max);
    p.max_reach_km[level].min(feasible_km)
}

/// What a group's reach depends on besides its own terms and the level (see the module docs).
#[derive(Debug, Clone, PartialEq)]
struct GroupKey {
    date: Date,
    after_cutoff: bool,
    promised_by: Option<Date>,
}

/// A zone's UTC offset at every instant from `from` until (before) `until`: no transition
/// falls between; and the last instant asked with its local time (the zone's other groups ask
/// it again).
#[derive(Debug, Clone)]
struct ZoneSpan {
    from: Timestamp,
    until: Option<Timestamp>,
    offset: Offset,
    last: (Timestamp, DateTime),
}

/// Epochs kept per level: orders of a day met out of their order (a re-route, a batch cycled
/// through) find theirs among the day's last few.
const EPOCHS_KEPT: usize = 8;

/// The answers [`Reach::of`] keeps across orders (see the module docs).
#[derive(Debug, Default)]
pub(super) struct ReachMemo {
    /// Per level: the last [`EPOCHS_KEPT`] epochs built, the oldest first.
    epochs: Vec<Vec<Epoch>>,
    /// Per zone (by the index of its first profile).
    zones: Vec<Option<ZoneSpan>>,
    /// Per profile and level (`profile * levels + level`): the last key, km and squared chord.
    groups: Vec<Option<(GroupKey, f64, f64)>>,
}

impl ReachMemo {
    /// The span of zone `zone`'s offset (`tz`'s) that holds `at`, its `last` set to `at` and
    /// `at`'s local time (as `tz.to_datetime(at)`).
    fn local<'t>(
        &mut self,
        zone: usize,
        tz: impl FnOnce() -> &'t TimeZone,
        at: Timestamp,
    ) -> &ZoneSpan {
        let span = &mut self.zones[zone];
        let known = span
            .as_ref()
            .is_some_and(|s| s.from <= at && s.until.is_none_or(|u| at < u));
        if !known {
            let tz = tz(); // a node's record, read only when the span is not known
            let offset = tz.to_offset(at);
            // Since the last transition (strictly before `at`), when it set this offset.
            let from = match tz.preceding(at).next() {
                None => Timestamp::MIN,
                Some(t) if t.offset() == offset => t.timestamp(),
                Some(_) => at,
            };
            *span = Some(ZoneSpan {
                from,
                until: tz.following(at).next().map(|t| t.timestamp()),
                offset,
                last: (at, offset.to_datetime(at)),
            });
        }
        let span = span.as_mut().expect("set above");
        if span.last.0 != at {
            span.last = (at, span.offset.to_datetime(at));
        }
        span
    }
}

/// The router's [`ReachMemo`]s: one per rayon thread (and one for threads outside a pool), so
/// the threads of a parallel batch do not find each other's memo busy and compute without one.
/// A thread whose slot is held (a pool larger than the global one) answers without a memo, with
/// the same values. A clone starts empty.
#[derive(Debug)]
pub(super) struct ReachCell(Box<[parking_lot::Mutex<ReachMemo>]>);

impl ReachCell {
    /// This thread's memo.
    fn slot(&self) -> &parking_lot::Mutex<ReachMemo> {
        let last = self.0.len() - 1;
        &self.0[rayon::current_thread_index().map_or(0, |i| (i + 1).min(last))]
    }
}

impl Default for ReachCell {
    fn default() -> Self {
        Self(
            (0..=rayon::current_num_threads())
                .map(|_| parking_lot::Mutex::default())
                .collect(),
        )
    }
}

impl Clone for ReachCell {
    fn clone(&self) -> Self {
        Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::ReachMemo;
    use jiff::tz::TimeZone;
    use jiff::{Timestamp, ToSpan};

    /// The memo's local time is the zone's, across a DST transition, whichever way the orders go
    /// (30-minute steps over 2026-03-08 in New York, forwards then backwards, and a jump back).
    #[test]
    fn local_time_follows_the_zone_across_transitions() {
        let tz = TimeZone::get("America/New_York").expect("a bundled zone");
        let start: Timestamp = "2026-03-07T20:00:00Z".parse().expect("an instant");
        let steps: Vec<Timestamp> = (0..48)
            .map(|i| start.checked_add((30 * i).minutes()).expect("in range"))
            .collect();
        let mut memo = ReachMemo {
            epochs: Vec::new(),
            zones: vec![None],
            groups: Vec::new(),
        };
        let order = steps.iter().chain(steps.iter().rev()).chain([&steps[3]]);
        for &at in order {
            assert_eq!(
                memo.local(0, || &tz, at).last.1,
                tz.to_datetime(at),
                "at {at}"
            );
        }
    }
}
