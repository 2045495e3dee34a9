//! events.ndjson: what happened after a plan was made, one JSON object per line, for
//! `omniroute reroute` (docs/design.md §5). See `docs/formats.md`.
//!
//! ```text
//! {"type":"node_down","node_id":"WH-DEL-01"}
//! {"type":"node_up","node_id":"WH-DEL-01"}
//! {"type":"dealer_rejected","order_id":"ORD-1","node_id":"DL-0001"}
//! {"type":"dealer_timed_out","order_id":"ORD-1","node_id":"DL-0001"}
//! {"type":"stock_correction","node_id":"ST-0001","sku":"TEE-M","routable":3}
//! {"type":"stock_arrival","node_id":"WH-DEL-01","sku":"TEE-M","qty":10}
//! ```
//!
//! Blank lines are skipped and keys other than the event's own are ignored (a feed may add a
//! timestamp or an id). Every problem of the file is reported at once, each with its line and
//! column (of the field's key when the problem is about one field; of the object otherwise), and
//! nothing is returned on error:
//! `E3101` not valid JSON (the parser's column), `E3102` unknown event type, `E3103` missing
//! field, `E3104` unknown node, `E3105` unknown order, `E3106` unknown SKU, `E3107` negative
//! quantity, `E3108` a field of the wrong type (an id that is not a string, a quantity that is
//! not a whole number or above 4,294,967,295, a line that is not an object), `E3111` a key
//! repeated in one object.

use crate::problem::{clip, Problems};
use crate::{InputError, Problem};
use omniroute_core::{Event, Network, NodeIdx, Order, SkuId, Skus};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Read;

/// The event types, as written in the `type` field.
const TYPES: &str =
    "node_down, node_up, dealer_rejected, dealer_timed_out, stock_correction, stock_arrival";

