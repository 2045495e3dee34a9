//! Writing a plan as decisions.csv, one JSON document, NDJSON or Parquet (`route` and `reroute`).

use crate::failure::{is_broken_pipe, Failure};
use crate::output::{create, open};
use crate::{EXIT_OK, EXIT_UNFILLED};
use omniroute_adapters::{write_decisions, write_decisions_parquet, write_plan_json, Inputs};
use omniroute_core::codes::InputCode;
use omniroute_core::Plan;
use serde_json::Value;
use std::path::Path;

/// Output format of the decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// decisions.csv: one row per order line.
    Csv,
    /// One JSON object: the run's figures and a `decisions` array of one object per order.
    Json,
    /// One JSON object per order per line.
    Ndjson,
    /// decisions.csv's columns, typed, in a Parquet file (needs --out).
    Parquet,
}

/// Refuses `--format parquet` without `--out FILE` (`E1204`): Parquet is binary, not for a
/// terminal or a pipe. Called before any work is done.
pub fn check_target(out: Option<&Path>, format: Format) -> anyhow::Result<()> {
    if format == Format::Parquet && out.is_none_or(|p| p == Path::new("-")) {
        return Err(Failure::new(
            InputCode::ParquetToTerminal.id(),
            "--format parquet writes a binary file, not to stdout",
            "add --out FILE, for example --out decisions.parquet",
        )
        .into());
    }
    Ok(())
}

/// The exit code of a plan: `EXIT_OK` when every line is routed, `EXIT_UNFILLED` when some are
/// unfilled.
pub fn exit_code(plan: &Plan) -> u8 {
    if plan
        .decisions
        .iter()
        .all(omniroute_core::Decision::is_complete)
    {
        EXIT_OK
    } else {
        EXIT_UNFILLED
    }
}

/// [`write`](fn@write), where a reader that goes away early (a closed pipe) is no error: `Ok(false)` then,
/// and the command ends quietly with its exit code.
pub fn write_or_closed(
    out: Option<&Path>,
    format: Format,
    inputs: &Inputs,
    plan: &Plan,
    head: &Value,
) -> anyhow::Result<bool> {
    match write(out, format, inputs, plan, head) {
        Ok(()) => Ok(true),
        Err(e) if is_broken_pipe(&e) => Ok(false),
        Err(e) if e.is::<Failure>() => Err(e),
        Err(e) => {
            let target = out.map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
            Err(Failure::new(
                InputCode::CannotWrite.id(),
                format!("cannot write the decisions to {target}: {e:#}"),
                "check that the disk has room and the file size limit (ulimit -f) allows the output; a file given with --out is left as it was",
            )
            .into())
        }
    }
}

/// Writes `plan` to `out` (stdout when `None`). With JSON, `head` (an object) holds the run's
/// figures and the decisions follow under `decisions`; CSV, NDJSON and Parquet (a file, never
/// stdout) carry decisions only.
pub fn write(
    out: Option<&Path>,
    format: Format,
    inputs: &Inputs,
    plan: &Plan,
    head: &Value,
) -> anyhow::Result<()> {
    let out = match format {
        Format::Parquet => return write_parquet(out, inputs, plan),
        Format::Csv => {
            let mut out = open(out)?;
            write_decisions(
                &mut out,
                &inputs.orders,
                plan,
                &inputs.network,
                &inputs.skus,
            )?;
            out
        }
        Format::Json | Format::Ndjson => {
            let mut out = open(out)?;
            let head = (format == Format::Json).then_some(head);
            write_plan_json(&mut out, inputs, plan, head)?;
            out
        }
    };
    out.finish()
}

/// Writes `plan` as a Parquet file at `out` (`E1204` without one).
fn write_parquet(out: Option<&Path>, inputs: &Inputs, plan: &Plan) -> anyhow::Result<()> {
    check_target(out, Format::Parquet)?;
    let Some(path) = out else {
        return Ok(());
    };
    let mut file = create(path)?;
    write_decisions_parquet(
        &mut file,
        &inputs.orders,
        plan,
        &inputs.network,
        &inputs.skus,
    )?;
    file.finish()
}
