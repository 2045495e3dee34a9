//! `omniroute check`: an independent check of a decisions file against its inputs and policy.

use crate::decisions_reader::{self, FileDecision};
use crate::inputs::{load, now, Files};
use crate::{Global, EXIT_ERROR, EXIT_OK, EXIT_UNFILLED};
use omniroute_adapters::{Inputs, Source};
use omniroute_core::{
    check, shipment_cost, CostBreakdown, Decision, Order, OrderRules, Plan, Shipment, UnfilledLine,
};
use std::io::Write;

/// Arguments of `omniroute check`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute check --nodes nodes.csv --stock stock.csv --orders orders.csv --decisions decisions.csv\n\nRe-routes nothing: every shipment is re-priced from scratch and checked for stock, capacity,\nreach, SLA, split rules and cost. Pass the same --policy and --now as the route run.\nPrints one violation per line on stdout; exit 0 when clean, 1 when violations are found,\n2 on bad input."
)]
pub struct Args {
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// Orders file (orders.csv), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub orders: String,
    /// Decisions file (decisions.csv) to check, or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub decisions: String,
    /// Reference time of the route run, for orders without `created_at` (RFC 3339).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Checks the file and prints violations.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    let inputs = load(&args.files, Some(&args.orders), global)?;
    let src = Source::open(&args.decisions)?;
    let file = match decisions_reader::read(&src.bytes, &src.name, &inputs) {
        Ok(f) => f,
        Err(problems) => {
            for p in &problems {
                crate::note!("error: {p}");
            }
            return Ok(EXIT_ERROR);
        }
    };
    let mut violations: Vec<(usize, &'static str, String)> = Vec::new();
    let decisions: Vec<Decision> = inputs
        .orders
        .iter()
        .zip(&file)
        .enumerate()
        .map(|(i, (o, f))| {
            rebuild(o, f, &inputs, now, &mut |code, msg| {
                violations.push((i, code, msg));
            })
        })
        .collect();
    let plan = Plan::from_decisions(&inputs.orders, decisions);
    let stock = omniroute_core::Router::new(&inputs.network, &inputs.policy)
        .stock_table(inputs.routable_positions());
    for v in check(
        &plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policy,
        &stock,
        now,
    ) {
        violations.push((v.order, v.code, v.message));
    }
    violations.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    violations.dedup();
    let mut out = std::io::stdout().lock();
    for (i, code, msg) in &violations {
        let id = inputs.orders.get(*i).map_or("(batch)", |o| o.id.as_str());
        writeln!(out, "{id}: {code} {msg}")?;
    }
    out.flush()?;
    if !global.quiet {
        crate::note!(
            "checked {} orders, {} shipments: {} violation(s)",
            plan.totals.orders,
            plan.totals.shipments,
            violations.len()
        );
    }
    Ok(if violations.is_empty() {
        EXIT_OK
    } else {
        EXIT_UNFILLED
    })
}

/// Rebuilds a decision from the file's rows. Each shipment is re-priced from scratch; the file's
/// cost and distance (3 decimals) are compared here, and the recomputed breakdown goes into the
/// decision so that the core checker judges the rest (rules, stock, capacity, promise, totals).
fn rebuild(
    order: &Order,
    f: &FileDecision,
    inputs: &Inputs,
    now: jiff::Timestamp,
    v: &mut impl FnMut(&'static str, String),
) -> Decision {
    let rules = OrderRules::of(order, &inputs.policy);
    let mut total = CostBreakdown::default();
    let shipments: Vec<Shipment> = f
        .shipments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let units = s.lines.iter().map(|&l| order.lines[l].qty).sum();
            let (cost, distance_km) = match shipment_cost(
                order,
                s.node,
                &s.lines,
                i > 0,
                &inputs.network,
                &inputs.policy,
                &rules,
                now,
            ) {
                Ok(c) => {
                    if c.cost.total_cents() != s.cost_cents {
                        v(
                            "COST",
                            format!(
                                "shipment {}: file says {} cents, expected {}",
                                s.number,
                                s.cost_cents,
                                c.cost.total_cents()
                            ),
                        );
                    }
                    if (c.distance_km - s.distance_km).abs() > 0.0005 + 1e-9 {
                        v(
                            "COST",
                            format!(
                                "shipment {}: file says {} km, expected {:.3}",
                                s.number, s.distance_km, c.distance_km
                            ),
                        );
                    }
                    (c.cost, c.distance_km)
                }
                // The core checker reports the broken rule; keep the file's figures.
                Err(_) => (
                    CostBreakdown {
                        fixed_cents: s.cost_cents,
                        ..CostBreakdown::default()
                    },
                    s.distance_km,
                ),
            };
            total += cost;
            Shipment {
                node: s.node,
                lines: s.lines.clone(),
                units,
                distance_km,
                promised_date: s.promised_date,
                cost,
            }
        })
        .collect();
    total.unfilled_cents = f.unfilled.iter().map(|u| u.2).sum();
    Decision {
        shipments,
        unfilled: f
            .unfilled
            .iter()
            .map(|&(line, reason, _)| UnfilledLine { line, reason })
            .collect(),
        cost: total,
        candidates: Vec::new(),
        rules: Vec::new(),
    }
}
