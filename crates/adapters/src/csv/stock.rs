//! `stock.csv`: one row per (node, SKU) position.

use super::sheet::{Sheet, MIN_PART};
use super::Loaded;
use crate::problem::clip;
use crate::{InputError, ParquetFile, TableInput};
use omniroute_core::codes::InputCode;
use omniroute_core::{Incoming, Network, NodeIdx, SkuId, Skus, StockRow};
use rows::{read_rows, Cols, Rows};
use std::io::Read;
use stream::{read_stream, Acc};

mod clean;
mod fast;
mod positions;
mod repeats;
mod rows;
mod stream;
mod windows;

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

/// The positions of `stock.csv` as read, in file order: each row's units (20 bytes a row)
/// and, apart, the incoming units of the rows that give some (most files give none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stock {
    rows: Vec<StockRow>,
    /// (index in `rows`, units), ascending by index.
    incoming: Vec<(usize, Incoming)>,
}

impl Stock {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each row's units, in file order.
    pub fn rows(&self) -> &[StockRow] {
        &self.rows
    }

    /// The incoming units of the rows that give some, in file order.
    pub fn incoming(&self) -> impl Iterator<Item = (NodeIdx, SkuId, Incoming)> + '_ {
        self.incoming.iter().map(|&(i, inc)| {
            let r = &self.rows[i];
            (r.node, r.sku, inc)
        })
    }

    /// Every row as a [`StockRecord`], in file order.
    pub fn records(&self) -> impl Iterator<Item = StockRecord> + '_ {
        let mut incoming = self.incoming.iter().peekable();
        self.rows.iter().enumerate().map(move |(i, r)| StockRecord {
            node: r.node,
            sku: r.sku,
            on_hand: r.on_hand,
            reserved: r.reserved,
            safety_stock: r.safety_stock,
            incoming: incoming
                .next_if(|&&(at, _)| at == i)
                .map_or_else(Incoming::default, |&(_, inc)| inc),
        })
    }
}

impl FromIterator<StockRecord> for Stock {
    fn from_iter<I: IntoIterator<Item = StockRecord>>(records: I) -> Self {
        let mut stock = Stock::default();
        for r in records {
            if r.incoming != Incoming::default() {
                stock.incoming.push((stock.rows.len(), r.incoming));
            }
            stock.rows.push(StockRow {
                node: r.node,
                sku: r.sku,
                on_hand: r.on_hand,
                reserved: r.reserved,
                safety_stock: r.safety_stock,
            });
        }
        stock
    }
}

/// Reads `stock.csv` for the nodes of `network`, interning new SKUs into `skus` (only when the
/// whole file is accepted).
///
/// Columns `node_id`, `sku`, `qty` (or its synonym `on_hand`) are required; `reserved` and
/// `safety_stock` are optional (default 0), and so are `incoming_qty` with `incoming_date` (units
/// on their way and the ISO date they arrive: both or neither, `E3250`–`E3252`). Quantities are whole units from 0 up; a node id not
/// in `network` (`E1020`) and a repeated (node, SKU) pair (`E1021`, listed after the rows' own
/// problems, naming the pair's first line) are errors. `input` is read in chunks as it is
/// parsed, never whole (unless a field is quoted).
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
    input: impl Read,
    file: &str,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    let network = NetworkSoon::Known(Some(network));
    let read = read_stream(input, file, &network, skus, Threads::all(None))?;
    Ok(records(read))
}

/// [`read_stock`] over an input already in memory (CSV text, read in chunks with no copy of it
/// whole, or a table of columns, see [`crate::Table`]): the same checks and codes.
pub fn read_stock_input(
    input: &TableInput,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    let read = read_from(
        StockInput::Table(input),
        &NetworkSoon::Known(Some(network)),
        skus,
    )?;
    Ok(records(read))
}

