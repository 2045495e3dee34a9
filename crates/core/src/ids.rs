//! Interned identifiers: strings at the edges, dense `Copy` indices on the hot path.

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
/// Names are found through an open-addressing table (linear probing, at most half full) of
/// 24-byte slots holding the first 15 bytes and the length of their name: a short name (SKU
/// codes and node ids usually are) is found by reading its slot, with no string compared
/// elsewhere in memory and nothing allocated. The table is our own, not hashbrown's, so that
/// [`Interner::get_many`] can read the first slot of many names before comparing any: their
/// cache misses overlap instead of following one another.
#[derive(Clone, Default)]
pub struct Interner {
    names: Vec<Arc<str>>,
    /// A power of two long (or empty), at most half full.
    slots: Vec<Slot>,
}

/// A place in [`Interner::slots`]: a name's key and index, or empty.
#[derive(Clone, Copy)]
struct Slot {
    /// [`NameKey::key`] of the name.
    key: [u64; 2],
    /// Its index, [`EMPTY`] for an empty slot.
    id: u32,
}

/// The index of an empty [`Slot`] (no interner holds 2^32 names).
const EMPTY: u32 = u32::MAX;

const VACANT: Slot = Slot {
    key: [0; 2],
    id: EMPTY,
};

/// Names up to this many bytes are held whole in their [`Slot`].
const INLINE: usize = 15;

/// How many names [`Interner::get_many`] reads the slots of before comparing them.
const BATCH: usize = 32;

/// A name's packed key and hash, computed once to look the name up in several interners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameKey {
    /// The first [`INLINE`] bytes of the name, zero-padded, and its length (capped at 255) in
    /// the last byte: equal for equal names, and for names up to [`INLINE`] bytes equal only
    /// then.
    key: [u64; 2],
    hash: u64,
}

impl NameKey {
    /// The key of `name`.
    #[inline]
    pub fn of(name: &str) -> Self {
        let bytes = name.as_bytes();
        let len = bytes.len();
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        // The first 15 bytes read as two words (overlapping ones for names of 8 to 15 bytes,
        // shifted so the bytes past the name are zero), the length in the last byte.
        let [low, high] = match len {
            16.. => [word(0), word(8) & (u64::MAX >> 8)],
            8 => [word(0), 0],
            9..=15 => [word(0), word(len - 8) >> (8 * (16 - len))],
            _ => {
                let mut low = [0u8; 8];
                low[..len].copy_from_slice(bytes);
                [u64::from_le_bytes(low), 0]
            }
        };
        let key = [low, high | ((len.min(255) as u64) << 56)];
        let hash = if len <= INLINE {
            mix(key[0], key[1])
        } else {
            let mut h = FxHasher::default();
            h.write(bytes);
            mix(h.finish(), key[1])
        };
        NameKey { key, hash }
    }

    /// True when the key holds the whole name: comparing keys compares names.
    #[inline]
    pub fn is_whole(self) -> bool {
        usize::from((self.key[1] >> 56) as u8) <= INLINE
    }
}

