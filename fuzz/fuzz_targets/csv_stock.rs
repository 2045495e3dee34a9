//! stock.csv against the small fixture's nodes: any bytes give stock or coded problems, and a
//! rejected file adds no SKU.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::read_stock;
use omniroute_core::Skus;

fuzz_target!(|data: &[u8]| {
    let small = omniroute_fuzz::small();
    let mut skus = Skus::default();
    if read_stock(data, "stock.csv", &small.network, &mut skus).is_err() {
        assert_eq!(skus.len(), 0, "a rejected file interns no SKU");
    }
});
