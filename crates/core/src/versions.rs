//! Policy versions (docs/design.md §7 `effective_from`): several policies, each routing the orders created
//! from its `effective_from` until the next version's. [`PolicyVersions`] is validated at
//! construction, so choosing a version cannot fail.
//!
//! Every version must define the same service levels (nodes and orders are read under one set of
//! levels) and the same resources: the per-kind `safety_stock`, `capacity_units` and
//! `capacity_shipments` (the stock table and the capacity a batch shares are built once). Prices,
//! reach, handling, split and SLA rules, dealer rules and rules may all differ.

use crate::{NodeKind, Order, Policy, ServiceLevels};
use jiff::Timestamp;

/// Why a set of policies cannot be versions of one policy. Indices are positions in the list
/// given to [`PolicyVersions::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The list is empty.
    #[error("no policy version given")]
    Empty,
    /// Two versions define different service levels.
    #[error("policy versions #{first} and #{other} define different service levels")]
    Levels {
        /// The version compared against (always the first given).
        first: usize,
        /// The version that differs.
        other: usize,
    },
    /// Two versions differ in a resource every version must share: `kinds.<kind>.<key>` with
    /// `key` one of `safety_stock`, `capacity_units`, `capacity_shipments`.
    #[error(
        "policy versions #{first} and #{other} differ in `kinds.{kind}.{key}`, which every version must share"
    )]
    Resource {
        /// The node kind.
        kind: NodeKind,
        /// The key under `kinds.<kind>`.
        key: &'static str,
        /// The version compared against (always the first given).
        first: usize,
        /// The version that differs.
        other: usize,
    },
    /// Two versions take effect at the same instant, or neither has an `effective_from` (both
    /// apply from the beginning of time).
    #[error("policy versions #{first} and #{other} take effect at the same time ({})", .at.map_or_else(|| "no effective_from".to_owned(), |t| t.to_string()))]
    SameStart {
        /// The earlier of the two in the list.
        first: usize,
        /// The later of the two in the list.
        other: usize,
        /// Their `effective_from` (`None`: neither has one).
        at: Option<Timestamp>,
    },
}

/// Versions of one policy, ascending by `effective_from` (a version without one first: it applies
/// from the beginning of time). An order is routed under the latest version whose
/// `effective_from` is at or before its `created_at` (the batch's reference time when it has
/// none).
///
/// ```
/// # use omniroute_core::*;
/// let mut later = Policy::default();
/// later.effective_from = Some("2026-06-01T00:00:00Z".parse()?);
/// later.costs.split_penalty_cents = 900;
/// let versions = PolicyVersions::new(vec![later, Policy::default()])?;
/// let may: jiff::Timestamp = "2026-05-31T23:59:59Z".parse()?;
/// let june: jiff::Timestamp = "2026-06-01T00:00:00Z".parse()?;
/// assert_eq!(versions.at(may).unwrap().costs.split_penalty_cents, 0);
/// assert_eq!(versions.at(june).unwrap().costs.split_penalty_cents, 900);
/// assert_eq!(versions.given(1), 0, "the dated version was given first");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PolicyVersions {
    /// Ascending by `effective_from`, `None` first.
    policies: Vec<Policy>,
    /// `given[k]`: where `policies[k]` was in the list given to [`PolicyVersions::new`].
    given: Vec<usize>,
}

impl PolicyVersions {
    /// Validates `policies` as versions of one policy (see the module docs) and sorts them by
    /// `effective_from`. The first conflict found is the error; [`PolicyVersions::conflicts`]
    /// lists them all.
    ///
    /// # Errors
    ///
    /// [`VersionError`] when the list is empty, two versions define different service levels or
    /// resources, or two versions start at the same time.
    pub fn new(policies: Vec<Policy>) -> Result<Self, VersionError> {
        if let Some(e) = Self::conflicts(&policies).into_iter().next() {
            return Err(e);
        }
        let mut given: Vec<usize> = (0..policies.len()).collect();
        given.sort_by_key(|&i| policies[i].effective_from);
        let mut slots: Vec<Option<Policy>> = policies.into_iter().map(Some).collect();
        let policies = given
            .iter()
            .map(|&i| slots[i].take().expect("each index once"))
            .collect();
        Ok(Self { policies, given })
    }

