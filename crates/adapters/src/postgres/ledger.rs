//! The ledger's operations as PostgreSQL transactions (see the module head in `mod.rs`).

use super::{DbError, CHANNEL, SCHEMA_VERSION};
use jiff::Timestamp;
use omniroute_core::{
    DeltaOutcome, InventoryError, NodeIdx, Position, ReservationId, SeqState, SkuId, StockChange,
    StockOp,
};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Mutex;
use tokio_postgres::{Client, GenericClient, NoTls, Row, Transaction};

/// The advisory lock writers append to the change log under.
const LOG_LOCK: i64 = 0x6f6d_6e69;

/// The first key of the advisory lock each node's feed takes (the second is its id's hash).
const SEQ_LOCK: i32 = 0x6f6d_7371;

/// The columns of a position, in the order [`position`] reads them.
pub(super) const COLUMNS: &str =
    "node_id, sku, on_hand, reserved, external_reserved, safety_stock, \
                       shipped, returned, delta_in, snapshot_in, incoming_qty";

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
    url: String,
    clients: Vec<Mutex<Client>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("connections", &self.clients.len())
            .finish_non_exhaustive()
    }
}

/// How long a feed event waits for a lost server (a restart) before it fails with `E6001`.
pub const WAIT_FOR_SERVER: std::time::Duration = std::time::Duration::from_secs(30);

