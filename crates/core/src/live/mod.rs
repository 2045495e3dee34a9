//! Live stock: a kept [`Router`], the concurrent [`Inventory`] and the router's [`StockTable`]
//! kept in step with it, for a long-running service or binding that routes and reserves orders
//! one at a time while stock changes; with the node capacity the day's orders use (a
//! [`DailyLoad`]: each node's local calendar day), so capacity counts across orders as in a
//! sequential batch. For a front end
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
//!
//! # The day's capacity
//!
//! A reservation's shipments count in the [`DailyLoad`] from reserve, on each node's local date
//! of the order's `created_at` (or the request's `now`); a release or an expiry gives them back,
//! a commit keeps them (they ship that day). An order is routed against every node's use on its
//! local date of `now` ([`DailyLoad::load_at`]); that load is kept until a change or until some
//! node's local day ends ([`DailyLoad::same_days`]), so a quote does not rebuild it. Days
//! more than two (UTC) days old are forgotten at each reservation.

#[cfg(test)]
mod tests;
mod tracked;
#[cfg(test)]
mod tracked_tests;

pub use tracked::{KeptTable, TrackedInventory, JOURNAL_POSITIONS};

use crate::{
    DailyLoad, Decision, Delta, DeltaOutcome, Inventory, InventoryError, Load, NodeIdx, Order,
    Position, ReservationId, ReserveLine, Router, SkuId, StockChange, StockRow, StockTable,
};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use parking_lot::{RwLock, RwLockUpgradableReadGuard};
use rustc_hash::FxHashMap;
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
    /// The load of `daily` over a span of instants, built at the first quote inside it and
    /// dropped at every change of `daily` (made under the table's write lock).
    /// Read-locked by every quote, so quotes do not queue on it.
    today: RwLock<Option<Arc<Today>>>,
}

/// What the router reads, in step with the ledger: the stock table and the node load per local
/// day, with the shipments of each live reservation (to give back on release or expiry).
#[derive(Debug, Default)]
struct Kept {
    stock: StockTable,
    daily: DailyLoad,
    held: FxHashMap<ReservationId, Vec<(NodeIdx, Date, u32)>>,
}

