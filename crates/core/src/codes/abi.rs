//! The `Abi` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Abi codes.
    AbiCode: Abi {
    }
}
