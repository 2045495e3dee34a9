use super::*;

const SECRET: &[u8] = b"app-secret";

/// A webhook with one item in `value`.
pub(crate) fn payload(value: &str) -> String {
    format!(
        r#"{{"object": "whatsapp_business_account", "entry": [{{"id": "WABA", "changes": [{{"field": "messages", "value": {{"messaging_product": "whatsapp", {value}}}}}]}}]}}"#
    )
}

#[test]
fn signatures_are_checked_against_the_raw_body() {
    let body = payload(r#""statuses": []"#);
    let good = sign(SECRET, body.as_bytes());
    assert_eq!(
        verify_signature(SECRET, body.as_bytes(), Some(&good)),
        Ok(())
    );
    assert_eq!(
        verify_signature(b"other", body.as_bytes(), Some(&good)),
        Err(WebhookError::BadSignature)
    );
    let mut tampered = body.clone().into_bytes();
    tampered[5] ^= 1;
    assert_eq!(
        verify_signature(SECRET, &tampered, Some(&good))
            .unwrap_err()
            .code(),
        "E4034"
    );
    for bad in [
        None,
        Some("sha1=abcd"),
        Some("sha256=zz"),
        Some(&good[..good.len() - 2]),
    ] {
        assert_eq!(
            verify_signature(SECRET, body.as_bytes(), bad),
            Err(WebhookError::MissingSignature),
            "{bad:?}"
        );
    }
}

#[test]
fn the_handshake_echoes_the_challenge_only_for_the_token() {
    assert_eq!(
        handshake(Some("subscribe"), Some("tok"), Some("1158201444"), "tok"),
        Ok("1158201444".into())
    );
    for (mode, token) in [
        (Some("unsubscribe"), Some("tok")),
        (Some("subscribe"), Some("nope")),
        (None, Some("tok")),
        (Some("subscribe"), None),
    ] {
        assert_eq!(
            handshake(mode, token, Some("1"), "tok").unwrap_err().code(),
            "E4035"
        );
    }
    assert!(
        handshake(Some("subscribe"), Some(""), Some("1"), "").is_err(),
        "an unset token never matches"
    );
}

#[test]
fn replies_quick_replies_and_statuses() {
    let body = payload(
        r#""messages": [
            {"from": "919812345678", "id": "wamid.A", "timestamp": "1", "type": "interactive",
             "interactive": {"type": "button_reply", "button_reply": {"id": "offer:7:reject", "title": "Reject"}}},
            {"from": "919812345678", "id": "wamid.B", "timestamp": "2", "type": "button",
             "button": {"payload": "offer:8:accept", "text": "Accept"}},
            {"from": "919812345678", "id": "wamid.C", "timestamp": "3", "type": "text", "text": {"body": "hi"}}],
           "statuses": [{"id": "wamid.S", "status": "delivered", "timestamp": "4", "recipient_id": "919812345678"}]"#,
    );
    let got = parse_webhook(body.as_bytes()).unwrap();
    let kinds: Vec<(&str, &InboundKind)> = got.iter().map(|i| (i.key.as_str(), &i.kind)).collect();
    assert_eq!(
        kinds,
        [
            (
                "wamid.A",
                &InboundKind::Reply {
                    offer: OfferId(7),
                    action: Action::Reject
                }
            ),
            (
                "wamid.B",
                &InboundKind::Reply {
                    offer: OfferId(8),
                    action: Action::Accept
                }
            ),
            ("wamid.C", &InboundKind::Other),
            (
                "wamid.S:delivered",
                &InboundKind::Status {
                    status: DeliveryStatus::Delivered
                }
            ),
        ]
    );
    assert!(got.iter().all(|i| i.from == "919812345678"));
}

#[test]
fn bad_payloads_have_codes() {
    let cases = [
        ("{not json", "E4030"),
        (r#"{"object": "page", "entry": []}"#, "E4031"),
        (r#"{"object": "whatsapp_business_account"}"#, "E4031"),
        (
            &payload(r#""messages": [{"from": "1", "type": "text"}]"#),
            "E4031",
        ),
        (
            &payload(r#""statuses": [{"id": "w", "status": "lost", "recipient_id": "1"}]"#),
            "E4031",
        ),
        (
            &payload(
                r#""messages": [{"from": "1", "id": "w", "type": "button", "button": {"payload": "buy now"}}]"#,
            ),
            "E4032",
        ),
    ];
    for (body, code) in cases {
        assert_eq!(
            parse_webhook(body.as_bytes()).unwrap_err().code(),
            code,
            "{body}"
        );
    }
}
