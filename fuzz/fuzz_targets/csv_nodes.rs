//! nodes.csv: any bytes give nodes or coded problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::read_nodes;
use omniroute_core::ServiceLevels;

fuzz_target!(|data: &[u8]| {
    let _ = read_nodes(data, "nodes.csv", &ServiceLevels::default());
});
