//! The cost of a decision, broken down by the terms of docs/design.md §3. Every number is cents.
//! Sums and products saturate: within the input limits ([`crate::MAX_MONEY_CENTS`] and the rest)
//! nothing comes near `i64::MAX`, and beyond them a cost sticks at the top instead of wrapping
//! round to a negative one.

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
    /// Expected cost of a dealer refusing the offer (`crate::reject_risk_cents`).
    pub reject_risk_cents: i64,
    /// A dealer shipping outside its preferred territory (`crate::outside_territory_cents`).
    pub outside_territory_cents: i64,
    /// Inventory balance: units taken below a position's low-stock level ([`crate::Balance`]).
    pub balance_cents: i64,
}

impl CostBreakdown {
    /// The objective: the sum of every term (saturating).
    pub fn total_cents(&self) -> i64 {
        [
            self.distance_cents,
            self.handling_cents,
            self.margin_cents,
            self.priority_cents,
            self.split_penalty_cents,
            self.lateness_cents,
            self.unfilled_cents,
            self.reject_risk_cents,
            self.outside_territory_cents,
            self.balance_cents,
        ]
        .into_iter()
        .fold(self.fixed_cents, i64::saturating_add)
    }
}

impl AddAssign for CostBreakdown {
    fn add_assign(&mut self, o: Self) {
        self.fixed_cents = self.fixed_cents.saturating_add(o.fixed_cents);
        self.distance_cents = self.distance_cents.saturating_add(o.distance_cents);
        self.handling_cents = self.handling_cents.saturating_add(o.handling_cents);
        self.margin_cents = self.margin_cents.saturating_add(o.margin_cents);
        self.priority_cents = self.priority_cents.saturating_add(o.priority_cents);
        self.split_penalty_cents = self
            .split_penalty_cents
            .saturating_add(o.split_penalty_cents);
        self.lateness_cents = self.lateness_cents.saturating_add(o.lateness_cents);
        self.unfilled_cents = self.unfilled_cents.saturating_add(o.unfilled_cents);
        self.reject_risk_cents = self.reject_risk_cents.saturating_add(o.reject_risk_cents);
        self.outside_territory_cents = self
            .outside_territory_cents
            .saturating_add(o.outside_territory_cents);
        self.balance_cents = self.balance_cents.saturating_add(o.balance_cents);
    }
}

/// `round_half_up(per_km_cents × km)`, the distance term of one shipment (saturating; NaN is 0).
pub fn distance_cents(per_km_cents: f64, distance_km: f64) -> i64 {
    (per_km_cents * distance_km + 0.5).floor() as i64
}

/// Dealer margin on one line: `round_half_up(margin_bps × value / 10000)` (saturating).
pub fn margin_cents(margin_bps: u32, value_cents: i64) -> i64 {
    // In i64 when it fits (the hot path of pricing a line); in i128 otherwise.
    if let Some(v) = i64::from(margin_bps)
        .checked_mul(value_cents)
        .and_then(|v| v.checked_add(5_000))
    {
        return v.div_euclid(10_000);
    }
    let exact = (i128::from(margin_bps) * i128::from(value_cents) + 5_000).div_euclid(10_000);
    i64::try_from(exact).unwrap_or(if exact < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_products_saturate_instead_of_wrapping() {
        let dear = CostBreakdown {
            fixed_cents: i64::MAX,
            distance_cents: distance_cents(1e308, 10.0),
            handling_cents: 5,
            ..CostBreakdown::default()
        };
        assert_eq!(dear.distance_cents, i64::MAX);
        assert_eq!(dear.total_cents(), i64::MAX);
        let mut sum = dear;
        sum += dear;
        assert_eq!(sum.fixed_cents, i64::MAX);
        assert_eq!(margin_cents(10_000, i64::MAX), i64::MAX);
        assert_eq!(margin_cents(800, i64::MAX / 2), 368_934_881_474_191_032);
        assert_eq!(margin_cents(800, 12_345), 988, "987.6 rounds half up");
    }
}
