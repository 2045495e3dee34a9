//! What routing returns, as read-only Python objects: `Decision` with its shipments, unfilled
//! lines, cost by term and every considered candidate. Pure conversion of the core's values.

use crate::model::NetData;
use omniroute_core::{self as core, CandidateOutcome, Skus};
use pyo3::prelude::*;
use std::collections::BTreeMap;

/// Cost by term, in cents; `total_cents` is the objective.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
#[derive(Clone)]
pub struct CostBreakdown {
    fixed_cents: i64,
    distance_cents: i64,
    handling_cents: i64,
    margin_cents: i64,
    priority_cents: i64,
    split_penalty_cents: i64,
    lateness_cents: i64,
    unfilled_cents: i64,
    reject_risk_cents: i64,
    outside_territory_cents: i64,
    balance_cents: i64,
    total_cents: i64,
}

impl From<&core::CostBreakdown> for CostBreakdown {
    fn from(c: &core::CostBreakdown) -> Self {
        CostBreakdown {
            fixed_cents: c.fixed_cents,
            distance_cents: c.distance_cents,
            handling_cents: c.handling_cents,
            margin_cents: c.margin_cents,
            priority_cents: c.priority_cents,
            split_penalty_cents: c.split_penalty_cents,
            lateness_cents: c.lateness_cents,
            unfilled_cents: c.unfilled_cents,
            reject_risk_cents: c.reject_risk_cents,
            outside_territory_cents: c.outside_territory_cents,
            balance_cents: c.balance_cents,
            total_cents: c.total_cents(),
        }
    }
}

/// One order line: `line_no`, `sku`, `qty`.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
#[derive(Clone)]
pub struct Line {
    line_no: u32,
    sku: String,
    qty: u32,
}

/// One parcel from one node.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
#[derive(Clone)]
pub struct Shipment {
    node_id: String,
    lines: Vec<Line>,
    units: u32,
    distance_km: f64,
    promised_date: jiff::civil::Date,
    cost: CostBreakdown,
    /// The day its units arrive at the node when it ships from incoming stock (`[incoming]
    /// promise`), else `None` (stock on hand).
    arrival_date: Option<jiff::civil::Date>,
}

/// A line that could not be filled, with its reason code (`NO_STOCK`, `OUT_OF_REACH`, …).
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
#[derive(Clone)]
pub struct UnfilledLine {
    line: Line,
    reason: &'static str,
}

/// One considered node: its cost for the lines it could ship, or the reason it was filtered.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
#[derive(Clone)]
pub struct Candidate {
    node_id: String,
    distance_km: f64,
    chosen: bool,
    /// Lines it could ship (line numbers), empty when filtered.
    line_nos: Vec<u32>,
    cost_cents: Option<i64>,
    reason: Option<&'static str>,
}

/// The decision for one order, with its explanation.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
#[derive(Clone)]
pub struct Decision {
    order_id: String,
    shipments: Vec<Shipment>,
    unfilled: Vec<UnfilledLine>,
    cost: CostBreakdown,
    cost_cents: i64,
    distance_km: f64,
    is_complete: bool,
    candidates: Vec<Candidate>,
    rules: Vec<String>,
    /// The policy's ISO 4217 currency of every `_cents` figure; `None`: plain cents.
    currency: Option<String>,
}

#[pymethods]
impl Decision {
    fn __repr__(&self) -> String {
        format!(
            "Decision({:?}, shipments={}, unfilled={}, cost_cents={}{})",
            self.order_id,
            self.shipments.len(),
            self.unfilled.len(),
            self.cost_cents,
            in_currency(self.cost_cents, self.currency.as_deref())
        )
    }
}

/// ` (€5.04)` after a figure in cents, in the policy's currency; nothing without one.
fn in_currency(cents: i64, code: Option<&str>) -> String {
    code.and_then(|c| core::Currency::new(c).ok())
        .map(|c| format!(" ({})", c.amount(cents)))
        .unwrap_or_default()
}

fn line(order: &core::Order, i: usize, skus: &Skus) -> Line {
    let l = &order.lines[i];
    Line {
        line_no: l.line_no,
        sku: skus.name(l.sku).to_owned(),
        qty: l.qty,
    }
}

