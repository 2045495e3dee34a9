//! `[balance]`: the inventory-balance term (`docs/policy.md`), off unless the table is given.

use super::report::{Code, Ctx};
use super::section::Section;
use super::tree::Item;
use omniroute_core::Balance;

/// Keys of `[balance]`.
const BALANCE: &[&str] = &["below_units", "per_unit_cents"];

/// Reads `[balance]`; both keys are required.
pub(super) fn read(ctx: &mut Ctx<'_>, item: &Item, path: String) -> Option<Balance> {
    let s = Section::open(ctx, item, path, Some(BALANCE))?;
    let missing = |ctx: &mut Ctx<'_>, key: &str| {
        ctx.report(
            Code::MissingKey,
            item.locate(),
            format!(
                "`{}.{key}` is required when `[{}]` is given",
                s.path, s.path
            ),
        );
    };
    let below_units = match s.get("below_units") {
        None => {
            missing(ctx, "below_units");
            None
        }
        Some((at, path)) => s.uint::<u32>(ctx, "below_units").filter(|&v| {
            if v == 0 {
                ctx.report(
                    Code::OutOfRange,
                    at.locate(),
                    format!("`{path}` is 0: no stock would be held back (leave `[balance]` out for no term)"),
                );
            }
            v > 0
        }),
    };
    let per_unit_cents = if s.get("per_unit_cents").is_none() {
        missing(ctx, "per_unit_cents");
        None
    } else {
        s.cents(ctx, "per_unit_cents")
    };
    Some(Balance {
        below_units: below_units?,
        per_unit_cents: per_unit_cents?,
    })
}
