//! `omniroute simulate`: replay one or several days of orders with their events under a policy,
//! and under a second one (`--against`), and print the key figures side by side.
//!
//! Each day is routed in arrival order from the stock the day before left (the first day from
//! `--stock`), then its events re-route it (`omniroute_core::Replay`). Stock carries over by
//! SKU name ([`crate::days`]). With `--seed`, dealer rejects are drawn from each dealer's
//! acceptance rate and re-routed. The figures of every day are added up (`Kpis::merge`). No
//! clock or randomness is read beyond `--now` and `--seed`: the same inputs print the same
//! bytes.

use super::report::write_page;
use crate::days::{Days, DaysArgs};
use crate::inputs::Files;
use crate::output;
use crate::{Global, EXIT_ERROR, EXIT_OK};
use jiff::Timestamp;
use omniroute_adapters::{kpi_csv_table as csv_table, kpi_text_table as text_table, ReportPage};
use omniroute_core::{kpi_diff, Currency, Kpis, Network, Order, Plan};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `omniroute simulate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute simulate --nodes nodes.csv --stock stock.csv --orders day1.csv --orders day2.csv --events day1.ndjson --policy a.toml --against b.toml --now 2026-11-26T09:00:00+05:30\n\nThe i-th --events file (events.ndjson, as `reroute` reads) applies to the i-th --orders file.\nDealer rejections of orders the replayed policy never offered to that dealer are skipped.\nWith --seed, every dealer offer is also rejected with the dealer's chance of refusing (its\nacceptance_rate, else the policy's prior), drawn from the seed, and re-routed.\nPrints the key figures (docs/kpis.md) under --policy (A) and --against (B) and B − A; pass\n--now for a reproducible run. Exit 0 when done, 2 on bad input or an I/O error."
)]
pub struct Args {
    /// The days: nodes, stock, policy (A), orders and events files, seed and reference time.
    #[command(flatten)]
    pub days: DaysArgs,
    /// The second policy (B), once per version; without it only A is replayed.
    #[arg(long, value_name = "FILE")]
    pub against: Vec<String>,
    /// Output format of the table.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
    /// Also write report-a.html (and report-b.html) into this folder.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
}

/// How the figures are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Aligned columns, node rows left out.
    Text,
    /// CSV: name,key,unit,a,b,delta, every row.
    Csv,
}

/// Every day replayed under one policy.
struct Replayed {
    kpis: Kpis,
    network: Arc<Network>,
    orders: Vec<Order>,
    plan: Plan,
    skipped: usize,
    drawn: u64,
    /// The policy's currency (every version names the same one).
    currency: Option<Currency>,
}

/// Replays the days under A (and B) and prints the figures.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = args
        .days
        .check(args.against.iter().map(String::as_str), None)?;
    let Some(a) = replay(args, &args.days.files, now, global)? else {
        return Ok(EXIT_ERROR);
    };
    let b = if args.against.is_empty() {
        None
    } else {
        let files = Files {
            policy: args.against.clone(),
            ..args.days.files.clone()
        };
        let Some(b) = replay(args, &files, now, global)? else {
            return Ok(EXIT_ERROR);
        };
        Some(b)
    };
    let rows_a = a.kpis.rows(&a.network);
    let rows_b = b
        .as_ref()
        .map_or_else(Vec::new, |b| b.kpis.rows(&b.network));
    let diff = kpi_diff(&rows_a, &rows_b);
    let text = match args.format {
        TableFormat::Text => text_table(&diff, b.is_some()),
        TableFormat::Csv => csv_table(&diff),
    };
    let mut out = std::io::stdout().lock();
    if let (Some(seed), TableFormat::Text) = (args.days.seed, args.format) {
        writeln!(out, "dealer rejects drawn from seed {seed}")?;
    }
    out.write_all(text.as_bytes())?;
    out.flush()?;
    if let Some(dir) = &args.report_dir {
        std::fs::create_dir_all(dir).map_err(|e| output::cannot_write(dir, &e))?;
        for (name, r, policy) in [
            ("a", Some(&a), &args.days.files.policy),
            ("b", b.as_ref(), &args.against),
        ] {
            let Some(r) = r else { continue };
            let title = format!("omniroute simulate: policy {}", name.to_uppercase());
            let mut subtitle = format!(
                "{} day(s), {} orders · policy {} · reference time {now}",
                args.days.orders.len(),
                r.orders.len(),
                if policy.is_empty() {
                    "default".to_owned()
                } else {
                    policy.join(", ")
                }
            );
            if let Some(seed) = args.days.seed {
                let _ = write!(subtitle, " · dealer rejects drawn from seed {seed}");
            }
            let path = dir.join(format!("report-{name}.html"));
            write_page(
                &path,
                &ReportPage {
                    title: &title,
                    subtitle: &subtitle,
                    network: &r.network,
                    orders: &r.orders,
                    plan: &r.plan,
                    kpis: &r.kpis,
                    currency: r.currency,
                    business: None,
                },
            )?;
        }
    }
    if !global.quiet {
        for (name, r) in [("A", Some(&a)), ("B", b.as_ref())] {
            let Some(r) = r else { continue };
            crate::note!(
                "policy {name}: {}",
                super::report::summary(&r.kpis, r.currency)
            );
            if let Some(seed) = args.days.seed {
                crate::note!(
                    "policy {name}: {} dealer reject(s) drawn from seed {seed}",
                    r.drawn
                );
            }
            if r.skipped > 0 {
                crate::note!(
                    "policy {name}: skipped {} dealer event(s) for orders it never offered to that dealer",
                    r.skipped
                );
            }
        }
    }
    Ok(EXIT_OK)
}

/// Every day under the policy of `files`; `None` after printing an input's problems.
fn replay(
    args: &Args,
    files: &Files,
    now: Timestamp,
    global: Global,
) -> anyhow::Result<Option<Replayed>> {
    let Some(days) = Days::load(files, &args.days.orders, &args.days.events, global, now)? else {
        return Ok(None);
    };
    let replayed = match days
        .replay(now, args.days.seed)
        .days(&days.list(), &days.start)
    {
        Ok(r) => r,
        Err(e) => {
            days.print_error(&e);
            return Ok(None);
        }
    };
    Ok(Some(Replayed {
        kpis: days.kpis(&replayed, &days.start, now),
        network: Arc::clone(&days.first().network),
        orders: days.all_orders(),
        plan: days.plan(&replayed),
        skipped: replayed.iter().map(|r| r.skipped.len()).sum(),
        drawn: replayed.iter().map(|r| r.drawn_rejects).sum(),
        currency: days.first().policies.versions.earliest().currency,
    }))
}
