//! The `Input` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Input codes.
    InputCode: Input {
    }
}
