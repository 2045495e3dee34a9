//! [`Epoch`]: every promise group's reach for one level's orders, between two instants.

use super::{group_km, GroupKey, ReachMemo};
use crate::index::{box_chord2, ChordSlack};
use crate::router::candidate::OrderCtx;
use crate::router::policy_router::PolicyRouter;
use jiff::civil::{Date, Time};
use jiff::Timestamp;
use std::sync::Arc;

/// Every promise group's reach for the orders of one level and one `promised_by` created from
/// `from` until (before) `until`: no group's key ([`GroupKey`]) changes in between, as no
/// cut-off, local midnight or offset transition of a group's zone falls there (`from` is the
/// last such instant before the order it was built for, or the first instant its zone's offset
/// was asked for, whichever is later).
#[derive(Debug)]
pub(super) struct Epoch {
    promised_by: Option<Date>,
    from: Timestamp,
    until: Timestamp,
    /// The largest reach of any group (km), `-1` when none can serve.
    reach_km: f64,
    /// Per group, [`Reach::group_chord2`](super::Reach::group_chord2).
    group_chord2: Arc<[f64]>,
    /// The groups that can serve, as (km, group), the furthest first.
    serving: Vec<(f64, u32)>,
}

impl Epoch {
    /// Every group's reach for `ctx`'s order, from the last instant a group's key changed
    /// until the next (the groups' answers come from `memo`'s per-group entries when their key
    /// is the same, and update them).
    pub(super) fn new(memo: &mut ReachMemo, r: &PolicyRouter, ctx: &OrderCtx<'_>) -> Self {
        let order = ctx.order;
        let at = ctx.created_at;
        let level = usize::from(order.service_level.0);
        let profiles = &r.terms.profiles;
        let levels = r.policy.levels.len();
        memo.zones.resize(profiles.len(), None);
        memo.groups.resize(profiles.len() * levels, None);
        let (mut from, mut until) = (Timestamp::MIN, Timestamp::MAX);
        let mut reach_km = -1.0f64;
        let mut serving = Vec::new();
        let group_chord2 = (profiles.iter().enumerate())
            .map(|(i, p)| {
                // The order's local time in the group's zone (a profile's zone is its own
                // index or an earlier one's), and the offset that holds until the zone's
                // next transition.
                let tz = || &r.network.node(p.node).timezone;
                let span = memo.local(p.zone as usize, tz, at);
                let (local, offset) = (span.last.1, span.offset);
                let (known, transition) = (span.from, span.until);
                let after_cutoff = local.time() >= p.cutoff_local;
                // The key changed at the cut-off, or before it at local midnight, and changes
                // at the cut-off, or past it at local midnight, or at the transition, whichever
                // comes first (a boundary out of range: at the order's instant).
                let today = local.date();
                let midnight = |d: Date| d.to_datetime(Time::midnight());
                let (last, next) = if after_cutoff {
                    (
                        Ok(today.to_datetime(p.cutoff_local)),
                        today.tomorrow().map(midnight),
                    )
                } else {
                    (Ok(midnight(today)), Ok(today.to_datetime(p.cutoff_local)))
                };
                let instant = |b: Result<_, jiff::Error>| {
                    b.and_then(|b| offset.to_timestamp(b)).unwrap_or(at)
                };
                from = from.max(instant(last)).max(known);
                until = until
                    .min(instant(next))
                    .min(transition.unwrap_or(Timestamp::MAX));
                let key = GroupKey {
                    date: today,
                    after_cutoff,
                    promised_by: order.promised_by,
                };
                let slot = &mut memo.groups[i * levels + level];
                let (km, chord2) = match slot {
                    Some((k, km, chord2)) if *k == key => (*km, *chord2),
                    _ => {
                        let km = group_km(r, i, local, ctx);
                        let chord2 = if km < 0.0 {
                            -1.0
                        } else {
                            ChordSlack::chord2_upper_bound(km)
                        };
                        *slot = Some((key, km, chord2));
                        (km, chord2)
                    }
                };
                reach_km = reach_km.max(km);
                if km > -1.0 {
                    serving.push((km, i as u32));
                }
                chord2
            })
            .collect();
        serving.sort_by(|a, b| b.0.total_cmp(&a.0));
        Self {
            promised_by: order.promised_by,
            from,
            until,
            reach_km,
            group_chord2,
            serving,
        }
    }

    /// True when an order promised by `promised_by` (of this epoch's level) created at `at`
    /// has this epoch's answers.
    pub(super) fn holds(&self, promised_by: Option<Date>, at: Timestamp) -> bool {
        self.promised_by == promised_by && self.from <= at && at < self.until
    }

    /// The largest reach of any group (km), `-1` when none can serve.
    pub(super) fn reach_km(&self) -> f64 {
        self.reach_km
    }

    /// Per group, the largest squared chord of a destination it can serve, `-1` when none.
    pub(super) fn group_chord2(&self) -> Arc<[f64]> {
        Arc::clone(&self.group_chord2)
    }

    /// [`Reach::near_km`](super::Reach::near_km) for destination `dest` (a unit vector): the
    /// largest reach of a group whose area comes within it (every group's, without the near
    /// groups' limit), `-1` when none.
    pub(super) fn near_km(&self, r: &PolicyRouter, dest: [f64; 3]) -> f64 {
        if !r.limits.near_groups {
            return self.reach_km;
        }
        let profiles = &r.terms.profiles;
        (self.serving.iter())
            .find(|&&(_, i)| {
                let i = i as usize;
                box_chord2(dest, &profiles[i].area) <= self.group_chord2[i]
            })
            .map_or(-1.0, |&(km, _)| km)
    }
}
