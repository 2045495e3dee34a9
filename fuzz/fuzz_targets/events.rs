//! events.ndjson against the small fixture: any bytes give events or coded problems.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::read_events;

fuzz_target!(|data: &[u8]| {
    let small = omniroute_fuzz::small();
    let _ = read_events(
        data,
        "events.ndjson",
        &small.orders,
        &small.network,
        &small.skus,
    );
});
