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

mod conn;
mod error;
mod feed;
mod ledger;
mod listen;
mod load;
mod reservations;

#[cfg(test)]
mod tests;

pub use error::DbError;
pub use ledger::{PgEvent, PgLine, PgPosition, PgStore};
pub use listen::listen;

/// The environment variable `--database` falls back to.
pub const DATABASE_VAR: &str = "DATABASE_URL";

/// The channel writers notify and followers listen on.
pub const CHANNEL: &str = "omniroute_stock";

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i32 = 1;

/// The schema (`schema.sql`): idempotent DDL.
pub const SCHEMA_SQL: &str = include_str!("schema.sql");

/// Creates (after dropping it, if it exists) database `name` on the server of `url` and returns
/// the URL of the new database: for tests and scratch runs. `name` must be a plain identifier
/// (letters, digits, `_`).
pub async fn create_database(url: &str, name: &str) -> Result<String, DbError> {
    assert!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "a plain database name"
    );
    let admin = conn::connect_one(url).await?;
    // Two statements: neither may run inside a transaction block.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .await?;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await?;
    let base = url.split('?').next().unwrap_or(url);
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}
