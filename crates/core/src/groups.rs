//! Node groups of a routing rule (`docs/policy.md`, "Node groups and fallback"): which nodes a
//! group holds, and what the group's best decision must achieve for the router to take it.
//! The router tries a rule's groups in order and takes the first whose condition holds, else
//! routes over every node (the final default); within a group the choice is still the least cost.

use crate::{Decision, Node, NodeKind, Order, Policy};
use jiff::civil::Date;
use jiff::Timestamp;
use std::fmt;

/// Which nodes belong to a group: a node must pass every selector that is set (kinds, tags,
/// region, ids); a group with no selector holds every node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupSelect {
    /// The node is one of these kinds (empty: any kind).
    pub kinds: Vec<NodeKind>,
    /// The node carries at least one of these tags (empty: any tags).
    pub tags_any: Vec<String>,
    /// The node lies inside this polygon (x = longitude, y = latitude, degrees).
    pub region: Option<geo::Polygon<f64>>,
    /// The node's id is one of these (empty: any node).
    pub node_ids: Vec<String>,
}

impl GroupSelect {
    /// True when `node` belongs to the group.
    pub fn contains(&self, node: &Node) -> bool {
        use geo::Intersects;
        (self.kinds.is_empty() || self.kinds.contains(&node.kind))
            && (self.tags_any.is_empty() || node.tags.iter().any(|t| self.tags_any.contains(t)))
            && self.region.as_ref().is_none_or(|r| {
                r.intersects(&geo::Point::new(
                    node.location.lon_deg(),
                    node.location.lat_deg(),
                ))
            })
            && (self.node_ids.is_empty() || self.node_ids.contains(&node.id))
    }
}

/// What a group's decision must achieve for the router to take it. Every set condition must
/// hold, and the decision must ship at least one line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GroupCondition {
    /// Every line ships.
    pub ship_complete: bool,
    /// Every shipment travels at most this many km.
    pub within_km: Option<f64>,
    /// Every shipment is promised by the order's deadline (its `promised_by`, else its service
    /// level's `deadline_days`; no deadline: holds).
    pub by_promise: bool,
}

/// An ordered node group of a rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeGroup {
    /// The group's name, for explanations.
    pub name: String,
    /// Its nodes.
    pub select: GroupSelect,
    /// What its decision must achieve.
    pub require: GroupCondition,
}

/// Why a group's decision did not satisfy its condition.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum GroupFailure {
    /// The group shipped nothing.
    NothingShipped,
    /// `ship_complete`: this many lines were left unfilled.
    NotComplete {
        /// Unfilled lines.
        unfilled_lines: usize,
    },
    /// `within_km`: a shipment travels further.
    TooFar {
        /// The furthest shipment's distance.
        distance_km: f64,
        /// The group's limit.
        within_km: f64,
    },
    /// `by_promise`: a shipment is promised after the deadline.
    Late {
        /// The latest promised date.
        promised: Date,
        /// The order's deadline.
        deadline: Date,
    },
    /// Read back from a file that records the group taken but not why earlier ones failed
    /// (decisions.csv).
    Unrecorded,
}

impl GroupFailure {
    /// The stable code used in explanations.
    pub fn code(self) -> &'static str {
        match self {
            GroupFailure::NothingShipped => "NOTHING_SHIPPED",
            GroupFailure::NotComplete { .. } => "NOT_COMPLETE",
            GroupFailure::TooFar { .. } => "TOO_FAR",
            GroupFailure::Late { .. } => "LATE",
            GroupFailure::Unrecorded => "UNRECORDED",
        }
    }
}

impl fmt::Display for GroupFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            GroupFailure::NothingShipped => f.write_str("ships nothing"),
            GroupFailure::NotComplete { unfilled_lines } => {
                write!(f, "not complete: {unfilled_lines} line(s) unfilled")
            }
            GroupFailure::TooFar {
                distance_km,
                within_km,
            } => write!(
                f,
                "a shipment travels {distance_km:.1} km, more than {within_km} km"
            ),
            GroupFailure::Late { promised, deadline } => {
                write!(f, "promised {promised}, after the deadline {deadline}")
            }
            GroupFailure::Unrecorded => f.write_str("not recorded"),
        }
    }
}