/// Opens one connection; its driver runs on the current tokio runtime.
pub(super) async fn connect_one(url: &str) -> Result<Client, DbError> {
    let (client, connection) =
        tokio_postgres::connect(url, NoTls)
            .await
            .map_err(|e| DbError::Connect {
                message: e.to_string(),
            })?;
    // A dropped connection shows up as an error on the client's next statement.
    tokio::spawn(async move { drop(connection.await) });
    Ok(client)
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
    /// holds every change after `since` (pruned: [`KEEP_CHANGES`]), every position.
    pub async fn changes_since(&self, since: i64) -> Result<(i64, Vec<PgPosition>), DbError> {
        let mut client = self.client().await;
        let tx = read_snapshot(&mut client).await?;
        let last = last_change(&tx).await?;
        let first: i64 = tx
            .query_one("SELECT coalesce(min(change_id), 0) FROM stock_changes", &[])
            .await?
            .get(0);
        let query = if since + 1 < first {
            format!("SELECT {COLUMNS} FROM stock_positions WHERE $1::bigint IS NOT NULL")
        } else {
            format!(
                "SELECT {COLUMNS} FROM stock_positions WHERE (node_id, sku) IN \
                 (SELECT node_id, sku FROM stock_changes WHERE change_id > $1)"
            )
        };
        let rows = tx.query(&query, &[&since]).await?;
        tx.commit().await?;
        Ok((last, rows.iter().map(position).collect()))
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

    /// Reserves every line under `id` for `order_id` until `expires_at`, in one transaction,
    /// or nothing: [`InventoryError::InsufficientStock`] names the first short position (in
    /// (node, SKU) order), [`InventoryError::DuplicateReservation`] an order that already has
    /// a live reservation (in any process). Returns the positions after.
    pub async fn reserve(
        &self,
        id: ReservationId,
        order_id: &str,
        lines: &[PgLine],
        expires_at: Timestamp,
        decision: &serde_json::Value,
    ) -> Result<Vec<PgPosition>, DbError> {
        let mut merged: BTreeMap<(&str, &str), (NodeIdx, SkuId, i64)> = BTreeMap::new();
        for l in lines.iter().filter(|l| l.qty > 0) {
            let e = merged
                .entry((&l.node_id, &l.sku_name))
                .or_insert((l.node, l.sku, 0));
            e.2 += i64::from(l.qty);
        }
        let merged = &merged;
        self.retrying(|mut client| async move {
            let tx = client.transaction().await?;
            let inserted = tx
                .execute(
                    "INSERT INTO reservations (reservation_id, order_id, expires_at) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&(id.0 as i64), &order_id, &expires_at],
                )
                .await?;
            if inserted == 0 {
                return Err(InventoryError::DuplicateReservation { id }.into());
            }
            let mut after = Vec::with_capacity(merged.len());
            for (&(node_id, sku), &(node, sku_id, qty)) in merged {
                let row = tx
                    .query_opt(
                        &format!(
                            "UPDATE stock_positions SET reserved = reserved + $3 \
                             WHERE node_id = $1 AND sku = $2 \
                             AND on_hand - reserved - external_reserved - safety_stock >= $3 \
                             RETURNING {COLUMNS}"
                        ),
                        &[&node_id, &sku, &qty],
                    )
                    .await?;
                let Some(row) = row else {
                    let routable = routable(&tx, node_id, sku).await?;
                    return Err(InventoryError::InsufficientStock {
                        id,
                        node,
                        sku: sku_id,
                        wanted: qty as u64,
                        routable,
                    }
                    .into());
                };
                tx.execute(
                    "INSERT INTO reservation_lines (reservation_id, node_id, sku, qty) \
                     VALUES ($1, $2, $3, $4)",
                    &[&(id.0 as i64), &node_id, &sku, &qty],
                )
                .await?;
                after.push(position(&row));
            }
            tx.execute(
                "INSERT INTO decisions (reservation_id, order_id, status, decision) \
                 VALUES ($1, $2, 'reserved', $3) ON CONFLICT (reservation_id) DO UPDATE \
                 SET status = 'reserved', decision = EXCLUDED.decision",
                &[
                    &(id.0 as i64),
                    &order_id,
                    &tokio_postgres::types::Json(decision),
                ],
            )
            .await?;
            log_changes(&tx, &after).await?;
            tx.commit().await?;
            Ok(after)
        })
        .await
    }

    /// Ships reservation `id` at `now`, or releases it when it expired (then the answer's
    /// second part is [`InventoryError::Expired`], and the release is written). A position with
    /// fewer units on hand than reserved refuses it ([`InventoryError::ShortOnCommit`],
    /// nothing written; `ids` names the position).
    pub async fn commit(
        &self,
        id: ReservationId,
        now: Timestamp,
        ids: &(dyn Fn(&str, &str) -> (NodeIdx, SkuId) + Sync),
    ) -> Result<(Vec<PgPosition>, Result<(), InventoryError>), DbError> {
        self.retrying(|mut client| async move {
            let tx = client.transaction().await?;
            let (expires_at, lines) = held(&tx, id).await?;
            if expires_at <= now {
                let after = free(&tx, id, &lines, "expired").await?;
                tx.commit().await?;
                return Ok((after, Err(InventoryError::Expired { id, expires_at })));
            }
            let mut after = Vec::with_capacity(lines.len());
            for (node_id, sku, qty) in &lines {
                let row = tx
                    .query_opt(
                        &format!(
                            "UPDATE stock_positions SET on_hand = on_hand - $3, \
                             reserved = reserved - $3, shipped = shipped + $3 \
                             WHERE node_id = $1 AND sku = $2 AND on_hand >= $3 RETURNING {COLUMNS}"
                        ),
                        &[node_id, sku, qty],
                    )
                    .await?;
                let Some(row) = row else {
                    let on_hand: i64 = tx
                        .query_one(
                            "SELECT on_hand FROM stock_positions WHERE node_id = $1 AND sku = $2",
                            &[node_id, sku],
                        )
                        .await?
                        .get(0);
                    let (node, sku) = ids(node_id, sku);
                    return Err(InventoryError::ShortOnCommit {
                        id,
                        node,
                        sku,
                        reserved: *qty as u32,
                        on_hand: on_hand as u32,
                    }
                    .into());
                };
                after.push(position(&row));
            }
            settle(&tx, id, "committed").await?;
            log_changes(&tx, &after).await?;
            tx.commit().await?;
            Ok((after, Ok(())))
        })
        .await
    }

    /// Frees reservation `id`; its units are routable again.
    pub async fn release(&self, id: ReservationId) -> Result<Vec<PgPosition>, DbError> {
        self.retrying(|mut client| async move {
            let tx = client.transaction().await?;
            let (_, lines) = held(&tx, id).await?;
            let after = free(&tx, id, &lines, "released").await?;
            tx.commit().await?;
            Ok(after)
        })
        .await
    }

    /// Releases every reservation expired at `now` (of any process; one another process is
    /// sweeping is skipped); returns their ids and the positions after.
    pub async fn expire(
        &self,
        now: Timestamp,
    ) -> Result<(Vec<ReservationId>, Vec<PgPosition>), DbError> {
        self.retrying_through_loss(|mut client| async move {
            let tx = client.transaction().await?;
            let due = tx
                .query(
                    "SELECT reservation_id FROM reservations WHERE expires_at <= $1 \
                     ORDER BY reservation_id FOR UPDATE SKIP LOCKED",
                    &[&now],
                )
                .await?;
            let mut ids = Vec::with_capacity(due.len());
            let mut after = Vec::new();
            for row in &due {
                let id = ReservationId(row.get::<_, i64>(0) as u64);
                let lines = lines_of(&tx, id).await?;
                after.extend(free(&tx, id, &lines, "expired").await?);
                ids.push(id);
            }
            prune_changes(&tx).await?;
            tx.commit().await?;
            Ok((ids, after))
        })
        .await
    }

    /// Applies feed events in order, all or nothing, as [`omniroute_core::Inventory::apply_changes`]
    /// does: a (node, seq) applied before is a duplicate; a seq above a missing one is a gap.
    /// Returns one outcome per event and the positions after.
    pub async fn apply(
        &self,
        events: &[PgEvent],
    ) -> Result<(Vec<DeltaOutcome>, Vec<PgPosition>), DbError> {
        for e in events {
            if i64::try_from(e.change.seq).is_err() {
                return Err(DbError::SeqTooLarge {
                    node_id: e.node_id.clone(),
                    seq: e.change.seq,
                });
            }
        }
        self.retrying_through_loss(|mut client| async move {
            let tx = client.transaction().await?;
            let mut positions = lock_positions(&tx, events).await?;
            let mut seqs = lock_seqs(&tx, events).await?;
            // Each event in order, with the in-memory ledger's rule (SeqState).
            let mut fresh = Vec::with_capacity(events.len());
            let mut outcomes = Vec::with_capacity(events.len());
            for e in events {
                let state = seqs.get_mut(e.node_id.as_str()).expect("locked");
                let outcome = SeqState::next(state, e.change.seq);
                outcomes.push(outcome);
                if outcome == DeltaOutcome::Duplicate {
                    continue;
                }
                let key = (e.node_id.clone(), e.sku.clone());
                let p = positions[&key].after(&e.change)?;
                positions.insert(key, p);
                fresh.push(e);
            }
            write_seqs(&tx, &seqs).await?;
            record_applied(&tx, &fresh).await?;
            let after = write_positions(&tx, positions).await?;
            log_changes(&tx, &after).await?;
            tx.commit().await?;
            Ok((outcomes, after))
        })
        .await
    }

    /// Runs `f` on a connection, again (up to 20 times) when the transaction lost a
    /// serialization race or a deadlock.
    async fn retrying<'s, T, F, Fut>(&'s self, f: F) -> Result<T, DbError>
    where
        F: Fn(tokio::sync::MutexGuard<'s, Client>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        self.run(f, false).await
    }

    /// [`PgStore::retrying`] for a transaction that may run twice (applying feed events, whose
    /// (node, seq) makes a second run a duplicate; sweeping expired reservations): when the
    /// connection is lost (a server restart), it waits for the server, up to
    /// [`WAIT_FOR_SERVER`], and runs `f` again on a new connection.
    async fn retrying_through_loss<'s, T, F, Fut>(&'s self, f: F) -> Result<T, DbError>
    where
        F: Fn(tokio::sync::MutexGuard<'s, Client>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        self.run(f, true).await
    }

    async fn run<'s, T, F, Fut>(&'s self, f: F, through_loss: bool) -> Result<T, DbError>
    where
        F: Fn(tokio::sync::MutexGuard<'s, Client>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let started = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(50);
        let mut attempt = 0;
        loop {
            match f(self.client().await).await {
                Ok(v) => return Ok(v),
                Err(Failure::Db(e)) if DbError::retryable(&e) && attempt < 20 => attempt += 1,
                Err(Failure::Db(e))
                    if through_loss && DbError::lost(&e) && started.elapsed() < WAIT_FOR_SERVER =>
                {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_secs(1));
                }
                Err(Failure::Db(e)) => return Err(e.into()),
                Err(Failure::Other(e)) => return Err(e),
            }
        }
    }

    /// One of the connections, opened again first if it was lost (a server restart): if that
    /// fails, the lost one is handed out and its next statement fails with `E6001`.
    pub(super) async fn client(&self) -> tokio::sync::MutexGuard<'_, Client> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.clients.len();
        let mut client = self.clients[i].lock().await;
        if client.is_closed() {
            if let Ok(fresh) = connect_one(&self.url).await {
                *client = fresh;
            }
        }
        client
    }
}

