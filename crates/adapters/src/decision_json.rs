//! Decisions as JSON values: the one writer behind `route --format json|ndjson`,
//! `explain --format json` and the HTTP service's answers.

use crate::{Inputs, JsonOrder, Policies};
use omniroute_core::{
    CandidateOutcome, CostBreakdown, Currency, Decision, LineSet, LiveStock, Network, NodeIdx,
    Order, Plan, PlanTotals, ReasonCounts, ServiceLevels, SkuId, Skus,
};
use serde_json::{json, Value};
use std::io::Write;

/// What a decision's JSON names nodes, SKUs and service levels by.
#[derive(Debug, Clone, Copy)]
pub struct DecisionNames<'a> {
    /// The nodes (ids and kinds).
    pub network: &'a Network,
    /// The SKUs of the order's lines.
    pub skus: &'a Skus,
    /// Names of SKUs past the end of `skus` (an order's SKUs the table did not know,
    /// [`crate::JsonOrder::new_skus`]).
    pub new_skus: &'a [String],
    /// The service levels (the policy's).
    pub levels: &'a ServiceLevels,
    /// The policy's currency (its ISO 4217 code is the decision's `currency`; `None`: plain
    /// cents, `null`).
    pub currency: Option<Currency>,
}

impl Inputs {
    /// The names of this input, for [`decision_json`].
    pub fn names(&self) -> DecisionNames<'_> {
        DecisionNames {
            network: &self.network,
            skus: &self.skus,
            new_skus: &[],
            levels: self.policies.versions.levels(),
            currency: self.policies.versions.earliest().currency,
        }
    }
}

impl JsonOrder {
    /// The names of this order's decision: the network's nodes, the shared SKU table the order
    /// was read against plus the SKUs it did not know, the policies' service levels.
    pub fn names<'a>(
        &'a self,
        network: &'a Network,
        skus: &'a Skus,
        policies: &'a Policies,
    ) -> DecisionNames<'a> {
        DecisionNames {
            network,
            skus,
            new_skus: &self.new_skus,
            levels: policies.versions.levels(),
            currency: policies.versions.earliest().currency,
        }
    }
}

impl DecisionNames<'_> {
    /// The name of a SKU of `skus` or `new_skus`.
    pub fn sku(&self, id: SkuId) -> &str {
        match (id.0 as usize).checked_sub(self.skus.len()) {
            Some(k) => &self.new_skus[k],
            None => self.skus.name(id),
        }
    }
}

/// The cost breakdown by term, in cents, with its total.
pub fn cost_json(c: &CostBreakdown) -> Value {
    let mut v = json!({
        "fixed_cents": c.fixed_cents,
        "distance_cents": c.distance_cents,
        "handling_cents": c.handling_cents,
        "margin_cents": c.margin_cents,
        "priority_cents": c.priority_cents,
        "split_penalty_cents": c.split_penalty_cents,
        "lateness_cents": c.lateness_cents,
        "unfilled_cents": c.unfilled_cents,
        "reject_risk_cents": c.reject_risk_cents,
        "outside_territory_cents": c.outside_territory_cents,
        "total_cents": c.total_cents(),
    });
    // Only under a policy's balance term, so other outputs keep their shape.
    if c.balance_cents != 0 {
        v["balance_cents"] = json!(c.balance_cents);
    }
    v
}

fn line(order: &Order, l: usize, names: &DecisionNames<'_>) -> Value {
    let line = &order.lines[l];
    json!({ "line_no": line.line_no, "sku": names.sku(line.sku), "qty": line.qty })
}

/// One order's decision: shipments, unfilled lines with reasons and the cost breakdown, plus the
/// candidates when `candidates` is set.
pub fn decision_json(
    order: &Order,
    d: &Decision,
    names: &DecisionNames<'_>,
    candidates: bool,
) -> Value {
    let net = names.network;
    let shipments: Vec<Value> = d
        .shipments
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let node = net.node(s.node);
            let mut v = json!({
                "shipment": n + 1,
                "node_id": node.id,
                "kind": node.kind.as_str(),
                "lines": s.lines.iter().map(|&l| line(order, l, names)).collect::<Vec<_>>(),
                "units": s.units,
                "distance_km": round3(s.distance_km),
                "promised_date": s.promised_date.to_string(),
                "cost_cents": s.cost.total_cents(),
                "cost": cost_json(&s.cost),
            });
            if let Some(arrival) = s.arrival {
                v["source"] = json!(crate::SOURCE_INCOMING);
                v["arrival_date"] = json!(arrival.to_string());
                v["why"] = json!(incoming_why(arrival));
            }
            v
        })
        .collect();
    let unfilled: Vec<Value> = d
        .unfilled
        .iter()
        .map(|u| {
            let mut v = line(order, u.line, names);
            v["reason"] = json!(u.reason.code());
            v
        })
        .collect();
    let mut v = json!({
        "order_id": order.id,
        "service_level": names.levels.name(order.service_level),
        "complete": d.is_complete(),
        "cost_cents": d.cost_cents(),
        "currency": names.currency.map(|c| c.code().to_owned()),
        "distance_km": round3(d.distance_km()),
        "shipments": shipments,
        "unfilled": unfilled,
        "cost": cost_json(&d.cost),
        "rules": d.rules,
    });
    if let Some(g) = &d.group {
        v["group"] = group_json(g);
    }
    if candidates {
        v["candidates"] = d
            .ranked_candidates()
            .into_iter()
            .enumerate()
            .map(|(rank, c)| {
                let node = net.node(c.node);
                let mut o = json!({
                    "rank": rank + 1,
                    "node_id": node.id,
                    "kind": node.kind.as_str(),
                    "distance_km": round3(c.distance_km),
                    "chosen": c.chosen,
                });
                match &c.outcome {
                    CandidateOutcome::Priced { lines, cost_cents } => {
                        o["cost_cents"] = json!(cost_cents);
                        o["line_nos"] = json!(line_nos(order, lines));
                    }
                    CandidateOutcome::Filtered(r) => o["reason"] = json!(r.code()),
                }
                o
            })
            .collect();
    }
    v
}

