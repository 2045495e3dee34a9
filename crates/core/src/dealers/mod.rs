//! Dealers as fulfilment nodes (docs/design.md §6): a dealer assignment is an [`Offer`] the
//! dealer accepts or refuses; [`OrderOffers`] follows one order through its offers (who refused
//! it, when it goes to review), [`DealerBook`] follows each dealer (observed outcomes, cool-down),
//! [`AcceptancePrior`] is the documented estimator of a dealer's acceptance rate, and
//! [`reject_risk_cents`] is what the router adds to a dealer's shipment for the chance of a
//! refusal, [`in_territory`] and [`outside_territory_cents`] apply territories. Everything is pure: time is a parameter.

mod book;
mod estimate;
pub(crate) mod offer;
mod risk;
mod territory;

pub use book::{DealerBook, OfferOutcomes, OrderOffers, Standing};
pub use estimate::{AcceptanceCounts, AcceptancePrior};
pub use offer::{Offer, OfferError, OfferId, OfferState, RejectReason};
pub use risk::{acceptance_timeout_s, expected_reject_cents, reject_ppm, reject_risk_cents};
pub use territory::{in_territory, outside_territory_cents};
