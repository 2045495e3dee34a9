//! Stock positioning (docs/positioning.md): from replayed days, recommend stock moves (SKU,
//! from node, to node, units) made before the first day that would have turned unfilled lines
//! and long shipments into near ones, each proven by re-running the days with the moves applied.
//!
//! The search is greedy. Each round lists candidate moves from the current replay
//! ([`candidates`]: the demand of unfilled lines and of lines promised two or more days out,
//! moved to the nodes nearest their destinations from the holder with the most stock left
//! unused), re-runs the days once per candidate on top of the moves already taken, and keeps
//! the candidate whose re-run costs least, if it costs less than the current replay. It stops
//! after [`PositionOptions::max_moves`] moves or when no candidate lowers the cost. The router
//! decides every re-run, so a kept move is a measured saving, never an estimate, and the
//! recommended moves never make the replay dearer: every kept move lowered the total cost
//! (docs/design.md §3, unfilled units included) of the re-run days.

mod candidates;

pub use candidates::candidates;

use crate::{Day, DayError, NodeIdx, Replay, ReplayedDay, SkuId, StockTable};

/// Units of a SKU moved from one node to another before the first replayed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StockMove {
    /// The SKU moved.
    pub sku: SkuId,
    /// The node the units leave.
    pub from: NodeIdx,
    /// The node the units arrive at.
    pub to: NodeIdx,
    /// Units moved.
    pub units: u32,
}

impl StockMove {
    /// Applies the move to `stock`: takes up to `units` at `from` and adds what was taken at
    /// `to`. Returns the units moved (fewer than asked when `from` holds fewer).
    pub fn apply(&self, stock: &mut StockTable) -> u32 {
        let taken = stock.take(self.from, self.sku, self.units);
        stock.add(self.to, self.sku, taken);
        taken
    }
}

/// `stock` with `moves` applied in order.
pub fn apply_moves(stock: &StockTable, moves: &[StockMove]) -> StockTable {
    let mut s = stock.clone();
    for m in moves {
        m.apply(&mut s);
    }
    s
}

/// The caps of the search: at most `max_moves` moves, each round trying at most
/// `max_candidates` candidates, each line's demand offered to its `targets_per_line` nearest
/// nodes. A run re-routes the days at most `1 + max_moves × max_candidates` times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionOptions {
    /// Moves recommended at most.
    pub max_moves: usize,
    /// Candidates re-run per round at most (the largest by units).
    pub max_candidates: usize,
    /// Nearest nodes to a destination a line's demand is offered to.
    pub targets_per_line: usize,
}

impl Default for PositionOptions {
    /// 5 moves, 16 candidates a round, the 2 nearest nodes per line.
    fn default() -> Self {
        Self {
            max_moves: 5,
            max_candidates: 16,
            targets_per_line: 2,
        }
    }
}

/// A recommended move and what the re-run showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvenMove {
    /// The move.
    pub stock_move: StockMove,
    /// Total cost of the days with the moves before this one, cents.
    pub cost_before_cents: i64,
    /// Total cost of the days re-run with this move added, cents (lower).
    pub cost_after_cents: i64,
}

/// What [`recommend_moves`] found.
#[derive(Debug, Clone)]
pub struct Positioning {
    /// The moves, in the order the search took them.
    pub moves: Vec<ProvenMove>,
    /// The days replayed as recorded.
    pub before: Vec<ReplayedDay>,
    /// The days re-run with every move applied before the first.
    pub after: Vec<ReplayedDay>,
    /// Re-runs of the days the search made (the first replay included).
    pub replays: usize,
}

/// Total objective of replayed days, cents.
pub fn days_cost_cents(days: &[ReplayedDay]) -> i64 {
    days.iter().map(|d| d.plan.totals.cost_cents).sum()
}

/// Searches stock moves for `days` replayed from `start` (see the module docs).
///
/// # Errors
///
/// A day whose recorded events do not fit its plan (as [`Replay::days`]).
pub fn recommend_moves(
    replay: &Replay<'_>,
    days: &[Day<'_>],
    start: &StockTable,
    options: &PositionOptions,
) -> Result<Positioning, DayError> {
    let before = replay.days(days, start)?;
    let mut replays = 1;
    let mut current = before.clone();
    let mut current_cost = days_cost_cents(&current);
    let mut taken: Vec<StockMove> = Vec::new();
    let mut moves = Vec::new();
    while moves.len() < options.max_moves {
        let stock = apply_moves(start, &taken);
        let mut best: Option<(i64, StockMove, Vec<ReplayedDay>)> = None;
        for c in candidates(replay.router, days, &stock, &current, replay.now, options) {
            let mut moved = stock.clone();
            let units = c.apply(&mut moved);
            if units == 0 {
                continue;
            }
            let rerun = replay.days(days, &moved)?;
            replays += 1;
            let cost = days_cost_cents(&rerun);
            if cost < best.as_ref().map_or(current_cost, |b| b.0) {
                best = Some((cost, StockMove { units, ..c }, rerun));
            }
        }
        let Some((cost, m, rerun)) = best else { break };
        moves.push(ProvenMove {
            stock_move: m,
            cost_before_cents: current_cost,
            cost_after_cents: cost,
        });
        taken.push(m);
        current = rerun;
        current_cost = cost;
    }
    Ok(Positioning {
        moves,
        before,
        after: current,
        replays,
    })
}

#[cfg(test)]
mod tests;
