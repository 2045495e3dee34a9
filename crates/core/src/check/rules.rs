//! The checker's own reading of the policy for one order and one shipment.

use crate::promise::{days_late, deadline, promise, transit_days, PromiseNode};
use crate::{CostBreakdown, Network, NodeGroup, NodeIdx, NodeKind, Order, Policy, Sla};
use jiff::civil::Date;
use jiff::Timestamp;

/// The order-level rules after the policy's defaults, its matching rules and the order's own
/// split rule, as the checker reads them.
#[derive(Debug, Clone)]
pub struct OrderRules {
    /// At most this many shipments.
    pub max_shipments: usize,
    /// All lines or none.
    pub ship_complete: bool,
    /// Hard or soft SLA.
    pub sla: Sla,
    /// Cost per unfilled unit.
    pub unfilled_per_unit_cents: i64,
    /// Penalty per extra shipment.
    pub split_penalty_cents: i64,
    /// Node kinds allowed (`None`: all).
    pub allowed_kinds: Option<Vec<NodeKind>>,
    /// The tag filters of every matching rule: (`allowed_tags`, `excluded_tags`).
    pub tag_filters: Vec<(Option<Vec<String>>, Vec<String>)>,
    /// The last matching rule with node groups: its name and groups.
    pub groups: Option<(String, Vec<NodeGroup>)>,
}

impl OrderRules {
    /// Reads the rules for `order`.
    pub fn of(order: &Order, policy: &Policy) -> Self {
        let mut allow = policy.split.allow_split;
        let mut max = policy.split.max_shipments;
        let mut complete = policy.split.ship_complete;
        let mut r = OrderRules {
            max_shipments: 0,
            ship_complete: false,
            sla: policy.sla,
            unfilled_per_unit_cents: policy.costs.unfilled_per_unit_cents,
            split_penalty_cents: policy.costs.split_penalty_cents,
            allowed_kinds: None,
            tag_filters: Vec::new(),
            groups: None,
        };
        for rule in &policy.rules {
            let w = &rule.when;
            let dest = order.destination;
            let applies = w.service_level.is_none_or(|l| l == order.service_level)
                && w.channel
                    .as_ref()
                    .is_none_or(|c| order.channel.as_deref() == Some(c.as_str()))
                && w.region.is_none_or(|b| {
                    dest.lat_deg() >= b.min_lat_deg
                        && dest.lat_deg() <= b.max_lat_deg
                        && dest.lon_deg() >= b.min_lon_deg
                        && dest.lon_deg() <= b.max_lon_deg
                })
                && (w.tags_any.is_empty() || order.tags.iter().any(|t| w.tags_any.contains(t)));
            if !applies {
                continue;
            }
            let s = &rule.set;
            allow = s.allow_split.unwrap_or(allow);
            max = s.max_shipments.unwrap_or(max);
            complete = s.ship_complete.unwrap_or(complete);
            r.sla = s.sla.unwrap_or(r.sla);
            r.unfilled_per_unit_cents = s
                .unfilled_per_unit_cents
                .unwrap_or(r.unfilled_per_unit_cents);
            r.split_penalty_cents = s.split_penalty_cents.unwrap_or(r.split_penalty_cents);
            if let Some(k) = &s.allowed_kinds {
                r.allowed_kinds = Some(k.clone());
            }
            if s.allowed_tags.is_some() || !s.excluded_tags.is_empty() {
                r.tag_filters
                    .push((s.allowed_tags.clone(), s.excluded_tags.clone()));
            }
            if !rule.groups.is_empty() {
                r.groups = Some((rule.name.clone(), rule.groups.clone()));
            }
        }
        let allow = order.split.allow_split.unwrap_or(allow);
        let max = order.split.max_shipments.unwrap_or(max);
        r.ship_complete = order.split.ship_complete.unwrap_or(complete);
        r.max_shipments = if allow { usize::from(max.max(1)) } else { 1 };
        r
    }
}

