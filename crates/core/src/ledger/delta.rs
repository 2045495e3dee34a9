//! Sequenced stock events from an external feed (on-hand deltas, counts, holds made outside
//! omniroute, shipments, returns), and returns.

use super::position::{Position, Slot};
use super::shards::Locked;
use super::{Inventory, InventoryError};
use crate::{NodeIdx, SkuId};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::collections::BTreeSet;

/// An on-hand change reported by a node's stock feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delta {
    /// The reporting node.
    pub node: NodeIdx,
    /// The node's sequence number of this event (per node, increasing by 1).
    pub seq: u64,
    /// The SKU.
    pub sku: SkuId,
    /// Units added to (positive) or removed from (negative) on-hand.
    pub change: i64,
}

/// What happened to an accepted delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeltaOutcome {
    /// Applied, in sequence: every lower number since the node's start was applied (or this is
    /// the node's first delta, which may carry any number).
    Applied,
    /// Ignored: this sequence number was applied before, or lies at or below the node's start.
    Duplicate,
    /// Applied, but numbers from `expected` up to `got` are still missing: they are applied
    /// when they come; until then events may be lost and the node may need a fresh snapshot.
    Gap {
        /// The lowest sequence number still missing.
        expected: u64,
        /// The one that came.
        got: u64,
    },
}

/// Sequence numbers above a node's contiguous run kept waiting for a gap to fill. Past this
/// many, the lowest missing numbers are given up (they become duplicates if they come later):
/// a feed that lost an event for good must not grow the ledger without bound.
pub(super) const MAX_WAITING_SEQS: usize = 65_536;

/// The delta sequence numbers applied at one node: the one rule the in-memory ledger and the
/// PostgreSQL store share.
///
/// Every number up to `contiguous` counts as applied (the node's first delta, or the start a
/// [`Inventory::reset_seq`] gave, opens the run); `above` holds the numbers applied beyond it,
/// each with a gap below. A delta is a duplicate if its number is in either; otherwise it is
/// applied, whatever order it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeqState {
    contiguous: u64,
    above: BTreeSet<u64>,
}

impl SeqState {
    /// A node whose applied run ends at `last` (deltas at or below it are duplicates).
    pub fn starting_at(last: u64) -> Self {
        SeqState {
            contiguous: last,
            above: BTreeSet::new(),
        }
    }

    /// A node whose applied run ends at `contiguous`, with the numbers `above` it applied too.
    pub fn with_waiting(contiguous: u64, above: impl IntoIterator<Item = u64>) -> Self {
        let mut state = SeqState::starting_at(contiguous);
        for seq in above {
            if seq > contiguous {
                state.record(seq);
            }
        }
        state
    }

    /// What a delta numbered `seq` is to a node with `state` (`None`: no delta yet), and the
    /// state after it: a duplicate changes nothing; a node's first delta opens its run.
    pub fn next(state: &mut Option<SeqState>, seq: u64) -> DeltaOutcome {
        let outcome = classify(state.as_ref(), seq);
        if outcome != DeltaOutcome::Duplicate {
            match state {
                Some(s) => s.record(seq),
                None => *state = Some(SeqState::starting_at(seq)),
            }
        }
        outcome
    }

    /// The numbers applied beyond the run, each with a gap below.
    pub fn waiting(&self) -> impl Iterator<Item = u64> + '_ {
        self.above.iter().copied()
    }

    /// The highest number up to which every delta was applied.
    pub fn contiguous(&self) -> u64 {
        self.contiguous
    }

    /// How a delta with `seq` relates to what the node applied.
    fn classify(&self, seq: u64) -> DeltaOutcome {
        if seq <= self.contiguous || self.above.contains(&seq) {
            DeltaOutcome::Duplicate
        } else if seq == self.contiguous + 1 {
            DeltaOutcome::Applied
        } else {
            DeltaOutcome::Gap {
                expected: self.contiguous + 1,
                got: seq,
            }
        }
    }

    /// Records `seq` (not a duplicate) as applied.
    fn record(&mut self, seq: u64) {
        self.above.insert(seq);
        if self.above.len() > MAX_WAITING_SEQS {
            // Give up the lowest gap: the run restarts just below the lowest waiting number.
            let lowest = *self.above.first().expect("the set is not empty");
            self.contiguous = lowest - 1;
        }
        while let Some(&next) = self.above.first() {
            if next != self.contiguous + 1 {
                break;
            }
            self.above.pop_first();
            self.contiguous = next;
        }
    }
}

/// How a delta with `seq` relates to a node's applied numbers (`None`: the node has none).
fn classify(state: Option<&SeqState>, seq: u64) -> DeltaOutcome {
    state.map_or(DeltaOutcome::Applied, |s| s.classify(seq))
}

