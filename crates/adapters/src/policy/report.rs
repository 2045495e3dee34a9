//! Problem codes of `policy.toml` (`E2xxx`, documented in `docs/errors.md`) and the collector
//! that turns byte spans into lines and columns.

use crate::{InputError, Problem};
use std::ops::Range;

/// One class of policy problem; each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Code {
    /// E2001: the text is not valid TOML.
    Syntax,
    /// E2002: a key the policy does not know.
    UnknownKey,
    /// E2003: a value of the wrong type.
    WrongType,
    /// E2004: a negative cost.
    NegativeCost,
    /// E2005: a number that is NaN or (where not allowed) infinite.
    NotFinite,
    /// E2006: an unknown node kind.
    UnknownKind,
    /// E2007: an unknown service level.
    UnknownLevel,
    /// E2008: a time of day that is not `HH:MM`.
    BadTime,
    /// E2009: transit bands empty or not strictly ascending.
    BadTransit,
    /// E2010: `max_shipments = 0`.
    ZeroShipments,
    /// E2011: an invalid region box.
    BadRegion,
    /// E2012: an invalid `effective_from` timestamp.
    BadTimestamp,
    /// E2013: an unknown SLA treatment.
    UnknownSla,
    /// E2014: a number outside the range its key allows.
    OutOfRange,
    /// E2015: a required key is missing.
    MissingKey,
    /// E2016: policy versions define different service levels.
    VersionLevels,
    /// E2017: policy versions differ in a safety stock or capacity.
    VersionResource,
    /// E2018: two policy versions take effect at the same time.
    VersionStart,
    /// E2019: an order is older than every policy version.
    BeforeVersions,
    /// E2020: a tag filter that is empty or contradicts itself.
    BadTagFilter,
    /// E2021: a node group without a name, named `*`, or named twice in a rule.
    BadGroup,
    /// E2022: a group region that is not a polygon of [lat, lon] points.
    BadPolygon,
    /// E2023: a group condition out of range.
    BadGroupCondition,
    /// E2024: a currency that is not an ISO 4217 code.
    BadCurrency,
    /// E2025: policy versions name different currencies.
    VersionCurrency,
    /// E2026: a node group names a node the network does not have.
    UnknownGroupNode,
    /// E2040: dealer rules that contradict each other.
    DealerConflict,
}

impl Code {
    /// The stable code.
    pub fn id(self) -> &'static str {
        match self {
            Code::Syntax => "E2001",
            Code::UnknownKey => "E2002",
            Code::WrongType => "E2003",
            Code::NegativeCost => "E2004",
            Code::NotFinite => "E2005",
            Code::UnknownKind => "E2006",
            Code::UnknownLevel => "E2007",
            Code::BadTime => "E2008",
            Code::BadTransit => "E2009",
            Code::ZeroShipments => "E2010",
            Code::BadRegion => "E2011",
            Code::BadTimestamp => "E2012",
            Code::UnknownSla => "E2013",
            Code::OutOfRange => "E2014",
            Code::MissingKey => "E2015",
            Code::VersionLevels => "E2016",
            Code::VersionResource => "E2017",
            Code::VersionStart => "E2018",
            Code::BeforeVersions => "E2019",
            Code::BadTagFilter => "E2020",
            Code::BadGroup => "E2021",
            Code::BadPolygon => "E2022",
            Code::BadGroupCondition => "E2023",
            Code::BadCurrency => "E2024",
            Code::VersionCurrency => "E2025",
            Code::UnknownGroupNode => "E2026",
            Code::DealerConflict => "E2040",
        }
    }

    /// What to do, when the message does not carry a more precise hint.
    fn hint(self) -> &'static str {
        match self {
            Code::Syntax => "fix the TOML syntax at this place (see docs/policy.md)",
            Code::UnknownKey => "remove the key or correct its spelling (see docs/policy.md)",
            Code::WrongType => "write a value of the expected type (see docs/policy.md)",
            Code::NegativeCost => "costs are cents and cannot be negative; write 0 or more",
            Code::NotFinite => "write a finite number (nan and inf are not allowed here)",
            Code::UnknownKind => "use warehouse, store, dealer, supplier or locker",
            Code::UnknownLevel => {
                "use same_day, next_day, standard or a level defined under [levels.<name>]"
            }
            Code::BadTime => "write a local time as \"HH:MM\", for example \"14:00\"",
            Code::BadTransit => {
                "list at least one band, with max_km strictly ascending, e.g. \
                 [ { max_km = 100, days = 1 }, { max_km = \"inf\", days = 3 } ]"
            }
            Code::ZeroShipments => "max_shipments must be at least 1",
            Code::BadRegion => {
                "write [min_lat, min_lon, max_lat, max_lon] in degrees, latitudes in \
                 [-90, 90], longitudes in [-180, 180], min <= max"
            }
            Code::BadTimestamp => {
                "write an RFC 3339 instant with an offset, e.g. \"2026-01-01T00:00:00Z\""
            }
            Code::UnknownSla => "use \"hard\" or \"soft\"",
            Code::OutOfRange => "write a value within the range given in the message",
            Code::MissingKey => "add the key (see docs/policy.md)",
            Code::VersionLevels => "define the same service levels in every policy version",
            Code::VersionResource => {
                "keep safety stock and capacities equal in every policy version"
            }
            Code::VersionStart => "give each policy version its own effective_from",
            Code::BeforeVersions => "add a policy version that applies to the order",
            Code::BadTagFilter => {
                "list one or more non-empty tags, none both allowed and excluded (see \
                 docs/policy.md, \"Node filters\")"
            }
            Code::BadGroup => {
                "give every [[rules.groups]] its own non-empty `name` (see docs/policy.md, \
                 \"Node groups and fallback\")"
            }
            Code::BadPolygon => {
                "write at least 3 [lat, lon] points in degrees, e.g. \
                 [[28.4, 76.8], [28.9, 76.8], [28.9, 77.5]]"
            }
            Code::BadGroupCondition => "write within_km as a finite number of km above 0",
            Code::BadCurrency => "write an ISO 4217 code such as \"EUR\", \"USD\" or \"INR\"",
            Code::VersionCurrency => "give every policy version the same `currency`",
            Code::UnknownGroupNode => "name nodes by their node_id in nodes.csv, or remove the id",
            Code::DealerConflict => {
                "set territory_required = false to price the outside of a territory, or drop \
                 outside_territory_cents to require territories"
            }
        }
    }
}

