//! The repeated (node, SKU) pairs of the kept rows, found as the rows come: a stream scans each
//! chunk's rows once they are appended, beside the next chunk's parts, so that only the last
//! chunk's rows are left for after the read. A table's rows are all scanned after the read, in
//! two halves on two threads when they are many.
//!
//! While each node's rows are in one run (files are usually grouped by node), equal pairs are in
//! one run, found by marking each SKU with the run's number ([`Runs`]), and a run is sorted on
//! its own, in cache, only when a SKU of it is marked twice; a line is worked out only for such
//! a run's rows. A node met again in a later run, or a row not kept (its pair is not in the
//! rows), and the scan stops: [`Positions`] finds the repeats of every row at the end instead,
//! by the same runs over every row when rows were dropped, by sorting them all when a node came
//! back.

use super::positions::{key, repeats_in, Positions, Repeat};
use omniroute_core::{NodeIdx, SkuId, StockRow};
use std::ops::Range;

/// The scan of the kept rows so far (see the module head).
pub(super) struct Repeats {
    runs: Runs,
    /// The current run's first row, and whether the run marked a SKU twice.
    start: usize,
    twice: bool,
    /// The rows scanned.
    done: usize,
    /// The repeats of the runs ended so far.
    out: Vec<Repeat>,
    /// A node came back or a row was not kept: the scan stopped, [`Positions`] finds the
    /// repeats at the end.
    stopped: bool,
}

impl Repeats {
    /// A scan over the rows of a network of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Repeats {
            runs: Runs::new(nodes),
            start: 0,
            twice: false,
            done: 0,
            out: Vec::new(),
            stopped: false,
        }
    }

    /// Scans `rows` past those scanned before; `positions` are theirs, every row's noted.
    pub fn scan(&mut self, rows: &[StockRow], positions: &Positions) {
        if self.stopped || positions.dropped_any() {
            self.stopped = true;
            return;
        }
        // The flag in a local, kept in a register (not stored back each row).
        let mut twice = self.twice;
        for (i, r) in rows.iter().enumerate().skip(self.done) {
            if i == 0 || r.node != rows[i - 1].node {
                if twice {
                    repeats_of(self.start..i, rows, positions, &mut self.out);
                }
                if !self.runs.start(r.node) {
                    self.stopped = true;
                    return;
                }
                (twice, self.start) = (false, i);
            }
            twice |= self.runs.mark(r.sku);
        }
        self.twice = twice;
        self.done = rows.len();
    }

    /// Every row of `rows` (all the stock's) whose pair an earlier row gave, with that earlier
    /// row's line, in line order. Many rows left to scan (a table's, scanned only here) are
    /// scanned in two halves on two threads, cut where a node's run starts (see
    /// [`Repeats::scan_halves`]).
    pub fn finish(self, rows: &[StockRow], positions: &Positions) -> Vec<Repeat> {
        let cores = super::Threads::all(None).count;
        let min_half = if cores > 1 { MIN_HALF } else { usize::MAX };
        self.finish_halved(rows, positions, min_half)
    }

    /// [`Repeats::finish`], in two halves when at least `min_half` rows are left for each.
    pub(super) fn finish_halved(
        mut self,
        rows: &[StockRow],
        positions: &Positions,
        min_half: usize,
    ) -> Vec<Repeat> {
        match cut(rows, self.done, min_half) {
            Some(mid) if !self.stopped && !positions.dropped_any() => {
                self.scan_halves(rows, positions, mid);
            }
            _ => self.scan(rows, positions),
        }
        if self.stopped {
            return if positions.dropped_any() {
                positions.repeated(rows, self.runs.nodes())
            } else {
                positions.all_repeated(rows)
            };
        }
        if self.twice {
            repeats_of(self.start..rows.len(), rows, positions, &mut self.out);
        }
        self.out.sort_unstable_by_key(|r| r.2);
        self.out
    }
}

