//! One row of decisions.csv: its cells checked against the orders and the network, and added to
//! its order's shipments or unfilled lines.

use super::read::HINT;
use crate::problem::{clip, Problems};
use jiff::civil::Date;
use omniroute_core::codes::InputCode;
use omniroute_core::{Network, NodeIdx, Order, Reason, Skus};
use std::collections::HashMap;
use std::num::NonZeroU32;

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

/// One record of the file with its header's columns and its line.
pub(super) struct Row<'a> {
    pub(super) rec: &'a csv::StringRecord,
    pub(super) cols: &'a HashMap<&'static str, usize>,
    pub(super) line: u64,
}

impl Row<'_> {
    /// The trimmed cell of column `name` ("" when the column or the cell is absent).
    pub(super) fn get(&self, name: &str) -> &str {
        self.cols
            .get(name)
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
            .trim()
    }

    pub(super) fn col(&self, name: &str) -> u64 {
        self.cols[name] as u64 + 1
    }

    /// Parses the cell, or reports `E1110`.
    fn parse<T: std::str::FromStr>(
        &self,
        name: &str,
        what: &str,
        problems: &mut Problems,
    ) -> Option<T> {
        let text = self.get(name);
        let v = text.parse::<T>().ok();
        if v.is_none() {
            problems.error(
                InputCode::DecisionsValue.id(),
                self.line,
                self.col(name),
                format!("`{name}` `{}` is not {what}", clip(text)),
                HINT,
            );
        }
        v
    }
}

/// Checks one row and adds it to its order in `out`, or reports its problems.
/// The reason of an unfilled row (empty `node_id`), or `E1111` when it has none or an unknown one.
fn unfilled_reason(row: &Row<'_>, problems: &mut Problems) -> Option<Reason> {
    let reason = Reason::from_code(row.get("reason"));
    if reason.is_none() {
        let message = if row.get("reason").is_empty() {
            "an unfilled line (empty `node_id`) needs a reason code".to_owned()
        } else {
            format!("unknown reason `{}`", clip(row.get("reason")))
        };
        problems.error(
            InputCode::DecisionsReason.id(),
            row.line,
            row.col("reason"),
            message,
            HINT,
        );
    }
    reason
}

pub(super) fn read_row(
    row: &Row<'_>,
    by_id: &HashMap<&str, usize>,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
    out: &mut [FileOrder],
    problems: &mut Problems,
) {
    let line = row.line;
    let Some(&oi) = by_id.get(row.get("order_id")) else {
        problems.error(
            InputCode::DecisionsUnknownOrder.id(),
            line,
            row.col("order_id"),
            format!(
                "order `{}` is not in the orders file",
                clip(row.get("order_id"))
            ),
            HINT,
        );
        return;
    };
    let order = &orders[oi];
    let f = &mut out[oi];
    if f.first_row == 0 {
        f.first_row = line;
    }
    super::group::note_group_cell(row, order, f, problems);
    let Some(line_no) = row.parse::<u32>("line_no", "a line number", problems) else {
        return;
    };
    let Some(li) = order.lines.iter().position(|l| l.line_no == line_no) else {
        problems.error(
            InputCode::DecisionsWrongLine.id(),
            line,
            row.col("line_no"),
            format!("order `{}` has no line {line_no}", order.id),
            HINT,
        );
        return;
    };
    if !same_line(row, order, li, skus, problems) {
        return;
    }
    let cost = row.parse::<i64>("cost_cents", "a whole number of cents", problems);
    let shipped = !row.get("node_id").is_empty();
    if shipped && !row.get("reason").is_empty() {
        problems.error(
            InputCode::DecisionsReason.id(),
            line,
            row.col("reason"),
            format!(
                "line {line_no} of order `{}` ships from `{}` but has reason `{}`",
                order.id,
                clip(row.get("node_id")),
                clip(row.get("reason"))
            ),
            HINT,
        );
        return;
    }
    let parsed = if shipped {
        shipped_cells(row, network, problems)
    } else {
        None
    };
    if let Some(first) = f.seen[li] {
        problems.error(
            InputCode::DecisionsLineTwice.id(),
            line,
            row.col("line_no"),
            format!(
                "line {line_no} of order `{}` is already on line {first}",
                order.id
            ),
            HINT,
        );
        return;
    }
    f.seen[li] = Some(line);
    if !shipped {
        let Some(reason) = unfilled_reason(row, problems) else {
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
        add_shipment(f, s, row, &order.id, network, problems);
    }
}

/// True when the row's optional `sku` and `qty` cells match order line `li`, else `E1107`.
fn same_line(
    row: &Row<'_>,
    order: &Order,
    li: usize,
    skus: &Skus,
    problems: &mut Problems,
) -> bool {
    let line = &order.lines[li];
    let sku = skus.name(line.sku);
    let (column, differs) = if !row.get("sku").is_empty() && row.get("sku") != sku {
        ("sku", format!("`{sku}`, not `{}`", clip(row.get("sku"))))
    } else if row.cols.contains_key("qty") && row.get("qty").parse::<u32>().ok() != Some(line.qty) {
        (
            "qty",
            format!("{} units, not `{}`", line.qty, clip(row.get("qty"))),
        )
    } else {
        return true;
    };
    problems.error(
        InputCode::DecisionsWrongLine.id(),
        row.line,
        row.col(column),
        format!("line {} of order `{}` is {differs}", line.line_no, order.id),
        HINT,
    );
    false
}

/// The node, shipment number, distance, date and (for a shipment from incoming stock) arrival
/// date of a shipped row, or their problems.
fn shipped_cells(
    row: &Row<'_>,
    network: &Network,
    problems: &mut Problems,
) -> Option<(NodeIdx, u32, f64, Date, Option<Date>)> {
    let node = network.find(row.get("node_id"));
    if node.is_none() {
        problems.error(
            InputCode::DecisionsUnknownNode.id(),
            row.line,
            row.col("node_id"),
            format!(
                "node `{}` is not in the nodes file",
                clip(row.get("node_id"))
            ),
            HINT,
        );
    }
    let number = row.parse::<NonZeroU32>("shipment", "a shipment number (1, 2, …)", problems);
    let km = row.parse::<Km>("distance_km", "a distance in km (a number ≥ 0)", problems);
    let date = row.parse::<Date>("promised_date", "a date (YYYY-MM-DD)", problems);
    let arrival = match row.get("arrival_date") {
        "" => Some(None),
        _ => row
            .parse::<Date>("arrival_date", "a date (YYYY-MM-DD)", problems)
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
    row: &Row<'_>,
    order_id: &str,
    network: &Network,
    problems: &mut Problems,
) {
    let number = row_shipment.number;
    match f.shipments.iter_mut().find(|s| s.number == number) {
        Some(s) if s.node == row_shipment.node => {
            s.lines.extend(row_shipment.lines);
            s.cost_cents += row_shipment.cost_cents;
        }
        Some(s) => problems.error(
            InputCode::ShipmentTwoNodes.id(),
            row.line,
            row.col("node_id"),
            format!(
                "shipment {number} of order `{order_id}` names `{}` here and `{}` before",
                network.node(row_shipment.node).id,
                network.node(s.node).id
            ),
            HINT,
        ),
        None => f.shipments.push(row_shipment),
    }
}
