//! The acceptance-rate estimator: a Beta prior updated by observed outcomes.
//!
//! A dealer's chance of accepting an offer is estimated as the mean of a Beta posterior:
//! with prior mean `m` and prior weight `s` (pseudo-offers), after `a` accepts and `r`
//! refusals (rejects and time-outs), `rate = (m·s + a) / (s + a + r)`. The default prior,
//! Beta(9, 1), says "a dealer accepts nine offers in ten until shown otherwise", worth ten
//! offers: one reject moves a new dealer from 0.90 to 0.82, not to 0. A dealer's own
//! `acceptance_rate` (nodes.csv) replaces the prior mean, keeping the prior's weight.

/// The Beta prior of an acceptance rate, as pseudo-counts: `accepts` accepted and `rejects`
/// refused offers seen before any real one. `accepts + rejects` is its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptancePrior {
    /// Pseudo-offers accepted (Beta α).
    pub accepts: u32,
    /// Pseudo-offers refused (Beta β).
    pub rejects: u32,
}

impl Default for AcceptancePrior {
    /// Beta(9, 1): mean 0.9, weight 10 offers.
    fn default() -> Self {
        Self {
            accepts: 9,
            rejects: 1,
        }
    }
}

/// Offers a dealer answered: accepted, or refused (rejected or timed out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AcceptanceCounts {
    /// Offers accepted.
    pub accepted: u32,
    /// Offers rejected or timed out.
    pub refused: u32,
}

impl AcceptancePrior {
    /// Pseudo-offers the prior is worth.
    pub fn weight(self) -> f64 {
        f64::from(self.accepts) + f64::from(self.rejects)
    }

    /// The prior mean `α / (α + β)` (1 for a prior of weight 0: nothing is known to be refused).
    pub fn mean(self) -> f64 {
        if self.weight() == 0.0 {
            1.0
        } else {
            f64::from(self.accepts) / self.weight()
        }
    }

    /// The estimated acceptance rate after `seen`, starting from `known_rate` (a dealer's own
    /// observed rate, clamped to [0, 1]; `None` or NaN: the prior mean) with the prior's weight.
    ///
    /// ```
    /// # use omniroute_core::{AcceptanceCounts, AcceptancePrior};
    /// let prior = AcceptancePrior::default();
    /// let one_reject = AcceptanceCounts { accepted: 0, refused: 1 };
    /// assert!((prior.rate(None, one_reject) - 9.0 / 11.0).abs() < 1e-12);
    /// ```
    pub fn rate(self, known_rate: Option<f64>, seen: AcceptanceCounts) -> f64 {
        let mean = known_rate
            .filter(|r| !r.is_nan())
            .map_or(self.mean(), |r| r.clamp(0.0, 1.0));
        let offers = self.weight() + f64::from(seen.accepted) + f64::from(seen.refused);
        if offers == 0.0 {
            return mean;
        }
        (mean * self.weight() + f64::from(seen.accepted)) / offers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(accepted: u32, refused: u32) -> AcceptanceCounts {
        AcceptanceCounts { accepted, refused }
    }

    #[test]
    fn a_new_dealer_is_not_punished_by_one_reject() {
        let prior = AcceptancePrior::default();
        assert!((prior.rate(None, seen(0, 0)) - 0.9).abs() < 1e-12);
        let after = prior.rate(None, seen(0, 1));
        assert!((after - 9.0 / 11.0).abs() < 1e-12, "{after}");
        assert!(after > 0.8);
    }

    #[test]
    fn the_estimate_follows_the_evidence() {
        let prior = AcceptancePrior::default();
        // 100 offers, half refused: the estimate nears one half.
        let r = prior.rate(None, seen(50, 50));
        assert!((r - 59.0 / 110.0).abs() < 1e-12, "{r}");
        // A known rate replaces the prior mean with the prior's weight.
        let r = prior.rate(Some(0.5), seen(10, 0));
        assert!((r - 15.0 / 20.0).abs() < 1e-12, "{r}");
        assert!((prior.rate(Some(7.0), seen(0, 0)) - 1.0).abs() < 1e-12);
        assert!((prior.rate(Some(f64::NAN), seen(0, 0)) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn a_weightless_prior_is_the_observed_share() {
        let none = AcceptancePrior {
            accepts: 0,
            rejects: 0,
        };
        assert!((none.rate(None, seen(0, 0)) - 1.0).abs() < 1e-12);
        assert!((none.rate(None, seen(3, 1)) - 0.75).abs() < 1e-12);
        assert!((none.rate(Some(0.2), seen(0, 0)) - 0.2).abs() < 1e-12);
    }
}
