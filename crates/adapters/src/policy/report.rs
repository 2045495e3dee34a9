//! Problem codes of `policy.toml` (`E2xxx`, documented in `docs/errors.md`) and the collector
//! that turns byte spans into lines and columns.

use crate::{InputError, Problem};
pub(super) use omniroute_core::codes::PolicyCode as Code;
use std::ops::Range;

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
