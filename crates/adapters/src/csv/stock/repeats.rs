//! The repeated (node, SKU) pairs of the kept rows, found as the rows come: a stream scans each
//! chunk's rows once they are appended, beside the next chunk's parts, so that only the last
//! chunk's rows are left for after the read.
//!
//! While each node's rows are in one run (files are usually grouped by node), equal pairs are in
//! one run, found by marking each SKU with the run's number, and a run is sorted on its own, in
//! cache, only when a SKU of it is marked twice; a line is worked out only for such a run's
//! rows. A node met again in a later run, or a row not kept (its pair is not in the rows), and
//! the scan stops: [`Positions`] finds the repeats of every row at the end instead.

use super::positions::{key, repeats_in, Positions, Repeat};
use omniroute_core::StockRow;
use std::ops::Range;

/// The scan of the kept rows so far (see the module head).
pub(super) struct Repeats {
    /// Per node: some run named it.
    seen: Vec<bool>,
    /// Per SKU: the number of the last run (from 1) that named it.
    marks: Vec<u32>,
    /// The current run's number, whether a SKU of it was marked twice, and its first row.
    number: u32,
    twice: bool,
    start: usize,
    /// The rows scanned.
    done: usize,
    /// The repeats of the runs ended so far.
    out: Vec<Repeat>,
    /// A node came back or a row was not kept: the scan stopped, [`Positions::repeated`] does
    /// it all at the end.
    stopped: bool,
}

impl Repeats {
    /// A scan over the rows of a network of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Repeats {
            seen: vec![false; nodes],
            marks: Vec::new(),
            number: 0,
            twice: false,
            start: 0,
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
        // The loop's state in locals (kept in registers, not stored back each row).
        let (seen, marks, out) = (&mut self.seen, &mut self.marks, &mut self.out);
        let (mut number, mut twice, mut start) = (self.number, self.twice, self.start);
        for (i, r) in rows.iter().enumerate().skip(self.done) {
            if i == 0 || r.node != rows[i - 1].node {
                if twice {
                    repeats_of(start..i, rows, positions, out);
                }
                if std::mem::replace(&mut seen[r.node.0 as usize], true) {
                    self.stopped = true;
                    return;
                }
                (number, twice, start) = (number + 1, false, i);
            }
            let sku = r.sku.0 as usize;
            if sku >= marks.len() {
                marks.resize(sku + 1, 0);
            }
            twice |= marks[sku] == number;
            marks[sku] = number;
        }
        (self.number, self.twice, self.start) = (number, twice, start);
        self.done = rows.len();
    }

    /// Every row of `rows` (all the stock's) whose pair an earlier row gave, with that earlier
    /// row's line, in line order.
    pub fn finish(mut self, rows: &[StockRow], positions: &Positions) -> Vec<Repeat> {
        self.scan(rows, positions);
        if self.stopped {
            return if positions.dropped_any() {
                positions.repeated(rows, self.seen.len())
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
