//! decisions.csv (DESIGN §7): one row per order line.
//!
//! Columns: `order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason`.
//! A shipped line names its node, its shipment number within the order (1…), the shipment's
//! distance (km, 3 decimals) and promised date; `cost_cents` holds the whole shipment's cost on the
//! shipment's first line and 0 on its other lines. An unfilled line has an empty `node_id`,
//! `shipment`, `distance_km` and `promised_date`, its unfilled cost in `cost_cents` and its reason
//! code in `reason`. So the `cost_cents` column adds up to the plan's objective.

use omniroute_core::{Decision, Network, Order, Plan, Skus};
use std::io::Write;

mod read;
#[cfg(test)]
mod tests;

pub use read::{read_decisions, read_decisions_file, DecisionsFile, Disagreement};

/// The header row of decisions.csv.
pub const DECISIONS_HEADER: &str =
    "order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason";

/// Writes a plan as decisions.csv (header included).
pub fn write_decisions(
    out: &mut impl Write,
    orders: &[Order],
    plan: &Plan,
    network: &Network,
    skus: &Skus,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(DECISIONS_HEADER.split(','))?;
    for (order, d) in orders.iter().zip(&plan.decisions) {
        write_decision(&mut w, order, d, network, skus)?;
    }
    w.flush()
}

fn write_decision<W: Write>(
    w: &mut csv::Writer<W>,
    order: &Order,
    d: &Decision,
    network: &Network,
    skus: &Skus,
) -> std::io::Result<()> {
    for (n, s) in d.shipments.iter().enumerate() {
        for (k, &l) in s.lines.iter().enumerate() {
            let line = &order.lines[l];
            let cost = if k == 0 { s.cost.total_cents() } else { 0 };
            w.write_record([
                order.id.as_str(),
                &line.line_no.to_string(),
                skus.name(line.sku),
                &line.qty.to_string(),
                &network.node(s.node).id,
                &(n + 1).to_string(),
                &format!("{:.3}", s.distance_km),
                &s.promised_date.to_string(),
                &cost.to_string(),
                "",
            ])?;
        }
    }
    let unfilled_cost = if d.unfilled.is_empty() {
        0
    } else {
        d.cost.unfilled_cents
            / d.unfilled
                .iter()
                .map(|u| i64::from(order.lines[u.line].qty))
                .sum::<i64>()
    };
    for u in &d.unfilled {
        let line = &order.lines[u.line];
        w.write_record([
            order.id.as_str(),
            &line.line_no.to_string(),
            skus.name(line.sku),
            &line.qty.to_string(),
            "",
            "",
            "",
            "",
            &(unfilled_cost * i64::from(line.qty)).to_string(),
            u.reason.code(),
        ])?;
    }
    Ok(())
}