/// What one sequenced feed event does to its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockOp {
    /// Adds (positive) or removes (negative) units on hand: a count correction, a receipt.
    Adjust(i64),
    /// Sets on-hand to this count.
    Set(u32),
    /// Holds units for a sale made outside omniroute (a till, another channel): the position's
    /// `external_reserved` rises and its routable units fall.
    Reserve(u32),
    /// Frees units held by [`StockOp::Reserve`] (or the snapshot's bulk `reserved`).
    Release(u32),
    /// Units leave the node: on-hand falls, counted in `shipped`; units held outside
    /// omniroute are freed first (up to the quantity), as the sale they held is the one shipped.
    Ship(u32),
    /// Units come back (an in-store or dealer return): on-hand rises, counted in `returned`.
    Return(u32),
    /// A return that waits for inspection ([`crate::ReturnRules::inspect`]): as
    /// [`StockOp::Return`], and the units are held as by [`StockOp::Reserve`] until the feed
    /// releases them (passed) or ships them (scrapped).
    ReturnHeld(u32),
}

/// A sequenced feed event: [`Delta`] generalised to every [`StockOp`]. Sequence numbers are
/// shared by all of a node's events, whatever their operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockChange {
    /// The reporting node.
    pub node: NodeIdx,
    /// The node's sequence number of this event.
    pub seq: u64,
    /// The SKU.
    pub sku: SkuId,
    /// What happens.
    pub op: StockOp,
}

impl From<Delta> for StockChange {
    fn from(d: Delta) -> Self {
        StockChange {
            node: d.node,
            seq: d.seq,
            sku: d.sku,
            op: StockOp::Adjust(d.change),
        }
    }
}

impl Position {
    /// The position after feed event `change`, or why the ledger refuses it (on-hand below 0
    /// or above `u32::MAX`, a release of more than is held). The one rule of every
    /// [`StockOp`], for this ledger and for any store that keeps positions elsewhere.
    ///
    /// ```
    /// # use omniroute_core::{NodeIdx, Position, SkuId, StockChange, StockOp};
    /// let p = Position { on_hand: 5, ..Position::default() };
    /// let ship = StockChange { node: NodeIdx(0), seq: 1, sku: SkuId(0), op: StockOp::Ship(2) };
    /// assert_eq!(p.after(&ship)?.on_hand, 3);
    /// # Ok::<(), omniroute_core::InventoryError>(())
    /// ```
    pub fn after(mut self, change: &StockChange) -> Result<Position, InventoryError> {
        let (node, sku, seq) = (change.node, change.sku, change.seq);
        let overflow = InventoryError::QuantityOverflow { node, sku };
        let on_hand = |next: i64| -> Result<u32, InventoryError> {
            if next < 0 {
                return Err(InventoryError::NegativeOnHand {
                    node,
                    seq,
                    sku,
                    on_hand: self.on_hand,
                    change: next - i64::from(self.on_hand),
                });
            }
            u32::try_from(next).map_err(|_| overflow.clone())
        };
        let now = i64::from(self.on_hand);
        let live_reserved = self.reserved.saturating_sub(self.external_reserved);
        match change.op {
            StockOp::Adjust(c) => {
                self.on_hand = on_hand(now.checked_add(c).ok_or(overflow.clone())?)?;
                self.delta_in += c;
            }
            StockOp::Set(q) => {
                self.delta_in += i64::from(q) - now;
                self.on_hand = q;
            }
            StockOp::Reserve(q) => {
                self.external_reserved = self
                    .external_reserved
                    .checked_add(q)
                    .ok_or(overflow.clone())?;
            }
            StockOp::Release(q) => {
                self.external_reserved = self.external_reserved.checked_sub(q).ok_or(
                    InventoryError::ReleaseBeyondHeld {
                        node,
                        seq,
                        sku,
                        held: self.external_reserved,
                        release: q,
                    },
                )?;
            }
            StockOp::Ship(q) => {
                self.on_hand = on_hand(now - i64::from(q))?;
                self.external_reserved -= q.min(self.external_reserved);
                self.shipped += u64::from(q);
            }
            StockOp::Return(q) => {
                self.on_hand = on_hand(now + i64::from(q))?;
                self.returned += u64::from(q);
            }
            StockOp::ReturnHeld(q) => {
                self.on_hand = on_hand(now + i64::from(q))?;
                self.external_reserved = self
                    .external_reserved
                    .checked_add(q)
                    .ok_or(overflow.clone())?;
                self.returned += u64::from(q);
            }
        }
        self.reserved = live_reserved.saturating_add(self.external_reserved);
        Ok(self)
    }
}

impl Inventory {
    /// Applies one delta; see [`Inventory::apply_deltas`].
    pub fn apply_delta(&self, delta: Delta) -> Result<DeltaOutcome, InventoryError> {
        Ok(self.apply_deltas(&[delta])?[0])
    }

