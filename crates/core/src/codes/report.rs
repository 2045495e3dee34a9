//! The `Report` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Report codes.
    ReportCode: Report {
    }
}
