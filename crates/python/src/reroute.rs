//! `Router.reroute`'s inputs and output: events as Python dicts (the objects of events.ndjson,
//! `docs/formats.md`) read into the core's `Event`s with every problem coded as the events file's
//! (`E3102`–`E3108`), and `Rerouted`, what re-routing did.

use crate::decision::PlanTotals;
use crate::errors::Failure;
use crate::model::{NetData, OrdersData};
use crate::router::Plan;
use omniroute_adapters::{InputError, Problem};
use omniroute_core::{Event, NodeIdx, SkuId};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping};

/// The name problems of an events list carry as their `file`.
const FILE: &str = "<events>";
const TYPES: &str =
    "node_down, node_up, dealer_rejected, dealer_timed_out, stock_correction, stock_arrival";
const FIELDS_HINT: &str = "add the key; see docs/formats.md for each event's fields";

/// Reads `events` (any iterable of dicts or other mappings), reporting every problem at once; event `i` is
/// "line" `i + 1`, as in an events file with one object per line.
pub fn read(
    events: &Bound<'_, PyAny>,
    orders: &OrdersData,
    net: &NetData,
) -> Result<Vec<Event>, PyErr> {
    let mut out = Vec::new();
    let mut at = Place {
        line: 0,
        problems: Vec::new(),
    };
    for item in events.try_iter()? {
        let item = item?;
        at.line += 1;
        let dict = if let Ok(d) = item.cast::<PyDict>() {
            d.clone()
        } else if let Ok(m) = item.cast::<PyMapping>() {
            let d = PyDict::new(item.py());
            d.update(m)?;
            d
        } else {
            let t = item.get_type().name()?;
            at.push(
                "E3108",
                format!("event {} is a {t}, not a dict", at.line),
                "pass each event as a dict such as {\"type\": \"node_down\", \"node_id\": \"WH-1\"}",
            );
            continue;
        };
        if let Some(e) = event(&mut at, &dict, orders, net)? {
            out.push(e);
        }
    }
    if at.problems.is_empty() {
        Ok(out)
    } else {
        Err(Failure::Input(InputError::Invalid(at.problems)).into())
    }
}

/// The event at position `line`, and its problems.
struct Place {
    line: u64,
    problems: Vec<Problem>,
}

impl Place {
    fn push(&mut self, code: &'static str, message: String, hint: &str) {
        self.problems.push(Problem {
            code,
            file: FILE.to_owned(),
            line: self.line,
            column: 0,
            message,
            hint: hint.to_owned(),
        });
    }