/// How the groups of a rule decided an order: the group taken (`None`: the final default, every
/// node) and why each earlier group failed.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupChoice {
    /// The rule whose groups applied.
    pub rule: String,
    /// The group whose decision was taken; `None` when every group failed and the default (every
    /// node the order's filters allow) decided.
    pub group: Option<String>,
    /// Each group tried before, with why it failed, in order.
    pub failed: Vec<(String, GroupFailure)>,
}

/// `rule "R": group "G" decided; before it "G0" ships nothing`, or `…: every group failed
/// (…), the default (every node) decided`.
impl fmt::Display for GroupChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule {:?}: ", self.rule)?;
        match &self.group {
            Some(g) => write!(f, "group {g:?} decided")?,
            None => f.write_str("every group failed, the default (every node) decided")?,
        }
        for (i, (g, why)) in self.failed.iter().enumerate() {
            f.write_str(if i == 0 { "; before it " } else { ", " })?;
            write!(f, "{g:?} {why}")?;
        }
        Ok(())
    }
}

impl GroupCondition {
    /// Judges `decision` of `order` (created at `created_at`) under `policy`: `Ok` when it
    /// ships something and meets every set condition. `node` finds a shipment's node (its time
    /// zone dates the level's deadline).
    ///
    /// # Errors
    ///
    /// The first condition that fails.
    pub fn judge<'n>(
        &self,
        order: &Order,
        decision: &Decision,
        policy: &Policy,
        created_at: Timestamp,
        node: impl Fn(crate::NodeIdx) -> &'n Node,
    ) -> Result<(), GroupFailure> {
        if decision.shipments.is_empty() {
            return Err(GroupFailure::NothingShipped);
        }
        if self.ship_complete && !decision.unfilled.is_empty() {
            return Err(GroupFailure::NotComplete {
                unfilled_lines: decision.unfilled.len(),
            });
        }
        if let Some(within_km) = self.within_km {
            let far = decision
                .shipments
                .iter()
                .map(|s| s.distance_km)
                .fold(0.0, f64::max);
            if far > within_km {
                return Err(GroupFailure::TooFar {
                    distance_km: far,
                    within_km,
                });
            }
        }
        if self.by_promise {
            let days = policy.level(order.service_level).deadline_days;
            for s in &decision.shipments {
                let deadline = order.promised_by.or_else(|| {
                    days.map(|d| {
                        crate::order_date(created_at, &node(s.node).timezone)
                            + jiff::Span::new().days(i64::from(d))
                    })
                });
                if let Some(deadline) = deadline.filter(|&d| s.promised_date > d) {
                    return Err(GroupFailure::Late {
                        promised: s.promised_date,
                        deadline,
                    });
                }
            }
        }
        Ok(())
    }
}

impl GroupChoice {
    /// The group choice a decision read back from a file (which records shipments, not groups)
    /// stands for, when `rule` (its name and groups) applies to the order: the first group that
    /// holds every shipment's node and whose condition the decision meets, else the default;
    /// the groups before it failed for reasons not recorded.
    pub fn read_back<'n>(
        rule: (&str, &[NodeGroup]),
        order: &Order,
        decision: &Decision,
        policy: &Policy,
        created_at: Timestamp,
        node: impl Fn(crate::NodeIdx) -> &'n Node + Copy,
    ) -> Self {
        let (name, groups) = rule;
        let taken = groups.iter().position(|g| {
            decision
                .shipments
                .iter()
                .all(|s| g.select.contains(node(s.node)))
                && g.require
                    .judge(order, decision, policy, created_at, node)
                    .is_ok()
        });
        Self::recorded(name, groups, taken)
    }

    /// The choice under the rule named `name`, with groups `groups`, when group `taken` decided
    /// (`None`: the default), the groups before it failed for reasons not recorded (a decision
    /// read from a file).
    pub fn recorded(name: &str, groups: &[NodeGroup], taken: Option<usize>) -> Self {
        Self {
            rule: name.to_owned(),
            group: taken.map(|i| groups[i].name.clone()),
            failed: groups[..taken.unwrap_or(groups.len())]
                .iter()
                .map(|g| (g.name.clone(), GroupFailure::Unrecorded))
                .collect(),
        }
    }
}
