//! The unfilled lines of a run, by reason, in the summaries of `route`, `reroute` and `demo`
//! (the text: `omniroute_adapters::unfilled_breakdown`, `reference_time_hint`).

use omniroute_adapters::{reference_time_hint, unfilled_breakdown};
use omniroute_core::{Order, Plan};

/// Prints the breakdown and, where it applies, the hint (stderr).
pub fn note(plan: &Plan, orders: &[Order], now_given: bool) {
    crate::note!(
        "unfilled: {}",
        unfilled_breakdown(&plan.totals.unfilled_by_reason)
    );
    if let Some(hint) = reference_time_hint(plan, orders, now_given) {
        crate::note!("hint: {hint}");
    }
}
