//! The delta stream reader: one line (or one JSON object) into a [`FeedEvent`].

use super::sale::{sale_fields, SaleFields};
use crate::ndjson::{is_blank, Codes, Line};
use crate::problem::clip;
use crate::{FieldProblem, Problem};
use jiff::Timestamp;
use omniroute_core::codes::InventoryCode;
use omniroute_core::{Network, NodeIdx, PolicyVersions, ReturnRules, Skus, StockChange, StockOp};
use serde_json::{Map, Value};
use std::io::BufRead;

/// The operations, as written in the `op` field.
pub const FEED_OPS: &str = "adjust, set, reserve, release, ship, return";

static CODES: Codes = Codes {
    json: InventoryCode::FeedJson.id(),
    missing: InventoryCode::FeedMissingField.id(),
    wrong_type: InventoryCode::FeedWrongType.id(),
    negative: InventoryCode::FeedNegative.id(),
    repeated: InventoryCode::FeedRepeatedKey.id(),
    example: "{\"op\":\"adjust\",\"node_id\":\"ST-01\",\"sku\":\"TEE-M\",\"qty\":-2,\"seq\":41}",
};

/// One event of a stock feed, its SKU still a name (a feed may bring a SKU the ledger has not
/// seen; [`FeedEvent::change`] numbers it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// The reporting node.
    pub node: NodeIdx,
    /// The SKU, trimmed.
    pub sku: String,
    /// The node's sequence number.
    pub seq: u64,
    /// When the node says it happened (`at`), if given.
    pub at: Option<Timestamp>,
    /// What happened.
    pub op: StockOp,
    /// The line it was read from (1-based; for a JSON array, the item's index + 1).
    pub line: u64,
    /// The optional fields of a sale or a return (`order_id`, `sold_via`, `unit_price_cents`).
    pub sale: SaleFields,
}

impl FeedEvent {
    /// The ledger's event, the SKU numbered in `skus` (added if new). Under a policy whose
    /// returns wait for inspection ([`ReturnRules::inspect`]), a return is held
    /// ([`StockOp::ReturnHeld`]).
    pub fn change(&self, skus: &mut Skus, returns: ReturnRules) -> StockChange {
        let op = match self.op {
            StockOp::Return(q) if returns.inspect => StockOp::ReturnHeld(q),
            op => op,
        };
        StockChange {
            node: self.node,
            seq: self.seq,
            sku: skus.intern(&self.sku),
            op,
        }
    }
}

impl FeedEvent {
    /// [`FeedEvent::change`] under the policy version in effect at the event's `at` (else at
    /// `now`): its `[returns]` decide whether a return is held for inspection.
    pub fn change_under(
        &self,
        skus: &mut Skus,
        versions: &PolicyVersions,
        now: Timestamp,
    ) -> StockChange {
        let returns = versions
            .at(self.at.unwrap_or(now))
            .map_or_else(ReturnRules::default, |p| p.returns);
        self.change(skus, returns)
    }
}

/// Reads line `line` of `file`: `Ok(None)` for a blank line, the event, or its problems.
pub fn read_feed_line(
    text: &str,
    file: &str,
    line: u64,
    network: &Network,
) -> Result<Option<FeedEvent>, Vec<Problem>> {
    if is_blank(text) {
        return Ok(None);
    }
    let mut at = Line::new(file, line, text, &CODES);
    let event = at.object().and_then(|obj| parse(&mut at, &obj, network));
    match event {
        Some(e) if at.problems.is_empty() => Ok(Some(e)),
        _ => Err(at.problems),
    }
}

/// Reads one event from a JSON value already parsed (an item of `POST /v1/stock/deltas`), each
/// problem with the field it is about; `line` numbers it in the problems.
pub fn parse_feed_object(
    value: &Value,
    file: &str,
    line: u64,
    network: &Network,
) -> Result<FeedEvent, Vec<FieldProblem>> {
    let mut at = Line::new(file, line, "", &CODES);
    let event = if let Value::Object(obj) = value {
        parse(&mut at, obj, network)
    } else {
        at.push(
            CODES.wrong_type,
            0,
            "the item is not a JSON object".into(),
            "send an array of objects",
        );
        None
    };
    match event {
        Some(e) if at.problems.is_empty() => Ok(e),
        _ => Err(at
            .problems
            .into_iter()
            .zip(at.keys)
            .map(|(problem, field)| FieldProblem { problem, field })
            .collect()),
    }
}

/// The stream reader: every non-blank line of `input`, in order, as an event or its problems.
/// It reads as lines arrive (stdin, a growing file), never the whole input at once; an I/O
/// error ends the stream with one `E3201` problem.
pub struct FeedReader<'n, R> {
    input: R,
    file: String,
    line: u64,
    network: &'n Network,
    buf: Vec<u8>,
    done: bool,
}

