//! The choice for orders of more than [`EXACT_MAX_LINES`](super::EXACT_MAX_LINES) lines: a
//! greedy cover improved by local search (docs/router.md, "Choosing"), for any number of lines.
//!
//! Invariants: a line is only ever placed at a node whose `Viable::lines` hold it, within the
//! node's unit capacity and its stock of every SKU several lines share, so no result ships what
//! is not there; the best cost only falls and is always a feasible solution's; deterministic
//! (ties keep the earlier node).

use super::candidate::Viable;
use super::choose::{Pick, Problem};
use super::LineSet;

/// Local search moves per search at most.
const MAX_MOVES: usize = 10_000;

/// A node fed to the heuristic.
pub(super) struct Node {
    pub lines: LineSet,
    pub units_left: u64,
    pub base_cents: i64,
    pub line_cents: Vec<i64>,
    pub group_stock: Vec<u32>,
}

/// See the module docs.
pub(crate) struct Greedy {
    pub(super) p: Problem,
    pub(super) nodes: Vec<Node>,
    /// Per line, its SKU group (an index into `p.sku_groups`), if any.
    pub(super) group_of: Vec<Option<usize>>,
    best_cents: i64,
    best: Vec<Pick>,
    /// How many nodes the last search saw.
    solved: usize,
}

/// One solution under construction: per line its node, per node its load.
pub(super) struct State {
    pub at: Vec<Option<usize>>,
    pub lines_at: Vec<usize>,
    pub units_at: Vec<u64>,
    /// `group_at[n * groups + g]`: units of group `g` at node `n`.
    pub group_at: Vec<u64>,
    pub shipments: usize,
}

impl Greedy {
    pub(crate) fn new(p: Problem) -> Self {
        let mut group_of = vec![None; p.units.len()];
        for (g, lines) in p.sku_groups.iter().enumerate() {
            for l in lines.iter() {
                group_of[l] = Some(g);
            }
        }
        Self {
            best_cents: p.unfilled_cents.iter().sum(),
            p,
            nodes: Vec::new(),
            group_of,
            best: Vec::new(),
            solved: 0,
        }
    }

    pub(crate) fn add(&mut self, v: &Viable, line_cents: &[i64], group_stock: &[u32]) {
        self.nodes.push(Node {
            lines: v.lines.clone(),
            units_left: u64::from(v.units_left),
            base_cents: v.base_cents,
            line_cents: line_cents.to_vec(),
            group_stock: group_stock.to_vec(),
        });
        if self.nodes.len() > 2 * self.solved {
            self.solve();
        }
    }

    /// The cost of the best solution found (every line unfilled before any node).
    pub(crate) fn best_cents(&self) -> i64 {
        self.best_cents
    }

    /// The best solution over every node fed, in node order.
    pub(crate) fn picks(&mut self) -> Vec<Pick> {
        if self.solved < self.nodes.len() {
            self.solve();
        }
        self.best.clone()
    }

    fn solve(&mut self) {
        self.solved = self.nodes.len();
        let mut s = self.cover();
        if self.p.ship_complete && s.at.iter().any(Option::is_none) {
            return; // no cover ships every line: nothing ships
        }
        // Each move lowers the cost; the cap only bounds the time on huge orders.
        let mut moves = 0;
        while moves < MAX_MOVES && (self.move_line(&mut s) || self.close_shipment(&mut s)) {
            moves += 1;
        }
        let cost = self.cost(&s);
        if cost < self.best_cents {
            self.best_cents = cost;
            self.best = (0..self.nodes.len())
                .filter(|&n| s.lines_at[n] > 0)
                .map(|n| Pick {
                    viable: n,
                    lines: (0..s.at.len()).filter(|&l| s.at[l] == Some(n)).collect(),
                })
                .collect();
        }
    }

    fn empty_state(&self) -> State {
        let n = self.nodes.len();
        State {
            at: vec![None; self.p.units.len()],
            lines_at: vec![0; n],
            units_at: vec![0; n],
            group_at: vec![0; n * self.p.sku_groups.len()],
            shipments: 0,
        }
    }

