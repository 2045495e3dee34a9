//! The `Database` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Database codes.
    DatabaseCode: Database {
    }
}
