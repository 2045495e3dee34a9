//! [`Reads`]: while a batch speculates (`speculate.rs`), what each order's route read of the load
//! and the stock, so that a guess goes stale only when something it actually looked at changed.
//!
//! A route reads a node's load to ask whether its capacity binds, and the stock in two ways: at
//! a node ("does this node hold enough of the order's SKUs", its units under a balance term) and
//! through counts of holders (how long the order's posting lists are, how many nodes may hold
//! every line), which choose how candidates are gathered. The nodes are recorded as bits, a
//! count as the range of values for which every comparison the route made of it comes out the
//! same ([`Counts`]).
//!
//! The stock nodes read are the nodes the route weighed (`Search::consider`), those whose
//! membership in the full holders the nearest-first walk asked, the nodes the line floors kept
//! or may take for a line's nearest holder, and a short line's scanned holders. A node that a
//! candidate list (the holders of a sparse order, the full holders, the first phase's walk)
//! holds but the scan never weighed is not read: stock only falls during a batch, so no node
//! joins a list, and one leaving it beyond where the scan stopped leaves the nodes before that
//! point, in the same nearest-first order, as they were (the walk's queue pops every other entry
//! in the same order, and so makes the same tests, until the node's own turn).
//!
//! One set per copy of the state: each thread of a batch routes against its own copy of the
//! stock and load, which hold its set, so a route marks its reads without asking which thread it
//! runs on (an order is routed on one thread from start to end: the router spawns no work of its
//! own). Each set is written by its own thread only, so relaxed loads and stores suffice (and
//! its counts' lock is never contended).

use crate::{NodeIdx, SkuId};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

/// What routes read of one copy of the state since the last [`Reads::take_into`]. Aligned to two
/// cache lines, so that the locks and flags of two threads' sets never share one (the
/// adjacent-line prefetcher pairs lines).
#[derive(Debug)]
#[repr(align(128))]
pub(crate) struct Reads {
    /// Nodes whose load was read.
    load: NodeBits,
    /// Nodes whose stock of the order's SKUs was read.
    stock: NodeBits,
    counts: Mutex<Counts>,
}

#[derive(Debug)]
struct NodeBits {
    words: Vec<AtomicU64>,
    /// Bit `w` set: `words[w]` may hold a bit. A route marks a few words of many (313 on a
    /// 20,000-node network), and taking or clearing them visits these alone.
    dirty: Vec<AtomicU64>,
    /// Every node counts as read (for the load: the route asked whether anything was loaded
    /// and nothing was, so it may have judged every node's capacity as if idle).
    whole: AtomicBool,
}

impl NodeBits {
    fn new(nodes: usize) -> Self {
        let words = nodes.div_ceil(64);
        NodeBits {
            words: (0..words).map(|_| AtomicU64::new(0)).collect(),
            dirty: (0..words.div_ceil(64)).map(|_| AtomicU64::new(0)).collect(),
            whole: AtomicBool::new(false),
        }
    }

    #[inline]
    fn mark(&self, node: NodeIdx) {
        let i = node.0 as usize;
        if let Some(w) = self.words.get(i / 64) {
            let bit = 1 << (i % 64);
            let old = w.load(Relaxed);
            if old & bit == 0 {
                w.store(old | bit, Relaxed);
                if old == 0 {
                    let word = i / 64;
                    let d = &self.dirty[word / 64];
                    d.store(d.load(Relaxed) | 1 << (word % 64), Relaxed);
                }
            }
        }
    }

    /// The indices of the words that may hold a bit, ascending; `dirty` is cleared.
    fn drain_dirty(&self) -> impl Iterator<Item = usize> + '_ {
        self.dirty.iter().enumerate().flat_map(|(k, d)| {
            let mut bits = d.swap(0, Relaxed);
            std::iter::from_fn(move || {
                let b = bits.trailing_zeros() as usize;
                (bits != 0).then(|| {
                    bits &= bits - 1;
                    k * 64 + b
                })
            })
        })
    }

    /// The marked words, each zeroed as it is read, into `into` (its allocation reused).
    fn take_into(&self, into: &mut ReadNodes) {
        into.words.clear();
        // There are at most 2^32 nodes (indexed by u32), so fewer words.
        #[allow(clippy::cast_possible_truncation)]
        into.words.extend(
            self.drain_dirty()
                .map(|w| (w as u32, self.words[w].swap(0, Relaxed))),
        );
        into.whole = self.whole.swap(false, Relaxed);
    }

    fn clear(&self) {
        for w in self.drain_dirty() {
            self.words[w].store(0, Relaxed);
        }
        self.whole.store(false, Relaxed);
    }
}