    /// The greedy cover: while shipments remain, open the unused node that saves the most.
    fn cover(&self) -> State {
        let mut s = self.empty_state();
        while s.shipments < self.p.max_shipments {
            let penalty = self.penalty(s.shipments + 1) - self.penalty(s.shipments);
            let mut best: Option<(i64, usize)> = None;
            for n in 0..self.nodes.len() {
                if s.lines_at[n] > 0 {
                    continue;
                }
                let (gain, _) = self.take(&s, n, penalty);
                if gain > 0 && best.is_none_or(|(b, _)| gain > b) {
                    best = Some((gain, n));
                }
            }
            let Some((_, n)) = best else { break };
            let (_, lines) = self.take(&s, n, penalty);
            for l in lines {
                self.place(&mut s, l, Some(n));
            }
        }
        s
    }

    /// What opening node `n` saves, and the open lines it takes: those it can ship, in line
    /// order, while its capacity and shared-SKU stock allow and (unless ship-complete) it ships
    /// them for less than their unfilled cost.
    fn take(&self, s: &State, n: usize, penalty: i64) -> (i64, Vec<usize>) {
        let node = &self.nodes[n];
        let (mut units, mut gain) = (0u64, -(node.base_cents + penalty));
        let mut group_units = vec![0u64; self.p.sku_groups.len()];
        let mut lines = Vec::new();
        for l in node.lines.iter().filter(|&l| s.at[l].is_none()) {
            let u = u64::from(self.p.units[l]);
            let saves = self.p.unfilled_cents[l] - node.line_cents[l];
            if units + u > node.units_left || (saves <= 0 && !self.p.ship_complete) {
                continue;
            }
            if let Some(g) = self.group_of[l] {
                if group_units[g] + u > u64::from(node.group_stock[g]) {
                    continue;
                }
                group_units[g] += u;
            }
            units += u;
            gain += saves;
            lines.push(l);
        }
        (gain, lines)
    }

    /// Moves line `l` to node `to` (`None`: unfilled).
    pub(super) fn place(&self, state: &mut State, l: usize, to: Option<usize>) {
        let units = u64::from(self.p.units[l]);
        if let Some(from) = state.at[l] {
            state.lines_at[from] -= 1;
            state.shipments -= usize::from(state.lines_at[from] == 0);
            state.units_at[from] -= units;
            if let Some(g) = self.group_slot(from, l) {
                state.group_at[g] -= units;
            }
        }
        if let Some(to) = to {
            state.shipments += usize::from(state.lines_at[to] == 0);
            state.lines_at[to] += 1;
            state.units_at[to] += units;
            if let Some(g) = self.group_slot(to, l) {
                state.group_at[g] += units;
            }
        }
        state.at[l] = to;
    }

    /// Where node `n`'s units of line `l`'s SKU group are counted, if the line has a group.
    fn group_slot(&self, n: usize, l: usize) -> Option<usize> {
        self.group_of[l].map(|g| n * self.p.sku_groups.len() + g)
    }

    /// True when node `n` can take line `l` on top of what it ships in `s`.
    pub(super) fn fits(&self, s: &State, n: usize, l: usize) -> bool {
        let node = &self.nodes[n];
        let u = u64::from(self.p.units[l]);
        node.lines.contains(l)
            && s.units_at[n] + u <= node.units_left
            && self.group_of[l]
                .zip(self.group_slot(n, l))
                .is_none_or(|(g, slot)| s.group_at[slot] + u <= u64::from(node.group_stock[g]))
    }

    /// The split penalty of `k` shipments.
    pub(super) fn penalty(&self, k: usize) -> i64 {
        self.p.split_penalty_cents * k.saturating_sub(1) as i64
    }

    pub(super) fn cost(&self, s: &State) -> i64 {
        let lines: i64 = (0..s.at.len())
            .map(|l| match s.at[l] {
                Some(n) => self.nodes[n].line_cents[l],
                None => self.p.unfilled_cents[l],
            })
            .sum();
        let bases: i64 = (0..self.nodes.len())
            .filter(|&n| s.lines_at[n] > 0)
            .map(|n| self.nodes[n].base_cents)
            .sum();
        lines + bases + self.penalty(s.shipments)
    }
}
