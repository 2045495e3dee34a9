//! decisions.csv's `group` column read back: each order's cell names a group of the rule with
//! groups that applies to it, [`GROUP_DEFAULT`](super::GROUP_DEFAULT) for the rule's default,
//! or nothing when no such rule applies (`E1043` otherwise).

use crate::csv::Sheet;
use crate::problem::clip;
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use omniroute_core::{GroupChoice, NodeGroup, Order, OrderRules, PolicyVersions};

use super::row::{FileOrder, Row};
use super::GROUP_DEFAULT;

const HINT: &str = "pass the decisions.csv that `omniroute route` wrote under this policy";

/// Notes the `group` cell of `row`, a row of `order` (`E1043` when an earlier row of the order
/// named another group).
pub(super) fn note_group_cell(row: &mut Row<'_>, order: &Order, f: &mut FileOrder) {
    let col = row.cols.group;
    if col.is_none() {
        return;
    }
    let cell = row.get(col);
    match &f.group {
        None => f.group = Some((cell.to_owned(), row.line())),
        Some((first, at)) if first != cell => {
            let message = format!(
                "order `{}` names group `{}` here but `{}` on line {at}",
                order.id,
                clip(cell),
                clip(first)
            );
            row.fail_with(
                InputCode::BadGroupCell.id(),
                col,
                message,
                "an order is decided by one group: write the same `group` on each of its rows",
            );
        }
        Some(_) => {}
    }
}

/// `E1043` for every order whose `group` cell does not fit the rule with groups that applies to
/// it (at the order's first row, in column `column`).
pub(super) fn check_group_cells(
    orders: &[Order],
    out: &[FileOrder],
    policies: &PolicyVersions,
    now: Timestamp,
    column: u64,
    sheet: &mut Sheet<'_>,
) {
    for (order, f) in orders.iter().zip(out) {
        let Some((cell, line)) = &f.group else {
            continue;
        };
        let rules = OrderRules::of(order, policies.for_order(order, now));
        let wrong = match &rules.groups {
            None if cell.is_empty() => None,
            None => Some(format!(
                "order `{}` names group `{}`, but no policy rule with groups applies to it",
                order.id,
                clip(cell)
            )),
            Some((rule, _)) if cell.is_empty() => Some(format!(
                "order `{}` names no group, but rule `{rule}`'s groups apply to it",
                order.id
            )),
            Some((rule, groups)) => {
                (cell != GROUP_DEFAULT && !groups.iter().any(|g| g.name == *cell)).then(|| {
                    format!(
                        "order `{}` names group `{}`, which rule `{rule}` does not have",
                        order.id,
                        clip(cell)
                    )
                })
            }
        };
        if let Some(message) = wrong {
            sheet.error(InputCode::BadGroupCell.id(), *line, column, message, HINT);
        }
    }
}

/// The choice a `group` cell records under rule `rule`: the group it names (the default for
/// [`GROUP_DEFAULT`]), the groups before it failed for reasons the file does not record.
pub(super) fn named_choice(rule: &str, groups: &[NodeGroup], cell: &str) -> GroupChoice {
    GroupChoice::recorded(rule, groups, groups.iter().position(|g| g.name == cell))
}