/// A failed attempt: the driver's error (maybe retryable) or a final one.
pub(super) enum Failure {
    Db(tokio_postgres::Error),
    Other(DbError),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Db(e)
    }
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        Failure::Other(e)
    }
}

impl From<InventoryError> for Failure {
    fn from(e: InventoryError) -> Self {
        Failure::Other(DbError::Refused(e))
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

/// Creates the positions `events` name (at zero) and locks them, in (node, SKU) byte order as
/// every writer does; returns them.
async fn lock_positions(
    tx: &Transaction<'_>,
    events: &[PgEvent],
) -> Result<BTreeMap<(String, String), Position>, tokio_postgres::Error> {
    let mut keys: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.node_id.as_str(), e.sku.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let (nodes, skus): (Vec<&str>, Vec<&str>) = keys.into_iter().unzip();
    tx.execute(
        "INSERT INTO stock_positions (node_id, sku) \
         SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
        &[&nodes, &skus],
    )
    .await?;
    let rows = tx
        .query(
            &format!(
                "SELECT {COLUMNS} FROM stock_positions \
                 WHERE (node_id, sku) IN (SELECT * FROM unnest($1::text[], $2::text[])) \
                 ORDER BY node_id COLLATE \"C\", sku COLLATE \"C\" FOR UPDATE"
            ),
            &[&nodes, &skus],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| {
            let p = position(row);
            ((p.node_id, p.sku), p.position)
        })
        .collect())
}

/// The applied sequence numbers of the nodes `events` name, each node locked for the
/// transaction (in id order) so two feeds of one node apply one after the other.
async fn lock_seqs<'e>(
    tx: &Transaction<'_>,
    events: &'e [PgEvent],
) -> Result<BTreeMap<&'e str, Option<SeqState>>, tokio_postgres::Error> {
    let mut nodes: Vec<&str> = events.iter().map(|e| e.node_id.as_str()).collect();
    nodes.sort_unstable();
    nodes.dedup();
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext(n)) FROM unnest($2::text[]) AS u(n)",
        &[&SEQ_LOCK, &nodes],
    )
    .await?;
    let runs = tx
        .query(
            "SELECT node_id, contiguous FROM feed_seqs WHERE node_id = ANY($1)",
            &[&nodes],
        )
        .await?;
    let runs: BTreeMap<String, i64> = runs.iter().map(|r| (r.get(0), r.get(1))).collect();
    let waiting = tx
        .query(
            "SELECT a.node_id, a.seq FROM applied_deltas a JOIN feed_seqs f USING (node_id) \
             WHERE a.node_id = ANY($1) AND a.seq > f.contiguous",
            &[&nodes],
        )
        .await?;
    let mut above: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for r in &waiting {
        above
            .entry(r.get(0))
            .or_default()
            .push(r.get::<_, i64>(1) as u64);
    }
    Ok(nodes
        .into_iter()
        .map(|n| {
            let state = runs
                .get(n)
                .map(|&c| SeqState::with_waiting(c as u64, above.remove(n).unwrap_or_default()));
            (n, state)
        })
        .collect())
}