impl<'n, R: BufRead> FeedReader<'n, R> {
    /// A reader of `input`, named `file` in problems (`-` for stdin).
    pub fn new(input: R, file: &str, network: &'n Network) -> Self {
        FeedReader {
            input,
            file: file.to_owned(),
            line: 0,
            network,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for FeedReader<'_, R> {
    type Item = Result<FeedEvent, Vec<Problem>>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let raw = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
                    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                    let read = match std::str::from_utf8(raw) {
                        Err(e) => {
                            let mut at = Line::new(&self.file, self.line, "", &CODES);
                            at.not_utf8(e.valid_up_to());
                            Err(at.problems)
                        }
                        Ok(text) => read_feed_line(text, &self.file, self.line, self.network),
                    };
                    match read {
                        Ok(None) => {}
                        Ok(Some(event)) => return Some(Ok(event)),
                        Err(problems) => return Some(Err(problems)),
                    }
                }
                Err(e) => {
                    self.done = true;
                    let mut at = Line::new(&self.file, self.line + 1, "", &CODES);
                    at.push(
                        CODES.json,
                        0,
                        format!("cannot read the feed: {e}"),
                        "check the file or pipe the feed comes from",
                    );
                    return Some(Err(at.problems));
                }
            }
        }
        None
    }
}

/// Every field of an event, each problem recorded (not only the first).
fn parse(at: &mut Line<'_>, obj: &Map<String, Value>, network: &Network) -> Option<FeedEvent> {
    let op = op(at, obj);
    let node = node(at, obj, network);
    let sku = sku(at, obj);
    let seq = seq(at, obj);
    let when = timestamp(at, obj);
    let qty = match op? {
        // Without `op`, a `change` is an adjust (the service's first delta format).
        Op::Adjust => signed(
            at,
            obj,
            if obj.contains_key("op") {
                "qty"
            } else {
                "change"
            },
        )
        .map(StockOp::Adjust),
        Op::Set => at.qty(obj, "qty").map(StockOp::Set),
        Op::Reserve => at.qty(obj, "qty").map(StockOp::Reserve),
        Op::Release => at.qty(obj, "qty").map(StockOp::Release),
        Op::Ship => at.qty(obj, "qty").map(StockOp::Ship),
        Op::Return => at.qty(obj, "qty").map(StockOp::Return),
    };
    let sale = sale_fields(at, obj, qty);
    Some(FeedEvent {
        node: node?,
        sku: sku?,
        seq: seq?,
        at: when.ok()?,
        op: qty?,
        line: at.number,
        sale,
    })
}

#[derive(Clone, Copy)]
enum Op {
    Adjust,
    Set,
    Reserve,
    Release,
    Ship,
    Return,
}

fn op(at: &mut Line<'_>, obj: &Map<String, Value>) -> Option<Op> {
    if !obj.contains_key("op") && obj.contains_key("change") {
        return Some(Op::Adjust);
    }
    let name = at.string(obj, "op")?;
    Some(match name {
        "adjust" => Op::Adjust,
        "set" => Op::Set,
        "reserve" => Op::Reserve,
        "release" => Op::Release,
        "ship" => Op::Ship,
        "return" => Op::Return,
        other => {
            at.push_at(
                InventoryCode::UnknownOp.id(),
                "op",
                format!("unknown op `{}`", clip(other)),
                &format!("use one of {FEED_OPS}"),
            );
            return None;
        }
    })
}

fn node(at: &mut Line<'_>, obj: &Map<String, Value>, network: &Network) -> Option<NodeIdx> {
    let id = at.string(obj, "node_id")?;
    let node = network.find(id);
    if node.is_none() {
        at.push_at(
            InventoryCode::FeedUnknownNode.id(),
            "node_id",
            format!("node `{}` is not in the network", clip(id)),
            InventoryCode::FeedUnknownNode.hint(),
        );
    }
    node
}

fn sku(at: &mut Line<'_>, obj: &Map<String, Value>) -> Option<String> {
    let name = at.string(obj, "sku")?.trim();
    if name.is_empty() {
        at.push_at(
            InventoryCode::EmptySku.id(),
            "sku",
            "`sku` is empty".into(),
            InventoryCode::EmptySku.hint(),
        );
        return None;
    }
    Some(name.to_owned())
}

fn seq(at: &mut Line<'_>, obj: &Map<String, Value>) -> Option<u64> {
    let v = at.field(obj, "seq")?;
    let seq = v.as_u64();
    if seq.is_none() {
        at.wrong_number("seq", v, "from 0 up", "from 0 to 18446744073709551615");
    }
    seq
}

fn signed(at: &mut Line<'_>, obj: &Map<String, Value>, key: &str) -> Option<i64> {
    let v = at.field(obj, key)?;
    let change = v
        .as_i64()
        .filter(|c| u32::try_from(c.unsigned_abs()).is_ok());
    if change.is_none() {
        at.wrong_number(key, v, "of units", "from -4294967295 to 4294967295");
    }
    change
}

/// `at`: optional; `Ok(None)` when absent, `Err` after a problem.
fn timestamp(at: &mut Line<'_>, obj: &Map<String, Value>) -> Result<Option<Timestamp>, ()> {
    match obj.get("at") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => match s.parse::<Timestamp>() {
            Ok(t) => Ok(Some(t)),
            Err(e) => {
                at.push_at(
                    InventoryCode::BadEventTime.id(),
                    "at",
                    format!("`at` is not an RFC 3339 time: {e}"),
                    InventoryCode::BadEventTime.hint(),
                );
                Err(())
            }
        },
        Some(v) => {
            at.push_at(
                InventoryCode::BadEventTime.id(),
                "at",
                format!("`at` must be a string, not `{}`", clip(&v.to_string())),
                "write a time with its offset in double quotes, for example \"2026-12-05T09:00:00Z\"",
            );
            Err(())
        }
    }
}
