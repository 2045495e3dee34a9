//! Interned identifiers: strings at the edges, dense `Copy` indices on the hot path.

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::Hasher;
use std::sync::Arc;

/// Dense index of a node in its [`crate::Network`] (0..n, in load order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIdx(pub u32);

/// Dense index of a SKU in a [`Skus`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SkuId(pub u32);

/// A string interner: each distinct name gets the next dense index.
///
/// Names are found through a table of 24-byte slots holding the first 15 bytes and the length
/// of their name: a short name (SKU codes and node ids usually are) is found by reading one
/// slot, with no string compared elsewhere in memory and nothing allocated.
#[derive(Clone, Default)]
pub struct Interner {
    names: Vec<Arc<str>>,
    index: HashTable<Slot>,
}

/// A name's place in [`Interner::index`].
#[derive(Clone, Copy)]
struct Slot {
    /// [`packed`] of the name.
    key: [u64; 2],
    /// Its index.
    id: u32,
}

/// Names up to this many bytes are held whole in their [`Slot`].
const INLINE: usize = 15;

/// The first [`INLINE`] bytes of `name`, zero-padded, and its length (capped at 255) in the
/// last byte: equal for equal names, and for names up to [`INLINE`] bytes equal only then.
fn packed(name: &str) -> [u64; 2] {
    let bytes = name.as_bytes();
    let mut key = [0u8; 16];
    let n = bytes.len().min(INLINE);
    key[..n].copy_from_slice(&bytes[..n]);
    key[15] = bytes.len().min(255) as u8;
    let (low, high) = key.split_at(8);
    [
        u64::from_le_bytes(low.try_into().expect("8 bytes")),
        u64::from_le_bytes(high.try_into().expect("8 bytes")),
    ]
}

/// The hash of `name`, whose [`packed`] key is `key`.
fn hash(name: &str, key: [u64; 2]) -> u64 {
    let mut h = FxHasher::default();
    if name.len() <= INLINE {
        h.write_u64(key[0]);
        h.write_u64(key[1]);
    } else {
        h.write(name.as_bytes());
    }
    h.finish()
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The index of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        let key = packed(name);
        let h = hash(name, key);
        if let Some(id) = self.find(name, key, h) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
        self.names.push(Arc::from(name));
        let names = &self.names;
        self.index.insert_unique(h, Slot { key, id }, |slot| {
            let name = &names[slot.id as usize];
            hash(name, slot.key)
        });
        id
    }

    /// The index of `name`, if it was interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        let key = packed(name);
        self.find(name, key, hash(name, key))
    }

    fn find(&self, name: &str, key: [u64; 2], hash: u64) -> Option<u32> {
        let slot = self.index.find(hash, |slot| {
            slot.key == key && (name.len() <= INLINE || *self.names[slot.id as usize] == *name)
        })?;
        Some(slot.id)
    }

    /// The name for an index.
    ///
    /// # Panics
    /// If `i` was not returned by this interner.
    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The SKU table shared by inventory, orders and decisions.
///
/// ```
/// # use omniroute_core::Skus;
/// let mut skus = Skus::default();
/// let a = skus.intern("SKU-1");
/// assert_eq!(skus.intern("SKU-1"), a);
/// assert_eq!(skus.name(a), "SKU-1");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Skus(Interner);

impl Skus {
    /// The id of `sku`, adding it if new.
    pub fn intern(&mut self, sku: &str) -> SkuId {
        SkuId(self.0.intern(sku))
    }
    /// The id of `sku` if known.
    pub fn get(&self, sku: &str) -> Option<SkuId> {
        self.0.get(sku).map(SkuId)
    }
    /// The name of a SKU id.
    pub fn name(&self, id: SkuId) -> &str {
        self.0.name(id.0)
    }
    /// Number of SKUs.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when there are no SKUs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Interner;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn names_sharing_their_first_15_bytes_stay_apart() {
        let mut names = Interner::new();
        let a = "ABCDEFGHIJKLMNO-1"; // 17 bytes, same first 15 and length as b
        let b = "ABCDEFGHIJKLMNO-2";
        let short = "ABCDEFGHIJKLMNO"; // 15 bytes: held whole
        let ids: Vec<u32> = [a, b, short, "", a, short, b]
            .iter()
            .map(|n| names.intern(n))
            .collect();
        assert_eq!(ids, [0, 1, 2, 3, 0, 2, 1]);
        assert_eq!(names.get(b), Some(1));
        assert_eq!(names.get("ABCDEFGHIJKLMNO-3"), None);
        assert_eq!(names.get("ABCDEFGHIJKLMN"), None);
        assert_eq!(names.name(1), b);
        assert_eq!(names.len(), 4);
    }

    proptest! {
        /// Ids are handed out in first-seen order, as a map from names would.
        #[test]
        fn interning_matches_a_map(words in prop::collection::vec("[ab]{0,3}|[ab]{14,17}|[ab]{250,260}", 1..60)) {
            let mut names = Interner::new();
            let mut model: HashMap<&str, u32> = HashMap::new();
            for w in &words {
                let next = model.len() as u32;
                let want = *model.entry(w.as_str()).or_insert(next);
                prop_assert_eq!(names.intern(w), want);
                prop_assert_eq!(names.get(w), Some(want));
                prop_assert_eq!(names.name(want), w.as_str());
            }
            prop_assert_eq!(names.len(), model.len());
        }
    }
}
