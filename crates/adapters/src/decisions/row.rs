//! One row of decisions.csv: its cells checked against the orders and the network, and added to
//! its order's shipments or unfilled lines.

use super::read::HINT;
use crate::csv::fields::{self, Col};
use crate::problem::clip;
use jiff::civil::Date;
use omniroute_core::codes::InputCode;
use omniroute_core::{Network, NodeIdx, Order, Reason, Skus};

use rustc_hash::FxHashMap;
use std::num::NonZeroU32;

/// The columns of decisions.csv: the required ones are always there once the header is read.
pub(super) struct Columns {
    pub(super) order_id: Col,
    pub(super) line_no: Col,
    pub(super) node_id: Col,
    pub(super) shipment: Col,
    pub(super) distance_km: Col,
    pub(super) promised_date: Col,
    pub(super) cost_cents: Col,
    pub(super) reason: Col,
    pub(super) sku: Col,
    pub(super) qty: Col,
    pub(super) group: Col,
    pub(super) arrival_date: Col,
}

/// One shipment as the file states it.
pub(super) struct FileShipment {
    pub(super) number: u32,
    pub(super) node: NodeIdx,
    pub(super) lines: Vec<usize>,
    pub(super) distance_km: f64,
    pub(super) promised_date: Date,
    pub(super) cost_cents: i64,
    /// The `arrival_date` cell: the shipment ships from incoming stock arriving then.
    pub(super) arrival: Option<Date>,
}

/// One order's rows.
#[derive(Default)]
pub(super) struct FileOrder {
    pub(super) shipments: Vec<FileShipment>,
    /// (line index, reason, file cost).
    pub(super) unfilled: Vec<(usize, Reason, i64)>,
    /// File line where each order line was seen first.
    pub(super) seen: Vec<Option<u64>>,
    /// File line of the order's first row.
    pub(super) first_row: u64,
    /// The order's `group` cell and its line, when the file has the column.
    pub(super) group: Option<(String, u64)>,
}

/// One row of the file with its header's columns.
pub(super) struct Row<'a> {
    pub(super) row: fields::Row<'a>,
    pub(super) cols: &'a Columns,
}

impl<'a> Row<'a> {
    /// The row's line.
    pub(super) fn line(&self) -> u64 {
        self.row.line
    }

    /// The trimmed cell of column `col` ("" when the column or the cell is absent).
    pub(super) fn get(&self, col: Col) -> &'a str {
        self.row.cell(col).unwrap_or("")
    }

    /// Reports an error about column `col` of this row, with `hint`.
    pub(super) fn fail_with(&mut self, code: &'static str, col: Col, message: String, hint: &str) {
        self.row.error(code, col, message, hint);
    }

    /// Reports an error about column `col` of this row.
    fn fail(&mut self, code: &'static str, col: Col, message: String) {
        self.fail_with(code, col, message, HINT);
    }

    /// Parses the cell of column `col` (one the header has), or reports `E1110`.
    fn parse<T: std::str::FromStr>(&mut self, col: Col, what: &str) -> Option<T> {
        let text = self.get(col);
        let v = text.parse::<T>().ok();
        if v.is_none() {
            let name = col.map_or("", |i| self.row.name(i));
            let message = format!("`{name}` `{}` is not {what}", clip(text));
            self.fail(InputCode::DecisionsValue.id(), col, message);
        }
        v
    }
}

/// The reason of an unfilled row (empty `node_id`), or `E1111` when it has none or an unknown one.
fn unfilled_reason(row: &mut Row<'_>) -> Option<Reason> {
    let c = row.cols;
    let reason = Reason::from_code(row.get(c.reason));
    if reason.is_none() {
        let message = if row.get(c.reason).is_empty() {
            "an unfilled line (empty `node_id`) needs a reason code".to_owned()
        } else {
            format!("unknown reason `{}`", clip(row.get(c.reason)))
        };
        row.fail(InputCode::DecisionsReason.id(), c.reason, message);
    }
    reason
}

