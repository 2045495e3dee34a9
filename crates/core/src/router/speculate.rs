//! The parallel sequential batch. One thread, the committer, owns the batch's stock and load and
//! commits the orders in arrival order; each other thread, a worker, routes orders ahead of the
//! committer against its own copy of the state, first bringing the copy up to date with the
//! decisions committed so far. A guess records how many committed orders its state held; when
//! its turn comes, the committer keeps it unless an order committed since changed something it
//! read (`Router::stale`), and otherwise routes the order again against the state of the moment.
//! Each order is claimed once (a flag per order): a worker claims every other order from the one
//! after the next to commit, and the committer routes the ones left between at their turn, once,
//! against the committed state, with no reads to record and no guess to judge. A worker that is
//! far enough ahead claims the orders it left too, and one further ahead waits; a committer
//! whose next order a worker is still routing routes one a little ahead meanwhile, and past
//! that routes its own next order rather than wait. So no thread waits for another, every
//! committed decision is the one the one-thread run makes, and the plan is identical. No state
//! is shared between threads but by copy: the committer appends what each commit took to a log
//! ([`Taken`], units per (node, SKU) and shipments per node) that the workers replay, guesses go
//! over a channel, and a counter says how far the commits are. Each guess records what it read
//! ([`Reads`], one set per copy of the state): the nodes whose load and whose stock it read, and
//! the holder counts it compared. A node that filled up, or a stock change, makes a guess stale
//! only if the guess read it (`benches/README.md`).

use super::batch::apply;
use super::reads::{Reads, RouteReads};
use super::{Decision, Load, Router, StockTable};
use crate::{NodeIdx, Order, SkuId};
use jiff::Timestamp;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{mpsc, Arc};

/// How far past the next order to commit, per thread, a worker routes orders ahead.
const AHEAD_PER_THREAD: usize = 8;
/// How far past the next order to commit, per thread, the committer routes orders ahead while
/// it waits for a guess (less than the workers: it would keep them out).
const COMMITTER_AHEAD_PER_THREAD: usize = 2;
/// Commits between two calls of the batch's `progress`.
const PROGRESS_EVERY: usize = 256;

/// How a parallel batch's orders were routed (see `router/speculate.rs`); the plan is the
/// one-thread plan whatever these are. Every order is counted once in `kept`, `rerouted`,
/// `at_turn` or `routed_twice`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Speculation {
    /// Guesses kept: routed ahead of their turn, and still the route at their turn.
    pub kept: u64,
    /// Guesses gone stale (an order committed since changed what they read), routed again at
    /// their turn.
    pub rerouted: u64,
    /// Orders no thread had claimed at their turn, which the committer routed then (the
    /// committer's share of the batch: routed once, against the state of their turn, with no
    /// reads recorded).
    pub at_turn: u64,
    /// Orders a worker was still routing at their turn: the committer routed them at their turn
    /// and dropped the worker's guess when it came (these were routed twice).
    pub routed_twice: u64,
    /// Of the guesses (kept or stale), those the committer routed ahead itself while it waited
    /// for a worker's; the rest came from the workers.
    pub committer_guesses: u64,
}

impl Speculation {
    /// Counts a guess judged at its turn: `stale`, or kept.
    fn judged(&mut self, stale: bool) {
        if stale {
            self.rerouted += 1;
        } else {
            self.kept += 1;
        }
    }
}

/// What committed orders changed, in commit order: (node, SKU) per shipped line, and each
/// capacity-limited node shipped from; and where both stood after each commit.
struct Changes {
    stock: Vec<(NodeIdx, SkuId)>,
    limited: Vec<NodeIdx>,
    /// `marks[k]`: the lengths of `stock` and `limited` after `k` commits.
    marks: Vec<(usize, usize)>,
}

/// What the committed orders took, in commit order, for the workers to replay onto their copies:
/// the units of each shipped line at its (node, SKU), and each shipment's node and units. (Not
/// the decisions themselves: a compact list is cheaper to hand over and to replay.)
#[derive(Default)]
struct Taken {
    lines: Vec<(NodeIdx, SkuId, u32)>,
    shipments: Vec<(NodeIdx, u32)>,
    /// The orders committed.
    commits: usize,
    /// The reads of guesses judged, for the workers to record their next guesses' reads in.
    spent: Vec<RouteReads>,
}

