//! The ledger in PostgreSQL, with a [`LiveStock`] mirror (see the parent module).

use super::{Ledger, LedgerError};
use jiff::{SignedDuration, Timestamp};
use omniroute_adapters::postgres::{listen, DbError, PgEvent, PgLine, PgPosition, PgStore};
use omniroute_core::{
    Decision, DeltaOutcome, InventoryError, LiveStock, Network, NodeIdx, Order, ReservationId,
    ReserveLine, Router, SkuId, Skus, StockChange, StockRow,
};
use parking_lot::RwLock;
use serde_json::json;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Times an order is routed again after the database refused its reservation (another process
/// took the units first); each time the mirror has re-read what changed.
const ROUTE_ATTEMPTS: usize = 8;

/// Connections each serve process opens to the database (plus one that listens).
pub const CONNECTIONS: usize = 4;

pub(crate) struct Db {
    /// The runtime the database's connections live on. Requests call the database from
    /// synchronous code (`block`) and may hold the service's locks meanwhile, blocking the
    /// service's own worker threads; the connections are driven here, where nothing blocks,
    /// so a call always completes.
    runtime: Option<tokio::runtime::Runtime>,
    store: PgStore,
    url: String,
    network: Arc<Network>,
    skus: Arc<RwLock<Skus>>,
    seen: tokio::sync::Mutex<Seen>,
    /// Re-reads of the change log begun so far; each takes the next number (under `seen`).
    begun: AtomicU64,
}

/// What the mirror has read of the change log.
#[derive(Debug, Default)]
struct Seen {
    /// The last change id read.
    last: i64,
    /// The number of the last re-read that finished (`None` before the first).
    finished: Option<u64>,
    /// Positions of SKUs the process did not know when they were read, numbered by the
    /// follower (a request may hold the SKU table for reading).
    pending: Vec<PgPosition>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // The service may be dropped inside an async context, where a runtime cannot block.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs `f` to completion from synchronous code on a multi-threaded tokio runtime.
fn block<T>(f: impl Future<Output = T>) -> T {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

impl Ledger {
    /// The ledger kept in the database at `url` (migrated: [`DbError::Schema`] otherwise), its
    /// mirror loaded from the database's positions; SKUs new to `skus` are added. Returns the
    /// first reservation id this process may give (ids of two processes never meet).
    pub async fn postgres(
        router: Arc<Router>,
        url: &str,
        network: Arc<Network>,
        skus: Arc<RwLock<Skus>>,
    ) -> Result<(Ledger, u64), DbError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("omniroute-pg")
            .enable_all()
            .build()
            .map_err(|e| DbError::Connect {
                message: format!("cannot start the database's runtime: {e}"),
            })?;
        let owned = url.to_owned();
        let store = runtime
            .spawn(async move { PgStore::connect(&owned, CONNECTIONS).await })
            .await
            .map_err(|e| DbError::Connect {
                message: e.to_string(),
            })??;
        store.check_schema().await?;
        let (last, positions) = store.positions().await?;
        let rows = {
            let mut names = skus.write();
            positions
                .iter()
                .map(|p| stock_row(&network, &mut names, p))
                .collect::<Result<Vec<_>, _>>()?
        };
        let first_id = (store.instance_number().await? << 32) + 1;
        let db = Db {
            runtime: Some(runtime),
            store,
            url: url.to_owned(),
            network,
            skus,
            seen: tokio::sync::Mutex::new(Seen {
                last,
                ..Seen::default()
            }),
            begun: AtomicU64::new(0),
        };
        let ledger = Ledger {
            live: LiveStock::new(router, rows),
            db: Some(db),
        };
        Ok((ledger, first_id))
    }

    /// The database, if the ledger is kept in one.
    pub(crate) fn database(&self) -> Option<&Db> {
        self.db.as_ref()
    }
}

/// The mirror's row of a database position; a node the network lacks is [`DbError::UnknownNode`].
fn stock_row(network: &Network, skus: &mut Skus, p: &PgPosition) -> Result<StockRow, DbError> {
    let node = network
        .find(&p.node_id)
        .ok_or_else(|| DbError::UnknownNode {
            node_id: p.node_id.clone(),
        })?;
    Ok(StockRow {
        node,
        sku: skus.intern(&p.sku),
        on_hand: p.position.on_hand,
        reserved: p.position.reserved,
        safety_stock: p.position.safety_stock,
    })
}

impl Db {
    /// Re-reads every position changed since the last change read into `live`. With `intern`,
    /// SKUs new to the process are added (the caller holds no lock on the SKU table); without,
    /// their positions wait for the follower.
    ///
    /// Re-reads are coalesced: one that began after the caller's call (so after what the caller
    /// committed) answers it, and the caller returns without reading again (unless it may
    /// intern and positions of new SKUs still wait).
    async fn catch_up(&self, live: &LiveStock, intern: bool) -> Result<(), DbError> {
        let need = self.begun.load(Ordering::SeqCst);
        let mut seen = self.seen.lock().await;
        if seen.finished.is_some_and(|f| f >= need) && (!intern || seen.pending.is_empty()) {
            return Ok(());
        }
        let number = self.begun.fetch_add(1, Ordering::SeqCst);
        let (last, changed) = self.store.changes_since(seen.last).await?;
        seen.last = last;
        seen.pending.extend(changed);
        let mut rows = Vec::with_capacity(seen.pending.len());
        let mut waiting = Vec::new();
        {
            let names = self.skus.read_recursive();
            for p in seen.pending.drain(..) {
                match (self.network.find(&p.node_id), names.get(&p.sku)) {
                    (Some(node), Some(sku)) => rows.push(StockRow {
                        node,
                        sku,
                        on_hand: p.position.on_hand,
                        reserved: p.position.reserved,
                        safety_stock: p.position.safety_stock,
                    }),
                    (Some(_), None) => waiting.push(p),
                    // A node this process's nodes file lacks: it cannot route to it.
                    (None, _) => {}
                }
            }
        }
        if intern && !waiting.is_empty() {
            // Not `write()`: a request may hold the table for reading while it waits for
            // `seen`; the positions then wait for the next pass.
            if let Some(mut names) = self.skus.try_write() {
                for p in waiting.drain(..) {
                    rows.push(stock_row(&self.network, &mut names, &p)?);
                }
            }
        }
        seen.pending = waiting;
        live.replace_rows(&rows);
        seen.finished = Some(number);
        Ok(())
    }

    pub(super) fn route_and_reserve(
        &self,
        live: &LiveStock,
        router: &Router,
        order: &Order,
        id: ReservationId,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<Decision, LedgerError> {
        let expires_at = now.checked_add(ttl).unwrap_or(Timestamp::MAX);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let decision = live.quote_by(router, order, now);
            let lines = self.lines(&decision.reserve_lines(order));
            let stored = json!({
                "order_id": order.id,
                "lines": lines.iter().map(|l| json!({"node_id": l.node_id, "sku": l.sku_name, "qty": l.qty})).collect::<Vec<_>>(),
            });
            let result = block(async {
                let reserved = self
                    .store
                    .reserve(id, &order.id, &lines, expires_at, &stored)
                    .await;
                // The mirror follows, whatever the answer: this reservation, or what another
                // process took first.
                self.catch_up(live, false).await?;
                reserved
            });
            match result {
                Ok(_) => {
                    live.count_reserved(id, order, &decision, now);
                    return Ok(decision);
                }
                Err(DbError::Refused(InventoryError::InsufficientStock { .. }))
                    if attempt < ROUTE_ATTEMPTS => {}
                Err(DbError::Refused(e)) => return Err(LedgerError::Refused(e)),
                Err(e) => return Err(LedgerError::Db(e)),
            }
        }
    }

    pub(super) fn commit(
        &self,
        live: &LiveStock,
        id: ReservationId,
        now: Timestamp,
    ) -> Result<(), LedgerError> {
        let ids = |node_id: &str, sku: &str| {
            // Both are known: the reservation was made from them.
            let node = self.network.find(node_id).unwrap_or(NodeIdx(u32::MAX));
            let sku = self
                .skus
                .read_recursive()
                .get(sku)
                .unwrap_or(SkuId(u32::MAX));
            (node, sku)
        };
        let (_, outcome) = block(async {
            let done = self.store.commit(id, now, &ids).await;
            self.catch_up(live, true).await?;
            done
        })
        .map_err(db_error)?;
        match &outcome {
            Ok(()) => live.count_settled(id, true),
            Err(InventoryError::Expired { .. }) => live.count_settled(id, false),
            Err(_) => {}
        }
        Ok(outcome?)
    }

    pub(super) fn release(&self, live: &LiveStock, id: ReservationId) -> Result<(), LedgerError> {
        block(async {
            let done = self.store.release(id).await;
            self.catch_up(live, true).await?;
            done
        })
        .map_err(db_error)?;
        live.count_settled(id, false);
        Ok(())
    }

    pub(super) fn expire(&self, live: &LiveStock, now: Timestamp) -> Vec<ReservationId> {
        let swept = block(async {
            let swept = self.store.expire(now).await;
            self.catch_up(live, true).await?;
            swept
        });
        match swept {
            Ok((ids, _)) => {
                for &id in &ids {
                    live.count_settled(id, false);
                }
                ids
            }
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "expiry sweep failed");
                Vec::new()
            }
        }
    }

    pub(super) fn apply_changes(
        &self,
        live: &LiveStock,
        changes: &[StockChange],
    ) -> Result<Vec<DeltaOutcome>, LedgerError> {
        let events: Vec<PgEvent> = {
            let names = self.skus.read_recursive();
            changes
                .iter()
                .map(|&change| PgEvent {
                    change,
                    node_id: self.network.node(change.node).id.clone(),
                    sku: names.name(change.sku).to_owned(),
                    at: None,
                })
                .collect()
        };
        let (outcomes, _) = block(async {
            let done = self.store.apply(&events).await;
            self.catch_up(live, true).await?;
            done
        })
        .map_err(db_error)?;
        Ok(outcomes)
    }

    pub(super) fn live_reservations(&self) -> usize {
        block(self.store.live_reservations())
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) fn reservation(&self, id: ReservationId) -> Option<(Vec<ReserveLine>, Timestamp)> {
        let (expires_at, lines) = block(self.store.reservation(id)).ok()??;
        let names = self.skus.read_recursive();
        let lines = lines
            .into_iter()
            .filter_map(|(node_id, sku, qty)| {
                Some(ReserveLine {
                    node: self.network.find(&node_id)?,
                    sku: names.get(&sku)?,
                    qty,
                })
            })
            .collect();
        Some((lines, expires_at))
    }

    /// The reservation's lines with the names the database keys positions by.
    fn lines(&self, lines: &[ReserveLine]) -> Vec<PgLine> {
        let names = self.skus.read_recursive();
        lines
            .iter()
            .map(|l| PgLine {
                node: l.node,
                node_id: self.network.node(l.node).id.clone(),
                sku: l.sku,
                sku_name: names.name(l.sku).to_owned(),
                qty: l.qty,
            })
            .collect()
    }
}

