//! Where the service's ledger lives: in memory ([`LiveStock`]), or with `serve --database`
//! (cargo feature `postgres`) in PostgreSQL, shared by every serve process on the database.
//!
//! With a database the tables are the ledger; the process keeps a [`LiveStock`] as a mirror the
//! router routes against (microseconds, no round trip per candidate). A reservation routes
//! against the mirror, then reserves every line in one transaction with conditional updates
//! (`omniroute_adapters::postgres`): if another process took the units meanwhile the database
//! refuses, the mirror re-reads what changed and the order is routed again. So the database
//! never oversells, whatever the mirror shows. The mirror follows every process's changes
//! (LISTEN/NOTIFY, [`follow`]) and after a reconnect re-reads every change since the last one
//! it saw. Reservations of another process are in the database (`decisions`), not in this
//! process's `GET /v1/orders/{id}`.

use jiff::{SignedDuration, Timestamp};
use omniroute_core::{
    Decision, DeltaOutcome, InventoryError, LiveStock, Load, NodeIdx, Order, Position,
    ReservationId, ReserveLine, Router, SkuId, StockChange, StockTable,
};
use std::sync::Arc;

/// Why the ledger refused or failed a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// The ledger's refusal (the in-memory ledger's, or the database's same rule).
    Refused(InventoryError),
    /// The database failed (unreachable, a statement failed).
    #[cfg(feature = "postgres")]
    Db(omniroute_adapters::postgres::DbError),
}

impl From<InventoryError> for LedgerError {
    fn from(e: InventoryError) -> Self {
        LedgerError::Refused(e)
    }
}

/// The service's ledger: [`LiveStock`], alone or mirroring a database.
#[derive(Debug)]
pub struct Ledger {
    live: LiveStock,
    #[cfg(feature = "postgres")]
    db: Option<pg::Db>,
}

impl Ledger {
    /// The in-memory ledger.
    pub fn memory(live: LiveStock) -> Self {
        Ledger {
            live,
            #[cfg(feature = "postgres")]
            db: None,
        }
    }

    /// The live stock the router routes against (the database's mirror, with one).
    pub fn mirror(&self) -> &LiveStock {
        &self.live
    }

    /// The kept router.
    pub fn router(&self) -> &Arc<Router> {
        self.live.router()
    }

    /// [`LiveStock::quote`].
    pub fn quote(&self, order: &Order, now: Timestamp) -> Decision {
        self.live.quote(order, now)
    }

    /// [`LiveStock::position`].
    pub fn position(&self, node: NodeIdx, sku: SkuId) -> Position {
        self.live.position(node, sku)
    }

    /// [`LiveStock::routable`].
    pub fn routable(&self, node: NodeIdx, sku: SkuId) -> u32 {
        self.live.routable(node, sku)
    }

    /// [`LiveStock::stock_table`].
    pub fn stock_table(&self) -> StockTable {
        self.live.stock_table()
    }

    /// [`LiveStock::day_load`].
    pub fn day_load(&self, now: Timestamp) -> Load {
        self.live.day_load(now)
    }

    /// Routes `order` and reserves its lines under `id` until `now + ttl`, atomically.
    pub fn route_and_reserve(
        &self,
        order: &Order,
        id: ReservationId,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<Decision, LedgerError> {
        self.route_and_reserve_by(self.live.router(), order, id, now, ttl)
    }

    /// [`Ledger::route_and_reserve`] by `router`, another router over the same network and
    /// policies ([`LiveStock::quote_by`]).
    pub fn route_and_reserve_by(
        &self,
        router: &Router,
        order: &Order,
        id: ReservationId,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<Decision, LedgerError> {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.route_and_reserve(&self.live, router, order, id, now, ttl);
        }
        Ok(self
            .live
            .route_and_reserve_by(router, order, id, now, ttl)?)
    }

    /// Ships reservation `id` (an expired one is released: [`InventoryError::Expired`]).
    pub fn commit(&self, id: ReservationId, now: Timestamp) -> Result<(), LedgerError> {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.commit(&self.live, id, now);
        }
        Ok(self.live.commit(id, now)?)
    }

    /// Frees reservation `id`.
    pub fn release(&self, id: ReservationId) -> Result<(), LedgerError> {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.release(&self.live, id);
        }
        Ok(self.live.release(id)?)
    }

    /// Releases the reservations expired at `now`; returns their ids.
    pub fn expire(&self, now: Timestamp) -> Vec<ReservationId> {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.expire(&self.live, now);
        }
        self.live.expire(now)
    }

    /// Applies sequenced feed events, all or nothing.
    pub fn apply_changes(&self, changes: &[StockChange]) -> Result<Vec<DeltaOutcome>, LedgerError> {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.apply_changes(&self.live, changes);
        }
        Ok(self.live.apply_changes(changes)?)
    }

    /// Number of live reservations (of every process, with a database).
    pub fn live_reservations(&self) -> usize {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.live_reservations();
        }
        self.live.live_reservations()
    }

    /// The lines and expiry of live reservation `id`.
    pub fn reservation(&self, id: ReservationId) -> Option<(Vec<ReserveLine>, Timestamp)> {
        #[cfg(feature = "postgres")]
        if let Some(db) = &self.db {
            return db.reservation(id);
        }
        self.live.reservation(id)
    }
}

#[cfg(feature = "postgres")]
pub(crate) mod pg;
#[cfg(feature = "postgres")]
pub use pg::follow;
