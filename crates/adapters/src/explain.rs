//! Decisions told to people: one order's explanation (`omniroute explain`'s table) and a run's
//! unfilled lines by reason with the hint about the reference time (the summaries of `route`,
//! `reroute` and `demo`). Text only; the JSON forms are in `decision_json.rs`.

use crate::{line_nos, Inputs};
use jiff::Timestamp;
use omniroute_core::{
    money_text, CandidateOutcome, CostBreakdown, Currency, Decision, Order, Plan, ReasonCounts,
};
use std::io::Write;

/// Cents for people in the policy's currency (`₹12,345.67`, `CHF 0.05`), or `N cents` without
/// one.
pub fn amount(cents: i64, currency: Option<Currency>) -> String {
    currency.map_or_else(|| format!("{cents} cents"), |c| c.amount(cents))
}

/// `12 lines: SLA_UNREACHABLE 9, NO_STOCK 3` (most frequent first), or `none`.
pub fn unfilled_breakdown(counts: &ReasonCounts) -> String {
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

/// The breakdown's terms in cents and their total for people (`… = €5.12 (512 cents)` in the
/// policy's currency, `… = 512 cents` without one).
fn terms(c: &CostBreakdown, currency: Option<Currency>) -> String {
    let all = [
        ("fixed", c.fixed_cents),
        ("distance", c.distance_cents),
        ("handling", c.handling_cents),
        ("margin", c.margin_cents),
        ("priority", c.priority_cents),
        ("split", c.split_penalty_cents),
        ("lateness", c.lateness_cents),
        ("unfilled", c.unfilled_cents),
        ("reject risk", c.reject_risk_cents),
        ("outside territory", c.outside_territory_cents),
        ("balance", c.balance_cents),
    ];
    let parts: Vec<String> = all
        .iter()
        .filter(|(_, v)| *v != 0)
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    let sum = if parts.is_empty() {
        "0".into()
    } else {
        parts.join(" + ")
    };
    format!("{sum} = {}", money_text(c.total_cents(), currency))
}

/// Writes the decision `d` of `order` for people (`omniroute explain`'s table): the order, its
/// policy version, rules and groups, the shipments with their cost terms, the unfilled lines,
/// the total and every candidate in [`Decision::ranked_candidates`] order.
pub fn write_explanation(
    out: &mut impl Write,
    order: &Order,
    d: &Decision,
    inputs: &Inputs,
    now: Timestamp,
) -> std::io::Result<()> {
    let net = &inputs.network;
    let currency = inputs.policies.versions.earliest().currency;
    let line_text = |l: usize| {
        let line = &order.lines[l];
        format!(
            "#{} {}×{}",
            line.line_no,
            inputs.skus.name(line.sku),
            line.qty
        )
    };
    writeln!(
        out,
        "order {}: {} line(s), {} unit(s), {}, to {:.5},{:.5}",
        order.id,
        order.lines.len(),
        order.units(),
        inputs.policies.versions.levels().name(order.service_level),
        order.destination.lat_deg(),
        order.destination.lon_deg()
    )?;
    let versions = &inputs.policies.versions;
    if versions.len() > 1 {
        let k = versions.index_for(order, now);
        let from = versions
            .get(k)
            .effective_from
            .map_or_else(|| "the beginning of time".to_owned(), |t| t.to_string());
        writeln!(
            out,
            "policy: {} (version {} of {}, in effect from {from})",
            inputs.policies.files[k],
            k + 1,
            versions.len()
        )?;
    }
    if !d.rules.is_empty() {
        writeln!(out, "rules: {}", d.rules.join(", "))?;
    }
    if let Some(g) = &d.group {
        writeln!(out, "groups: {g}")?;
    }
    writeln!(out, "\nshipments:")?;
    if d.shipments.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for (n, s) in d.shipments.iter().enumerate() {
        let node = net.node(s.node);
        let lines: Vec<String> = s.lines.iter().map(|&l| line_text(l)).collect();
        writeln!(
            out,
            "  {}. {} ({}) {:.3} km, promised {}: {}",
            n + 1,
            node.id,
            node.kind,
            s.distance_km,
            s.promised_date,
            lines.join(", ")
        )?;
        writeln!(out, "     cost: {}", terms(&s.cost, currency))?;
        if let Some(why) = s.arrival.map(crate::incoming_why) {
            writeln!(out, "     from incoming stock: {why}")?;
        }
    }
    if !d.unfilled.is_empty() {
        writeln!(out, "\nunfilled:")?;
        for u in &d.unfilled {
            writeln!(out, "  {} {}", line_text(u.line), u.reason.code())?;
        }
    }
    writeln!(out, "\ntotal: {}", terms(&d.cost, currency))?;
    writeln!(out, "\ncandidates ({} considered):", d.candidates.len())?;
    writeln!(
        out,
        "  rank  {:<16} {:<10} {:>10}  {:<22} lines",
        "node", "kind", "km", "cost / reason"
    )?;
    for (rank, c) in d.ranked_candidates().into_iter().enumerate() {
        let node = net.node(c.node);
        let (what, lines) = match &c.outcome {
            CandidateOutcome::Priced { lines, cost_cents } => {
                let nos: Vec<String> = line_nos(order, lines).iter().map(u32::to_string).collect();
                (amount(*cost_cents, currency), nos.join(","))
            }
            CandidateOutcome::Filtered(r) => (r.code().to_owned(), String::new()),
        };
        writeln!(
            out,
            "  {:>4}  {:<16} {:<10} {:>10.3}  {:<22} {}{}",
            rank + 1,
            node.id,
            node.kind.as_str(),
            c.distance_km,
            what,
            lines,
            if c.chosen { "  ← chosen" } else { "" }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use omniroute_core::{LatLng, OrderLine, Reason, SkuId, UnfilledLine};

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
    fn formats_money() {
        let inr = Currency::new("INR").ok();
        assert_eq!(amount(1_234_567, inr), "₹12,345.67");
        assert_eq!(amount(-250, inr), "-₹2.50");
        assert_eq!(amount(5, None), "5 cents");
    }

    #[test]
    fn breakdown_lists_most_frequent_first() {
        let mut counts = ReasonCounts::default();
        assert_eq!(unfilled_breakdown(&counts), "none");
        counts.add(Reason::NoStock);
        assert_eq!(unfilled_breakdown(&counts), "1 line: NO_STOCK 1");
        counts.add(Reason::SlaUnreachable);
        counts.add(Reason::SlaUnreachable);
        assert_eq!(
            unfilled_breakdown(&counts),
            "3 lines: SLA_UNREACHABLE 2, NO_STOCK 1"
        );
        assert_eq!(
            crate::reason_counts_json(&counts).to_string(),
            r#"{"NO_STOCK":1,"SLA_UNREACHABLE":2}"#
        );
    }
}
