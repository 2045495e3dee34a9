//! Several policy files as versions of one policy (`effective_from`, docs/policy.md): the problems
//! between files (`E2016` service levels, `E2017` a shared resource, `E2018` two versions starting
//! at once) and the orders no version applies to (`E2019`).

use super::report::{Code, Ctx};
use super::tree::{self, Item, Value};
use crate::{read_policy, InputError, OrderPlaces, Problem, Source};
use jiff::Timestamp;
use omniroute_core::{NodeKind, Order, Policy, PolicyVersions, VersionError};
use std::ops::Range;

/// At most this many orders are listed one by one in `E2019` problems; the rest are counted.
const MAX_LISTED: usize = 20;

/// A policy read from a file, with the file's name and text (so that problems between versions
/// can point into it).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyFile {
    /// The file's name as given.
    pub name: String,
    /// Its text.
    pub text: String,
    /// The policy read from it.
    pub policy: Policy,
}

impl PolicyFile {
    /// Reads a policy source with [`read_policy`] (`E2001` when it is not UTF-8).
    ///
    /// # Errors
    ///
    /// Every problem of the file.
    pub fn read(src: &Source) -> Result<Self, InputError> {
        let Ok(text) = std::str::from_utf8(&src.bytes) else {
            return Err(InputError::Invalid(vec![Problem {
                code: Code::Syntax.id(),
                file: src.name.clone(),
                line: 0,
                column: 0,
                message: "the policy is not valid UTF-8".into(),
                hint: "save the policy file as UTF-8".into(),
            }]));
        };
        Ok(Self {
            name: src.name.clone(),
            text: text.to_owned(),
            policy: read_policy(text, &src.name)?,
        })
    }

    /// The default policy, as if read from an empty file.
    pub fn default_policy() -> Self {
        Self {
            name: "(default policy)".into(),
            text: String::new(),
            policy: Policy::default(),
        }
    }
}

/// Policy versions and the file each came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Policies {
    /// The versions.
    pub versions: PolicyVersions,
    /// `files[k]`: the file of `versions.get(k)` (version order).
    pub files: Vec<String>,
}

impl Default for Policies {
    /// The default policy as the one version.
    fn default() -> Self {
        Self {
            versions: PolicyVersions::default(),
            files: vec![PolicyFile::default_policy().name],
        }
    }
}

impl Policies {
    /// Takes `files` (in the order given) as versions of one policy, reporting every problem
    /// between them at once: `E2016` service levels that differ, `E2017` a safety stock or
    /// capacity that differs, `E2018` two versions that take effect at the same instant (or both
    /// have no `effective_from`). No files at all is the default policy, as when the CLI is given
    /// no `--policy`.
    ///
    /// ```
    /// # use omniroute_adapters::{Policies, PolicyFile, Source};
    /// let jan = Source::text("jan.toml", "effective_from = \"2026-01-01T00:00:00Z\"\n");
    /// let feb = Source::text("feb.toml", "effective_from = \"2026-02-01T00:00:00Z\"\n[kinds.store]\ncapacity_units = 50\n");
    /// let files = vec![PolicyFile::read(&jan)?, PolicyFile::read(&feb)?];
    /// let problems = Policies::new(&files).unwrap_err().problems();
    /// assert_eq!((problems[0].code, problems[0].file.as_str(), problems[0].line), ("E2017", "feb.toml", 3));
    /// # Ok::<(), omniroute_adapters::InputError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Every problem found.
    pub fn new(files: &[PolicyFile]) -> Result<Self, InputError> {
        if files.is_empty() {
            return Ok(Self::default());
        }
        let policies: Vec<Policy> = files.iter().map(|f| f.policy.clone()).collect();
        let mut problems: Vec<Problem> = PolicyVersions::conflicts(&policies)
            .iter()
            .map(|e| problem(files, e))
            .collect();
        problems.extend(super::money::currency_conflicts(files));
        if !problems.is_empty() {
            return Err(InputError::Invalid(problems));
        }
        let versions = PolicyVersions::new(policies).expect("no conflicts");
        let files = (0..versions.len())
            .map(|k| files[versions.given(k)].name.clone())
            .collect();
        Ok(Self { versions, files })
    }

    /// `E2019` for every order no version applies to: one created before the earliest version's
    /// `effective_from`, or without `created_at` when `now` (the reference time it is routed at)
    /// is before it. Orders without `created_at` are not judged when `now` is `None`. The first
    /// orders are listed with their line (from `places`); the rest are counted.
    ///
    /// # Errors
    ///
    /// The problems found.
    pub fn check_order_times(
        &self,
        orders: &[Order],
        places: &OrderPlaces,
        now: Option<Timestamp>,
    ) -> Result<(), InputError> {
        let problems = self.order_time_problems(orders, places, now);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(InputError::Invalid(problems))
        }
    }

    pub(crate) fn order_time_problems(
        &self,
        orders: &[Order],
        places: &OrderPlaces,
        now: Option<Timestamp>,
    ) -> Vec<Problem> {
        let Some(starts) = self.versions.starts() else {
            return Vec::new(); // a version applies from the beginning of time
        };
        let first = &self.files[0];
        let file = if places.file.is_empty() {
            "(orders)".to_owned()
        } else {
            places.file.clone()
        };
        let early: Vec<(usize, Option<Timestamp>, Timestamp)> = orders
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let at = o.created_at.or(now)?;
                self.versions
                    .index_at(at)
                    .is_none()
                    .then_some((i, o.created_at, at))
            })
            .collect();
        let mut out: Vec<Problem> = early
            .iter()
            .take(MAX_LISTED)
            .map(|&(i, created_at, at)| {
                let id = &orders[i].id;
                let (column, message, hint) = match created_at {
                    Some(_) => (
                        places.created_at_column,
                        format!(
                            "order {id:?} was created at {at}, before every policy version (the earliest, {first}, takes effect at {starts})"
                        ),
                        "add a policy version that applies then (one without effective_from applies from the beginning of time), or leave the order out of the batch".to_owned(),
                    ),
                    None => (
                        0,
                        format!(
                            "order {id:?} has no created_at and is routed at the reference time {at}, before every policy version (the earliest, {first}, takes effect at {starts})"
                        ),
                        format!(
                            "give a reference time (--now) at or after {starts}, give the order a created_at, or add a policy version that applies earlier"
                        ),
                    ),
                };
                Problem {
                    code: Code::BeforeVersions.id(),
                    file: file.clone(),
                    line: places.lines.get(i).copied().unwrap_or(0),
                    column,
                    message,
                    hint,
                }
            })
            .collect();
        if early.len() > MAX_LISTED {
            out.push(Problem {
                code: Code::BeforeVersions.id(),
                file,
                line: 0,
                column: 0,
                message: format!(
                    "{} more orders are older than every policy version (the earliest, {first}, takes effect at {starts})",
                    early.len() - MAX_LISTED
                ),
                hint: "add a policy version that applies then, or leave the orders out of the batch"
                    .into(),
            });
        }
        out
    }
}

