//! Sequential routing with a progress bar on stderr.
//!
//! The bar appears only once a run has taken more than a second, and never when stderr is not a
//! terminal, with `--no-progress` or with `--quiet`.

use crate::Global;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use omniroute_core::{Order, Plan, Router, StockTable};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Routes `orders` with `Router::route_sequential_with`, ticking the bar as chunks complete.
pub fn route_sequential(
    router: &Router<'_>,
    orders: &[Order],
    stock: &StockTable,
    now: Timestamp,
    global: Global,
) -> Plan {
    let enabled = !global.no_progress && !global.quiet && std::io::stderr().is_terminal();
    let bar =
        ProgressBar::with_draw_target(Some(orders.len() as u64), ProgressDrawTarget::hidden());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} orders ({per_sec}, eta {eta})")
    {
        bar.set_style(style);
    }
    let start = Instant::now();
    let shown = AtomicBool::new(false);
    let tick = |done: usize| {
        if enabled {
            if !shown.load(Ordering::Relaxed) && start.elapsed() > Duration::from_secs(1) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                shown.store(true, Ordering::Relaxed);
            }
            bar.set_position(done as u64);
        }
    };
    let plan = router.route_sequential_with(orders, stock, now, &tick);
    bar.finish_and_clear();
    plan
}
