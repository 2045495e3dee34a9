//! Node filters beyond a node's own terms: the order's exclusions and pins (`EXCLUDED`), the tag
//! filters of the policy rules that match it (`TAG_NOT_ALLOWED`) and the node group being tried
//! (`NOT_IN_GROUP`). The rules' tag filters and groups become node sets once per router
//! ([`RuleSets`]: [`NodeSet`]s), so judging a node is a few bit tests.

use super::node_set::NodeSet;
use super::Reason;
use crate::{Network, Node, NodeIdx, Order, Policy};

/// Per policy rule, the nodes its tag filters admit and the nodes of each of its groups.
#[derive(Debug, Clone)]
pub(crate) struct RuleSets {
    /// Per rule: the nodes that pass its `allowed_tags` and `excluded_tags` (`None`: no filter).
    pub tags: Vec<Option<NodeSet>>,
    /// Per rule: its groups' nodes, in order.
    pub groups: Vec<Vec<NodeSet>>,
}

impl RuleSets {
    pub(crate) fn new(network: &Network, policy: &Policy) -> Self {
        let tags = policy
            .rules
            .iter()
            .map(|r| {
                let (allowed, excluded) = (&r.set.allowed_tags, &r.set.excluded_tags);
                (allowed.is_some() || !excluded.is_empty())
                    .then(|| NodeSet::of(network, |n| passes_tags(n, allowed.as_deref(), excluded)))
            })
            .collect();
        let groups = policy
            .rules
            .iter()
            .map(|r| {
                r.groups
                    .iter()
                    .map(|g| NodeSet::of(network, |n| g.select.contains(n)))
                    .collect()
            })
            .collect();
        Self { tags, groups }
    }
}

/// True when `node` carries one of `allowed` (if set) and none of `excluded`.
fn passes_tags(node: &Node, allowed: Option<&[String]>, excluded: &[String]) -> bool {
    allowed.is_none_or(|a| node.tags.iter().any(|t| a.contains(t)))
        && !node.tags.iter().any(|t| excluded.contains(t))
}

/// What keeps nodes from serving one order beyond their own terms.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter<'a> {
    /// The node sets of the matching rules' tag filters: a node must be in each.
    tags: Vec<&'a NodeSet>,
    /// The group being tried, if any.
    group: Option<&'a NodeSet>,
}

impl<'a> Filter<'a> {
    /// The filter of an order matched by the rules `tag_rules` (indices into `sets`), trying
    /// group `group` of rule `group.0` when set.
    pub(crate) fn new(
        sets: &'a RuleSets,
        tag_rules: &[usize],
        group: Option<(usize, usize)>,
    ) -> Self {
        Self {
            tags: tag_rules
                .iter()
                .filter_map(|&r| sets.tags[r].as_ref())
                .collect(),
            group: group.map(|(r, g)| &sets.groups[r][g]),
        }
    }

    /// True when the filter, or `order`'s own lists, may keep some node out.
    pub(crate) fn restricts(&self, order: &Order) -> bool {
        !self.tags.is_empty()
            || self.group.is_some()
            || !order.excluded.is_empty()
            || !order.pinned.is_empty()
    }

    /// `Err` with the reason when the order's lists, a tag filter or the group keep `node` out.
    pub(crate) fn admits(&self, order: &Order, node: NodeIdx) -> Result<(), Reason> {
        if !order.admits(node) {
            return Err(Reason::Excluded);
        }
        if self.tags.iter().any(|s| !s.contains(node)) {
            return Err(Reason::TagNotAllowed);
        }
        if self.group.is_some_and(|s| !s.contains(node)) {
            return Err(Reason::NotInGroup);
        }
        Ok(())
    }
}