/// Why a shipment ships from incoming stock, for people (JSON `why`, `explain`).
pub fn incoming_why(arrival: jiff::civil::Date) -> String {
    format!(
        "no stock on hand could ship these lines; the policy promises incoming stock \
         ([incoming] promise), which arrives at the node on {arrival}, so the parcel leaves \
         no earlier and the promise meets the order's deadline"
    )
}

/// A plan's totals as JSON.
pub fn totals_json(t: &PlanTotals) -> Value {
    json!({
        "orders": t.orders,
        "orders_complete": t.orders_complete,
        "units_ordered": t.units_ordered,
        "units_filled": t.units_filled,
        "fill_rate": t.fill_rate(),
        "shipments": t.shipments,
        "split_orders": t.split_orders,
        "distance_km": round3(t.distance_km),
        "cost_cents": t.cost_cents,
        "unfilled_lines": t.unfilled_by_reason.total(),
        "unfilled_by_reason": reason_counts_json(&t.unfilled_by_reason),
    })
}

/// Unfilled lines counted by reason as a JSON object keyed by reason code (reasons never counted
/// are left out).
pub fn reason_counts_json(counts: &ReasonCounts) -> Value {
    Value::Object(
        counts
            .by_count()
            .into_iter()
            .map(|(reason, n)| (reason.code().to_owned(), Value::from(n)))
            .collect(),
    )
}

/// Writes `plan`'s decisions (without candidates) to `out`: with `head` (an object of the run's
/// figures), one JSON document, the head's fields then the decisions under `decisions`; without,
/// NDJSON, one decision per line. Decisions are streamed one by one.
pub fn write_plan_json(
    out: &mut impl Write,
    inputs: &Inputs,
    plan: &Plan,
    head: Option<&Value>,
) -> std::io::Result<()> {
    if let Some(head) = head {
        let head = serde_json::to_string(head)?;
        let fields = head.strip_suffix('}').unwrap_or("{");
        let comma = if fields.len() > 1 { "," } else { "" };
        writeln!(out, "{fields}{comma}\"decisions\":[")?;
    }
    let names = inputs.names();
    for (i, (o, d)) in inputs.orders.iter().zip(&plan.decisions).enumerate() {
        if head.is_some() && i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, &decision_json(o, d, &names, false))?;
        if head.is_none() {
            out.write_all(b"\n")?;
        }
    }
    if head.is_some() {
        out.write_all(b"\n]}\n")?;
    }
    Ok(())
}

/// The line numbers of the lines in `mask`.
pub fn line_nos(order: &Order, lines: &LineSet) -> Vec<u32> {
    lines.iter().map(|i| order.lines[i].line_no).collect()
}

/// Rounds to 3 decimals (metres), as decisions.csv does.
pub fn round3(km: f64) -> f64 {
    (km * 1000.0).round() / 1000.0
}

/// How a rule's node groups decided: `{"rule", "group" (null: the default), "failed": [{"group",
/// "code", "why"}]}`.
fn group_json(g: &omniroute_core::GroupChoice) -> Value {
    let failed: Vec<Value> = g
        .failed
        .iter()
        .map(|(name, why)| json!({"group": name, "code": why.code(), "why": why.to_string()}))
        .collect();
    json!({"rule": g.rule, "group": g.group, "failed": failed})
}

/// `{"node_id", "sku", "on_hand", "reserved", "safety_stock", "routable"}`: one position of the
/// live ledger and the units the router may use (after the policy's safety hold), as the
/// service's `GET /v1/stock` and the C ABI's `omniroute_stock_json` answer.
pub fn position_json(
    live: &LiveStock,
    (node, node_id): (NodeIdx, &str),
    (sku, sku_name): (SkuId, &str),
) -> Value {
    let p = live.position(node, sku);
    json!({
        "node_id": node_id,
        "sku": sku_name,
        "on_hand": p.on_hand,
        "reserved": p.reserved,
        "safety_stock": p.safety_stock,
        "routable": live.routable(node, sku),
    })
}
