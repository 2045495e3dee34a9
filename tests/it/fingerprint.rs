//! A pinned fingerprint of a 20,000-order sequential plan: every decision's shipments (node,
//! lines, units, distance, promise, cost by term), unfilled lines with their reasons, and the
//! explanation (every candidate with its distance, lines and cost or reason, which were chosen,
//! the rules). A change to the router that alters any of them, however small, changes the hash;
//! the decisions alone have a hash of their own, so a change that only shortens explanations
//! shows as one.
//! Refactors of the router must leave it unchanged; a deliberate change of behaviour updates it
//! and says why in its commit.
//!
//! The instance: the generator at seed 11 (2,000 nodes, 20,000 SKUs, orders of 1 to 12 lines, the
//! exact DP's whole range) under the demo policy (soft SLA, a hard same-day rule, dealer margins,
//! split penalty), routed one order after another on one thread, and again speculatively on two
//! threads, which must give the same plan byte for byte.

use omniroute_adapters::{generate, india_cities, GenConfig, Inputs, Source, DEMO_POLICY};
use omniroute_core::{CandidateOutcome, Decision, Plan, Router};
use std::fmt::Write as _;
use std::sync::Arc;

/// The hash of the plan's decisions (shipments, unfilled lines, costs), the hash of the plan with
/// its explanations, and its totals, as pinned.
const PINNED: (u64, u64, i64, u64) = (
    6_037_911_804_707_597_331,
    16_942_131_006_265_016_876,
    394_559_468,
    40_243,
);

/// The plan on one thread (`threads` = 1) or speculatively on `threads` threads.
fn plan(threads: usize) -> Plan {
    let cfg = GenConfig {
        seed: 11,
        warehouses: 20,
        stores: 380,
        dealers: 1_600,
        skus: 20_000,
        orders: 20_000,
        max_lines: 12,
        categories: 40,
        ..GenConfig::demo()
    };
    let inst = generate(&india_cities(), &cfg);
    let inputs = Inputs::load(
        &Source::text("fp/nodes.csv", inst.nodes_csv).into(),
        &Source::text("fp/stock.csv", inst.stock_csv).into(),
        Some(&Source::text("fp/orders.csv", inst.orders_csv).into()),
        &[Source::text("fp/policy.toml", DEMO_POLICY)],
    )
    .expect("generated instances are valid");
    let router = Router::new(
        Arc::clone(&inputs.network),
        inputs.policies.versions.earliest().clone(),
    )
    .parallel(threads > 1);
    let stock = router.stock_table(inputs.routable_positions());
    let now = "2026-11-26T12:00:00Z".parse().expect("a valid instant");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    pool.install(|| router.route_sequential(&inputs.orders, &stock, now))
}

/// One decision as text without its explanation, every number exact (distances by their bits).
fn render(out: &mut String, d: &Decision) {
    for s in &d.shipments {
        let c = &s.cost;
        let _ = write!(
            out,
            "S{} {:?} {} {:x} {} {} {} {} {} {} {} {} {};",
            s.node.0,
            s.lines,
            s.units,
            s.distance_km.to_bits(),
            s.promised_date,
            c.fixed_cents,
            c.distance_cents,
            c.handling_cents,
            c.margin_cents,
            c.priority_cents,
            c.split_penalty_cents,
            c.lateness_cents,
            c.unfilled_cents,
        );
    }
    for u in &d.unfilled {
        let _ = write!(out, "U{} {};", u.line, u.reason.code());
    }
    let _ = write!(out, "T{};", d.cost_cents());
}

/// One decision's explanation as text: every candidate and the rules.
fn render_explanation(out: &mut String, d: &Decision) {
    for c in &d.candidates {
        let _ = write!(
            out,
            "C{} {:x} {}",
            c.node.0,
            c.distance_km.to_bits(),
            c.chosen
        );
        match &c.outcome {
            CandidateOutcome::Priced { lines, cost_cents } => {
                let lines: Vec<usize> = lines.iter().collect();
                let _ = write!(out, " {lines:?} {cost_cents};");
            }
            CandidateOutcome::Filtered(r) => {
                let _ = write!(out, " {};", r.code());
            }
        }
    }
    let _ = writeln!(out, "R{:?}", d.rules);
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn a_20000_order_plan_is_unchanged() {
    assert_pinned(&plan(1));
}

#[test]
fn the_plan_on_two_threads_is_the_same() {
    assert_pinned(&plan(2));
}

fn assert_pinned(plan: &Plan) {
    assert_eq!(plan.decisions.len(), 20_000);
    let mut text = String::new();
    for d in &plan.decisions {
        render(&mut text, d);
    }
    let decisions = fnv1a(text.as_bytes());
    text.clear();
    for d in &plan.decisions {
        render(&mut text, d);
        render_explanation(&mut text, d);
    }
    let seen = (
        decisions,
        fnv1a(text.as_bytes()),
        plan.totals.cost_cents,
        plan.totals.units_filled,
    );
    assert_eq!(
        seen, PINNED,
        "the router's decisions or explanations changed"
    );
}