/// Writes each node's applied run back.
async fn write_seqs(
    tx: &Transaction<'_>,
    seqs: &BTreeMap<&str, Option<SeqState>>,
) -> Result<(), tokio_postgres::Error> {
    let (nodes, runs): (Vec<&str>, Vec<i64>) = seqs
        .iter()
        .filter_map(|(n, s)| s.as_ref().map(|s| (*n, s.contiguous() as i64)))
        .unzip();
    tx.execute(
        "INSERT INTO feed_seqs (node_id, contiguous) SELECT * FROM unnest($1::text[], $2::bigint[]) \
         ON CONFLICT (node_id) DO UPDATE SET contiguous = EXCLUDED.contiguous",
        &[&nodes, &runs],
    )
    .await?;
    Ok(())
}

/// Records the events applied (their node and `seq` make a second sending a duplicate).
async fn record_applied(
    tx: &Transaction<'_>,
    fresh: &[&PgEvent],
) -> Result<(), tokio_postgres::Error> {
    if fresh.is_empty() {
        return Ok(());
    }
    let nodes: Vec<&str> = fresh.iter().map(|e| e.node_id.as_str()).collect();
    let seqs: Vec<i64> = fresh.iter().map(|e| e.change.seq as i64).collect();
    let skus: Vec<&str> = fresh.iter().map(|e| e.sku.as_str()).collect();
    let (ops, qtys): (Vec<&str>, Vec<i64>) = fresh.iter().map(|e| op_row(e.change.op)).unzip();
    let ats: Vec<Option<Timestamp>> = fresh.iter().map(|e| e.at).collect();
    tx.execute(
        "INSERT INTO applied_deltas (node_id, seq, sku, op, qty, at) SELECT * FROM \
         unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) \
         ON CONFLICT DO NOTHING",
        &[&nodes, &seqs, &skus, &ops, &qtys, &ats],
    )
    .await?;
    Ok(())
}

