//! The checker's test of a decision under a rule's node groups: the decision names the rule
//! whose groups apply and the groups that failed before it, in order; every shipment comes from
//! the group it names; that group's condition holds. Whether an earlier group really failed is
//! a question of routing, which the checker does not redo (the property tests' brute force does).

use super::rules::OrderRules;
use crate::{Decision, Network, Order, Policy};
use jiff::Timestamp;

/// Calls `v("GROUP", …)` for every way `d` breaks the node groups of `rules`.
pub(super) fn check_groups(
    order: &Order,
    d: &Decision,
    rules: &OrderRules,
    network: &Network,
    policy: &Policy,
    now: Timestamp,
    v: &mut impl FnMut(&'static str, String),
) {
    let (rule, groups) = match (&rules.groups, &d.group) {
        (None, None) => return,
        (None, Some(c)) => {
            return v(
                "GROUP",
                format!(
                    "names rule {:?}'s groups, but no rule with groups applies",
                    c.rule
                ),
            )
        }
        (Some((rule, _)), None) => {
            return v(
                "GROUP",
                format!("rule {rule:?}'s groups apply, but the decision names none"),
            )
        }
        (Some((rule, groups)), Some(choice)) => {
            if choice.rule != *rule {
                return v(
                    "GROUP",
                    format!(
                        "names rule {:?}, but rule {rule:?}'s groups apply",
                        choice.rule
                    ),
                );
            }
            (rule, groups)
        }
    };
    let choice = d.group.as_ref().expect("matched above");
    let tried: Vec<&str> = choice.failed.iter().map(|(g, _)| g.as_str()).collect();
    let chosen = if choice.group.is_some() {
        tried.len()
    } else {
        groups.len()
    };
    let expected: Vec<&str> = groups
        .iter()
        .take(chosen)
        .map(|g| g.name.as_str())
        .collect();
    let named_right = choice
        .group
        .as_ref()
        .is_none_or(|name| groups.get(chosen).is_some_and(|g| g.name == *name));
    if tried != expected || !named_right {
        return v(
            "GROUP",
            format!(
                "rule {rule:?}: groups tried {tried:?} then {:?}, not in the rule's order",
                choice.group
            ),
        );
    }
    let Some(group) = groups.get(chosen) else {
        return; // the default: every node the order's filters allow
    };
    for s in &d.shipments {
        let n = network.node(s.node);
        if !group.select.contains(n) {
            v(
                "GROUP",
                format!("node {} is not in group {:?}", n.id, group.name),
            );
        }
    }
    let created_at = order.created_at.unwrap_or(now);
    if let Err(why) = group
        .require
        .judge(order, d, policy, created_at, |i| network.node(i))
    {
        v(
            "GROUP",
            format!("group {:?} was taken but {why}", group.name),
        );
    }
}