/// A hash of `a` and `b` whose every bit depends on every bit of both (the two halves of a
/// 128-bit product folded): names that differ in a few bytes, like `SKU-000017` and
/// `SKU-000018`, land far apart, which a linear probe needs (Fx's hash of them did not).
fn mix(a: u64, b: u64) -> u64 {
    let m = u128::from(a ^ 0x243f_6a88_85a3_08d3) * u128::from(b ^ 0x1319_8a2e_0370_7344);
    (m as u64) ^ ((m >> 64) as u64)
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
        self.intern_keyed(name, NameKey::of(name))
    }

    /// [`Interner::intern`] of `name`, whose key is `key`.
    pub fn intern_keyed(&mut self, name: &str, key: NameKey) -> u32 {
        if let Some(id) = self.find(name, key) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
        assert!(id != EMPTY, "fewer than 2^32 - 1 names");
        self.names.push(Arc::from(name));
        if 2 * self.names.len() > self.slots.len() {
            self.grow();
        } else {
            self.place(Slot { key: key.key, id }, key.hash);
        }
        id
    }

    /// The index of `name`, if it was interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.find(name, NameKey::of(name))
    }

    /// [`Interner::intern_keyed`] of the name whose key is `key`: the key's own bytes when it
    /// holds the name whole, else `long()`.
    pub fn intern_key<'a>(&mut self, key: NameKey, long: impl FnOnce() -> &'a str) -> u32 {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&key.key[0].to_le_bytes());
        bytes[8..].copy_from_slice(&key.key[1].to_le_bytes());
        let len = usize::from(bytes[15]);
        let name = if key.is_whole() {
            std::str::from_utf8(&bytes[..len]).expect("the first bytes of a name that has no more")
        } else {
            long()
        };
        self.intern_keyed(name, key)
    }

    /// [`Interner::get`] of `name`, whose key is `key`.
    pub fn get_keyed(&self, name: &str, key: NameKey) -> Option<u32> {
        self.find(name, key)
    }

    /// [`Interner::get_keyed`] of each name `name(i)` whose key is `keys[i]`, into `out` (one
    /// per key, in order); `name` is only asked for names that the key does not hold whole.
    /// The first slot of up to 32 names is read before any is compared, so their cache
    /// misses (a large table read among other data is mostly out of cache) overlap.
    pub fn get_many<'a>(
        &self,
        keys: &[NameKey],
        name: impl Fn(usize) -> &'a str,
        out: &mut Vec<Option<u32>>,
    ) {
        if self.names.is_empty() {
            out.extend(std::iter::repeat_n(None, keys.len()));
            return;
        }
        let mask = self.slots.len() - 1;
        let mut first = [VACANT; BATCH];
        for (b, batch) in keys.chunks(BATCH).enumerate() {
            for (slot, key) in first.iter_mut().zip(batch) {
                *slot = self.slots[key.hash as usize & mask];
            }
            for (i, (slot, &key)) in first.iter().zip(batch).enumerate() {
                let i = b * BATCH + i;
                out.push(if slot.id == EMPTY {
                    None
                } else if self.holds(*slot, key, || name(i)) {
                    Some(slot.id)
                } else {
                    self.find_from(|| name(i), key, (key.hash as usize + 1) & mask)
                });
            }
        }
    }

    fn find(&self, name: &str, key: NameKey) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        self.find_from(|| name, key, key.hash as usize & (self.slots.len() - 1))
    }

    /// Probes from slot `at` on for the name `name()`, whose key is `key`.
    fn find_from<'a>(
        &self,
        name: impl Fn() -> &'a str,
        key: NameKey,
        mut at: usize,
    ) -> Option<u32> {
        let mask = self.slots.len() - 1;
        loop {
            let slot = self.slots[at];
            if slot.id == EMPTY {
                return None;
            }
            if self.holds(slot, key, &name) {
                return Some(slot.id);
            }
            at = (at + 1) & mask;
        }
    }

    /// True when the filled `slot` is the name `name()`, whose key is `key` (the name is read
    /// only when the key does not hold it whole).
    #[inline]
    fn holds<'a>(&self, slot: Slot, key: NameKey, name: impl FnOnce() -> &'a str) -> bool {
        slot.key == key.key && (key.is_whole() || *self.names[slot.id as usize] == *name())
    }

    /// Puts `slot` in the first empty slot from its home on (the table has one).
    fn place(&mut self, slot: Slot, hash: u64) {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        while self.slots[at].id != EMPTY {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
    }

    /// Doubles the table (to 16 slots at first) and places every name again.
    fn grow(&mut self) {
        let len = (2 * self.slots.len()).max(16);
        self.slots = vec![VACANT; len];
        for i in 0..self.names.len() {
            let key = NameKey::of(&self.names[i]);
            self.place(
                Slot {
                    key: key.key,
                    id: i as u32,
                },
                key.hash,
            );
        }
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
    /// The SKUs of `names`, each with its index there as its id.
    ///
    /// ```
    /// # use omniroute_core::{Interner, SkuId, Skus};
    /// let mut names = Interner::default();
    /// names.intern("TEE-S");
    /// names.intern("MUG");
    /// assert_eq!(Skus::from_names(names).get("MUG"), Some(SkuId(1)));
    /// ```
    pub fn from_names(names: Interner) -> Self {
        Skus(names)
    }
    /// The interner of the names, for the keyed and batched lookups of [`Interner`].
    pub fn names(&self) -> &Interner {
        &self.0
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
    use super::{Interner, NameKey};
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

    /// Names that differ in their last digits only spread over the table: most are found in
    /// the first slot probed (Fx's hash of such keys clustered them, eight probes a name).
    #[test]
    fn counter_names_are_found_in_their_first_slot() {
        let mut names = Interner::new();
        let all: Vec<String> = (1..=20_000).map(|i| format!("SKU-{i:06}")).collect();
        for n in &all {
            names.intern(n);
        }
        let mask = names.slots.len() - 1;
        let probes: usize = all
            .iter()
            .map(|n| {
                let (key, id) = (NameKey::of(n), names.get(n).unwrap());
                let home = key.hash as usize & mask;
                (0..=mask)
                    .find(|k| names.slots[(home + k) & mask].id == id)
                    .unwrap()
                    + 1
            })
            .sum();
        assert!(probes < all.len() * 13 / 10, "{probes} probes");
    }

    /// The key of a name is its first 15 bytes, zero-padded, and its length capped at 255.
    #[test]
    fn keys_pack_the_first_bytes_and_the_length() {
        for len in (0..=40).chain([255, 256, 300]) {
            let name: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let mut packed = [0u8; 16];
            packed[..len.min(15)].copy_from_slice(&name.as_bytes()[..len.min(15)]);
            packed[15] = len.min(255) as u8;
            let key = NameKey::of(&name);
            assert_eq!(key.key[0].to_le_bytes(), packed[..8], "{len}");
            assert_eq!(key.key[1].to_le_bytes(), packed[8..], "{len}");
            assert_eq!(key.is_whole(), len <= 15);
        }
    }

    proptest! {
        /// Looked up together or one at a time, names get the same ids.
        #[test]
        fn get_many_matches_get(
            known in prop::collection::vec("[ab]{0,3}|[ab]{14,17}|[ab]{30}", 0..80),
            asked in prop::collection::vec("[ab]{0,3}|[ab]{14,17}|[ab]{30}", 0..80),
        ) {
            let mut names = Interner::new();
            for w in &known {
                names.intern(w);
            }
            let keys: Vec<NameKey> = asked.iter().map(|w| NameKey::of(w)).collect();
            let mut out = vec![Some(7)];
            names.get_many(&keys, |i| asked[i].as_str(), &mut out);
            let want: Vec<Option<u32>> = asked.iter().map(|w| names.get(w)).collect();
            prop_assert_eq!(&out[1..], &want[..]);
            let mut again = Interner::new();
            for (w, &key) in asked.iter().zip(&keys) {
                prop_assert_eq!(again.intern_key(key, || w.as_str()), again.intern(w));
            }
        }

        /// Ids are handed out in first-seen order, as a map from names would.
        #[test]
        fn interning_matches_a_map(words in prop::collection::vec("[ab]{0,17}|[ab]{250,260}", 1..60)) {
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
