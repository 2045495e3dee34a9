//! `[kinds.<kind>]`: per-kind defaults (costs, handling, cut-off, capacity, reach per level).

use super::report::{Code, Ctx};
use super::section::{join, km, uint, wrong_type, Section};
use super::top::set;
use super::tree::{Item, Value};
use jiff::civil::Time;
use omniroute_core::{KindDefaults, NodeKind, Policy};

/// Keys of one kind.
const KIND: &[&str] = &[
    "fixed_cents",
    "per_km_cents",
    "per_unit_cents",
    "handling_days",
    "cutoff_local",
    "safety_stock",
    "capacity_units",
    "capacity_shipments",
    "reach_km",
];

/// Reads `[kinds]` into `policy.kinds`. Levels must already be read (reach may name new ones).
pub(super) fn read(ctx: &mut Ctx<'_>, item: &Item, path: String, policy: &mut Policy) {
    let Some(kinds) = Section::open(ctx, item, path, None) else {
        return;
    };
    for (key, item) in kinds.entries {
        let path = join(&kinds.path, &key.name);
        let Ok(kind) = key.name.parse::<NodeKind>() else {
            ctx.report(
                Code::UnknownKind,
                key.span.clone().or_else(|| item.locate()),
                format!("`{path}`: unknown node kind {:?}", key.name),
            );
            continue;
        };
        if let Some(s) = Section::open(ctx, item, path, Some(KIND)) {
            read_kind(ctx, &s, policy, kind);
        }
    }
}

fn read_kind(ctx: &mut Ctx<'_>, s: &Section<'_>, policy: &mut Policy, kind: NodeKind) {
    let k: &mut KindDefaults = &mut policy.kinds[kind.index()];
    set(&mut k.fixed_cents, s.cents(ctx, "fixed_cents"));
    set(&mut k.per_km_cents, s.per_km(ctx, "per_km_cents"));
    set(&mut k.per_unit_cents, s.cents(ctx, "per_unit_cents"));
    set(&mut k.handling_days, s.uint(ctx, "handling_days"));
    if let Some((text, item, path)) = s.string(ctx, "cutoff_local") {
        set(&mut k.cutoff_local, cutoff(ctx, text, item, &path));
    }
    set(&mut k.safety_stock, s.uint(ctx, "safety_stock"));
    capacity(ctx, s, "capacity_units", &mut k.capacity_units);
    capacity(ctx, s, "capacity_shipments", &mut k.capacity_shipments);
    let Some((item, path)) = s.get("reach_km") else {
        return;
    };
    let Some(reach) = Section::open(ctx, item, path, None) else {
        return;
    };
    for (key, item) in reach.entries {
        let path = join(&reach.path, &key.name);
        let Some(level) = policy.levels.get(&key.name) else {
            ctx.report(
                Code::UnknownLevel,
                key.span.clone().or_else(|| item.locate()),
                format!("`{path}`: unknown service level {:?}", key.name),
            );
            continue;
        };
        if let Some(v) = km(ctx, item, &path) {
            policy.kinds[kind.index()].reach_km[usize::from(level.0)] = v;
        }
    }
}

/// A daily capacity into `slot`: an integer, or `"unlimited"` (`None`).
fn capacity(ctx: &mut Ctx<'_>, s: &Section<'_>, key: &str, slot: &mut Option<u32>) {
    let Some((item, path)) = s.get(key) else {
        return;
    };
    match &item.value {
        Value::String(u) if u == "unlimited" => *slot = None,
        Value::Integer(_) => {
            if let Some(v) = uint(ctx, item, &path) {
                *slot = Some(v);
            }
        }
        _ => wrong_type(ctx, item, &path, "an integer or \"unlimited\""),
    }
}

/// A local time written `HH:MM` (24-hour clock).
fn cutoff(ctx: &mut Ctx<'_>, text: &str, item: &Item, path: &str) -> Option<Time> {
    let parsed = (|| {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
    })();
    if parsed.is_none() {
        ctx.report(
            Code::BadTime,
            item.locate(),
            format!("`{path}` must be a local time \"HH:MM\", found {text:?}"),
        );
    }
    parsed
}
