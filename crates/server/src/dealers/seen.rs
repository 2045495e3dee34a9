//! The webhook items already applied, bounded: the latest [`KEEP_WEBHOOK_IDS`] keys, oldest
//! forgotten first. Meta repeats a delivery within minutes or hours, so a repeat is caught long
//! before its key is forgotten; one that comes back later still changes nothing, because the
//! offer it answers has moved on (a second answer is an illegal move, `E4002`, and is not
//! applied).

use std::collections::{HashSet, VecDeque};

/// Webhook item keys remembered.
pub const KEEP_WEBHOOK_IDS: usize = 100_000;

/// A bounded set of keys, first in, first forgotten.
#[derive(Debug)]
pub(super) struct Seen {
    keys: HashSet<String>,
    order: VecDeque<String>,
    keep: usize,
}

impl Seen {
    /// Remembers up to `keep` keys (at least one).
    pub fn new(keep: usize) -> Self {
        Seen {
            keys: HashSet::new(),
            order: VecDeque::new(),
            keep: keep.max(1),
        }
    }

    /// Remembers `key`; false when it is remembered already.
    pub fn insert(&mut self, key: &str) -> bool {
        if self.keys.contains(key) {
            return false;
        }
        if self.order.len() == self.keep {
            if let Some(old) = self.order.pop_front() {
                self.keys.remove(&old);
            }
        }
        self.keys.insert(key.to_owned());
        self.order.push_back(key.to_owned());
        true
    }

    /// Keys remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_keys_are_forgotten_first() {
        let mut seen = Seen::new(2);
        assert!(seen.insert("a"));
        assert!(!seen.insert("a"), "a repeat");
        assert!(seen.insert("b"));
        assert!(seen.insert("c"), "a is forgotten");
        assert_eq!(seen.len(), 2);
        assert!(!seen.insert("b") && !seen.insert("c"));
        assert!(seen.insert("a"), "forgotten, so new again");
        assert!(seen.insert("d"));
        assert!(seen.insert("b"), "b was the oldest");
    }
}
