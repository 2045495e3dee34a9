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
//! Problems, each with its line (header = 1) and column (1-based; 0 for the whole file):
//! `E1104` the file cannot be read (header, missing column, broken row), `E1105` unknown order id,
//! `E1106` unknown node, `E1107` a `line_no` the order does not have (or whose optional `sku`
//! or `qty` cell differs from the order line), `E1108` a line written
//! twice, `E1109` a line of an order missing, `E1110` a number or date that cannot be read (a
//! shipment number of 0, a distance that is not a finite number ≥ 0),
//! `E1111` an unknown or missing reason code on an unfilled line, or a reason on a shipped one,
//! `E1112` one shipment number naming two nodes. Line numbers come from the csv reader (a file with CRLF line ends or blank
//! lines is numbered by records).

use crate::{InputError, Problem, MAX_PROBLEMS};
use jiff::civil::Date;
use jiff::Timestamp;
use omniroute_core::{
    shipment_cost, CostBreakdown, Decision, Network, NodeIdx, Order, OrderRules, Plan, Policy,
    PolicyVersions, Reason, Shipment, Skus, UnfilledLine,
};
use std::collections::HashMap;
use std::io::Read;
use std::num::NonZeroU32;

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

const HINT: &str = "pass the decisions.csv that `omniroute route` wrote for these inputs";

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
    read_decisions_file(input, file, orders, network, skus, policies, now).map(|f| f.plan)
}

/// One shipment as the file states it.
struct FileShipment {
    number: u32,
    node: NodeIdx,
    lines: Vec<usize>,
    distance_km: f64,
    promised_date: Date,
    cost_cents: i64,
}

/// One order's rows.
#[derive(Default)]
struct FileOrder {
    shipments: Vec<FileShipment>,
    /// (line index, reason, file cost).
    unfilled: Vec<(usize, Reason, i64)>,
    /// File line where each order line was seen first.
    seen: Vec<Option<u64>>,
    /// File line of the order's first row.
    first_row: u64,
}

/// [`read_decisions`], also returning where the file's figures disagree with the recomputed ones
/// (`omniroute check` reports them as `COST` violations).
pub fn read_decisions_file(
    mut input: impl Read,
    file: &str,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
    policies: &PolicyVersions,
    now: Timestamp,
) -> Result<DecisionsFile, InputError> {
    let mut data = Vec::new();
    input.read_to_end(&mut data).map_err(|e| InputError::Io {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let mut problems = Problems {
        file,
        list: Vec::new(),
        total: 0,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(data.as_slice());
    let cols = columns(&mut rdr, &mut problems).ok_or_else(|| problems.clone().into_error())?;
    let by_id: HashMap<&str, usize> = orders
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
    for rec in rdr.records() {
        if problems.total >= MAX_PROBLEMS {
            break;
        }
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                problems.push("E1104", line, 0, format!("cannot read the row: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, csv::Position::line);
        let row = Row {
            rec: &rec,
            cols: &cols,
            line,
        };
        read_row(&row, &by_id, orders, network, skus, &mut out, &mut problems);
    }
    report_missing(orders, &out, cols["line_no"] as u64 + 1, &mut problems);
    if problems.total > 0 {
        return Err(problems.into_error());
    }
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

/// The column of each name in the header (`sku` optional), or `None` with `E1104` problems.
fn columns(
    rdr: &mut csv::Reader<&[u8]>,
    problems: &mut Problems<'_>,
) -> Option<HashMap<&'static str, usize>> {
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push("E1104", 1, 0, format!("cannot read the header: {e}"));
            return None;
        }
    };
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let mut cols = HashMap::new();
    for name in COLUMNS {
        match find(name) {
            Some(i) => {
                cols.insert(name, i);
            }
            None => problems.push("E1104", 1, 0, format!("missing column `{name}`")),
        }
    }
    if problems.total > 0 {
        return None;
    }
    for optional in ["sku", "qty"] {
        if let Some(i) = find(optional) {
            cols.insert(optional, i);
        }
    }
    Some(cols)
}

/// `E1109` for every order line without a row.
fn report_missing(
    orders: &[Order],
    out: &[FileOrder],
    line_no_column: u64,
    problems: &mut Problems<'_>,
) {
    for (order, f) in orders.iter().zip(out) {
        for (l, seen) in f.seen.iter().enumerate() {
            if seen.is_none() {
                let (line, column) = if f.first_row > 0 {
                    (f.first_row, line_no_column)
                } else {
                    (0, 0)
                };
                problems.push(
                    "E1109",
                    line,
                    column,
                    format!(
                        "line {} of order `{}` is neither shipped nor unfilled in the file",
                        order.lines[l].line_no, order.id
                    ),
                );
            }
        }
    }
}

/// Problems of one file, capped at [`MAX_PROBLEMS`] (then `E1025`).
#[derive(Clone)]
struct Problems<'f> {
    file: &'f str,
    list: Vec<Problem>,
    total: usize,
}

impl Problems<'_> {
    fn push(&mut self, code: &'static str, line: u64, column: u64, message: String) {
        self.total += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem {
                code,
                file: self.file.to_owned(),
                line,
                column,
                message,
                hint: HINT.into(),
            });
        }
    }

    fn into_error(mut self) -> InputError {
        if self.total >= MAX_PROBLEMS {
            self.list.push(Problem {
                code: "E1025",
                file: self.file.to_owned(),
                line: 0,
                column: 0,
                message: format!("too many problems: only the first {MAX_PROBLEMS} are listed"),
                hint:
                    "fix the problems listed (they often share one cause) and read the file again"
                        .into(),
            });
        }
        InputError::Invalid(self.list)
    }
}