/// A line the events reader skips: UTF-8 text that is only whitespace (Unicode's, as `str::trim`
/// sees it). [`crate::event_lines`] numbers events with the same rule.
pub(crate) fn blank_line(raw: &[u8]) -> bool {
    std::str::from_utf8(raw).is_ok_and(is_blank)
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Reads events.ndjson, naming nodes, orders (of `orders`, by id) and SKUs that must exist.
pub fn read_events(
    mut input: impl Read,
    file: &str,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
) -> Result<Vec<Event>, InputError> {
    let mut data = Vec::new();
    input.read_to_end(&mut data).map_err(|e| InputError::Io {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let ctx = Ctx::new(orders, network, skus);
    let mut gathered = Gathered::new(file);
    for (i, raw) in data.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let mut at = Place {
            file,
            line: i as u64 + 1,
            text: "",
            problems: Vec::new(),
        };
        match std::str::from_utf8(raw) {
            Err(e) => at.push(
                "E3101",
                e.valid_up_to() as u64 + 1,
                "the line is not UTF-8 text".into(),
                "save the file as UTF-8",
            ),
            Ok(text) if is_blank(text) => continue,
            Ok(text) => {
                at.text = text;
                if let Some(e) = parse_line(&mut at, &ctx) {
                    gathered.events.push(e);
                }
            }
        }
        if !gathered.add(at.problems) {
            break;
        }
    }
    gathered.finish()
}

/// Reads events that are JSON values already (a front end's objects, such as Python's dicts):
/// event `i` is "line" `i + 1` of `file`, problems have no column, and everything else, codes
/// included, is [`read_events`]'.
pub fn read_event_values(
    values: impl IntoIterator<Item = Value>,
    file: &str,
    orders: &[Order],
    network: &Network,
    skus: &Skus,
) -> Result<Vec<Event>, InputError> {
    let ctx = Ctx::new(orders, network, skus);
    let mut gathered = Gathered::new(file);
    for (i, value) in values.into_iter().enumerate() {
        let mut at = Place {
            file,
            line: i as u64 + 1,
            text: "",
            problems: Vec::new(),
        };
        if let Some(e) = event_of(&mut at, value, &ctx) {
            gathered.events.push(e);
        }
        if !gathered.add(at.problems) {
            break;
        }
    }
    gathered.finish()
}

/// The events read so far and every problem (the readers' one capped collector).
struct Gathered {
    events: Vec<Event>,
    problems: Problems,
}

impl Gathered {
    fn new(file: &str) -> Self {
        Gathered {
            events: Vec::new(),
            problems: Problems::new(file),
        }
    }

    /// Adds one event's problems; false once there are too many to go on.
    fn add(&mut self, problems: Vec<Problem>) -> bool {
        for p in problems {
            self.problems
                .error(p.code, p.line, p.column, p.message, &p.hint);
        }
        if self.problems.is_full() {
            self.problems.stop(true);
            return false;
        }
        true
    }

    fn finish(self) -> Result<Vec<Event>, InputError> {
        if self.problems.total() == 0 {
            Ok(self.events)
        } else {
            Err(self.problems.into_error())
        }
    }
}

struct Ctx<'a> {
    by_id: HashMap<&'a str, usize>,
    network: &'a Network,
    skus: &'a Skus,
}

impl<'a> Ctx<'a> {
    fn new(orders: &'a [Order], network: &'a Network, skus: &'a Skus) -> Self {
        let by_id = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        Ctx {
            by_id,
            network,
            skus,
        }
    }
}

/// One line being read, and its problems.
struct Place<'a> {
    file: &'a str,
    line: u64,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Place<'_> {
    fn push(&mut self, code: &'static str, column: u64, message: String, hint: &str) {
        self.problems.push(Problem {
            code,
            file: self.file.to_owned(),
            line: self.line,
            column,
            message,
            hint: hint.to_owned(),
        });
    }

    /// Column (1-based, in characters) of `"key"` in the line, else of the object's `{`; 0 for
    /// an event given as a value (no text).
    fn column_of(&self, key: &str) -> u64 {
        if self.text.is_empty() {
            return 0;
        }
        let at = self
            .text
            .find(&format!("\"{key}\""))
            .or_else(|| self.text.find('{'))
            .unwrap_or(0);
        self.text[..at].chars().count() as u64 + 1
    }

    /// The string field `key`, or a problem (`E3103` missing, `E3108` not a string).
    fn string<'v>(&mut self, obj: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                self.push(
                    "E3103",
                    self.column_of(key),
                    format!("missing field `{key}`"),
                    "add the field; see docs/formats.md for each event's fields",
                );
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(v) => {
                self.push(
                    "E3108",
                    self.column_of(key),
                    format!("`{key}` must be a string, not `{}`", clip(&v.to_string())),
                    "write ids in double quotes",
                );
                None
            }
        }
    }

    fn node(&mut self, obj: &Map<String, Value>, ctx: &Ctx<'_>) -> Option<NodeIdx> {
        let id = self.string(obj, "node_id")?;
        let node = ctx.network.find(id);
        if node.is_none() {
            self.push(
                "E3104",
                self.column_of("node_id"),
                format!("node `{}` is not in the nodes file", clip(id)),
                "use a node_id of the nodes file the plan was made with",
            );
        }
        node
    }

    fn order(&mut self, obj: &Map<String, Value>, ctx: &Ctx<'_>) -> Option<usize> {
        let id = self.string(obj, "order_id")?;
        let order = ctx.by_id.get(id).copied();
        if order.is_none() {
            self.push(
                "E3105",
                self.column_of("order_id"),
                format!("order `{}` is not in the orders file", clip(id)),
                "use an order_id of the orders file the plan was made with",
            );
        }
        order
    }

    fn sku(&mut self, obj: &Map<String, Value>, ctx: &Ctx<'_>) -> Option<SkuId> {
        let name = self.string(obj, "sku")?;
        let sku = ctx.skus.get(name);
        if sku.is_none() {
            self.push(
                "E3106",
                self.column_of("sku"),
                format!(
                    "sku `{}` is in neither the stock nor the orders file",
                    clip(name)
                ),
                "check the spelling (SKUs are case-sensitive)",
            );
        }
        sku
    }

    /// The quantity field `key`: a whole number from 0 to `u32::MAX`.
    fn qty(&mut self, obj: &Map<String, Value>, key: &str) -> Option<u32> {
        let column = self.column_of(key);
        let Some(v) = obj.get(key).filter(|v| !v.is_null()) else {
            self.push(
                "E3103",
                column,
                format!("missing field `{key}`"),
                "add the field; see docs/formats.md for each event's fields",
            );
            return None;
        };
        if v.as_f64().is_some_and(|x| x < 0.0) {
            self.push(
                "E3107",
                column,
                format!("`{key}` is {v}, a negative quantity"),
                "write 0 or more units",
            );
            return None;
        }
        let q = v.as_u64().and_then(|q| u32::try_from(q).ok());
        if q.is_none() {
            self.push(
                "E3108",
                column,
                format!(
                    "`{key}` must be a whole number of units, not `{}`",
                    clip(&v.to_string())
                ),
                "write a whole number from 0 to 4294967295, without quotes",
            );
        }
        q
    }
}