impl Taken {
    /// Appends what `d` for `order` takes.
    fn record(&mut self, order: &Order, d: &Decision) {
        for s in &d.shipments {
            self.lines.extend(s.lines.iter().map(|&l| {
                let line = &order.lines[l];
                (s.node, line.sku, line.qty)
            }));
            self.shipments.push((s.node, s.units));
        }
        self.commits += 1;
    }
}

/// A worker's place in the [`Taken`] log: how much of it its copy of the state holds.
#[derive(Default)]
struct Replayed {
    lines: usize,
    shipments: usize,
    commits: usize,
    /// The entries last copied out of the log (kept for their allocations).
    new_lines: Vec<(NodeIdx, SkuId, u32)>,
    new_shipments: Vec<(NodeIdx, u32)>,
    /// Read sets to record guesses' reads in (see [`Taken::spent`]).
    spare: Vec<RouteReads>,
}

impl Replayed {
    /// Brings `stock` and `load` up to date with `taken`. The lock is held only to copy the new
    /// entries out.
    fn catch_up(&mut self, taken: &Mutex<Taken>, stock: &mut StockTable, load: &mut Load) {
        {
            let mut t = taken.lock();
            self.new_lines.clear();
            self.new_lines.extend_from_slice(&t.lines[self.lines..]);
            self.new_shipments.clear();
            self.new_shipments
                .extend_from_slice(&t.shipments[self.shipments..]);
            self.commits = t.commits;
            self.spare.append(&mut t.spent);
        }
        self.lines += self.new_lines.len();
        self.shipments += self.new_shipments.len();
        for &(node, sku, units) in &self.new_lines {
            let took = stock.take(node, sku, units);
            debug_assert_eq!(took, units, "a committed line took more than the stock");
        }
        for &(node, units) in &self.new_shipments {
            load.add_shipment(node, units);
        }
    }
}

/// A speculative decision, what its route read of the load and the stock, and how many committed
/// orders the state it was routed against held.
struct Guess {
    decision: Decision,
    reads: RouteReads,
    seen: usize,
}

/// The guesses for the orders from the next to commit on, by their distance from it.
#[derive(Default)]
struct Ahead(VecDeque<Option<Guess>>);

impl Ahead {
    /// Keeps `guess` for the order `distance` after the next to commit.
    fn keep(&mut self, distance: usize, guess: Guess) {
        if self.0.len() <= distance {
            self.0.resize_with(distance + 1, || None);
        }
        self.0[distance] = Some(guess);
    }

    /// The guess for the next order to commit, if it has come.
    fn next(&mut self) -> Option<Guess> {
        self.0.front_mut().and_then(Option::take)
    }

    /// Moves on to the following order.
    fn advance(&mut self) {
        self.0.pop_front();
    }
}

impl Changes {
    /// No change yet, with room for the marks of `orders` commits.
    fn new(orders: usize) -> Self {
        let mut marks = Vec::with_capacity(orders + 1);
        marks.push((0, 0));
        Changes {
            stock: Vec::new(),
            limited: Vec::new(),
            marks,
        }
    }

    /// Records what committing `d` for `order` changes.
    fn record(&mut self, router: &Router, order: &Order, d: &Decision) {
        for s in &d.shipments {
            for &l in &s.lines {
                self.stock.push((s.node, order.lines[l].sku));
            }
            if router.capacity_limited(s.node) {
                self.limited.push(s.node);
            }
        }
        self.marks.push((self.stock.len(), self.limited.len()));
    }
}

/// The committer's read sets of judged guesses: up to `keep` for its own next guesses, the rest
/// for the workers' ([`Taken::spent`]). Reused, a set is freed on no thread but at the end.
struct Spares {
    mine: Vec<RouteReads>,
    theirs: Vec<RouteReads>,
    keep: usize,
}

impl Spares {
    fn recycle(&mut self, reads: RouteReads) {
        if self.mine.len() < self.keep {
            self.mine.push(reads);
        } else {
            self.theirs.push(reads);
        }
    }
}

/// How the threads share out the orders.
#[derive(Clone, Copy)]
struct Claims<'a> {
    /// `claimed[n]`: a thread has taken order `n` (each order is taken once, by `swap`).
    claimed: &'a [AtomicBool],
    /// The orders committed.
    done: &'a AtomicUsize,
    /// How far past `done` a worker claims orders.
    ahead_max: usize,
}