struct Row<'a> {
    rec: &'a csv::StringRecord,
    cols: &'a HashMap<&'static str, usize>,
    line: u64,
}

impl Row<'_> {
    /// The trimmed cell of column `name` ("" when the column or the cell is absent).
    fn get(&self, name: &str) -> &str {
        self.cols
            .get(name)
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
            .trim()
    }

    fn col(&self, name: &str) -> u64 {
        self.cols[name] as u64 + 1
    }

    /// Parses the cell, or reports `E1110`.
    fn parse<T: std::str::FromStr>(
        &self,
        name: &str,
        what: &str,
        problems: &mut Problems<'_>,
    ) -> Option<T> {
        let text = self.get(name);
        let v = text.parse::<T>().ok();
        if v.is_none() {
            problems.push(
                "E1110",
                self.line,
                self.col(name),
                format!("`{name}` `{text}` is not {what}"),
            );
        }
        v
    }
}

fn read_row(
    row: &Row<'_>,
    by_id: &HashMap<&str, usize>,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
    out: &mut [FileOrder],
    problems: &mut Problems<'_>,
) {
    let line = row.line;
    let Some(&oi) = by_id.get(row.get("order_id")) else {
        problems.push(
            "E1105",
            line,
            row.col("order_id"),
            format!("order `{}` is not in the orders file", row.get("order_id")),
        );
        return;
    };
    let order = &orders[oi];
    let f = &mut out[oi];
    if f.first_row == 0 {
        f.first_row = line;
    }
    let Some(line_no) = row.parse::<u32>("line_no", "a line number", problems) else {
        return;
    };
    let Some(li) = order.lines.iter().position(|l| l.line_no == line_no) else {
        problems.push(
            "E1107",
            line,
            row.col("line_no"),
            format!("order `{}` has no line {line_no}", order.id),
        );
        return;
    };
    if !same_line(row, order, li, skus, problems) {
        return;
    }
    let cost = row.parse::<i64>("cost_cents", "a whole number of cents", problems);
    let shipped = !row.get("node_id").is_empty();
    if shipped && !row.get("reason").is_empty() {
        problems.push(
            "E1111",
            line,
            row.col("reason"),
            format!(
                "line {line_no} of order `{}` ships from `{}` but has reason `{}`",
                order.id,
                row.get("node_id"),
                row.get("reason")
            ),
        );
        return;
    }
    let parsed = if shipped {
        shipped_cells(row, network, problems)
    } else {
        None
    };
    if let Some(first) = f.seen[li] {
        problems.push(
            "E1108",
            line,
            row.col("line_no"),
            format!(
                "line {line_no} of order `{}` is already on line {first}",
                order.id
            ),
        );
        return;
    }
    f.seen[li] = Some(line);
    if !shipped {
        let Some(reason) = Reason::from_code(row.get("reason")) else {
            let message = if row.get("reason").is_empty() {
                "an unfilled line (empty `node_id`) needs a reason code".to_owned()
            } else {
                format!("unknown reason `{}`", row.get("reason"))
            };
            problems.push("E1111", line, row.col("reason"), message);
            return;
        };
        if let Some(cost) = cost {
            f.unfilled.push((li, reason, cost));
        }
        return;
    }
    let Some(cost) = cost else { return };
    if let Some((node, number, km, date)) = parsed {
        let s = FileShipment {
            number,
            node,
            lines: vec![li],
            distance_km: km,
            promised_date: date,
            cost_cents: cost,
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
    problems: &mut Problems<'_>,
) -> bool {
    let line = &order.lines[li];
    let sku = skus.name(line.sku);
    let (column, differs) = if !row.get("sku").is_empty() && row.get("sku") != sku {
        ("sku", format!("`{sku}`, not `{}`", row.get("sku")))
    } else if row.cols.contains_key("qty") && row.get("qty").parse::<u32>().ok() != Some(line.qty) {
        (
            "qty",
            format!("{} units, not `{}`", line.qty, row.get("qty")),
        )
    } else {
        return true;
    };
    problems.push(
        "E1107",
        row.line,
        row.col(column),
        format!("line {} of order `{}` is {differs}", line.line_no, order.id),
    );
    false
}

/// The node, shipment number, distance and date of a shipped row, or their problems.
fn shipped_cells(
    row: &Row<'_>,
    network: &Network,
    problems: &mut Problems<'_>,
) -> Option<(NodeIdx, u32, f64, Date)> {
    let node = network.find(row.get("node_id"));
    if node.is_none() {
        problems.push(
            "E1106",
            row.line,
            row.col("node_id"),
            format!("node `{}` is not in the nodes file", row.get("node_id")),
        );
    }
    let number = row.parse::<NonZeroU32>("shipment", "a shipment number (1, 2, …)", problems);
    let km = row.parse::<Km>("distance_km", "a distance in km (a number ≥ 0)", problems);
    let date = row.parse::<Date>("promised_date", "a date (YYYY-MM-DD)", problems);
    Some((node?, number?.get(), km?.0, date?))
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
    problems: &mut Problems<'_>,
) {
    let number = row_shipment.number;
    match f.shipments.iter_mut().find(|s| s.number == number) {
        Some(s) if s.node == row_shipment.node => {
            s.lines.extend(row_shipment.lines);
            s.cost_cents += row_shipment.cost_cents;
        }
        Some(s) => problems.push(
            "E1112",
            row.line,
            row.col("node_id"),
            format!(
                "shipment {number} of order `{order_id}` names `{}` here and `{}` before",
                network.node(row_shipment.node).id,
                network.node(s.node).id
            ),
        ),
        None => f.shipments.push(row_shipment),
    }
}

/// Rebuilds one decision, re-pricing each shipment; `disagree` hears every figure of the file
/// that differs from the recomputed one.
fn rebuild(
    order: &Order,
    mut f: FileOrder,
    network: &Network,
    policy: &Policy,
    now: Timestamp,
    disagree: &mut impl FnMut(String),
) -> Decision {
    f.shipments.sort_by_key(|s| s.number);
    f.unfilled.sort_by_key(|u| u.0);
    let rules = OrderRules::of(order, policy);
    let mut total = CostBreakdown::default();
    let mut shipments = Vec::with_capacity(f.shipments.len());
    for (i, s) in f.shipments.iter_mut().enumerate() {
        s.lines.sort_unstable();
        let units = s.lines.iter().map(|&l| order.lines[l].qty).sum();
        let (cost, distance_km) =
            match shipment_cost(order, s.node, &s.lines, i > 0, network, policy, &rules, now) {
                Ok(c) => {
                    if c.cost.total_cents() != s.cost_cents {
                        disagree(format!(
                            "shipment {}: file says {} cents, expected {}",
                            s.number,
                            s.cost_cents,
                            c.cost.total_cents()
                        ));
                    }
                    if (c.distance_km - s.distance_km).abs() > 0.0005 + 1e-9 {
                        disagree(format!(
                            "shipment {}: file says {} km, expected {:.3}",
                            s.number, s.distance_km, c.distance_km
                        ));
                    }
                    (c.cost, c.distance_km)
                }
                // The core checker reports the broken rule; keep the file's figures.
                Err(_) => (
                    CostBreakdown {
                        fixed_cents: s.cost_cents,
                        ..CostBreakdown::default()
                    },
                    s.distance_km,
                ),
            };
        total += cost;
        shipments.push(Shipment {
            node: s.node,
            lines: std::mem::take(&mut s.lines),
            units,
            distance_km,
            promised_date: s.promised_date,
            cost,
        });
    }
    for &(l, _, file_cents) in &f.unfilled {
        let cents = rules.unfilled_per_unit_cents * i64::from(order.lines[l].qty);
        if cents != file_cents {
            disagree(format!(
                "line {}: file says {file_cents} cents unfilled, expected {cents}",
                order.lines[l].line_no
            ));
        }
        total.unfilled_cents += cents;
    }
    Decision {
        shipments,
        unfilled: f
            .unfilled
            .iter()
            .map(|&(line, reason, _)| UnfilledLine { line, reason })
            .collect(),
        cost: total,
        candidates: Vec::new(),
        rules: Vec::new(),
    }
}
