//! Stock feeds: the delta stream of the systems that own the stock (tills, WMS, dealers), one
//! JSON object per line, read from a file, stdin or `POST /v1/stock/deltas`. See the
//! "Stock delta stream" section of `docs/formats.md`.
//!
//! ```text
//! {"op":"adjust","node_id":"ST-01","sku":"TEE-M","qty":-2,"seq":41,"at":"2026-12-05T09:00:00Z"}
//! {"op":"return","node_id":"ST-01","sku":"TEE-M","qty":1,"seq":42}
//! ```
//!
//! The reader is a stream: a malformed line is reported with its code, line and column
//! (`E3201`–`E3209`) and the lines after it are still read. What the ledger makes of an event
//! (applied, a duplicate, a gap) is the ledger's ([`omniroute_core::Inventory::apply_changes`]);
//! [`SeqReport`] turns gaps and out-of-order events into coded reports (`E3210`, `E3211`).

mod body;
mod sale;
mod seq;
mod stream;

#[cfg(test)]
mod tests;

pub use body::{feed_outcomes_json, read_feed_array};
pub use sale::{read_sale_events, SaleFields};
pub use seq::{FeedTally, SeqReport};
pub use stream::{parse_feed_object, read_feed_line, FeedEvent, FeedReader, FEED_OPS};