/// What the checker derives for a feasible shipment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShipmentCheck {
    /// The shipment's cost from scratch, each term saturated to `i64`.
    pub cost: CostBreakdown,
    /// The shipment's total cost from scratch in 128-bit integers, from the policy's and the
    /// node's raw terms: a reported cost that wrapped round or saturated differs from it.
    pub exact_cents: i128,
    /// Its delivery date.
    pub promised_date: Date,
    /// Its distance.
    pub distance_km: f64,
}

/// Checks the hard rules for shipping `lines` of `order` from `node` (stock excepted: that is a
/// batch-wide check) and prices it from scratch. `Err` is (violation code, message).
#[allow(clippy::too_many_arguments)]
pub fn shipment_cost(
    order: &Order,
    node: NodeIdx,
    lines: &[usize],
    is_extra: bool,
    network: &Network,
    policy: &Policy,
    rules: &OrderRules,
    now: Timestamp,
) -> Result<ShipmentCheck, (&'static str, String)> {
    let n = network.node(node);
    let kind = policy.kind(n.kind);
    let level = order.service_level;
    if !n.active {
        return Err(("INACTIVE", format!("node {} is inactive", n.id)));
    }
    node_filters(order, node, n, rules)?;
    let km = order.destination.distance_km(n.location);
    let reach = n.reach_override_km(level).unwrap_or_else(|| {
        kind.reach_km
            .get(usize::from(level.0))
            .copied()
            .unwrap_or(0.0)
    });
    if reach <= 0.0 || km > reach {
        return Err((
            "REACH",
            format!("node {} is {km:.1} km away, reach {reach}", n.id),
        ));
    }
    let dealer = dealer_terms(n, order, policy)?;
    let terms = policy.level(level);
    let transit = transit_days(&terms.transit, km)
        .ok_or_else(|| ("REACH", format!("no transit band covers {km:.1} km")))?;
    let created = order.created_at.unwrap_or(now);
    let p = promise(&promise_node(n, policy), created, transit)
        .ok_or_else(|| ("SLA", format!("node {} never ships", n.id)))?;
    let deadline = deadline(order.promised_by, terms.deadline_days, created, &n.timezone);
    let late = deadline.map_or(0, |d| days_late(p.delivered_by, d));
    if late > 0 && rules.sla == Sla::Hard {
        return Err(("SLA", format!("node {} delivers {late} day(s) late", n.id)));
    }
    let per_km = n
        .costs
        .per_km_cents
        .or(terms.per_km_cents)
        .unwrap_or(kind.per_km_cents);
    let per_unit = n.costs.per_unit_cents.unwrap_or(kind.per_unit_cents);
    let wide = |cents: i64| i128::from(cents);
    let line_terms = lines_exact_cents(order, lines, per_unit, n.margin_bps());
    let terms = [
        wide(n.costs.fixed_cents.unwrap_or(kind.fixed_cents)),
        // round_half_up as the router's distance_cents, saturating at the i128 range (NaN: 0).
        (per_km * km + 0.5).floor() as i128,
        line_terms.0,
        line_terms.1,
        wide(policy.costs.priority_step_cents) * i128::from(n.priority),
        if is_extra {
            wide(rules.split_penalty_cents)
        } else {
            0
        },
        i128::from(late) * wide(policy.costs.lateness_per_day_cents),
        dealer[0],
        dealer[1],
    ];
    let narrow =
        |cents: i128| i64::try_from(cents).unwrap_or(if cents < 0 { i64::MIN } else { i64::MAX });
    let cost = CostBreakdown {
        fixed_cents: narrow(terms[0]),
        distance_cents: narrow(terms[1]),
        handling_cents: narrow(terms[2]),
        margin_cents: narrow(terms[3]),
        priority_cents: narrow(terms[4]),
        split_penalty_cents: narrow(terms[5]),
        lateness_cents: narrow(terms[6]),
        unfilled_cents: 0,
        reject_risk_cents: narrow(terms[7]),
        outside_territory_cents: narrow(terms[8]),
        // Priced against the stock the order saw, which the batch-wide check bounds.
        balance_cents: 0,
    };
    Ok(ShipmentCheck {
        cost,
        exact_cents: terms.into_iter().fold(0, i128::saturating_add),
        promised_date: p.delivered_by,
        distance_km: km,
    })
}

