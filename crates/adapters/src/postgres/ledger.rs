//! The ledger's operations as PostgreSQL transactions (see the module head in `mod.rs`).

use super::conn::connect_one;
use super::reservations::lines_of;
use super::{DbError, CHANNEL, SCHEMA_VERSION};
use jiff::Timestamp;
use omniroute_core::{NodeIdx, Position, ReservationId, SkuId, StockChange};
use std::sync::atomic::AtomicUsize;
use tokio::sync::Mutex;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Row, Transaction};

/// The advisory lock writers append to the change log under.
const LOG_LOCK: i64 = 0x6f6d_6e69;

/// The columns of a position, in the order [`position`] reads them.
pub(super) const COLUMNS: &str =
    "node_id, sku, on_hand, reserved, external_reserved, safety_stock, \
                       shipped, returned, delta_in, snapshot_in, incoming_qty, incoming_date";

/// A position as the database holds it, by node id and SKU name. `position.reserved` is live
/// reservations plus units held outside omniroute, as the in-memory ledger's view counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgPosition {
    /// The node.
    pub node_id: String,
    /// The SKU.
    pub sku: String,
    /// The position.
    pub position: Position,
}

/// One line to reserve: the position by index (for the ledger's errors) and by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgLine {
    /// The node.
    pub node: NodeIdx,
    /// Its id.
    pub node_id: String,
    /// The SKU.
    pub sku: SkuId,
    /// Its name.
    pub sku_name: String,
    /// Units.
    pub qty: u32,
}

/// A feed event with the names the database keys positions by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgEvent {
    /// The ledger's event.
    pub change: StockChange,
    /// The node's id.
    pub node_id: String,
    /// The SKU's name.
    pub sku: String,
    /// When the node says it happened.
    pub at: Option<Timestamp>,
}

/// A few connections to one database, shared by every request of a process (`Send + Sync`).
pub struct PgStore {
    pub(super) url: String,
    pub(super) clients: Vec<Mutex<Client>>,
    pub(super) next: AtomicUsize,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("connections", &self.clients.len())
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Opens `connections` connections (at least 1) to `url`.
    pub async fn connect(url: &str, connections: usize) -> Result<Self, DbError> {
        let mut clients = Vec::new();
        for _ in 0..connections.max(1) {
            clients.push(Mutex::new(connect_one(url).await?));
        }
        Ok(PgStore {
            url: url.to_owned(),
            clients,
            next: AtomicUsize::new(0),
        })
    }

    /// Creates the schema (idempotent; `schema.sql`).
    pub async fn migrate(&self) -> Result<(), DbError> {
        let client = self.client().await;
        client.batch_execute(super::SCHEMA_SQL).await?;
        Ok(())
    }

    /// Fails with [`DbError::Schema`] unless the database has this build's schema.
    pub async fn check_schema(&self) -> Result<(), DbError> {
        let client = self.client().await;
        let exists: bool = client
            .query_one("SELECT to_regclass('omniroute_schema') IS NOT NULL", &[])
            .await?
            .get(0);
        let found = if exists {
            client
                .query_opt("SELECT version FROM omniroute_schema", &[])
                .await?
                .map(|r| r.get::<_, i32>(0))
        } else {
            None
        };
        if found == Some(SCHEMA_VERSION) {
            Ok(())
        } else {
            Err(DbError::Schema {
                found,
                want: SCHEMA_VERSION,
            })
        }
    }

    /// A number no other process got: a serve process's reservation ids start at
    /// `number << 32`, so two processes never give the same id.
    pub async fn instance_number(&self) -> Result<u64, DbError> {
        let row = self
            .client()
            .await
            .query_one("SELECT nextval('serve_instances')", &[])
            .await?;
        Ok(row.get::<_, i64>(0) as u64)
    }

    /// Every position, and the last change id, from one snapshot of the database.
    pub async fn positions(&self) -> Result<(i64, Vec<PgPosition>), DbError> {
        let mut client = self.client().await;
        let tx = read_snapshot(&mut client).await?;
        let last = last_change(&tx).await?;
        let rows = tx
            .query(
                &format!("SELECT {COLUMNS} FROM stock_positions ORDER BY sku, node_id"),
                &[],
            )
            .await?;
        tx.commit().await?;
        Ok((last, rows.iter().map(position).collect()))
    }

    /// The positions changed after change `since`, and the last change id, from one snapshot:
    /// what a follower re-reads after a notification or a reconnect. When the log no longer
    /// holds every change after `since` (pruned after `KEEP_CHANGES`, an hour), every position.
    ///
    /// One statement (one snapshot, one round trip, no transaction): every request and every
    /// notification runs it, so it is on the path of each reservation.
    pub async fn changes_since(&self, since: i64) -> Result<(i64, Vec<PgPosition>), DbError> {
        let client = self.client().await;
        // The log's bounds, then (when nothing after `since` was pruned) the changed positions
        // up to `last`; a left join keeps the bounds when nothing changed.
        let changed = format!(
            "WITH log AS (SELECT coalesce(max(change_id), 0) AS last, \
                                 coalesce(min(change_id), 0) AS first FROM stock_changes) \
             SELECT log.last, log.first, p.* FROM log LEFT JOIN LATERAL \
               (SELECT {COLUMNS} FROM stock_positions WHERE log.first <= $1 + 1 AND \
                  (node_id, sku) IN (SELECT node_id, sku FROM stock_changes \
                                     WHERE change_id > $1 AND change_id <= log.last)) p ON true"
        );
        let rows = client
            .query_typed(&changed, &[(&since, Type::INT8)])
            .await?;
        let (last, first) = rows
            .first()
            .map_or((since, 0), |r| (r.get::<_, i64>(0), r.get::<_, i64>(1)));
        if since + 1 < first {
            drop(client);
            return self.positions().await;
        }
        let changed = rows
            .iter()
            .filter(|r| r.get::<_, Option<String>>(2).is_some())
            .map(|r| position_at(r, 2))
            .collect();
        Ok((last, changed))
    }

