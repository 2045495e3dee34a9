//! The orders read so far, by id: where the last run of rows of each started, to report an
//! order met again after other orders (`E1023`). The ids are not copied: the table holds where
//! each is kept, in the orders read or, for an order without a head (a bad file), here.

use hashbrown::HashTable;
use omniroute_core::Order;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Where an order's id is kept.
#[derive(Clone, Copy)]
enum Kept {
    /// The id of `orders[i]`.
    Order(u32),
    /// The id of an order without a head, [`Done::headless`]`[i]`.
    Headless(u32),
}

/// The ids of the orders read, each with the first line of its last run.
#[derive(Default)]
pub(super) struct Done {
    /// (hash of the id, where it is kept, first line).
    table: HashTable<(u64, Kept, u64)>,
    headless: Vec<String>,
}

impl Done {
    fn id<'a>(&'a self, orders: &'a [Order], kept: Kept) -> &'a str {
        id_of(orders, &self.headless, kept)
    }

    /// The first line of the last run of order `id`, if it was read.
    pub(super) fn get(&self, orders: &[Order], id: &str) -> Option<u64> {
        let hash = FxBuildHasher.hash_one(id);
        let found = self
            .table
            .find(hash, |e| e.0 == hash && self.id(orders, e.1) == id);
        found.map(|e| e.2)
    }

    /// Records the last of `orders` as read, its run starting at `first_line`.
    pub(super) fn add_order(&mut self, orders: &[Order], first_line: u64) {
        let i = u32::try_from(orders.len() - 1).expect("fewer than 2^32 orders");
        self.add(orders, Kept::Order(i), first_line);
    }

    /// Records an order without a head (not among the orders) as read, its run starting at
    /// `first_line`.
    pub(super) fn add_headless(&mut self, orders: &[Order], id: String, first_line: u64) {
        let i = u32::try_from(self.headless.len()).expect("fewer than 2^32 orders");
        self.headless.push(id);
        self.add(orders, Kept::Headless(i), first_line);
    }

    /// Sets the first line of the id kept at `kept` (a later run replaces an earlier one's).
    fn add(&mut self, orders: &[Order], kept: Kept, first_line: u64) {
        let Done { table, headless } = self;
        let id = id_of(orders, headless, kept);
        let hash = FxBuildHasher.hash_one(id);
        match table.find_mut(hash, |e| e.0 == hash && id_of(orders, headless, e.1) == id) {
            Some(e) => e.2 = first_line,
            None => {
                table.insert_unique(hash, (hash, kept, first_line), |e| e.0);
            }
        }
    }
}

/// The id kept at `kept`: an order's, or one of `headless`.
fn id_of<'a>(orders: &'a [Order], headless: &'a [String], kept: Kept) -> &'a str {
    match kept {
        Kept::Order(i) => &orders[i as usize].id,
        Kept::Headless(i) => &headless[i as usize],
    }
}
