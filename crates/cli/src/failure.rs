//! Turning every failure into one line on stderr with a stable code and a hint, and an exit code.
//!
//! CLI codes (documented in `docs/errors.md`): `E1100` any other command-line failure, `E1101`
//! unknown order id, `E1102` invalid `--now` time, `E1103` cannot write an output, `E1130` an output that is also an input, `E1113` the plan
//! given to `reroute` breaks its inputs' rules, `E1204` `--format parquet` without `--out`,
//! `E1199` internal error (a panic). Input-file
//! problems keep the adapters' codes (`E1000`–`E1025`, `E1104`–`E1112` decisions.csv, `E1201`–`E1203` Parquet files, `E19xx`,
//! `E2xxx`, `E31xx` events).

use crate::{EXIT_ERROR, EXIT_OK};
use omniroute_adapters::InputError;
use std::fmt;

/// A command-line failure with a stable code and a hint.
#[derive(Debug)]
pub struct Failure {
    /// Stable code, for example `E1101`.
    pub code: &'static str,
    /// What went wrong, lowercase.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl Failure {
    /// A failure.
    pub fn new(code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (hint: {})", self.code, self.message, self.hint)
    }
}

impl std::error::Error for Failure {}

/// True when the error comes from writing to a closed pipe (however deeply the I/O error is
/// wrapped: `csv` and `serde_json` hide it inside their own errors).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(pipe)
}

fn pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return io.kind() == BrokenPipe || io.get_ref().is_some_and(|inner| pipe(inner));
    }
    if let Some(ce) = e.downcast_ref::<csv::Error>() {
        return matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe);
    }
    if let Some(je) = e.downcast_ref::<serde_json::Error>() {
        return je.io_error_kind() == Some(BrokenPipe);
    }
    false
}

/// At most this many problems of a rejected input are printed; then a count of the rest.
pub const SHOWN_PROBLEMS: usize = 100;

/// Prints the problems of a rejected input, one per line (the first [`SHOWN_PROBLEMS`], then
/// `… and N more`).
pub fn print_problems(e: &InputError) {
    let problems = e.problems();
    for p in problems.iter().take(SHOWN_PROBLEMS) {
        crate::note!("error: {p}");
    }
    if problems.len() > SHOWN_PROBLEMS {
        crate::note!(
            "error: … and {} more problem(s); run `omniroute validate` with the same files to list them all",
            problems.len() - SHOWN_PROBLEMS
        );
    }
}

/// Prints `e` (every problem of a rejected input) and returns the exit code.
pub fn report(e: &anyhow::Error) -> u8 {
    if is_broken_pipe(e) {
        return EXIT_OK;
    }
    if let Some(f) = e.downcast_ref::<Failure>() {
        crate::note!("error: {f}");
    } else if let Some(ie) = e.downcast_ref::<InputError>() {
        print_problems(ie);
    } else if e.chain().any(<dyn std::error::Error>::is::<std::io::Error>) {
        // Inputs are read through the adapters (`InputError`, `E1000`): a bare I/O error is a
        // write (stdout, `gen`'s files).
        crate::note!("error: E1103 {e:#} (hint: check that the folder exists and is writable, and that the disk has room)");
    } else {
        crate::note!("error: E1100 {e:#} (hint: run the command with --help for its usage)");
    }
    EXIT_ERROR
}
