//! The `policy.toml` reader. The file's shape is documented in `docs/policy.md`; its problem
//! codes (`E2001`…`E2015`, `E2016`…`E2019` between policy versions, `versions.rs`, and
//! `E2020`…`E2023` for node filters and groups, `groups.rs`, `E2024`…`E2025` for the currency,
//! `money.rs`, `E2026` a group's unknown node, checked with the network, `E2040` dealer rules, `E2050`
//! `[incoming]`) in
//! `docs/errors.md`.
//!
//! Reading starts from [`Policy::default`] and overrides only what the file sets, so every key is
//! optional and an empty file is the default policy. The text is parsed into a tree that keeps
//! every value's span; the tree is then walked once, and every problem found (unknown key, wrong
//! type, value out of range…) is collected with its key path, line and column. Only a TOML syntax
//! error stops the walk before it starts.

mod groups;
mod kinds;
mod levels;
mod money;
mod report;
mod rules;
mod section;
mod top;
mod tree;
mod versions;

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod group_tests;
#[cfg(test)]
mod money_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod version_tests;

use crate::InputError;
pub(crate) use groups::unknown_group_nodes;
use omniroute_core::Policy;
use report::{Code, Ctx};
use section::Section;
pub use versions::{Policies, PolicyFile};

/// Keys allowed at the top of the file.
const TOP: &[&str] = &[
    "effective_from",
    "sla",
    "costs",
    "split",
    "kinds",
    "levels",
    "dealers",
    "returns",
    "incoming",
    "rules",
    "balance",
    "currency",
];

/// Reads a policy from the text of a `policy.toml`; `file` names it in problems.
///
/// Every problem is reported at once, each with its code, key path, line and column; nothing is
/// half-applied.
///
/// ```
/// # fn main() -> Result<(), omniroute_adapters::InputError> {
/// use omniroute_adapters::read_policy;
/// use omniroute_core::{NodeKind, Policy, Sla};
///
/// let policy = read_policy("sla = \"soft\"\n[kinds.dealer]\nfixed_cents = 350\n", "policy.toml")?;
/// assert_eq!(policy.sla, Sla::Soft);
/// assert_eq!(policy.kind(NodeKind::Dealer).fixed_cents, 350);
/// assert_eq!(read_policy("", "empty.toml")?, Policy::default());
///
/// let err = read_policy("[split]\nmax_shipments = 0\n", "policy.toml").unwrap_err();
/// assert_eq!(err.problems()[0].code, "E2010");
/// assert_eq!(err.problems()[0].line, 2);
/// # Ok(())
/// # }
/// ```
pub fn read_policy(text: &str, file: &str) -> Result<Policy, InputError> {
    let mut ctx = Ctx::new(text, file);
    let mut policy = Policy::default();
    let root = match tree::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let message = e.message().trim().to_owned();
            ctx.report(Code::Syntax, e.span(), format!("invalid TOML: {message}"));
            return ctx.finish(policy);
        }
    };
    let Some(top) = Section::open(&mut ctx, &root, String::new(), Some(TOP)) else {
        return ctx.finish(policy);
    };
    top::read(&mut ctx, &top, &mut policy);
    // Levels first: kinds' reach tables and rules may name the levels the file defines.
    if let Some((item, path)) = top.get("levels") {
        levels::read(&mut ctx, item, path, &mut policy);
    }
    if let Some((item, path)) = top.get("kinds") {
        kinds::read(&mut ctx, item, path, &mut policy);
    }
    if let Some((item, path)) = top.get("balance") {
        policy.balance = money::balance(&mut ctx, item, path);
    }
    policy.currency = money::currency(&mut ctx, &top);
    if let Some((item, path)) = top.get("rules") {
        rules::read(&mut ctx, item, &path, &mut policy);
    }
    ctx.finish(policy)
}
