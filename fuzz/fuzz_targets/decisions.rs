//! decisions.csv against the small fixture: any bytes give a plan or coded problems, and a plan
//! read back round-trips: writing it and reading that text again writes the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::{read_decisions, write_decisions, Inputs};
use omniroute_core::Plan;

fn read(small: &Inputs, data: &[u8]) -> Option<Plan> {
    read_decisions(
        data,
        "decisions.csv",
        &small.orders,
        &small.network,
        &small.skus,
        &small.policies.versions,
        omniroute_fuzz::now(),
    )
    .ok()
}

fn write(small: &Inputs, plan: &Plan) -> Vec<u8> {
    let mut out = Vec::new();
    write_decisions(&mut out, &small.orders, plan, &small.network, &small.skus)
        .expect("writing to memory");
    out
}

fuzz_target!(|data: &[u8]| {
    let small = omniroute_fuzz::small();
    let Some(plan) = read(small, data) else {
        return;
    };
    let text = write(small, &plan);
    let again = read(small, &text).expect("a written plan reads back");
    assert_eq!(
        String::from_utf8_lossy(&write(small, &again)),
        String::from_utf8_lossy(&text)
    );
});
