//! The fast search's current assignment and its O(1) move evaluation: loads, the items on each
//! resource, and each item's best exits for ejection chains.

use super::view::Simple;
use super::NONE;

/// The current assignment: option per item, loads, the items on each resource, cost and excess.
#[derive(Clone)]
pub(super) struct Run<'s> {
    pub(super) s: &'s Simple,
    pub(super) choice: Vec<u32>,
    /// (cost, amount) of each item's current option.
    pub(super) cur: Vec<(i64, i64)>,
    pub(super) load: Vec<i64>,
    pub(super) members: Vec<Vec<u32>>,
    /// Position of each item in the member list of its resource.
    pub(super) pos: Vec<u32>,
    pub(super) cost: i64,
    pub(super) excess: i64,
}

impl<'s> Run<'s> {
    pub(super) fn new(s: &'s Simple, choice: &[u32]) -> Self {
        let mut run = Self {
            s,
            choice: choice.to_vec(),
            cur: choice
                .iter()
                .map(|&o| (s.cost[o as usize], s.amt[o as usize]))
                .collect(),
            load: vec![0; s.m],
            members: vec![Vec::new(); s.m],
            pos: vec![0; choice.len()],
            cost: 0,
            excess: 0,
        };
        for (i, &o) in choice.iter().enumerate() {
            run.cost += s.cost[o as usize];
            run.enter(i, o as usize);
        }
        run
    }

    pub(super) fn over(&self, r: usize, load: i64) -> i64 {
        (load - self.s.cap[r]).max(0)
    }

    /// Change of excess of resource `r` if its load changed by `d`.
    pub(super) fn dex(&self, r: u32, d: i64) -> i64 {
        if r == NONE {
            return 0;
        }
        let (r, l) = (r as usize, self.load[r as usize]);
        self.over(r, l + d) - self.over(r, l)
    }

    pub(super) fn enter(&mut self, i: usize, o: usize) {
        let r = self.s.res[o];
        if r != NONE {
            let d = self.dex(r, self.s.amt[o]);
            self.excess += d;
            self.load[r as usize] += self.s.amt[o];
            self.pos[i] = self.members[r as usize].len() as u32;
            self.members[r as usize].push(i as u32);
        }
    }

    pub(super) fn leave(&mut self, i: usize, o: usize) {
        let r = self.s.res[o];
        if r != NONE {
            let d = self.dex(r, -self.s.amt[o]);
            self.excess += d;
            self.load[r as usize] -= self.s.amt[o];
            let list = &mut self.members[r as usize];
            let at = self.pos[i] as usize;
            list.swap_remove(at);
            if let Some(&k) = list.get(at) {
                self.pos[k as usize] = at as u32;
            }
        }
    }

    pub(super) fn shift(&mut self, i: usize, o: usize) {
        let cur = self.choice[i] as usize;
        if cur != o {
            self.leave(i, cur);
            self.enter(i, o);
            self.choice[i] = o as u32;
            self.cur[i] = (self.s.cost[o], self.s.amt[o]);
            self.cost += self.s.cost[o] - self.s.cost[cur];
        }
    }
}

/// Where an ejected item can go: option `q` on resource `c` (`NONE` if it uses nothing) taking
/// `amt`, with its cost change `dc`, the weighted excess change on `c` (`pen`) and whether `q` is
/// tabu.
#[derive(Clone, Copy)]
pub(super) struct Exit {
    pub(super) q: u32,
    pub(super) c: u32,
    pub(super) amt: i64,
    pub(super) dc: i64,
    pub(super) pen: f64,
    pub(super) tabu: bool,
}

impl Exit {
    const NONE: Self = Self {
        q: NONE,
        c: NONE,
        amt: 0,
        dc: 0,
        pen: 0.0,
        tabu: false,
    };

    /// Non-tabu exits first, then the smaller value.
    pub(super) fn before(&self, other: &Self) -> bool {
        other.q == NONE
            || (self.tabu, self.dc as f64 + self.pen) < (other.tabu, other.dc as f64 + other.pen)
    }
}

impl Run<'_> {
    /// Per item `k`, its two best exits (shift candidates) to two different resources other than
    /// its own: a chain that starts on resource `a` takes the first whose resource is not `a`.
    /// `enter`: the weighted excess change of entering each candidate's resource, as this move's
    /// shift scan priced it (see `best_move`).
    pub(super) fn exits(&self, enter: &[f64], tabu: &[u64], it: u64) -> Vec<Exit> {
        let s = self.s;
        let mut out = vec![Exit::NONE; 2 * self.choice.len()];
        for (k, two) in out.chunks_exact_mut(2).enumerate() {
            let own = s.res[self.choice[k] as usize];
            let at = s.cand_range(k);
            for (&(q, c, qc, qa), &pen) in s.cand[at.clone()].iter().zip(&enter[at]) {
                if c == own {
                    continue;
                }
                let e = Exit {
                    q,
                    c,
                    amt: qa,
                    dc: qc - self.cur[k].0,
                    pen,
                    tabu: tabu[q as usize] > it,
                };
                if two[0].q != NONE && two[0].c == c {
                    if e.before(&two[0]) {
                        two[0] = e;
                    }
                } else if e.before(&two[0]) {
                    two[1] = two[0];
                    two[0] = e;
                } else if e.before(&two[1]) {
                    two[1] = e;
                }
            }
        }
        out
    }
}

/// Weighted excess change of resource `r` when its load changes by `d`.
#[inline]
pub(super) fn pen(run: &Run, w: &[f64], r: u32, d: i64) -> f64 {
    if r == NONE || d == 0 {
        return 0.0;
    }
    let dex = run.dex(r, d);
    if dex == 0 {
        0.0
    } else {
        w[r as usize] * dex as f64
    }
}
