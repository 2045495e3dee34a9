//! The PostgreSQL store (cargo feature `postgres`): the ledger's positions, reservations,
//! decisions and applied feed events in tables any number of `omniroute serve` processes share.
//! The schema is `schema.sql`, documented in `docs/postgres.md`.
//!
//! Every change is one transaction. A reservation takes all of an order's lines with
//! conditional updates (`... SET reserved = reserved + q WHERE routable >= q`), in one
//! (node, SKU) order, so two processes never oversell and never deadlock on each other. Every
//! writer appends the positions it changed to `stock_changes` under one advisory lock taken
//! just before commit, so change ids commit in order, and notifies `omniroute_stock`: a
//! follower re-reads the positions changed since the last id it saw (after a notification, and
//! after a reconnect, which loses none).

mod error;
mod ledger;
mod load;

#[cfg(test)]
mod tests;

pub use error::DbError;
pub use ledger::{PgEvent, PgLine, PgPosition, PgStore};

/// The environment variable `--database` falls back to.
pub const DATABASE_VAR: &str = "DATABASE_URL";

/// The channel writers notify and followers listen on.
pub const CHANNEL: &str = "omniroute_stock";

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i32 = 1;

/// The schema (`schema.sql`): idempotent DDL.
pub const SCHEMA_SQL: &str = include_str!("schema.sql");
