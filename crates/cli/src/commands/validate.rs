//! `omniroute validate`: every problem of the input files, one per line, on stderr.

use crate::inputs::{check_paths, now, print_warnings, Files};
use crate::Global;
use omniroute_adapters::{InputError, Inputs};

/// Arguments of `omniroute validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute validate --nodes nodes.csv --stock stock.csv --orders orders.csv --policy policy.toml\n\nEach problem is printed as `file:line:column: CODE message (hint: ...)`; exit 2 on any error, 0 when clean (warnings allowed)."
)]
pub struct Args {
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// Orders file (orders.csv, or .parquet with the same columns), or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub orders: Option<String>,
    /// Reference time for orders without `created_at` (RFC 3339): check a policy version applies
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// Validates and reports.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let now = args.now.as_deref().map(|s| now(Some(s))).transpose()?;
    check_paths(args.files.paths().chain(args.orders.as_deref()), None)?;
    let result = (|| -> Result<Inputs, InputError> {
        let mut inputs = crate::inputs::read(&args.files, args.orders.as_deref())?;
        crate::inputs::add_territories(&args.files, &mut inputs)?;
        if let Some(now) = now {
            inputs.check_now(now)?;
        }
        Ok(inputs)
    })();
    match result {
        Ok(inputs) => {
            print_warnings(
                &inputs.warnings,
                Global {
                    verbose: 1,
                    ..global
                },
            );
            if !global.quiet {
                crate::note!(
                    "ok: {} nodes, {} stock rows, {} orders, {} warning(s)",
                    inputs.network.len(),
                    inputs.stock.len(),
                    inputs.orders.len(),
                    inputs.warnings.len()
                );
            }
            // Not freed: the process ends now, and giving the stock's pages back one by one
            // takes longer (1.1 ms for the 1.44 M rows of benches/compare/load.sh).
            std::mem::forget(inputs);
            Ok(crate::EXIT_OK)
        }
        Err(e) => {
            let problems = e.problems();
            for p in &problems {
                crate::note!("{p}");
            }
            if !global.quiet {
                crate::note!("invalid: {} problem(s)", problems.len());
            }
            Ok(crate::EXIT_ERROR)
        }
    }
}
