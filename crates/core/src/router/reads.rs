//! [`Reads`]: while a batch speculates (`speculate.rs`), the nodes whose load each order's route
//! read, so that a guess goes stale only when a node it actually looked at lost the room for it.
//!
//! One set per rayon thread: an order is routed on one thread from start to end (the router
//! spawns no work of its own), so the set of the thread that routed it holds its reads alone.
//! Each set is written by its own thread only, so relaxed loads and stores suffice.

use crate::NodeIdx;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

/// Per thread of the pool (and one for a caller outside it), the nodes read since the last
/// [`Reads::take`].
#[derive(Debug)]
pub(crate) struct Reads {
    sets: Vec<ReadSet>,
}

#[derive(Debug)]
struct ReadSet {
    words: Vec<AtomicU64>,
    /// The route asked whether anything was loaded and nothing was: it may then have judged
    /// every node's capacity as if idle without reading it.
    whole: AtomicBool,
}

/// The nodes one route read ([`Reads::take`]).
#[derive(Debug, Default)]
pub(super) struct ReadNodes {
    words: Vec<u64>,
    whole: bool,
}

impl ReadNodes {
    /// True when the route may have read `node`'s load.
    pub(super) fn covers(&self, node: NodeIdx) -> bool {
        let i = node.0 as usize;
        self.whole
            || self
                .words
                .get(i / 64)
                .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }
}

impl Reads {
    /// Sets for `threads` pool threads over `nodes` nodes.
    pub(super) fn new(threads: usize, nodes: usize) -> Self {
        let set = || ReadSet {
            words: (0..nodes.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
            whole: AtomicBool::new(false),
        };
        Self {
            sets: (0..=threads).map(|_| set()).collect(),
        }
    }

    /// The calling thread's set.
    fn set(&self) -> &ReadSet {
        let last = self.sets.len() - 1;
        &self.sets[rayon::current_thread_index().map_or(last, |i| i.min(last))]
    }

    /// Records that `node`'s load was read.
    #[inline]
    pub(crate) fn mark(&self, node: NodeIdx) {
        let i = node.0 as usize;
        if let Some(w) = self.set().words.get(i / 64) {
            let bit = 1 << (i % 64);
            let old = w.load(Relaxed);
            if old & bit == 0 {
                w.store(old | bit, Relaxed);
            }
        }
    }

    /// Records that the route found nothing loaded (see [`ReadSet::whole`]).
    pub(crate) fn mark_whole(&self) {
        self.set().whole.store(true, Relaxed);
    }

    /// Forgets the calling thread's reads.
    pub(super) fn clear(&self) {
        let set = self.set();
        for w in &set.words {
            w.store(0, Relaxed);
        }
        set.whole.store(false, Relaxed);
    }

    /// The calling thread's reads since its last take or clear; clears them.
    pub(super) fn take(&self) -> ReadNodes {
        let set = self.set();
        ReadNodes {
            words: set.words.iter().map(|w| w.swap(0, Relaxed)).collect(),
            whole: set.whole.swap(false, Relaxed),
        }
    }
}
