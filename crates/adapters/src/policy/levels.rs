//! `[levels.<name>]`: the built-in levels' terms, and new levels (a new name defines a level).

use super::report::{Code, Ctx};
use super::section::{km, uint, wrong_type, Section};
use super::top::set;
use super::tree::{Item, Value};
use omniroute_core::{LevelTerms, Policy, TransitBand};

/// Keys of one level.
const LEVEL: &[&str] = &["transit", "deadline_days", "per_km_cents"];
/// Keys of one transit band.
const BAND: &[&str] = &["max_km", "days"];

/// Reads `[levels]`: overrides built-in levels and defines new ones, extending every kind's
/// `reach_km` with 0 (not offered) so that all per-level tables keep the same length.
pub(super) fn read(ctx: &mut Ctx<'_>, item: &Item, path: String, policy: &mut Policy) {
    let Some(levels) = Section::open(ctx, item, path, None) else {
        return;
    };
    for (key, item) in levels.entries {
        let path = super::section::join(&levels.path, &key.name);
        let Some(s) = Section::open(ctx, item, path, Some(LEVEL)) else {
            continue;
        };
        let index = if let Some(level) = policy.levels.get(&key.name) {
            usize::from(level.0)
        } else {
            if policy.levels.len() > usize::from(u8::MAX) {
                ctx.report(
                    Code::OutOfRange,
                    key.span.clone().or_else(|| item.locate()),
                    format!("`{}`: at most 255 service levels may exist", s.path),
                );
                continue;
            }
            if s.get("transit").is_none() {
                ctx.report(
                    Code::MissingKey,
                    key.span.clone().or_else(|| item.locate()),
                    format!("`{}.transit` is required for a new service level", s.path),
                );
            }
            policy.levels.define(&key.name);
            policy.level_terms.push(LevelTerms {
                transit: Vec::new(),
                deadline_days: None,
                per_km_cents: None,
            });
            for kind in &mut policy.kinds {
                kind.reach_km.resize(policy.levels.len(), 0.0);
            }
            policy.levels.len() - 1
        };
        let terms = &mut policy.level_terms[index];
        if let Some((item, path)) = s.get("transit") {
            set(&mut terms.transit, transit(ctx, item, &path));
        }
        if let Some((item, path)) = s.get("deadline_days") {
            match &item.value {
                Value::String(none) if none == "none" => terms.deadline_days = None,
                Value::Integer(_) => {
                    set(&mut terms.deadline_days, uint(ctx, item, &path).map(Some));
                }
                _ => wrong_type(ctx, item, &path, "an integer number of days or \"none\""),
            }
        }
        if let Some(per_km) = s.per_km(ctx, "per_km_cents") {
            terms.per_km_cents = Some(per_km);
        }
    }
}

/// A transit table: one or more bands, `max_km` strictly ascending.
fn transit(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<Vec<TransitBand>> {
    let Value::Array(items) = &item.value else {
        wrong_type(ctx, item, path, "an array of { max_km, days } bands");
        return None;
    };
    if items.is_empty() {
        ctx.report(
            Code::BadTransit,
            item.locate(),
            format!("`{path}` is empty: the level could deliver nowhere"),
        );
        return None;
    }
    let mut bands = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, band) in items.iter().enumerate() {
        let band_path = format!("{path}[{i}]");
        let Some(s) = Section::open(ctx, band, band_path, Some(BAND)) else {
            ok = false;
            continue;
        };
        let max_km = required(ctx, &s, band, "max_km").and_then(|(it, p)| km(ctx, it, &p));
        let days = required(ctx, &s, band, "days").and_then(|(it, p)| uint::<u8>(ctx, it, &p));
        let (Some(max_km), Some(days)) = (max_km, days) else {
            ok = false;
            continue;
        };
        if let Some(prev) = bands.last().map(|b: &TransitBand| b.max_km) {
            if max_km <= prev {
                ctx.report(
                    Code::BadTransit,
                    band.locate(),
                    format!(
                        "`{}.max_km` is {max_km}, not above the previous band's {prev}",
                        s.path
                    ),
                );
                ok = false;
            }
        }
        bands.push(TransitBand { max_km, days });
    }
    ok.then_some(bands)
}

/// The item under `key`, reporting it missing when absent.
fn required<'t>(
    ctx: &mut Ctx<'_>,
    s: &Section<'t>,
    at: &Item,
    key: &str,
) -> Option<(&'t Item, String)> {
    let found = s.get(key);
    if found.is_none() {
        ctx.report(
            Code::MissingKey,
            at.locate(),
            format!("`{}.{key}` is required", s.path),
        );
    }
    found
}