impl Decision {
    pub fn new(
        d: &core::Decision,
        order: &core::Order,
        net: &NetData,
        currency: Option<core::Currency>,
    ) -> Self {
        let skus = net.skus();
        let node_id = |n: core::NodeIdx| net.net.node(n).id.clone();
        let line_nos =
            |lines: &core::LineSet| lines.iter().map(|i| order.lines[i].line_no).collect();
        Decision {
            order_id: order.id.clone(),
            shipments: d
                .shipments
                .iter()
                .map(|s| Shipment {
                    node_id: node_id(s.node),
                    lines: s.lines.iter().map(|&i| line(order, i, &skus)).collect(),
                    units: s.units,
                    distance_km: s.distance_km,
                    promised_date: s.promised_date,
                    cost: (&s.cost).into(),
                    arrival_date: s.arrival,
                })
                .collect(),
            unfilled: d
                .unfilled
                .iter()
                .map(|u| UnfilledLine {
                    line: line(order, u.line, &skus),
                    reason: u.reason.code(),
                })
                .collect(),
            cost: (&d.cost).into(),
            cost_cents: d.cost_cents(),
            distance_km: d.distance_km(),
            is_complete: d.is_complete(),
            candidates: d
                .ranked_candidates()
                .into_iter()
                .map(|c| {
                    let (line_nos, cost_cents, reason) = match &c.outcome {
                        CandidateOutcome::Priced { lines, cost_cents } => {
                            (line_nos(lines), Some(*cost_cents), None)
                        }
                        CandidateOutcome::Filtered(r) => (Vec::new(), None, Some(r.code())),
                    };
                    Candidate {
                        node_id: node_id(c.node),
                        distance_km: c.distance_km,
                        chosen: c.chosen,
                        line_nos,
                        cost_cents,
                        reason,
                    }
                })
                .collect(),
            rules: d.rules.clone(),
            currency: currency.map(|c| c.code().to_owned()),
        }
    }
}

/// Totals of a plan.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
pub struct PlanTotals {
    cost_cents: i64,
    distance_km: f64,
    orders: u64,
    orders_complete: u64,
    units_ordered: u64,
    units_filled: u64,
    shipments: u64,
    split_orders: u64,
    fill_rate: f64,
    /// Unfilled lines.
    unfilled_lines: u64,
    /// Unfilled lines by reason code (`SLA_UNREACHABLE`, …); reasons never counted are left out.
    unfilled_by_reason: BTreeMap<String, u64>,
    /// The policy's ISO 4217 currency of `cost_cents`; `None`: plain cents.
    currency: Option<String>,
}

impl PlanTotals {
    /// The core's totals, their cost in `currency`.
    pub fn new(t: &core::PlanTotals, currency: Option<core::Currency>) -> Self {
        PlanTotals {
            currency: currency.map(|c| c.code().to_owned()),
            cost_cents: t.cost_cents,
            distance_km: t.distance_km,
            orders: t.orders,
            orders_complete: t.orders_complete,
            units_ordered: t.units_ordered,
            units_filled: t.units_filled,
            shipments: t.shipments,
            split_orders: t.split_orders,
            fill_rate: t.fill_rate(),
            unfilled_lines: t.unfilled_by_reason.total(),
            unfilled_by_reason: t
                .unfilled_by_reason
                .by_count()
                .into_iter()
                .map(|(reason, n)| (reason.code().to_owned(), n))
                .collect(),
        }
    }
}

impl PlanTotals {
    pub fn cost_cents(&self) -> i64 {
        self.cost_cents
    }

    /// `cost_cents` with its amount in the currency, for reprs: `512 (€5.12)`.
    pub fn cost_text(&self) -> String {
        format!(
            "{}{}",
            self.cost_cents,
            in_currency(self.cost_cents, self.currency.as_deref())
        )
    }
}

#[pymethods]
impl PlanTotals {
    /// The totals as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("cost_cents", self.cost_cents)?;
        d.set_item("currency", self.currency.clone())?;
        d.set_item("distance_km", self.distance_km)?;
        d.set_item("orders", self.orders)?;
        d.set_item("orders_complete", self.orders_complete)?;
        d.set_item("units_ordered", self.units_ordered)?;
        d.set_item("units_filled", self.units_filled)?;
        d.set_item("shipments", self.shipments)?;
        d.set_item("split_orders", self.split_orders)?;
        d.set_item("fill_rate", self.fill_rate)?;
        d.set_item("unfilled_lines", self.unfilled_lines)?;
        d.set_item("unfilled_by_reason", self.unfilled_by_reason.clone())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "PlanTotals(cost_cents={}, orders={}, fill_rate={:.4}, shipments={})",
            self.cost_text(),
            self.orders,
            self.fill_rate,
            self.shipments
        )
    }
}

/// One broken rule found by the independent checker.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
pub struct Violation {
    /// The order's id, `None` for batch-wide violations (stock, capacity).
    order_id: Option<String>,
    code: &'static str,
    message: String,
}

impl Violation {
    /// The core's violation, its order and SKU named by id.
    pub fn new(v: &core::Violation, orders: &[core::Order], skus: &core::Skus) -> Self {
        Violation {
            order_id: orders.get(v.order).map(|o| o.id.clone()),
            code: v.code,
            message: v.describe(&|s| skus.name(s).to_owned()),
        }
    }
}

#[pymethods]
impl Violation {
    fn __repr__(&self) -> String {
        format!(
            "Violation({:?}, {:?}, {:?})",
            self.order_id, self.code, self.message
        )
    }
}
