//! A table's stock rows taken at once while every cell they read is one the row checks of
//! [`super::rows::read_rows`] accept as it is: a node id of the network and a SKU, both without
//! blanks at their ends, and units from 0 to `u32::MAX` in 64-bit integer columns (an empty
//! optional cell: 0). Such a row needs no check to run and gives no problem, so it is kept as the
//! row checks would keep it (the same row, SKU id, position) without its cells being built. The
//! first row that is not is left to the row checks, which report it as before: this path decides
//! nothing the checks would decide otherwise (`clean_rows_read_as_the_row_checks`).
//!
//! A dictionary column (`read_parquet` decodes a dictionary-encoded text column as one) has each
//! value's node and SKU looked up once, not once a row.

use super::fast::LastNode;
use super::rows::{Cols, Pending, Rows, PENDING};
use crate::csv::fields::untrimmed;
use crate::csv::sheet::Sheet;
use crate::csv::table::Texts;
use crate::csv::SkuStage;
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, Int32Array, Int64Array, RecordBatch, StringArray};
use omniroute_core::{Network, NodeIdx, SkuId, Skus, StockRow};

/// What is kept between runs of clean rows (and windows of a table read one after the other):
/// each dictionary value's node and SKU.
#[derive(Default)]
pub(super) struct Clean {
    nodes: Keyed,
    skus: Keyed,
    /// The table's columns are not all of the types read here (then no batch is).
    off: bool,
}

/// The id found for each value of the last dictionary seen ([`UNSET`] until looked up,
/// [`REFUSED`] for a value the row checks must read).
#[derive(Default)]
struct Keyed {
    /// The dictionary, held (its buffers shared, not copied): the batches of one row group
    /// share it, and while it is held no other dictionary can take its place in memory, so a
    /// dictionary whose offsets and text are at its addresses, as many, is it (also in the next
    /// window of the table, once the batches it came with are freed).
    dict: Option<StringArray>,
    ids: Vec<u32>,
}

const UNSET: u32 = u32::MAX;
const REFUSED: u32 = u32::MAX - 1;

impl Keyed {
    /// Makes `values` the dictionary looked up (its ids kept when it is the last one seen).
    fn prepare(&mut self, values: &StringArray) {
        let same = self.dict.as_ref().is_some_and(|d| {
            std::ptr::eq(d.offsets().as_ptr(), values.offsets().as_ptr())
                && std::ptr::eq(d.values().as_ptr(), values.values().as_ptr())
                && d.len() == values.len()
        });
        if !same {
            self.dict = Some(values.clone());
            self.ids.clear();
            self.ids.resize(values.len(), UNSET);
        }
    }

    /// The id of value `k` of `values` (the dictionary [`Keyed::prepare`]d), looked up by
    /// `find` the first time.
    #[inline]
    fn id(&mut self, values: &StringArray, k: usize, find: impl FnOnce(&str) -> u32) -> u32 {
        if self.ids[k] == UNSET {
            self.ids[k] = if values.is_valid(k) && as_is(values.value(k)) {
                find(values.value(k))
            } else {
                REFUSED
            };
        }
        self.ids[k]
    }
}

