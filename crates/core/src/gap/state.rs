//! The search state shared by repair and local search: the current option of every item, resource
//! loads, which items use each resource, and the cost and excess of a candidate move.

use super::AssignmentProblem;

/// Net resource changes of a candidate move, as (resource, delta); a handful of entries.
#[derive(Debug, Default)]
pub(crate) struct Changes(Vec<(u32, i64)>);

impl Changes {
    /// Forgets the previous move.
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// Adds the uses of global option `o`, signed (`-1` leaves it, `1` takes it).
    pub(crate) fn option(&mut self, p: &AssignmentProblem, o: usize, sign: i64) {
        for u in p.uses(o) {
            let r = p.use_resource(u) as u32;
            let d = sign * p.use_amount(u);
            match self.0.iter_mut().find(|e| e.0 == r) {
                Some(e) => e.1 += d,
                None => self.0.push((r, d)),
            }
        }
    }
}

/// A current assignment (possibly over capacity) with its loads and cost.
#[derive(Clone, Debug)]
pub(crate) struct State<'p> {
    /// The problem.
    pub(crate) p: &'p AssignmentProblem,
    /// Global option index per item.
    pub(crate) choice: Vec<u32>,
    /// Load per resource.
    pub(crate) load: Vec<i64>,
    /// Items whose current option uses each resource (any order).
    pub(crate) members: Vec<Vec<u32>>,
    /// Position in `members` of each global use of a current option.
    slot: Vec<u32>,
    /// Total cost.
    pub(crate) cost: i64,
    /// Total amount over capacity, summed over resources.
    pub(crate) excess: i64,
}

impl<'p> State<'p> {
    /// The state of a choice vector of global option indices.
    pub(crate) fn new(p: &'p AssignmentProblem, choice: &[u32]) -> Self {
        let mut s = Self {
            p,
            choice: choice.to_vec(),
            load: vec![0; p.resource_count()],
            members: vec![Vec::new(); p.resource_count()],
            slot: vec![0; p.total_uses()],
            cost: 0,
            excess: 0,
        };
        for (i, &o) in choice.iter().enumerate() {
            s.cost += p.cost(o as usize);
            s.take(i, o as usize);
        }
        s
    }

    /// Amount over capacity of a resource.
    pub(crate) fn excess_of(&self, r: usize) -> i64 {
        (self.load[r] - self.p.capacities()[r]).max(0)
    }

    /// Change of cost, of weighted excess and of total excess if the `changes` were applied.
    pub(crate) fn delta(&self, ch: &Changes, weight: &[f64]) -> (f64, i64) {
        let cap = self.p.capacities();
        let (mut pen, mut ex) = (0.0, 0);
        for &(r, d) in &ch.0 {
            let r = r as usize;
            let before = (self.load[r] - cap[r]).max(0);
            let after = (self.load[r] + d - cap[r]).max(0);
            pen += weight[r] * (after - before) as f64;
            ex += after - before;
        }
        (pen, ex)
    }

    /// Whether the changes keep every touched resource within capacity.
    pub(crate) fn fits(&self, ch: &Changes) -> bool {
        let cap = self.p.capacities();
        ch.0.iter()
            .all(|&(r, d)| d <= 0 || self.load[r as usize] + d <= cap[r as usize])
    }

    /// The one resource the changes would put over capacity, if there is exactly one.
    pub(crate) fn single_over(&self, ch: &Changes) -> Option<usize> {
        let cap = self.p.capacities();
        let mut over =
            ch.0.iter()
                .filter(|&&(r, d)| d > 0 && self.load[r as usize] + d > cap[r as usize]);
        let first = over.next()?.0 as usize;
        over.next().is_none().then_some(first)
    }

    /// Moves item `i` to global option `o`.
    pub(crate) fn shift(&mut self, i: usize, o: usize) {
        let old = self.choice[i] as usize;
        if old != o {
            self.leave(i, old);
            self.take(i, o);
            self.choice[i] = o as u32;
            self.cost += self.p.cost(o) - self.p.cost(old);
        }
    }

    fn take(&mut self, i: usize, o: usize) {
        let p = self.p;
        for u in p.uses(o) {
            let r = p.use_resource(u);
            let before = self.excess_of(r);
            self.load[r] += p.use_amount(u);
            self.excess += self.excess_of(r) - before;
            self.slot[u] = self.members[r].len() as u32;
            self.members[r].push(i as u32);
        }
    }

    fn leave(&mut self, i: usize, o: usize) {
        let p = self.p;
        for u in p.uses(o) {
            let r = p.use_resource(u);
            let before = self.excess_of(r);
            self.load[r] -= p.use_amount(u);
            self.excess += self.excess_of(r) - before;
            let pos = self.slot[u] as usize;
            debug_assert_eq!(self.members[r][pos] as usize, i);
            self.members[r].swap_remove(pos);
            if let Some(&moved) = self.members[r].get(pos) {
                let mo = self.choice[moved as usize] as usize;
                let mu = p
                    .uses(mo)
                    .find(|&v| p.use_resource(v) == r)
                    .expect("member uses resource");
                self.slot[mu] = pos as u32;
            }
        }
    }
}
