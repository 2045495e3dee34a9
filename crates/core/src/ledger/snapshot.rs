//! Snapshot replace (a full stock count) and incoming stock.

use super::position::{Incoming, StockRow};
use super::shards::Locked;
use super::{Inventory, InventoryError};
use crate::{NodeIdx, SkuId};

impl Inventory {
    /// Replaces the stock of every position with `rows`, atomically: listed positions take the
    /// row's on-hand, bulk reserved and safety stock; positions not listed drop to zero.
    ///
    /// Live reservations, incoming stock, counters and delta sequence numbers are kept (a
    /// snapshot corrects the count; it does not cancel orders). When a position appears in
    /// several rows, the last row wins. The change in on-hand is booked in `snapshot_in`.
    pub fn replace_snapshot(&self, rows: impl IntoIterator<Item = StockRow>) {
        let rows: Vec<StockRow> = rows.into_iter().collect();
        let mut locked = Locked::all(&self.shards);
        for (_, slot) in locked.iter_mut() {
            slot.set_snapshot(0, 0, 0);
        }
        apply_rows(&mut locked, &rows);
    }

    /// [`Inventory::replace_snapshot`] for the positions of one node only; the other nodes are
    /// untouched. Fails with [`InventoryError::SnapshotNodeMismatch`], replacing nothing, if a
    /// row names another node.
    pub fn replace_node_snapshot(
        &self,
        node: NodeIdx,
        rows: impl IntoIterator<Item = StockRow>,
    ) -> Result<(), InventoryError> {
        let rows: Vec<StockRow> = rows.into_iter().collect();
        if let Some(stray) = rows.iter().find(|r| r.node != node) {
            return Err(InventoryError::SnapshotNodeMismatch {
                expected: node,
                got: stray.node,
            });
        }
        let mut locked = Locked::all(&self.shards);
        for (_, slot) in locked.iter_mut().filter(|((n, _), _)| *n == node) {
            slot.set_snapshot(0, 0, 0);
        }
        apply_rows(&mut locked, &rows);
        Ok(())
    }

    /// Replaces the listed positions only (on-hand, bulk reserved, safety stock), as one
    /// atomic change; every other position is untouched. For a ledger that mirrors positions
    /// kept elsewhere (a database), row by row as they change.
    pub fn replace_rows(&self, rows: &[StockRow]) {
        let mut locked = Locked::skus(&self.shards, rows.iter().map(|r| r.sku));
        apply_rows(&mut locked, rows);
    }

    /// Records the units of `sku` on their way to `node` (replacing the previous figure).
    /// Incoming units are never routable.
    pub fn set_incoming(&self, node: NodeIdx, sku: SkuId, incoming: Incoming) {
        Locked::skus(&self.shards, [sku]).slot(node, sku).incoming = incoming;
    }
}

fn apply_rows(locked: &mut Locked<'_>, rows: &[StockRow]) {
    locked.fill(rows, |slot, row| {
        slot.set_snapshot(row.on_hand, row.reserved, row.safety_stock);
    });
}
