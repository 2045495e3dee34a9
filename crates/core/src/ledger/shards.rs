//! The set of position shards one operation holds, always locked in ascending shard order.

use super::position::{Slot, StockRow};
use crate::{NodeIdx, SkuId};
use parking_lot::{Mutex, MutexGuard};
use rustc_hash::FxHashMap;

/// The positions of the SKUs that hash to one shard.
pub(super) type Shard = FxHashMap<(NodeIdx, SkuId), Slot>;

/// The shard a SKU lives in. SKU ids are dense, so a plain modulo spreads them evenly.
pub(super) fn shard_of(sku: SkuId, shard_count: usize) -> usize {
    sku.0 as usize % shard_count
}

/// Guards over a sorted, duplicate-free set of shards.
///
/// Every operation that needs more than one shard builds one of these, so shards are always
/// taken in ascending index order and two operations can never wait on each other in a cycle.
pub(super) struct Locked<'a> {
    ids: Vec<usize>,
    guards: Vec<MutexGuard<'a, Shard>>,
    shard_count: usize,
}

impl<'a> Locked<'a> {
    /// Locks the shards of `skus` (any order, repeats allowed) in ascending order.
    pub fn skus(shards: &'a [Mutex<Shard>], skus: impl IntoIterator<Item = SkuId>) -> Self {
        let mut ids: Vec<usize> = skus
            .into_iter()
            .map(|sku| shard_of(sku, shards.len()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Self::ids(shards, ids)
    }

    /// Locks every shard, in ascending order: a consistent view of the whole ledger.
    pub fn all(shards: &'a [Mutex<Shard>]) -> Self {
        Self::ids(shards, (0..shards.len()).collect())
    }

    fn ids(shards: &'a [Mutex<Shard>], ids: Vec<usize>) -> Self {
        let guards = ids.iter().map(|&i| shards[i].lock()).collect();
        Locked {
            ids,
            guards,
            shard_count: shards.len(),
        }
    }

    fn index(&self, sku: SkuId) -> usize {
        self.ids
            .binary_search(&shard_of(sku, self.shard_count))
            .expect("the operation locked the shard of every SKU it touches")
    }

    /// The stored position, if any.
    pub fn get(&self, node: NodeIdx, sku: SkuId) -> Option<&Slot> {
        self.guards[self.index(sku)].get(&(node, sku))
    }

    /// The stored position, created empty if absent.
    pub fn slot(&mut self, node: NodeIdx, sku: SkuId) -> &mut Slot {
        let i = self.index(sku);
        self.guards[i].entry((node, sku)).or_default()
    }

    /// Runs `set` on the position of every row (created empty if absent), shard by shard:
    /// the rows are first gathered by shard (keeping their order, so a position given twice
    /// ends as its last row left it), and each shard grows once to hold its rows before it is
    /// filled. Filling one shard at a time keeps its table in cache; row by row, each would
    /// land in another shard, a cache miss each on a large load.
    ///
    /// # Panics
    /// If a row's SKU lies in a shard this set did not lock.
    pub fn fill(&mut self, rows: &[StockRow], set: impl Fn(&mut Slot, &StockRow)) {
        let mut guard_of = vec![usize::MAX; self.shard_count];
        for (g, &id) in self.ids.iter().enumerate() {
            guard_of[id] = g;
        }
        let guard = |row: &StockRow| {
            let g = guard_of[shard_of(row.sku, self.shard_count)];
            assert!(
                g != usize::MAX,
                "the operation locked the shard of every SKU it touches"
            );
            g
        };
        let mut starts = vec![0usize; self.guards.len() + 1];
        for row in rows {
            starts[guard(row) + 1] += 1;
        }
        for g in 0..self.guards.len() {
            starts[g + 1] += starts[g];
        }
        let mut gathered = rows.to_vec();
        let mut next = starts.clone();
        for row in rows {
            let g = guard(row);
            gathered[next[g]] = *row;
            next[g] += 1;
        }
        for (g, shard) in self.guards.iter_mut().enumerate() {
            let rows = &gathered[starts[g]..starts[g + 1]];
            // Rows for positions the shard already holds (a repeated snapshot) need no room.
            let held = shard.len();
            shard.reserve(rows.len().saturating_sub(held));
            for row in rows {
                set(shard.entry((row.node, row.sku)).or_default(), row);
            }
        }
    }

    /// Every stored position of the locked shards.
    pub fn iter(&self) -> impl Iterator<Item = (&(NodeIdx, SkuId), &Slot)> {
        self.guards.iter().flat_map(|g| g.iter())
    }

    /// Every stored position of the locked shards, mutably.
    pub fn iter_mut(
        &mut self,
    ) -> impl Iterator<Item = (&(NodeIdx, SkuId), &mut Slot)> + use<'_, 'a> {
        self.guards.iter_mut().flat_map(|g| g.iter_mut())
    }
}