    /// Every reason `policies` cannot be versions of one policy, each version compared with the
    /// first given; empty when [`PolicyVersions::new`] would accept them.
    pub fn conflicts(policies: &[Policy]) -> Vec<VersionError> {
        let Some(first) = policies.first() else {
            return vec![VersionError::Empty];
        };
        let mut out = Vec::new();
        for (other, p) in policies.iter().enumerate().skip(1) {
            if p.levels != first.levels {
                out.push(VersionError::Levels { first: 0, other });
            }
            for kind in NodeKind::ALL {
                let (a, b) = (first.kind(kind), p.kind(kind));
                for (key, differs) in [
                    ("safety_stock", a.safety_stock != b.safety_stock),
                    ("capacity_units", a.capacity_units != b.capacity_units),
                    (
                        "capacity_shipments",
                        a.capacity_shipments != b.capacity_shipments,
                    ),
                ] {
                    if differs {
                        out.push(VersionError::Resource {
                            kind,
                            key,
                            first: 0,
                            other,
                        });
                    }
                }
            }
        }
        for (other, p) in policies.iter().enumerate() {
            let at = p.effective_from;
            if let Some(first) = policies[..other]
                .iter()
                .position(|q| q.effective_from == at)
            {
                out.push(VersionError::SameStart { first, other, at });
            }
        }
        out
    }

    /// The index (in version order) of the version that applies at `at`: the latest whose
    /// `effective_from` is at or before `at`. `None` when `at` is before every version.
    pub fn index_at(&self, at: Timestamp) -> Option<usize> {
        self.starts()
            .is_none_or(|first| first <= at)
            .then(|| version_at(&self.policies[1..], later_start, at))
    }

    /// The version that applies at `at`, `None` when `at` is before every version.
    pub fn at(&self, at: Timestamp) -> Option<&Policy> {
        self.index_at(at).map(|k| &self.policies[k])
    }

    /// The index of the version that routes `order`: the one that applies at its `created_at`
    /// (at `now` when it has none), or the earliest (0) when the order is older than every
    /// version (the CLI and the Python package reject such an order before routing).
    pub fn index_for(&self, order: &Order, now: Timestamp) -> usize {
        version_for(&self.policies[1..], later_start, order, now)
    }

    /// The version that routes `order` (see [`PolicyVersions::index_for`]).
    pub fn for_order(&self, order: &Order, now: Timestamp) -> &Policy {
        &self.policies[self.index_for(order, now)]
    }

    /// The version at `index` (version order).
    ///
    /// # Panics
    ///
    /// If `index` is not below [`PolicyVersions::len`].
    pub fn get(&self, index: usize) -> &Policy {
        &self.policies[index]
    }

    /// The earliest version. Its resources (safety stock and capacities) and service levels are
    /// every version's.
    pub fn earliest(&self) -> &Policy {
        &self.policies[0]
    }

    /// The service levels every version defines.
    pub fn levels(&self) -> &ServiceLevels {
        &self.policies[0].levels
    }

    /// The instant before which no version applies (`None` when a version has no
    /// `effective_from`, so every instant has a version).
    pub fn starts(&self) -> Option<Timestamp> {
        self.policies[0].effective_from
    }

    /// Where the version at `index` (version order) was in the list given to
    /// [`PolicyVersions::new`].
    ///
    /// # Panics
    ///
    /// If `index` is not below [`PolicyVersions::len`].
    pub fn given(&self, index: usize) -> usize {
        self.given[index]
    }

    /// How many versions (at least one).
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Always false: there is at least one version.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The versions in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Policy> {
        self.policies.iter()
    }
}

/// The `effective_from` of a version after the earliest: only the earliest may have none (two
/// without one would start at once, and `None` sorts first).
pub(crate) fn later_start(version: &Policy) -> Timestamp {
    version
        .effective_from
        .expect("only the earliest version may have no effective_from")
}

/// The one rule choosing a version, given the versions after the earliest, ascending by their
/// `effective_from` (which `start` reads): the index of the version that applies at `at` is how
/// many of them have started by then, so the earliest (0) also takes every instant before the
/// first version starts.
fn version_at<T>(later: &[T], start: impl Fn(&T) -> Timestamp, at: Timestamp) -> usize {
    later.partition_point(|v| start(v) <= at)
}

/// The index of the version that routes `order` ([`version_at`]): the one that applies at its
/// `created_at`, or at `now` when it has none.
pub(crate) fn version_for<T>(
    later: &[T],
    start: impl Fn(&T) -> Timestamp,
    order: &Order,
    now: Timestamp,
) -> usize {
    version_at(later, start, order.created_at.unwrap_or(now))
}

/// The same versions, whatever order they were given in (`given` only says where each came
/// from, for messages).
impl PartialEq for PolicyVersions {
    fn eq(&self, other: &Self) -> bool {
        self.policies == other.policies
    }
}

impl<'a> IntoIterator for &'a PolicyVersions {
    type Item = &'a Policy;
    type IntoIter = std::slice::Iter<'a, Policy>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl From<Policy> for PolicyVersions {
    /// One version, whatever its `effective_from`.
    fn from(policy: Policy) -> Self {
        Self {
            policies: vec![policy],
            given: vec![0],
        }
    }
}

