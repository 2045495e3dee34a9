//! SKU ids handed out while a file is read, before the file is accepted, one name at a time
//! or a batch of names together.

use super::table::DictKey;
use omniroute_core::{Interner, NameKey, SkuId, Skus};

/// SKU ids handed out while a file is read, without touching the shared [`Skus`] table until the
/// file is accepted. New names get the ids the table will give them on [`SkuStage::commit`].
pub(crate) struct SkuStage {
    base: u32,
    fresh: Interner,
}

impl SkuStage {
    /// A stage on top of `skus` as it is now.
    pub fn new(skus: &Skus) -> Self {
        Self {
            base: u32::try_from(skus.len()).expect("fewer than 2^32 SKUs"),
            fresh: Interner::new(),
        }
    }

    /// A stage on top of `skus` and the names `under` (a stage on `skus`) has staged, for the
    /// rows after `under`'s: [`SkuStage::absorb`] takes its names back into `under`.
    pub fn above(under: &SkuStage) -> Self {
        Self {
            base: under.base + under.fresh.len() as u32,
            fresh: Interner::new(),
        }
    }

    /// The id `sku` has (or will have once committed).
    pub fn id(&mut self, skus: &Skus, sku: &str) -> SkuId {
        self.id_in(skus, None, sku)
    }

    /// [`SkuStage::id`] for a stage made [`SkuStage::above`] `under`: a name `under` staged
    /// keeps its id there.
    pub fn id_above(&mut self, skus: &Skus, under: &SkuStage, sku: &str) -> SkuId {
        self.id_in(skus, Some(under), sku)
    }

    /// The id of `sku` in `skus`, else in `under`, else staged here.
    fn id_in(&mut self, skus: &Skus, under: Option<&SkuStage>, sku: &str) -> SkuId {
        let key = NameKey::of(sku);
        let known = (!skus.is_empty()).then(|| skus.names().get_keyed(sku, key));
        let id = known.flatten().or_else(|| {
            let under = under.filter(|u| !u.fresh.is_empty())?;
            Some(under.base + under.fresh.get_keyed(sku, key)?)
        });
        SkuId(id.unwrap_or_else(|| self.base + self.fresh.intern_keyed(sku, key)))
    }

    /// [`SkuStage::id_above`] of every name of `batch`, in order, into `ids` (emptied first);
    /// `batch` is left empty. The names are looked up in `skus`, then in `under`, then in this
    /// stage, each table read for many names at once ([`Interner::get_many`]), and those in
    /// none are staged in order, so every name gets the id it would get one at a time.
    pub fn ids_above(
        &mut self,
        skus: &Skus,
        under: &SkuStage,
        batch: &mut SkuBatch,
        ids: &mut Vec<SkuId>,
    ) {
        batch.found.clear();
        batch.found.resize(batch.keys.len(), None);
        batch.look_up(skus.names(), 0);
        batch.look_up(&under.fresh, under.base);
        batch.look_up(&self.fresh, self.base);
        let SkuBatch {
            keys,
            text,
            long,
            found,
            ..
        } = batch;
        ids.clear();
        ids.extend(found.iter().enumerate().map(|(i, f)| {
            let id = f.unwrap_or_else(|| {
                let name = || SkuBatch::long_name(text, long, i);
                self.base + self.fresh.intern_key(keys[i], name)
            });
            SkuId(id)
        }));
        keys.clear();
        text.clear();
        long.clear();
    }

    /// The name of `id` (one of `skus`, or staged).
    pub fn name<'a>(&'a self, skus: &'a Skus, id: SkuId) -> &'a str {
        match id.0.checked_sub(self.base) {
            Some(i) => self.fresh.name(i),
            None => skus.name(id),
        }
    }

    /// Stages the names `other` (a stage on the same `skus`, of the rows after this one's)
    /// saw first, in its order, and returns the renaming of `other`'s ids into this stage's.
    pub fn absorb(&mut self, skus: &Skus, other: &SkuStage) -> Rename {
        Rename {
            base: other.base,
            ids: (0..other.fresh.len() as u32)
                .map(|i| self.id(skus, other.fresh.name(i)))
                .collect(),
        }
    }

    /// [`SkuStage::absorb`] that takes `other`'s names whole (leaving `other` empty) when this
    /// stage has none and `other`'s ids start where this stage's do: interning them here one by
    /// one would give each the id it has (a stock table read in one part stages every SKU
    /// there, 20,000 names: 1.5 ms of hash inserts saved after the read).
    pub fn absorb_from(&mut self, skus: &Skus, other: &mut SkuStage) -> Rename {
        if self.fresh.is_empty() && other.base == self.base {
            std::mem::swap(&mut self.fresh, &mut other.fresh);
            // No id renamed: every id `other` gave is below this base.
            return Rename {
                base: self.base + self.fresh.len() as u32,
                ids: Vec::new(),
            };
        }
        self.absorb(skus, other)
    }

