//! The `omniroute` command-line tool: one file per command under `commands/`, each with its
//! `Args` and `run`. Data goes to stdout or `--out`; diagnostics and progress to stderr.
//!
//! Exit codes: 0 every line routed (or the command succeeded), 1 finished with unfilled lines,
//! 2 bad input or I/O error. A closed stdout (broken pipe) ends quietly.

mod commands;
mod days;
mod failure;
mod feed;
mod inputs;
mod output;
mod plan_out;
mod progress;
mod unfilled;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The router allocates a few short-lived buffers per order; mimalloc serves them faster than
/// the system allocator (on the route bench's instance: p50 8.8 → 7.3 µs per order).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: every line routed, or the command succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run finished with unfilled lines.
pub const EXIT_UNFILLED: u8 = 1;
/// Exit code: bad input or an I/O error.
pub const EXIT_ERROR: u8 = 2;

/// Route orders to the fulfilment nodes that serve them best.
#[derive(Debug, Parser)]
#[command(name = "omniroute", version, propagate_version = true)]
#[command(
    after_help = "Example:\n  omniroute demo\n  omniroute gen --out day1 && omniroute route --nodes day1/nodes.csv --stock day1/stock.csv --orders day1/orders.csv --out decisions.csv"
)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Global {
    /// Print only errors on stderr (no summary, no warnings).
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// More detail on stderr (timings, every warning); repeat for more.
    #[arg(long, short, action = clap::ArgAction::Count, global = true, help_heading = "Global options")]
    pub verbose: u8,
    /// Never show a progress bar.
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_progress: bool,
}

#[derive(Debug, Subcommand)]
/// The commands.
pub enum Command {
    /// Route a day of orders on the embedded Indian scenario and print the headline figures.
    Demo(commands::demo::Args),
    /// Generate a realistic instance (nodes.csv, stock.csv, orders.csv) from real places.
    Gen(commands::gen::Args),
    /// Check input files and list every problem with its code, place and hint.
    Validate(commands::validate::Args),
    /// Route a batch of orders (in arrival order, or optimised as a whole) and write the decisions.
    Route(commands::route::Args),
    /// Re-route a plan after events (node down, dealer rejected, stock corrected…).
    Reroute(commands::reroute::Args),
    /// Explain why one order went where it did: shipments, costs, ranked candidates.
    Explain(commands::explain::Args),
    /// Check a decisions file against its inputs and policy (stock, capacity, reach, SLA, cost).
    Check(commands::check::Args),
    /// Write a plan's key figures as one self-contained HTML page (charts and a map).
    Report(commands::report::Args),
    /// Replay days of orders and events under a policy and a second one; print the figures.
    Simulate(commands::simulate::Args),
    /// Recommend stock moves from replayed days, each proven by re-running the days.
    Position(commands::position::Args),
    /// Serve routing, reservations and live stock as JSON over HTTP (a bearer token is required).
    Serve(commands::serve::Args),
    /// Print a shell completion script.
    Completions(commands::completions::Args),
    /// Follow a stock delta stream and re-route the open orders whose node lost their stock.
    Watch(commands::watch::Args),
    /// The PostgreSQL store: create the schema, load nodes, stock and a delta stream.
    #[cfg(feature = "postgres")]
    Db(commands::db::Args),
}

fn main() -> ExitCode {
    // A panic is a bug: the hook keeps its message and place, and `main` reports it as `E1199`
    // once it unwinds here. A panic caught on the way (the Parquet reader turns one from its
    // decoders into `E1201`) prints nothing.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        *LAST_PANIC
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(format!("{msg}{place}"));
    }));
    // Past the file size limit (`ulimit -f`) a write raises SIGXFSZ, which would kill the process
    // with the temporary output left behind; with a handler the write fails with EFBIG instead,
    // reported as `E1103` and the temporary file removed.
    #[cfg(unix)]
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = Cli::parse();
    let global = cli.global;
    let result = std::panic::catch_unwind(|| match cli.command {
        Command::Demo(a) => commands::demo::run(&a, global),
        Command::Gen(a) => commands::gen::run(&a, global),
        Command::Validate(a) => commands::validate::run(&a, global),
        Command::Route(a) => commands::route::run(&a, global),
        Command::Reroute(a) => commands::reroute::run(&a, global),
        Command::Explain(a) => commands::explain::run(&a, global),
        Command::Check(a) => commands::check::run(&a, global),
        Command::Report(a) => commands::report::run(&a, global),
        Command::Simulate(a) => commands::simulate::run(&a, global),
        Command::Position(a) => commands::position::run(&a, global),
        Command::Serve(a) => commands::serve::run(&a, global),
        Command::Completions(a) => commands::completions::run(&a),
        Command::Watch(a) => commands::watch::run(&a, global),
        #[cfg(feature = "postgres")]
        Command::Db(a) => commands::db::run(&a, global),
    });
    match result {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => ExitCode::from(failure::report(&e)),
        Err(_) => {
            let what = LAST_PANIC
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .unwrap_or_else(|| "unknown panic".to_owned());
            eprintln!("error: E1199 internal error: {what} (hint: this is a bug in omniroute; please report it with the command you ran)");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The message and place of the last panic, kept by the panic hook for `main` to report.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Writes one diagnostic line to stderr, ignoring a closed stderr.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
