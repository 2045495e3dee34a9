//! Reservations: all lines of an order held atomically with a time to live, then committed
//! (shipped), released or expired.

use super::position::Slot;
use super::shards::Locked;
use super::{Inventory, InventoryError};
use crate::{NodeIdx, SkuId};
use jiff::{SignedDuration, Timestamp};
use parking_lot::Mutex;
use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::Arc;

/// The caller's id for a reservation (typically derived from the order). Ids must be unique
/// among live reservations; once committed, released or expired an id may be used again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReservationId(pub u64);

impl fmt::Display for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Units of one SKU to hold at one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReserveLine {
    /// The node that will ship.
    pub node: NodeIdx,
    /// The SKU.
    pub sku: SkuId,
    /// Units to hold.
    pub qty: u32,
}

/// A live reservation. Immutable once stored: lines at the same position are merged and zero
/// quantities dropped.
#[derive(Debug)]
pub(super) struct Reservation {
    lines: Vec<ReserveLine>,
    expires_at: Timestamp,
}

/// One shard of live reservations by id.
pub(super) type Book = FxHashMap<ReservationId, Arc<Reservation>>;

impl Inventory {
    /// Holds every line of `lines` at once, until `now + ttl`, or nothing at all.
    ///
    /// Lines for the same (node, SKU) add up. Fails with
    /// [`InventoryError::DuplicateReservation`] if `id` is live, else with
    /// [`InventoryError::InsufficientStock`] naming the first position (in line order) whose
    /// routable units fall short. A reservation with no units is accepted and holds nothing.
    pub fn reserve(
        &self,
        id: ReservationId,
        lines: &[ReserveLine],
        now: Timestamp,
        ttl: SignedDuration,
    ) -> Result<(), InventoryError> {
        let mut wanted: Vec<(NodeIdx, SkuId, u64)> = Vec::with_capacity(lines.len());
        for line in lines.iter().filter(|l| l.qty > 0) {
            match wanted
                .iter_mut()
                .find(|w| (w.0, w.1) == (line.node, line.sku))
            {
                Some(w) => w.2 += u64::from(line.qty),
                None => wanted.push((line.node, line.sku, u64::from(line.qty))),
            }
        }
        let expires_at = now.checked_add(ttl).unwrap_or(if ttl.is_negative() {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        });

        let mut locked = Locked::skus(&self.shards, wanted.iter().map(|w| w.1));
        let mut book = self.book(id).lock();
        if book.contains_key(&id) {
            return Err(InventoryError::DuplicateReservation { id });
        }
        for &(node, sku, qty) in &wanted {
            let routable = locked.get(node, sku).map_or(0, Slot::routable);
            if qty > u64::from(routable) {
                return Err(InventoryError::InsufficientStock {
                    id,
                    node,
                    sku,
                    wanted: qty,
                    routable,
                });
            }
        }
        let lines: Vec<ReserveLine> = wanted
            .into_iter()
            .map(|(node, sku, qty)| {
                // Fits: qty <= routable <= on_hand, a u32.
                let qty = qty as u32;
                locked.slot(node, sku).live_reserved += qty;
                ReserveLine { node, sku, qty }
            })
            .collect();
        book.insert(id, Arc::new(Reservation { lines, expires_at }));
        Ok(())
    }

    /// Ships reservation `id`: on-hand and reserved fall by its units, `shipped` rises, and the
    /// reservation is gone.
    ///
    /// If `now` is at or past its expiry the reservation is released instead and the answer is
    /// [`InventoryError::Expired`]. If stock was corrected down since the reservation so that a
    /// position has fewer units on hand than it holds, nothing ships, the reservation stays
    /// live, and the answer is [`InventoryError::ShortOnCommit`] (release it and re-route).
    pub fn commit(&self, id: ReservationId, now: Timestamp) -> Result<(), InventoryError> {
        self.settle(id, |locked, r| {
            if r.expires_at <= now {
                free(locked, r);
                let expires_at = r.expires_at;
                return (true, Err(InventoryError::Expired { id, expires_at }));
            }
            for line in &r.lines {
                let on_hand = locked.slot(line.node, line.sku).on_hand;
                if on_hand < line.qty {
                    let (node, sku, reserved) = (line.node, line.sku, line.qty);
                    let short = InventoryError::ShortOnCommit {
                        id,
                        node,
                        sku,
                        reserved,
                        on_hand,
                    };
                    return (false, Err(short));
                }
            }
            for line in &r.lines {
                let slot = locked.slot(line.node, line.sku);
                slot.on_hand -= line.qty;
                slot.live_reserved -= line.qty;
                slot.shipped += u64::from(line.qty);
            }
            (true, Ok(()))
        })
        .and_then(|done| done)
    }

