//! What a feed's sequence numbers tell: the ledger decides duplicates and gaps
//! ([`DeltaOutcome`]); this turns them, and events that came out of order, into coded reports.

use super::FeedEvent;
use crate::Problem;
use omniroute_core::codes::InventoryCode;
use omniroute_core::{DeltaOutcome, Network, NodeIdx};
use std::collections::HashMap;

/// Counts of one feed run, for a summary line or a reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedTally {
    /// Events applied (in order, above a gap, or late into a gap).
    pub applied: u64,
    /// Events ignored because their sequence number was applied before.
    pub duplicates: u64,
    /// Events applied with a number still missing below them (`E3210`).
    pub gaps: u64,
    /// Events applied after a higher number of their node (`E3211`).
    pub out_of_order: u64,
    /// Lines that were not events (`E3201`–`E3209`).
    pub malformed: u64,
    /// Events the ledger refused (`E3001`, `E3002`, `E3220`): nothing of them applied.
    pub refused: u64,
}

/// Follows each node's highest sequence number seen, to report events that came out of order.
#[derive(Debug, Default)]
pub struct SeqReport {
    highest: HashMap<NodeIdx, u64>,
    /// The counts so far.
    pub tally: FeedTally,
}

impl SeqReport {
    /// Records what the ledger made of `event`; returns the report of a gap (`E3210`) or of an
    /// event older than one already applied at its node (`E3211`), if any.
    pub fn note(
        &mut self,
        event: &FeedEvent,
        outcome: DeltaOutcome,
        file: &str,
        network: &Network,
    ) -> Option<Problem> {
        let node = &network.node(event.node).id;
        let problem = |code, message: String, hint: &str| Problem {
            code,
            file: file.to_owned(),
            line: event.line,
            column: 0,
            message,
            hint: hint.to_owned(),
        };
        if outcome == DeltaOutcome::Duplicate {
            self.tally.duplicates += 1;
            return None;
        }
        self.tally.applied += 1;
        let highest = self.highest.entry(event.node).or_insert(event.seq);
        let late = event.seq < *highest;
        *highest = (*highest).max(event.seq);
        if let DeltaOutcome::Gap { expected, got } = outcome {
            self.tally.gaps += 1;
            return Some(problem(
                InventoryCode::SeqGap.id(),
                format!(
                    "node `{node}`: seq {got} applied, {expected}..{} missing",
                    got - 1
                ),
                InventoryCode::SeqGap.hint(),
            ));
        }
        if late {
            self.tally.out_of_order += 1;
            return Some(problem(
                InventoryCode::SeqLate.id(),
                format!(
                    "node `{node}`: seq {} applied after seq {}",
                    event.seq, self.highest[&event.node]
                ),
                InventoryCode::SeqLate.hint(),
            ));
        }
        None
    }

    /// Counts a malformed line.
    pub fn malformed(&mut self) {
        self.tally.malformed += 1;
    }

    /// Counts an event the ledger refused.
    pub fn refused(&mut self) {
        self.tally.refused += 1;
    }
}
