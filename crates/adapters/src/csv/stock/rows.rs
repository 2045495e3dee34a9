//! The rows of `stock.csv` (or of one part of it): the positions' units, the (node, SKU) pair
//! of every row, and the SKUs first seen there.

use super::clean::Clean;
use super::fast::{Fast, LastNode};
use super::positions::Positions;
use crate::csv::fields::{parse_date, Col, Row};
use crate::csv::sheet::Sheet;
use crate::csv::{SkuBatch, SkuStage};
use crate::problem::clip;
use crate::InputError;
use omniroute_core::codes::{InputCode, InventoryCode};
use omniroute_core::{Incoming, Network, SkuId, Skus, StockRow};

/// The columns of `stock.csv`.
pub(super) struct Cols {
    pub node_id: Col,
    pub sku: Col,
    pub qty: Col,
    pub reserved: Col,
    pub safety_stock: Col,
    pub incoming_qty: Col,
    pub incoming_date: Col,
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

/// What the rows of a sheet (or of one part of it) hold: kept between parts, so that reading
/// a file in chunks reuses the same buffers.
pub(super) struct Rows {
    /// Every clean row (none are kept without a network).
    pub kept: Vec<StockRow>,
    /// The incoming units of the clean rows that give some: (index in `kept`, units).
    pub incoming: Vec<(usize, Incoming)>,
    /// Where the rows naming a known node and a SKU are.
    pub positions: Positions,
    /// SKU ids handed out to the names neither in the shared table nor staged under these rows.
    pub stage: SkuStage,
    /// The dictionary values looked up by the clean rows read so far, and their ids (the SKUs'
    /// staged in `stage`): kept for the next window of the same table.
    clean: Clean,
}

impl Rows {
    /// Nothing read yet, on top of `skus`.
    pub fn new(skus: &Skus) -> Self {
        Rows {
            kept: Vec::new(),
            incoming: Vec::new(),
            positions: Positions::new(),
            stage: SkuStage::new(skus),
            clean: Clean::default(),
        }
    }

