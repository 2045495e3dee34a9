//! A WhatsApp webhook body: any bytes give its items or a coded refusal, never a panic; a body
//! signed with the app secret verifies, and parsing is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::channel::whatsapp::{parse_webhook, sign, verify_signature};

fuzz_target!(|data: &[u8]| {
    let secret = b"app-secret";
    assert!(verify_signature(secret, data, Some(&sign(secret, data))).is_ok());
    assert!(verify_signature(b"another secret", data, Some(&sign(secret, data))).is_err());
    match parse_webhook(data) {
        Ok(items) => {
            let again = parse_webhook(data).expect("the same body parses again");
            assert_eq!(items.len(), again.len());
            for (a, b) in items.iter().zip(&again) {
                assert_eq!((&a.key, &a.from), (&b.key, &b.from));
            }
        }
        Err(e) => assert!(e.code().starts_with("E40")),
    }
});
