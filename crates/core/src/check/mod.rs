//! The independent checker: verifies a plan against its inputs and policy from scratch (stock,
//! capacity, reach, SLA, split rules, cost). It shares no code with the router beyond the model
//! and the promise calendar, so it is the oracle of the router's property tests and of
//! `omniroute check`. It prices in 128-bit integers from the raw terms (the rounding rules of
//! docs/design.md §3 written again), so a cost that wrapped round or was clamped to the input
//! limits in the plan is a `COST` violation.

mod balance;
mod groups;
mod incoming;
mod reasons;
mod rules;

use crate::{
    CostBreakdown, Decision, IncomingStock, Network, NodeIdx, Order, Plan, Policy, PolicyVersions,
    SkuId, StockTable,
};
use jiff::Timestamp;
use rustc_hash::FxHashMap;
use std::fmt;

pub use rules::{shipment_cost, OrderRules, ShipmentCheck};

/// One broken rule in a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Index of the order in the batch.
    pub order: usize,
    /// Stable code: `LINE_TWICE`, `LINE_MISSING`, `STOCK`, `CAPACITY_UNITS`,
    /// `CAPACITY_SHIPMENTS`, `REACH`, `SLA`, `SPLIT`, `SHIP_COMPLETE`, `INACTIVE`, `EXCLUDED`
    /// (also a node outside the order's `only_nodes`), `KIND`, `TAG` (a rule's tag filter),
    /// `INCOMING` (incoming stock over-promised or shipped before it arrives),
    /// `GROUP` (a rule's node groups, see `check/groups.rs`), `COST`, `PROMISE`, `REASON` (an unfilled line's reason that the inputs prove
    /// false).
    pub code: &'static str,
    /// What is wrong (nodes by id; the SKU, if any, is [`Violation::sku`]).
    pub message: String,
    /// The SKU a stock violation is about: the core knows SKUs by index only, so front ends
    /// name it with [`Violation::describe`].
    pub sku: Option<SkuId>,
}

impl Violation {
    fn new(order: usize, code: &'static str, message: String) -> Self {
        Self {
            order,
            code,
            message,
            sku: None,
        }
    }

    /// The message, preceded by the SKU as `sku` writes it when the violation is about one.
    pub fn describe(&self, sku: &dyn Fn(SkuId) -> String) -> String {
        match self.sku {
            Some(s) => format!("sku {}: {}", sku(s), self.message),
            None => self.message.clone(),
        }
    }
}

/// Shows the SKU by index (`sku #3`); front ends name it with [`Violation::describe`].
impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.describe(&|s| format!("#{}", s.0));
        write!(f, "order #{}: {} {message}", self.order, self.code)
    }
}

/// Checks every decision of `plan` (one per order, same order) against the network, the policy
/// (each order against the version of its `created_at`, or `now` without one: see
/// [`PolicyVersions::for_order`]; a single [`Policy`] converts with `.into()`), the stock the
/// batch started from and the reference time. An empty result means the plan is feasible and
/// every reported cost is right. A shipment from incoming stock is an `INCOMING` violation here
/// (there is none); [`check_with_incoming`] checks plans that promise incoming stock.
pub fn check(
    plan: &Plan,
    orders: &[Order],
    network: &Network,
    policies: &PolicyVersions,
    stock: &StockTable,
    now: Timestamp,
) -> Vec<Violation> {
    let none = IncomingStock::default();
    check_with_incoming(plan, orders, network, policies, stock, &none, now)
}