/// `serde_json`'s message without its " at line L column C" (the problem carries the place).
fn without_place(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned()
}

/// Parses one non-blank line into an event, or records its problems.
fn parse_line(at: &mut Place<'_>, ctx: &Ctx<'_>) -> Option<Event> {
    let value: Value = match crate::parse_json_unique(at.text.as_bytes()) {
        Ok(v) => v,
        Err(e) if e.is_data() => {
            at.push(
                "E3111",
                e.column() as u64,
                without_place(&e),
                "give each key once in an object: a repeated key would silently take the last value",
            );
            return None;
        }
        Err(e) => {
            let column = at
                .text
                .split('\n')
                .nth(e.line().saturating_sub(1))
                .map_or(0, |_| e.column() as u64);
            at.push(
                "E3101",
                column,
                format!("not valid JSON: {}", without_place(&e)),
                "write one JSON object per line, for example {\"type\":\"node_down\",\"node_id\":\"WH-1\"}",
            );
            return None;
        }
    };
    event_of(at, value, ctx)
}

/// The event of one JSON value, or `None` with its problems recorded (every field is checked,
/// not just the first).
fn event_of(at: &mut Place<'_>, value: Value, ctx: &Ctx<'_>) -> Option<Event> {
    let Value::Object(obj) = value else {
        if at.text.is_empty() {
            let message = format!("event {} is not an object", at.line);
            let hint = "pass each event as an object, for example {\"type\": \"node_down\", \"node_id\": \"WH-1\"}";
            at.push("E3108", 0, message, hint);
        } else {
            let hint = "write one JSON object per line";
            at.push("E3108", 1, "the line is not a JSON object".into(), hint);
        }
        return None;
    };
    let kind = at.string(&obj, "type")?;
    match kind {
        "node_down" | "node_up" => {
            let node = at.node(&obj, ctx)?;
            Some(if kind == "node_down" {
                Event::NodeDown(node)
            } else {
                Event::NodeUp(node)
            })
        }
        "dealer_rejected" | "dealer_timed_out" => {
            let order = at.order(&obj, ctx);
            let node = at.node(&obj, ctx);
            let (order, node) = (order?, node?);
            Some(if kind == "dealer_rejected" {
                Event::Rejected { order, node }
            } else {
                Event::TimedOut { order, node }
            })
        }
        "stock_correction" | "stock_arrival" => {
            let node = at.node(&obj, ctx);
            let sku = at.sku(&obj, ctx);
            let qty = at.qty(
                &obj,
                if kind == "stock_arrival" {
                    "qty"
                } else {
                    "routable"
                },
            );
            let (node, sku, qty) = (node?, sku?, qty?);
            Some(if kind == "stock_arrival" {
                Event::StockArrival { node, sku, qty }
            } else {
                Event::StockCorrection {
                    node,
                    sku,
                    routable: qty,
                }
            })
        }
        other => {
            at.push(
                "E3102",
                at.column_of("type"),
                format!("unknown event type `{}`", clip(other)),
                &format!("use one of {TYPES}"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests;
