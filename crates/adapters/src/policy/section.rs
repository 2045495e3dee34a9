//! Typed reads from the spanned tree: each reader checks type and range, reports what is wrong
//! with the key path, and returns `None` so the caller keeps the default and carries on.

use super::report::{did_you_mean, Code, Ctx};
use super::tree::{Item, Key, Value};
use omniroute_core::{MAX_MONEY_CENTS, MAX_PER_KM_CENTS};

/// A table of the policy with its key path (`kinds.dealer`), its keys checked against a list.
pub(super) struct Section<'t> {
    pub path: String,
    pub entries: &'t [(Key, Item)],
}

/// `parent.key`, or `key` at the top.
pub(super) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Reports a wrong type at `item`.
pub(super) fn wrong_type(ctx: &mut Ctx<'_>, item: &Item, path: &str, expected: &str) {
    ctx.report(
        Code::WrongType,
        item.locate(),
        format!(
            "`{path}` must be {expected}, found {}",
            item.value.type_name()
        ),
    );
}

impl<'t> Section<'t> {
    /// Opens `item` as a table; reports a wrong type, and every key not in `allowed` (when
    /// `allowed` is `Some`).
    pub fn open(
        ctx: &mut Ctx<'_>,
        item: &'t Item,
        path: String,
        allowed: Option<&[&str]>,
    ) -> Option<Self> {
        let Value::Table(entries) = &item.value else {
            wrong_type(ctx, item, &path, "a table");
            return None;
        };
        if let Some(allowed) = allowed {
            for (key, value) in entries {
                if !allowed.contains(&key.name.as_str()) {
                    unknown_key(ctx, key, value, &path, allowed);
                }
            }
        }
        Some(Self { path, entries })
    }

    /// The item under `key` and its path.
    pub fn get(&self, key: &str) -> Option<(&'t Item, String)> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, item)| (item, join(&self.path, key)))
    }

    /// A cost in cents: an integer from 0 to [`MAX_MONEY_CENTS`].
    pub fn cents(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<i64> {
        let (item, path) = self.get(key)?;
        cents(ctx, item, &path)
    }

    /// A per-km cost in cents: a finite number from 0 to [`MAX_PER_KM_CENTS`].
    pub fn per_km(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<f64> {
        let (item, path) = self.get(key)?;
        let v = number(ctx, item, &path)?;
        if !v.is_finite() {
            ctx.report(
                Code::NotFinite,
                item.locate(),
                format!("`{path}` must be a finite number of cents per km, found {v}"),
            );
            return None;
        }
        if v < 0.0 {
            negative_cost(ctx, item, &path, v);
            return None;
        }
        if v > MAX_PER_KM_CENTS {
            above_limit(ctx, item, &path, v, MAX_PER_KM_CENTS);
            return None;
        }
        Some(v)
    }

    /// An integer that fits `T` (`u8`, `u32`…).
    pub fn uint<T: TryFrom<i64> + Copy + Bounded>(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
    ) -> Option<T> {
        let (item, path) = self.get(key)?;
        uint(ctx, item, &path)
    }

    /// A boolean.
    pub fn boolean(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<bool> {
        let (item, path) = self.get(key)?;
        if let Value::Boolean(b) = item.value {
            Some(b)
        } else {
            wrong_type(ctx, item, &path, "true or false");
            None
        }
    }

    /// A string.
    pub fn string(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<(&'t str, &'t Item, String)> {
        let (item, path) = self.get(key)?;
        if let Value::String(s) = &item.value {
            Some((s.as_str(), item, path))
        } else {
            wrong_type(ctx, item, &path, "a string");
            None
        }
    }
}

/// Reports an unknown key with the allowed ones and, if one is close, a suggestion.
fn unknown_key(ctx: &mut Ctx<'_>, key: &Key, value: &Item, path: &str, allowed: &[&str]) {
    let full = join(path, &key.name);
    let mut hint = match did_you_mean(&key.name, allowed) {
        Some(close) => format!("did you mean `{close}`? "),
        None => String::new(),
    };
    hint.push_str("allowed keys here: ");
    hint.push_str(&allowed.join(", "));
    ctx.report_hint(
        Code::UnknownKey,
        key.span.clone().or_else(|| value.locate()),
        format!("unknown key `{full}`"),
        hint,
    );
}

fn negative_cost(ctx: &mut Ctx<'_>, item: &Item, path: &str, v: impl std::fmt::Display) {
    ctx.report(
        Code::NegativeCost,
        item.locate(),
        format!("`{path}` is a cost and cannot be negative, found {v}"),
    );
}

/// `E2014`: a cost above omniroute's input limit.
fn above_limit(
    ctx: &mut Ctx<'_>,
    item: &Item,
    path: &str,
    v: impl std::fmt::Display,
    limit: impl std::fmt::Display,
) {
    ctx.report(
        Code::OutOfRange,
        item.locate(),
        format!("`{path}` is {v}, above the limit of {limit} cents"),
    );
}

/// A cost in cents at `item`.
pub(super) fn cents(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<i64> {
    match item.value {
        Value::Integer(v) if v < 0 => {
            negative_cost(ctx, item, path, v);
            None
        }
        Value::Integer(v) if v > MAX_MONEY_CENTS => {
            above_limit(ctx, item, path, v, MAX_MONEY_CENTS);
            None
        }
        Value::Integer(v) => Some(v),
        _ => {
            wrong_type(ctx, item, path, "an integer number of cents");
            None
        }
    }
}

/// Any number at `item` (integers widen to floats).
pub(super) fn number(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<f64> {
    match item.value {
        Value::Integer(v) => Some(v as f64),
        Value::Float(v) => Some(v),
        _ => {
            wrong_type(ctx, item, path, "a number");
            None
        }
    }
}

/// The range of an unsigned integer type, for messages.
pub(super) trait Bounded {
    /// The largest value.
    const MAX: i64;
}

impl Bounded for u8 {
    const MAX: i64 = u8::MAX as i64;
}

impl Bounded for u32 {
    const MAX: i64 = u32::MAX as i64;
}

/// An unsigned integer at `item` that fits `T`.
pub(super) fn uint<T: TryFrom<i64> + Copy + Bounded>(
    ctx: &mut Ctx<'_>,
    item: &Item,
    path: &str,
) -> Option<T> {
    let Value::Integer(v) = item.value else {
        wrong_type(ctx, item, path, "an integer");
        return None;
    };
    let fitted = T::try_from(v).ok();
    if fitted.is_none() {
        ctx.report(
            Code::OutOfRange,
            item.locate(),
            format!("`{path}` must be between 0 and {}, found {v}", T::MAX),
        );
    }
    fitted
}

/// A distance in km at `item`: a number 0 or more, or `"inf"` (or TOML `inf`) for no limit.
pub(super) fn km(ctx: &mut Ctx<'_>, item: &Item, path: &str) -> Option<f64> {
    let v = match &item.value {
        Value::String(s) if s == "inf" => return Some(f64::INFINITY),
        Value::Integer(_) | Value::Float(_) => number(ctx, item, path)?,
        _ => {
            wrong_type(ctx, item, path, "a number of km or \"inf\"");
            return None;
        }
    };
    if v.is_nan() {
        ctx.report(
            Code::NotFinite,
            item.locate(),
            format!("`{path}` must be a number of km or \"inf\", found nan"),
        );
        return None;
    }
    if v < 0.0 {
        ctx.report(
            Code::OutOfRange,
            item.locate(),
            format!("`{path}` must be 0 km or more, found {v}"),
        );
        return None;
    }
    Some(v)
}
