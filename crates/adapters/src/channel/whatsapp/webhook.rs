//! Cloud API webhooks: the GET handshake, the `X-Hub-Signature-256` check and the payload.
//!
//! Meta signs every POST with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body,
//! keyed with the app secret>`; [`verify_signature`] checks it in constant time before anything
//! is parsed. The payload (`object: whatsapp_business_account`, `entry[].changes[].value`)
//! carries `messages` (a button reply: `interactive.button_reply.id`, or a template quick reply:
//! `button.payload`) and `statuses` (sent, delivered, read, failed). Other messages (text,
//! images) are [`InboundKind::Other`]: no offer event, no error.

use super::super::{parse_button_id, Action};
use hmac::{Hmac, Mac};
use omniroute_core::codes::ChannelCode;
use omniroute_core::OfferId;
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// A webhook that cannot be taken. Codes `E4030`–`E4036` (docs/errors.md).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is not JSON.
    #[error("the webhook body is not JSON: {0}")]
    Malformed(String),
    /// JSON, but not a WhatsApp Business Account payload of the documented shape.
    #[error("the webhook is not a whatsapp_business_account payload: {0}")]
    NotWhatsApp(String),
    /// A button reply whose id is not an offer's.
    #[error("button id {0:?} names no offer action")]
    UnknownButton(String),
    /// No `X-Hub-Signature-256` header (or not `sha256=<64 hex digits>`).
    #[error("the X-Hub-Signature-256 header is missing or not sha256=<hex>")]
    MissingSignature,
    /// The signature does not match the body.
    #[error("the X-Hub-Signature-256 signature does not match the body")]
    BadSignature,
    /// The GET handshake's mode or verify token is wrong.
    #[error("the verification handshake was refused (hub.mode must be subscribe and hub.verify_token must match)")]
    Handshake,
}

impl WebhookError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::Malformed(_) => ChannelCode::WebhookMalformed.id(),
            WebhookError::NotWhatsApp(_) => ChannelCode::NotWhatsApp.id(),
            WebhookError::UnknownButton(_) => ChannelCode::UnknownButton.id(),
            WebhookError::MissingSignature => ChannelCode::MissingSignature.id(),
            WebhookError::BadSignature => ChannelCode::BadSignature.id(),
            WebhookError::Handshake => ChannelCode::Handshake.id(),
        }
    }
}

/// Checks `header` (the `X-Hub-Signature-256` value) against `body` signed with `app_secret`.
pub fn verify_signature(
    app_secret: &[u8],
    body: &[u8],
    header: Option<&str>,
) -> Result<(), WebhookError> {
    let hex = header
        .and_then(|h| h.trim().strip_prefix("sha256="))
        .ok_or(WebhookError::MissingSignature)?;
    let given = decode_hex(hex).ok_or(WebhookError::MissingSignature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret).expect("HMAC takes any key length");
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    if bool::from(expected.as_slice().ct_eq(&given)) {
        Ok(())
    } else {
        Err(WebhookError::BadSignature)
    }
}

/// `sha256=<hex>` for `body` under `app_secret`: what Meta sends (for tests and stand-ins).
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret).expect("HMAC takes any key length");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    bytes.iter().fold(String::from("sha256="), |mut out, b| {
        use std::fmt::Write;
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The GET handshake: with `hub.mode=subscribe` and `hub.verify_token` equal to `verify_token`,
/// the answer is `hub.challenge` as given.
pub fn handshake(
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&str>,
    verify_token: &str,
) -> Result<String, WebhookError> {
    let token_ok = token.is_some_and(|t| bool::from(t.as_bytes().ct_eq(verify_token.as_bytes())));
    match (mode, challenge) {
        (Some("subscribe"), Some(c)) if token_ok && !verify_token.is_empty() => Ok(c.to_owned()),
        _ => Err(WebhookError::Handshake),
    }
}

/// A message's delivery status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Sent.
    Sent,
    /// Delivered to the phone.
    Delivered,
    /// Read.
    Read,
    /// Failed.
    Failed,
}

/// What one webhook item says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundKind {
    /// A dealer pressed an offer button.
    Reply {
        /// The offer.
        offer: OfferId,
        /// The answer.
        action: Action,
    },
    /// A status of a message we sent.
    Status {
        /// The status.
        status: DeliveryStatus,
    },
    /// Any other message (text, media): no offer event.
    Other,
}

/// One item of a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// The item's key for deduplication: the message id (`wamid…`), or for a status the
    /// message id and the status.
    pub key: String,
    /// Who wrote (a reply) or to whom we wrote (a status), as the API gives it (digits).
    pub from: String,
    /// What it says.
    pub kind: InboundKind,
}

fn field<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a Value, WebhookError> {
    v.get(key)
        .ok_or_else(|| WebhookError::NotWhatsApp(format!("{at}.{key} is missing")))
}

fn text<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, WebhookError> {
    field(v, key, at)?
        .as_str()
        .ok_or_else(|| WebhookError::NotWhatsApp(format!("{at}.{key} is not a string")))
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Every item of a webhook body, in order. The whole body is refused (`Err`) when any part is
/// malformed, so nothing of it is applied.
pub fn parse_webhook(body: &[u8]) -> Result<Vec<Inbound>, WebhookError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    if v.get("object").and_then(Value::as_str) != Some("whatsapp_business_account") {
        return Err(WebhookError::NotWhatsApp(
            "object is not \"whatsapp_business_account\"".into(),
        ));
    }
    let entries = field(&v, "entry", "$")?
        .as_array()
        .ok_or_else(|| WebhookError::NotWhatsApp("entry is not a list".into()))?;
    let mut out = Vec::new();
    for (e, entry) in entries.iter().enumerate() {
        for (c, change) in list(entry, "changes").iter().enumerate() {
            let at = format!("entry[{e}].changes[{c}].value");
            let value = field(change, "value", &format!("entry[{e}].changes[{c}]"))?;
            for (m, msg) in list(value, "messages").iter().enumerate() {
                out.push(message(msg, &format!("{at}.messages[{m}]"))?);
            }
            for (s, st) in list(value, "statuses").iter().enumerate() {
                out.push(status(st, &format!("{at}.statuses[{s}]"))?);
            }
        }
    }
    Ok(out)
}

fn message(msg: &Value, at: &str) -> Result<Inbound, WebhookError> {
    let key = text(msg, "id", at)?.to_owned();
    let from = text(msg, "from", at)?.to_owned();
    let button = match text(msg, "type", at)? {
        "interactive" => msg
            .pointer("/interactive/button_reply/id")
            .and_then(Value::as_str),
        "button" => msg.pointer("/button/payload").and_then(Value::as_str),
        _ => None,
    };
    let kind = match button {
        Some(id) => {
            let (offer, action) =
                parse_button_id(id).ok_or_else(|| WebhookError::UnknownButton(id.to_owned()))?;
            InboundKind::Reply { offer, action }
        }
        None => InboundKind::Other,
    };
    Ok(Inbound { key, from, kind })
}

fn status(st: &Value, at: &str) -> Result<Inbound, WebhookError> {
    let id = text(st, "id", at)?;
    let word = text(st, "status", at)?;
    let status = match word {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "failed" => DeliveryStatus::Failed,
        other => {
            return Err(WebhookError::NotWhatsApp(format!(
                "{at}.status {other:?} is unknown"
            )))
        }
    };
    Ok(Inbound {
        key: format!("{id}:{word}"),
        from: text(st, "recipient_id", at)?.to_owned(),
        kind: InboundKind::Status { status },
    })
}

#[cfg(test)]
mod tests;
