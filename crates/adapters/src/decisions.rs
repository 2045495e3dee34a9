//! decisions.csv (docs/design.md §7): one row per order line.
//!
//! Columns: `order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason,group,source,arrival_date`.
//! A shipped line names its node, its shipment number within the order (1…), the shipment's
//! distance (km, 3 decimals) and promised date; `cost_cents` holds the whole shipment's cost on the
//! shipment's first line and 0 on its other lines. An unfilled line has an empty `node_id`,
//! `shipment`, `distance_km` and `promised_date`, its unfilled cost in `cost_cents` and its reason
//! code in `reason`. So the `cost_cents` column adds up to the plan's objective. `group`, on every
//! row of an order, is the node group that decided under the policy rule with groups that
//! applies to it ([`GROUP_DEFAULT`] when none of the rule's groups did and every allowed node
//! was weighed); empty when no rule with groups applies. `source` is `on_hand` or `incoming` on a
//! shipped line (empty on an unfilled one) and `arrival_date`, for a shipment from incoming
//! stock (`[incoming] promise`), the date its units arrive at the node.

use jiff::civil::Date;
use omniroute_core::{Decision, Network, Order, Plan, Skus};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write;

mod group;
mod read;
mod rebuild;
mod row;
#[cfg(test)]
mod tests;

pub use read::{read_decisions, read_decisions_file, DecisionsFile, Disagreement};

/// The header row of decisions.csv.
pub const DECISIONS_HEADER: &str = "order_id,line_no,sku,qty,node_id,shipment,distance_km,\
promised_date,cost_cents,reason,group,source,arrival_date";

/// The `group` cell of a decision taken by a group rule's final default (no group met its
/// condition); the policy reader refuses it as a group name (`E2021`).
pub const GROUP_DEFAULT: &str = "*";

/// One decisions.csv row, typed: the one place that lays a plan out as decisions.csv's columns
/// (see the module docs), for [`write_decisions`], the Parquet writer and the Python bindings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecisionRow<'a> {
    /// The order's id.
    pub order_id: &'a str,
    /// The line's number within its order.
    pub line_no: u32,
    /// The line's SKU name.
    pub sku: &'a str,
    /// The line's quantity.
    pub qty: u32,
    /// The shipping node's id; `None` for an unfilled line.
    pub node_id: Option<&'a str>,
    /// The shipment's number within the order (1…); `None` for an unfilled line.
    pub shipment: Option<u32>,
    /// The shipment's distance in km, full precision (decisions.csv rounds it to 3 decimals);
    /// `None` for an unfilled line.
    pub distance_km: Option<f64>,
    /// The shipment's promised date; `None` for an unfilled line.
    pub promised_date: Option<Date>,
    /// The whole shipment's cost on its first line, 0 on its other lines; an unfilled line's
    /// share (by units) of the decision's unfilled cost.
    pub cost_cents: i64,
    /// An unfilled line's reason code; `None` for a shipped line.
    pub reason: Option<&'static str>,
    /// The node group that decided the order ([`GROUP_DEFAULT`] for the rule's default);
    /// `None` when no rule with groups applies.
    pub group: Option<&'a str>,
    /// Where a shipped line's units come from ([`SOURCE_ON_HAND`] or [`SOURCE_INCOMING`]);
    /// `None` for an unfilled line.
    pub source: Option<&'static str>,
    /// For a line shipped from incoming stock, the date its shipment's units arrive.
    pub arrival_date: Option<Date>,
}

/// The `source` of a line shipped from stock on hand.
pub const SOURCE_ON_HAND: &str = "on_hand";
/// The `source` of a line shipped from incoming stock.
pub const SOURCE_INCOMING: &str = "incoming";

/// The rows of `plan` over `orders` as decisions.csv lays them out: per order, its shipped lines
/// shipment by shipment, then its unfilled lines.
pub fn decision_rows<'a>(
    orders: &'a [Order],
    plan: &'a Plan,
    network: &'a Network,
    skus: &'a Skus,
) -> impl Iterator<Item = DecisionRow<'a>> + 'a {
    rows_of(orders, &plan.decisions, network, skus)
}

/// [`decision_rows`] of `orders` decided by `decisions` (a plan's, or a part of them).
fn rows_of<'a>(
    orders: &'a [Order],
    decisions: &'a [Decision],
    network: &'a Network,
    skus: &'a Skus,
) -> impl Iterator<Item = DecisionRow<'a>> + 'a {
    orders
        .iter()
        .zip(decisions)
        .flat_map(move |(order, d)| order_rows(order, d, network, skus))
}