/// [`DailyLoad::load_at`] for every instant of `[from, until)`.
#[derive(Debug)]
struct Today {
    from: Timestamp,
    until: Timestamp,
    load: Load,
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
                ..Kept::default()
            }),
            today: RwLock::new(None),
        }
    }

    /// The kept router.
    pub fn router(&self) -> &Arc<Router> {
        &self.router
    }

    /// Routes `order` against the live stock and the node capacity the day's orders use (see
    /// the module docs); nothing is reserved. `now` is the reference time for an order without
    /// `created_at`.
    pub fn quote(&self, order: &Order, now: Timestamp) -> Decision {
        self.quote_by(&self.router, order, now)
    }

    /// [`LiveStock::quote`] by `router`, another router over the same network and policies
    /// whose terms differ (the dealer desk's, pricing observed acceptance rates).
    pub fn quote_by(&self, router: &Router, order: &Order, now: Timestamp) -> Decision {
        let kept = self.table.read();
        let load = self.load_at(&kept, now);
        router.route(order, &kept.stock, &load.load, now)
    }

    /// What every node has used on its local day of `now`, for a batch that starts from the
    /// day's load ([`Router::route_sequential_from`]).
    pub fn day_load(&self, now: Timestamp) -> Load {
        let kept = self.table.read();
        self.load_at(&kept, now).load.clone()
    }

    /// The kept load at `now`, built when `now` is outside the kept span.
    fn load_at(&self, kept: &Kept, now: Timestamp) -> Arc<Today> {
        let holds = |t: &Option<Arc<Today>>| {
            t.as_ref()
                .filter(|t| t.from <= now && now < t.until)
                .cloned()
        };
        if let Some(t) = holds(&self.today.read()) {
            return t;
        }
        let mut today = self.today.write();
        if let Some(t) = holds(&today) {
            return t;
        }
        let net = self.router.network();
        let (from, until) = kept.daily.same_days(net, now);
        let t = Arc::new(Today {
            from,
            until,
            load: kept.daily.load_at(net, now),
        });
        *today = Some(t.clone());
        t
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
        self.route_and_reserve_by(&self.router, order, id, now, ttl)
    }

    /// [`LiveStock::route_and_reserve`] by `router` (see [`LiveStock::quote_by`]).
    pub fn route_and_reserve_by(
        &self,
        router: &Router,
        order: &Order,
        id: ReservationId,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<Decision, InventoryError> {
        let kept = self.table.upgradable_read();
        let load = self.load_at(&kept, now);
        let decision = router.route(order, &kept.stock, &load.load, now);
        let lines = decision.reserve_lines(order);
        let mut kept = RwLockUpgradableReadGuard::upgrade(kept);
        self.inventory.reserve(id, &lines, now, ttl)?;
        self.sync(&mut kept.stock, lines.iter().map(|l| (l.node, l.sku)));
        self.hold(&mut kept, id, order, &decision, now);
        Ok(decision)
    }

    /// Counts the shipments of `decision`, reserved for `order` under `id` at `now`, in the
    /// day's load, for a reservation made in a ledger kept elsewhere that this live stock
    /// mirrors (`serve --database`); [`LiveStock::route_and_reserve`] counts its own.
    pub fn count_reserved(
        &self,
        id: ReservationId,
        order: &Order,
        decision: &Decision,
        now: Timestamp,
    ) {
        self.hold(&mut self.table.write(), id, order, decision, now);
    }

    /// Reservation `id`, counted by [`LiveStock::count_reserved`], was settled elsewhere:
    /// `shipped` keeps its shipments in the day's load, a release or expiry gives them back.
    pub fn count_settled(&self, id: ReservationId, shipped: bool) {
        let mut kept = self.table.write();
        if shipped {
            kept.held.remove(&id);
        } else {
            kept.free(id);
            *self.today.write() = None;
        }
    }

    fn hold(
        &self,
        kept: &mut Kept,
        id: ReservationId,
        order: &Order,
        decision: &Decision,
        now: Timestamp,
    ) {
        if decision.shipments.is_empty() {
            return;
        }
        let net = self.router.network();
        let shipments: Vec<_> = DailyLoad::shipments(net, order, decision, now).collect();
        let utc_day = jiff::tz::TimeZone::UTC.to_datetime(now).date();
        // Any zone's local date is within a day of UTC's: two days back is over.
        if let Ok(old) = utc_day.yesterday().and_then(Date::yesterday) {
            kept.daily.forget_before(old);
        }
        kept.daily.add(shipments.iter().copied());
        kept.held.insert(id, shipments);
        *self.today.write() = None;
    }

    /// Ships reservation `id` ([`Inventory::commit`]). An expired one is released instead
    /// ([`InventoryError::Expired`]) and its units are routable again.
    pub fn commit(&self, id: ReservationId, now: Timestamp) -> Result<(), InventoryError> {
        self.settle(id, |inv, kept| {
            let result = inv.commit(id, now);
            match result {
                Ok(()) => {
                    kept.held.remove(&id);
                }
                Err(InventoryError::Expired { .. }) => kept.free(id),
                Err(_) => {}
            }
            result
        })
    }

    /// Frees reservation `id` ([`Inventory::release`]).
    pub fn release(&self, id: ReservationId) -> Result<(), InventoryError> {
        self.settle(id, |inv, kept| {
            inv.release(id)?;
            kept.free(id);
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
            kept.free(*id);
        }
        *self.today.write() = None;
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
    /// stock (with [`LiveStock::day_load`], the capacity the day's reservations use).
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
        op: impl FnOnce(&Inventory, &mut Kept) -> Result<(), InventoryError>,
    ) -> Result<(), InventoryError> {
        let mut kept = self.table.write();
        let lines = self
            .inventory
            .reservation(id)
            .map(|(lines, _)| lines)
            .unwrap_or_default();
        let result = op(&self.inventory, &mut kept);
        *self.today.write() = None;
        self.sync(&mut kept.stock, lines.iter().map(|l| (l.node, l.sku)));
        result
    }

    /// Brings the touched positions of the table in step with the ledger.
    fn sync(&self, table: &mut StockTable, touched: impl IntoIterator<Item = (NodeIdx, SkuId)>) {
        sync_positions(&self.router, &self.inventory, table, touched);
    }
}

impl Kept {
    /// Reservation `id` was released or expired: its shipments are given back.
    fn free(&mut self, id: ReservationId) {
        if let Some(shipments) = self.held.remove(&id) {
            self.daily.take(shipments);
        }
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