impl Repeats {
    /// [`Repeats::scan`] of every row, the rows from `mid` (where a node's run starts) on a
    /// thread of their own with runs of their own: the same runs, so the same repeats, and the
    /// scan stops as it would when a node comes back (in either half, or in both).
    fn scan_halves(&mut self, rows: &[StockRow], positions: &Positions, mid: usize) {
        let nodes = self.runs.nodes();
        let tail = std::thread::scope(|s| {
            let tail = s.spawn(|| {
                let mut tail = Repeats {
                    runs: Runs::new(nodes),
                    start: mid,
                    twice: false,
                    done: mid,
                    out: Vec::new(),
                    stopped: false,
                };
                tail.scan(rows, positions);
                tail
            });
            self.scan(&rows[..mid], positions);
            tail.join().expect("the repeats scan panicked")
        });
        if self.stopped {
            return;
        }
        // The first half's last run ends where the second half's first starts.
        if self.twice {
            repeats_of(self.start..mid, rows, positions, &mut self.out);
        }
        let Repeats {
            mut runs,
            start,
            twice,
            done,
            out,
            stopped,
        } = tail;
        if stopped || !runs.join(&self.runs) {
            self.stopped = true;
            return;
        }
        self.out.extend(out);
        (self.runs, self.start, self.twice, self.done) = (runs, start, twice, done);
    }
}

/// Where to cut the rows past `done` in two for [`Repeats::scan_halves`]: the start of the
/// node run at or past their middle, when at least `min_half` rows are left for each half.
fn cut(rows: &[StockRow], done: usize, min_half: usize) -> Option<usize> {
    let left = rows.len().checked_sub(done)?;
    if left / 2 < min_half.max(1) {
        return None;
    }
    let mut mid = done + left / 2;
    let node = rows[mid - 1].node;
    while rows.get(mid)?.node == node {
        mid += 1;
    }
    (mid - done >= min_half && rows.len() - mid >= min_half).then_some(mid)
}

/// The fewest rows scanned on a thread of their own.
const MIN_HALF: usize = 1 << 16;

/// Runs of rows naming one node, each SKU marked with the run's number: a run that marks a SKU
/// twice holds a repeated pair, and only such a run needs sorting.
pub(super) struct Runs {
    /// Per node: some run named it.
    seen: Vec<bool>,
    /// Per SKU: the number of the last run (from 1) that named it.
    marks: Vec<u32>,
    /// The current run's number.
    number: u32,
}

impl Runs {
    /// Runs over the rows of a network of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Runs {
            seen: vec![false; nodes],
            marks: Vec::new(),
            number: 0,
        }
    }

    /// Starts a run of `node`'s rows; false when an earlier run named `node` (the rows are not
    /// grouped by node).
    #[inline]
    pub fn start(&mut self, node: NodeIdx) -> bool {
        self.number += 1;
        !std::mem::replace(&mut self.seen[node.0 as usize], true)
    }

    /// Marks `sku` in the current run: true when the run marked it before.
    #[inline]
    pub fn mark(&mut self, sku: SkuId) -> bool {
        let sku = sku.0 as usize;
        if sku >= self.marks.len() {
            self.marks.resize(sku + 1, 0);
        }
        std::mem::replace(&mut self.marks[sku], self.number) == self.number
    }

    /// Notes the nodes `before` (the runs of the rows before these) named as named here: false
    /// when both named some node (it came back).
    fn join(&mut self, before: &Runs) -> bool {
        let mut apart = true;
        for (seen, &before) in self.seen.iter_mut().zip(&before.seen) {
            apart &= !(*seen && before);
            *seen |= before;
        }
        apart
    }

    /// The network's nodes.
    pub fn nodes(&self) -> usize {
        self.seen.len()
    }
}

/// Adds the repeats among the rows `range` of `rows` (one run) to `out`.
fn repeats_of(
    range: Range<usize>,
    rows: &[StockRow],
    positions: &Positions,
    out: &mut Vec<Repeat>,
) {
    let mut run: Vec<(u64, u64)> = range
        .map(|i| (key(rows[i].node, rows[i].sku), positions.line_of(i)))
        .collect();
    repeats_in(&mut run, out);
}
