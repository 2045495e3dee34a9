//! territories.geojson against the small fixture: any text gives territories of its nodes or
//! coded problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::{read_territories, Source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let small = omniroute_fuzz::small();
    match read_territories(&Source::text("t.geojson", text), &small.network) {
        Ok(territories) => {
            for node in territories.keys() {
                assert!((node.0 as usize) < small.network.len(), "a node of the network");
            }
        }
        Err(e) => assert!(e.problems().iter().all(|p| p.code.starts_with("E"))),
    }
});
