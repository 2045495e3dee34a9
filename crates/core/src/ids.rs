//! Interned identifiers: strings at the edges, dense `Copy` indices on the hot path.

use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Dense index of a node in its [`crate::Network`] (0..n, in load order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIdx(pub u32);

/// Dense index of a SKU in a [`Skus`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SkuId(pub u32);

/// A string interner: each distinct name gets the next dense index.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<Arc<str>>,
    index: FxHashMap<Arc<str>, u32>,
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Self {
        Self::default()
    }

    /// The index of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
        let name: Arc<str> = Arc::from(name);
        self.names.push(Arc::clone(&name));
        self.index.insert(name, i);
        i
    }

    /// The index of `name`, if it was interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
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