impl Clean {
    /// Takes the clean rows `sheet` (a table's) reads next into `out`, as `read_rows` would keep
    /// them; stops at the first row that is not, or at once for CSV text, without a network,
    /// or when the table has an incoming column, even an empty one (read by the row checks).
    pub fn take(
        &mut self,
        sheet: &mut Sheet<'_>,
        cols: &Cols,
        network: Option<&Network>,
        (skus, under): (&Skus, &SkuStage),
        out: &mut Rows,
        (pending, last_node): (&mut Pending, &mut LastNode),
    ) {
        let Some(network) = network else { return };
        if self.off || cols.incoming_qty.is_some() || cols.incoming_date.is_some() {
            return;
        }
        while let Some((batch, first, rows, line)) = sheet.clean_run() {
            let Some(b) = Batch::of(batch, cols) else {
                self.off = true;
                return;
            };
            for (keyed, texts) in [(&mut self.nodes, b.node), (&mut self.skus, b.sku)] {
                if let Texts::Dict(_, values) = texts {
                    keyed.prepare(values);
                }
            }
            out.kept.reserve(rows);
            let mut n = 0;
            while n < rows {
                let i = first + n;
                let node = match b.node {
                    Texts::Dict(keys, values) => match key(keys, i) {
                        Some(k) => self.nodes.id(values, k, |id| {
                            network.find(id).map_or(REFUSED, |node| node.0)
                        }),
                        None => REFUSED,
                    },
                    _ => match b.node.get(i).filter(|t| as_is(t)) {
                        Some(id) => last_node
                            .find(network, id.as_bytes())
                            .map_or(REFUSED, |node| node.0),
                        None => REFUSED,
                    },
                };
                let units = (
                    units(Some(b.qty), i, true),
                    units(b.reserved, i, false),
                    units(b.safety_stock, i, false),
                );
                let (true, (Some(on_hand), Some(reserved), Some(safety_stock))) =
                    (node != REFUSED, units)
                else {
                    break;
                };
                // The SKU last: looking it up may stage it, which its row does in any case.
                let sku = match b.sku {
                    Texts::Dict(keys, values) => match key(keys, i) {
                        Some(k) => self.skus.id(values, k, |name| {
                            // In turn after the names waiting.
                            pending.resolve((skus, under), out);
                            out.stage.id_above(skus, under, name).0
                        }),
                        None => REFUSED,
                    },
                    _ => match b.sku.get(i).filter(|t| as_is(t)) {
                        Some(name) => {
                            // The id is set when the name's batch is looked up.
                            pending.push(name, Some(out.kept.len()));
                            UNSET
                        }
                        None => REFUSED,
                    },
                };
                if sku == REFUSED {
                    break;
                }
                out.kept.push(StockRow {
                    node: NodeIdx(node),
                    sku: SkuId(sku),
                    on_hand,
                    reserved,
                    safety_stock,
                });
                if pending.batch.len() >= PENDING {
                    pending.resolve((skus, under), out);
                }
                n += 1;
            }
            out.positions.keep_run(line, n);
            sheet.took(n);
            if n < rows {
                return;
            }
        }
    }
}

/// A text cell the row checks take as it is ([`untrimmed`]).
#[inline]
fn as_is(text: &str) -> bool {
    untrimmed(text.as_bytes())
}

/// The dictionary key of row `i`, `None` for a null.
#[inline]
fn key(keys: &Int32Array, i: usize) -> Option<usize> {
    if keys.is_null(i) {
        return None;
    }
    usize::try_from(keys.value(i)).ok()
}

/// Cell `i` of an integer column as units when the row checks take it as it is: from 0 to
/// `u32::MAX`, or empty in an optional column (0; an absent column is `None` here).
#[inline]
fn units(col: Option<&Int64Array>, i: usize, required: bool) -> Option<u32> {
    let Some(col) = col else {
        return Some(0);
    };
    if col.is_null(i) {
        return (!required).then_some(0);
    }
    u32::try_from(col.value(i)).ok()
}

/// The columns of one batch that the stock rows read.
struct Batch<'a> {
    node: Texts<'a>,
    sku: Texts<'a>,
    qty: &'a Int64Array,
    reserved: Option<&'a Int64Array>,
    safety_stock: Option<&'a Int64Array>,
}

impl<'a> Batch<'a> {
    /// `None` unless the node and SKU columns are text and the units 64-bit integers.
    fn of(batch: &'a RecordBatch, cols: &Cols) -> Option<Self> {
        let int = |col: usize| batch.column(col).as_primitive_opt::<Int64Type>();
        let optional = |col: Option<usize>| match col {
            Some(c) => int(c).map(Some),
            None => Some(None),
        };
        Some(Batch {
            node: Texts::of(batch.column(cols.node_id?).as_ref())?,
            sku: Texts::of(batch.column(cols.sku?).as_ref())?,
            qty: int(cols.qty?)?,
            reserved: optional(cols.reserved)?,
            safety_stock: optional(cols.safety_stock)?,
        })
    }
}