/// Checks one row and adds it to its order in `out`, or reports its problems.
pub(super) fn read_row(
    row: &mut Row<'_>,
    by_id: &FxHashMap<&str, usize>,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
    out: &mut [FileOrder],
) {
    let (c, line) = (row.cols, row.line());
    let Some(&oi) = by_id.get(row.get(c.order_id)) else {
        row.fail(
            InputCode::DecisionsUnknownOrder.id(),
            c.order_id,
            format!(
                "order `{}` is not in the orders file",
                clip(row.get(c.order_id))
            ),
        );
        return;
    };
    let order = &orders[oi];
    let f = &mut out[oi];
    if f.first_row == 0 {
        f.first_row = line;
    }
    super::group::note_group_cell(row, order, f);
    let Some(line_no) = row.parse::<u32>(c.line_no, "a line number") else {
        return;
    };
    let Some(li) = order.lines.iter().position(|l| l.line_no == line_no) else {
        row.fail(
            InputCode::DecisionsWrongLine.id(),
            c.line_no,
            format!("order `{}` has no line {line_no}", order.id),
        );
        return;
    };
    if !same_line(row, order, li, skus) {
        return;
    }
    let cost = row.parse::<i64>(c.cost_cents, "a whole number of cents");
    let shipped = !row.get(c.node_id).is_empty();
    if shipped && !row.get(c.reason).is_empty() {
        row.fail(
            InputCode::DecisionsReason.id(),
            c.reason,
            format!(
                "line {line_no} of order `{}` ships from `{}` but has reason `{}`",
                order.id,
                clip(row.get(c.node_id)),
                clip(row.get(c.reason))
            ),
        );
        return;
    }
    let parsed = if shipped {
        shipped_cells(row, network)
    } else {
        None
    };
    if let Some(first) = f.seen[li] {
        row.fail(
            InputCode::DecisionsLineTwice.id(),
            c.line_no,
            format!(
                "line {line_no} of order `{}` is already on line {first}",
                order.id
            ),
        );
        return;
    }
    f.seen[li] = Some(line);
    if !shipped {
        let Some(reason) = unfilled_reason(row) else {
            return;
        };
        if let Some(cost) = cost {
            f.unfilled.push((li, reason, cost));
        }
        return;
    }
    let Some(cost) = cost else { return };
    if let Some((node, number, km, date, arrival)) = parsed {
        let s = FileShipment {
            number,
            node,
            lines: vec![li],
            distance_km: km,
            promised_date: date,
            cost_cents: cost,
            arrival,
        };
        add_shipment(f, s, row, &order.id, network);
    }
}

/// True when the row's optional `sku` and `qty` cells match order line `li`, else `E1107`.
fn same_line(row: &mut Row<'_>, order: &Order, li: usize, skus: &Skus) -> bool {
    let c = row.cols;
    let line = &order.lines[li];
    let sku = skus.name(line.sku);
    let (column, differs) = if !row.get(c.sku).is_empty() && row.get(c.sku) != sku {
        (c.sku, format!("`{sku}`, not `{}`", clip(row.get(c.sku))))
    } else if c.qty.is_some() && row.get(c.qty).parse::<u32>().ok() != Some(line.qty) {
        (
            c.qty,
            format!("{} units, not `{}`", line.qty, clip(row.get(c.qty))),
        )
    } else {
        return true;
    };
    row.fail(
        InputCode::DecisionsWrongLine.id(),
        column,
        format!("line {} of order `{}` is {differs}", line.line_no, order.id),
    );
    false
}

/// The node, shipment number, distance, date and (for a shipment from incoming stock) arrival
/// date of a shipped row, or their problems.
fn shipped_cells(
    row: &mut Row<'_>,
    network: &Network,
) -> Option<(NodeIdx, u32, f64, Date, Option<Date>)> {
    let c = row.cols;
    let node = network.find(row.get(c.node_id));
    if node.is_none() {
        row.fail(
            InputCode::DecisionsUnknownNode.id(),
            c.node_id,
            format!(
                "node `{}` is not in the nodes file",
                clip(row.get(c.node_id))
            ),
        );
    }
    let number = row.parse::<NonZeroU32>(c.shipment, "a shipment number (1, 2, …)");
    let km = row.parse::<Km>(c.distance_km, "a distance in km (a number ≥ 0)");
    let date = row.parse::<Date>(c.promised_date, "a date (YYYY-MM-DD)");
    let arrival = match row.get(c.arrival_date) {
        "" => Some(None),
        _ => row
            .parse::<Date>(c.arrival_date, "a date (YYYY-MM-DD)")
            .map(Some),
    };
    Some((node?, number?.get(), km?.0, date?, arrival?))
}

/// A distance cell: a finite number of km, at least 0.
struct Km(f64);

impl std::str::FromStr for Km {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, ()> {
        match text.parse::<f64>() {
            Ok(km) if km.is_finite() && km >= 0.0 => Ok(Km(km)),
            _ => Err(()),
        }
    }
}

/// Adds one shipped row to its shipment (`E1112` when the number already names another node).
fn add_shipment(
    f: &mut FileOrder,
    row_shipment: FileShipment,
    row: &mut Row<'_>,
    order_id: &str,
    network: &Network,
) {
    let (c, number) = (row.cols, row_shipment.number);
    match f.shipments.iter_mut().find(|s| s.number == number) {
        Some(s) if s.node == row_shipment.node => {
            s.lines.extend(row_shipment.lines);
            s.cost_cents += row_shipment.cost_cents;
        }
        Some(s) => row.fail(
            InputCode::ShipmentTwoNodes.id(),
            c.node_id,
            format!(
                "shipment {number} of order `{order_id}` names `{}` here and `{}` before",
                network.node(row_shipment.node).id,
                network.node(s.node).id
            ),
        ),
        None => f.shipments.push(row_shipment),
    }
}
