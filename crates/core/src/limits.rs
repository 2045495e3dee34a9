//! Input limits: the largest money, distance-cost, margin, priority and quantity values omniroute
//! accepts. The readers reject values beyond them (`E1009`, `E2014`; docs/errors.md). They are
//! chosen so that no cost the router adds up for one order can reach `i64::MAX / 4` (the router's
//! "infeasible"): at most 255 shipments, each below 7.4 × 10^15 cents (fixed, distance over half
//! the earth, priority, split penalty, and lateness over the 7,304,850 days of the calendar),
//! plus handling, margin and unfilled cost below 3 × 10^17 over at most [`MAX_ORDER_UNITS`] units.
//!
//! A caller of the Rust API who builds inputs by hand is held to the same limits: the router
//! clamps node and policy terms to them (so [`check`](crate::check), which prices the raw terms
//! in 128-bit integers, reports the difference), and [`Router::route`](crate::Router::route)
//! panics on an order beyond [`order_within_limits`].

use crate::Order;

/// The largest amount of money in any one input field, in cents (10,000,000.00): fixed and
/// per-unit costs, unit prices, unfilled, split, lateness and priority-step costs.
pub const MAX_MONEY_CENTS: i64 = 1_000_000_000;

/// The largest cost per km, in cents (10,000.00 per km).
pub const MAX_PER_KM_CENTS: f64 = 1_000_000.0;

/// The largest dealer margin, in basis points (100 %).
pub const MAX_MARGIN_BPS: u32 = 10_000;

/// The largest node priority either way (`-MAX_PRIORITY..=MAX_PRIORITY`).
pub const MAX_PRIORITY: i32 = 10_000;

/// The most units one order may ask for, over all its lines.
pub const MAX_ORDER_UNITS: u64 = 100_000_000;

/// `cents` clamped to `0..=MAX_MONEY_CENTS`.
pub(crate) fn money(cents: i64) -> i64 {
    cents.clamp(0, MAX_MONEY_CENTS)
}

/// `cents` per km clamped to `0..=MAX_PER_KM_CENTS` (NaN to the limit).
pub(crate) fn per_km(cents: f64) -> f64 {
    if cents.is_nan() {
        MAX_PER_KM_CENTS
    } else {
        cents.clamp(0.0, MAX_PER_KM_CENTS)
    }
}

/// `priority` clamped to `-MAX_PRIORITY..=MAX_PRIORITY`.
pub(crate) fn priority(priority: i32) -> i32 {
    priority.clamp(-MAX_PRIORITY, MAX_PRIORITY)
}

/// True when `order` asks for at most [`MAX_ORDER_UNITS`] units and every unit price lies in
/// `0..=MAX_MONEY_CENTS`: what the orders reader accepts.
pub fn order_within_limits(order: &Order) -> bool {
    order.units() <= MAX_ORDER_UNITS
        && order.lines.iter().all(|l| {
            l.unit_price_cents
                .is_none_or(|p| (0..=MAX_MONEY_CENTS).contains(&p))
        })
}

#[cfg(test)]
mod tests;
