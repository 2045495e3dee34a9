//! The top-level scalars and the small sections: `effective_from`, `sla`, `[costs]`, `[split]`,
//! `[dealers]`, `[returns]`, `[incoming]`.

use super::report::{Code, Ctx};
use super::section::{wrong_type, Section};
use super::tree::{Item, Value};
use jiff::Timestamp;
use omniroute_core::{Policy, Sla};

/// Keys of `[costs]`.
const COSTS: &[&str] = &[
    "unfilled_per_unit_cents",
    "split_penalty_cents",
    "lateness_per_day_cents",
    "priority_step_cents",
];
/// Keys of `[split]`.
const SPLIT: &[&str] = &["allow_split", "max_shipments", "ship_complete"];
/// Keys of `[dealers]`.
const DEALERS: &[&str] = &[
    "max_rejections",
    "cool_down_hours",
    "acceptance_timeout_s",
    "territory_required",
    "cool_down_after",
    "outside_territory_cents",
    "reject_cost_cents",
    "delay_cost_per_hour_cents",
    "prior_accepts",
    "prior_rejects",
];

/// Keys of `[returns]`.
const RETURNS: &[&str] = &["inspect"];
/// Keys of `[incoming]`.
const INCOMING: &[&str] = &["promise", "horizon_days"];

/// Reads `effective_from`, `sla`, `[costs]`, `[split]`, `[dealers]`, `[returns]` and `[incoming]` into
/// `policy`.
pub(super) fn read(ctx: &mut Ctx<'_>, top: &Section<'_>, policy: &mut Policy) {
    if let Some((item, path)) = top.get("effective_from") {
        policy.effective_from = timestamp(ctx, item, &path);
    }
    if let Some(sla) = sla(ctx, top, "sla") {
        policy.sla = sla;
    }
    if let Some(s) = sub(ctx, top, "costs", COSTS) {
        let c = &mut policy.costs;
        set(&mut c.unfilled_per_unit_cents, s.cents(ctx, COSTS[0]));
        set(&mut c.split_penalty_cents, s.cents(ctx, COSTS[1]));
        set(&mut c.lateness_per_day_cents, s.cents(ctx, COSTS[2]));
        set(&mut c.priority_step_cents, s.cents(ctx, COSTS[3]));
    }
    if let Some(s) = sub(ctx, top, "split", SPLIT) {
        set(&mut policy.split.allow_split, s.boolean(ctx, SPLIT[0]));
        set(&mut policy.split.max_shipments, max_shipments(ctx, &s));
        set(&mut policy.split.ship_complete, s.boolean(ctx, SPLIT[2]));
    }
    if let Some(s) = sub(ctx, top, "dealers", DEALERS) {
        let d = &mut policy.dealers;
        set(&mut d.max_rejections, s.uint(ctx, DEALERS[0]));
        set(&mut d.cool_down_hours, s.uint(ctx, DEALERS[1]));
        set(&mut d.acceptance_timeout_s, s.uint(ctx, DEALERS[2]));
        set(&mut d.territory_required, s.boolean(ctx, DEALERS[3]));
        set(&mut d.cool_down_after, s.uint(ctx, DEALERS[4]));
        set(&mut d.outside_territory_cents, s.cents(ctx, DEALERS[5]));
        set(&mut d.reject_cost_cents, s.cents(ctx, DEALERS[6]));
        set(&mut d.delay_cost_per_hour_cents, s.cents(ctx, DEALERS[7]));
        set(&mut d.prior.accepts, s.uint(ctx, DEALERS[8]));
        set(&mut d.prior.rejects, s.uint(ctx, DEALERS[9]));
        if d.territory_required && d.outside_territory_cents > 0 {
            if let Some((item, path)) = s.get(DEALERS[5]) {
                ctx.report(
                    Code::DealerConflict,
                    item.locate(),
                    format!(
                        "`{path}` prices the outside of a territory, but `territory_required` \
                         keeps dealers inside theirs"
                    ),
                );
            }
        }
    }
    if let Some(s) = sub(ctx, top, "returns", RETURNS) {
        set(&mut policy.returns.inspect, s.boolean(ctx, RETURNS[0]));
    }
    if let Some(s) = sub(ctx, top, "incoming", INCOMING) {
        set(&mut policy.incoming.promise, s.boolean(ctx, INCOMING[0]));
        set(&mut policy.incoming.horizon_days, horizon_days(ctx, &s));
    }
}

/// `[incoming] horizon_days`: 1 to 366 (`E2050`).
fn horizon_days(ctx: &mut Ctx<'_>, s: &Section<'_>) -> Option<u16> {
    let (item, path) = s.get(INCOMING[1])?;
    let Value::Integer(v) = item.value else {
        wrong_type(ctx, item, &path, "an integer");
        return None;
    };
    if !(1..=366).contains(&v) {
        ctx.report(
            Code::IncomingHorizon,
            item.locate(),
            format!("`{path}` must be from 1 to 366, found {v}"),
        );
        return None;
    }
    u16::try_from(v).ok()
}

/// Overwrites `slot` when the file set a valid value.
pub(super) fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// Opens the sub-table `key` of `parent`, if present.
pub(super) fn sub<'t>(
    ctx: &mut Ctx<'_>,
    parent: &Section<'t>,
    key: &str,
    allowed: &[&str],
) -> Option<Section<'t>> {
    let (item, path) = parent.get(key)?;
    Section::open(ctx, item, path, Some(allowed))
}

/// `max_shipments`: 1 to 255.
pub(super) fn max_shipments(ctx: &mut Ctx<'_>, s: &Section<'_>) -> Option<u8> {
    let (item, path) = s.get("max_shipments")?;
    if item.value == Value::Integer(0) {
        ctx.report(
            Code::ZeroShipments,
            item.locate(),
            format!("`{path}` is 0: no order could ship"),
        );
        return None;
    }
    s.uint(ctx, "max_shipments")
}

/// `"hard"` or `"soft"` under `key`.
pub(super) fn sla(ctx: &mut Ctx<'_>, s: &Section<'_>, key: &str) -> Option<Sla> {
    let (text, item, path) = s.string(ctx, key)?;
    match text {
        "hard" => Some(Sla::Hard),
        "soft" => Some(Sla::Soft),
        other => {
            ctx.report(
                Code::UnknownSla,
                item.locate(),
                format!("`{path}` must be \"hard\" or \"soft\", found {other:?}"),
            );
            None
        }
    }
}

/// An RFC 3339 instant with an offset, as a string or a TOML offset datetime.
fn timestamp(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<Timestamp> {
    let (Value::String(text) | Value::Datetime(text)) = &item.value else {
        wrong_type(ctx, item, path, "an RFC 3339 timestamp");
        return None;
    };
    match text.parse::<Timestamp>() {
        Ok(ts) => Some(ts),
        Err(e) => {
            ctx.report(
                Code::BadTimestamp,
                item.locate(),
                format!("`{path}` is not an RFC 3339 instant with an offset: {text:?} ({e})"),
            );
            None
        }
    }
}
