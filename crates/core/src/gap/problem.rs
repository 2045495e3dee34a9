//! The assignment model: every item picks exactly one of its options; an option has a cost and
//! consumes amounts of resources; resources have capacities.

use std::ops::Range;
use thiserror::Error;

/// A resource with an integer capacity: a GAP agent, a (node, SKU) stock position, a node's
/// capacity for the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(u32);

impl ResourceId {
    /// The resource's index, counting from 0 in the order they were added.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An item (a GAP job, an order) that must pick exactly one option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(u32);

impl ItemId {
    /// The item's index, counting from 0 in the order they were added.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One way to serve an item: its cost and what it consumes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignOption {
    /// Cost of choosing this option (any integer unit, for example cents).
    pub cost: i64,
    /// Amounts consumed, as (resource, amount); a resource listed twice counts the sum.
    pub uses: Vec<(ResourceId, u64)>,
}

impl AssignOption {
    /// An option with a cost and a list of (resource, amount) it consumes.
    pub fn new(cost: i64, uses: Vec<(ResourceId, u64)>) -> Self {
        Self { cost, uses }
    }

    /// An option that consumes nothing, for example "leave this order unfilled" at a penalty.
    pub fn unassigned(cost: i64) -> Self {
        Self {
            cost,
            uses: Vec::new(),
        }
    }
}

/// Why a problem could not be built.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    /// An item was given no option at all.
    #[error("an item needs at least one option")]
    NoOptions,
    /// An option refers to a resource that was not added to this problem.
    #[error("resource {resource} is not in this problem")]
    UnknownResource {
        /// The index given.
        resource: usize,
    },
    /// An amount or capacity above `i64::MAX`.
    #[error("amount {amount} is too large (at most {})", i64::MAX)]
    TooLarge {
        /// The amount given.
        amount: u64,
    },
    /// The cost, amount and capacity tables of a classic GAP do not agree in shape.
    #[error("gap tables disagree in shape: {what}")]
    Shape {
        /// Which table is off.
        what: &'static str,
    },
}

/// An assignment problem, built with [`AssignmentProblem::add_resource`] and
/// [`AssignmentProblem::add_item`] (or [`AssignmentProblem::classic_gap`]) and solved by
/// [`solve_assignment`](crate::solve_assignment).
///
/// Stored flat: the options of item `i` are the global indices `item_start[i]..item_start[i + 1]`,
/// and the uses of option `o` are `use_start[o]..use_start[o + 1]`.
#[derive(Clone, Debug, Default)]
pub struct AssignmentProblem {
    capacity: Vec<i64>,
    item_start: Vec<u32>,
    option_cost: Vec<i64>,
    use_start: Vec<u32>,
    use_resource: Vec<u32>,
    use_amount: Vec<i64>,
}

impl AssignmentProblem {
    /// An empty problem.
    pub fn new() -> Self {
        Self {
            item_start: vec![0],
            use_start: vec![0],
            ..Self::default()
        }
    }

    /// A classic GAP: `cost[agent][job]`, `amount[agent][job]` and `capacity[agent]`; every job
    /// must go to exactly one agent (no unassigned option). Item `j` is job `j` and its option `i`
    /// is agent `i`.
    pub fn classic_gap(
        cost: &[Vec<i64>],
        amount: &[Vec<u64>],
        capacity: &[u64],
    ) -> Result<Self, ModelError> {
        let agents = capacity.len();
        if cost.len() != agents || amount.len() != agents {
            return Err(ModelError::Shape {
                what: "rows per agent",
            });
        }
        let jobs = cost.first().map_or(0, Vec::len);
        if cost.iter().any(|r| r.len() != jobs) || amount.iter().any(|r| r.len() != jobs) {
            return Err(ModelError::Shape {
                what: "jobs per row",
            });
        }
        let mut p = Self::new();
        let ids: Vec<ResourceId> = capacity
            .iter()
            .map(|&c| p.add_resource(c))
            .collect::<Result<_, _>>()?;
        for j in 0..jobs {
            let options =
                (0..agents).map(|i| AssignOption::new(cost[i][j], vec![(ids[i], amount[i][j])]));
            p.add_item(options.collect())?;
        }
        Ok(p)
    }

    /// Adds a resource with a capacity.
    pub fn add_resource(&mut self, capacity: u64) -> Result<ResourceId, ModelError> {
        let c = i64::try_from(capacity).map_err(|_| ModelError::TooLarge { amount: capacity })?;
        self.capacity.push(c);
        Ok(ResourceId((self.capacity.len() - 1) as u32))
    }

