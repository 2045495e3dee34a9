//! [`TrackedInventory`], the ledger with a journal of the positions each change touched, and
//! [`KeptTable`], one router's stock table kept in step with it by re-reading only those positions.
//! For a front end where routers and ledgers are separate objects (Python's `Router` and
//! `Inventory`): any number of routers, each with its own safety hold, follow one ledger that
//! changes between their calls.
//!
//! Every change holds the journal's lock around its ledger operation and records the positions
//! it touched; a table catches up under the same lock, so it is always what
//! [`Router::stock_table`] would build from the ledger at one moment. The journal keeps the last
//! [`JOURNAL_POSITIONS`] positions; a table further behind, or following another ledger, is
//! rebuilt from the whole ledger.

use super::sync_positions;
use crate::{
    Delta, DeltaOutcome, Inventory, InventoryError, NodeIdx, Position, ReservationId, ReserveLine,
    Router, SkuId, StockRow, StockTable,
};
use jiff::{SignedDuration, Timestamp};
use parking_lot::{Mutex, RwLock, RwLockWriteGuard};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

/// Touched positions the journal keeps; a table that fell further behind is rebuilt.
pub const JOURNAL_POSITIONS: usize = 1 << 16;

/// The live ledger ([`Inventory`]) with a journal of touched positions (`Send + Sync`).
///
/// ```
/// # use omniroute_core::*;
/// # use std::sync::Arc;
/// let net = Network::new(vec![Node::new("A", NodeKind::Store, LatLng::new(28.6, 77.2)?)])?;
/// let row = StockRow { node: NodeIdx(0), sku: SkuId(0), on_hand: 3, reserved: 0, safety_stock: 0 };
/// let inventory = Arc::new(TrackedInventory::new([row]));
/// let kept = KeptTable::new(Router::new(net, Policy::default()));
/// assert_eq!(kept.with_table(&inventory, |t| t.qty(NodeIdx(0), SkuId(0))), 3);
/// inventory.return_units(NodeIdx(0), SkuId(0), 2)?;
/// assert_eq!(kept.with_table(&inventory, |t| t.qty(NodeIdx(0), SkuId(0))), 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct TrackedInventory {
    ledger: Inventory,
    journal: Mutex<Journal>,
    /// Positions ever recorded: the journal's version, read without its lock.
    version: AtomicU64,
}

#[derive(Debug, Default)]
struct Journal {
    /// Version of `touched[0]` (positions dropped off the front so far).
    first: u64,
    touched: VecDeque<(NodeIdx, SkuId)>,
    /// The expiry of every reservation made here and not yet swept (settled ones too): the
    /// smallest is a lower bound on the next expiry, so `expire` skips the ledger's sweep until
    /// then.
    expiries: BinaryHeap<Reverse<Timestamp>>,
}

impl Journal {
    fn record(&mut self, touched: impl IntoIterator<Item = (NodeIdx, SkuId)>, version: &AtomicU64) {
        self.touched.extend(touched);
        let over = self.touched.len().saturating_sub(JOURNAL_POSITIONS);
        self.touched.drain(..over);
        self.first += over as u64;
        version.store(self.first + self.touched.len() as u64, Ordering::Release);
    }
}

impl TrackedInventory {
    /// A ledger loaded from a stock snapshot, with an empty journal.
    pub fn new(rows: impl IntoIterator<Item = StockRow>) -> Self {
        let t = TrackedInventory::default();
        t.ledger.replace_snapshot(rows);
        t
    }

    /// The journal's version: it grows with every touched position.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// Runs `op` on the ledger and records the positions it reports, under the journal's lock.
    fn change<T>(
        &self,
        op: impl FnOnce(&Inventory, &mut Journal) -> (T, Vec<(NodeIdx, SkuId)>),
    ) -> T {
        let mut journal = self.journal.lock();
        let (out, touched) = op(&self.ledger, &mut journal);
        journal.record(touched, &self.version);
        out
    }

