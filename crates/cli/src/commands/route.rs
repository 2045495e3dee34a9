//! `omniroute route`: a sequential batch (DESIGN §5), written as decisions.csv, JSON or NDJSON.

use crate::failure::is_broken_pipe;
use crate::inputs::{load, now, Files};
use crate::output::{open, rupees};
use crate::{decision_json, progress, Global, EXIT_OK, EXIT_UNFILLED};
use anyhow::Context;
use omniroute_adapters::write_decisions;
use omniroute_core::Router;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Output format of the decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// decisions.csv: one row per order line.
    Csv,
    /// A JSON array of one object per order.
    Json,
    /// One JSON object per order per line.
    Ndjson,
}

/// Arguments of `omniroute route`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute route --nodes nodes.csv --stock stock.csv --orders orders.csv --out decisions.csv\n  omniroute gen --out day && cat day/orders.csv | omniroute route --nodes day/nodes.csv --stock day/stock.csv --orders - --format ndjson\n\nExit 0 when every line is routed, 1 when some are unfilled, 2 on bad input or an I/O error."
)]
pub struct Args {
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// Orders file (orders.csv), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub orders: String,
    /// Where to write the decisions [default: stdout].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
    /// Reference time for orders without `created_at` (RFC 3339) [default: the current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Routes the batch and writes the decisions.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    let inputs = load(&args.files, Some(&args.orders), global)?;
    let router = Router::new(&inputs.network, &inputs.policy);
    let stock = router.stock_table(inputs.routable_positions());
    let start = Instant::now();
    let plan = progress::route_sequential(&router, &inputs.orders, &stock, now, global);
    let elapsed = start.elapsed();
    let code = if plan
        .decisions
        .iter()
        .all(omniroute_core::Decision::is_complete)
    {
        EXIT_OK
    } else {
        EXIT_UNFILLED
    };
    let written = (|| -> anyhow::Result<()> {
        let mut out = open(args.out.as_deref())?;
        match args.format {
            Format::Csv => write_decisions(
                &mut out,
                &inputs.orders,
                &plan,
                &inputs.network,
                &inputs.skus,
            )?,
            Format::Json | Format::Ndjson => {
                let json = args.format == Format::Json;
                if json {
                    out.write_all(b"[\n")?;
                }
                for (i, (o, d)) in inputs.orders.iter().zip(&plan.decisions).enumerate() {
                    if json && i > 0 {
                        out.write_all(b",\n")?;
                    }
                    serde_json::to_writer(
                        &mut out,
                        &decision_json::decision(o, d, &inputs, false),
                    )?;
                    if !json {
                        out.write_all(b"\n")?;
                    }
                }
                if json {
                    out.write_all(b"\n]\n")?;
                }
            }
        }
        out.flush()?;
        Ok(())
    })();
    match written {
        Err(e) if is_broken_pipe(&e) => return Ok(code),
        other => other.context("cannot write the decisions")?,
    }
    if !global.quiet {
        let t = &plan.totals;
        crate::note!(
            "routed {} orders ({} complete): fill rate {:.2} %, {} shipments, {:.1} km, cost ₹{} ({} cents)",
            t.orders,
            t.orders_complete,
            t.fill_rate() * 100.0,
            t.shipments,
            t.distance_km,
            rupees(t.cost_cents),
            t.cost_cents,
        );
        if global.verbose > 0 {
            crate::note!("routing took {:.3} s", elapsed.as_secs_f64());
        }
    }
    Ok(code)
}
