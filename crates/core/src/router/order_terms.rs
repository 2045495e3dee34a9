//! The policy's rules resolved for one order ([`OrderTerms`]), once per order.  Money terms are
//! clamped to the input limits here, as the node terms are in `terms.rs`.

use crate::{limits, LatLng, NodeKind, Order, Policy, Sla};

/// The policy as it applies to one order, after defaults, order overrides and rules.
#[derive(Debug, Clone)]
pub(crate) struct OrderTerms {
    pub max_shipments: usize,
    pub ship_complete: bool,
    pub sla: Sla,
    pub unfilled_per_unit_cents: i64,
    pub split_penalty_cents: i64,
    pub lateness_per_day_cents: i64,
    pub allowed_kinds: Option<Vec<NodeKind>>,
    /// Names of the rules that matched, in order.
    pub rules: Vec<String>,
    /// The matching rules with a tag filter (indices into the policy's rules).
    pub tag_rules: Vec<usize>,
    /// The last matching rule with node groups.
    pub group_rule: Option<usize>,
}

impl OrderTerms {
    pub(crate) fn resolve(order: &Order, policy: &Policy) -> Self {
        let mut allow_split = policy.split.allow_split;
        let mut max_shipments = policy.split.max_shipments;
        let mut ship_complete = policy.split.ship_complete;
        let mut terms = OrderTerms {
            max_shipments: 0,
            ship_complete: false,
            sla: policy.sla,
            unfilled_per_unit_cents: policy.costs.unfilled_per_unit_cents,
            split_penalty_cents: policy.costs.split_penalty_cents,
            lateness_per_day_cents: policy.costs.lateness_per_day_cents,
            allowed_kinds: None,
            rules: Vec::new(),
            tag_rules: Vec::new(),
            group_rule: None,
        };
        for (i, rule) in policy.rules.iter().enumerate() {
            if !matches(order, &rule.when) {
                continue;
            }
            if rule.set.allowed_tags.is_some() || !rule.set.excluded_tags.is_empty() {
                terms.tag_rules.push(i);
            }
            if !rule.groups.is_empty() {
                terms.group_rule = Some(i);
            }
            let set = &rule.set;
            allow_split = set.allow_split.unwrap_or(allow_split);
            max_shipments = set.max_shipments.unwrap_or(max_shipments);
            ship_complete = set.ship_complete.unwrap_or(ship_complete);
            terms.sla = set.sla.unwrap_or(terms.sla);
            if let Some(c) = set.unfilled_per_unit_cents {
                terms.unfilled_per_unit_cents = c;
            }
            if let Some(c) = set.split_penalty_cents {
                terms.split_penalty_cents = c;
            }
            if set.allowed_kinds.is_some() {
                terms.allowed_kinds.clone_from(&set.allowed_kinds);
            }
            terms.rules.push(rule.name.clone());
        }
        // The order's own split rule wins over the policy.
        allow_split = order.split.allow_split.unwrap_or(allow_split);
        max_shipments = order.split.max_shipments.unwrap_or(max_shipments);
        terms.ship_complete = order.split.ship_complete.unwrap_or(ship_complete);
        terms.unfilled_per_unit_cents = limits::money(terms.unfilled_per_unit_cents);
        terms.split_penalty_cents = limits::money(terms.split_penalty_cents);
        terms.lateness_per_day_cents = limits::money(terms.lateness_per_day_cents);
        terms.max_shipments = if allow_split {
            usize::from(max_shipments.max(1))
        } else {
            1
        };
        terms
    }
}

fn matches(order: &Order, when: &crate::Condition) -> bool {
    when.service_level.is_none_or(|l| l == order.service_level)
        && when
            .channel
            .as_ref()
            .is_none_or(|c| order.channel.as_ref() == Some(c))
        && when.region.is_none_or(|r| in_region(order.destination, &r))
        && (when.tags_any.is_empty() || when.tags_any.iter().any(|t| order.tags.contains(t)))
}

fn in_region(p: LatLng, r: &crate::Region) -> bool {
    (r.min_lat_deg..=r.max_lat_deg).contains(&p.lat_deg())
        && (r.min_lon_deg..=r.max_lon_deg).contains(&p.lon_deg())
}
