//! The inputs as Python classes: `Policy` (`policy.rs`), `Network` (`network.rs`), `Inventory`
//! (the live ledger, `inventory.rs`), `Orders` (`orders.rs`), and `Scenario` (all four loaded
//! together, as the CLI does, `scenario.rs`). Each constructor reads through the adapters'
//! readers: from a CSV path (`from_csv`) or from any Arrow table (`from_frame`, see `frame.rs`).

mod inventory;
mod network;
mod orders;
mod policy;
mod scenario;

pub use inventory::Inventory;
pub use network::{NetData, Network};
pub use orders::{Order, Orders, OrdersData};
pub use policy::Policy;
pub use scenario::{demo, load, Scenario};

use crate::errors::{guard, Failure};
use crate::frame;
use jiff::Timestamp;
use omniroute_adapters::{Table, TableInput};
use pyo3::prelude::*;
use std::path::PathBuf;

/// What a constructor reads: a CSV or Parquet path (`TableInput::open`), or an Arrow table whose
/// columns the same readers read row by row (`omniroute_adapters::Table`, no CSV text in
/// between).
fn source(
    py: Python<'_>,
    path: Option<PathBuf>,
    table: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<TableInput> {
    match (path, table) {
        (Some(p), _) => {
            let p = p.to_string_lossy().into_owned();
            guard(py, move || TableInput::open(&p).map_err(Failure::from))
        }
        (None, Some(t)) => {
            let (batches, schema) = frame::read(t)?;
            Ok(Table::new(name, &schema, batches).into())
        }
        (None, None) => unreachable!("callers pass a path or a table"),
    }
}

/// The reference time: an aware `datetime`, an RFC 3339 string, or `None` for the current time
/// (as the CLI's `--now`).
pub fn timestamp(now: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
    match now {
        None => Ok(Timestamp::now()),
        // A str is checked for first: a failed extraction builds an exception, which costs
        // more than routing's overhead per call.
        Some(v) => match v.cast::<pyo3::types::PyString>() {
            Ok(s) => s.to_cow()?.parse().map_err(|e| {
                pyo3::exceptions::PyValueError::new_err(format!(
                    "now: {e} (want RFC 3339 with an offset)"
                ))
            }),
            Err(_) => v.extract::<Timestamp>(),
        },
    }
}