/// The rows of one order's decision.
fn order_rows<'a>(
    order: &'a Order,
    d: &'a Decision,
    network: &'a Network,
    skus: &'a Skus,
) -> impl Iterator<Item = DecisionRow<'a>> + 'a {
    let group = d
        .group
        .as_ref()
        .map(|c| c.group.as_deref().unwrap_or(GROUP_DEFAULT));
    let row = move |i: usize| {
        let line = &order.lines[i];
        DecisionRow {
            order_id: order.id.as_str(),
            line_no: line.line_no,
            sku: skus.name(line.sku),
            qty: line.qty,
            node_id: None,
            shipment: None,
            distance_km: None,
            promised_date: None,
            cost_cents: 0,
            reason: None,
            group,
            source: None,
            arrival_date: None,
        }
    };
    let shipped = d.shipments.iter().enumerate().flat_map(move |(n, s)| {
        s.lines.iter().enumerate().map(move |(k, &l)| DecisionRow {
            node_id: Some(network.node(s.node).id.as_str()),
            shipment: Some(n as u32 + 1),
            distance_km: Some(s.distance_km),
            promised_date: Some(s.promised_date),
            cost_cents: if k == 0 { s.cost.total_cents() } else { 0 },
            source: Some(if s.arrival.is_some() {
                SOURCE_INCOMING
            } else {
                SOURCE_ON_HAND
            }),
            arrival_date: s.arrival,
            ..row(l)
        })
    });
    let units: i64 = d
        .unfilled
        .iter()
        .map(|u| i64::from(order.lines[u.line].qty))
        .sum();
    let per_unit = if units == 0 {
        0
    } else {
        d.cost.unfilled_cents / units
    };
    let unfilled = d.unfilled.iter().map(move |u| DecisionRow {
        cost_cents: per_unit * i64::from(order.lines[u.line].qty),
        reason: Some(u.reason.code()),
        ..row(u.line)
    });
    shipped.chain(unfilled)
}

/// Orders whose rows one rayon task formats while decisions.csv is written.
const ORDERS_PER_PART: usize = 2048;

/// Writes a plan as decisions.csv (header included). Parts of `ORDERS_PER_PART` (2,048) orders are
/// formatted on rayon's threads, as many at a time as it has threads, and written in order, so
/// the file is the same on any number of threads.
pub fn write_decisions(
    out: &mut impl Write,
    orders: &[Order],
    plan: &Plan,
    network: &Network,
    skus: &Skus,
) -> std::io::Result<()> {
    let mut head = csv::Writer::from_writer(Vec::new());
    head.write_record(DECISIONS_HEADER.split(','))?;
    out.write_all(&head.into_inner().map_err(csv::IntoInnerError::into_error)?)?;
    let n = orders.len().min(plan.decisions.len());
    let round = ORDERS_PER_PART * rayon::current_num_threads().max(1);
    for (orders, decisions) in orders[..n]
        .chunks(round)
        .zip(plan.decisions[..n].chunks(round))
    {
        let parts: Vec<std::io::Result<Vec<u8>>> = orders
            .par_chunks(ORDERS_PER_PART)
            .zip(decisions.par_chunks(ORDERS_PER_PART))
            .map(|(orders, decisions)| csv_rows(orders, decisions, network, skus))
            .collect();
        for part in parts {
            out.write_all(&part?)?;
        }
    }
    out.flush()
}

/// The decisions.csv rows (no header) of `orders` decided by `decisions`.
fn csv_rows(
    orders: &[Order],
    decisions: &[Decision],
    network: &Network,
    skus: &Skus,
) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(orders.len() * 256));
    // The row's numbers and dates, written into one reused buffer (no string per cell).
    let mut text = String::with_capacity(64);
    let mut ints = itoa::Buffer::new();
    for r in rows_of(orders, decisions, network, skus) {
        text.clear();
        let mut ends = [0usize; 7];
        text.push_str(ints.format(r.line_no));
        ends[0] = text.len();
        text.push_str(ints.format(r.qty));
        ends[1] = text.len();
        if let Some(n) = r.shipment {
            text.push_str(ints.format(n));
        }
        ends[2] = text.len();
        if let Some(km) = r.distance_km {
            let _ = write!(text, "{km:.3}");
        }
        ends[3] = text.len();
        push_date(&mut text, r.promised_date);
        ends[4] = text.len();
        text.push_str(ints.format(r.cost_cents));
        ends[5] = text.len();
        push_date(&mut text, r.arrival_date);
        ends[6] = text.len();
        let at = |i: usize| &text[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
        w.write_record([
            r.order_id,
            at(0),
            r.sku,
            at(1),
            r.node_id.unwrap_or(""),
            at(2),
            at(3),
            at(4),
            at(5),
            r.reason.unwrap_or(""),
            r.group.unwrap_or(""),
            r.source.unwrap_or(""),
            at(6),
        ])?;
    }
    w.into_inner().map_err(csv::IntoInnerError::into_error)
}

/// Appends `date` as `YYYY-MM-DD` (nothing for none).
fn push_date(text: &mut String, date: Option<Date>) {
    if let Some(d) = date {
        let _ = write!(text, "{d}");
    }
}
