//! Input problems: every problem found in a file, each with a stable code, its place and a hint.

use std::fmt;
use thiserror::Error;

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

impl fmt::Display for Problem {
    /// `file:line:column: CODE message (hint: …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {} (hint: {})",
            self.file, self.line, self.column, self.code, self.message, self.hint
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
                code: "E1000",
                file: file.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read the file: {message}"),
                hint: "check the path and permissions".into(),
            }],
        }
    }
}
