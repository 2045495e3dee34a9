//! Evaluating one candidate node for one order: hard filters, promise, and per-line costs.

use super::filter::Filter;
use super::order_terms::OrderTerms;
use super::policy_router::PolicyRouter;
use super::terms::NodeTerms;
use super::{cost, LineSet, Load, Reason, StockTable};
use crate::promise::{days_late, deadline, promise, transit_days, PromiseNode};
use crate::{Network, NodeIdx, Order, Policy, Sla};
use jiff::civil::Date;
use jiff::Timestamp;

/// A node that passed every hard rule, with what it can ship and at what cost.
#[derive(Debug, Clone)]
pub(crate) struct Viable {
    pub node: NodeIdx,
    pub distance_km: f64,
    /// Lines the node can ship.
    pub lines: LineSet,
    /// Units the node may still ship today (`u32::MAX` = unlimited).
    pub units_left: u32,
    /// Cost of a shipment before its lines: fixed + priority + reject risk + distance +
    /// lateness + outside territory.
    pub base_cents: i64,
    pub distance_cents: i64,
    pub lateness_cents: i64,
    pub territory_cents: i64,
    /// Transit days for the distance and level.
    pub transit_days: u8,
    /// The promised delivery date; computed here only when a deadline needs it, else by
    /// [`promised_date`] for the chosen nodes alone.
    pub promised_date: Option<Date>,
}

/// Everything about the order that every candidate needs, resolved once.
pub(crate) struct OrderCtx<'a> {
    pub order: &'a Order,
    pub terms: &'a OrderTerms,
    pub created_at: Timestamp,
    /// Per line: handling + margin are per node, so only units and value here.
    pub units: Vec<u32>,
    /// The order's lists, the rules' tag filters and the group tried.
    pub filter: Filter<'a>,
}

impl<'a> OrderCtx<'a> {
    /// The context of `order` under `terms` (resolved by `router`'s policy), trying group
    /// `group` of the order's group rule when set.
    pub(crate) fn new(
        router: &'a PolicyRouter,
        order: &'a Order,
        terms: &'a OrderTerms,
        now: Timestamp,
        group: Option<usize>,
    ) -> Self {
        let group = group.and_then(|g| terms.group_rule.map(|r| (r, g)));
        Self {
            filter: Filter::new(&router.sets, &terms.tag_rules, group),
            order,
            terms,
            created_at: order.created_at.unwrap_or(now),
            units: order.lines.iter().map(|l| l.qty).collect(),
        }
    }
}

/// The lines of `order` that `node` holds enough routable stock to ship.
pub(crate) fn stock_lines(order: &Order, stock: &StockTable, node: NodeIdx) -> LineSet {
    let mut lines = LineSet::new();
    for (i, line) in order.lines.iter().enumerate() {
        if stock.qty(node, line.sku) >= line.qty {
            lines.insert(i);
        }
    }
    lines
}

/// False when a rule that depends on neither distance nor date keeps `node` from shipping a line
/// of `units` units of this order: activity, exclusions, pins, tag filters, group, allowed kinds, the level not offered at
/// the node, and capacity. The distance-free part of [`evaluate`], for bounds.
pub(crate) fn may_ship(
    terms: &NodeTerms,
    ctx: &OrderCtx<'_>,
    load: &Load,
    node: NodeIdx,
    units: u32,
) -> bool {
    let order = ctx.order;
    if !terms.active
        || ctx.filter.admits(order, node).is_err()
        || ctx
            .terms
            .allowed_kinds
            .as_ref()
            .is_some_and(|kinds| !kinds.contains(&terms.kind))
        || terms.reach_km[usize::from(order.service_level.0)] <= 0.0
    {
        return false;
    }
    terms.capacity().has_room(load, node, units)
}

/// Evaluates a node that holds the lines in `lines` ([`stock_lines`]); `Err` carries the first
/// hard rule it fails.
#[allow(clippy::too_many_arguments)]
pub(crate) fn evaluate(
    network: &Network,
    policy: &Policy,
    terms: &NodeTerms,
    ctx: &OrderCtx<'_>,
    load: &Load,
    node: NodeIdx,
    distance_km: f64,
    mut lines: LineSet,
) -> Result<Viable, Reason> {
    let n = network.node(node);
    let order = ctx.order;
    if !n.active {
        return Err(Reason::NodeInactive);
    }
    ctx.filter.admits(order, node)?;
    if let Some(kinds) = &ctx.terms.allowed_kinds {
        if !kinds.contains(&n.kind) {
            return Err(Reason::KindNotAllowed);
        }
    }
    if lines.is_empty() {
        return Err(Reason::NoStock);
    }
    let level = usize::from(order.service_level.0);
    let reach = terms.reach_km[level];
    if reach <= 0.0 || distance_km > reach {
        return Err(Reason::OutOfReach);
    }
    let Some(transit) = transit_days(&policy.level(order.service_level).transit, distance_km)
    else {
        return Err(Reason::OutOfReach);
    };
    if policy.dealers.territory_required && crate::in_territory(n, order.destination) == Some(false)
    {
        return Err(Reason::OutsideTerritory);
    }
    let (used_units, used_shipments) = load.used(node);
    if terms
        .capacity_shipments
        .is_some_and(|cap| used_shipments >= cap)
    {
        return Err(Reason::NoCapacity);
    }
    let units_left = terms
        .capacity_units
        .map_or(u32::MAX, |cap| cap.saturating_sub(used_units));
    for (i, &u) in ctx.units.iter().enumerate() {
        if u > units_left {
            lines.remove(i);
        }
    }
    if lines.is_empty() {
        return Err(Reason::NoCapacity);
    }
    let deadline_days = policy.level(order.service_level).deadline_days;
    let mut promised_date = None;
    let mut late_days = 0;
    if order.promised_by.is_some() || deadline_days.is_some() || !terms.always_ships {
        let Some(delivered_by) = promised_date_at(n, terms, ctx.created_at, transit) else {
            return Err(Reason::SlaUnreachable);
        };
        let deadline = deadline(
            order.promised_by,
            deadline_days,
            ctx.created_at,
            &n.timezone,
        );
        late_days = deadline.map_or(0, |d| days_late(delivered_by, d));
        if late_days > 0 && ctx.terms.sla == Sla::Hard {
            return Err(Reason::SlaUnreachable);
        }
        promised_date = Some(delivered_by);
    }
    let lateness_cents = i64::from(late_days) * ctx.terms.lateness_per_day_cents;
    let distance_cents = cost::distance_cents(terms.per_km_cents[level], distance_km);
    let territory_cents = crate::outside_territory_cents(n, order.destination, &policy.dealers);
    Ok(Viable {
        node,
        distance_km,
        lines,
        units_left,
        base_cents: terms.base_cents() + distance_cents + lateness_cents + territory_cents,
        distance_cents,
        lateness_cents,
        territory_cents,
        transit_days: transit,
        promised_date,
    })
}

/// The delivery date from node `n` for an order created at `created_at` (`None`: the node's
/// calendar never opens).
pub(crate) fn promised_date_at(
    n: &crate::Node,
    terms: &NodeTerms,
    created_at: Timestamp,
    transit_days: u8,
) -> Option<Date> {
    let pn = PromiseNode {
        timezone: &n.timezone,
        cutoff_local: terms.cutoff_local,
        handling_days: terms.handling_days,
        calendar: &n.calendar,
    };
    promise(&pn, created_at, transit_days).map(|p| p.delivered_by)
}
