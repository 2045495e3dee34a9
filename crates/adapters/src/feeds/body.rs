//! A JSON array of feed events, as the HTTP service (`POST /v1/stock/deltas`) and the C ABI
//! (`omniroute_apply_deltas_json`) take it, and their one answer to it.

use super::{parse_feed_object, FeedEvent};
use crate::FieldProblem;
use omniroute_core::{DeltaOutcome, Network, StockChange};
use serde_json::{json, Value};

/// Reads every item of a deltas body; on error the problems of the first bad item, each field
/// prefixed with the item's index (`[1].node_id`). Nothing is applied by reading.
pub fn read_feed_array(
    items: &[Value],
    network: &Network,
) -> Result<Vec<FeedEvent>, Vec<FieldProblem>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            parse_feed_object(item, "body", i as u64 + 1, network).map_err(|problems| {
                problems
                    .into_iter()
                    .map(|p| FieldProblem {
                        field: Some(match &p.field {
                            Some(f) => format!("[{i}].{f}"),
                            None => format!("[{i}]"),
                        }),
                        ..p
                    })
                    .collect()
            })
        })
        .collect()
}

/// `{"applied", "duplicates", "gaps": [{"node_id", "expected", "got"}]}`: what the ledger made
/// of `changes` (a gap is applied, and counted in `applied` too).
pub fn feed_outcomes_json(
    network: &Network,
    changes: &[StockChange],
    outcomes: &[DeltaOutcome],
) -> Value {
    let mut applied = 0u64;
    let mut duplicates = 0u64;
    let mut gaps = Vec::new();
    for (c, outcome) in changes.iter().zip(outcomes) {
        match outcome {
            DeltaOutcome::Applied => applied += 1,
            DeltaOutcome::Duplicate => duplicates += 1,
            DeltaOutcome::Gap { expected, got } => {
                applied += 1;
                let node = &network.node(c.node).id;
                gaps.push(json!({"node_id": node, "expected": expected, "got": got}));
            }
        }
    }
    json!({"applied": applied, "duplicates": duplicates, "gaps": gaps})
}
