//! `omniroute position`: recommend stock moves from replayed days and prove them by re-running
//! the days with the moves applied (docs/positioning.md).
//!
//! The days load and replay as in `simulate` ([`crate::days`]); the search is the core's
//! (`omniroute_core::recommend_moves`). Prints the moves, each with the cost of the days before
//! and after it, then the key figures of the days as recorded (A) and re-run with every move
//! (B) side by side.

use super::report::write_page;
use super::simulate::TableFormat;
use crate::days::{Days, DaysArgs};
use crate::output;
use crate::{Global, EXIT_ERROR, EXIT_OK};
use jiff::Timestamp;
use omniroute_adapters::ReportPage;
use omniroute_adapters::{csv_cell, kpi_csv_table as csv_table, kpi_text_table as text_table};
use omniroute_core::{
    apply_moves, kpi_diff, recommend_moves, Kpis, PositionOptions, Positioning, ProvenMove,
    StockMove,
};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `omniroute position`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute position --nodes nodes.csv --stock stock.csv --orders day1.csv --orders day2.csv --moves 5 --now 2026-11-26T09:00:00+05:30 --out moves.csv\n\nMoves are made before the first day. Each recommended move was kept because re-running the\ndays with it (the router deciding every order) cost less than without it. Figures: A as\nrecorded, B with the moves. Exit 0 when done, 2 on bad input or an I/O error."
)]
pub struct Args {
    /// The days: nodes, stock, policy, orders and events files, seed and reference time.
    #[command(flatten)]
    pub days: DaysArgs,
    /// Moves recommended at most.
    #[arg(long, value_name = "N", default_value_t = PositionOptions::default().max_moves)]
    pub moves: usize,
    /// Candidate moves re-run per round at most (each is one replay of every day).
    #[arg(long, value_name = "N", default_value_t = PositionOptions::default().max_candidates)]
    pub candidates: usize,
    /// Output format of the figures.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
    /// Write the moves as CSV (`sku,from_node,to_node,units,cost_before_cents,cost_after_cents,saving_cents`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write report-before.html and report-after.html into this folder.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
}

/// Searches the moves and prints them with the figures before and after.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = args.days.check([], args.out.as_deref())?;
    let Some(days) = Days::load(
        &args.days.files,
        &args.days.orders,
        &args.days.events,
        global,
        now,
    )?
    else {
        return Ok(EXIT_ERROR);
    };
    let options = PositionOptions {
        max_moves: args.moves,
        max_candidates: args.candidates,
        ..PositionOptions::default()
    };
    let replay = days.replay(now, args.days.seed);
    let found = match recommend_moves(&replay, &days.list(), &days.start, &options) {
        Ok(f) => f,
        Err(e) => {
            days.print_error(&e);
            return Ok(EXIT_ERROR);
        }
    };
    if let Some(path) = &args.out {
        write_moves(path, &days, &found.moves)?;
    }
    let before = days.kpis(&found.before, &days.start, now);
    let taken: Vec<StockMove> = found.moves.iter().map(|m| m.stock_move).collect();
    let after_start = apply_moves(&days.start, &taken);
    let after = days.kpis(&found.after, &after_start, now);
    let network = days.router.network();
    let diff = kpi_diff(&before.rows(network), &after.rows(network));
    let mut out = std::io::stdout().lock();
    match args.format {
        TableFormat::Text => {
            let mut s = moves_text(args, &days, &found);
            s.push_str("\nA: as recorded · B: with the moves\n");
            s.push_str(&text_table(&diff, true));
            out.write_all(s.as_bytes())?;
        }
        TableFormat::Csv => out.write_all(csv_table(&diff).as_bytes())?,
    }
    out.flush()?;
    if let Some(dir) = &args.report_dir {
        write_reports(dir, args, &days, &found, [&before, &after], now)?;
    }
    Ok(EXIT_OK)
}

/// A move's SKU, source, target and units, named.
fn named(days: &Days, m: &ProvenMove) -> [String; 4] {
    let (network, s) = (days.router.network(), m.stock_move);
    [
        days.skus.name(s.sku).to_owned(),
        network.node(s.from).id.clone(),
        network.node(s.to).id.clone(),
        s.units.to_string(),
    ]
}

/// Writes the moves as CSV to `path`.
fn write_moves(path: &Path, days: &Days, moves: &[ProvenMove]) -> anyhow::Result<()> {
    let mut csv = String::from(
        "sku,from_node,to_node,units,cost_before_cents,cost_after_cents,saving_cents\n",
    );
    for m in moves {
        let cells = named(days, m).map(|c| csv_cell(&c));
        let _ = writeln!(
            csv,
            "{},{},{},{}",
            cells.join(","),
            m.cost_before_cents,
            m.cost_after_cents,
            m.cost_before_cents - m.cost_after_cents
        );
    }
    let mut file = output::create(path)?;
    file.write_all(csv.as_bytes())?;
    file.finish()
}

/// The moves for people, one a line, with the search's count of re-runs.
fn moves_text(args: &Args, days: &Days, found: &Positioning) -> String {
    let currency = days.router.policy().currency;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} move(s) from {} replay(s) of {} day(s){}",
        found.moves.len(),
        found.replays,
        args.days.orders.len(),
        args.days.seed.map_or(String::new(), |seed| format!(
            ", dealer rejects drawn from seed {seed}"
        ))
    );
    for (i, m) in found.moves.iter().enumerate() {
        let [sku, from, to, units] = named(days, m);
        let _ = writeln!(
            s,
            "{}. move {units} × {sku} from {from} to {to}: cost {} → {} (saves {})",
            i + 1,
            output::amount(m.cost_before_cents, currency),
            output::amount(m.cost_after_cents, currency),
            output::amount(m.cost_before_cents - m.cost_after_cents, currency),
        );
    }
    s
}

/// Writes report-before.html and report-after.html into `dir`.
fn write_reports(
    dir: &Path,
    args: &Args,
    days: &Days,
    found: &Positioning,
    [before, after]: [&Kpis; 2],
    now: Timestamp,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| output::cannot_write(dir, &e))?;
    let orders = days.all_orders();
    for (name, replayed, kpis) in [
        ("before", &found.before, before),
        ("after", &found.after, after),
    ] {
        let title = format!("omniroute position: {name} the moves");
        let subtitle = format!(
            "{} day(s), {} orders · {} move(s) · reference time {now}",
            args.days.orders.len(),
            orders.len(),
            found.moves.len()
        );
        let path = dir.join(format!("report-{name}.html"));
        let plan = days.plan(replayed);
        write_page(
            &path,
            &ReportPage {
                title: &title,
                subtitle: &subtitle,
                network: days.router.network(),
                orders: &orders,
                plan: &plan,
                kpis,
                currency: days.router.policy().currency,
                business: None,
            },
        )?;
    }
    Ok(())
}