    /// Adds an item with its options (at least one); option `k` of the item is `options[k]`.
    /// Repeated resources within an option are summed and zero amounts dropped.
    pub fn add_item(&mut self, options: Vec<AssignOption>) -> Result<ItemId, ModelError> {
        if options.is_empty() {
            return Err(ModelError::NoOptions);
        }
        let mut merged = Vec::with_capacity(options.len());
        for o in options {
            let mut uses: Vec<(u32, i64)> = Vec::with_capacity(o.uses.len());
            for (r, a) in o.uses {
                if r.index() >= self.capacity.len() {
                    return Err(ModelError::UnknownResource {
                        resource: r.index(),
                    });
                }
                let a = i64::try_from(a).map_err(|_| ModelError::TooLarge { amount: a })?;
                match uses.iter_mut().find(|u| u.0 == r.0) {
                    Some(u) => u.1 = u.1.saturating_add(a),
                    None => uses.push((r.0, a)),
                }
            }
            uses.retain(|u| u.1 > 0);
            merged.push((o.cost, uses));
        }
        for (cost, uses) in merged {
            self.option_cost.push(cost);
            for (r, a) in uses {
                self.use_resource.push(r);
                self.use_amount.push(a);
            }
            self.use_start.push(self.use_resource.len() as u32);
        }
        self.item_start.push(self.option_cost.len() as u32);
        Ok(ItemId((self.item_start.len() - 2) as u32))
    }

    /// Number of items.
    pub fn item_count(&self) -> usize {
        self.item_start.len() - 1
    }

    /// Number of resources.
    pub fn resource_count(&self) -> usize {
        self.capacity.len()
    }

    /// Capacity of a resource.
    pub fn capacity(&self, r: ResourceId) -> u64 {
        self.capacity[r.index()] as u64
    }

    /// Every resource's capacity, by index.
    pub fn resource_capacities(&self) -> impl Iterator<Item = u64> + '_ {
        self.capacity.iter().map(|&c| c as u64)
    }

    /// Number of options of an item.
    pub fn option_count(&self, item: usize) -> usize {
        self.options(item).len()
    }

    /// Cost of option `k` of an item.
    pub fn option_cost(&self, item: usize, k: usize) -> i64 {
        self.option_cost[self.global(item, k)]
    }

    /// What option `k` of an item consumes, as (resource, amount).
    pub fn option_uses(
        &self,
        item: usize,
        k: usize,
    ) -> impl Iterator<Item = (ResourceId, u64)> + '_ {
        self.uses(self.global(item, k))
            .map(|u| (ResourceId(self.use_resource[u]), self.use_amount[u] as u64))
    }

    // ----- crate-internal flat access -----

    /// Global option indices of an item.
    pub(crate) fn options(&self, item: usize) -> Range<usize> {
        self.item_start[item] as usize..self.item_start[item + 1] as usize
    }

    /// Global index of option `k` of an item.
    pub(crate) fn global(&self, item: usize, k: usize) -> usize {
        let r = self.options(item);
        assert!(k < r.len(), "item {item} has no option {k}");
        r.start + k
    }

    /// Total number of options over all items.
    pub(crate) fn total_options(&self) -> usize {
        self.option_cost.len()
    }

    /// Total number of uses over all options.
    pub(crate) fn total_uses(&self) -> usize {
        self.use_resource.len()
    }

    /// Cost of a global option.
    pub(crate) fn cost(&self, o: usize) -> i64 {
        self.option_cost[o]
    }

    /// Global use indices of a global option.
    pub(crate) fn uses(&self, o: usize) -> Range<usize> {
        self.use_start[o] as usize..self.use_start[o + 1] as usize
    }

    /// Resource index of a global use.
    pub(crate) fn use_resource(&self, u: usize) -> usize {
        self.use_resource[u] as usize
    }

    /// Amount of a global use.
    pub(crate) fn use_amount(&self, u: usize) -> i64 {
        self.use_amount[u]
    }

    /// Capacities by resource index.
    pub(crate) fn capacities(&self) -> &[i64] {
        &self.capacity
    }

    /// The resource an option consumes most of (`u32::MAX` for an option that consumes nothing).
    pub(crate) fn primary(&self, o: usize) -> u32 {
        self.uses(o)
            .max_by_key(|&u| (self.use_amount[u], std::cmp::Reverse(u)))
            .map_or(u32::MAX, |u| self.use_resource[u])
    }
}
