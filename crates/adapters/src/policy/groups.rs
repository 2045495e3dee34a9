//! A rule's node filters (`set.allowed_tags`, `set.excluded_tags`) and node groups
//! (`[[rules.groups]]`), with their problems `E2020`…`E2023`.

use super::report::{Code, Ctx};
use super::rules::{kinds, strings};
use super::section::{km, number, wrong_type, Section};
use super::tree::{Item, Value};
use super::versions::PolicyFile;
use crate::Problem;
use omniroute_core::{GroupCondition, GroupSelect, Network, NodeGroup, Overrides};

/// Keys of one group.
const GROUP: &[&str] = &[
    "name",
    "kinds",
    "tags_any",
    "region",
    "nodes",
    "ship_complete",
    "within_km",
    "by_promise",
];

/// `allowed_tags` and `excluded_tags` of a rule's `set`.
pub(super) fn tag_filters(ctx: &mut Ctx<'_>, s: &Section<'_>, set: &mut Overrides) {
    if let Some((item, path)) = s.get("allowed_tags") {
        set.allowed_tags = Some(tags(ctx, item, &path));
    }
    if let Some((item, path)) = s.get("excluded_tags") {
        set.excluded_tags = tags(ctx, item, &path);
        if let Some(both) = set
            .excluded_tags
            .iter()
            .find(|t| set.allowed_tags.as_ref().is_some_and(|a| a.contains(t)))
        {
            ctx.report(
                Code::BadTagFilter,
                item.locate(),
                format!("`{path}`: tag {both:?} is both allowed and excluded"),
            );
        }
    }
}

/// A non-empty list of non-empty tags.
fn tags(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Vec<String> {
    let list = strings(ctx, item, path);
    if matches!(&item.value, Value::Array(a) if a.is_empty()) {
        ctx.report(
            Code::BadTagFilter,
            item.locate(),
            format!("`{path}` is empty"),
        );
    }
    for (tag, at, p) in &list {
        if tag.trim().is_empty() {
            ctx.report(Code::BadTagFilter, at.locate(), format!("`{p}` is empty"));
        }
    }
    list.into_iter()
        .map(|(t, _, _)| t.trim().to_owned())
        .collect()
}

/// `[[rules.groups]]`: the rule's node groups, in order.
pub(super) fn read(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Vec<NodeGroup> {
    let Value::Array(items) = &item.value else {
        wrong_type(ctx, item, path, "an array of tables ([[rules.groups]])");
        return Vec::new();
    };
    let mut out: Vec<NodeGroup> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(s) = Section::open(ctx, item, format!("{path}[{i}]"), Some(GROUP)) else {
            continue;
        };
        let group = group(ctx, &s);
        let named = |g: &NodeGroup| g.name == group.name;
        if group.name.trim().is_empty() {
            let at = s.get("name").map_or(item, |(it, _)| it);
            ctx.report(
                Code::BadGroup,
                at.locate(),
                format!("`{}.name` is required and may not be empty", s.path),
            );
        } else if group.name == crate::GROUP_DEFAULT {
            let at = s.get("name").map_or(item, |(it, _)| it);
            ctx.report(
                Code::BadGroup,
                at.locate(),
                format!(
                    "`{}.name`: {:?} is reserved (decisions.csv writes it for the rule's default)",
                    s.path,
                    crate::GROUP_DEFAULT
                ),
            );
        } else if out.iter().any(named) {
            let at = s.get("name").map_or(item, |(it, _)| it);
            ctx.report(
                Code::BadGroup,
                at.locate(),
                format!("`{}.name`: group {:?} is named twice", s.path, group.name),
            );
        }
        out.push(group);
    }
    out
}

fn group(ctx: &mut Ctx<'_>, s: &Section<'_>) -> NodeGroup {
    let mut g = NodeGroup::default();
    if let Some((name, _, _)) = s.string(ctx, "name") {
        name.trim().clone_into(&mut g.name);
    }
    g.select = GroupSelect {
        kinds: s
            .get("kinds")
            .map_or_else(Vec::new, |(item, path)| kinds(ctx, item, &path)),
        tags_any: s
            .get("tags_any")
            .map_or_else(Vec::new, |(item, path)| tags(ctx, item, &path)),
        region: s
            .get("region")
            .and_then(|(item, path)| polygon(ctx, item, &path)),
        node_ids: s.get("nodes").map_or_else(Vec::new, |(item, path)| {
            strings(ctx, item, &path)
                .into_iter()
                .map(|(id, _, _)| id.trim().to_owned())
                .collect()
        }),
    };
    g.require = GroupCondition {
        ship_complete: s.boolean(ctx, "ship_complete").unwrap_or(false),
        within_km: s.get("within_km").and_then(|(item, path)| {
            let v = km(ctx, item, &path)?;
            if v > 0.0 && v.is_finite() {
                return Some(v);
            }
            ctx.report(
                Code::BadGroupCondition,
                item.locate(),
                format!("`{path}` must be a finite number of km above 0, found {v}"),
            );
            None
        }),
        by_promise: s.boolean(ctx, "by_promise").unwrap_or(false),
    };
    g
}

/// `[[lat, lon], …]`: at least 3 points in degrees; the ring closes itself.
fn polygon(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<geo::Polygon<f64>> {
    let bad = |ctx: &mut Ctx<'_>, at: &Item, why: String| {
        ctx.report(Code::BadPolygon, at.locate(), format!("`{path}` {why}"));
    };
    let Value::Array(points) = &item.value else {
        wrong_type(ctx, item, path, "an array of [lat, lon] points");
        return None;
    };
    if points.len() < 3 {
        bad(
            ctx,
            item,
            format!("has {} point(s), at least 3 are needed", points.len()),
        );
        return None;
    }
    let mut ring = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let Value::Array(pair) = &p.value else {
            bad(ctx, p, format!("point {i} is not a [lat, lon] pair"));
            continue;
        };
        if pair.len() != 2 {
            bad(
                ctx,
                p,
                format!("point {i} has {} numbers, not 2", pair.len()),
            );
            continue;
        }
        let here = format!("{path}[{i}]");
        let (Some(lat), Some(lon)) = (
            number(ctx, &pair[0], &format!("{here}[0]")),
            number(ctx, &pair[1], &format!("{here}[1]")),
        ) else {
            continue;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            bad(
                ctx,
                p,
                format!("point {i} ({lat}, {lon}) is outside [-90, 90] × [-180, 180]"),
            );
            continue;
        }
        ring.push(geo::coord! { x: lon, y: lat });
    }
    (ring.len() == points.len()).then(|| geo::Polygon::new(geo::LineString::new(ring), Vec::new()))
}

/// `E2026` for every node id a group names (`nodes`) that the network does not have; read once
/// the network is known.
pub(crate) fn unknown_group_nodes(files: &[PolicyFile], network: &Network) -> Vec<Problem> {
    let mut out = Vec::new();
    for f in files {
        for (r, rule) in f.policy.rules.iter().enumerate() {
            for (g, group) in rule.groups.iter().enumerate() {
                for id in group
                    .select
                    .node_ids
                    .iter()
                    .filter(|id| network.find(id).is_none())
                {
                    let mut ctx = Ctx::new(&f.text, &f.name);
                    ctx.report(
                        Code::UnknownGroupNode,
                        None,
                        format!(
                            "`rules[{r}].groups[{g}].nodes` names node {id:?} (group {:?}), which is not in nodes.csv",
                            group.name
                        ),
                    );
                    out.extend(ctx.into_problems());
                }
            }
        }
    }
    out
}