/// The problem of one conflict, at the key in the file that differs.
fn problem(files: &[PolicyFile], e: &VersionError) -> Problem {
    match *e {
        VersionError::Levels { first, other } => {
            let (a, b) = (&files[first], &files[other]);
            let names = |p: &Policy| -> Vec<String> {
                p.levels.iter().map(|(_, n)| n.to_owned()).collect()
            };
            let (na, nb) = (names(&a.policy), names(&b.policy));
            // Point at the first level where the lists part, in the file that defines it.
            let k = na.iter().zip(&nb).take_while(|(x, y)| x == y).count();
            let (file, at) = match nb.get(k) {
                Some(name) => (b, locate(&b.text, &["levels", name])),
                None => (
                    a,
                    na.get(k)
                        .and_then(|name| locate(&a.text, &["levels", name])),
                ),
            };
            at_key(
                file,
                Code::VersionLevels,
                at,
                format!(
                    "policy versions define different service levels: {} has {}, {} has {}",
                    a.name,
                    na.join(", "),
                    b.name,
                    nb.join(", ")
                ),
                "define the same service levels, in the same order, in every policy version (nodes and orders are read under one set of levels)".into(),
            )
        }
        VersionError::Resource {
            kind,
            key,
            first,
            other,
        } => {
            let (a, b) = (&files[first], &files[other]);
            let path = ["kinds", kind.as_str(), key];
            let (file, at) = match locate(&b.text, &path) {
                Some(at) => (b, Some(at)),
                None => (a, locate(&a.text, &path)),
            };
            let hint = if key == "safety_stock" {
                format!("set safety stock per position in stock.csv's safety_stock column instead, or keep `kinds.{kind}.{key}` equal in every policy version")
            } else {
                format!("set per-node capacity in nodes.csv's {key} column instead, or keep `kinds.{kind}.{key}` equal in every policy version")
            };
            at_key(
                file,
                Code::VersionResource,
                at,
                format!(
                    "`kinds.{kind}.{key}` is {} in {} but {} in {}: safety stock and capacities are shared by every policy version",
                    resource(&a.policy, kind, key),
                    a.name,
                    resource(&b.policy, kind, key),
                    b.name
                ),
                hint,
            )
        }
        VersionError::SameStart { first, other, at } => {
            let (a, b) = (&files[first], &files[other]);
            let (message, hint) = match at {
                None => (
                    format!("{} and {} both have no effective_from: both would apply from the beginning of time", a.name, b.name),
                    "give one of them an effective_from, the instant it takes effect",
                ),
                Some(t) => (
                    format!("{} and {} both take effect at {t}", a.name, b.name),
                    "give each policy version its own effective_from",
                ),
            };
            at_key(
                b,
                Code::VersionStart,
                locate(&b.text, &["effective_from"]),
                message,
                hint.into(),
            )
        }
        _ => Problem {
            code: Code::VersionStart.id(),
            file: files.first().map_or_else(String::new, |f| f.name.clone()),
            line: 0,
            column: 0,
            message: e.to_string(),
            hint: "give at least one policy file".into(),
        },
    }
}

/// A problem at `span` of `file` (line 0 when not found).
fn at_key(
    file: &PolicyFile,
    code: Code,
    span: Option<Range<usize>>,
    message: String,
    hint: String,
) -> Problem {
    let mut ctx = Ctx::new(&file.text, &file.name);
    ctx.report_hint(code, span, message, hint);
    ctx.into_problems().remove(0)
}

/// A shared resource's value, as a file writes it.
fn resource(p: &Policy, kind: NodeKind, key: &str) -> String {
    let k = p.kind(kind);
    let value = match key {
        "safety_stock" => Some(k.safety_stock),
        "capacity_units" => k.capacity_units,
        _ => k.capacity_shipments,
    };
    value.map_or_else(|| "unlimited".into(), |v| v.to_string())
}

/// Where the key at `path` is written in `text` (`None` when the file does not set it).
fn locate(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let mut item: Item = tree::parse(text).ok()?;
    let mut span = None;
    for name in path {
        let Value::Table(entries) = item.value else {
            return None;
        };
        let (key, next) = entries.into_iter().find(|(k, _)| k.name == *name)?;
        span = key.span.or_else(|| next.locate());
        item = next;
    }
    span
}
