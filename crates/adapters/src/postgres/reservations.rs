//! Reservations as PostgreSQL transactions: all of an order's lines reserved with conditional
//! updates or none, then committed, released or swept when they expire.

use super::conn::Failure;
use super::ledger::{log_changes, position, prune_changes, PgLine, PgPosition, PgStore, COLUMNS};
use super::DbError;
use jiff::Timestamp;
use omniroute_core::{InventoryError, NodeIdx, ReservationId, SkuId};
use std::collections::BTreeMap;
use tokio_postgres::{GenericClient, Transaction};

impl PgStore {
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

pub(super) async fn lines_of(
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