    /// Applies `deltas` in order, all or nothing, and returns one outcome per delta.
    ///
    /// Per node, each sequence number is applied once, in whatever order deltas come: a number
    /// applied before, or at or below the node's start, is a [`DeltaOutcome::Duplicate`] and
    /// is ignored; one that extends the node's unbroken run is [`DeltaOutcome::Applied`]; one
    /// with a number still missing below it is applied and reported as a
    /// [`DeltaOutcome::Gap`] (the late delta that fills the gap is applied when it comes). A
    /// node's first delta is accepted whatever its number and starts the run; a feed that
    /// restarts its numbering calls [`Inventory::reset_seq`]. If more than
    /// 65,536 numbers wait above a gap, the lowest missing ones are given up.
    ///
    /// If any non-duplicate delta would take on-hand below 0 ([`InventoryError::NegativeOnHand`]) or
    /// above `u32::MAX`, nothing is applied and no sequence number moves. Reserved units are not
    /// protected: a correction may leave a position holding more than it has (its routable
    /// stock is then 0, and committing the reservation fails with
    /// [`InventoryError::ShortOnCommit`]).
    pub fn apply_deltas(&self, deltas: &[Delta]) -> Result<Vec<DeltaOutcome>, InventoryError> {
        let changes: Vec<StockChange> = deltas.iter().map(|&d| d.into()).collect();
        self.apply_changes(&changes)
    }

    /// [`Inventory::apply_deltas`] for every [`StockOp`]: sequenced, all or nothing, duplicates
    /// ignored, gaps applied and reported. Fails, changing nothing, if an event would take
    /// on-hand below 0 or above `u32::MAX`, or release more than is held
    /// ([`InventoryError::ReleaseBeyondHeld`]).
    pub fn apply_changes(
        &self,
        changes: &[StockChange],
    ) -> Result<Vec<DeltaOutcome>, InventoryError> {
        let mut locked = Locked::skus(&self.shards, changes.iter().map(|d| d.sku));
        let mut seqs = self.seqs.lock();

        // Validate the whole batch against scratch copies of what it touches.
        let mut seq_after: FxHashMap<NodeIdx, SeqState> = FxHashMap::default();
        let mut drafts: FxHashMap<(NodeIdx, SkuId), Position> = FxHashMap::default();
        let mut outcomes = Vec::with_capacity(changes.len());
        for change in changes {
            let state = seq_after
                .get(&change.node)
                .or_else(|| seqs.get(&change.node));
            let outcome = classify(state, change.seq);
            if outcome != DeltaOutcome::Duplicate {
                let key = (change.node, change.sku);
                let draft = drafts.get(&key).copied().unwrap_or_else(|| {
                    locked
                        .get(change.node, change.sku)
                        .map(Slot::view)
                        .unwrap_or_default()
                });
                drafts.insert(key, draft.after(change)?);
                match seq_after.entry(change.node) {
                    Entry::Occupied(mut e) => e.get_mut().record(change.seq),
                    Entry::Vacant(e) => {
                        let state = match seqs.get(&change.node) {
                            Some(state) => {
                                let mut state = state.clone();
                                state.record(change.seq);
                                state
                            }
                            None => SeqState::starting_at(change.seq),
                        };
                        e.insert(state);
                    }
                }
            }
            outcomes.push(outcome);
        }

        // Apply: nothing below can fail.
        for ((node, sku), p) in drafts {
            let slot = locked.slot(node, sku);
            slot.on_hand = p.on_hand;
            slot.external_reserved = p.external_reserved;
            slot.delta_in = p.delta_in;
            slot.shipped = p.shipped;
            slot.returned = p.returned;
        }
        seqs.extend(seq_after);
        Ok(outcomes)
    }

    /// Forgets the delta sequence numbers of `node`: with `Some(last)`, the node's run restarts
    /// after `last` (deltas numbered `last` or below are duplicates, `last + 1` is applied);
    /// with `None`, its next delta is accepted whatever its number, as a first one is. For a
    /// feed that restarted its numbering, or one stuck behind a wrong number such as
    /// `u64::MAX`; typically called with the snapshot that restarts the feed.
    pub fn reset_seq(&self, node: NodeIdx, last: Option<u64>) {
        let mut seqs = self.seqs.lock();
        match last {
            Some(last) => seqs.insert(node, SeqState::starting_at(last)),
            None => seqs.remove(&node),
        };
    }

    /// Adds `qty` returned units (an in-store or dealer return) to on-hand at once, counted in
    /// the position's `returned`. Fails, changing nothing, only if on-hand would pass `u32::MAX`.
    pub fn return_units(&self, node: NodeIdx, sku: SkuId, qty: u32) -> Result<(), InventoryError> {
        let mut locked = Locked::skus(&self.shards, [sku]);
        let slot = locked.slot(node, sku);
        slot.on_hand = slot
            .on_hand
            .checked_add(qty)
            .ok_or(InventoryError::QuantityOverflow { node, sku })?;
        slot.returned += u64::from(qty);
        Ok(())
    }
}
