//! Progress bars on stderr for sequential routing and for optimise mode.
//!
//! A bar appears only once a run has taken more than a second, and never when stderr is not a
//! terminal, with `--no-progress` or with `--quiet`.

use crate::output::amount;
use crate::Global;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use jiff::Timestamp;
use omniroute_core::{
    OptimiseOptions, OptimisePhase, OptimiseProgress, Order, Plan, Router, StockTable,
};
use std::fmt;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Steps of the optimise bar (its fraction × this).
const OPTIMISE_STEPS: u64 = 1_000;

/// A bar drawn to nowhere until the run has taken a second (and never when disabled).
struct Delayed {
    bar: ProgressBar,
    enabled: bool,
    start: Instant,
    shown: AtomicBool,
    /// Keep the spinner and the elapsed time moving between updates.
    steady: bool,
}

impl Delayed {
    fn new(global: Global, len: u64, style: Option<ProgressStyle>, steady: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        if let Some(style) = style {
            bar.set_style(style);
        }
        Self {
            bar,
            enabled: !global.no_progress && !global.quiet && std::io::stderr().is_terminal(),
            start: Instant::now(),
            shown: AtomicBool::new(false),
            steady,
        }
    }

    /// Shows the bar if it is due, then lets `update` change it.
    fn update(&self, update: impl FnOnce(&ProgressBar)) {
        if !self.enabled {
            return;
        }
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            if self.steady {
                self.bar.enable_steady_tick(Duration::from_millis(120));
            }
            self.shown.store(true, Ordering::Relaxed);
        }
        update(&self.bar);
    }
}

impl Drop for Delayed {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Routes `orders` with `Router::route_sequential_with`, ticking the bar as chunks complete.
pub fn route_sequential(
    router: &Router,
    orders: &[Order],
    stock: &StockTable,
    now: Timestamp,
    global: Global,
) -> Plan {
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} orders ({per_sec}, eta {eta})");
    let bar = Delayed::new(global, orders.len() as u64, style.ok(), false);
    router.route_sequential_with(orders, stock, now, &|done: usize| {
        bar.update(|b| b.set_position(done as u64));
    })
}

/// Optimises `orders` from their `sequential` plan (from [`route_sequential`], so the pass is not
/// run again) with `Router::optimise_from`: a bar of the run's progress with its phase, the best
/// cost and the gap to the bound so far, and the time left of `--time-limit` (counting down
/// between reports) or, with `--iterations`, the time taken.
pub fn optimise(
    router: &Router,
    orders: &[Order],
    stock: &StockTable,
    now: Timestamp,
    opts: &OptimiseOptions,
    sequential: Plan,
    global: Global,
) -> Plan {
    let deadline: Arc<Mutex<Option<Instant>>> = Arc::default();
    let shared = Arc::clone(&deadline);
    let style = ProgressStyle::with_template("{spinner} {bar:20} {percent:>3}% {msg} [{left}]")
        .map(|s| {
            s.with_key(
                "left",
                move |state: &ProgressState, w: &mut dyn fmt::Write| {
                    let deadline = *shared.lock().unwrap_or_else(PoisonError::into_inner);
                    let _ = match deadline {
                        Some(d) => write!(
                            w,
                            "{:.1} s left",
                            d.saturating_duration_since(Instant::now()).as_secs_f64()
                        ),
                        None => write!(w, "{:.0} s", state.elapsed().as_secs_f64()),
                    };
                },
            )
        });
    let bar = Delayed::new(global, OPTIMISE_STEPS, style.ok(), true);
    let report = |p: &OptimiseProgress| {
        *deadline.lock().unwrap_or_else(PoisonError::into_inner) = p
            .time_left
            .filter(|_| p.phase != OptimisePhase::Done)
            .map(|left| Instant::now() + left);
        bar.update(|b| {
            b.set_position((p.fraction * OPTIMISE_STEPS as f64).round() as u64);
            b.set_message(message(p, router.policy().currency));
        });
    };
    router.optimise_from(orders, stock, now, opts, sequential, &report)
}

/// `search: best ₹1,234.00, gap 2.76 %` (the policy's currency, or cents): the phase and what is
/// known so far.
fn message(p: &OptimiseProgress, currency: Option<omniroute_core::Currency>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(best) = p.best_cents {
        parts.push(format!("best {}", amount(best, currency)));
    }
    if let Some(gap) = p.gap() {
        parts.push(format!("gap {:.2} %", gap * 100.0));
    }
    if parts.is_empty() {
        p.phase.to_string()
    } else {
        format!("{}: {}", p.phase, parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omniroute_core::{LatLng, Network, Node, NodeIdx, NodeKind, OrderLine, Policy, SkuId};
    use std::sync::Mutex;

    #[test]
    fn messages_name_the_phase_and_what_is_known() {
        // Two orders want the near store's one unit: a tiny batch, solved exactly.
        let net = Network::new(vec![
            Node::new("NEAR", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
            Node::new("FAR", NodeKind::Store, LatLng::new(26.00, 77.20).unwrap()),
        ])
        .unwrap();
        let policy = Policy::default();
        let router = Router::new(net.clone(), policy.clone());
        let stock =
            StockTable::from_positions([(NodeIdx(0), SkuId(0), 1), (NodeIdx(1), SkuId(0), 5)]);
        let line = OrderLine {
            line_no: 1,
            sku: SkuId(0),
            qty: 1,
            unit_price_cents: None,
        };
        let dest = LatLng::new(28.60, 77.20).unwrap();
        let orders = vec![
            Order::new("A", dest, vec![line]),
            Order::new("B", dest, vec![line]),
        ];
        let opts = OptimiseOptions {
            iteration_limit: Some(100),
            single_thread: true,
            ..OptimiseOptions::default()
        };
        let now = "2026-11-26T06:00:00Z".parse().unwrap();
        let messages = Mutex::new(Vec::new());
        let plan = router.optimise_with(&orders, &stock, now, &opts, &|p| {
            messages.lock().unwrap().push(message(p, None));
        });
        let messages = messages.into_inner().unwrap();
        assert_eq!(messages[0], "sequential");
        let cost = plan.totals.cost_cents;
        assert_eq!(
            messages.last().unwrap(),
            &format!("done: best {cost} cents, gap 0.00 %")
        );
    }
}
