//! Sequenced on-hand deltas from an external feed, and returns.

use super::shards::Locked;
use super::{Inventory, InventoryError};
use crate::{NodeIdx, SkuId};
use rustc_hash::FxHashMap;

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
    /// Applied, in sequence (or the node's first delta, which may carry any number).
    Applied,
    /// Ignored: its sequence number was not above the node's last applied one.
    Duplicate,
    /// Applied, but sequence numbers `expected..got` were never seen: events may be lost and
    /// the node may need a fresh snapshot.
    Gap {
        /// The sequence number that was due.
        expected: u64,
        /// The one that came.
        got: u64,
    },
}

/// How a delta with `seq` relates to the node's last applied sequence number.
fn classify(last: Option<u64>, seq: u64) -> DeltaOutcome {
    match last {
        None => DeltaOutcome::Applied,
        Some(last) if seq <= last => DeltaOutcome::Duplicate,
        Some(last) if seq == last + 1 => DeltaOutcome::Applied,
        Some(last) => DeltaOutcome::Gap {
            expected: last + 1,
            got: seq,
        },
    }
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
    /// Per node, a delta whose sequence number is not above the last applied one is a
    /// [`DeltaOutcome::Duplicate`] and is ignored; the next number is
    /// [`DeltaOutcome::Applied`]; a higher one is applied and reported as a
    /// [`DeltaOutcome::Gap`]. A node's first delta is accepted whatever its number. If any
    /// non-duplicate delta would take on-hand below 0 ([`InventoryError::NegativeOnHand`]) or
    /// above `u32::MAX`, nothing is applied and no sequence number moves. Reserved units are not
    /// protected: a correction may leave a position holding more than it has (its routable
    /// stock is then 0, and committing the reservation fails with
    /// [`InventoryError::ShortOnCommit`]).
    pub fn apply_deltas(&self, deltas: &[Delta]) -> Result<Vec<DeltaOutcome>, InventoryError> {
        let mut locked = Locked::skus(&self.shards, deltas.iter().map(|d| d.sku));
        let mut last_seq = self.last_seq.lock();

        // Validate the whole batch against scratch copies of what it touches.
        let mut seq_after: FxHashMap<NodeIdx, u64> = FxHashMap::default();
        let mut on_hand_after: FxHashMap<(NodeIdx, SkuId), u32> = FxHashMap::default();
        let mut plan = Vec::with_capacity(deltas.len());
        for delta in deltas {
            let last = seq_after
                .get(&delta.node)
                .or_else(|| last_seq.get(&delta.node))
                .copied();
            let outcome = classify(last, delta.seq);
            let mut next = None;
            if outcome != DeltaOutcome::Duplicate {
                let key = (delta.node, delta.sku);
                let on_hand = on_hand_after
                    .get(&key)
                    .copied()
                    .unwrap_or_else(|| locked.get(delta.node, delta.sku).map_or(0, |s| s.on_hand));
                let units = next_on_hand(on_hand, delta)?;
                on_hand_after.insert(key, units);
                seq_after.insert(delta.node, delta.seq);
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
        last_seq.extend(seq_after);
        Ok(plan.into_iter().map(|(outcome, _)| outcome).collect())
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
