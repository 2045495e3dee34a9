//! Reservations as PostgreSQL transactions: all of an order's lines reserved with conditional
//! updates or none, then committed, released or swept when they expire.

use super::conn::Failure;
use super::ledger::{log_keys, position, prune_changes, PgLine, PgPosition, PgStore, COLUMNS};
use super::DbError;
use jiff::Timestamp;
use omniroute_core::{InventoryError, NodeIdx, ReservationId, SkuId};
use std::collections::BTreeMap;
use tokio_postgres::types::{ToSql, Type};
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
        let (nodes, skus): (Vec<&str>, Vec<&str>) = merged.keys().copied().unzip();
        let qtys: Vec<i64> = merged.values().map(|v| v.2).collect();
        let (merged, nodes, skus, qtys) = (&merged, &nodes, &skus, &qtys);
        let update = format!(
            "UPDATE stock_positions SET reserved = reserved + $3 \
             WHERE node_id = $1 AND sku = $2 \
             AND on_hand - reserved - external_reserved - safety_stock >= $3 \
             RETURNING {COLUMNS}"
        );
        let update = &update;
        self.retrying(|mut client| async move {
            let tx = client.transaction().await?;
            let rid = id.0 as i64;
            // Every statement goes out in one pipeline (one round trip), the positions in
            // (node, SKU) order so that two reservations lock them in the same order; the
            // answers are read after, and any refusal rolls the whole transaction back.
            let (inserted, rows, lines, decided, logged) = futures_util::future::join5(
                tx.execute_typed(
                    "INSERT INTO reservations (reservation_id, order_id, expires_at) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[
                        (&rid, Type::INT8),
                        (&order_id, Type::TEXT),
                        (&expires_at, Type::TIMESTAMPTZ),
                    ],
                ),
                futures_util::future::join_all(nodes.iter().zip(skus.iter()).zip(qtys).map(
                    |((node_id, sku), qty)| {
                        let tx = &tx;
                        async move {
                            let params: [(&(dyn ToSql + Sync), Type); 3] =
                                [(node_id, Type::TEXT), (sku, Type::TEXT), (qty, Type::INT8)];
                            tx.query_typed_opt(update, &params).await
                        }
                    },
                )),
                tx.execute_typed(
                    "INSERT INTO reservation_lines (reservation_id, node_id, sku, qty) \
                     SELECT $1, * FROM unnest($2, $3, $4)",
                    &[
                        (&rid, Type::INT8),
                        (nodes, Type::TEXT_ARRAY),
                        (skus, Type::TEXT_ARRAY),
                        (qtys, Type::INT8_ARRAY),
                    ],
                ),
                tx.execute_typed(
                    "INSERT INTO decisions (reservation_id, order_id, status, decision) \
                     VALUES ($1, $2, 'reserved', $3) ON CONFLICT (reservation_id) DO UPDATE \
                     SET status = 'reserved', decision = EXCLUDED.decision",
                    &[
                        (&rid, Type::INT8),
                        (&order_id, Type::TEXT),
                        (&tokio_postgres::types::Json(decision), Type::JSONB),
                    ],
                ),
                log_keys(&tx, nodes, skus),
            )
            .await;
            // A duplicate makes the line rows collide: it is the answer, not that error.
            if inserted? == 0 {
                return Err(InventoryError::DuplicateReservation { id }.into());
            }
            let mut after = Vec::with_capacity(merged.len());
            for (row, (&(node_id, sku), &(node, sku_id, qty))) in rows.into_iter().zip(merged) {
                let Some(row) = row? else {
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
                after.push(position(&row));
            }
            lines?;
            decided?;
            logged?;
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
            let ship = format!(
                "UPDATE stock_positions SET on_hand = on_hand - $3, \
                 reserved = reserved - $3, shipped = shipped + $3 \
                 WHERE node_id = $1 AND sku = $2 AND on_hand >= $3 RETURNING {COLUMNS}"
            );
            let (rows, settled) = per_line(&tx, id, &lines, &ship, "committed").await;
            let mut after = Vec::with_capacity(lines.len());
            for (row, (node_id, sku, qty)) in rows.into_iter().zip(&lines) {
                let Some(row) = row? else {
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
            settled?;
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
) -> Result<Vec<PgPosition>, Failure> {
    let give_back = format!(
        "UPDATE stock_positions SET reserved = reserved - $3 \
         WHERE node_id = $1 AND sku = $2 RETURNING {COLUMNS}"
    );
    let (rows, settled) = per_line(tx, id, lines, &give_back, status).await;
    let mut after = Vec::with_capacity(lines.len());
    for row in rows {
        let Some(row) = row? else {
            return Err(Failure::Other(DbError::Query {
                message: format!("reservation {}: a line's stock position is gone", id.0),
            }));
        };
        after.push(position(&row));
    }
    settled?;
    Ok(after)
}

/// Runs `update` (parameters: node id, SKU, units) for each of reservation `id`'s `lines`,
/// ends the reservation with `status` and logs the change, all in one pipeline (one round
/// trip), in the lines' (node, SKU) order. Returns each line's updated row (`None`: the
/// update's condition refused it) and the outcome of the rest; a caller that finds a refusal
/// returns an error, and the transaction rolls back.
async fn per_line(
    tx: &Transaction<'_>,
    id: ReservationId,
    lines: &[(String, String, i64)],
    update: &str,
    status: &str,
) -> (
    Vec<Result<Option<tokio_postgres::Row>, tokio_postgres::Error>>,
    Result<(), tokio_postgres::Error>,
) {
    let rid = id.0 as i64;
    let nodes: Vec<&str> = lines.iter().map(|l| l.0.as_str()).collect();
    let skus: Vec<&str> = lines.iter().map(|l| l.1.as_str()).collect();
    let (rows, deleted, marked, logged) = futures_util::future::join4(
        futures_util::future::join_all(lines.iter().map(|(node_id, sku, qty)| async move {
            tx.query_typed_opt(
                update,
                &[(node_id, Type::TEXT), (sku, Type::TEXT), (qty, Type::INT8)],
            )
            .await
        })),
        tx.execute_typed(
            "DELETE FROM reservations WHERE reservation_id = $1",
            &[(&rid, Type::INT8)],
        ),
        tx.execute_typed(
            "UPDATE decisions SET status = $2 WHERE reservation_id = $1",
            &[(&rid, Type::INT8), (&status, Type::TEXT)],
        ),
        log_keys(tx, &nodes, &skus),
    )
    .await;
    let settled = deleted.and(marked).and(logged);
    (rows, settled)
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