impl Claims<'_> {
    /// Takes order `n` if no thread has (a taken flag is only read: a worker waiting at the
    /// end of its reach goes over taken ones again and again).
    fn take(self, n: usize) -> bool {
        let flag = &self.claimed[n];
        !flag.load(Relaxed) && !flag.swap(true, Relaxed)
    }

    /// Takes the first order of `range` that no thread has taken.
    fn take_first(self, mut range: std::ops::Range<usize>) -> Option<usize> {
        range.find(|&n| self.take(n))
    }

    /// A worker: until every order is claimed, brings its `stock` and `load` (which record
    /// their reads in `reads`) up to date with what the committed orders `taken`, claims an
    /// order ahead of the committer and sends its guess `to_committer`. It claims every other
    /// order from the first past the next to commit, leaving the ones between to the committer,
    /// which routes them at their turn (once, unrecorded, never stale); when it is
    /// [`Claims::ahead_max`] ahead it takes those it left too, and past that it waits.
    fn work(
        self,
        orders: &[Order],
        (stock, load, reads): (&mut StockTable, &mut Load, &Reads),
        taken: &Mutex<Taken>,
        to_committer: &mpsc::Sender<(usize, Guess)>,
        guess: &impl Fn(&Order, &StockTable, &Load, (&Reads, RouteReads), usize) -> Guess,
    ) {
        let mut replayed = Replayed::default();
        let mut cursor = 0;
        loop {
            if self.done.load(Relaxed) > replayed.commits {
                replayed.catch_up(taken, stock, load);
            }
            let done = self.done.load(Relaxed);
            let end = (done + self.ahead_max).min(orders.len());
            let first = cursor.max(done + 1);
            let n = match self.take_first(first..end) {
                Some(n) => {
                    cursor = n + 2;
                    n
                }
                None => match self.take_first(done + 1..first.min(end)) {
                    Some(n) => n,
                    None if end == orders.len() => break, // every order is taken
                    None => {
                        std::thread::yield_now(); // far enough ahead of the committer
                        continue;
                    }
                },
            };
            let spare = replayed.spare.pop().unwrap_or_default();
            let g = guess(&orders[n], stock, load, (reads, spare), replayed.commits);
            if to_committer.send((n, g)).is_err() {
                break;
            }
        }
    }
}

/// The committer's side of the batch: the guesses it has for the orders ahead, and its counts.
struct Committer<'a> {
    claims: Claims<'a>,
    guesses: mpsc::Receiver<(usize, Guess)>,
    ahead: Ahead,
    spares: Spares,
    counts: Speculation,
    /// How far past the order at its turn it routes orders ahead while it waits for a guess.
    reach: usize,
}

impl Committer<'_> {
    /// The guess for order `c` (at its turn) of `orders` orders, if there is one to judge. With
    /// none yet, while a worker routes `c`, it routes the next unclaimed order a little ahead
    /// meanwhile (`route_ahead(m, into)`: order `m`, its reads into `into`). Past that, with none
    /// left, or when no thread claimed `c`, there is none: the committer routes `c` itself (and
    /// drops the worker's guess of it when it comes).
    fn guess_for(
        &mut self,
        c: usize,
        orders: usize,
        mut route_ahead: impl FnMut(usize, RouteReads) -> Guess,
    ) -> Option<Guess> {
        loop {
            for (n, g) in self.guesses.try_iter() {
                match n.checked_sub(c) {
                    Some(distance) => self.ahead.keep(distance, g),
                    None => self.spares.recycle(g.reads), // routed here already
                }
            }
            if let Some(g) = self.ahead.next() {
                return Some(g);
            }
            if self.claims.take(c) {
                self.counts.at_turn += 1;
                return None;
            }
            // Rather than wait for the worker (the system may not be running it).
            let Some(m) = self
                .claims
                .take_first(c + 1..(c + 1 + self.reach).min(orders))
            else {
                self.counts.routed_twice += 1;
                return None;
            };
            let into = self.spares.mine.pop().unwrap_or_default();
            self.counts.committer_guesses += 1;
            let g = route_ahead(m, into);
            self.ahead.keep(m - c, g);
        }
    }
}

/// Runs `route` against `stock` and `load` without recording its reads (a route at its turn is
/// never judged), then records again.
fn unrecorded<T>(
    stock: &mut StockTable,
    load: &mut Load,
    route: impl FnOnce(&StockTable, &Load) -> T,
) -> T {
    let reads = (stock.record_reads(None), load.record_reads(None));
    let out = route(stock, load);
    stock.record_reads(reads.0);
    load.record_reads(reads.1);
    out
}

