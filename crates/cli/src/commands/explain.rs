//! `omniroute explain ORDER_ID`: why one order went where it did.

use crate::failure::Failure;
use crate::inputs::{now, Batch};
use crate::{progress, Global, EXIT_OK};
use jiff::Timestamp;
use omniroute_adapters::{decision_json, line_nos, Inputs};
use omniroute_core::{
    money_text, CandidateOutcome, CostBreakdown, Currency, Decision, Order, Router,
};
use std::io::Write;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// One JSON object for programs.
    Json,
}

/// Arguments of `omniroute explain`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute explain ORD-0000042 --nodes nodes.csv --stock stock.csv --orders orders.csv\n  omniroute explain ORD-0000042 --nodes nodes.csv --stock stock.csv --orders orders.csv --format json\n\nThe batch is routed in arrival order up to and including the order, so it sees the stock left by\nearlier orders. Candidates are ranked: chosen nodes first, then priced nodes by lines covered and\ncost, then filtered nodes nearest first."
)]
pub struct Args {
    /// The order to explain (its `order_id`).
    pub order_id: String,
    /// The nodes, stock, policy and orders files.
    #[command(flatten)]
    pub batch: Batch,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Reference time for orders without `created_at` (RFC 3339) [default: the current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Routes up to the order and prints its decision.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    let inputs = args.batch.load(global, now)?;
    let Some(i) = inputs.orders.iter().position(|o| o.id == args.order_id) else {
        return Err(Failure::new(
            "E1101",
            format!("order `{}` is not in {}", args.order_id, args.batch.orders),
            "check the id against the order_id column (ids are case-sensitive)",
        )
        .into());
    };
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let plan = progress::route_sequential(&router, &inputs.orders[..=i], &stock, now, global);
    let (order, d) = (&inputs.orders[i], &plan.decisions[i]);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &decision_json(order, d, &inputs.names(), true),
            )?;
            writeln!(out)?;
        }
        Format::Table => table(&mut out, order, d, &inputs, now)?,
    }
    out.flush()?;
    Ok(EXIT_OK)
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

fn table(
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
                (crate::output::amount(*cost_cents, currency), nos.join(","))
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
