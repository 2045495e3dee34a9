//! `omniroute db load`: the network's nodes and a stock snapshot into the database.

use super::ledger::{position, PgStore};
use super::DbError;
use crate::StockRecord;
use omniroute_core::{Network, Skus};

impl PgStore {
    /// Writes every node of `network` (new ones added, known ones updated) and replaces the
    /// stock with `stock` as a snapshot does: listed positions take the row's on-hand, bulk
    /// reserved and safety stock, and its incoming units and their date (`incoming_qty`,
    /// `incoming_date`: 0 and none when the row gives none), positions not listed drop to 0
    /// (their incoming units are kept); live reservations and counters are kept. One
    /// transaction. Returns the number of positions written.
    pub async fn load(
        &self,
        network: &Network,
        skus: &Skus,
        stock: &[StockRecord],
    ) -> Result<u64, DbError> {
        let mut client = self.client().await;
        let tx = client.transaction().await?;
        let nodes = network.nodes();
        let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        let kinds: Vec<String> = nodes.iter().map(|n| n.kind.to_string()).collect();
        let lats: Vec<f64> = nodes.iter().map(|n| n.location.lat_deg()).collect();
        let lons: Vec<f64> = nodes.iter().map(|n| n.location.lon_deg()).collect();
        let active: Vec<bool> = nodes.iter().map(|n| n.active).collect();
        tx.execute(
            "INSERT INTO nodes (node_id, kind, lat, lon, active) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::bool[]) \
             ON CONFLICT (node_id) DO UPDATE SET kind = EXCLUDED.kind, lat = EXCLUDED.lat, \
             lon = EXCLUDED.lon, active = EXCLUDED.active",
            &[&ids, &kinds, &lats, &lons, &active],
        )
        .await?;
        tx.execute(
            "UPDATE stock_positions SET snapshot_in = snapshot_in - on_hand, on_hand = 0, \
             external_reserved = 0, safety_stock = 0",
            &[],
        )
        .await?;
        let node_ids: Vec<&str> = stock
            .iter()
            .map(|r| network.node(r.node).id.as_str())
            .collect();
        let names: Vec<&str> = stock.iter().map(|r| skus.name(r.sku)).collect();
        let column = |f: fn(&StockRecord) -> u32| -> Vec<i64> {
            stock.iter().map(|r| i64::from(f(r))).collect()
        };
        let arrivals: Vec<Option<jiff::civil::Date>> =
            stock.iter().map(|r| r.incoming.expected).collect();
        let rows = tx
            .query(
                &format!(
                    "INSERT INTO stock_positions AS p \
                     (node_id, sku, on_hand, external_reserved, safety_stock, snapshot_in, \
                     incoming_qty, incoming_date) \
                     SELECT n, s, q, r, h, q, i, d FROM unnest($1::text[], $2::text[], \
                     $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::date[]) \
                     AS t(n, s, q, r, h, i, d) \
                     ON CONFLICT (node_id, sku) DO UPDATE SET on_hand = EXCLUDED.on_hand, \
                     external_reserved = EXCLUDED.external_reserved, \
                     safety_stock = EXCLUDED.safety_stock, \
                     incoming_qty = EXCLUDED.incoming_qty, \
                     incoming_date = EXCLUDED.incoming_date, \
                     snapshot_in = p.snapshot_in + EXCLUDED.on_hand RETURNING {}",
                    super::ledger::COLUMNS
                ),
                &[
                    &node_ids,
                    &names,
                    &column(|r| r.on_hand),
                    &column(|r| r.reserved),
                    &column(|r| r.safety_stock),
                    &column(|r| r.incoming.qty),
                    &arrivals,
                ],
            )
            .await?;
        let every = tx
            .query(
                &format!("SELECT {} FROM stock_positions", super::ledger::COLUMNS),
                &[],
            )
            .await?;
        let changed: Vec<_> = every.iter().map(position).collect();
        super::ledger::log_changes(&tx, &changed).await?;
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}
