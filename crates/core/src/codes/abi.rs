//! The `E7xxx` family: what only the C ABI (`crates/ffi`) can get wrong.

use super::family_codes;

family_codes! {
    /// What only the C ABI can get wrong (`E7xxx`).
    AbiCode: Abi {
        /// A null pointer where the call needs one.
        NullPointer = "E7001" => "pass a valid pointer (only arguments documented as nullable may be NULL)",
        /// A string argument that is not valid UTF-8.
        InvalidUtf8 = "E7002" => "pass UTF-8 text (convert from the platform's encoding first)",
        /// A JSON argument that is not valid JSON.
        MalformedJson = "E7003" => "pass one JSON object: {\"order_id\", \"dest\": {\"lat\", \"lon\"}, \"lines\": [{\"sku\", \"qty\"}]}",
        /// `now_rfc3339` is not an RFC 3339 time.
        InvalidTime = "E7004" => "write it like 2026-11-26T06:00:00Z (or pass NULL for now)",
        /// `ttl_seconds` out of range.
        InvalidTtl = "E7005" => "give how long the reservation holds, in seconds (900 is 15 minutes)",
        /// The deltas are not a JSON array of the delta stream's objects.
        InvalidDeltas = "E7006" => "pass a JSON array of {\"op\", \"node_id\", \"sku\", \"qty\", \"seq\"}",
        /// A node id not in the network.
        UnknownNode = "E7007" => "check the id against nodes.csv (ids are case-sensitive)",
        /// A SKU the router has never seen.
        UnknownSku = "E7008" => "check the SKU (names are case-sensitive)",
        /// A panic caught at the C boundary (a bug).
        Panic = "E7009" => "this is a bug in omniroute: please report it with the call that caused it",
    }
}
