//! Input problems: every problem found in a file, each with a stable code, its place and a hint.

use omniroute_core::codes::InputCode;
use omniroute_core::codes::{Code, Family};
use std::borrow::Cow;
use std::fmt;
use thiserror::Error;

/// Echoed input values are cut to this many characters (then `…`): a 10 MB field is not
/// printed whole.
pub(crate) const SHOWN_CHARS: usize = 80;

/// `text` cut to [`SHOWN_CHARS`] characters, with `…` when it was longer: for echoing input
/// values in messages.
pub(crate) fn clip(text: &str) -> Cow<'_, str> {
    clip_to(text, SHOWN_CHARS)
}

fn clip_to(text: &str, chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// One problem in an input, with a stable code (`E1xxx` files, `E2xxx` policy, `E3xxx`
/// inventory events, `E4xxx` dealer channel) documented in `docs/errors.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable code, for example `E1003`.
    pub code: &'static str,
    /// File name as given (or `-` for stdin, or an embedded scenario's name).
    pub file: String,
    /// 1-based line number (the header is line 1), 0 when the problem is about the whole file.
    pub line: u64,
    /// 1-based column number (the field's position in the row), 0 when not about one field.
    pub column: u64,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Problem {
    /// The code's family (which Python exception it raises), from the code's enum variant;
    /// `None` for a code not declared in `omniroute_core::codes`.
    pub fn family(&self) -> Option<Family> {
        Code::find(self.code).map(Code::family)
    }
}

impl fmt::Display for Problem {
    /// `file:line:column: CODE message (hint: …)`; a message or hint longer than 10 ×
    /// `SHOWN_CHARS` = 800 characters (one that echoes a long value not clipped where it was
    /// made) is cut.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {} (hint: {})",
            clip(&self.file),
            self.line,
            self.column,
            self.code,
            clip_to(&self.message, 10 * SHOWN_CHARS),
            clip_to(&self.hint, 10 * SHOWN_CHARS)
        )
    }
}

/// An input was rejected; nothing of it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum InputError {
    /// One or more problems in the content; all of them are listed.
    #[error("{} problem(s) in input, first: {}", .0.len(), .0[0])]
    Invalid(Vec<Problem>),
    /// The file could not be read at all.
    #[error("cannot read {file}: {message}")]
    Io {
        /// The path.
        file: String,
        /// The OS error text.
        message: String,
    },
}

impl InputError {
    /// The problems (an I/O error is reported as one problem with code `E1000`).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            InputError::Invalid(p) => p.clone(),
            InputError::Io { file, message } => vec![Problem {
                code: InputCode::Unreadable.id(),
                file: file.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read the file: {message}"),
                hint: "check the path and permissions".into(),
            }],
        }
    }
}

/// At most this many problems are listed for one file; then `E1025` says more were left out.
pub const MAX_PROBLEMS: usize = 1000;

/// The errors and warnings found in one input, errors capped at [`MAX_PROBLEMS`] (then one
/// `E1025` says how the list was cut). Every reader of a file collects its problems here.
pub(crate) struct Problems {
    file: String,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    /// Errors found, including those past the cap.
    total: usize,
    /// Reading stopped at the cap with input left unread.
    stopped: bool,
}

impl Problems {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            errors: Vec::new(),
            warnings: Vec::new(),
            total: 0,
            stopped: false,
        }
    }

    /// The input's name as given.
    pub fn file(&self) -> &str {
        &self.file
    }

    fn make(
        &self,
        code: &'static str,
        line: u64,
        column: u64,
        message: String,
        hint: &str,
    ) -> Problem {
        Problem {
            code,
            file: self.file.clone(),
            line,
            column,
            message,
            hint: hint.to_owned(),
        }
    }

    /// Records an error (dropped, but counted, once [`MAX_PROBLEMS`] are listed).
    pub fn error(
        &mut self,
        code: &'static str,
        line: u64,
        column: u64,
        message: String,
        hint: &str,
    ) {
        self.total += 1;
        if self.errors.len() < MAX_PROBLEMS {
            let p = self.make(code, line, column, message, hint);
            self.errors.push(p);
        }
    }

    /// Records an error another reader already placed (dropped, but counted, past the cap).
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        if self.errors.len() < MAX_PROBLEMS {
            self.errors.push(p);
        }
    }

    /// Records a warning.
    pub fn warning(
        &mut self,
        code: &'static str,
        line: u64,
        column: u64,
        message: String,
        hint: &str,
    ) {
        let p = self.make(code, line, column, message, hint);
        self.warnings.push(p);
    }

    /// Errors found so far, including those past the cap.
    pub fn total(&self) -> usize {
        self.total
    }

    /// True once [`MAX_PROBLEMS`] errors are found: a reader stops there.
    pub fn is_full(&self) -> bool {
        self.total >= MAX_PROBLEMS
    }

    /// Adds the problems of a part of the same input read on its own, its lines moved down by
    /// `lines` (a problem about the whole input stays at line 0).
    pub fn absorb(&mut self, part: Problems, lines: u64) {
        let shift = |mut p: Problem| {
            if p.line > 0 {
                p.line += lines;
            }
            p
        };
        let room = MAX_PROBLEMS.saturating_sub(self.errors.len());
        self.errors
            .extend(part.errors.into_iter().take(room).map(shift));
        self.warnings.extend(part.warnings.into_iter().map(shift));
        self.total += part.total;
        self.stopped |= part.stopped;
    }

    /// Notes that reading stopped at the cap, `unread` telling whether input was left.
    pub fn stop(&mut self, unread: bool) {
        self.stopped = unread;
    }

    /// For an input whose parts were all read to the end, `last_line` its last line: notes
    /// reading as stopped when the cap was reached before that line, as a reader of the whole
    /// input stops after the row whose error reaches the cap.
    pub fn stop_before(&mut self, last_line: u64) {
        if self.is_full() {
            let reached = self.errors.get(MAX_PROBLEMS - 1).map_or(0, |p| p.line);
            self.stopped |= reached < last_line;
        }
    }

    /// The warnings, for an input without errors.
    pub fn into_warnings(self) -> Vec<Problem> {
        self.warnings
    }

    /// Every error, then `E1025` when the list was cut.
    pub fn into_error(mut self) -> InputError {
        if self.stopped || self.total > self.errors.len() {
            let p = self.make(
                InputCode::TooMany.id(),
                0,
                0,
                format!("too many problems: only the first {MAX_PROBLEMS} are listed"),
                "fix the problems listed (they often share one cause) and load the file again",
            );
            self.errors.push(p);
        }
        InputError::Invalid(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_clipped() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(10_000_000);
        let shown = clip(&long);
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
        let p = Problem {
            code: "E1008",
            file: "orders.csv".into(),
            line: 2,
            column: 3,
            message: format!("qty {long:?} is not a whole number"),
            hint: "write digits".into(),
        };
        assert!(p.to_string().len() < 2_000);
    }
}