    /// Frees reservation `id` (expired or not): its units become routable again.
    pub fn release(&self, id: ReservationId) -> Result<(), InventoryError> {
        self.settle(id, |locked, r| {
            free(locked, r);
            (true, ())
        })
    }

    /// Releases every reservation whose expiry is at or before `now` and returns their ids,
    /// sorted. Each is released atomically; reservations made or settled while the sweep runs
    /// may be left to the next one.
    pub fn expire(&self, now: Timestamp) -> Vec<ReservationId> {
        self.expire_held(now)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    /// The lines and expiry of live reservation `id` (lines at one position merged), if live.
    pub fn reservation(&self, id: ReservationId) -> Option<(Vec<ReserveLine>, Timestamp)> {
        let book = self.book(id).lock();
        book.get(&id).map(|r| (r.lines.clone(), r.expires_at))
    }

    /// [`Inventory::expire`], returning with each released id the lines it held (so a caller
    /// that mirrors routable stock knows which positions changed).
    pub fn expire_held(&self, now: Timestamp) -> Vec<(ReservationId, Vec<ReserveLine>)> {
        let mut due: Vec<(ReservationId, Arc<Reservation>)> = Vec::new();
        for book in &*self.books {
            let book = book.lock();
            due.extend(
                book.iter()
                    .filter(|(_, r)| r.expires_at <= now)
                    .map(|(&id, r)| (id, Arc::clone(r))),
            );
        }
        due.sort_unstable_by_key(|(id, _)| *id);
        let mut expired = Vec::with_capacity(due.len());
        for (id, seen) in due {
            let mut locked = Locked::skus(&self.shards, seen.lines.iter().map(|l| l.sku));
            let mut book = self.book(id).lock();
            if book.get(&id).is_some_and(|r| Arc::ptr_eq(r, &seen)) {
                free(&mut locked, &seen);
                book.remove(&id);
                expired.push((id, seen.lines.clone()));
            }
        }
        expired
    }

    /// The reservation shard of `id`.
    fn book(&self, id: ReservationId) -> &Mutex<Book> {
        &self.books[(id.0 % self.books.len() as u64) as usize]
    }

    /// Runs `f` on live reservation `id` with its positions and its book entry locked; removes
    /// the reservation when `f` says so.
    fn settle<T>(
        &self,
        id: ReservationId,
        mut f: impl FnMut(&mut Locked<'_>, &Reservation) -> (bool, T),
    ) -> Result<T, InventoryError> {
        let unknown = InventoryError::UnknownReservation { id };
        loop {
            // Learn which shards to lock; the book guard drops at the end of the statement.
            let seen = self
                .book(id)
                .lock()
                .get(&id)
                .cloned()
                .ok_or_else(|| unknown.clone())?;
            let mut locked = Locked::skus(&self.shards, seen.lines.iter().map(|l| l.sku));
            let mut book = self.book(id).lock();
            match book.get(&id) {
                None => return Err(unknown),
                // Settled and reserved again meanwhile: its shards may differ.
                Some(now_stored) if !Arc::ptr_eq(now_stored, &seen) => continue,
                Some(_) => {}
            }
            let (remove, out) = f(&mut locked, &seen);
            if remove {
                book.remove(&id);
            }
            return Ok(out);
        }
    }
}

/// Gives the units of `r` back to routing.
fn free(locked: &mut Locked<'_>, r: &Reservation) {
    for line in &r.lines {
        locked.slot(line.node, line.sku).live_reserved -= line.qty;
    }
}
