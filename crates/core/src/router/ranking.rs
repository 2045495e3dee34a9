//! The order in which a decision's candidates are shown to people (the CLI's `explain`, the
//! decision JSON, Python's `Decision.candidates`): one ranking, so every front end agrees.

use super::{Candidate, CandidateOutcome, Decision};

impl Decision {
    /// The candidates ranked for people: chosen nodes first, then priced nodes by lines covered
    /// (most first) and cost, then filtered nodes nearest first; ties on node index.
    ///
    /// ```
    /// # use omniroute_core::*;
    /// let c = |node, chosen, outcome| Candidate { node: NodeIdx(node), distance_km: 1.0, outcome, chosen };
    /// let priced = |n, cost_cents| CandidateOutcome::Priced { lines: LineSet::full(n), cost_cents };
    /// let d = Decision {
    ///     shipments: vec![],
    ///     unfilled: vec![],
    ///     cost: CostBreakdown::default(),
    ///     candidates: vec![
    ///         c(0, false, CandidateOutcome::Filtered(Reason::NoStock)),
    ///         c(1, false, priced(1, 900)),
    ///         c(2, false, priced(2, 1200)),
    ///         c(3, true, priced(1, 700)),
    ///     ],
    ///     rules: vec![],
    ///     group: None,
    /// };
    /// let nodes: Vec<u32> = d.ranked_candidates().iter().map(|c| c.node.0).collect();
    /// assert_eq!(nodes, [3, 2, 1, 0]);
    /// ```
    pub fn ranked_candidates(&self) -> Vec<&Candidate> {
        let mut v: Vec<_> = self.candidates.iter().collect();
        v.sort_by(|a, b| {
            let key = |c: &Candidate| match &c.outcome {
                CandidateOutcome::Priced { lines, cost_cents } => (
                    u8::from(!c.chosen),
                    0u8,
                    usize::MAX - lines.len(),
                    *cost_cents,
                    0.0,
                ),
                CandidateOutcome::Filtered(_) => (1, 1, 0, 0, c.distance_km),
            };
            let (ka, kb) = (key(a), key(b));
            (ka.0, ka.1, ka.2, ka.3)
                .cmp(&(kb.0, kb.1, kb.2, kb.3))
                .then(ka.4.total_cmp(&kb.4))
                .then(a.node.cmp(&b.node))
        });
        v
    }
}