    /// Empties these rows (their buffers' room kept) to read a part whose new SKU names are
    /// staged above `under`.
    pub fn restart(&mut self, under: &SkuStage) {
        self.stage = SkuStage::above(under);
        self.kept.clear();
        self.incoming.clear();
        self.clean = Clean::default();
    }
}

/// Reads every row of `sheet` into `out` (emptied first), giving the SKU names neither in
/// `skus` nor staged in `under` ids staged on top of both.
pub(super) fn read_rows(
    sheet: &mut Sheet<'_>,
    cols: &Cols,
    network: Option<&Network>,
    (skus, under): (&Skus, &SkuStage),
    out: &mut Rows,
) -> Result<(), InputError> {
    out.restart(under);
    read_more_rows(sheet, cols, network, (skus, under), out)
}

/// [`read_rows`] of the rows that follow those in `out` in the same input (the next window of a
/// table, read on the same thread; `out` [`Rows::restart`]ed above `under` before the first):
/// they are added to `out`'s, their SKU names staged beside the names `out` staged.
pub(super) fn read_more_rows(
    sheet: &mut Sheet<'_>,
    cols: &Cols,
    network: Option<&Network>,
    (skus, under): (&Skus, &SkuStage),
    out: &mut Rows,
) -> Result<(), InputError> {
    if network.is_some() {
        let rows = sheet.rows_hint();
        out.kept.reserve(rows);
    }
    let mut last_node = LastNode::default();
    let mut pending = Pending::default();
    let fast = network.and_then(|n| Some((Fast::new(cols, sheet.columns())?, n)));
    let mut clean = std::mem::take(&mut out.clean);
    loop {
        // A table's rows whose cells the checks below take as they are, at once.
        clean.take(
            sheet,
            cols,
            network,
            (skus, under),
            out,
            (&mut pending, &mut last_node),
        );
        let next = sheet.next_row_fast(&mut |bytes, line| {
            let (fast, network) = fast.as_ref()?;
            let row = fast.read(bytes)?;
            let node = last_node.find(network, row.node)?;
            out.positions.keep(line);
            pending.push(row.sku, Some(out.kept.len()));
            out.kept.push(StockRow {
                node,
                sku: SkuId(u32::MAX),
                on_hand: row.qty,
                reserved: row.reserved,
                safety_stock: row.safety_stock,
            });
            if pending.batch.len() >= PENDING {
                pending.resolve((skus, under), out);
            }
            Some(row.end)
        });
        let Some(mut row) = next? else { break };
        let node_text = row.text(cols.node_id);
        let node = node_text.zip(network).and_then(|(id, network)| {
            let node = last_node.find(network, id.as_bytes());
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
        let sku = row.text(cols.sku);
        let on_hand = row
            .filled(cols.qty)
            .and_then(|()| units(&mut row, cols.qty));
        let reserved = units(&mut row, cols.reserved);
        let safety_stock = units(&mut row, cols.safety_stock);
        let incoming = incoming(&mut row, cols);
        let Some(name) = sku else { continue };
        match node {
            Some(node) if row.is_clean() => {
                out.positions.keep(row.line);
                if let Some(incoming) = incoming {
                    out.incoming.push((out.kept.len(), incoming));
                }
                // The SKU's id is set when its batch is looked up.
                pending.push(name, Some(out.kept.len()));
                out.kept.push(StockRow {
                    node,
                    sku: SkuId(u32::MAX),
                    on_hand: on_hand.unwrap_or(0),
                    reserved: reserved.unwrap_or(0),
                    safety_stock: safety_stock.unwrap_or(0),
                });
            }
            Some(node) => {
                // Rare: looked up at once, after the names before it.
                pending.resolve((skus, under), out);
                let sku = out.stage.id_above(skus, under, name);
                out.positions.drop_row(node, sku, row.line);
            }
            // No node to keep the row under: the SKU is still staged, in its turn.
            None => pending.push(name, None),
        }
        if pending.batch.len() >= PENDING {
            pending.resolve((skus, under), out);
        }
    }
    pending.resolve((skus, under), out);
    out.clean = clean;
    Ok(())
}

/// How many rows' SKUs are looked up together.
pub(super) const PENDING: usize = 256;

/// The SKU names of the rows read since the last lookup, and the kept row each names.
#[derive(Default)]
pub(super) struct Pending {
    pub batch: SkuBatch,
    /// Index in [`Rows::kept`] of the row of each name (none for a row not kept).
    rows: Vec<Option<usize>>,
    ids: Vec<SkuId>,
}

impl Pending {
    pub fn push(&mut self, name: &str, row: Option<usize>) {
        self.batch.push(name);
        self.rows.push(row);
    }

    /// Gives the waiting names their ids (staging new ones in `out`, in order) and sets them
    /// in their rows.
    pub fn resolve(&mut self, (skus, under): (&Skus, &SkuStage), out: &mut Rows) {
        if self.rows.is_empty() {
            return;
        }
        out.stage
            .ids_above(skus, under, &mut self.batch, &mut self.ids);
        for (&row, &id) in self.rows.iter().zip(&self.ids) {
            if let Some(i) = row {
                out.kept[i].sku = id;
            }
        }
        self.rows.clear();
    }
}

/// An optional quantity of units: a whole number from 0 (negative is `E1011`).
fn units(row: &mut Row<'_>, col: Option<usize>) -> Option<u32> {
    let v = row.int(col, i64::MIN, i64::MAX)?;
    if v < 0 {
        negative(row, col, v);
        return None;
    }
    row.in_range(col, v, 0, u32::MAX.into()).map(|v| v as u32)
}

/// `E1011`: a negative quantity.
#[cold]
fn negative(row: &mut Row<'_>, col: Col, v: i64) {
    row.error(
        InputCode::Quantity.id(),
        col,
        format!("{} {v} is negative", col.map_or("qty", |i| row.name(i))),
        "stock quantities are units from 0 up",
    );
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
