//! A rule's node groups tried in order (`docs/router.md`, "Node groups"): each group is routed
//! exactly, the nodes outside it filtered (`NOT_IN_GROUP`); the first decision that meets its
//! group's condition is taken; when none does, the order is routed over every node its filters
//! allow (the final default). The decision's `group` names the rule, the group taken and why
//! each earlier group failed.

use super::order_terms::OrderTerms;
use super::policy_router::PolicyRouter;
use super::{Decision, Load, Prices, StockTable};
use crate::{GroupChoice, GroupFailure, NodeGroup, Order};
use jiff::Timestamp;

impl super::Router {
    /// True when a rule's node groups route `order` (its decision is then the least cost within
    /// a group, not over every node: optimise mode bounds it by its floor).
    pub(crate) fn by_groups(&self, order: &Order, now: Timestamp) -> bool {
        self.version(order, now).group_rule(order).is_some()
    }

    /// `order` routed (with `prices`, as `Router::route_priced`) within the node group of
    /// `choice`, the group that decided another decision for the same order: optimise mode's
    /// options for an order under node groups all come from the group its own routing against
    /// the starting stock took, so a group is never passed over because another order took its
    /// stock. The decision records `choice`; `None` when it does not meet that group's
    /// condition. Without a choice (no rule with groups), the plain routing.
    pub(crate) fn route_within(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
        choice: Option<&GroupChoice>,
    ) -> Option<Decision> {
        let Some(choice) = choice else {
            return Some(self.route_priced(order, stock, load, now, prices));
        };
        let router = self.version(order, now);
        let mut terms = OrderTerms::resolve(order, &router.policy);
        let rules = std::mem::take(&mut terms.rules);
        let rule = &router.policy.rules[terms.group_rule?];
        let g = match &choice.group {
            None => None,
            Some(name) => Some(rule.groups.iter().position(|g| g.name == *name)?),
        };
        let mut d = router.route_in(order, &terms, rules, stock, load, now, prices, g);
        if let Some(g) = g {
            router.judge(&rule.groups[g], order, &d, now).ok()?;
        }
        d.group = Some(choice.clone());
        Some(d)
    }
}

impl PolicyRouter {
    /// Whether decision `d` of `order` meets `group`'s condition under this policy.
    fn judge(
        &self,
        group: &NodeGroup,
        order: &Order,
        d: &Decision,
        now: Timestamp,
    ) -> Result<(), GroupFailure> {
        let node = |n: crate::NodeIdx| self.network.node(n);
        let created_at = order.created_at.unwrap_or(now);
        group
            .require
            .judge(order, d, &self.policy, created_at, node)
    }

    /// Routes `order` under this policy (see `Router::route_priced`), through the groups of its
    /// group rule when it has one. The order's terms are resolved once, for every group tried.
    pub(super) fn route_under(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
    ) -> Decision {
        let mut terms = OrderTerms::resolve(order, &self.policy);
        // The rules are reported, never read by the search: move them out.
        let rules = std::mem::take(&mut terms.rules);
        let route =
            |group, rules| self.route_in(order, &terms, rules, stock, load, now, prices, group);
        let Some(rule) = terms.group_rule else {
            return route(None, rules);
        };
        let rule = &self.policy.rules[rule];
        let mut failed = Vec::new();
        let mut taken = None;
        for (g, group) in rule.groups.iter().enumerate() {
            let d = route(Some(g), rules.clone());
            match self.judge(group, order, &d, now) {
                Ok(()) => {
                    taken = Some((d, group.name.clone()));
                    break;
                }
                Err(why) => failed.push((group.name.clone(), why)),
            }
        }
        let (mut d, group) = match taken {
            Some((d, name)) => (d, Some(name)),
            None => (route(None, rules), None),
        };
        d.group = Some(GroupChoice {
            rule: rule.name.clone(),
            group,
            failed,
        });
        d
    }

    /// The last of the policy's rules with groups that matches `order` (`None` at once when no
    /// rule has groups).
    pub(super) fn group_rule(&self, order: &Order) -> Option<usize> {
        if self.sets.groups.iter().all(Vec::is_empty) {
            return None;
        }
        OrderTerms::resolve(order, &self.policy).group_rule
    }

    /// The least-cost decision for `order` under `terms` over the nodes of group `group` of its
    /// group rule (every node the filters allow when `None`), naming the rules that applied.
    #[allow(clippy::too_many_arguments)]
    fn route_in(
        &self,
        order: &Order,
        terms: &OrderTerms,
        rules: Vec<String>,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
        group: Option<usize>,
    ) -> Decision {
        self.search(
            order,
            terms,
            stock,
            load,
            now,
            prices,
            group,
            |mut search| {
                if !order.lines.is_empty() {
                    search.run();
                }
                search.finish(rules)
            },
        )
    }
}
