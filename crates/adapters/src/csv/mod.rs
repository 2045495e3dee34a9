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
pub use stock::{read_stock, read_stock_input, Stock, StockRecord};
pub(crate) use stock::{read_stock_any, StockInput};
pub use table::Table;

use crate::{InputError, Problem};
use omniroute_core::{Interner, SkuId, Skus};

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

/// SKU ids handed out while a file is read, without touching the shared [`Skus`] table until the
/// file is accepted. New names get the ids the table will give them on [`SkuStage::commit`].
pub(crate) struct SkuStage {
    base: u32,
    fresh: Interner,
}

impl SkuStage {
    /// A stage on top of `skus` as it is now.
    pub fn new(skus: &Skus) -> Self {
        Self {
            base: u32::try_from(skus.len()).expect("fewer than 2^32 SKUs"),
            fresh: Interner::new(),
        }
    }

    /// A stage on top of `skus` and the names `under` (a stage on `skus`) has staged, for the
    /// rows after `under`'s: [`SkuStage::absorb`] takes its names back into `under`.
    pub fn above(under: &SkuStage) -> Self {
        Self {
            base: under.base + under.fresh.len() as u32,
            fresh: Interner::new(),
        }
    }

    /// The id `sku` has (or will have once committed).
    pub fn id(&mut self, skus: &Skus, sku: &str) -> SkuId {
        let known = if skus.is_empty() { None } else { skus.get(sku) };
        known.unwrap_or_else(|| SkuId(self.base + self.fresh.intern(sku)))
    }

    /// [`SkuStage::id`] for a stage made [`SkuStage::above`] `under`: a name `under` staged
    /// keeps its id there.
    pub fn id_above(&mut self, skus: &Skus, under: &SkuStage, sku: &str) -> SkuId {
        let known = if skus.is_empty() { None } else { skus.get(sku) };
        known
            .or_else(|| {
                let staged = (!under.fresh.is_empty()).then(|| under.fresh.get(sku))??;
                Some(SkuId(under.base + staged))
            })
            .unwrap_or_else(|| SkuId(self.base + self.fresh.intern(sku)))
    }

    /// The name of `id` (one of `skus`, or staged).
    pub fn name<'a>(&'a self, skus: &'a Skus, id: SkuId) -> &'a str {
        match id.0.checked_sub(self.base) {
            Some(i) => self.fresh.name(i),
            None => skus.name(id),
        }
    }

    /// Stages the names `other` (a stage on the same `skus`, of the rows after this one's)
    /// saw first, in its order, and returns the renaming of `other`'s ids into this stage's.
    pub fn absorb(&mut self, skus: &Skus, other: &SkuStage) -> impl Fn(SkuId) -> SkuId + use<> {
        let base = other.base;
        let ids: Vec<SkuId> = (0..other.fresh.len() as u32)
            .map(|i| self.id(skus, other.fresh.name(i)))
            .collect();
        move |sku| match sku.0.checked_sub(base) {
            Some(i) => ids[i as usize],
            None => sku,
        }
    }

    /// Adds the new names to `skus`, in first-seen order, so they get the staged ids.
    pub fn commit(self, skus: &mut Skus) {
        for i in 0..self.fresh.len() as u32 {
            let id = skus.intern(self.fresh.name(i));
            debug_assert_eq!(id, SkuId(self.base + i), "SKU table changed while staging");
        }
    }
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
