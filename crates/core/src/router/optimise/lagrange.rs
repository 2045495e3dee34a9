//! Optimise mode's bound: subgradient optimisation of the Lagrangian dual of stock and capacity,
//! with the priced router as the pricing step.

use super::model::{uses_of, Resource};
use super::progress::{OptimisePhase, Reporter};
use super::same_shipments;
use crate::router::{Decision, Load, Prices, Router, StockTable};
use crate::Order;
use jiff::Timestamp;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::time::Instant;

/// What the pricing rounds may use.
pub(super) struct Pricing {
    /// Cost of a known plan (the step target).
    pub upper_cents: i64,
    /// No round starts after this instant.
    pub deadline: Option<Instant>,
    /// Rounds at most (a run with an iteration limit).
    pub max_rounds: Option<usize>,
}

impl Router {
    /// Every order routed alone against `stock` under `prices`; one under node groups within
    /// the group its unpriced decision (`decided`) took, or that decision when no priced one
    /// there meets the group's condition.
    fn priced_round(
        &self,
        orders: &[Order],
        decided: &[Option<Decision>],
        stock: &StockTable,
        now: Timestamp,
        prices: &Prices,
    ) -> Vec<Decision> {
        let empty = Load::default();
        orders
            .par_iter()
            .zip(decided)
            .map(|(o, decided)| match decided {
                None => self.route_priced(o, stock, &empty, now, Some(prices)),
                Some(d) => self
                    .route_within(o, stock, &empty, now, Some(prices), d.group.as_ref())
                    .unwrap_or_else(|| d.clone()),
            })
            .collect()
    }

    /// Each order is routed alone against the starting stock with prices on what it uses. Every
    /// priced decision joins the order's options, and the best dual value is returned: a lower
    /// bound on any plan's cost, valid for any prices ≥ 0 because each order's priced decision is
    /// its exact priced optimum (orders beyond the exact line limit or under node groups count
    /// their floor, `Router::floor_cents`). Stops after `max_rounds` rounds (when given), at the
    /// deadline, or when the priced decisions fit together.
    pub(super) fn lagrangian(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        options: &mut [Vec<Decision>],
        limits: &Pricing,
        report: &Reporter<'_>,
    ) -> i64 {
        let started = Instant::now();
        let empty = Load::default();
        let mut lambda: FxHashMap<Resource, f64> = FxHashMap::default();
        let mut best = i64::MIN;
        let mut theta = 0.05;
        let mut stalled = 0;
        // Orders beyond the exact line limit count their floor (prices ≥ 0 only add to it), and
        // so do orders under node groups: a group's decision is not the least over every node.
        let floors: Vec<Option<i64>> = orders
            .iter()
            .map(|o| {
                (o.lines.len() > crate::router::EXACT_MAX_LINES || self.by_groups(o, now))
                    .then(|| self.floor_cents(o, stock, &empty, now))
            })
            .collect();
        // The group each order under node groups takes against the starting stock: its priced
        // decisions stay within it (`Router::route_within`), else it keeps that decision.
        let decided: Vec<Option<Decision>> = orders
            .iter()
            .map(|o| {
                self.by_groups(o, now)
                    .then(|| self.route(o, stock, &empty, now))
            })
            .collect();
        for round in 0.. {
            let by_time = limits.deadline.map(|d| {
                let budget = d.saturating_duration_since(started).as_secs_f64();
                started.elapsed().as_secs_f64() / budget.max(1e-9)
            });
            let by_rounds = limits.max_rounds.map(|m| round as f64 / m.max(1) as f64);
            report.phase(
                OptimisePhase::Pricing,
                by_time.unwrap_or(0.0).max(by_rounds.unwrap_or(0.0)),
            );
            if limits.max_rounds.is_some_and(|m| round >= m) || by_time.is_some_and(|f| f >= 1.0) {
                break;
            }
            let prices = to_prices(&lambda);
            let decisions = self.priced_round(orders, &decided, stock, now, &prices);
            let mut value = 0i64;
            let mut used: FxHashMap<Resource, i64> = FxHashMap::default();
            for ((order, d), floor) in orders.iter().zip(&decisions).zip(&floors) {
                value = value.saturating_add(match floor {
                    None => d.cost_cents().saturating_add(prices.of(order, d)),
                    Some(floor) => *floor,
                });
                for (r, amount) in uses_of(order, d) {
                    *used.entry(r).or_insert(0) += amount;
                }
            }
            let cap = |r: Resource| self.capacity(stock, r);
            value = lambda
                .keys()
                .map(|&r| price_of(&prices, r).saturating_mul(cap(r).unwrap_or(0)))
                .fold(value, i64::saturating_sub);
            if value > best {
                best = value;
                stalled = 0;
                report.bound(best);
            } else {
                stalled += 1;
                if stalled >= 2 {
                    theta /= 2.0;
                    stalled = 0;
                }
            }
            for (d, list) in decisions.into_iter().zip(options.iter_mut()) {
                if !list.iter().any(|u| same_shipments(u, &d)) {
                    list.push(d);
                }
            }
            // Subgradient: use − capacity on every resource with a capacity that is over-used or
            // already priced.
            let mut grad: Vec<(Resource, f64)> = Vec::new();
            for (&r, &u) in &used {
                if let Some(c) = cap(r) {
                    if u > c || lambda.contains_key(&r) {
                        grad.push((r, (u - c) as f64));
                    }
                }
            }
            for &r in lambda.keys() {
                if !used.contains_key(&r) {
                    grad.push((r, -(cap(r).unwrap_or(0) as f64)));
                }
            }
            let norm: f64 = grad.iter().map(|(_, g)| g * g).sum();
            if norm == 0.0 {
                break; // the priced decisions fit together: the bound is the optimum
            }
            let step = theta * (limits.upper_cents - value).max(1) as f64 / norm;
            for (r, g) in grad {
                let l = lambda.entry(r).or_insert(0.0);
                *l = (*l + step * g).max(0.0);
            }
            lambda.retain(|_, l| *l > 0.0);
        }
        best
    }
}

/// The multipliers in whole cents, each at most [`crate::MAX_MONEY_CENTS`] (any non-negative
/// prices give a valid bound; capped ones keep every priced cost far from overflowing).
fn to_prices(lambda: &FxHashMap<Resource, f64>) -> Prices {
    let mut p = Prices::default();
    for (&r, &l) in lambda {
        let cents = (l.round() as i64).min(crate::MAX_MONEY_CENTS);
        if cents <= 0 {
            continue;
        }
        match r {
            Resource::Stock(n, s) => {
                p.stock.insert((n, s), cents);
            }
            Resource::Units(n) => {
                p.units.insert(n, cents);
            }
            Resource::Shipments(n) => {
                p.shipments.insert(n, cents);
            }
        }
    }
    p
}

fn price_of(p: &Prices, r: Resource) -> i64 {
    match r {
        Resource::Stock(n, s) => p.stock.get(&(n, s)).copied().unwrap_or(0),
        Resource::Units(n) => p.units.get(&n).copied().unwrap_or(0),
        Resource::Shipments(n) => p.shipments.get(&n).copied().unwrap_or(0),
    }
}