/// [`check`] for a plan that may ship from `incoming` stock (`Router::promise_incoming`): the
/// units a plan promises per (node, SKU) from incoming stock are at most its incoming units
/// (`INCOMING`), each such line's position arrives by its shipment's arrival date
/// (`INCOMING`), its promise is not earlier than a parcel leaving after the arrival allows
/// (`PROMISE`) and meets the order's deadline, or the policy's `[incoming] horizon_days`
/// without one (`SLA`).
pub fn check_with_incoming(
    plan: &Plan,
    orders: &[Order],
    network: &Network,
    policies: &PolicyVersions,
    stock: &StockTable,
    incoming: &IncomingStock,
    now: Timestamp,
) -> Vec<Violation> {
    // Safety stock and capacities are the same in every version.
    let policy = policies.earliest();
    let mut out = Vec::new();
    let mut taken: FxHashMap<(NodeIdx, SkuId), u64> = FxHashMap::default();
    let mut promised: FxHashMap<(NodeIdx, SkuId), u64> = FxHashMap::default();
    let mut load: FxHashMap<NodeIdx, (u64, u64)> = FxHashMap::default();
    let mut total = 0i128;
    for (i, (order, d)) in orders.iter().zip(&plan.decisions).enumerate() {
        let mut v = |code, message: String| {
            out.push(Violation::new(i, code, message));
        };
        check_decision(
            order,
            d,
            network,
            policies.for_order(order, now),
            incoming,
            now,
            &mut v,
        );
        for s in &d.shipments {
            let l = load.entry(s.node).or_insert((0, 0));
            l.1 += 1;
            let from = if s.arrival.is_some() {
                &mut promised
            } else {
                &mut taken
            };
            for &li in &s.lines {
                let line = &order.lines[li];
                *from.entry((s.node, line.sku)).or_insert(0) += u64::from(line.qty);
                l.0 += u64::from(line.qty);
            }
        }
        total += i128::from(d.cost_cents());
    }
    let bounds = reasons::StockBounds {
        start: stock,
        routable: &|n, s| routable(stock, network, policy, n, s),
        taken: &taken,
        network,
    };
    for (i, (order, d)) in orders.iter().zip(&plan.decisions).enumerate() {
        let policy = policies.for_order(order, now);
        let mut v = |code, message| out.push(Violation::new(i, code, message));
        reasons::check_reasons(order, d, &OrderRules::of(order, policy), &bounds, &mut v);
        balance::check_balance(order, d, policy, &bounds, &mut |m| v("COST", m));
    }
    for (&(node, sku), &units) in &taken {
        let have = u64::from(routable(stock, network, policy, node, sku));
        if units > have {
            out.push(Violation {
                sku: Some(sku),
                ..Violation::new(
                    usize::MAX,
                    "STOCK",
                    format!(
                        "node {} ships {units} but had {have} routable",
                        network.node(node).id
                    ),
                )
            });
        }
    }
    incoming::check_promised(&promised, incoming, network, &mut out);
    for (&node, &(units, shipments)) in &load {
        let n = network.node(node);
        let kind = policy.kind(n.kind);
        if let Some(cap) = n.capacity_units.or(kind.capacity_units) {
            if units > u64::from(cap) {
                out.push(Violation::new(
                    usize::MAX,
                    "CAPACITY_UNITS",
                    format!("node {} ships {units} units, capacity {cap}", n.id),
                ));
            }
        }
        if let Some(cap) = n.capacity_shipments.or(kind.capacity_shipments) {
            if shipments > u64::from(cap) {
                out.push(Violation::new(
                    usize::MAX,
                    "CAPACITY_SHIPMENTS",
                    format!("node {} makes {shipments} shipments, capacity {cap}", n.id),
                ));
            }
        }
    }
    if total != i128::from(plan.totals.cost_cents) {
        out.push(Violation::new(
            usize::MAX,
            "COST",
            format!(
                "plan total {} but decisions add up to {total}",
                plan.totals.cost_cents
            ),
        ));
    }
    out.sort_by(|a, b| a.order.cmp(&b.order).then(a.code.cmp(b.code)));
    out
}

/// Routable units at a position after the policy's routing-only safety stock.
fn routable(
    stock: &StockTable,
    network: &Network,
    policy: &Policy,
    node: NodeIdx,
    sku: SkuId,
) -> u32 {
    let held = policy.kind(network.node(node).kind).safety_stock;
    stock.qty(node, sku).saturating_sub(held)
}

