//! The input files every routing command takes, loaded through the adapters.

use crate::failure::{print_problems, Failure};
use crate::Global;
use jiff::Timestamp;
use omniroute_adapters::{
    event_lines, read_decisions_file, read_events, read_territories, reroute_problem,
    with_territories, DecisionsFile, InputError, Inputs, Source, TableInput,
};
use omniroute_core::codes::InputCode;
use omniroute_core::{Event, RerouteError};
use std::path::Path;

/// `--nodes`, `--stock`, `--policy` (the orders file is added by each command).
#[derive(Debug, Clone, clap::Args)]
pub struct Files {
    /// Nodes file (nodes.csv, or .parquet with the same columns), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub nodes: String,
    /// Stock file (stock.csv, or .parquet with the same columns), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub stock: String,
    /// Policy file (policy.toml), once per policy version (each order takes the version of its
    /// `created_at`, docs/policy.md); the default policy when absent.
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<String>,
    /// Dealers' territories (a GeoJSON FeatureCollection, `properties.node_id` per feature).
    #[arg(long, value_name = "FILE")]
    pub territories: Option<String>,
}

/// `--nodes`, `--stock`, `--policy` and `--orders`: the files of a batch to route.
#[derive(Debug, Clone, clap::Args)]
pub struct Batch {
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// Orders file (orders.csv, or .parquet with the same columns), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub orders: String,
}

impl Files {
    /// The paths of the nodes, stock and policy files, as given.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        [self.nodes.as_str(), self.stock.as_str()]
            .into_iter()
            .chain(self.policy.iter().map(String::as_str))
            .chain(self.territories.as_deref())
    }
}

impl Batch {
    /// The paths of every file of the batch, as given.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.paths().chain([self.orders.as_str()])
    }

    /// Reads and validates the files (see [`load`]).
    pub fn load(&self, global: Global, now: Timestamp) -> anyhow::Result<Inputs> {
        load(&self.files, Some(&self.orders), global, now)
    }
}

/// Reads and validates the files, and checks every order has a policy version at its
/// `created_at` (at `now`, the reference time, without one); prints warnings (unless `--quiet`).
pub fn load(
    files: &Files,
    orders: Option<&str>,
    global: Global,
    now: Timestamp,
) -> anyhow::Result<Inputs> {
    check_paths(files.paths().chain(orders), None)?;
    let mut inputs = read(files, orders)?;
    add_territories(files, &mut inputs)?;
    print_warnings(&inputs.warnings, global);
    inputs.check_now(now)?;
    Ok(inputs)
}

/// Reads and validates the nodes, stock, orders and policy files ([`Inputs::open`]: stock.csv
/// is read from its file in chunks as it is parsed; a Parquet stock's files are decoded at once).
pub fn read(files: &Files, orders: Option<&str>) -> Result<Inputs, InputError> {
    Inputs::open(&files.nodes, &files.stock, orders, &files.policy)
}

/// Sets the dealers' territories of `--territories`, if given, on the inputs' network.
pub fn add_territories(files: &Files, inputs: &mut Inputs) -> Result<(), InputError> {
    if let Some(path) = &files.territories {
        let territories = read_territories(&Source::open(path)?, &inputs.network)?;
        inputs.network = std::sync::Arc::new(with_territories(&inputs.network, &territories));
    }
    Ok(())
}

/// Refuses, before any work, more than one input read from `-` (stdin) (`E1100`) and an `out`
/// that is the same file as an input (`E1130`: writing it would destroy the input).
pub fn check_paths<'a>(
    inputs: impl IntoIterator<Item = &'a str>,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let inputs: Vec<&str> = inputs.into_iter().collect();
    if inputs.iter().filter(|p| **p == "-").count() > 1 {
        return Err(Failure::new(
            InputCode::CommandLine.id(),
            "more than one input is `-` (stdin)",
            "read at most one file from stdin and pass the others as paths",
        )
        .into());
    }
    let Some(out) = out.filter(|o| *o != Path::new("-")) else {
        return Ok(());
    };
    if let Some(input) = inputs
        .iter()
        .find(|i| **i != "-" && same_file::is_same_file(i, out).unwrap_or(false))
    {
        return Err(Failure::new(
            InputCode::OutputIsInput.id(),
            format!(
                "--out {} is the input {input}: writing it would destroy the input",
                out.display()
            ),
            "write the output to another file",
        )
        .into());
    }
    Ok(())
}

/// Prints warnings: all with `-v`, else the first five and a count.
pub fn print_warnings(warnings: &[omniroute_adapters::Problem], global: Global) {
    if global.quiet {
        return;
    }
    let shown = if global.verbose > 0 {
        warnings.len()
    } else {
        5
    };
    for w in warnings.iter().take(shown) {
        crate::note!("warning: {w}");
    }
    if warnings.len() > shown {
        crate::note!(
            "warning: {} more warning(s); run with -v to see them all",
            warnings.len() - shown
        );
    }
}

/// Parses `--now` (RFC 3339), or reads the clock when absent.
pub fn now(arg: Option<&str>) -> anyhow::Result<Timestamp> {
    match arg {
        None => Ok(Timestamp::now()),
        Some(s) => s.parse::<Timestamp>().map_err(|e| {
            Failure::new(
                InputCode::BadNow.id(),
                format!("invalid --now time `{s}`: {e}"),
                "give an RFC 3339 time with an offset, for example 2026-11-26T09:30:00+05:30",
            )
            .into()
        }),
    }
}

/// Reads a decisions file (CSV or Parquet, or `-` for stdin) against its inputs, re-pricing every
/// shipment; `None` after printing the file's problems.
pub fn read_decisions(
    path: &str,
    inputs: &Inputs,
    now: Timestamp,
) -> anyhow::Result<Option<DecisionsFile>> {
    let src = TableInput::open(path)?;
    match read_decisions_file(
        &src,
        &inputs.orders,
        &inputs.network,
        &inputs.skus,
        &inputs.policies.versions,
        now,
    ) {
        Ok(f) => Ok(Some(f)),
        Err(e) => {
            print_problems(&e);
            Ok(None)
        }
    }
}

/// An events file (NDJSON, `-` for stdin) read against its inputs, with the file kept to place a
/// later refusal ([`print_reroute_error`]); `None` after printing the file's problems.
pub fn read_events_file(
    path: &str,
    inputs: &Inputs,
) -> anyhow::Result<Option<(Source, Vec<Event>)>> {
    let src = Source::open(path)?;
    match read_events(
        src.bytes.as_slice(),
        &src.name,
        &inputs.orders,
        &inputs.network,
        &inputs.skus,
    ) {
        Ok(events) => Ok(Some((src, events))),
        Err(e) => {
            print_problems(&e);
            Ok(None)
        }
    }
}

/// Prints a re-routing refusal placed on its event's line of `src`.
pub fn print_reroute_error(e: &RerouteError, src: &Source, inputs: &Inputs) {
    let line = event_lines(&src.bytes).get(e.event()).copied().unwrap_or(0);
    print_problems(&reroute_problem(
        e,
        &src.name,
        line,
        &inputs.orders,
        &inputs.network,
    ));
}
