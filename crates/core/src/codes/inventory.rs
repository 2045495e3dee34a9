//! The `Inventory` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Inventory codes.
    InventoryCode: Inventory {
    }
}
