//! A plan's refusal of an event ([`RerouteError`]) as a [`Problem`] with ids and a place.

use crate::{InputError, Problem};
use omniroute_core::{Network, Order, RerouteError};

/// The line of each event of an events.ndjson file (the reader skips blank lines): event `k`
/// is on line `lines[k]`.
pub fn event_lines(data: &[u8]) -> Vec<u64> {
    data.split(|&b| b == b'\n')
        .zip(1..)
        .filter(|(raw, _)| !crate::ndjson::blank_line(raw))
        .map(|(_, line)| line)
        .collect()
}

/// `e` as an input problem of `file`, at `line` (that of the event at fault), naming the order
/// and node by id.
pub fn reroute_problem(
    e: &RerouteError,
    file: &str,
    line: u64,
    orders: &[Order],
    network: &Network,
) -> InputError {
    let (message, hint) = match *e {
        RerouteError::NotADealer { order, node, .. } => (
            format!(
                "node `{}` answers the offer of order `{}` but is a {}, not a dealer",
                network.node(node).id,
                orders[order].id,
                network.node(node).kind
            ),
            "only a dealer accepts, rejects or lets an offer time out: check the node_id",
        ),
        RerouteError::NotOffered { order, node, .. } => (
            format!(
                "dealer `{}` answers the offer of order `{}`, which it does not ship at this point of the events",
                network.node(node).id,
                orders[order].id
            ),
            "a dealer can answer only an order the plan (after the earlier events) gives it: check the order_id and node_id",
        ),
        RerouteError::AlreadyAccepted { order, node, .. } => (
            format!(
                "dealer `{}` refuses order `{}`, which it accepted earlier in the events",
                network.node(node).id,
                orders[order].id
            ),
            "an accepted offer cannot be refused: check the order of the events",
        ),
        _ => (e.to_string(), "check the event against the plan"),
    };
    InputError::Invalid(vec![Problem {
        code: e.code(),
        file: file.to_owned(),
        line,
        column: 0,
        message,
        hint: hint.to_owned(),
    }])
}

#[cfg(test)]
mod tests {
    use super::event_lines;

    #[test]
    fn blank_lines_are_not_events() {
        assert_eq!(event_lines(b"{}\n\n  \r\n{}\n{}"), vec![1, 4, 5]);
        assert!(event_lines(b"").is_empty());
        // A line of a no-break space is blank to the reader (str::trim), so to the numbering.
        assert_eq!(event_lines("{}\n\u{a0}\n{}".as_bytes()), vec![1, 3]);
    }
}
