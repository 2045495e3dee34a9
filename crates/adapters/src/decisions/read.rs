//! Reading decisions.csv back into a [`Plan`], for `omniroute check` and `omniroute reroute`.
//!
//! Every shipment is re-priced from scratch with the core's [`shipment_cost`] (so the plan's
//! costs and distances are exact, not the file's rounded figures); the promised date is the
//! file's (it is what the customer was told). Each order is priced under its policy version (the
//! one of its `created_at`, or of `now` without one). Unfilled lines cost the version's
//! `unfilled_per_unit_cents` per unit and keep the file's reason. Where the file's `cost_cents`
//! or `distance_km` disagree with the recomputed figures, [`read_decisions_file`] says so. A
//! shipment that breaks a hard rule (reach, exclusion, inactive node…) cannot be priced: it keeps
//! the file's cost as its fixed cost and the file's distance, and [`omniroute_core::check`]
//! reports the rule.
//!
//! The file is read by the shared reader of every table input (CSV text, or the columns of a
//! decisions.parquet): an empty file, text that is not UTF-8, a delimiter other than a comma, a
//! repeated column or a row with the wrong number of fields has the code it has in every input
//! (`E1001`–`E1006`), and lines are the file's lines.
//!
//! Problems, each with its line (header = 1) and column (1-based; 0 for the whole file):
//! `E1104` a required column missing, `E1105` unknown order id,
//! `E1106` unknown node, `E1107` a `line_no` the order does not have (or whose optional `sku`
//! or `qty` cell differs from the order line), `E1108` a line written
//! twice, `E1109` a line of an order missing, `E1110` a number or date that cannot be read (a
//! shipment number of 0, a distance that is not a finite number ≥ 0),
//! `E1111` an unknown or missing reason code on an unfilled line, or a reason on a shipped one,
//! `E1112` one shipment number naming two nodes.

use super::rebuild::rebuild;
use super::row::{read_row, Columns, FileOrder, Row};
use crate::csv::Sheet;
use crate::{InputError, Source, TableInput};
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use omniroute_core::{Network, Order, Plan, PolicyVersions, Skus};
use rustc_hash::FxHashMap;
use std::io::Read;

const COLUMNS: [&str; 8] = [
    "order_id",
    "line_no",
    "node_id",
    "shipment",
    "distance_km",
    "promised_date",
    "cost_cents",
    "reason",
];

pub(super) const HINT: &str =
    "pass the decisions.csv that `omniroute route` wrote for these inputs";

/// A decisions file read back: the rebuilt plan and every place where the file's own figures
/// disagree with the recomputed ones.
#[derive(Debug, Clone)]
pub struct DecisionsFile {
    /// The plan, one decision per order of the orders file, costs recomputed.
    pub plan: Plan,
    /// Where the file's `cost_cents` or `distance_km` differ from the recomputed figures.
    pub disagreements: Vec<Disagreement>,
}

/// A figure in the file that differs from the recomputed one.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// Index of the order in the batch.
    pub order: usize,
    /// What differs, for example `shipment 1: file says 400 cents, expected 504`.
    pub message: String,
}

/// Reads decisions.csv (docs/design.md §7) for `orders` and rebuilds the [`Plan`] it describes, with
/// every cost recomputed. See the module docs for the problems reported; all of them are
/// gathered before returning.
pub fn read_decisions(
    input: impl Read,
    file: &str,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
    policies: &PolicyVersions,
    now: Timestamp,
) -> Result<Plan, InputError> {
    let input = Source::read(input, file)?.into();
    read_decisions_file(&input, orders, network, skus, policies, now).map(|f| f.plan)
}

/// [`read_decisions`] over an input already in memory (decisions.csv's text, or a table of
/// columns such as a decisions.parquet), also returning where the file's figures disagree with
/// the recomputed ones (`omniroute check` reports them as `COST` violations).
pub fn read_decisions_file(
    input: &TableInput,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
    policies: &PolicyVersions,
    now: Timestamp,
) -> Result<DecisionsFile, InputError> {
    let mut sheet = input.sheet()?;
    let Some(cols) = columns(&mut sheet) else {
        return Err(sheet.into_error());
    };
    let by_id: FxHashMap<&str, usize> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let mut out: Vec<FileOrder> = orders
        .iter()
        .map(|o| FileOrder {
            seen: vec![None; o.lines.len()],
            ..FileOrder::default()
        })
        .collect();
    while let Some(row) = sheet.next_row()? {
        let mut row = Row { row, cols: &cols };
        read_row(&mut row, &by_id, orders, network, skus, &mut out);
    }
    let line_no_column = cols.line_no.map_or(0, |i| i as u64 + 1);
    report_missing(orders, &out, line_no_column, &mut sheet);
    if let Some(col) = cols.group {
        let column = col as u64 + 1;
        super::group::check_group_cells(orders, &out, policies, now, column, &mut sheet);
    }
    // Every problem, or none: the decisions file has no warnings.
    sheet.finish()?;
    let mut disagreements = Vec::new();
    let decisions = orders
        .iter()
        .zip(out)
        .enumerate()
        .map(|(i, (order, f))| {
            let policy = policies.for_order(order, now);
            rebuild(order, f, network, policy, now, &mut |message| {
                disagreements.push(Disagreement { order: i, message });
            })
        })
        .collect();
    Ok(DecisionsFile {
        plan: Plan::from_decisions(orders, decisions),
        disagreements,
    })
}

/// The columns of the header (`sku`, `qty`, `group`, `arrival_date` optional), or `None` after
/// an `E1104` for each required one missing.
fn columns(sheet: &mut Sheet<'_>) -> Option<Columns> {
    let required = COLUMNS.map(|name| sheet.optional(name));
    for (name, _) in COLUMNS
        .iter()
        .zip(&required)
        .filter(|(_, col)| col.is_none())
    {
        sheet.error(
            InputCode::DecisionsUnreadable.id(),
            1,
            0,
            format!("missing column `{name}`"),
            HINT,
        );
    }
    if required.contains(&None) {
        return None;
    }
    let [order_id, line_no, node_id, shipment, distance_km, promised_date, cost_cents, reason] =
        required;
    Some(Columns {
        order_id,
        line_no,
        node_id,
        shipment,
        distance_km,
        promised_date,
        cost_cents,
        reason,
        sku: sheet.optional("sku"),
        qty: sheet.optional("qty"),
        group: sheet.optional("group"),
        arrival_date: sheet.optional("arrival_date"),
    })
}

/// `E1109` for every order line without a row.
fn report_missing(orders: &[Order], out: &[FileOrder], line_no_column: u64, sheet: &mut Sheet<'_>) {
    for (order, f) in orders.iter().zip(out) {
        for (l, seen) in f.seen.iter().enumerate() {
            if seen.is_none() {
                let (line, column) = if f.first_row > 0 {
                    (f.first_row, line_no_column)
                } else {
                    (0, 0)
                };
                sheet.error(
                    InputCode::DecisionsLineMissing.id(),
                    line,
                    column,
                    format!(
                        "line {} of order `{}` is neither shipped nor unfilled in the file",
                        order.lines[l].line_no, order.id
                    ),
                    HINT,
                );
            }
        }
    }
}
