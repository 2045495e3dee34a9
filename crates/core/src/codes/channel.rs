//! The `Channel` family of error codes (`docs/errors.md`).

use super::family_codes;

family_codes! {
    /// Channel codes.
    ChannelCode: Channel {
    }
}
