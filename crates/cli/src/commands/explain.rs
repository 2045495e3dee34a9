//! `omniroute explain ORDER_ID`: why one order went where it did.

use crate::failure::Failure;
use crate::inputs::{now, Batch};
use crate::{progress, Global, EXIT_OK};
use omniroute_adapters::{decision_json, write_explanation};
use omniroute_core::codes::InputCode;
use omniroute_core::Router;
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
            InputCode::UnknownOrder.id(),
            format!("order `{}` is not in {}", args.order_id, args.batch.orders),
            "check the id against the order_id column (ids are case-sensitive)",
        )
        .into());
    };
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let orders = &inputs.orders[..=i];
    let plan = progress::route_sequential(&router, orders, &stock, now, global);
    let plan = router.promise_incoming(orders, plan, &inputs.incoming(), now);
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
        Format::Table => write_explanation(&mut out, order, d, &inputs, now)?,
    }
    out.flush()?;
    Ok(EXIT_OK)
}