    /// The string at `key`, or a problem (`E3103` missing or `None`, `E3108` not a string).
    fn string(&mut self, d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<String>> {
        match d.get_item(key)? {
            Some(v) if !v.is_none() => {
                if let Ok(s) = v.extract::<String>() {
                    return Ok(Some(s));
                }
                self.push(
                    "E3108",
                    format!("`{key}` must be a str, not `{}`", v.repr()?),
                    "give ids as strings",
                );
            }
            _ => self.push("E3103", format!("missing key `{key}`"), FIELDS_HINT),
        }
        Ok(None)
    }

    fn node(&mut self, d: &Bound<'_, PyDict>, net: &NetData) -> PyResult<Option<NodeIdx>> {
        let Some(id) = self.string(d, "node_id")? else {
            return Ok(None);
        };
        let node = net.net.find(&id);
        if node.is_none() {
            self.push(
                "E3104",
                format!("node `{id}` is not in the network"),
                "use a node_id of the network the plan was made with",
            );
        }
        Ok(node)
    }

    fn order(&mut self, d: &Bound<'_, PyDict>, orders: &OrdersData) -> PyResult<Option<usize>> {
        let Some(id) = self.string(d, "order_id")? else {
            return Ok(None);
        };
        let order = orders.index(&id);
        if order.is_none() {
            self.push(
                "E3105",
                format!("order `{id}` is not in the plan's orders"),
                "use an order_id of the orders the plan was made from",
            );
        }
        Ok(order)
    }

    fn sku(&mut self, d: &Bound<'_, PyDict>, net: &NetData) -> PyResult<Option<SkuId>> {
        let Some(name) = self.string(d, "sku")? else {
            return Ok(None);
        };
        let sku = net.skus().get(&name);
        if sku.is_none() {
            self.push(
                "E3106",
                format!("sku `{name}` is in neither the stock nor the orders"),
                "check the spelling (SKUs are case-sensitive)",
            );
        }
        Ok(sku)
    }

    /// A whole number of units from 0 to `u32::MAX` at `key`.
    fn qty(&mut self, d: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<u32>> {
        let v = match d.get_item(key)? {
            Some(v) if !v.is_none() => v,
            _ => {
                self.push("E3103", format!("missing key `{key}`"), FIELDS_HINT);
                return Ok(None);
            }
        };
        // bool is an int in Python; a quantity of True is a mistake.
        let whole = if v.is_instance_of::<pyo3::types::PyBool>() {
            None
        } else {
            v.extract::<i128>().ok()
        };
        match whole {
            Some(q) if q < 0 => self.push(
                "E3107",
                format!("`{key}` is {q}, a negative quantity"),
                "give 0 or more units",
            ),
            Some(q) => {
                if let Ok(q) = u32::try_from(q) {
                    return Ok(Some(q));
                }
                self.push(
                    "E3108",
                    format!("`{key}` is {q}, above 4294967295"),
                    "give a whole number from 0 to 4294967295",
                );
            }
            None => self.push(
                "E3108",
                format!(
                    "`{key}` must be a whole number of units, not `{}`",
                    v.repr()?
                ),
                "give a whole number from 0 to 4294967295 (an int)",
            ),
        }
        Ok(None)
    }
}

/// One event, or `None` with its problems recorded (every field is checked, not just the first).
fn event(
    at: &mut Place,
    d: &Bound<'_, PyDict>,
    orders: &OrdersData,
    net: &NetData,
) -> PyResult<Option<Event>> {
    let Some(kind) = at.string(d, "type")? else {
        return Ok(None);
    };
    Ok(match kind.as_str() {
        "node_down" | "node_up" => at.node(d, net)?.map(|n| {
            if kind == "node_down" {
                Event::NodeDown(n)
            } else {
                Event::NodeUp(n)
            }
        }),
        "dealer_rejected" | "dealer_timed_out" => {
            let (order, node) = (at.order(d, orders)?, at.node(d, net)?);
            order.zip(node).map(|(order, node)| {
                if kind == "dealer_rejected" {
                    Event::Rejected { order, node }
                } else {
                    Event::TimedOut { order, node }
                }
            })
        }
        "stock_correction" | "stock_arrival" => {
            let arrival = kind == "stock_arrival";
            let node = at.node(d, net)?;
            let sku = at.sku(d, net)?;
            let qty = at.qty(d, if arrival { "qty" } else { "routable" })?;
            match (node, sku, qty) {
                (Some(node), Some(sku), Some(qty)) if arrival => {
                    Some(Event::StockArrival { node, sku, qty })
                }
                (Some(node), Some(sku), Some(routable)) => Some(Event::StockCorrection {
                    node,
                    sku,
                    routable,
                }),
                _ => None,
            }
        }
        other => {
            at.push(
                "E3102",
                format!("unknown event type `{other}`"),
                &format!("use one of {TYPES}"),
            );
            None
        }
    })
}

/// What `Router.reroute` did.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
pub struct Rerouted {
    /// The new plan: one decision per order, in the same order; checkable with `.check()`.
    plan: Py<Plan>,
    /// Totals of the plan before the events.
    before: Py<PlanTotals>,
    /// Totals after (the new plan's).
    after: Py<PlanTotals>,
    /// Ids of the orders whose decision changed, in arrival order.
    moved: Vec<String>,
    /// Ids of the orders sent to the review queue (too many dealer rejections), in arrival order.
    review: Vec<String>,
}

impl Rerouted {
    pub fn new(
        py: Python<'_>,
        plan: Plan,
        before: &omniroute_core::PlanTotals,
        moved: &[usize],
        review: &[usize],
        orders: &OrdersData,
    ) -> PyResult<Self> {
        let ids = |is: &[usize]| is.iter().map(|&i| orders.orders[i].id.clone()).collect();
        let after = PlanTotals::from(&plan.core().totals);
        Ok(Rerouted {
            plan: Py::new(py, plan)?,
            before: Py::new(py, PlanTotals::from(before))?,
            after: Py::new(py, after)?,
            moved: ids(moved),
            review: ids(review),
        })
    }
}

#[pymethods]
impl Rerouted {
    fn __repr__(&self) -> String {
        let (b, a) = (self.before.get(), self.after.get());
        format!(
            "Rerouted(moved={}, review={}, cost_cents {} -> {})",
            self.moved.len(),
            self.review.len(),
            b.cost_cents(),
            a.cost_cents()
        )
    }
}
