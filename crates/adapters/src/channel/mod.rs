//! The dealer channel (docs/design.md §6): how offers reach dealers and their answers come back.
//!
//! [`Channel`] sends one [`Message`] to a dealer; [`whatsapp`] implements it on the WhatsApp
//! Cloud API and parses its webhooks. The brand owns the customer: an [`OfferMessage`] carries
//! the lines, the delivery area, the promise and the margin, never the customer; the
//! [`Customer`]'s name, phone and address go out only in [`Message::Customer`], after an accept,
//! and its `Debug` shows none of them. Codes `E4020`–`E4049` (docs/errors.md).

mod contacts;
pub mod whatsapp;

pub use contacts::{read_contacts, Contacts};

use jiff::civil::Date;
use jiff::Timestamp;
use omniroute_core::codes::ChannelCode;
use omniroute_core::OfferId;
use std::fmt;
use std::future::Future;

/// The code of a `whatsapp` cell that is not an E.164 number.
pub(crate) const BAD_PHONE: &str = ChannelCode::BadPhone.id();
/// What to do about it.
pub(crate) const PHONE_HINT: &str = ChannelCode::BadPhone.hint();

/// True for an E.164 number: `+`, a non-zero digit, then 6 to 14 more digits.
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// One line of an offer as the dealer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferLine {
    /// The SKU.
    pub sku: String,
    /// Units.
    pub qty: u32,
}

/// What a dealer is offered: enough to decide, nothing about the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferMessage {
    /// The offer (its id is in the reply buttons).
    pub offer: OfferId,
    /// The order's id.
    pub order_id: String,
    /// The lines the dealer would ship.
    pub lines: Vec<OfferLine>,
    /// The delivery area (locality or postcode: `dest_area`), if known.
    pub area: Option<String>,
    /// The promised delivery date.
    pub promised_date: Date,
    /// What the dealer earns, in cents.
    pub margin_cents: i64,
    /// Answer before this instant.
    pub deadline: Timestamp,
}

/// The customer's details, sent to a dealer only after it accepts. `Debug` hides them.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Customer {
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Delivery address.
    pub address: String,
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Customer(<hidden>)")
    }
}

/// A message to a dealer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// An offer with Accept / Reject buttons.
    Offer(OfferMessage),
    /// The customer's details for an accepted offer.
    Customer {
        /// The accepted offer.
        offer: OfferId,
        /// The order.
        order_id: String,
        /// Who and where.
        customer: Customer,
    },
}

/// What a dealer answered, from its button's id (`offer:<id>:<action>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Accept.
    Accept,
    /// Reject.
    Reject,
    /// "Call me": the dealer wants to talk before answering (the offer stays open).
    CallMe,
}

impl Action {
    /// The action's word in button ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::CallMe => "call",
        }
    }
}

/// The id of the button that answers `offer` with `action`.
pub fn button_id(offer: OfferId, action: Action) -> String {
    format!("offer:{}:{}", offer.0, action.as_str())
}

/// The offer and action of a button id, if it is one of [`button_id`]'s.
pub fn parse_button_id(id: &str) -> Option<(OfferId, Action)> {
    let rest = id.strip_prefix("offer:")?;
    let (offer, action) = rest.split_once(':')?;
    let action = match action {
        "accept" => Action::Accept,
        "reject" => Action::Reject,
        "call" => Action::CallMe,
        _ => return None,
    };
    Some((OfferId(offer.parse().ok()?), action))
}

/// A message could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// The channel refused the message for good (a 4xx other than 429).
    #[error("the channel refused the message: HTTP {status}: {body}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The start of the answer's body.
        body: String,
    },
    /// The channel did not take the message after every retry (5xx, 429 or no connection).
    #[error("the channel did not take the message after {attempts} attempt(s): {last}")]
    Unavailable {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The channel is not configured (a secret is missing).
    #[error("the channel is not configured: {0} is not set")]
    NotConfigured(&'static str),
}

impl ChannelError {
    /// The stable code: `E4021` refused, `E4022` unavailable, `E4023` not configured.
    pub fn code(&self) -> &'static str {
        match self {
            ChannelError::Refused { .. } => ChannelCode::SendRefused.id(),
            ChannelError::Unavailable { .. } => ChannelCode::SendUnavailable.id(),
            ChannelError::NotConfigured(_) => ChannelCode::NotConfigured.id(),
        }
    }
}

/// A way to reach dealers: SMS, e-mail or a dealer web page could implement it as
/// `whatsapp::CloudApi` (the `whatsapp-http` feature) does.
pub trait Channel {
    /// Sends `message` to the dealer at `to` (its address on this channel).
    fn send(
        &self,
        to: &str,
        message: &Message,
    ) -> impl Future<Output = Result<(), ChannelError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers() {
        for ok in ["+919812345678", "+4915112345678", "+1234567"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "919812345678",
            "+0919812345678",
            "+91 98123 45678",
            "+123456",
            "+1234567890123456",
            "+",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn button_ids_round_trip() {
        for action in [Action::Accept, Action::Reject, Action::CallMe] {
            let id = button_id(OfferId(42), action);
            assert_eq!(parse_button_id(&id), Some((OfferId(42), action)));
        }
        for bad in [
            "offer:x:accept",
            "offer:1:maybe",
            "order:1:accept",
            "offer:1",
        ] {
            assert_eq!(parse_button_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn customer_debug_hides_everything() {
        let c = Customer {
            name: "Asha Rao".into(),
            phone: "+919800000001".into(),
            address: "12 MG Road".into(),
        };
        let shown = format!(
            "{:?}",
            Message::Customer {
                offer: OfferId(1),
                order_id: "o".into(),
                customer: c
            }
        );
        assert!(
            !shown.contains("Asha") && !shown.contains("+9198") && !shown.contains("MG Road"),
            "{shown}"
        );
    }
}
