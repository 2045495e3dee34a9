//! orders.csv: any bytes give orders or coded problems, and a rejected file adds no SKU.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::read_orders;
use omniroute_core::{ServiceLevels, Skus};

fuzz_target!(|data: &[u8]| {
    let mut skus = Skus::default();
    match read_orders(data, "orders.csv", &mut skus, &ServiceLevels::default()) {
        Ok(orders) => assert!(orders.value.iter().all(|o| !o.lines.is_empty())),
        Err(_) => assert_eq!(skus.len(), 0, "a rejected file interns no SKU"),
    }
});
