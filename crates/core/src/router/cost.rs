//! The cost of a decision, broken down by the terms of DESIGN §3. Every number is cents.

use std::ops::AddAssign;

/// Cost by term, in cents. [`CostBreakdown::total_cents`] is the objective.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CostBreakdown {
    /// Fixed cost per shipment.
    pub fixed_cents: i64,
    /// Distance cost: `round_half_up(per_km × km)` per shipment.
    pub distance_cents: i64,
    /// Per-unit handling.
    pub handling_cents: i64,
    /// Dealer margin on line value.
    pub margin_cents: i64,
    /// Node priority priced by the policy.
    pub priority_cents: i64,
    /// Penalty for every shipment after the first.
    pub split_penalty_cents: i64,
    /// Lateness (soft SLA only).
    pub lateness_cents: i64,
    /// Unfilled units.
    pub unfilled_cents: i64,
}

impl CostBreakdown {
    /// The objective: the sum of every term.
    pub fn total_cents(&self) -> i64 {
        self.fixed_cents
            + self.distance_cents
            + self.handling_cents
            + self.margin_cents
            + self.priority_cents
            + self.split_penalty_cents
            + self.lateness_cents
            + self.unfilled_cents
    }
}

impl AddAssign for CostBreakdown {
    fn add_assign(&mut self, o: Self) {
        self.fixed_cents += o.fixed_cents;
        self.distance_cents += o.distance_cents;
        self.handling_cents += o.handling_cents;
        self.margin_cents += o.margin_cents;
        self.priority_cents += o.priority_cents;
        self.split_penalty_cents += o.split_penalty_cents;
        self.lateness_cents += o.lateness_cents;
        self.unfilled_cents += o.unfilled_cents;
    }
}

/// `round_half_up(per_km_cents × km)`, the distance term of one shipment.
pub fn distance_cents(per_km_cents: f64, distance_km: f64) -> i64 {
    (per_km_cents * distance_km + 0.5).floor() as i64
}

/// Dealer margin on one line: `round_half_up(margin_bps × value / 10000)`.
pub fn margin_cents(margin_bps: u32, value_cents: i64) -> i64 {
    (i64::from(margin_bps) * value_cents + 5_000).div_euclid(10_000)
}