/// The node's promise inputs: its own values, else its kind's defaults under `policy`.
pub(super) fn promise_node<'n>(n: &'n crate::Node, policy: &Policy) -> PromiseNode<'n> {
    let kind = policy.kind(n.kind);
    PromiseNode {
        timezone: &n.timezone,
        cutoff_local: n.cutoff_local.unwrap_or(kind.cutoff_local),
        handling_days: n.handling_days.unwrap_or(kind.handling_days),
        calendar: &n.calendar,
    }
}

/// A dealer's territory rule and its priced terms (expected refusal cost, outside territory),
/// read by the model's dealer functions (docs/design.md §6).
fn dealer_terms(
    n: &crate::Node,
    order: &Order,
    policy: &Policy,
) -> Result<[i128; 2], (&'static str, String)> {
    let dealers = &policy.dealers;
    if dealers.territory_required && crate::in_territory(n, order.destination) == Some(false) {
        return Err((
            "TERRITORY",
            format!("node {} ships outside its territory", n.id),
        ));
    }
    Ok([
        i128::from(crate::reject_risk_cents(n, dealers)),
        i128::from(crate::outside_territory_cents(
            n,
            order.destination,
            dealers,
        )),
    ])
}

/// The order's exclusions and pins, the rules' allowed kinds and tag filters.
fn node_filters(
    order: &Order,
    node: NodeIdx,
    n: &crate::Node,
    rules: &OrderRules,
) -> Result<(), (&'static str, String)> {
    if order.excluded.contains(&node) {
        return Err(("EXCLUDED", format!("node {} is excluded", n.id)));
    }
    if !order.pinned.is_empty() && !order.pinned.contains(&node) {
        return Err((
            "EXCLUDED",
            format!("node {} is not among the order's only_nodes", n.id),
        ));
    }
    for (allowed, excluded) in &rules.tag_filters {
        let carries = |list: &[String]| n.tags.iter().any(|t| list.contains(t));
        if allowed.as_deref().is_some_and(|a| !carries(a)) || carries(excluded) {
            return Err((
                "TAG",
                format!("node {} is kept out by a rule's tag filter", n.id),
            ));
        }
    }
    if rules
        .allowed_kinds
        .as_ref()
        .is_some_and(|k| !k.contains(&n.kind))
    {
        return Err((
            "KIND",
            format!("node {} is a {} and not allowed", n.id, n.kind),
        ));
    }
    Ok(())
}

/// Handling and margin of shipping `lines` of `order`, in 128-bit integers.
fn lines_exact_cents(
    order: &Order,
    lines: &[usize],
    per_unit: i64,
    margin_bps: u32,
) -> (i128, i128) {
    lines
        .iter()
        .map(|&l| {
            let line = &order.lines[l];
            let value = i128::from(line.unit_price_cents.unwrap_or(0)) * i128::from(line.qty);
            let margin = i128::from(margin_bps)
                .saturating_mul(value)
                .saturating_add(5_000)
                .div_euclid(10_000);
            (i128::from(per_unit) * i128::from(line.qty), margin)
        })
        .fold((0, 0), |(h, m), (lh, lm)| {
            (h.saturating_add(lh), m.saturating_add(lm))
        })
}

/// What leaving `qty` units unfilled costs under `rules`, in 128-bit integers.
pub(super) fn unfilled_exact_cents(rules: &OrderRules, qty: u32) -> i128 {
    i128::from(rules.unfilled_per_unit_cents) * i128::from(qty)
}
