//! `[[rules]]`: ordered rules, each a condition (`when`) and the defaults it overrides (`set`).

use super::report::{Code, Ctx};
use super::section::{number, wrong_type, Section};
use super::top::{max_shipments, sla, sub};
use super::tree::{Item, Value};
use omniroute_core::{Condition, NodeKind, Overrides, Policy, Region, Rule};

/// Keys of one rule.
const RULE: &[&str] = &["name", "when", "set", "groups"];
/// Keys of a rule's condition.
const WHEN: &[&str] = &["service_level", "channel", "region", "tags_any"];
/// Keys of a rule's overrides.
const SET: &[&str] = &[
    "allowed_kinds",
    "allow_split",
    "max_shipments",
    "ship_complete",
    "sla",
    "unfilled_per_unit_cents",
    "split_penalty_cents",
    "allowed_tags",
    "excluded_tags",
];

/// Reads `[[rules]]` into `policy.rules`, in file order. Levels must already be read.
pub(super) fn read(ctx: &mut Ctx<'_>, item: &Item, path: &str, policy: &mut Policy) {
    let Value::Array(items) = &item.value else {
        wrong_type(ctx, item, path, "an array of tables ([[rules]])");
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some(s) = Section::open(ctx, item, format!("{path}[{i}]"), Some(RULE)) else {
            continue;
        };
        let mut rule = Rule::default();
        match s.string(ctx, "name") {
            Some((name, _, _)) => name.clone_into(&mut rule.name),
            None if s.get("name").is_none() => ctx.report(
                Code::MissingKey,
                item.locate(),
                format!(
                    "`{}.name` is required (it names the rule in explanations)",
                    s.path
                ),
            ),
            None => {}
        }
        if let Some(when) = sub(ctx, &s, "when", WHEN) {
            rule.when = condition(ctx, &when, policy);
        }
        if let Some(set) = sub(ctx, &s, "set", SET) {
            rule.set = overrides(ctx, &set);
            super::groups::tag_filters(ctx, &set, &mut rule.set);
        }
        if let Some((item, path)) = s.get("groups") {
            rule.groups = super::groups::read(ctx, item, &path);
        }
        policy.rules.push(rule);
    }
}

fn condition(ctx: &mut Ctx<'_>, s: &Section<'_>, policy: &Policy) -> Condition {
    let mut when = Condition::default();
    if let Some((name, item, path)) = s.string(ctx, "service_level") {
        when.service_level = policy.levels.get(name);
        if when.service_level.is_none() {
            ctx.report(
                Code::UnknownLevel,
                item.locate(),
                format!("`{path}`: unknown service level {name:?}"),
            );
        }
    }
    when.channel = s.string(ctx, "channel").map(|(c, _, _)| c.to_owned());
    if let Some((item, path)) = s.get("region") {
        when.region = region(ctx, item, &path);
    }
    if let Some((item, path)) = s.get("tags_any") {
        when.tags_any = strings(ctx, item, &path)
            .into_iter()
            .map(|(tag, _, _)| tag.to_owned())
            .collect();
    }
    when
}

fn overrides(ctx: &mut Ctx<'_>, s: &Section<'_>) -> Overrides {
    let mut set = Overrides::default();
    if let Some((item, path)) = s.get("allowed_kinds") {
        let kinds = kinds(ctx, item, &path);
        if matches!(&item.value, Value::Array(a) if a.is_empty()) {
            ctx.report(
                Code::OutOfRange,
                item.locate(),
                format!("`{path}` is empty: no node could serve the order"),
            );
        }
        set.allowed_kinds = Some(kinds);
    }
    set.allow_split = s.boolean(ctx, "allow_split");
    set.max_shipments = max_shipments(ctx, s);
    set.ship_complete = s.boolean(ctx, "ship_complete");
    set.sla = sla(ctx, s, "sla");
    set.unfilled_per_unit_cents = s.cents(ctx, "unfilled_per_unit_cents");
    set.split_penalty_cents = s.cents(ctx, "split_penalty_cents");
    set
}

/// An array of node kinds; reports each that is not one (`E2006`).
pub(super) fn kinds(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Vec<NodeKind> {
    let mut out = Vec::new();
    for (name, at, p) in strings(ctx, item, path) {
        match name.parse::<NodeKind>() {
            Ok(kind) => out.push(kind),
            Err(_) => ctx.report(
                Code::UnknownKind,
                at.locate(),
                format!("`{p}`: unknown node kind {name:?}"),
            ),
        }
    }
    out
}

/// An array of strings; reports each element that is not one.
pub(super) fn strings<'t>(
    ctx: &mut Ctx<'_>,
    item: &'t Item,
    path: &str,
) -> Vec<(&'t str, &'t Item, String)> {
    let Value::Array(items) = &item.value else {
        wrong_type(ctx, item, path, "an array of strings");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        match &it.value {
            Value::String(s) => out.push((s.as_str(), it, p)),
            _ => wrong_type(ctx, it, &p, "a string"),
        }
    }
    out
}

/// `[min_lat, min_lon, max_lat, max_lon]` in degrees.
fn region(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<Region> {
    let bad = |ctx: &mut Ctx<'_>, why: String| {
        ctx.report(Code::BadRegion, item.locate(), format!("`{path}` {why}"));
    };
    let Value::Array(items) = &item.value else {
        wrong_type(ctx, item, path, "[min_lat, min_lon, max_lat, max_lon]");
        return None;
    };
    if items.len() != 4 {
        bad(ctx, format!("must have 4 numbers, found {}", items.len()));
        return None;
    }
    let mut v = [0.0; 4];
    for (i, it) in items.iter().enumerate() {
        v[i] = number(ctx, it, &format!("{path}[{i}]"))?;
    }
    let [min_lat, min_lon, max_lat, max_lon] = v;
    let lat_ok = |x: f64| (-90.0..=90.0).contains(&x);
    let lon_ok = |x: f64| (-180.0..=180.0).contains(&x);
    if !(lat_ok(min_lat) && lat_ok(max_lat)) {
        bad(
            ctx,
            format!("has a latitude outside [-90, 90]: {min_lat}, {max_lat}"),
        );
    } else if !(lon_ok(min_lon) && lon_ok(max_lon)) {
        bad(
            ctx,
            format!("has a longitude outside [-180, 180]: {min_lon}, {max_lon}"),
        );
    } else if min_lat > max_lat || min_lon > max_lon {
        bad(
            ctx,
            "has min above max (boxes may not cross the antimeridian)".to_owned(),
        );
    } else {
        return Some(Region {
            min_lat_deg: min_lat,
            min_lon_deg: min_lon,
            max_lat_deg: max_lat,
            max_lon_deg: max_lon,
        });
    }
    None
}
