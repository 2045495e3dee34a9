//! Cloud API message bodies (JSON), within the API's limits.

use super::super::{button_id, Action, Customer, OfferMessage};
use serde_json::{json, Value};

/// The most characters of an interactive message's body.
pub const BODY_MAX_CHARS: usize = 1_024;

/// The approved template sent when the 24-hour window is closed: its name and language. Its
/// body takes five parameters (order id, lines, area, promise date, margin) and its two
/// quick-reply buttons are Accept and Reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The template's name as approved.
    pub name: String,
    /// Its language code, e.g. `en`.
    pub language: String,
}

impl Default for Template {
    /// `dealer_offer` in `en`.
    fn default() -> Self {
        Self {
            name: "dealer_offer".into(),
            language: "en".into(),
        }
    }
}

/// `cents` as money: `1234` → `12.34`.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// `text` cut to `max` characters, ending in `…` when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text.chars().count() > max => format!("{}…", &text[..end]),
        _ => text.to_owned(),
    }
}

/// The lines as `2 × TEE` rows, as many as fit in `room` characters, then `… and N more`.
fn lines_text(m: &OfferMessage, room: usize) -> String {
    let mut out = String::new();
    for (i, l) in m.lines.iter().enumerate() {
        let row = format!("• {} × {}\n", l.qty, cut(&l.sku, 60));
        let more = format!("… and {} more line(s)\n", m.lines.len() - i);
        if out.chars().count() + row.chars().count() + more.chars().count() > room
            && i + 1 < m.lines.len()
        {
            out.push_str(&more);
            break;
        }
        out.push_str(&row);
    }
    out
}

/// The body text of an offer: lines, area, promise and margin, never the customer.
fn offer_text(m: &OfferMessage) -> String {
    let units: u64 = m.lines.iter().map(|l| u64::from(l.qty)).sum();
    let head = format!("Order {} — {units} unit(s):\n", cut(&m.order_id, 60));
    let tail = format!(
        "Deliver to: {}\nPromised by: {}\nYour margin: {}",
        m.area
            .as_deref()
            .map_or("(area on acceptance)".into(), |a| cut(a, 100)),
        m.promised_date,
        money(m.margin_cents)
    );
    let room = BODY_MAX_CHARS - head.chars().count() - tail.chars().count();
    cut(
        &format!("{head}{}{tail}", lines_text(m, room)),
        BODY_MAX_CHARS,
    )
}

/// The Cloud API body offering `m` to `to`: an interactive message with Accept, Reject and Call
/// me buttons when `window_open`, else `template` with Accept and Reject quick replies.
pub fn offer_body(to: &str, m: &OfferMessage, window_open: bool, template: &Template) -> Value {
    if !window_open {
        let text = |t: String| json!({"type": "text", "text": t});
        let lines: Vec<String> = m
            .lines
            .iter()
            .map(|l| format!("{} × {}", l.qty, l.sku))
            .collect();
        let quick = |index: &str, action| {
            json!({"type": "button", "sub_type": "quick_reply", "index": index,
                   "parameters": [{"type": "payload", "payload": button_id(m.offer, action)}]})
        };
        return json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "template",
            "template": {
                "name": template.name,
                "language": {"code": template.language},
                "components": [
                    {"type": "body", "parameters": [
                        text(cut(&m.order_id, 60)),
                        text(cut(&lines.join(", "), 500)),
                        text(m.area.as_deref().map_or("-".into(), |a| cut(a, 100))),
                        text(m.promised_date.to_string()),
                        text(money(m.margin_cents)),
                    ]},
                    quick("0", Action::Accept),
                    quick("1", Action::Reject),
                ]
            }
        });
    }
    let button = |action: Action, title: &str| json!({"type": "reply", "reply": {"id": button_id(m.offer, action), "title": title}});
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "header": {"type": "text", "text": cut(&format!("New order {}", m.order_id), 60)},
            "body": {"text": offer_text(m)},
            "footer": {"text": cut(&format!("Answer by {}", m.deadline.strftime("%Y-%m-%d %H:%M UTC")), 60)},
            "action": {"buttons": [
                button(Action::Accept, "Accept"),
                button(Action::Reject, "Reject"),
                button(Action::CallMe, "Call me"),
            ]}
        }
    })
}

/// The Cloud API body giving `to` the customer of an accepted order (a text message: the dealer
/// has just written, so the window is open).
pub fn customer_body(to: &str, order_id: &str, c: &Customer) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": cut(&format!(
            "Thank you for accepting order {order_id}.\nCustomer: {}\nPhone: {}\nAddress: {}",
            c.name, c.phone, c.address
        ), 4_096)}
    })
}

#[cfg(test)]
mod tests;
