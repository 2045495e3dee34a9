//! Progress of optimise mode, for a display: the phase, the share of the run done, and the best
//! plan and bound known so far.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What optimise mode is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptimisePhase {
    /// Routing the batch in arrival order: the starting plan.
    Sequential,
    /// Building each order's options.
    Options,
    /// Branch-and-bound over every option of a tiny batch.
    Exact,
    /// Lagrangian pricing rounds: the lower bound and more options.
    Pricing,
    /// Repair and tabu search on the assignment core.
    Search,
    /// Finished: the plan and its bound are final.
    Done,
}

impl OptimisePhase {
    /// The phase's name in lower case (`"sequential"`, `"options"`, …).
    pub fn name(self) -> &'static str {
        match self {
            OptimisePhase::Sequential => "sequential",
            OptimisePhase::Options => "options",
            OptimisePhase::Exact => "exact",
            OptimisePhase::Pricing => "pricing",
            OptimisePhase::Search => "search",
            OptimisePhase::Done => "done",
        }
    }

    /// The share of the run the phase spans, as (start, end).
    fn span(self) -> (f64, f64) {
        match self {
            OptimisePhase::Sequential => (0.0, 0.1),
            OptimisePhase::Options => (0.1, 0.2),
            OptimisePhase::Exact => (0.2, 1.0),
            OptimisePhase::Pricing => (0.2, 0.6),
            OptimisePhase::Search => (0.6, 1.0),
            OptimisePhase::Done => (1.0, 1.0),
        }
    }
}

impl fmt::Display for OptimisePhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One report of [`Router::optimise_with`](crate::Router::optimise_with).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct OptimiseProgress {
    /// The current phase.
    pub phase: OptimisePhase,
    /// Share of the run done, from 0 to 1: never decreasing, and 1 only when `phase` is
    /// [`OptimisePhase::Done`] (the sequential pass, then each phase's own work; the time-bound
    /// phases by rounds or elapsed time, whichever is further).
    pub fraction: f64,
    /// Cost of the best plan known, cents (`None` until the sequential plan is ready).
    pub best_cents: Option<i64>,
    /// The best proven lower bound on any plan's cost, cents, when one is known.
    pub bound_cents: Option<i64>,
    /// Wall-clock budget left of the run's time limit (`None` if the limit is beyond what the
    /// clock can represent).
    pub time_left: Option<Duration>,
}

impl OptimiseProgress {
    /// `(best − bound) / best` when both are known (0 for a zero-cost plan).
    pub fn gap(&self) -> Option<f64> {
        let (b, l) = (self.best_cents?, self.bound_cents?);
        Some(if b == 0 {
            0.0
        } else {
            (b - l) as f64 / b as f64
        })
    }
}

/// Sends monotone reports to a callback (from the calling thread; `Sync` so the sequential
/// pass's callback may hold it).
pub(super) struct Reporter<'a> {
    sink: &'a (dyn Fn(&OptimiseProgress) + Sync),
    /// The last report, and when the run's time limit ends (if it has one).
    last: Mutex<(OptimiseProgress, Option<Instant>)>,
}

impl<'a> Reporter<'a> {
    /// A reporter sending to `sink`.
    pub(super) fn new(sink: &'a (dyn Fn(&OptimiseProgress) + Sync)) -> Self {
        let start = OptimiseProgress {
            phase: OptimisePhase::Sequential,
            fraction: 0.0,
            best_cents: None,
            bound_cents: None,
            time_left: None,
        };
        Self {
            sink,
            last: Mutex::new((start, None)),
        }
    }

    /// From now on, `time_left` counts down to `deadline` (none: an iteration limit).
    pub(super) fn deadline(&self, deadline: Option<Instant>) {
        self.lock().1 = deadline;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (OptimiseProgress, Option<Instant>)> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reports `phase` with `done` (0 to 1) of its own work done.
    pub(super) fn phase(&self, phase: OptimisePhase, done: f64) {
        self.send(|p| {
            let (lo, hi) = phase.span();
            let f = lo + done.clamp(0.0, 1.0) * (hi - lo);
            p.phase = phase;
            // 1 is kept for Done: a phase that ends the run reports Done itself.
            p.fraction = p.fraction.max(f.min(if phase == OptimisePhase::Done {
                1.0
            } else {
                0.999
            }));
        });
    }

    /// Records a plan costing `cents` (the best is the cheapest seen).
    pub(super) fn best(&self, cents: i64) {
        self.send(|p| p.best_cents = Some(p.best_cents.map_or(cents, |b| b.min(cents))));
    }

    /// Records a proven lower bound (the best is the highest seen).
    pub(super) fn bound(&self, cents: i64) {
        self.send(|p| p.bound_cents = Some(p.bound_cents.map_or(cents, |b| b.max(cents))));
    }

    /// The final report: the plan's cost and bound.
    pub(super) fn done(&self, cost_cents: i64, bound_cents: Option<i64>) {
        self.send(|p| {
            p.phase = OptimisePhase::Done;
            p.fraction = 1.0;
            p.best_cents = Some(cost_cents);
            p.bound_cents = bound_cents;
        });
    }

    fn send(&self, update: impl FnOnce(&mut OptimiseProgress)) {
        let report = {
            let mut last = self.lock();
            let (progress, deadline) = &mut *last;
            update(progress);
            progress.time_left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            *progress
        };
        (self.sink)(&report);
    }
}
