//! `stock.csv`: one row per (node, SKU) position.

use super::code;
use super::fields::Row;
use super::sheet::Sheet;
use super::{Loaded, SkuStage};
use crate::problem::clip;
use crate::InputError;
use omniroute_core::{Network, NodeIdx, SkuId, Skus};
use std::io::Read;

const KNOWN: &str = "node_id, sku, qty (or on_hand), reserved, safety_stock";

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
}

/// Reads `stock.csv` for the nodes of `network`, interning new SKUs into `skus` (only when the
/// whole file is accepted).
///
/// Columns `node_id`, `sku`, `qty` (or its synonym `on_hand`) are required; `reserved` and
/// `safety_stock` are optional (default 0). Quantities are whole units from 0 up; a node id not
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
    input: impl Read,
    file: &str,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    read(Sheet::open(input, file)?, Some(network), skus)
}

/// [`read_stock`] over a file already in memory, with no copy of it.
pub(crate) fn read_stock_bytes(
    data: &[u8],
    file: &str,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    read(Sheet::over(data, file)?, Some(network), skus)
}

/// Reads `stock.csv` when its nodes could not be read: reports every problem that does not
/// depend on the nodes (an unknown node or a repeated position cannot be told), so that one bad
/// row of nodes.csv does not hide the stock file's own problems.
pub(crate) fn check_stock_alone(data: &[u8], file: &str) -> Result<(), InputError> {
    read(Sheet::over(data, file)?, None, &mut Skus::default()).map(|_| ())
}

/// Reads `stock.csv`; without `network`, node ids are not looked up and nothing is returned.
fn read(
    mut sheet: Sheet<'_>,
    network: Option<&Network>,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    let node_id = sheet.required(&["node_id"]);
    let sku = sheet.required(&["sku"]);
    let qty = sheet.required(&["qty", "on_hand"]);
    let reserved = sheet.optional("reserved");
    let safety_stock = sheet.optional("safety_stock");
    sheet.end_header(KNOWN);

    let mut stage = SkuStage::new(skus);
    let mut records = Vec::with_capacity(if network.is_some() {
        sheet.rows_hint()
    } else {
        0
    });
    let mut positions = Positions::with_capacity(records.capacity());
    while let Some(mut row) = sheet.next_row()? {
        let node_text = row.text(node_id);
        let node = node_text.zip(network).and_then(|(id, network)| {
            let node = network.find(id);
            if node.is_none() {
                row.error(
                    code::UNKNOWN_NODE,
                    node_id,
                    format!("node {:?} is not in the network", clip(id)),
                    "add the node to nodes.csv, or fix the node_id",
                );
            }
            node
        });
        let sku_id = row.text(sku).map(|name| stage.id(skus, name));
        let on_hand = row.text(qty).and_then(|_| units(&mut row, qty));
        let reserved = units(&mut row, reserved);
        let safety_stock = units(&mut row, safety_stock);
        let (Some(node), Some(sku_id)) = (node, sku_id) else {
            continue;
        };
        positions.push(node, sku_id, row.line);
        if row.is_clean() {
            records.push(StockRecord {
                node,
                sku: sku_id,
                on_hand: on_hand.unwrap_or(0),
                reserved: reserved.unwrap_or(0),
                safety_stock: safety_stock.unwrap_or(0),
            });
        }
    }
    if let Some(network) = network {
        let sku_column = sku.map_or(0, |i| i as u64 + 1);
        for (node, sku_id, line, first) in positions.repeated() {
            sheet.error(
                code::DUPLICATE_STOCK,
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

/// An optional quantity of units: a whole number from 0 (negative is `E1011`).
fn units(row: &mut Row<'_>, col: Option<usize>) -> Option<u32> {
    let v = row.int(col, i64::MIN, i64::MAX)?;
    if v < 0 {
        row.error(
            code::QUANTITY,
            col,
            format!("{} {v} is negative", col.map_or("qty", |i| row.name(i))),
            "stock quantities are units from 0 up",
        );
        return None;
    }
    row.in_range(col, v, 0, u32::MAX.into()).map(|v| v as u32)
}

/// The (node, SKU) pair of every row, to find the pairs given twice once the file is read: a
/// sort of 8-byte keys, skipped when the rows came in key order (as exports usually do), costs
/// less than a hash set of every pair.
struct Positions {
    /// (node << 32 | sku, line) per row.
    rows: Vec<(u64, u64)>,
    /// Every key so far was above the one before it: no pair can repeat.
    ascending: bool,
}

impl Positions {
    fn with_capacity(rows: usize) -> Self {
        Self {
            rows: Vec::with_capacity(rows),
            ascending: true,
        }
    }

    fn push(&mut self, node: NodeIdx, sku: SkuId, line: u64) {
        let key = (u64::from(node.0) << 32) | u64::from(sku.0);
        self.ascending = match self.rows.last() {
            None => true,
            Some(&(last, _)) => self.ascending && key > last,
        };
        self.rows.push((key, line));
    }

    /// Every row whose pair an earlier row gave, with that earlier row's line, in line order.
    fn repeated(mut self) -> Vec<(NodeIdx, SkuId, u64, u64)> {
        if self.ascending {
            return Vec::new();
        }
        self.rows.sort_unstable();
        let mut out: Vec<(NodeIdx, SkuId, u64, u64)> = self
            .rows
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() > 1)
            .flat_map(|group| {
                let (key, first) = group[0];
                let (node, sku) = (NodeIdx((key >> 32) as u32), SkuId(key as u32));
                group[1..]
                    .iter()
                    .map(move |&(_, line)| (node, sku, line, first))
            })
            .collect();
        out.sort_unstable_by_key(|r| r.2);
        out
    }
}
