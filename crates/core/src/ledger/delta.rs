//! Sequenced on-hand deltas from an external feed, and returns.

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

/// The delta sequence numbers applied at one node.
///
/// Every number up to `contiguous` counts as applied (the node's first delta, or the start a
/// [`Inventory::reset_seq`] gave, opens the run); `above` holds the numbers applied beyond it,
/// each with a gap below. A delta is a duplicate if its number is in either; otherwise it is
/// applied, whatever order it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct SeqState {
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

/// On-hand after `delta`, or why it cannot be applied.
fn next_on_hand(on_hand: u32, delta: &Delta) -> Result<u32, InventoryError> {
    let overflow = InventoryError::QuantityOverflow {
        node: delta.node,
        sku: delta.sku,
    };
    let next = i64::from(on_hand)
        .checked_add(delta.change)
        .ok_or(overflow.clone())?;
    if next < 0 {
        return Err(InventoryError::NegativeOnHand {
            node: delta.node,
            seq: delta.seq,
            sku: delta.sku,
            on_hand,
            change: delta.change,
        });
    }
    u32::try_from(next).map_err(|_| overflow)
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
        let mut locked = Locked::skus(&self.shards, deltas.iter().map(|d| d.sku));
        let mut seqs = self.seqs.lock();

        // Validate the whole batch against scratch copies of what it touches.
        let mut seq_after: FxHashMap<NodeIdx, SeqState> = FxHashMap::default();
        let mut on_hand_after: FxHashMap<(NodeIdx, SkuId), u32> = FxHashMap::default();
        let mut plan = Vec::with_capacity(deltas.len());
        for delta in deltas {
            let state = seq_after.get(&delta.node).or_else(|| seqs.get(&delta.node));
            let outcome = classify(state, delta.seq);
            let mut next = None;
            if outcome != DeltaOutcome::Duplicate {
                let key = (delta.node, delta.sku);
                let on_hand = on_hand_after
                    .get(&key)
                    .copied()
                    .unwrap_or_else(|| locked.get(delta.node, delta.sku).map_or(0, |s| s.on_hand));
                let units = next_on_hand(on_hand, delta)?;
                on_hand_after.insert(key, units);
                match seq_after.entry(delta.node) {
                    Entry::Occupied(mut e) => e.get_mut().record(delta.seq),
                    Entry::Vacant(e) => {
                        let state = match seqs.get(&delta.node) {
                            Some(state) => {
                                let mut state = state.clone();
                                state.record(delta.seq);
                                state
                            }
                            None => SeqState::starting_at(delta.seq),
                        };
                        e.insert(state);
                    }
                }
                next = Some(units);
            }
            plan.push((outcome, next));
        }

        // Apply: nothing below can fail.
        for (delta, &(_, next)) in deltas.iter().zip(&plan) {
            if let Some(units) = next {
                let slot = locked.slot(delta.node, delta.sku);
                slot.on_hand = units;
                slot.delta_in += delta.change;
            }
        }
        seqs.extend(seq_after);
        Ok(plan.into_iter().map(|(outcome, _)| outcome).collect())
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
