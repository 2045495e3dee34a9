//! The `E5xxx` family: requests the HTTP service (`omniroute serve`) refuses, and its start.

use super::family_codes;

family_codes! {
    /// Requests the HTTP service refuses, and its start (`E5xxx`).
    ServeCode: Serve {
        /// The body is not valid JSON (400).
        Malformed = "E5001" => "send one JSON document with Content-Type: application/json",
        /// A missing or wrong bearer token (401).
        Unauthorized = "E5002" => "send Authorization: Bearer $OMNIROUTE_API_TOKEN",
        /// The body is larger than the server takes (413).
        TooLarge = "E5003" => "send fewer orders or deltas per request, or start serve with a larger --max-body",
        /// Something the request names does not exist (404).
        NotFound = "E5004" => "check the id (ids are case-sensitive)",
        /// The order already has a live reservation, or is on the dealer desk (409).
        OrderReserved = "E5005" => "commit or release it first (POST /v1/reservations/{id}/commit or /release)",
        /// A well-formed value that is not what the endpoint takes (422).
        Invalid = "E5006" => "check the order",
        /// The request took too long (408).
        Timeout = "E5007" => "retry; send smaller batches or a shorter time_limit_s",
        /// `omniroute serve` without `OMNIROUTE_API_TOKEN`.
        NoToken = "E5008" => "export OMNIROUTE_API_TOKEN=<a long random secret>; clients send it as a bearer token",
        /// An internal error (500).
        Internal = "E5009" => "report it with the request id (the x-request-id header)",
        /// A JSON body repeats a key in one object (400).
        RepeatedKey = "E5010" => "give each key once in an object",
        /// The query string cannot be read (400).
        BadQuery = "E5011" => "give each parameter once, URL-encoded, for example /v1/stock?node_id=W1&sku=TEE",
    }
}