impl Router {
    /// Routes `orders` in arrival order on `threads` threads into `decisions`, taking what they
    /// ship out of `stock` and adding it to `load`; `progress` every [`PROGRESS_EVERY`] orders.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn route_speculating(
        &self,
        orders: &[Order],
        stock: &mut StockTable,
        load: &mut Load,
        now: Timestamp,
        threads: usize,
        decisions: &mut Vec<Decision>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Speculation {
        let nodes = self.network().len();
        let reads = Arc::new(Reads::new(nodes));
        load.record_reads(Some(Arc::clone(&reads)));
        stock.record_reads(Some(Arc::clone(&reads)));
        // Routes `order` against a state holding `seen` committed orders, whose reads `reads`
        // records, and takes its reads into `into`.
        let guess = |order: &Order,
                     stock: &StockTable,
                     load: &Load,
                     (reads, mut into): (&Reads, RouteReads),
                     seen: usize| {
            reads.clear(); // what was read since (a staleness test) is not the route's
            let decision = self.route_priced(order, stock, load, now, None);
            Guess {
                decision,
                reads: {
                    reads.take_into(&mut into);
                    into
                },
                seen,
            }
        };
        let done = AtomicUsize::new(0);
        let claimed: Vec<AtomicBool> = orders.iter().map(|_| AtomicBool::new(false)).collect();
        let claims = Claims {
            claimed: &claimed,
            done: &done,
            ahead_max: AHEAD_PER_THREAD * threads,
        };
        let guess = &guess;
        let taken = &Mutex::new(Taken::default());
        let counts = rayon::scope(|scope| {
            let (to_committer, guesses) = mpsc::channel::<(usize, Guess)>();
            for _ in 1..threads {
                let (mut stock, mut load) = (stock.clone(), load.clone());
                let reads = Arc::new(Reads::new(nodes));
                stock.record_reads(Some(Arc::clone(&reads)));
                load.record_reads(Some(Arc::clone(&reads)));
                let to_committer = to_committer.clone();
                scope.spawn(move |_| {
                    let state = (&mut stock, &mut load, &*reads);
                    claims.work(orders, state, taken, &to_committer, guess);
                });
            }
            drop(to_committer);
            let mut changes = Changes::new(orders.len());
            // Its own guesses in hand are at most its reach: as many read sets as it keeps.
            let reach = COMMITTER_AHEAD_PER_THREAD * threads;
            let mut committer = Committer {
                claims,
                guesses,
                ahead: Ahead::default(),
                spares: Spares {
                    mine: Vec::new(),
                    theirs: Vec::new(),
                    keep: reach,
                },
                counts: Speculation::default(),
                reach,
            };
            for (c, order) in orders.iter().enumerate() {
                let guessed = committer.guess_for(c, orders.len(), |m, into| {
                    guess(&orders[m], stock, load, (&reads, into), c)
                });
                let kept = guessed.and_then(|g| {
                    let stale = self.stale_since(order, &changes, &g, stock, load);
                    committer.spares.recycle(g.reads);
                    committer.counts.judged(stale);
                    (!stale).then_some(g.decision)
                });
                let d = kept.unwrap_or_else(|| {
                    unrecorded(stock, load, |stock, load| {
                        self.route_priced(order, stock, load, now, None)
                    })
                });
                committer.ahead.advance();
                changes.record(self, order, &d);
                {
                    let mut t = taken.lock();
                    t.record(order, &d);
                    t.spent.append(&mut committer.spares.theirs);
                }
                apply(order, &d, stock, load);
                decisions.push(d);
                claims.done.store(c + 1, Relaxed);
                if (c + 1) % PROGRESS_EVERY == 0 || c + 1 == orders.len() {
                    progress(c + 1);
                }
            }
            committer.counts
        });
        load.record_reads(None);
        stock.record_reads(None);
        counts
    }

    /// [`Router::stale`] for `guess` of `order` against what was committed since its state.
    fn stale_since(
        &self,
        order: &Order,
        changes: &Changes,
        guess: &Guess,
        stock: &StockTable,
        load: &Load,
    ) -> bool {
        let (from_stock, from_limited) = changes.marks[guess.seen];
        self.stale(
            order,
            &changes.stock[from_stock..],
            &changes.limited[from_limited..],
            &guess.reads,
            stock,
            load,
        )
    }
}