/// Writes the feed's figures of `positions` back; returns them as stored, by (node, SKU).
async fn write_positions(
    tx: &Transaction<'_>,
    positions: BTreeMap<(String, String), Position>,
) -> Result<Vec<PgPosition>, tokio_postgres::Error> {
    let n = positions.len();
    let (mut nodes, mut skus) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut on_hand, mut external, mut shipped, mut returned, mut delta_in) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for ((node_id, sku), p) in positions {
        nodes.push(node_id);
        skus.push(sku);
        on_hand.push(i64::from(p.on_hand));
        external.push(i64::from(p.external_reserved));
        shipped.push(p.shipped as i64);
        returned.push(p.returned as i64);
        delta_in.push(p.delta_in);
    }
    let rows = tx
        .query(
            &format!(
                "UPDATE stock_positions SET on_hand = u.oh, external_reserved = u.er, \
                 shipped = u.sh, returned = u.rt, delta_in = u.di \
                 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], \
                             $6::bigint[], $7::bigint[]) AS u(n, s, oh, er, sh, rt, di) \
                 WHERE node_id = u.n AND sku = u.s RETURNING {COLUMNS}"
            ),
            &[
                &nodes, &skus, &on_hand, &external, &shipped, &returned, &delta_in,
            ],
        )
        .await?;
    let mut after: Vec<PgPosition> = rows.iter().map(position).collect();
    after.sort_unstable_by(|a, b| (&a.node_id, &a.sku).cmp(&(&b.node_id, &b.sku)));
    Ok(after)
}

/// How long the change log keeps a change. The sweep of expired reservations (each serve process
/// runs it every second) deletes older ones, always keeping the last; a follower that fell
/// further behind (a process stopped for longer) re-reads every position instead.
pub const KEEP_CHANGES: &str = "1 hour";

/// Deletes the changes older than [`KEEP_CHANGES`], except the last one (its id is the log's
/// position).
async fn prune_changes(tx: &Transaction<'_>) -> Result<(), tokio_postgres::Error> {
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
    if changed.is_empty() {
        return Ok(());
    }
    let nodes: Vec<&str> = changed.iter().map(|p| p.node_id.as_str()).collect();
    let skus: Vec<&str> = changed.iter().map(|p| p.sku.as_str()).collect();
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK])
        .await?;
    tx.execute(
        "INSERT INTO stock_changes (node_id, sku) SELECT * FROM unnest($1::text[], $2::text[])",
        &[&nodes, &skus],
    )
    .await?;
    tx.execute(&format!("NOTIFY {CHANNEL}"), &[]).await?;
    Ok(())
}

