//! Writing a plan as decisions.csv, one JSON document, or NDJSON (`route` and `reroute`).

use crate::decision_json;
use crate::output::open;
use omniroute_adapters::{write_decisions, Inputs};
use omniroute_core::{Plan, PlanTotals};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

/// Output format of the decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// decisions.csv: one row per order line.
    Csv,
    /// One JSON object: the run's figures and a `decisions` array of one object per order.
    Json,
    /// One JSON object per order per line.
    Ndjson,
}

/// A plan's totals as JSON.
pub fn totals(t: &PlanTotals) -> Value {
    json!({
        "orders": t.orders,
        "orders_complete": t.orders_complete,
        "units_ordered": t.units_ordered,
        "units_filled": t.units_filled,
        "fill_rate": t.fill_rate(),
        "shipments": t.shipments,
        "split_orders": t.split_orders,
        "distance_km": decision_json::round3(t.distance_km),
        "cost_cents": t.cost_cents,
    })
}

/// Writes `plan` to `out` (stdout when `None`). With JSON, `head` (an object) holds the run's
/// figures and the decisions follow under `decisions`; CSV and NDJSON carry decisions only.
pub fn write(
    out: Option<&Path>,
    format: Format,
    inputs: &Inputs,
    plan: &Plan,
    head: &Value,
) -> anyhow::Result<()> {
    let mut out = open(out)?;
    match format {
        Format::Csv => write_decisions(
            &mut out,
            &inputs.orders,
            plan,
            &inputs.network,
            &inputs.skus,
        )?,
        Format::Json | Format::Ndjson => {
            let json = format == Format::Json;
            if json {
                // The head's fields, then the decisions streamed one by one.
                let head = serde_json::to_string(head)?;
                let fields = head.strip_suffix('}').unwrap_or("{");
                let comma = if fields.len() > 1 { "," } else { "" };
                writeln!(out, "{fields}{comma}\"decisions\":[")?;
            }
            for (i, (o, d)) in inputs.orders.iter().zip(&plan.decisions).enumerate() {
                if json && i > 0 {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut out, &decision_json::decision(o, d, inputs, false))?;
                if !json {
                    out.write_all(b"\n")?;
                }
            }
            if json {
                out.write_all(b"\n]}\n")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
