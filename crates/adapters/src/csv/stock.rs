//! `stock.csv`: one row per (node, SKU) position.

use super::sheet::{Sheet, MIN_PART};
use super::Loaded;
use crate::problem::clip;
use crate::{InputError, TableInput};
use omniroute_core::codes::InputCode;
use omniroute_core::{Incoming, Network, NodeIdx, SkuId, Skus};
use rows::{read_rows, Cols, Rows};
use std::io::Read;

mod positions;
mod rows;

const KNOWN: &str =
    "node_id, sku, qty (or on_hand), reserved, safety_stock, incoming_qty, incoming_date";

/// One row of `stock.csv`: the stock of one SKU at one node, in units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockRecord {
    /// The node holding the stock.
    pub node: NodeIdx,
    /// The SKU.
    pub sku: SkuId,
    /// Units physically at the node.
    pub on_hand: u32,
    /// Units already promised to orders.
    pub reserved: u32,
    /// Units held back from routing.
    pub safety_stock: u32,
    /// Units on their way and the date they arrive (`incoming_qty`, `incoming_date`; none when
    /// the row gives neither).
    pub incoming: Incoming,
}

/// Reads `stock.csv` for the nodes of `network`, interning new SKUs into `skus` (only when the
/// whole file is accepted).
///
/// Columns `node_id`, `sku`, `qty` (or its synonym `on_hand`) are required; `reserved` and
/// `safety_stock` are optional (default 0), and so are `incoming_qty` with `incoming_date` (units
/// on their way and the ISO date they arrive: both or neither, `E3250`–`E3252`). Quantities are whole units from 0 up; a node id not
/// in `network` (`E1020`) and a repeated (node, SKU) pair (`E1021`, listed after the rows' own
/// problems, naming the pair's first line) are errors.
///
/// ```
/// # use omniroute_adapters::{read_nodes, read_stock};
/// # use omniroute_core::{ServiceLevels, Skus};
/// let net = read_nodes("node_id,lat,lon\nW1,28.6,77.2\n".as_bytes(), "nodes.csv", &ServiceLevels::default())?.value;
/// let mut skus = Skus::default();
/// let stock = read_stock("node_id,sku,qty\nW1,TEE-M,12\n".as_bytes(), "stock.csv", &net, &mut skus)?.value;
/// assert_eq!(stock[0].on_hand, 12);
/// assert_eq!(skus.name(stock[0].sku), "TEE-M");
/// # Ok::<(), omniroute_adapters::InputError>(())
/// ```
pub fn read_stock(
    mut input: impl Read,
    file: &str,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    let mut data = Vec::new();
    input.read_to_end(&mut data).map_err(|e| InputError::Io {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    read_stock_bytes(&data, file, network, skus)
}

/// [`read_stock`] over a file already in memory, with no copy of it.
fn read_stock_bytes(
    data: &[u8],
    file: &str,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    read(
        Sheet::over(data, file)?,
        Some(network),
        skus,
        Threads::all(),
    )
}

/// [`read_stock`] over an input already in memory (CSV text, with no copy of it, or a table of
/// columns, see [`crate::Table`]): the same checks and codes.
pub fn read_stock_input(
    input: &TableInput,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    match input {
        TableInput::Text(src) => read_stock_bytes(&src.bytes, &src.name, network, skus),
        TableInput::Columns(_) => read(input.sheet()?, Some(network), skus, Threads::all()),
    }
}

/// Reads `stock.csv` when its nodes could not be read: reports every problem that does not
/// depend on the nodes (an unknown node or a repeated position cannot be told), so that one bad
/// row of nodes.csv does not hide the stock file's own problems.
pub(crate) fn check_stock_alone(input: &TableInput) -> Result<(), InputError> {
    read(input.sheet()?, None, &mut Skus::default(), Threads::all()).map(|_| ())
}

/// Reads `stock.csv`; without `network`, node ids are not looked up and nothing is returned.
/// A large file is read in parts on every core (see [`Sheet::split`]); the result, SKU ids and
/// problems included, is the same as on one thread.
fn read(
    mut sheet: Sheet<'_>,
    network: Option<&Network>,
    skus: &mut Skus,
    threads: Threads,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    let cols = Cols::claim(&mut sheet);
    sheet.end_header(KNOWN);
    let whole = sheet.rows_hint();
    let mut parts = sheet.split(threads.count, threads.min_bytes);
    let read = if parts.is_empty() {
        read_rows(&mut sheet, &cols, network, skus, whole)?
    } else {
        let (shared, cols): (&Skus, &Cols) = (skus, &cols);
        let each = std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .iter_mut()
                .enumerate()
                .map(|(k, part)| {
                    let rows = if k == 0 { whole } else { 0 };
                    s.spawn(move || read_rows(part, cols, network, shared, rows))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a stock.csv part panicked"))
                .collect::<Result<Vec<Rows>, InputError>>()
        })?;
        let offsets = sheet.join(parts);
        Rows::concat(each, &offsets, skus)
    };
    let Rows {
        records,
        positions,
        stage,
    } = read;
    if let Some(network) = network {
        let sku_column = cols.sku.map_or(0, |i| i as u64 + 1);
        for (node, sku_id, line, first) in positions.repeated() {
            sheet.error(
                InputCode::DuplicateStock.id(),
                line,
                sku_column,
                format!(
                    "stock of sku {:?} at node {:?} is already given on line {first}",
                    clip(stage.name(skus, sku_id)),
                    clip(&network.node(node).id)
                ),
                "give each (node_id, sku) pair once; add the quantities up if both rows are right",
            );
        }
    }
    let warnings = sheet.finish()?;
    stage.commit(skus);
    Ok(Loaded {
        value: records,
        warnings,
    })
}

/// How many threads read a file, and the fewest bytes each reads.
#[derive(Clone, Copy)]
struct Threads {
    count: usize,
    min_bytes: usize,
}

impl Threads {
    /// One per core, on parts of at least [`MIN_PART`] bytes.
    fn all() -> Self {
        Threads {
            count: std::thread::available_parallelism().map_or(1, usize::from),
            min_bytes: MIN_PART,
        }
    }
}

#[cfg(test)]
mod tests;
