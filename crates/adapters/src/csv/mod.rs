//! CSV readers for `nodes.csv`, `stock.csv` and `orders.csv` (docs/design.md §7).
//!
//! Rules shared by the three readers:
//! - the first row is the header; column names are trimmed and matched case-insensitively, in
//!   any order; unknown columns are ignored with a `W1001` warning;
//! - every cell is trimmed; an empty optional cell takes its default;
//! - a UTF-8 byte-order mark and CRLF line ends are accepted; anything else that is not UTF-8 is
//!   reported (`E1002`), and a header that is one field holding `;`, a tab or `|` is reported as
//!   the wrong delimiter (`E1003`);
//! - every problem in the file is collected (up to [`MAX_PROBLEMS`], then `E1025`) before the
//!   reader returns, each with its code, line (header = 1), column (1-based, 0 for the whole file
//!   or row) and a hint; on any problem the reader returns [`InputError::Invalid`] and changes
//!   nothing (SKUs are interned only when the whole file is accepted).
//!
//! The codes are documented in `docs/errors.md`.

mod customer;
pub(crate) mod fields;
mod nodes;
mod order_nodes;
mod orders;
mod sheet;
mod skus;
mod stock;
mod table;
#[cfg(test)]
mod tests;

pub use crate::problem::MAX_PROBLEMS;
pub use customer::{CustomerFields, MAX_CUSTOMER_CHARS};
pub use nodes::{read_nodes, read_nodes_input};
pub(crate) use order_nodes::NodeNames;
pub use orders::{read_orders, read_orders_in, read_orders_input, read_orders_placed, OrderPlaces};
pub(crate) use orders::{read_orders_from, read_orders_named};
pub(crate) use sheet::Sheet;
pub(crate) use skus::{DictIds, Rename, SkuBatch, SkuStage};
pub use stock::{read_stock, read_stock_input, read_stock_rows, Stock, StockRecord};
pub(crate) use stock::{read_stock_any, read_stock_file, NetworkSoon, StockInput};
pub use table::Table;

use crate::{InputError, Problem};

/// A value read from an input, with the warnings found on the way (for example unknown columns).
/// Warnings never stop a load; errors do, and come back as [`InputError`].
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// What was read.
    pub value: T,
    /// Warnings (`W1xxx` codes), in file order.
    pub warnings: Vec<Problem>,
}

/// The warning codes of the CSV readers (see `docs/errors.md`); the error codes are
/// `omniroute_core::codes::InputCode`.
pub(crate) mod code {
    pub const UNKNOWN_COLUMN: &str = "W1001";
    pub const IGNORED_VALUE: &str = "W1002";
}

/// A whole-file problem raised after every row was accepted (for example by the core).
pub(crate) fn file_error(
    file: &str,
    code: &'static str,
    message: String,
    hint: &str,
) -> InputError {
    InputError::Invalid(vec![Problem {
        code,
        file: file.to_owned(),
        line: 0,
        column: 0,
        message,
        hint: hint.to_owned(),
    }])
}
