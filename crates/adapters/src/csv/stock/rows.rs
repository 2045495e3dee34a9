//! The rows of `stock.csv` (or of one part of it): the records, the (node, SKU) pair of every
//! row, and the SKUs first seen there.

use super::positions::Positions;
use super::StockRecord;
use crate::csv::fields::{parse_date, Col, Row};
use crate::csv::sheet::Sheet;
use crate::csv::SkuStage;
use crate::problem::clip;
use crate::InputError;
use omniroute_core::codes::{InputCode, InventoryCode};
use omniroute_core::{Incoming, Network, Skus};

/// The columns of `stock.csv`.
pub(super) struct Cols {
    node_id: Col,
    pub sku: Col,
    qty: Col,
    reserved: Col,
    safety_stock: Col,
    incoming_qty: Col,
    incoming_date: Col,
}

impl Cols {
    pub fn claim(sheet: &mut Sheet<'_>) -> Self {
        Self {
            node_id: sheet.required(&["node_id"]),
            sku: sheet.required(&["sku"]),
            qty: sheet.required(&["qty", "on_hand"]),
            reserved: sheet.optional("reserved"),
            safety_stock: sheet.optional("safety_stock"),
            incoming_qty: sheet.optional("incoming_qty"),
            incoming_date: sheet.optional("incoming_date"),
        }
    }
}

/// What the rows of a sheet hold.
pub(super) struct Rows {
    /// Every clean row (none are kept without a network).
    pub records: Vec<StockRecord>,
    /// The pair of every row naming a known node and a SKU.
    pub positions: Positions,
    /// SKU ids handed out to the names not in the shared table.
    pub stage: SkuStage,
}

/// Reads every row of `sheet`, giving new SKU names ids staged on top of `skus`. The outputs
/// are sized for `rows` rows (more when the sheet holds more): the first part of a file read in
/// parts is sized for the whole file, so that [`Rows::concat`] appends the other parts in place.
pub(super) fn read_rows(
    sheet: &mut Sheet<'_>,
    cols: &Cols,
    network: Option<&Network>,
    skus: &Skus,
    rows: usize,
) -> Result<Rows, InputError> {
    let mut stage = SkuStage::new(skus);
    let mut records = Vec::with_capacity(if network.is_some() {
        rows.max(sheet.rows_hint())
    } else {
        0
    });
    let mut positions = Positions::with_capacity(records.capacity());
    while let Some(mut row) = sheet.next_row()? {
        let node_text = row.text(cols.node_id);
        let node = node_text.zip(network).and_then(|(id, network)| {
            let node = network.find(id);
            if node.is_none() {
                row.error(
                    InputCode::UnknownNode.id(),
                    cols.node_id,
                    format!("node {:?} is not in the network", clip(id)),
                    "add the node to nodes.csv, or fix the node_id",
                );
            }
            node
        });
        let sku_id = row.text(cols.sku).map(|name| stage.id(skus, name));
        let on_hand = row.text(cols.qty).and_then(|_| units(&mut row, cols.qty));
        let reserved = units(&mut row, cols.reserved);
        let safety_stock = units(&mut row, cols.safety_stock);
        let incoming = incoming(&mut row, cols);
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
                incoming: incoming.unwrap_or_default(),
            });
        }
    }
    Ok(Rows {
        records,
        positions,
        stage,
    })
}

impl Rows {
    /// The parts of one file, read on their own, as if read in one go: the SKUs each part saw
    /// first get the ids one reader would have given them, and each part's lines move down by
    /// its offset in `offsets`.
    pub fn concat(parts: Vec<Rows>, offsets: &[u64], skus: &Skus) -> Rows {
        let mut parts = parts.into_iter().zip(offsets);
        let Some((mut all, &first)) = parts.next() else {
            return Rows {
                records: Vec::new(),
                positions: Positions::with_capacity(0),
                stage: SkuStage::new(skus),
            };
        };
        all.positions.shift(first);
        for (part, &offset) in parts {
            let id = all.stage.absorb(skus, &part.stage);
            all.records.extend(part.records.into_iter().map(|mut r| {
                r.sku = id(r.sku);
                r
            }));
            all.positions.append(part.positions, offset, &id);
        }
        all
    }
}

/// An optional quantity of units: a whole number from 0 (negative is `E1011`).
fn units(row: &mut Row<'_>, col: Option<usize>) -> Option<u32> {
    let v = row.int(col, i64::MIN, i64::MAX)?;
    if v < 0 {
        row.error(
            InputCode::Quantity.id(),
            col,
            format!("{} {v} is negative", col.map_or("qty", |i| row.name(i))),
            "stock quantities are units from 0 up",
        );
        return None;
    }
    row.in_range(col, v, 0, u32::MAX.into()).map(|v| v as u32)
}

/// The row's incoming units: `incoming_qty` (whole units from 0, `E3250`) arriving on
/// `incoming_date` (an ISO date, `E3251`), both or neither (`E3252`, at the empty one).
fn incoming(row: &mut Row<'_>, cols: &Cols) -> Option<Incoming> {
    let (qty_col, date_col) = (cols.incoming_qty, cols.incoming_date);
    let qty = row.parse(
        qty_col,
        InventoryCode::IncomingQty.id(),
        "a whole number of units from 0",
        "write the units on their way as digits, like 12",
        |s| s.parse::<u32>().ok(),
    );
    let date = row.parse(
        date_col,
        InventoryCode::IncomingDate.id(),
        "a date YYYY-MM-DD",
        "write the date the units arrive like 2026-03-31",
        parse_date,
    );
    match (row.cell(qty_col), row.cell(date_col)) {
        (Some(_), None) => pair_error(row, date_col.or(qty_col), "incoming_qty", "incoming_date"),
        (None, Some(_)) => pair_error(row, qty_col.or(date_col), "incoming_date", "incoming_qty"),
        _ => {}
    }
    Some(Incoming {
        qty: qty?,
        expected: Some(date?),
    })
}

fn pair_error(row: &mut Row<'_>, col: Col, given: &str, missing: &str) {
    row.error(
        InventoryCode::IncomingPair.id(),
        col,
        format!("{given} is given without {missing}"),
        "give incoming_qty and incoming_date together, or leave both empty",
    );
}