/// [`read_stock_input`] as a [`Stock`] (each row's units, the incoming units apart), without a
/// [`StockRecord`] a row: for a caller that builds a ledger from the rows.
pub fn read_stock_rows(
    input: &TableInput,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Stock>, InputError> {
    read_from(
        StockInput::Table(input),
        &NetworkSoon::Known(Some(network)),
        skus,
    )
}

/// Where stock.csv is read from.
#[derive(Clone, Copy)]
pub(crate) enum StockInput<'a> {
    /// An input in memory.
    Table(&'a TableInput),
    /// A Parquet file, decoded a window at a time.
    Parquet(&'a ParquetFile),
    /// A file and its name, read in chunks.
    File(&'a str, &'a std::fs::File),
}

impl StockInput<'_> {
    /// True when the input is streamed in chunks (a file, or CSV text in memory), so it can start
    /// before the network is read; a table (Parquet) waits for the network first.
    pub(crate) fn streams(self) -> bool {
        matches!(
            self,
            StockInput::File(..) | StockInput::Table(TableInput::Text(_))
        )
    }
}

/// The network stock.csv's nodes are looked up in: known, or being read (nodes.csv, on another
/// thread) while the stock's header and first chunk are read and its output's memory touched.
#[derive(Clone, Copy)]
pub(crate) enum NetworkSoon<'a, 'n> {
    /// Known (`None`: nodes.csv could not be read).
    Known(Option<&'n Network>),
    /// Being read: `ready` once it is read, `wait` for it (both may be called again; the first
    /// wait may also start the work that waits on the network, such as reading orders.csv).
    Reading {
        ready: &'a dyn Fn() -> bool,
        wait: &'a dyn Fn() -> Option<&'n Network>,
    },
}

impl<'n> NetworkSoon<'_, 'n> {
    /// True unless known to be missing.
    fn may_give(&self) -> bool {
        !matches!(self, NetworkSoon::Known(None))
    }

    /// True once the network (or its absence) is known.
    fn ready(&self) -> bool {
        match self {
            NetworkSoon::Known(_) => true,
            NetworkSoon::Reading { ready, .. } => ready(),
        }
    }

    /// The network, once read.
    fn wait(&self) -> Option<&'n Network> {
        match self {
            NetworkSoon::Known(network) => *network,
            NetworkSoon::Reading { wait, .. } => wait(),
        }
    }
}

/// Reads stock.csv for `network` as a [`Stock`]. Without a network (its nodes could not be
/// read), reports every problem that does not depend on the nodes (an unknown node or a
/// repeated position cannot be told), so that one bad row of nodes.csv does not hide the stock
/// file's own problems, and returns `None`. A stock file whose header cannot be read may
/// return before waiting for the network.
pub(crate) fn read_stock_any(
    input: StockInput<'_>,
    network: NetworkSoon<'_, '_>,
    skus: &mut Skus,
) -> Result<Option<Loaded<Stock>>, InputError> {
    let read = read_from(input, &network, skus)?;
    Ok(network.wait().map(|_| read))
}

/// Reads `input` as [`read_stock_any`] does, returning what was read even without a network.
fn read_from(
    input: StockInput<'_>,
    network: &NetworkSoon<'_, '_>,
    skus: &mut Skus,
) -> Result<Loaded<Stock>, InputError> {
    match input {
        StockInput::Table(TableInput::Text(src)) => {
            let threads = Threads::all(Some(src.bytes.len() as u64));
            read_stream(src.bytes.as_slice(), &src.name, network, skus, threads)
        }
        StockInput::Table(TableInput::Columns(table)) => {
            // Waited for first: the orders start reading then (their thread is a table's
            // critical path).
            let network = network.wait();
            windows::read_table(table, network, skus, parts_beside(0))
        }
        StockInput::Parquet(file) => {
            let network = network.wait();
            windows::read_file(file, network, skus, parts_beside(1))
        }
        StockInput::File(name, file) => {
            let threads = Threads::all(file.metadata().ok().map(|m| m.len()));
            read_stream(file, name, network, skus, threads)
        }
    }
}

