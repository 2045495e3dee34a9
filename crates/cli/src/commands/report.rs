//! `omniroute report`: a plan's key figures (docs/kpis.md) as one self-contained HTML page.

use crate::failure::{print_problems, Failure};
use crate::inputs::{check_paths, now, read_decisions, Batch};
use crate::output;
use crate::{Global, EXIT_ERROR, EXIT_OK};
use jiff::Timestamp;
use omniroute_adapters::{read_sale_events, report_html, Inputs, ReportPage, Source};
use omniroute_core::codes::ReportCode;
use omniroute_core::{
    check, Business, Currency, KpiInputs, Kpis, Plan, RerouteCounts, Router, SalesChannel,
    StockTable,
};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `omniroute report`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute report --nodes nodes.csv --stock stock.csv --orders orders.csv --decisions decisions.csv --out report.html\n\nWrites one HTML file that opens with no network access: the key figures (docs/kpis.md),\npromised delivery days, cost per order by term, node load, dealers and a map of nodes and\ndeliveries; with --feed, the total business (counter sales and returns across channels). Pass\nthe same --policy and --now as the route run. Exit 0 when written, 2 on bad\ninput (E8001: the decisions break their inputs' rules) or an I/O error."
)]
pub struct Args {
    /// The nodes, stock, policy and orders files of the route run.
    #[command(flatten)]
    pub batch: Batch,
    /// Decisions file (decisions.csv, or .parquet) written by `omniroute route`, or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub decisions: String,
    /// Where to write the HTML page.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The page's title [default: "omniroute report", a colon and the orders file's path].
    #[arg(long)]
    pub title: Option<String>,
    /// Reference time of the route run, for orders without `created_at` (RFC 3339) [default: the
    /// current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The stock delta stream (NDJSON, docs/formats.md) of the same period, or `-` for stdin:
    /// its `ship` and `return` events add the "Total business" section (counter sales at stores
    /// and dealers, returns across channels; docs/kpis.md).
    #[arg(long, value_name = "FILE")]
    pub feed: Option<String>,
}

/// Reads the plan, computes its figures and writes the page.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = now(args.now.as_deref())?;
    let paths = args.batch.paths().chain([args.decisions.as_str()]);
    let paths = paths.chain(args.feed.as_deref());
    check_paths(paths, Some(&args.out))?;
    let inputs = args.batch.load(global, now)?;
    let Some(file) = read_decisions(&args.decisions, &inputs, now)? else {
        return Ok(EXIT_ERROR);
    };
    let stock = StockTable::from_positions(inputs.routable_positions());
    let broken = check(
        &file.plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policies.versions,
        &stock,
        now,
    );
    if !broken.is_empty() {
        return Err(Failure::new(
            ReportCode::BrokenPlan.id(),
            format!(
                "the decisions break {} rule(s) of their inputs: their figures would mislead",
                broken.len()
            ),
            "run `omniroute check` with the same files and --now; report a plan that fits its inputs",
        )
        .into());
    }
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let kpis = plan_kpis_with(&inputs, &router, &file.plan, &stock, now, None);
    let business = match &args.feed {
        None => None,
        Some(path) => {
            let src = Source::open(path)?;
            match read_sale_events(src.bytes.as_slice(), &src.name, &inputs.network) {
                Ok(sales) => Some(Business::compute(
                    &inputs.network,
                    &inputs.orders,
                    &file.plan,
                    &sales,
                )),
                Err(e) => {
                    print_problems(&e);
                    return Ok(EXIT_ERROR);
                }
            }
        }
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("omniroute report: {}", args.batch.orders));
    let subtitle = format!(
        "{} orders, {} nodes · decisions {} · reference time {now}",
        inputs.orders.len(),
        inputs.network.len(),
        args.decisions
    );
    let currency = inputs.policies.versions.earliest().currency;
    write_page(
        &args.out,
        &ReportPage {
            title: &title,
            subtitle: &subtitle,
            network: &inputs.network,
            orders: &inputs.orders,
            plan: &file.plan,
            kpis: &kpis,
            currency,
            business: business.as_ref(),
        },
    )?;
    if !global.quiet {
        crate::note!("{}", summary(&kpis, currency));
        if let Some(b) = &business {
            crate::note!("{}", business_summary(b));
        }
        crate::note!("wrote {}", args.out.display());
    }
    Ok(EXIT_OK)
}

/// The figures of `plan` over `inputs`, routed by `router` from `stock` (the table the router
/// routes against: the policy's safety stock held back).
pub fn plan_kpis_with(
    inputs: &Inputs,
    router: &Router,
    plan: &Plan,
    stock: &StockTable,
    now: Timestamp,
    reroutes: Option<&RerouteCounts>,
) -> Kpis {
    Kpis::compute(&KpiInputs {
        network: &inputs.network,
        orders: &inputs.orders,
        plan,
        policy: router.policy(),
        stock,
        now,
        reroutes,
    })
}

/// Writes the report page to `out` (a temporary file renamed into place).
pub fn write_page(out: &std::path::Path, page: &ReportPage<'_>) -> anyhow::Result<()> {
    let html = report_html(page);
    let mut file = output::create(out)?;
    file.write_all(html.as_bytes())
        .map_err(|e| output::cannot_write(out, &e))?;
    file.finish()
}

/// One line: the total business's orders and units per channel, and its returns.
fn business_summary(b: &Business) -> String {
    let per_channel: Vec<String> = SalesChannel::ALL
        .iter()
        .map(|&c| {
            let f = b.channel(c);
            format!("{} {} orders / {} units", c.as_str(), f.orders, f.units)
        })
        .collect();
    format!(
        "total business: {}; {} units returned, {} across channels",
        per_channel.join(", "),
        b.all_returned_units(),
        b.cross_channel_returned_units()
    )
}

/// One line: orders, fill rate, same/next-day share, cost per order (in `currency`, else cents).
pub fn summary(k: &Kpis, currency: Option<Currency>) -> String {
    let pct = |x: Option<f64>| x.map_or("n/a".to_owned(), |x| format!("{:.2} %", x * 100.0));
    let per_order = if k.orders > 0 {
        output::amount(k.cost.total_cents() / k.orders as i64, currency)
    } else {
        "n/a".to_owned()
    };
    format!(
        "{} orders: fill rate {}, promised same or next day {}, split {}, cost per order {per_order}",
        k.orders,
        pct(k.fill_rate()),
        pct(k.same_or_next_day_share()),
        pct(k.split_rate()),
    )
}