fn check_decision(
    order: &Order,
    d: &Decision,
    network: &Network,
    policy: &Policy,
    incoming: &IncomingStock,
    now: Timestamp,
    v: &mut impl FnMut(&'static str, String),
) {
    let rules = OrderRules::of(order, policy);
    groups::check_groups(order, d, &rules, network, policy, now, v);
    check_lines(order, d, v);
    if d.shipments.len() > rules.max_shipments {
        v(
            "SPLIT",
            format!(
                "{} shipments, at most {}",
                d.shipments.len(),
                rules.max_shipments
            ),
        );
    }
    let mut nodes: Vec<NodeIdx> = d.shipments.iter().map(|s| s.node).collect();
    nodes.sort_unstable();
    nodes.dedup();
    if nodes.len() != d.shipments.len() {
        v("SPLIT", "two shipments from one node".into());
    }
    if rules.ship_complete && !d.shipments.is_empty() && !d.unfilled.is_empty() {
        v(
            "SHIP_COMPLETE",
            "ship-complete order shipped in part".into(),
        );
    }
    // In 128-bit integers: a cost that wrapped round (or saturated) in the plan disagrees.
    let mut total = 0i128;
    for (i, s) in d.shipments.iter().enumerate() {
        match shipment_cost(order, s.node, &s.lines, i > 0, network, policy, &rules, now) {
            Err((code, message)) => v(code, message),
            Ok(ShipmentCheck {
                cost,
                exact_cents,
                promised_date,
                distance_km,
            }) => {
                // The balance term is bounded batch-wide (`balance.rs`).
                let reported = CostBreakdown {
                    balance_cents: 0,
                    ..s.cost
                };
                if cost != reported {
                    v(
                        "COST",
                        format!("shipment {i}: reported {:?}, expected {cost:?}", s.cost),
                    );
                }
                let exact_cents = exact_cents + i128::from(s.cost.balance_cents);
                if i128::from(s.cost.total_cents()) != exact_cents {
                    v(
                        "COST",
                        format!(
                            "shipment {i}: reported {} cents in all, expected {exact_cents}",
                            s.cost.total_cents()
                        ),
                    );
                }
                if let Some(arrival) = s.arrival {
                    incoming::check_incoming_shipment(
                        order, i, s, arrival, network, policy, incoming, now, v,
                    );
                } else if promised_date != s.promised_date {
                    v(
                        "PROMISE",
                        format!(
                            "shipment {i}: promised {} expected {promised_date}",
                            s.promised_date
                        ),
                    );
                }
                if s.distance_km.is_nan() || (distance_km - s.distance_km).abs() > 1e-9 {
                    v(
                        "COST",
                        format!(
                            "shipment {i}: distance {} expected {distance_km}",
                            s.distance_km
                        ),
                    );
                }
                total = total.saturating_add(exact_cents);
            }
        }
    }
    for u in &d.unfilled {
        total = total.saturating_add(rules::unfilled_exact_cents(&rules, order.lines[u.line].qty));
    }
    if total != i128::from(d.cost_cents()) {
        v(
            "COST",
            format!("decision total {} expected {total}", d.cost_cents()),
        );
    }
}

/// `LINE_MISSING` or `LINE_TWICE` for every line not shipped or unfilled exactly once.
fn check_lines(order: &Order, d: &Decision, v: &mut impl FnMut(&'static str, String)) {
    let mut seen = vec![0u8; order.lines.len()];
    for s in &d.shipments {
        for &l in &s.lines {
            seen[l] += 1;
        }
    }
    for u in &d.unfilled {
        seen[u.line] += 1;
    }
    for (l, &n) in seen.iter().enumerate() {
        match n {
            0 => v(
                "LINE_MISSING",
                format!("line {l} is neither shipped nor unfilled"),
            ),
            1 => {}
            _ => v("LINE_TWICE", format!("line {l} appears {n} times")),
        }
    }
}