/// Gathers the problems of one policy text.
pub(super) struct Ctx<'a> {
    text: &'a str,
    file: &'a str,
    problems: Vec<Problem>,
}

impl<'a> Ctx<'a> {
    pub fn new(text: &'a str, file: &'a str) -> Self {
        Self {
            text,
            file,
            problems: Vec::new(),
        }
    }

    /// Records a problem at `span` (line 0 when unknown) with the code's own hint.
    pub fn report(&mut self, code: Code, span: Option<Range<usize>>, message: String) {
        self.report_hint(code, span, message, code.hint().to_owned());
    }

    /// Records a problem with a specific hint.
    pub fn report_hint(
        &mut self,
        code: Code,
        span: Option<Range<usize>>,
        message: String,
        hint: String,
    ) {
        let (line, column) = span.map_or((0, 0), |s| line_column(self.text, s.start));
        self.problems.push(Problem {
            code: code.id(),
            file: self.file.to_owned(),
            line,
            column,
            message,
            hint,
        });
    }

    /// The problems recorded, in the order found.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// The value when no problem was recorded, else every problem in file order.
    pub fn finish<T>(mut self, value: T) -> Result<T, InputError> {
        if self.problems.is_empty() {
            return Ok(value);
        }
        self.problems.sort_by_key(|p| (p.line, p.column));
        Err(InputError::Invalid(self.problems))
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u64, column as u64)
}

/// The allowed key closest to `key`, if it is close enough to be a likely typo.
pub(super) fn did_you_mean<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_from_one() {
        let text = "a = 1\nbé = 2\n";
        let cases = [
            (0, (1, 1)),
            (4, (1, 5)),
            (6, (2, 1)),
            (10, (2, 4)),
            (99, (3, 1)),
        ];
        for (offset, want) in cases {
            assert_eq!(line_column(text, offset), want, "offset {offset}");
        }
    }

    #[test]
    fn did_you_mean_finds_close_keys_only() {
        let allowed = ["fixed_cents", "per_km_cents", "handling_days"];
        let cases = [
            ("fixed_cent", Some("fixed_cents")),
            ("per_km_cent", Some("per_km_cents")),
            ("handlng_days", Some("handling_days")),
            ("colour", None),
        ];
        for (key, want) in cases {
            assert_eq!(did_you_mean(key, &allowed), want, "{key}");
        }
    }
}
