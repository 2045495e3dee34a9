//! The unfilled lines of a run, by reason, in the summaries of `route`, `reroute` and `demo`.

use omniroute_core::{Order, Plan, ReasonCounts};

/// `12 lines: SLA_UNREACHABLE 9, NO_STOCK 3` (most frequent first), or `none`.
pub fn breakdown(counts: &ReasonCounts) -> String {
    let total = counts.total();
    if total == 0 {
        return "none".into();
    }
    let parts: Vec<String> = counts
        .by_count()
        .into_iter()
        .map(|(reason, n)| format!("{reason} {n}"))
        .collect();
    format!(
        "{total} line{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// The one-line hint when the reference time explains most unfilled lines: they are
/// `SLA_UNREACHABLE` on orders without `created_at`, judged at the current time because `--now`
/// was not given. `None` otherwise.
pub fn reference_time_hint(plan: &Plan, orders: &[Order], now_given: bool) -> Option<String> {
    let total = plan.totals.unfilled_by_reason.total();
    let explained = plan.unfilled_at_reference_time(orders);
    (!now_given && explained > 0 && 2 * explained > total).then(|| {
        format!(
            "{explained} of the {total} unfilled lines are SLA_UNREACHABLE on orders without created_at, \
             promised from the current time (after the day's cut-offs): pass --now RFC3339, the time the orders were placed"
        )
    })
}

/// Prints the breakdown and, where it applies, the hint (stderr).
pub fn note(plan: &Plan, orders: &[Order], now_given: bool) {
    crate::note!("unfilled: {}", breakdown(&plan.totals.unfilled_by_reason));
    if let Some(hint) = reference_time_hint(plan, orders, now_given) {
        crate::note!("hint: {hint}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omniroute_core::{CostBreakdown, Decision, LatLng, OrderLine, Reason, SkuId, UnfilledLine};

    /// An order of one line without `created_at`, unfilled for `reason`.
    fn unfilled(id: &str, reason: Reason) -> (Order, Decision) {
        let line = OrderLine {
            line_no: 1,
            sku: SkuId(0),
            qty: 1,
            unit_price_cents: None,
        };
        let order = Order::new(id, LatLng::new(19.0, 72.8).unwrap(), vec![line]);
        let decision = Decision {
            shipments: Vec::new(),
            unfilled: vec![UnfilledLine { line: 0, reason }],
            cost: CostBreakdown::default(),
            candidates: Vec::new(),
            rules: Vec::new(),
            group: None,
        };
        (order, decision)
    }

    #[test]
    fn hint_names_now_only_when_the_reference_time_explains_most() {
        let plan_of = |reasons: &[Reason]| {
            let (orders, decisions): (Vec<Order>, Vec<Decision>) = reasons
                .iter()
                .enumerate()
                .map(|(i, &r)| unfilled(&format!("O{i}"), r))
                .unzip();
            (Plan::from_decisions(&orders, decisions), orders)
        };
        let sla = Reason::SlaUnreachable;
        let (plan, orders) = plan_of(&[sla, sla, Reason::NoStock]);
        let hint = reference_time_hint(&plan, &orders, false).unwrap();
        assert!(
            hint.starts_with("2 of the 3 unfilled lines are SLA_UNREACHABLE"),
            "{hint}"
        );
        assert!(hint.contains("--now"), "{hint}");
        assert_eq!(reference_time_hint(&plan, &orders, true), None);
        let (plan, orders) = plan_of(&[sla, Reason::NoStock]);
        assert_eq!(reference_time_hint(&plan, &orders, false), None);
        let (mut plan, mut orders) = plan_of(&[sla, sla]);
        for o in &mut orders {
            o.created_at = Some("2026-11-26T06:00:00Z".parse().unwrap());
        }
        plan = Plan::from_decisions(&orders, plan.decisions);
        assert_eq!(reference_time_hint(&plan, &orders, false), None);
    }

    #[test]
    fn breakdown_lists_most_frequent_first() {
        let mut counts = ReasonCounts::default();
        assert_eq!(breakdown(&counts), "none");
        counts.add(Reason::NoStock);
        assert_eq!(breakdown(&counts), "1 line: NO_STOCK 1");
        counts.add(Reason::SlaUnreachable);
        counts.add(Reason::SlaUnreachable);
        assert_eq!(breakdown(&counts), "3 lines: SLA_UNREACHABLE 2, NO_STOCK 1");
        assert_eq!(
            omniroute_adapters::reason_counts_json(&counts).to_string(),
            r#"{"NO_STOCK":1,"SLA_UNREACHABLE":2}"#
        );
    }
}
