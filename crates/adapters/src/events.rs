//! events.ndjson: what happened after a plan was made, one JSON object per line, for
//! `omniroute reroute` (docs/design.md §5). See `docs/formats.md`.
//!
//! ```text
//! {"type":"node_down","node_id":"WH-DEL-01"}
//! {"type":"node_up","node_id":"WH-DEL-01"}
//! {"type":"dealer_rejected","order_id":"ORD-1","node_id":"DL-0001"}
//! {"type":"dealer_timed_out","order_id":"ORD-1","node_id":"DL-0001"}
//! {"type":"dealer_accepted","order_id":"ORD-1","node_id":"DL-0001"}
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

use crate::ndjson::{is_blank, Codes, Line};
use crate::problem::{clip, Problems};
use crate::{InputError, Problem};
use omniroute_core::codes::InventoryCode;
use omniroute_core::{Event, Network, NodeIdx, Order, SkuId, Skus};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Read;

/// The events file's codes for the problems every NDJSON reader finds.
static CODES: Codes = Codes {
    json: InventoryCode::EventJson.id(),
    missing: InventoryCode::EventMissingField.id(),
    wrong_type: InventoryCode::EventWrongType.id(),
    negative: InventoryCode::EventNegative.id(),
    repeated: InventoryCode::EventRepeatedKey.id(),
    example: "{\"type\":\"node_down\",\"node_id\":\"WH-1\"}",
};

/// The event types, as written in the `type` field.
const TYPES: &str =
    "node_down, node_up, dealer_rejected, dealer_timed_out, dealer_accepted, stock_correction, stock_arrival";

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
        let mut at = Line::new(file, i as u64 + 1, "", &CODES);
        match std::str::from_utf8(raw) {
            Err(e) => at.not_utf8(e.valid_up_to()),
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
        let mut at = Line::new(file, i as u64 + 1, "", &CODES);
        if let Some(e) = at
            .object_of(value)
            .and_then(|obj| event_of(&mut at, &obj, &ctx))
        {
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

/// What an events line may name.
impl Ctx<'_> {
    fn node(&self, at: &mut Line<'_>, obj: &Map<String, Value>) -> Option<NodeIdx> {
        let id = at.string(obj, "node_id")?;
        let node = self.network.find(id);
        if node.is_none() {
            at.push_at(
                InventoryCode::EventUnknownNode.id(),
                "node_id",
                format!("node `{}` is not in the nodes file", clip(id)),
                InventoryCode::EventUnknownNode.hint(),
            );
        }
        node
    }

    fn order(&self, at: &mut Line<'_>, obj: &Map<String, Value>) -> Option<usize> {
        let id = at.string(obj, "order_id")?;
        let order = self.by_id.get(id).copied();
        if order.is_none() {
            at.push_at(
                InventoryCode::EventUnknownOrder.id(),
                "order_id",
                format!("order `{}` is not in the orders file", clip(id)),
                InventoryCode::EventUnknownOrder.hint(),
            );
        }
        order
    }

    fn sku(&self, at: &mut Line<'_>, obj: &Map<String, Value>) -> Option<SkuId> {
        let name = at.string(obj, "sku")?;
        let sku = self.skus.get(name);
        if sku.is_none() {
            at.push_at(
                InventoryCode::EventUnknownSku.id(),
                "sku",
                format!(
                    "sku `{}` is in neither the stock nor the orders file",
                    clip(name)
                ),
                InventoryCode::EventUnknownSku.hint(),
            );
        }
        sku
    }
}

/// Parses one non-blank line into an event, or records its problems.
fn parse_line(at: &mut Line<'_>, ctx: &Ctx<'_>) -> Option<Event> {
    let obj = at.object()?;
    event_of(at, &obj, ctx)
}

/// The event of one JSON object, or `None` with its problems recorded (every field is checked,
/// not just the first).
fn event_of(at: &mut Line<'_>, obj: &Map<String, Value>, ctx: &Ctx<'_>) -> Option<Event> {
    let kind = at.string(obj, "type")?;
    match kind {
        "node_down" | "node_up" => {
            let node = ctx.node(at, obj)?;
            Some(if kind == "node_down" {
                Event::NodeDown(node)
            } else {
                Event::NodeUp(node)
            })
        }
        "dealer_rejected" | "dealer_timed_out" | "dealer_accepted" => {
            let order = ctx.order(at, obj);
            let node = ctx.node(at, obj);
            let (order, node) = (order?, node?);
            Some(match kind {
                "dealer_rejected" => Event::Rejected { order, node },
                "dealer_timed_out" => Event::TimedOut { order, node },
                _ => Event::Accepted { order, node },
            })
        }
        "stock_correction" | "stock_arrival" => {
            let node = ctx.node(at, obj);
            let sku = ctx.sku(at, obj);
            let qty = at.qty(
                obj,
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
            at.push_at(
                InventoryCode::UnknownEventType.id(),
                "type",
                format!("unknown event type `{}`", clip(other)),
                &format!("use one of {TYPES}"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests;