/// The expiry and lines of live reservation `id`, its row locked; unknown: refused.
async fn held(
    tx: &Transaction<'_>,
    id: ReservationId,
) -> Result<(Timestamp, Vec<(String, String, i64)>), Failure> {
    let row = tx
        .query_opt(
            "SELECT expires_at FROM reservations WHERE reservation_id = $1 FOR UPDATE",
            &[&(id.0 as i64)],
        )
        .await?;
    let Some(row) = row else {
        return Err(InventoryError::UnknownReservation { id }.into());
    };
    Ok((row.get(0), lines_of(tx, id).await?))
}

async fn lines_of(
    tx: &Transaction<'_>,
    id: ReservationId,
) -> Result<Vec<(String, String, i64)>, tokio_postgres::Error> {
    let rows = tx
        .query(
            "SELECT node_id, sku, qty FROM reservation_lines WHERE reservation_id = $1 \
             ORDER BY node_id, sku",
            &[&(id.0 as i64)],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// Gives the lines of `id` back to routing, ends it with `status`, and logs the change.
async fn free(
    tx: &Transaction<'_>,
    id: ReservationId,
    lines: &[(String, String, i64)],
    status: &str,
) -> Result<Vec<PgPosition>, tokio_postgres::Error> {
    let mut after = Vec::with_capacity(lines.len());
    for (node_id, sku, qty) in lines {
        let row = tx
            .query_one(
                &format!(
                    "UPDATE stock_positions SET reserved = reserved - $3 \
                     WHERE node_id = $1 AND sku = $2 RETURNING {COLUMNS}"
                ),
                &[node_id, sku, qty],
            )
            .await?;
        after.push(position(&row));
    }
    settle(tx, id, status).await?;
    log_changes(tx, &after).await?;
    Ok(after)
}

/// Ends live reservation `id` with `status`.
async fn settle(
    tx: &Transaction<'_>,
    id: ReservationId,
    status: &str,
) -> Result<(), tokio_postgres::Error> {
    let id = id.0 as i64;
    tx.execute("DELETE FROM reservations WHERE reservation_id = $1", &[&id])
        .await?;
    tx.execute(
        "UPDATE decisions SET status = $2 WHERE reservation_id = $1",
        &[&id, &status],
    )
    .await?;
    Ok(())
}

async fn routable(
    tx: &impl GenericClient,
    node_id: &str,
    sku: &str,
) -> Result<u32, tokio_postgres::Error> {
    let row = tx
        .query_opt(
            "SELECT greatest(on_hand - reserved - external_reserved - safety_stock, 0) \
             FROM stock_positions WHERE node_id = $1 AND sku = $2",
            &[&node_id, &sku],
        )
        .await?;
    Ok(row.map_or(0, |r| r.get::<_, i64>(0) as u32))
}

/// The op's name and quantity as `applied_deltas` keeps them.
fn op_row(op: StockOp) -> (&'static str, i64) {
    match op {
        StockOp::Adjust(c) => ("adjust", c),
        StockOp::Set(q) => ("set", i64::from(q)),
        StockOp::Reserve(q) => ("reserve", i64::from(q)),
        StockOp::Release(q) => ("release", i64::from(q)),
        StockOp::Ship(q) => ("ship", i64::from(q)),
        StockOp::Return(q) => ("return", i64::from(q)),
        StockOp::ReturnHeld(q) => ("return_held", i64::from(q)),
    }
}

/// A row of [`COLUMNS`].
pub(super) fn position(row: &Row) -> PgPosition {
    let units = |i: usize| row.get::<_, i64>(i).clamp(0, i64::from(u32::MAX)) as u32;
    let external = units(4);
    PgPosition {
        node_id: row.get(0),
        sku: row.get(1),
        position: Position {
            on_hand: units(2),
            reserved: units(3).saturating_add(external),
            external_reserved: external,
            safety_stock: units(5),
            incoming: omniroute_core::Incoming {
                qty: units(10),
                expected: None,
            },
            shipped: row.get::<_, i64>(6) as u64,
            returned: row.get::<_, i64>(7) as u64,
            delta_in: row.get(8),
            snapshot_in: row.get(9),
        },
    }
}
