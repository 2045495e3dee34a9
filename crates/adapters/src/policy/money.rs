//! The money keys: `currency` (ISO 4217, `E2024`; every version the same, `E2025`) and
//! `[balance]`, the inventory-balance term (`docs/policy.md`), off unless the table is given.

use super::report::{Code, Ctx};
use super::section::Section;
use super::tree::Item;
use super::versions::PolicyFile;
use crate::Problem;
use omniroute_core::{Balance, Currency};

/// The top-level `currency`.
pub(super) fn currency(ctx: &mut Ctx<'_>, top: &Section<'_>) -> Option<Currency> {
    let (code, item, path) = top.string(ctx, "currency")?;
    Currency::new(code)
        .map_err(|e| ctx.report(Code::BadCurrency, item.locate(), format!("`{path}`: {e}")))
        .ok()
}

/// `E2025` when the versions in `files` do not all name the currency of the first.
pub(super) fn currency_conflicts(files: &[PolicyFile]) -> Vec<Problem> {
    let Some(first) = files.first() else {
        return Vec::new();
    };
    let name = |c: Option<Currency>| c.map_or_else(|| "none".to_owned(), |c| c.to_string());
    files[1..]
        .iter()
        .filter(|f| f.policy.currency != first.policy.currency)
        .map(|f| Problem {
            code: Code::VersionCurrency.id(),
            file: f.name.clone(),
            line: 0,
            column: 0,
            message: format!(
                "this policy version names currency {} but {} names {}",
                name(f.policy.currency),
                first.name,
                name(first.policy.currency)
            ),
            hint: "give every policy version the same `currency`".into(),
        })
        .collect()
}

/// Keys of `[balance]`.
const BALANCE: &[&str] = &["below_units", "per_unit_cents"];

/// Reads `[balance]`; both keys are required.
pub(super) fn balance(ctx: &mut Ctx<'_>, item: &Item, path: String) -> Option<Balance> {
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
