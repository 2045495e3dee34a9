//! Live stock: a kept [`Router`], the concurrent [`Inventory`] and the router's [`StockTable`]
//! kept in step with it, for a long-running service or binding that routes and reserves orders
//! one at a time while stock changes; with the node capacity the day's orders use
//! (`day_load.rs`), so capacity counts across orders as in a sequential batch. For a front end
//! whose routers and ledgers are separate objects, `tracked.rs` keeps one table per router.
//!
//! # In step, incrementally
//!
//! Every change goes through [`LiveStock`], and each one rewrites only the table positions it
//! touched (a reservation's lines, a delta's position) from the ledger's routable units less the
//! policy's safety hold ([`Router::safety_hold`]), exactly what [`Router::stock_table`] would list
//! for them. The table is never rebuilt per order; the ledger stays private so nothing can change
//! it behind the table's back.
//!
//! # Route and reserve is atomic
//!
//! The table sits in one `RwLock`. Quotes route under a read lock and run side by side.
//! [`LiveStock::route_and_reserve`] routes under an *upgradable* read lock (readers go on, but no
//! writer and no other reservation can enter), then upgrades it to reserve in the ledger and
//! update the table. So nothing changes between routing and reserving: the reservation always
//! fits, and two requests for the last unit are served one after the other, the second routed
//! against the stock the first left. Every other change (commit, release, expiry, deltas,
//! returns) takes the write lock for the ledger operation and its table update only.
//!
//! The alternative, routing optimistically under a read lock and re-routing when the ledger
//! refuses, lets reservations route in parallel, but a decision may then rest on a table that
//! changed in between (restocked elsewhere), so it need not equal what the same order routed at
//! its reservation time gives. Routing one order takes microseconds, so serialising the
//! reservations costs little and keeps the decision exactly the dry run's.

mod day_load;
#[cfg(test)]
mod tests;
mod tracked;
#[cfg(test)]
mod tracked_tests;

pub use tracked::{KeptTable, TrackedInventory, JOURNAL_POSITIONS};

use crate::{
    Decision, Delta, DeltaOutcome, Inventory, InventoryError, NodeIdx, Order, Position,
    ReservationId, ReserveLine, Router, SkuId, StockChange, StockRow, StockTable,
};
use day_load::DayLoad;
use jiff::{SignedDuration, Timestamp};
use parking_lot::{RwLock, RwLockUpgradableReadGuard};
use std::sync::Arc;

/// A kept router and the live ledger it routes against (`Send + Sync`; every method takes
/// `&self`).
///
/// ```
/// # use omniroute_core::*;
/// let net = Network::new(vec![
///     Node::new("A", NodeKind::Store, LatLng::new(28.60, 77.20)?),
///     Node::new("B", NodeKind::Store, LatLng::new(28.90, 77.50)?),
/// ])?;
/// let row = |n, on_hand| StockRow { node: NodeIdx(n), sku: SkuId(0), on_hand, reserved: 0, safety_stock: 0 };
/// let live = LiveStock::new(Router::new(net, Policy::default()), [row(0, 1), row(1, 1)]);
/// let line = OrderLine { line_no: 1, sku: SkuId(0), qty: 1, unit_price_cents: None };
/// let order = Order::new("O1", LatLng::new(28.61, 77.21)?, vec![line]);
/// let now: jiff::Timestamp = "2026-11-26T06:00:00Z".parse()?;
/// let ttl = jiff::SignedDuration::from_mins(15);
/// let first = live.route_and_reserve(&order, ReservationId(1), now, ttl)?;
/// assert_eq!(first.shipments[0].node, NodeIdx(0)); // the nearer store
/// let second = live.route_and_reserve(&order, ReservationId(2), now, ttl)?;
/// assert_eq!(second.shipments[0].node, NodeIdx(1)); // A's unit is held
/// live.release(ReservationId(1))?;
/// assert_eq!(live.quote(&order, now).shipments[0].node, NodeIdx(0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LiveStock {
    router: Arc<Router>,
    inventory: Inventory,
    table: RwLock<Kept>,
}