    /// Live reservation `id`: its expiry and lines (node id, SKU, units), if live.
    pub async fn reservation(
        &self,
        id: ReservationId,
    ) -> Result<Option<(Timestamp, Vec<(String, String, u32)>)>, DbError> {
        let mut client = self.client().await;
        let tx = read_snapshot(&mut client).await?;
        let row = tx
            .query_opt(
                "SELECT expires_at FROM reservations WHERE reservation_id = $1",
                &[&(id.0 as i64)],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let lines = lines_of(&tx, id).await?;
        tx.commit().await?;
        let lines = lines
            .into_iter()
            .map(|(n, s, q)| (n, s, q as u32))
            .collect();
        Ok(Some((row.get(0), lines)))
    }

    /// Number of live reservations (of every process).
    pub async fn live_reservations(&self) -> Result<u64, DbError> {
        let row = self
            .client()
            .await
            .query_one("SELECT count(*) FROM reservations", &[])
            .await?;
        Ok(row.get::<_, i64>(0) as u64)
    }
}

/// A read-only transaction that sees one snapshot.
async fn read_snapshot(client: &mut Client) -> Result<Transaction<'_>, DbError> {
    Ok(client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?)
}

async fn last_change(tx: &Transaction<'_>) -> Result<i64, DbError> {
    Ok(tx
        .query_one("SELECT coalesce(max(change_id), 0) FROM stock_changes", &[])
        .await?
        .get(0))
}

/// How long the change log keeps a change. The sweep of expired reservations (each serve process
/// runs it every second) deletes older ones, always keeping the last; a follower that fell
/// further behind (a process stopped for longer) re-reads every position instead.
pub const KEEP_CHANGES: &str = "1 hour";

/// Deletes the changes older than [`KEEP_CHANGES`], except the last one (its id is the log's
/// position).
pub(super) async fn prune_changes(tx: &Transaction<'_>) -> Result<(), tokio_postgres::Error> {
    tx.execute(
        &format!(
            "DELETE FROM stock_changes WHERE changed_at < now() - interval '{KEEP_CHANGES}' \
             AND change_id < (SELECT max(change_id) FROM stock_changes)"
        ),
        &[],
    )
    .await?;
    Ok(())
}

/// Appends `changed` to the change log in commit order and notifies the followers.
pub(super) async fn log_changes(
    tx: &Transaction<'_>,
    changed: &[PgPosition],
) -> Result<(), tokio_postgres::Error> {
    let nodes: Vec<&str> = changed.iter().map(|p| p.node_id.as_str()).collect();
    let skus: Vec<&str> = changed.iter().map(|p| p.sku.as_str()).collect();
    log_keys(tx, &nodes, &skus).await
}

/// [`log_changes`] by (node id, SKU) pairs, its three statements sent in one pipeline (so a
/// caller can send it beside the statements that change the positions).
pub(super) async fn log_keys(
    tx: &Transaction<'_>,
    nodes: &[&str],
    skus: &[&str],
) -> Result<(), tokio_postgres::Error> {
    if nodes.is_empty() {
        return Ok(());
    }
    let notify = format!("NOTIFY {CHANNEL}");
    futures_util::future::try_join3(
        tx.execute_typed(
            "SELECT pg_advisory_xact_lock($1)",
            &[(&LOG_LOCK, Type::INT8)],
        ),
        tx.execute_typed(
            "INSERT INTO stock_changes (node_id, sku) SELECT * FROM unnest($1, $2)",
            &[(&nodes, Type::TEXT_ARRAY), (&skus, Type::TEXT_ARRAY)],
        ),
        tx.execute_typed(&notify, &[]),
    )
    .await?;
    Ok(())
}

/// A row of [`COLUMNS`].
pub(super) fn position(row: &Row) -> PgPosition {
    position_at(row, 0)
}

/// [`COLUMNS`] from column `at` of `row` on.
fn position_at(row: &Row, at: usize) -> PgPosition {
    let units = |i: usize| row.get::<_, i64>(at + i).clamp(0, i64::from(u32::MAX)) as u32;
    let external = units(4);
    PgPosition {
        node_id: row.get(at),
        sku: row.get(at + 1),
        position: Position {
            on_hand: units(2),
            reserved: units(3).saturating_add(external),
            external_reserved: external,
            safety_stock: units(5),
            incoming: omniroute_core::Incoming {
                qty: units(10),
                expected: row.get(at + 11),
            },
            shipped: row.get::<_, i64>(at + 6) as u64,
            returned: row.get::<_, i64>(at + 7) as u64,
            delta_in: row.get(at + 8),
            snapshot_in: row.get(at + 9),
        },
    }
}