    /// Adds the new names to `skus`, in first-seen order, so they get the staged ids (into an
    /// empty `skus`, as the orders read beside the stock stage theirs, the staged table itself).
    pub fn commit(self, skus: &mut Skus) {
        if skus.is_empty() && self.base == 0 {
            *skus = Skus::from_names(self.fresh);
            return;
        }
        for i in 0..self.fresh.len() as u32 {
            let id = skus.intern(self.fresh.name(i));
            debug_assert_eq!(id, SkuId(self.base + i), "SKU table changed while staging");
        }
    }
}

/// The ids a stage gave its own names, renamed into those of the stage under it
/// ([`SkuStage::absorb`]); the ids below the stage's are kept.
pub(crate) struct Rename {
    base: u32,
    ids: Vec<SkuId>,
}

impl Rename {
    /// True when every id stays as it is.
    pub fn keeps_all(&self) -> bool {
        (self.base..).zip(&self.ids).all(|(id, to)| to.0 == id)
    }

    /// The id `sku` takes.
    pub fn get(&self, sku: SkuId) -> SkuId {
        match sku.0.checked_sub(self.base) {
            Some(i) => self.ids[i as usize],
            None => sku,
        }
    }
}

/// SKU names read and waiting for their ids, looked up together by [`SkuStage::ids_above`].
/// Most names are held whole in their key; only the longer ones are copied.
#[derive(Default)]
pub(crate) struct SkuBatch {
    keys: Vec<NameKey>,
    /// The names longer than a key holds, one after the other, and (index in `keys`, end in
    /// `text`) of each.
    text: String,
    long: Vec<(usize, usize)>,
    /// Reused by [`SkuStage::ids_above`]: what each table gave, and the names it looks up in
    /// `under`.
    found: Vec<Option<u32>>,
    missing: Vec<usize>,
    missing_keys: Vec<NameKey>,
}

impl SkuBatch {
    /// Adds `name` to the batch.
    pub fn push(&mut self, name: &str) {
        let key = NameKey::of(name);
        if !key.is_whole() {
            self.text.push_str(name);
            self.long.push((self.keys.len(), self.text.len()));
        }
        self.keys.push(key);
    }

    /// How many names wait.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Sets `found` (an id plus `base`) for the names not found yet that `names` holds.
    fn look_up(&mut self, names: &Interner, base: u32) {
        if names.is_empty() {
            return;
        }
        let SkuBatch {
            keys,
            text,
            long,
            found,
            missing,
            missing_keys,
        } = self;
        missing.clear();
        missing_keys.clear();
        for (i, f) in found.iter().enumerate() {
            if f.is_none() {
                missing.push(i);
                missing_keys.push(keys[i]);
            }
        }
        if missing.is_empty() {
            return;
        }
        let at = found.len();
        let name = |j: usize| SkuBatch::long_name(text, long, missing[j]);
        names.get_many(missing_keys, name, found);
        for (j, &i) in missing.iter().enumerate() {
            found[i] = found[at + j].map(|id| base + id);
        }
        found.truncate(at);
    }

    /// The name of entry `i`, one of `long`.
    fn long_name<'a>(text: &'a str, long: &[(usize, usize)], i: usize) -> &'a str {
        let at = long
            .binary_search_by_key(&i, |l| l.0)
            .expect("a name not held whole is copied");
        let start = if at == 0 { 0 } else { long[at - 1].1 };
        &text[start..long[at].1]
    }
}

/// The SKU ids of a dictionary column's values, by key: a dictionary-encoded `sku` column
/// (pyarrow's default) names each SKU once in its values, so each name is looked up once, not
/// once a row, in a list that stays in cache where the SKU table does not. A dictionary is
/// known by its values' address ([`DictKey`]), so one `DictIds` serves the reading of one table,
/// whose batches all stay alive until it is read (no address is reused meanwhile).
#[derive(Default)]
pub(crate) struct DictIds {
    dict: usize,
    ids: Vec<Option<SkuId>>,
}

impl DictIds {
    /// The id of the value at `key`, from `look_up` the first time.
    pub fn id(&mut self, key: DictKey, look_up: impl FnOnce() -> SkuId) -> SkuId {
        if self.dict != key.dict {
            self.dict = key.dict;
            self.ids.clear();
        }
        let k = key.key as usize;
        if k >= self.ids.len() {
            self.ids.resize(k + 1, None);
        }
        *self.ids[k].get_or_insert_with(look_up)
    }
}
