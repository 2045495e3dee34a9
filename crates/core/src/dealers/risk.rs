//! The price of a refusal: what a dealer's shipment costs in expectation because the dealer may
//! reject the offer or let it time out.
//!
//! With `p` the chance of a refusal (one minus the estimated acceptance rate, in parts per
//! million), a refusal costs `reject_cost_cents` (re-routing, the next node's premium) plus the
//! wait, `delay_cost_per_hour_cents` for each hour of the dealer's acceptance timeout. The
//! expected cost, `round_half_up(p × (reject_cost + delay_per_hour × timeout_h))`, is added to
//! every shipment from the dealer, so a cheap dealer who refuses half the time can lose to a
//! dearer node that never does. With both costs 0 (the default policy) it is 0 and ranking is
//! unchanged.

use crate::{limits, DealerRules, Node, NodeKind, MAX_MONEY_CENTS};

/// Seconds `node` has to answer an offer: its own timeout, else the policy's.
pub fn acceptance_timeout_s(node: &Node, rules: &DealerRules) -> u32 {
    node.dealer
        .as_ref()
        .and_then(|d| d.acceptance_timeout_s)
        .unwrap_or(rules.acceptance_timeout_s)
}

/// A refusal's chance in parts per million for an acceptance rate (clamped to [0, 1]; NaN is
/// treated as 0, a dealer who never accepts).
pub fn reject_ppm(acceptance_rate: f64) -> u32 {
    let rate = if acceptance_rate.is_nan() {
        0.0
    } else {
        acceptance_rate.clamp(0.0, 1.0)
    };
    ((1.0 - rate) * 1e6).round() as u32
}

/// `round_half_up(reject_ppm / 10^6 × (reject_cost + delay_per_hour × timeout_s / 3600))`, in
/// cents, with both costs clamped to `0..=MAX_MONEY_CENTS` and the result to the same range.
///
/// ```
/// # use omniroute_core::expected_reject_cents;
/// // Half the offers refused; a refusal costs 1000 plus 15 minutes at 400 an hour.
/// assert_eq!(expected_reject_cents(500_000, 1_000, 400, 900), 550);
/// ```
pub fn expected_reject_cents(
    reject_ppm: u32,
    reject_cost_cents: i64,
    delay_cost_per_hour_cents: i64,
    timeout_s: u32,
) -> i64 {
    let refusal = i128::from(limits::money(reject_cost_cents)) * 3_600
        + i128::from(limits::money(delay_cost_per_hour_cents)) * i128::from(timeout_s);
    let den: i128 = 1_000_000 * 3_600;
    let cents = (i128::from(reject_ppm.min(1_000_000)) * refusal + den / 2) / den;
    i64::try_from(cents).map_or(MAX_MONEY_CENTS, |c| c.min(MAX_MONEY_CENTS))
}

/// The expected cost of a refusal of an offer to `node` under `rules` (0 for a node that is not
/// a dealer), from its `acceptance_rate` or else the prior mean.
pub fn reject_risk_cents(node: &Node, rules: &DealerRules) -> i64 {
    let Some(dealer) = node
        .dealer
        .as_ref()
        .filter(|_| node.kind == NodeKind::Dealer)
    else {
        return 0;
    };
    if rules.reject_cost_cents <= 0 && rules.delay_cost_per_hour_cents <= 0 {
        return 0;
    }
    let rate = rules
        .prior
        .rate(dealer.acceptance_rate, super::AcceptanceCounts::default());
    expected_reject_cents(
        reject_ppm(rate),
        rules.reject_cost_cents,
        rules.delay_cost_per_hour_cents,
        acceptance_timeout_s(node, rules),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DealerTerms, LatLng, Policy};

    fn dealer(rate: Option<f64>, timeout_s: Option<u32>) -> Node {
        let mut n = Node::new("d", NodeKind::Dealer, LatLng::new(0.0, 0.0).unwrap());
        n.dealer = Some(DealerTerms {
            margin_bps: 500,
            territory: None,
            acceptance_timeout_s: timeout_s,
            acceptance_rate: rate,
        });
        n
    }

    #[test]
    fn the_default_policy_prices_no_risk() {
        let rules = Policy::default().dealers;
        assert_eq!(reject_risk_cents(&dealer(Some(0.1), None), &rules), 0);
    }

    #[test]
    fn risk_grows_with_the_refusal_chance_and_the_wait() {
        let mut rules = Policy::default().dealers;
        rules.reject_cost_cents = 2_000;
        rules.delay_cost_per_hour_cents = 1_200;
        // 900 s default timeout: a refusal costs 2000 + 300 = 2300.
        assert_eq!(reject_risk_cents(&dealer(Some(0.5), None), &rules), 1_150);
        assert_eq!(reject_risk_cents(&dealer(Some(1.0), None), &rules), 0);
        // Unknown rate: the prior mean 0.9 → 10 % of 2300.
        assert_eq!(reject_risk_cents(&dealer(None, None), &rules), 230);
        // Its own timeout of an hour: 2000 + 1200, half of it.
        assert_eq!(
            reject_risk_cents(&dealer(Some(0.5), Some(3_600)), &rules),
            1_600
        );
        let store = Node::new("s", NodeKind::Store, LatLng::new(0.0, 0.0).unwrap());
        assert_eq!(reject_risk_cents(&store, &rules), 0);
    }

    #[test]
    fn rounding_and_limits() {
        assert_eq!(expected_reject_cents(1, 500_000, 0, 0), 1, "0.5 rounds up");
        assert_eq!(expected_reject_cents(1, 499_999, 0, 0), 0);
        assert_eq!(
            expected_reject_cents(u32::MAX, i64::MAX, i64::MAX, u32::MAX),
            MAX_MONEY_CENTS
        );
        assert_eq!(expected_reject_cents(1_000_000, -5, -5, 60), 0);
        assert_eq!(reject_ppm(f64::NAN), 1_000_000);
        assert_eq!(reject_ppm(0.75), 250_000);
    }
}
