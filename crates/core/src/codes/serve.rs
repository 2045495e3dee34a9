//! The `Serve` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Serve codes.
    ServeCode: Serve {
    }
}