/// What the router reads, in step with the ledger: the stock table and the day's node load.
#[derive(Debug)]
struct Kept {
    stock: StockTable,
    load: DayLoad,
}

impl LiveStock {
    /// Loads the ledger from a stock snapshot and builds the table once.
    pub fn new(router: impl Into<Arc<Router>>, rows: impl IntoIterator<Item = StockRow>) -> Self {
        let router = router.into();
        let inventory = Inventory::new();
        inventory.replace_snapshot(rows);
        let stock = router.stock_table(inventory.routable_positions());
        LiveStock {
            router,
            inventory,
            table: RwLock::new(Kept {
                stock,
                load: DayLoad::default(),
            }),
        }
    }

    /// The kept router.
    pub fn router(&self) -> &Arc<Router> {
        &self.router
    }

    /// Routes `order` against the live stock and the node capacity the day's orders use
    /// (`day_load.rs`); nothing is reserved. `now` is the reference time for an order without
    /// `created_at`.
    pub fn quote(&self, order: &Order, now: Timestamp) -> Decision {
        let kept = self.table.read();
        self.router
            .route(order, &kept.stock, &kept.load.at(now), now)
    }

    /// Routes `order` and reserves its shipped lines under `id` until `now + ttl`, atomically
    /// (see the module docs): the decision is the one [`LiveStock::quote`] gives at that moment.
    /// Fails, changing nothing, only when `id` is already live
    /// ([`InventoryError::DuplicateReservation`]).
    pub fn route_and_reserve(
        &self,
        order: &Order,
        id: ReservationId,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<Decision, InventoryError> {
        let kept = self.table.upgradable_read();
        let decision = self
            .router
            .route(order, &kept.stock, &kept.load.at(now), now);
        let lines = decision.reserve_lines(order);
        let mut kept = RwLockUpgradableReadGuard::upgrade(kept);
        self.inventory.reserve(id, &lines, now, ttl)?;
        self.sync(&mut kept.stock, lines.iter().map(|l| (l.node, l.sku)));
        kept.load.hold(id, &decision, now);
        Ok(decision)
    }

    /// Ships reservation `id` ([`Inventory::commit`]). An expired one is released instead
    /// ([`InventoryError::Expired`]) and its units are routable again.
    pub fn commit(&self, id: ReservationId, now: Timestamp) -> Result<(), InventoryError> {
        self.settle(id, |inv, load| {
            let result = inv.commit(id, now);
            match result {
                Ok(()) => load.commit(id, now),
                Err(InventoryError::Expired { .. }) => load.free(id),
                Err(_) => {}
            }
            result
        })
    }

    /// Frees reservation `id` ([`Inventory::release`]).
    pub fn release(&self, id: ReservationId) -> Result<(), InventoryError> {
        self.settle(id, |inv, load| {
            inv.release(id)?;
            load.free(id);
            Ok(())
        })
    }

    /// Releases every reservation expired at `now`; returns their ids, sorted.
    pub fn expire(&self, now: Timestamp) -> Vec<ReservationId> {
        let mut kept = self.table.write();
        let expired = self.inventory.expire_held(now);
        let touched = expired.iter().flat_map(|(_, lines)| lines);
        self.sync(&mut kept.stock, touched.map(|l| (l.node, l.sku)));
        for (id, _) in &expired {
            kept.load.free(*id);
        }
        expired.into_iter().map(|(id, _)| id).collect()
    }

    /// Applies sequenced deltas, all or nothing ([`Inventory::apply_deltas`]: duplicates
    /// ignored, gaps applied and reported).
    pub fn apply_deltas(&self, deltas: &[Delta]) -> Result<Vec<DeltaOutcome>, InventoryError> {
        let mut kept = self.table.write();
        let outcomes = self.inventory.apply_deltas(deltas)?;
        self.sync(&mut kept.stock, deltas.iter().map(|d| (d.node, d.sku)));
        Ok(outcomes)
    }

    /// Applies sequenced feed events of every kind, all or nothing
    /// ([`Inventory::apply_changes`]).
    pub fn apply_changes(
        &self,
        changes: &[StockChange],
    ) -> Result<Vec<DeltaOutcome>, InventoryError> {
        let mut kept = self.table.write();
        let outcomes = self.inventory.apply_changes(changes)?;
        self.sync(&mut kept.stock, changes.iter().map(|d| (d.node, d.sku)));
        Ok(outcomes)
    }

    /// Replaces the listed positions ([`Inventory::replace_rows`]): a mirror of positions kept
    /// elsewhere follows them row by row.
    pub fn replace_rows(&self, rows: &[StockRow]) {
        let mut kept = self.table.write();
        self.inventory.replace_rows(rows);
        self.sync(&mut kept.stock, rows.iter().map(|r| (r.node, r.sku)));
    }

    /// Adds returned units to on-hand ([`Inventory::return_units`]).
    pub fn return_units(&self, node: NodeIdx, sku: SkuId, qty: u32) -> Result<(), InventoryError> {
        let mut kept = self.table.write();
        self.inventory.return_units(node, sku, qty)?;
        self.sync(&mut kept.stock, [(node, sku)]);
        Ok(())
    }

    /// The ledger's position of `sku` at `node`.
    pub fn position(&self, node: NodeIdx, sku: SkuId) -> Position {
        self.inventory.position(node, sku)
    }

    /// Every position the ledger holds, sorted by (SKU, node), from one consistent view.
    pub fn positions(&self) -> Vec<(NodeIdx, SkuId, Position)> {
        self.inventory.positions()
    }

    /// Units of `sku` the router may use at `node` now (the table's figure).
    pub fn routable(&self, node: NodeIdx, sku: SkuId) -> u32 {
        self.table.read().stock.qty(node, sku)
    }

    /// A copy of the table as it is now, to route a batch against without holding up the live
    /// stock (a batch counts capacity from zero).
    pub fn stock_table(&self) -> StockTable {
        self.table.read().stock.clone()
    }

    /// Number of live reservations (expired ones included until swept).
    pub fn live_reservations(&self) -> usize {
        self.inventory.live_reservations()
    }

    /// The lines and expiry of live reservation `id`.
    pub fn reservation(&self, id: ReservationId) -> Option<(Vec<ReserveLine>, Timestamp)> {
        self.inventory.reservation(id)
    }

    /// Runs a commit or release of `id` under the write lock and updates its positions.
    fn settle(
        &self,
        id: ReservationId,
        op: impl FnOnce(&Inventory, &mut DayLoad) -> Result<(), InventoryError>,
    ) -> Result<(), InventoryError> {
        let mut kept = self.table.write();
        let lines = self
            .inventory
            .reservation(id)
            .map(|(lines, _)| lines)
            .unwrap_or_default();
        let result = op(&self.inventory, &mut kept.load);
        self.sync(&mut kept.stock, lines.iter().map(|l| (l.node, l.sku)));
        result
    }

    /// Brings the touched positions of the table in step with the ledger.
    fn sync(&self, table: &mut StockTable, touched: impl IntoIterator<Item = (NodeIdx, SkuId)>) {
        sync_positions(&self.router, &self.inventory, table, touched);
    }
}

/// Sets each touched position of `table` to `inventory`'s routable units less `router`'s safety
/// hold ([`Router::safety_hold`]): what [`Router::stock_table`] would list for it.
fn sync_positions(
    router: &Router,
    inventory: &Inventory,
    table: &mut StockTable,
    touched: impl IntoIterator<Item = (NodeIdx, SkuId)>,
) {
    for (node, sku) in touched {
        let want = inventory
            .routable(node, sku)
            .saturating_sub(router.safety_hold(node));
        let have = table.qty(node, sku);
        if want > have {
            table.add(node, sku, want - have);
        } else {
            table.take(node, sku, have - want);
        }
    }
}
