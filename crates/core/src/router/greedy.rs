//! The choice for orders of more than [`EXACT_MAX_LINES`](super::EXACT_MAX_LINES) lines, where a
//! DP over subsets of lines is out of reach: a heuristic, for orders of any number of lines.
//!
//! 1. **Greedy cover.** While shipments remain, add the unused node whose shipment saves the
//!    most over leaving its lines unfilled (the lines it takes: those it can ship that are still
//!    open, in line order, while its unit capacity and its stock of shared SKUs allow, and, unless
//!    ship-complete, only lines it ships for less than their unfilled cost).
//! 2. **Local search.** Until no move lowers the cost: move one line to another node (a used
//!    one, or a new shipment while the split rule allows) or leave it unfilled; or close a
//!    shipment, sending each of its lines to the cheapest other used node with room or leaving it
//!    unfilled. Under ship-complete a line is never left unfilled (a cover that cannot ship every
//!    line ships nothing).
//!
//! Every move keeps each line at a node that can ship it (`Viable::lines`), within the node's
//! unit capacity and its stock of every SKU that several lines share: the result never ships what
//! is not there. Nodes are fed nearest first; the search is run again each time the number of
//! nodes has doubled and once at the end ([`Greedy::picks`]), so its best cost, which the
//! candidate scan's bounds read, is always that of a feasible solution. Deterministic: ties keep
//! the earlier node.

use super::candidate::Viable;
use super::choose::{Pick, Problem};
use super::LineSet;

/// Local search moves per search at most.
const MAX_MOVES: usize = 10_000;

/// A node fed to the heuristic.
struct Node {
    lines: LineSet,
    units_left: u64,
    base_cents: i64,
    line_cents: Vec<i64>,
    group_stock: Vec<u32>,
}

/// See the module docs.
pub(crate) struct Greedy {
    p: Problem,
    nodes: Vec<Node>,
    /// Per line, its SKU group (an index into `p.sku_groups`), if any.
    group_of: Vec<Option<usize>>,
    best_cents: i64,
    best: Vec<Pick>,
    /// How many nodes the last search saw.
    solved: usize,
}

/// One solution under construction: per line its node, per node its load.
struct State {
    at: Vec<Option<usize>>,
    lines_at: Vec<usize>,
    units_at: Vec<u64>,
    /// `group_at[n * groups + g]`: units of group `g` at node `n`.
    group_at: Vec<u64>,
    shipments: usize,
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

    /// Step 1 of the module docs.
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

    /// What opening node `n` saves, and the open lines it takes (step 1).
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
    fn place(&self, state: &mut State, l: usize, to: Option<usize>) {
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
    fn fits(&self, s: &State, n: usize, l: usize) -> bool {
        let node = &self.nodes[n];
        let u = u64::from(self.p.units[l]);
        node.lines.contains(l)
            && s.units_at[n] + u <= node.units_left
            && self.group_of[l]
                .zip(self.group_slot(n, l))
                .is_none_or(|(g, slot)| s.group_at[slot] + u <= u64::from(node.group_stock[g]))
    }

    /// The split penalty of `k` shipments.
    fn penalty(&self, k: usize) -> i64 {
        self.p.split_penalty_cents * k.saturating_sub(1) as i64
    }

    fn cost(&self, s: &State) -> i64 {
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

    /// The best single-line move, applied; false when none lowers the cost.
    fn move_line(&self, s: &mut State) -> bool {
        let mut best: Option<(i64, usize, Option<usize>)> = None;
        for l in 0..s.at.len() {
            let from = s.at[l];
            // Removing the line: its own cost, and the shipment when it ships alone.
            let closes = from.is_some_and(|n| s.lines_at[n] == 1);
            let k = s.shipments - usize::from(closes);
            let here = match from {
                None => self.p.unfilled_cents[l],
                Some(n) => self.nodes[n].line_cents[l],
            };
            let out = here
                + from
                    .filter(|_| closes)
                    .map_or(0, |n| self.nodes[n].base_cents)
                + self.penalty(s.shipments)
                - self.penalty(k);
            let targets = (0..self.nodes.len()).map(Some);
            let targets = targets.chain((!self.p.ship_complete).then_some(None));
            for to in targets.filter(|&to| to != from) {
                let into = match to {
                    None => self.p.unfilled_cents[l],
                    Some(n) => {
                        let opens = s.lines_at[n] == 0;
                        if !self.fits(s, n, l) || (opens && k >= self.p.max_shipments) {
                            continue;
                        }
                        let open_cents = if opens {
                            self.nodes[n].base_cents + self.penalty(k + 1) - self.penalty(k)
                        } else {
                            0
                        };
                        self.nodes[n].line_cents[l] + open_cents
                    }
                };
                let delta = into - out;
                if delta < 0 && best.is_none_or(|(b, ..)| delta < b) {
                    best = Some((delta, l, to));
                }
            }
        }
        let Some((_, l, to)) = best else { return false };
        self.place(s, l, to);
        true
    }

    /// The first shipment whose closing lowers the cost, closed; false when none does.
    fn close_shipment(&self, s: &mut State) -> bool {
        for n in 0..self.nodes.len() {
            if s.lines_at[n] == 0 {
                continue;
            }
            let before = self.cost(s);
            let lines: Vec<usize> = (0..s.at.len()).filter(|&l| s.at[l] == Some(n)).collect();
            let undo: Vec<(usize, Option<usize>)> = lines.iter().map(|&l| (l, s.at[l])).collect();
            let mut placed = true;
            for &l in &lines {
                let to = (0..self.nodes.len())
                    .filter(|&m| m != n && s.lines_at[m] > 0 && self.fits(s, m, l))
                    .min_by_key(|&m| self.nodes[m].line_cents[l]);
                let to = match to {
                    Some(m)
                        if self.p.ship_complete
                            || self.nodes[m].line_cents[l] < self.p.unfilled_cents[l] =>
                    {
                        Some(m)
                    }
                    _ if self.p.ship_complete => {
                        placed = false;
                        break;
                    }
                    _ => None,
                };
                self.place(s, l, to);
            }
            if placed && self.cost(s) < before {
                return true;
            }
            for (l, at) in undo {
                self.place(s, l, at);
            }
        }
        false
    }
}
