//! WhatsApp Cloud API: message bodies ([`offer_body`], [`customer_body`]), webhooks
//! ([`verify_signature`], [`handshake`], [`parse_webhook`]) and, with the `whatsapp-http`
//! feature, the sender `CloudApi` (a [`super::Channel`]).
//!
//! An offer is an interactive message with reply buttons (Accept, Reject, Call me) while the
//! dealer's 24-hour customer-service window is open, else the approved template
//! ([`Template`]) with quick-reply buttons; either way the button ids (or payloads) are
//! [`super::button_id`]s. The message-size limits are Meta's: body 1,024 characters, header and
//! footer 60, button titles 20.

mod body;
#[cfg(feature = "whatsapp-http")]
mod client;
mod webhook;

pub use body::{customer_body, offer_body, Template, BODY_MAX_CHARS};
#[cfg(feature = "whatsapp-http")]
pub use client::{CloudApi, CloudApiConfig, DEFAULT_BASE_URL};
pub use webhook::{
    handshake, parse_webhook, sign, verify_signature, DeliveryStatus, Inbound, InboundKind,
    WebhookError,
};

/// `WHATSAPP_ACCESS_TOKEN`: the Cloud API's bearer token.
pub const ACCESS_TOKEN_VAR: &str = "WHATSAPP_ACCESS_TOKEN";
/// `WHATSAPP_APP_SECRET`: the app secret that signs webhooks.
pub const APP_SECRET_VAR: &str = "WHATSAPP_APP_SECRET";
/// `WHATSAPP_VERIFY_TOKEN`: the token of the GET handshake.
pub const VERIFY_TOKEN_VAR: &str = "WHATSAPP_VERIFY_TOKEN";
/// `WHATSAPP_PHONE_NUMBER_ID`: the sending number's id.
pub const PHONE_NUMBER_ID_VAR: &str = "WHATSAPP_PHONE_NUMBER_ID";
