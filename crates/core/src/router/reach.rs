//! [`Reach`]: how far any node can serve an order (the level's reach and, for a hard deadline,
//! the transit that still meets it from each group of nodes that promise alike).

use super::candidate::OrderCtx;
use super::policy_router::PolicyRouter;
use crate::index::ChordSlack;

/// See the module docs.
pub(super) struct Reach {
    /// No node further than this (km) can serve the order; `-1` when none can meet its deadline.
    pub limit_km: f64,
    /// Per promise group, the largest squared chord (as the index computes it) of a destination
    /// it can serve by a hard deadline, `-1` when none (empty without a hard deadline).
    pub group_chord2: Vec<f64>,
}

impl Reach {
    /// No limit (an order without lines).
    pub(super) fn unlimited() -> Self {
        Self {
            limit_km: f64::INFINITY,
            group_chord2: Vec::new(),
        }
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
                group_chord2: Vec::new(),
            };
        }
        // The order's local time in each zone, converted once per zone (a profile's zone is
        // its own index or an earlier one's).
        let mut local = Vec::with_capacity(r.terms.profiles.len());
        let groups: Vec<f64> = r
            .terms
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let node = r.network.node(p.node);
                let zone = p.zone as usize;
                local.push(if zone == i {
                    node.timezone.to_datetime(ctx.created_at)
                } else {
                    local[zone]
                });
                if p.max_reach_km[level] <= 0.0 {
                    return -1.0;
                }
                let pn = crate::PromiseNode {
                    timezone: &node.timezone,
                    cutoff_local: p.cutoff_local,
                    handling_days: p.handling_days,
                    calendar: &node.calendar,
                };
                let Some(promise) = crate::promise::promise_local(&pn, local[i], 0) else {
                    return -1.0;
                };
                let deadline = order.promised_by.or_else(|| {
                    terms
                        .deadline_days
                        .map(|d| local[i].date() + jiff::Span::new().days(i64::from(d)))
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
            })
            .collect();
        let reach = groups.iter().copied().fold(-1.0f64, f64::max);
        Self {
            limit_km: reach.min(limit),
            group_chord2: groups
                .iter()
                .map(|&km| {
                    if km < 0.0 {
                        -1.0
                    } else {
                        ChordSlack::chord2_upper_bound(km)
                    }
                })
                .collect(),
        }
    }
}