    /// [`Inventory::reserve`].
    pub fn reserve(
        &self,
        id: ReservationId,
        lines: &[ReserveLine],
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<(), InventoryError> {
        self.change(|ledger, journal| {
            let out = ledger.reserve(id, lines, now, ttl);
            if out.is_err() {
                return (out, Vec::new());
            }
            if let Some((_, expires_at)) = ledger.reservation(id) {
                journal.expiries.push(Reverse(expires_at));
            }
            (out, lines.iter().map(|l| (l.node, l.sku)).collect())
        })
    }

    /// [`Inventory::commit`] (an expired reservation is released).
    pub fn commit(&self, id: ReservationId, now: Timestamp) -> Result<(), InventoryError> {
        self.settle(id, |ledger| ledger.commit(id, now))
    }

    /// [`Inventory::release`].
    pub fn release(&self, id: ReservationId) -> Result<(), InventoryError> {
        self.settle(id, |ledger| ledger.release(id))
    }

    fn settle(
        &self,
        id: ReservationId,
        op: impl FnOnce(&Inventory) -> Result<(), InventoryError>,
    ) -> Result<(), InventoryError> {
        self.change(|ledger, _| {
            let lines = ledger.reservation(id).map(|(l, _)| l).unwrap_or_default();
            (op(ledger), lines.iter().map(|l| (l.node, l.sku)).collect())
        })
    }

    /// [`Inventory::expire`]: releases every reservation expired at `now`; returns their ids,
    /// sorted. Costs nothing until the earliest reservation made here could have expired.
    pub fn expire(&self, now: Timestamp) -> Vec<ReservationId> {
        self.change(|ledger, journal| {
            if journal.expiries.peek().is_none_or(|e| e.0 > now) {
                return (Vec::new(), Vec::new());
            }
            while journal.expiries.peek().is_some_and(|e| e.0 <= now) {
                journal.expiries.pop();
            }
            let expired = ledger.expire_held(now);
            let touched = expired
                .iter()
                .flat_map(|(_, lines)| lines.iter().map(|l| (l.node, l.sku)))
                .collect();
            (expired.into_iter().map(|(id, _)| id).collect(), touched)
        })
    }

    /// [`Inventory::apply_delta`].
    pub fn apply_delta(&self, delta: Delta) -> Result<DeltaOutcome, InventoryError> {
        self.change(|ledger, _| (ledger.apply_delta(delta), vec![(delta.node, delta.sku)]))
    }

    /// [`Inventory::return_units`].
    pub fn return_units(&self, node: NodeIdx, sku: SkuId, qty: u32) -> Result<(), InventoryError> {
        self.change(|ledger, _| (ledger.return_units(node, sku, qty), vec![(node, sku)]))
    }

    /// [`Inventory::position`].
    pub fn position(&self, node: NodeIdx, sku: SkuId) -> Position {
        self.ledger.position(node, sku)
    }

    /// [`Inventory::routable`].
    pub fn routable(&self, node: NodeIdx, sku: SkuId) -> u32 {
        self.ledger.routable(node, sku)
    }

    /// [`Inventory::routable_positions`], one consistent view.
    pub fn routable_positions(&self) -> Vec<(NodeIdx, SkuId, u32)> {
        self.ledger.routable_positions()
    }

    /// [`Inventory::positions`], one consistent view.
    pub fn positions(&self) -> Vec<(NodeIdx, SkuId, Position)> {
        self.ledger.positions()
    }

    /// [`Inventory::reservation`].
    pub fn reservation(&self, id: ReservationId) -> Option<(Vec<ReserveLine>, Timestamp)> {
        self.ledger.reservation(id)
    }

    /// [`Inventory::live_reservations`].
    pub fn live_reservations(&self) -> usize {
        self.ledger.live_reservations()
    }
}

/// A kept router's stock table, in step with the [`TrackedInventory`] it last routed against
/// (`Send + Sync`).
#[derive(Debug)]
pub struct KeptTable {
    router: Arc<Router>,
    state: RwLock<Option<Follow>>,
}

/// The table and where in which ledger's journal it stands.
#[derive(Debug)]
struct Follow {
    source: Weak<TrackedInventory>,
    seen: u64,
    table: StockTable,
}

impl KeptTable {
    /// A kept table for `router`; it is built on the first [`KeptTable::with_table`].
    pub fn new(router: impl Into<Arc<Router>>) -> Self {
        KeptTable {
            router: router.into(),
            state: RwLock::new(None),
        }
    }

    /// The kept router.
    pub fn router(&self) -> &Arc<Router> {
        &self.router
    }

    /// Runs `f` on the router's table for `inventory` as it is now: the table is brought up to
    /// date first by re-reading the positions touched since the last call (rebuilt when it
    /// followed another ledger, or fell more than [`JOURNAL_POSITIONS`] behind). Calls that find
    /// it current run side by side.
    pub fn with_table<T>(
        &self,
        inventory: &Arc<TrackedInventory>,
        f: impl FnOnce(&StockTable) -> T,
    ) -> T {
        let follows = |s: &Follow| std::ptr::eq(s.source.as_ptr(), Arc::as_ptr(inventory));
        {
            let state = self.state.read();
            if let Some(s) = state.as_ref() {
                if s.seen == inventory.version() && follows(s) {
                    return f(&s.table);
                }
            }
        }
        let mut state = self.state.write();
        match state.as_mut() {
            Some(s) if follows(s) => self.catch_up(s, inventory),
            _ => *state = Some(self.rebuild(inventory)),
        }
        let state = RwLockWriteGuard::downgrade(state);
        f(&state.as_ref().expect("set above").table)
    }

    /// Re-reads the positions touched since `s.seen`, or rebuilds when they left the journal.
    fn catch_up(&self, s: &mut Follow, inventory: &Arc<TrackedInventory>) {
        let journal = inventory.journal.lock();
        let Some(from) = s.seen.checked_sub(journal.first) else {
            drop(journal);
            *s = self.rebuild(inventory);
            return;
        };
        let touched = journal.touched.range(from as usize..).copied();
        sync_positions(&self.router, &inventory.ledger, &mut s.table, touched);
        s.seen = journal.first + journal.touched.len() as u64;
    }

    fn rebuild(&self, inventory: &Arc<TrackedInventory>) -> Follow {
        // Under the journal's lock, so the version read is the table's.
        let journal = inventory.journal.lock();
        Follow {
            source: Arc::downgrade(inventory),
            seen: journal.first + journal.touched.len() as u64,
            table: self
                .router
                .stock_table(inventory.ledger.routable_positions()),
        }
    }
}
