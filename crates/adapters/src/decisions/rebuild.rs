//! A decision rebuilt from the file's rows, every shipment re-priced.

use super::row::FileOrder;
use jiff::Timestamp;
use omniroute_core::{
    shipment_cost, CostBreakdown, Decision, GroupChoice, Network, Order, OrderRules, Policy,
    Shipment, UnfilledLine,
};

/// Rebuilds one decision, re-pricing each shipment; `disagree` hears every figure of the file
/// that differs from the recomputed one.
pub(super) fn rebuild(
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
                Ok(mut c) => {
                    // decisions.csv holds no breakdown: under a balance term, what the file's
                    // figure adds to the other terms is the balance the checker bounds.
                    let extra = s.cost_cents.saturating_sub(c.cost.total_cents());
                    if policy.balance.is_some() && extra > 0 {
                        c.cost.balance_cents = extra;
                    }
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
            arrival: s.arrival,
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
    let mut d = Decision {
        shipments,
        unfilled: f
            .unfilled
            .iter()
            .map(|&(line, reason, _)| UnfilledLine { line, reason })
            .collect(),
        cost: total,
        candidates: Vec::new(),
        rules: Vec::new(),
        group: None,
    };
    if let (Some((name, groups)), Some((cell, _))) = (&rules.groups, &f.group) {
        // The file names the group (checked against the rule by `group.rs`).
        d.group = Some(super::group::named_choice(name, groups, cell));
    } else if let Some((name, groups)) = &rules.groups {
        // The file records no group: the one its shipments stand for (`GroupChoice::read_back`).
        let created_at = order.created_at.unwrap_or(now);
        let node = |n| network.node(n);
        d.group = Some(GroupChoice::read_back(
            (name, groups),
            order,
            &d,
            policy,
            created_at,
            node,
        ));
    }
    d
}