fn db_error(e: DbError) -> LedgerError {
    match e {
        DbError::Refused(e) => LedgerError::Refused(e),
        e => LedgerError::Db(e),
    }
}

/// Follows the other processes' changes into the service's mirror until the task is dropped
/// (nothing to do without a database): listens on the database's channel, re-reads the changes
/// after each notification and once a second, and after a lost connection reconnects and
/// re-reads every change it missed.
pub async fn follow(service: Arc<crate::Service>) {
    let Some(handle) = service
        .ledger()
        .database()
        .and_then(|db| db.runtime.as_ref())
        .map(|r| r.handle().clone())
    else {
        return;
    };
    // On the database's runtime: the service's workers may be blocked by requests.
    let _ = handle.spawn(follow_on(service)).await;
}

async fn follow_on(service: Arc<crate::Service>) {
    let ledger = service.ledger();
    let Some(db) = ledger.database() else {
        return;
    };
    let live = ledger.mirror();
    loop {
        match listen(&db.url).await {
            Ok((_client, mut notified)) => loop {
                if let Err(e) = db.catch_up(live, true).await {
                    tracing::warn!(code = e.code(), error = %e, "re-reading the database failed");
                }
                let tick = tokio::time::sleep(Duration::from_secs(1));
                tokio::select! {
                    n = notified.recv() => if n.is_none() { break },
                    () = tick => {}
                }
                // Many notifications may be queued: one re-read covers them all.
                while notified.try_recv().is_ok() {}
            },
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "listening to the database failed");
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