fn records(read: Loaded<Stock>) -> Loaded<Vec<StockRecord>> {
    Loaded {
        value: read.value.records().collect(),
        warnings: read.warnings,
    }
}

/// Reads every row of `sheet` (CSV text, its header not claimed yet) on this thread.
fn read_whole(
    mut sheet: Sheet<'_>,
    network: Option<&Network>,
    skus: &mut Skus,
) -> Result<Loaded<Stock>, InputError> {
    let cols = Cols::claim(&mut sheet);
    sheet.end_header(KNOWN);
    let mut acc = Acc::new(skus, network, Vec::new());
    let mut part = Rows::new(skus);
    if network.is_some() {
        // The part's rows become the output's ([`Acc::absorb`]): room for all of them.
        part.kept.reserve(sheet.rows_hint());
    }
    read_rows(&mut sheet, &cols, network, (skus, &acc.stage), &mut part)?;
    acc.absorb(&mut part, 0, skus);
    finish(sheet, &cols, acc, network, skus)
}

/// [`read_stock_any`] of a Parquet file once the nodes are read (`network` is `None` when they
/// failed), decoded a window at a time beside the rows ([`windows::read_file`]), in parts on
/// every core but `busy` (cores taken by other work, such as reading the orders) and the
/// decoder's, at least one.
pub(crate) fn read_stock_file(
    file: &ParquetFile,
    network: Option<&Network>,
    skus: &mut Skus,
    busy: usize,
) -> Result<Option<Loaded<Stock>>, InputError> {
    let read = windows::read_file(file, network, skus, parts_beside(busy.saturating_add(1)))?;
    Ok(network.map(|_| read))
}

/// Parts a table's rows are read in: one a core but the `busy` ones, at least one.
fn parts_beside(busy: usize) -> usize {
    Threads::all(None).count.saturating_sub(busy).max(1)
}

/// Ends the read of every row: reports the repeated positions, then the sheet's problems, or
/// gives the SKUs first named here their ids in `skus` and returns the stock.
fn finish(
    mut sheet: Sheet<'_>,
    cols: &Cols,
    acc: Acc,
    network: Option<&Network>,
    skus: &mut Skus,
) -> Result<Loaded<Stock>, InputError> {
    let (stock, stage, repeats) = acc.into_parts();
    if let (Some(network), Some(repeats)) = (network, repeats) {
        let sku_column = cols.sku.map_or(0, |i| i as u64 + 1);
        for (node, sku_id, line, first) in repeats {
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
        value: stock,
        warnings,
    })
}

/// How a file is read: by how many threads, in how many parts a chunk at most, the fewest bytes
/// a part reads, the chunk of the file in memory at once, and the file's size when known.
#[derive(Clone, Copy)]
struct Threads {
    count: usize,
    parts: usize,
    min_bytes: usize,
    chunk_bytes: usize,
    file_bytes: Option<u64>,
}

/// Parts a CSV chunk is cut into for each core: the threads claim them one at a time
/// (`stream.rs`), so the more there are, the less a core waits at the chunk's end for the
/// last one, and the more each part's start and end cost (on two cores, alternated: three a
/// core 1 ms faster than four, 2 ms of CPU less; as fast as two).
const PARTS_PER_CORE: usize = 3;

impl Threads {
    /// One per core, on chunks of two [`MIN_PART`] a core, each cut into [`PARTS_PER_CORE`]
    /// parts a core of a quarter of [`MIN_PART`] or more on average.
    fn all(file_bytes: Option<u64>) -> Self {
        let count = std::thread::available_parallelism().map_or(1, usize::from);
        Threads {
            count,
            parts: PARTS_PER_CORE * count,
            min_bytes: MIN_PART / 4,
            chunk_bytes: 2 * MIN_PART * count,
            file_bytes,
        }
    }
}

#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
