use super::*;
use crate::channel::OfferLine;
use omniroute_core::OfferId;

fn offer(lines: usize) -> OfferMessage {
    OfferMessage {
        offer: OfferId(7),
        order_id: "O-1001".into(),
        lines: (0..lines)
            .map(|i| OfferLine {
                sku: format!("SKU-{i:04}-BLUE-XL"),
                qty: 2,
            })
            .collect(),
        area: Some("Andheri West 400053".into()),
        promised_date: jiff::civil::date(2026, 12, 6),
        margin_cents: 12_345,
        deadline: "2026-12-05T10:15:00Z".parse().unwrap(),
    }
}

#[test]
fn an_interactive_offer_has_three_buttons_and_the_terms() {
    let b = offer_body("+919812345678", &offer(2), true, &Template::default());
    assert_eq!(b["type"], "interactive");
    assert_eq!(b["to"], "+919812345678");
    let ids: Vec<&str> = b["interactive"]["action"]["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["reply"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["offer:7:accept", "offer:7:reject", "offer:7:call"]);
    let text = b["interactive"]["body"]["text"].as_str().unwrap();
    assert_eq!(
        text,
        "Order O-1001 — 4 unit(s):\n• 2 × SKU-0000-BLUE-XL\n• 2 × SKU-0001-BLUE-XL\n\
         Deliver to: Andheri West 400053\nPromised by: 2026-12-06\nYour margin: 123.45"
    );
    assert_eq!(
        b["interactive"]["footer"]["text"],
        "Answer by 2026-12-05 10:15 UTC"
    );
}

#[test]
fn a_long_order_stays_within_the_body_limit() {
    let b = offer_body("+919812345678", &offer(500), true, &Template::default());
    let text = b["interactive"]["body"]["text"].as_str().unwrap();
    assert!(
        text.chars().count() <= BODY_MAX_CHARS,
        "{}",
        text.chars().count()
    );
    assert!(text.contains("more line(s)"), "{text}");
    assert!(
        text.ends_with("Your margin: 123.45"),
        "the terms are never cut: {text}"
    );
}

#[test]
fn a_closed_window_sends_the_template_with_quick_replies() {
    let b = offer_body("+919812345678", &offer(1), false, &Template::default());
    assert_eq!(b["type"], "template");
    assert_eq!(b["template"]["name"], "dealer_offer");
    let c = &b["template"]["components"];
    assert_eq!(c[0]["parameters"][1]["text"], "2 × SKU-0000-BLUE-XL");
    assert_eq!(c[0]["parameters"][4]["text"], "123.45");
    assert_eq!(c[1]["parameters"][0]["payload"], "offer:7:accept");
    assert_eq!(c[2]["parameters"][0]["payload"], "offer:7:reject");
}

#[test]
fn the_customer_goes_in_its_own_message() {
    let c = Customer {
        name: "Asha Rao".into(),
        phone: "+919800000001".into(),
        address: "12 MG Road".into(),
    };
    let b = customer_body("+919812345678", "O-1001", &c);
    let text = b["text"]["body"].as_str().unwrap();
    assert!(text.contains("Asha Rao") && text.contains("12 MG Road"));
    let offer = offer_body("+919812345678", &offer(1), true, &Template::default()).to_string();
    assert!(!offer.contains("Asha"));
    assert_eq!(money(-5), "-0.05");
}
