//! policy.toml: any text gives a policy or spanned problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::read_policy;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = read_policy(text, "policy.toml");
    }
});
