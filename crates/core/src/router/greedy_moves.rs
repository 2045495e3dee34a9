//! The local search of [`Greedy`]: single-line moves and closing a shipment, each applied only
//! when it lowers the cost, and each keeping every line at a node that can ship it.

use super::greedy::{Greedy, State};

impl Greedy {
    /// The best single-line move, applied; false when none lowers the cost.
    pub(super) fn move_line(&self, s: &mut State) -> bool {
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
    pub(super) fn close_shipment(&self, s: &mut State) -> bool {
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
