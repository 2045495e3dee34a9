//! Following a stock delta stream (docs/formats.md) from a file or stdin, for `watch` and
//! `db load --deltas`: each malformed line and each refused event is reported on stderr with its
//! line and code and the stream goes on; gaps and late events are reported as notes.

use crate::failure::Failure;
use omniroute_adapters::{refusal_message, FeedEvent, FeedReader, FeedTally, SeqReport};
use omniroute_core::codes::InputCode;
use omniroute_core::{DeltaOutcome, InventoryError, Network, Skus};
use std::io::BufRead;

/// Reads the stream at `path` (`-`: stdin) and hands each event to `apply`, which applies it
/// and says what the ledger made of it (its `Err` ends the stream: a failure, not a refusal);
/// `skus` names the SKUs of refusals. Returns the counts.
pub fn follow(
    path: &str,
    network: &Network,
    skus: &dyn Fn() -> Skus,
    mut apply: impl FnMut(&FeedEvent) -> anyhow::Result<Result<DeltaOutcome, InventoryError>>,
) -> anyhow::Result<FeedTally> {
    let input: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|e| {
            Failure::new(
                InputCode::Unreadable.id(),
                format!("cannot read {path}: {e}"),
                "check the path and permissions",
            )
        })?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut report = SeqReport::default();
    for read in FeedReader::new(input, path, network) {
        let event = match read {
            Ok(event) => event,
            Err(problems) => {
                report.malformed();
                for p in problems {
                    crate::note!("error: {p}");
                }
                continue;
            }
        };
        match apply(&event)? {
            Ok(outcome) => {
                if let Some(p) = report.note(&event, outcome, path, network) {
                    crate::note!("note: {p}");
                }
            }
            Err(e) => {
                report.refused();
                crate::note!(
                    "error: {path}:{}:0: {} {} (hint: the event was not applied; the stream goes on)",
                    event.line,
                    e.code(),
                    refusal_message(&e, network, &skus())
                );
            }
        }
    }
    Ok(report.tally)
}