/// Locks a lock that only its set's own thread ever takes.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The nodes one route read (of the load, or of the stock).
#[derive(Debug, Default)]
pub(crate) struct ReadNodes {
    /// (word index, its bits), by word index, every word non-zero.
    words: Vec<(u32, u64)>,
    whole: bool,
}

impl ReadNodes {
    /// True when the route may have read `node`.
    pub(super) fn covers(&self, node: NodeIdx) -> bool {
        let i = node.0 as usize;
        self.whole
            || self
                .words
                .binary_search_by_key(&(i / 64), |&(w, _)| w as usize)
                .is_ok_and(|k| self.words[k].1 >> (i % 64) & 1 == 1)
    }
}

/// A count of holders a route compared (see [`Counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    /// The summed lengths of the posting lists of the order's SKUs (each SKU once).
    Postings,
    /// [`StockTable::full_holders_at_most`](super::StockTable::full_holders_at_most) of the
    /// order's SKUs, each with the most units a line asks.
    FullAtMost,
    /// The length of one SKU's posting list.
    Holders(SkuId),
}

/// Per count a route read, the values (inclusive) for which each of its comparisons of the count
/// comes out as it did: the route, a function of those outcomes and of the nodes it read, is the
/// same while the count stays within them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    ranges: Vec<(Count, usize, usize)>,
}

impl Counts {
    fn narrow(&mut self, count: Count, lo: usize, hi: usize) {
        match self.ranges.iter_mut().find(|(c, _, _)| *c == count) {
            Some((_, l, h)) => {
                *l = (*l).max(lo);
                *h = (*h).min(hi);
            }
            None => self.ranges.push((count, lo, hi)),
        }
    }

    /// True when every count, as `value` gives it now, is within its range.
    pub(super) fn hold(&self, mut value: impl FnMut(Count) -> usize) -> bool {
        self.ranges.iter().all(|&(c, lo, hi)| {
            let v = value(c);
            lo <= v && v <= hi
        })
    }
}

/// What one route read ([`Reads::take_into`]).
#[derive(Debug, Default)]
pub(crate) struct RouteReads {
    pub load: ReadNodes,
    pub stock: ReadNodes,
    pub counts: Counts,
}

impl Reads {
    /// An empty set over `nodes` nodes.
    pub(crate) fn new(nodes: usize) -> Self {
        Self {
            load: NodeBits::new(nodes),
            stock: NodeBits::new(nodes),
            counts: Mutex::new(Counts::default()),
        }
    }

    /// The counts (the lock is only ever taken by the set's own thread).
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        lock(&self.counts)
    }

    /// Records that `node`'s load was read.
    #[inline]
    pub(crate) fn mark(&self, node: NodeIdx) {
        self.load.mark(node);
    }

    /// Records that the route found nothing loaded (see [`NodeBits::whole`]).
    pub(crate) fn mark_whole(&self) {
        self.load.whole.store(true, Relaxed);
    }

    /// Records that `node`'s stock of the order's SKUs was read.
    #[inline]
    pub(crate) fn mark_stock(&self, node: NodeIdx) {
        self.stock.mark(node);
    }

    /// Records that the route's comparisons of `count` come out the same for any value from `lo`
    /// to `hi`.
    pub(crate) fn count(&self, count: Count, lo: usize, hi: usize) {
        debug_assert!(lo <= hi, "{count:?}: {lo} > {hi}");
        self.counts().narrow(count, lo, hi);
    }

    /// Forgets the reads.
    pub(crate) fn clear(&self) {
        self.load.clear();
        self.stock.clear();
        self.counts().ranges.clear();
    }

    /// The reads since the last take or clear, into `into` (its allocations reused: a batch
    /// recycles the reads of the guesses it has judged, rather than free on one thread what
    /// another allocated); clears them.
    pub(crate) fn take_into(&self, into: &mut RouteReads) {
        self.load.take_into(&mut into.load);
        self.stock.take_into(&mut into.stock);
        into.counts.ranges.clear();
        std::mem::swap(&mut into.counts, &mut *self.counts());
    }
}
