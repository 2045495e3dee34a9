//! What the fuzz targets share: a small routing input (the integration tests' `small` fixture)
//! that the stock, events and decisions readers read against.

use jiff::Timestamp;
use omniroute_adapters::{Inputs, Source, TableInput};
use std::sync::OnceLock;

/// The fixture `small` (4 nodes around Delhi, 5 orders), loaded once.
pub fn small() -> &'static Inputs {
    static SMALL: OnceLock<Inputs> = OnceLock::new();
    SMALL.get_or_init(|| {
        let file = |name: &str, text: &str| TableInput::from(Source::text(name, text));
        Inputs::load(
            &file(
                "nodes.csv",
                include_str!("../../tests/it/fixtures/small/nodes.csv"),
            ),
            &file(
                "stock.csv",
                include_str!("../../tests/it/fixtures/small/stock.csv"),
            ),
            Some(&file(
                "orders.csv",
                include_str!("../../tests/it/fixtures/small/orders.csv"),
            )),
            &[],
        )
        .expect("the small fixture loads")
    })
}

/// The reference time of the fixture's route runs.
pub fn now() -> Timestamp {
    "2026-11-26T12:00:00Z".parse().expect("a valid instant")
}
