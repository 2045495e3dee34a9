//! Reading decisions.csv (DESIGN §7) back into per-order rows, for `omniroute check`.
//!
//! Kept in the CLI for now; it belongs next to `write_decisions` in the adapters.

use omniroute_adapters::{Inputs, Problem};
use omniroute_core::{NodeIdx, Reason};
use std::collections::HashMap;

/// One shipment as the file states it.
#[derive(Debug, Clone)]
pub struct FileShipment {
    /// Shipment number within the order (1…).
    pub number: u32,
    /// The node.
    pub node: NodeIdx,
    /// Line indices into the order's lines.
    pub lines: Vec<usize>,
    /// Distance as written (3 decimals).
    pub distance_km: f64,
    /// Promised date as written.
    pub promised_date: jiff::civil::Date,
    /// The shipment's cost (sum of its rows' `cost_cents`).
    pub cost_cents: i64,
}

/// One order's rows.
#[derive(Debug, Clone, Default)]
pub struct FileDecision {
    /// Shipments by number.
    pub shipments: Vec<FileShipment>,
    /// Unfilled lines: (line index, reason, `cost_cents`).
    pub unfilled: Vec<(usize, Reason, i64)>,
}

/// Reads decisions.csv into one [`FileDecision`] per order (indexed like `inputs.orders`), or
/// every problem found (code `E1104`).
#[allow(clippy::too_many_lines)] // one flat pass over the rows reads best
pub fn read(bytes: &[u8], file: &str, inputs: &Inputs) -> Result<Vec<FileDecision>, Vec<Problem>> {
    let mut problems = Vec::new();
    let problem = |line: u64, column: u64, message: String| Problem {
        code: "E1104",
        file: file.to_owned(),
        line,
        column,
        message,
        hint: "pass the decisions.csv that `omniroute route` wrote for these inputs".into(),
    };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![problem(1, 0, format!("cannot read the header: {e}"))]),
    };
    let mut cols = HashMap::new();
    for name in [
        "order_id",
        "line_no",
        "node_id",
        "shipment",
        "distance_km",
        "promised_date",
        "cost_cents",
        "reason",
    ] {
        match headers.iter().position(|h| h.trim() == name) {
            Some(i) => {
                cols.insert(name, i);
            }
            None => problems.push(problem(1, 0, format!("missing column `{name}`"))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let by_id: HashMap<&str, usize> = inputs
        .orders
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    let mut out = vec![FileDecision::default(); inputs.orders.len()];
    for (row, rec) in rdr.records().enumerate() {
        let line = row as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(line, 0, format!("cannot read the row: {e}")));
                continue;
            }
        };
        let get = |name: &str| rec.get(cols[name]).unwrap_or("").trim();
        let col = |name: &str| cols[name] as u64 + 1;
        let mut bad = |name: &str, what: String| problems.push(problem(line, col(name), what));
        let Some(&oi) = by_id.get(get("order_id")) else {
            bad(
                "order_id",
                format!("order `{}` is not in the orders file", get("order_id")),
            );
            continue;
        };
        let order = &inputs.orders[oi];
        let Some(li) = get("line_no")
            .parse::<u32>()
            .ok()
            .and_then(|n| order.lines.iter().position(|l| l.line_no == n))
        else {
            bad(
                "line_no",
                format!("order `{}` has no line `{}`", order.id, get("line_no")),
            );
            continue;
        };
        let Ok(cost) = get("cost_cents").parse::<i64>() else {
            bad(
                "cost_cents",
                format!("`{}` is not a whole number of cents", get("cost_cents")),
            );
            continue;
        };
        let d = &mut out[oi];
        if get("node_id").is_empty() {
            match Reason::from_code(get("reason")) {
                Some(r) => d.unfilled.push((li, r, cost)),
                None => bad("reason", format!("unknown reason `{}`", get("reason"))),
            }
            continue;
        }
        let Some(node) = inputs.network.find(get("node_id")) else {
            bad(
                "node_id",
                format!("node `{}` is not in the nodes file", get("node_id")),
            );
            continue;
        };
        let (Ok(number), Ok(km), Ok(date)) = (
            get("shipment").parse::<u32>(),
            get("distance_km").parse::<f64>(),
            get("promised_date").parse::<jiff::civil::Date>(),
        ) else {
            bad(
                "shipment",
                "shipment, distance_km or promised_date is not valid".into(),
            );
            continue;
        };
        match d.shipments.iter_mut().find(|s| s.number == number) {
            Some(s) if s.node == node => {
                s.lines.push(li);
                s.cost_cents += cost;
            }
            Some(_) => bad(
                "node_id",
                format!("shipment {number} of order `{}` names two nodes", order.id),
            ),
            None => d.shipments.push(FileShipment {
                number,
                node,
                lines: vec![li],
                distance_km: km,
                promised_date: date,
                cost_cents: cost,
            }),
        }
    }
    if problems.is_empty() {
        for d in &mut out {
            d.shipments.sort_by_key(|s| s.number);
            for s in &mut d.shipments {
                s.lines.sort_unstable();
            }
            d.unfilled.sort_by_key(|u| u.0);
        }
        Ok(out)
    } else {
        Err(problems)
    }
}
