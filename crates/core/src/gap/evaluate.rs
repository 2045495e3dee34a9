//! The independent checker: is a choice vector feasible, and what does it cost? It shares nothing
//! with the solver beyond the model's public accessors.

use super::{AssignmentProblem, ResourceId};
use thiserror::Error;

/// Why a choice vector is not a feasible assignment.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Infeasibility {
    /// The vector does not have one entry per item.
    #[error("expected one choice per item ({expected}), got {got}")]
    WrongLength {
        /// Items in the problem.
        expected: usize,
        /// Entries given.
        got: usize,
    },
    /// An item's choice is not one of its options.
    #[error("item {item} has {options} options, option {option} was chosen")]
    NoSuchOption {
        /// The item.
        item: usize,
        /// The option chosen.
        option: usize,
        /// How many options the item has.
        options: usize,
    },
    /// A resource is used beyond its capacity (the first such resource by index).
    #[error("resource {} is loaded {load} over a capacity of {capacity}", resource.index())]
    OverCapacity {
        /// The resource.
        resource: ResourceId,
        /// Total amount used.
        load: u128,
        /// Its capacity.
        capacity: u64,
    },
}

/// Checks that `choice` (an option index per item) is feasible and returns its total cost.
pub fn evaluate_assignment(
    problem: &AssignmentProblem,
    choice: &[usize],
) -> Result<i64, Infeasibility> {
    let n = problem.item_count();
    if choice.len() != n {
        return Err(Infeasibility::WrongLength {
            expected: n,
            got: choice.len(),
        });
    }
    let mut load = vec![0u128; problem.resource_count()];
    let mut cost: i64 = 0;
    let mut ids: Vec<ResourceId> = Vec::new();
    for (item, &k) in choice.iter().enumerate() {
        let options = problem.option_count(item);
        if k >= options {
            return Err(Infeasibility::NoSuchOption {
                item,
                option: k,
                options,
            });
        }
        cost += problem.option_cost(item, k);
        for (r, a) in problem.option_uses(item, k) {
            load[r.index()] += u128::from(a);
            ids.push(r);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    for r in ids {
        let capacity = problem.capacity(r);
        if load[r.index()] > u128::from(capacity) {
            return Err(Infeasibility::OverCapacity {
                resource: r,
                load: load[r.index()],
                capacity,
            });
        }
    }
    Ok(cost)
}
