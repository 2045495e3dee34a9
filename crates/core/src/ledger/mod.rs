//! The inventory ledger: on-hand, reserved, safety and incoming stock per (node, SKU), changed
//! by snapshots, sequenced deltas, reservations (reserve, commit, release, expiry) and returns.
//!
//! # Locking
//!
//! Positions are sharded by SKU (`sku % shard_count`) into `parking_lot` mutexes; live
//! reservations sit in their own mutex shards keyed by id; the per-node delta sequence numbers
//! sit behind one mutex. Every operation takes locks in one global order:
//!
//! 1. the position shards it needs, in ascending shard index (all of them for snapshots and
//!    consistent views);
//! 2. then, for deltas, the sequence-number lock;
//! 3. then, for reservations, the one reservation shard of the id (never two at a time).
//!
//! No thread ever waits for a lock earlier in that order while holding a later one, so there is
//! no deadlock; and each check-then-change happens under the locks of everything it reads, so
//! two threads can never both spend the same units. Commit and release first look the
//! reservation up to learn which shards to lock, then lock them and look again: if the id
//! meanwhile went away the answer is [`InventoryError::UnknownReservation`], if it was replaced
//! by a new reservation with the same id (pointer identity of the stored `Arc`) they retry.
//!
//! Why shards rather than one `RwLock`: the router reads and reserves on the hot path from many
//! threads, and orders for different SKUs should not queue behind each other. A multi-line
//! reservation locks only the few shards of its SKUs.
//!
//! # Decisions
//!
//! - A snapshot replaces `on_hand`, the bulk `external_reserved` and `safety_stock` of every
//!   position (positions absent from it drop to 0), and keeps live reservations, incoming stock,
//!   the counters and the delta sequence numbers ([`Inventory::reset_seq`] restarts a node's
//!   numbering when its feed restarts).
//! - Units reserved but not yet committed stay on hand; a reservation that passed its expiry
//!   still holds its units until [`Inventory::expire`] sweeps it or it is committed or released.
//! - The core reads no clock: `now` is a parameter of reserve, commit and expire.

mod delta;
mod error;
mod position;
mod reservation;
mod shards;
mod snapshot;

#[cfg(test)]
mod op_tests;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod reservation_tests;
#[cfg(test)]
mod stress_tests;
#[cfg(test)]
mod tests;

pub use delta::{Delta, DeltaOutcome, SeqState, StockChange, StockOp};
pub use error::InventoryError;
pub use position::{Incoming, Position, StockRow};
pub use reservation::{ReservationId, ReserveLine};

use crate::{NodeIdx, SkuId};
use parking_lot::Mutex;
use reservation::Book;
use rustc_hash::FxHashMap;
use shards::{shard_of, Locked, Shard};

/// Shards used by [`Inventory::new`].
const DEFAULT_SHARDS: usize = 64;

/// The live inventory of every (node, SKU) position, shared by many threads (`Send + Sync`,
/// every method takes `&self`) and never overselling.
///
/// ```
/// use jiff::{SignedDuration, Timestamp};
/// use omniroute_core::{Delta, DeltaOutcome, Inventory, NodeIdx, ReservationId, ReserveLine, SkuId, StockRow};
///
/// let (store, sku) = (NodeIdx(0), SkuId(7));
/// let inventory = Inventory::new();
/// inventory.replace_snapshot([StockRow { node: store, sku, on_hand: 10, reserved: 1, safety_stock: 2 }]);
/// assert_eq!(inventory.routable(store, sku), 7);
///
/// let outcome = inventory.apply_delta(Delta { node: store, seq: 1, sku, change: -2 })?;
/// assert_eq!(outcome, DeltaOutcome::Applied);
///
/// let now: Timestamp = "2025-03-01T09:00:00Z".parse()?;
/// let order = ReservationId(1);
/// inventory.reserve(order, &[ReserveLine { node: store, sku, qty: 4 }], now, SignedDuration::from_mins(15))?;
/// assert_eq!(inventory.routable(store, sku), 1);
///
/// inventory.commit(order, now)?;
/// let p = inventory.position(store, sku);
/// assert_eq!((p.on_hand, p.shipped, p.routable()), (4, 4, 1));
/// assert_eq!(p.unaccounted_units(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Inventory {
    shards: Box<[Mutex<Shard>]>,
    books: Box<[Mutex<Book>]>,
    seqs: Mutex<FxHashMap<NodeIdx, delta::SeqState>>,
}

impl Default for Inventory {
    fn default() -> Self {
        Self::new()
    }
}

impl Inventory {
    /// An empty ledger with the default number of shards.
    pub fn new() -> Self {
        Self::with_shards(DEFAULT_SHARDS)
    }

    /// An empty ledger whose positions and reservations are split over `shards` locks
    /// (at least 1). More shards, less contention between SKUs; a snapshot locks them all.
    pub fn with_shards(shards: usize) -> Self {
        let n = shards.max(1);
        Inventory {
            shards: (0..n).map(|_| Mutex::default()).collect(),
            books: (0..n).map(|_| Mutex::default()).collect(),
            seqs: Mutex::default(),
        }
    }

    /// The position of `sku` at `node` (all zeros if the ledger never saw it).
    pub fn position(&self, node: NodeIdx, sku: SkuId) -> Position {
        let shard = self.shards[shard_of(sku, self.shards.len())].lock();
        shard
            .get(&(node, sku))
            .map(position::Slot::view)
            .unwrap_or_default()
    }

    /// Units of `sku` the router may use at `node`: on-hand less reserved less safety stock,
    /// never below 0.
    pub fn routable(&self, node: NodeIdx, sku: SkuId) -> u32 {
        let shard = self.shards[shard_of(sku, self.shards.len())].lock();
        shard.get(&(node, sku)).map_or(0, position::Slot::routable)
    }

    /// Every position with routable units, as `(node, sku, routable)`, sorted by (SKU, node),
    /// taken from one consistent view (all shards locked at once).
    pub fn routable_positions(&self) -> Vec<(NodeIdx, SkuId, u32)> {
        let locked = Locked::all(&self.shards);
        let mut out: Vec<_> = locked
            .iter()
            .map(|(&(node, sku), slot)| (node, sku, slot.routable()))
            .filter(|&(_, _, units)| units > 0)
            .collect();
        out.sort_unstable_by_key(|&(node, sku, _)| (sku, node));
        out
    }

    /// Every position the ledger holds, sorted by (SKU, node), from one consistent view: what
    /// an audit checks with [`Position::unaccounted_units`].
    pub fn positions(&self) -> Vec<(NodeIdx, SkuId, Position)> {
        let locked = Locked::all(&self.shards);
        let mut out: Vec<_> = locked
            .iter()
            .map(|(&(node, sku), slot)| (node, sku, slot.view()))
            .collect();
        out.sort_unstable_by_key(|&(node, sku, _)| (sku, node));
        out
    }

    /// The highest delta sequence number of `node` up to which every delta was applied (its
    /// unbroken run; numbers applied above a gap are not counted), if the node has a run.
    pub fn last_seq(&self, node: NodeIdx) -> Option<u64> {
        self.seqs.lock().get(&node).map(delta::SeqState::contiguous)
    }

    /// Number of live reservations (expired ones included until swept).
    pub fn live_reservations(&self) -> usize {
        // Book shards in ascending order, with no position shard held: consistent with the
        // global lock order.
        let books: Vec<_> = self.books.iter().map(Mutex::lock).collect();
        books.iter().map(|b| b.len()).sum()
    }
}