impl Default for PolicyVersions {
    /// The default policy as the one version.
    fn default() -> Self {
        Policy::default().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(at: &str, split_penalty_cents: i64) -> Policy {
        let mut p = Policy {
            effective_from: Some(at.parse().unwrap()),
            ..Policy::default()
        };
        p.costs.split_penalty_cents = split_penalty_cents;
        p
    }

    #[test]
    fn versions_given_in_another_order_are_the_same_versions() {
        let (jan, feb) = (
            dated("2026-01-01T00:00:00Z", 0),
            dated("2026-02-01T00:00:00Z", 900),
        );
        let a = PolicyVersions::new(vec![jan.clone(), feb.clone()]).unwrap();
        let b = PolicyVersions::new(vec![feb, jan.clone()]).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, PolicyVersions::new(vec![jan]).unwrap());
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_latest_version_at_or_before_the_instant_applies() {
        let v = PolicyVersions::new(vec![
            dated("2026-03-01T00:00:00Z", 3),
            dated("2026-01-01T00:00:00Z", 1),
            dated("2026-02-01T00:00:00Z", 2),
        ])
        .unwrap();
        let penalty = |at: &str| v.at(ts(at)).map(|p| p.costs.split_penalty_cents);
        assert_eq!(penalty("2025-12-31T23:59:59Z"), None);
        assert_eq!(penalty("2026-01-01T00:00:00Z"), Some(1));
        assert_eq!(penalty("2026-01-31T23:59:59.999Z"), Some(1));
        assert_eq!(penalty("2026-02-01T00:00:00Z"), Some(2));
        assert_eq!(penalty("2026-02-28T12:00:00+05:30"), Some(2));
        assert_eq!(penalty("2027-01-01T00:00:00Z"), Some(3));
        assert_eq!(v.starts(), Some(ts("2026-01-01T00:00:00Z")));
        assert_eq!((0..3).map(|k| v.given(k)).collect::<Vec<_>>(), [1, 2, 0]);
    }

    #[test]
    fn a_version_without_effective_from_applies_from_the_beginning_of_time() {
        let v =
            PolicyVersions::new(vec![dated("2026-01-01T00:00:00Z", 1), Policy::default()]).unwrap();
        assert_eq!(v.index_at(ts("1970-01-01T00:00:00Z")), Some(0));
        assert_eq!(v.index_at(ts("2026-01-01T00:00:00Z")), Some(1));
        assert_eq!(v.starts(), None);
        assert_eq!(v.earliest(), &Policy::default());
    }

    #[test]
    fn an_order_before_every_version_takes_the_earliest() {
        let v = PolicyVersions::new(vec![
            dated("2026-02-01T00:00:00Z", 2),
            dated("2026-01-01T00:00:00Z", 1),
        ])
        .unwrap();
        let mut order = Order::new("O", crate::LatLng::new(0.0, 0.0).unwrap(), Vec::new());
        order.created_at = Some(ts("2025-06-01T00:00:00Z"));
        assert_eq!(
            v.for_order(&order, ts("2026-03-01T00:00:00Z"))
                .costs
                .split_penalty_cents,
            1
        );
        order.created_at = None;
        assert_eq!(
            v.for_order(&order, ts("2026-03-01T00:00:00Z"))
                .costs
                .split_penalty_cents,
            2
        );
    }

    #[test]
    fn conflicts_are_all_listed() {
        let mut capped = dated("2026-01-01T00:00:00Z", 1);
        capped.kinds[NodeKind::Store.index()].capacity_units = Some(10);
        capped.kinds[NodeKind::Dealer.index()].safety_stock = 1;
        let mut levels = dated("2026-02-01T00:00:00Z", 1);
        levels.levels.define("express");
        let conflicts = PolicyVersions::conflicts(&[
            Policy::default(),
            capped,
            levels,
            Policy::default(),
            dated("2026-01-01T00:00:00Z", 5),
        ]);
        assert_eq!(
            conflicts,
            [
                VersionError::Resource {
                    kind: NodeKind::Store,
                    key: "capacity_units",
                    first: 0,
                    other: 1
                },
                VersionError::Resource {
                    kind: NodeKind::Dealer,
                    key: "safety_stock",
                    first: 0,
                    other: 1
                },
                VersionError::Levels { first: 0, other: 2 },
                VersionError::SameStart {
                    first: 0,
                    other: 3,
                    at: None
                },
                VersionError::SameStart {
                    first: 1,
                    other: 4,
                    at: Some(ts("2026-01-01T00:00:00Z"))
                },
            ]
        );
        assert_eq!(PolicyVersions::conflicts(&[]), [VersionError::Empty]);
        assert_eq!(
            PolicyVersions::new(vec![Policy::default(), Policy::default()]).unwrap_err(),
            VersionError::SameStart {
                first: 0,
                other: 1,
                at: None
            }
        );
    }
}
