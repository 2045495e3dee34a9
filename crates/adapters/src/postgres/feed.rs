//! Feed events applied as one PostgreSQL transaction per batch, by the in-memory ledger's rules
//! (`SeqState` for duplicates and gaps, `Position::after` for the units).

use super::ledger::{log_changes, position, PgEvent, PgPosition, PgStore, COLUMNS};
use super::DbError;
use futures_util::future::{try_join, try_join3};
use jiff::Timestamp;
use omniroute_core::{DeltaOutcome, Position, SeqState, StockOp};
use std::collections::BTreeMap;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::Transaction;

/// The first key of the advisory lock each node's feed takes (the second is its id's hash).
const SEQ_LOCK: i32 = 0x6f6d_7371;

impl PgStore {
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
            // The three writes in one pipeline (one round trip), then the change log.
            let ((), (), after) = try_join3(
                write_seqs(&tx, &seqs),
                record_applied(&tx, &fresh),
                write_positions(&tx, positions),
            )
            .await?;
            log_changes(&tx, &after).await?;
            tx.commit().await?;
            Ok((outcomes, after))
        })
        .await
    }
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
    let keys = [(&nodes, Type::TEXT_ARRAY), (&skus, Type::TEXT_ARRAY)];
    let keys = keys.map(|(k, t)| (k as &(dyn ToSql + Sync), t));
    let select = format!(
        "SELECT {COLUMNS} FROM stock_positions \
         WHERE (node_id, sku) IN (SELECT * FROM unnest($1::text[], $2::text[])) \
         ORDER BY node_id COLLATE \"C\", sku COLLATE \"C\" FOR UPDATE"
    );
    // Created, then locked: two statements in one pipeline (one round trip).
    let (_, rows) = try_join(
        tx.execute_typed(
            "INSERT INTO stock_positions (node_id, sku) \
             SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
            &keys,
        ),
        tx.query_typed(&select, &keys),
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
    let node_list: [(&(dyn ToSql + Sync), Type); 1] = [(&nodes, Type::TEXT_ARRAY)];
    // The lock, then what it guards: three statements in one pipeline (one round trip), run by
    // the server in order.
    let (_, runs, waiting) = try_join3(
        tx.execute_typed(
            "SELECT pg_advisory_xact_lock($1, hashtext(n)) FROM unnest($2::text[]) AS u(n)",
            &[(&SEQ_LOCK, Type::INT4), (&nodes, Type::TEXT_ARRAY)],
        ),
        tx.query_typed(
            "SELECT node_id, contiguous FROM feed_seqs WHERE node_id = ANY($1)",
            &node_list,
        ),
        tx.query_typed(
            // Per node, an index range of the primary key (node_id, seq) above its run: a plain
            // join scanned every applied row of the node, so each event cost more than the last.
            "SELECT f.node_id, a.seq FROM feed_seqs f CROSS JOIN LATERAL \
               (SELECT seq FROM applied_deltas WHERE node_id = f.node_id AND seq > f.contiguous) a \
             WHERE f.node_id = ANY($1)",
            &node_list,
        ),
    )
    .await?;
    let runs: BTreeMap<String, i64> = runs.iter().map(|r| (r.get(0), r.get(1))).collect();
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
    tx.execute_typed(
        "INSERT INTO feed_seqs (node_id, contiguous) SELECT * FROM unnest($1::text[], $2::bigint[]) \
         ON CONFLICT (node_id) DO UPDATE SET contiguous = EXCLUDED.contiguous",
        &[(&nodes, Type::TEXT_ARRAY), (&runs, Type::INT8_ARRAY)],
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
    tx.execute_typed(
        "INSERT INTO applied_deltas (node_id, seq, sku, op, qty, at) SELECT * FROM \
         unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[]) \
         ON CONFLICT DO NOTHING",
        &[
            (&nodes, Type::TEXT_ARRAY),
            (&seqs, Type::INT8_ARRAY),
            (&skus, Type::TEXT_ARRAY),
            (&ops, Type::TEXT_ARRAY),
            (&qtys, Type::INT8_ARRAY),
            (&ats, Type::TIMESTAMPTZ_ARRAY),
        ],
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
    let int8 = |v| (v, Type::INT8_ARRAY);
    let rows = tx
        .query_typed(
            &format!(
                "UPDATE stock_positions SET on_hand = u.oh, external_reserved = u.er, \
                 shipped = u.sh, returned = u.rt, delta_in = u.di \
                 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], \
                             $6::bigint[], $7::bigint[]) AS u(n, s, oh, er, sh, rt, di) \
                 WHERE node_id = u.n AND sku = u.s RETURNING {COLUMNS}"
            ),
            &[
                (&nodes as &(dyn ToSql + Sync), Type::TEXT_ARRAY),
                (&skus, Type::TEXT_ARRAY),
                int8(&on_hand as &(dyn ToSql + Sync)),
                int8(&external),
                int8(&shipped),
                int8(&returned),
                int8(&delta_in),
            ],
        )
        .await?;
    let mut after: Vec<PgPosition> = rows.iter().map(position).collect();
    after.sort_unstable_by(|a, b| (&a.node_id, &a.sku).cmp(&(&b.node_id, &b.sku)));
    Ok(after)
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
