//! `Router.reroute`'s inputs and output: events as Python objects (the objects of events.ndjson,
//! `docs/formats.md`, as dicts or other mappings) converted to JSON values and read by the
//! adapters' events reader (`read_event_values`: the events file's codes `E3102`–`E3108`, event
//! `i` as "line" `i + 1`), and `Rerouted`, what re-routing did.

use crate::decision::PlanTotals;
use crate::errors::guard;
use crate::model::{NetData, OrdersData};
use crate::plan::Plan;
use omniroute_adapters::read_event_values;
use omniroute_core::Event;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde_json::{json, Map, Value};

/// Reads `events` (any iterable of dicts or other mappings), reporting every problem at once.
pub fn read(
    py: Python<'_>,
    events: &Bound<'_, PyAny>,
    orders: &OrdersData,
    net: &NetData,
) -> PyResult<Vec<Event>> {
    let values = events
        .try_iter()?
        .map(|item| to_json(&item?, 0))
        .collect::<PyResult<Vec<Value>>>()?;
    guard(py, || {
        let skus = net.skus();
        Ok(read_event_values(
            values,
            "<events>",
            &orders.orders,
            &net.net,
            &skus,
        )?)
    })
}

/// How deep `to_json` follows containers (a list may hold itself).
const MAX_DEPTH: usize = 32;

/// A Python value as JSON: mappings, lists and tuples, strings, whole numbers (any `__index__`
/// type), finite floats, booleans and `None` as themselves; anything else, or anything nested
/// deeper than [`MAX_DEPTH`], as an object `{"python": repr}`, which the reader refuses wherever
/// a value is expected (`E3108`).
fn to_json(v: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    Ok(if depth > MAX_DEPTH {
        other(v)?
    } else if v.is_none() {
        Value::Null
    } else if let Ok(b) = v.cast::<PyBool>() {
        Value::Bool(b.is_true())
    } else if let Ok(s) = v.cast::<PyString>() {
        Value::String(s.to_cow()?.into_owned())
    } else if v.is_instance_of::<PyInt>() || v.hasattr("__index__")? {
        match v.extract::<i128>() {
            Ok(n) => i64::try_from(n)
                .map(Value::from)
                .or_else(|_| u64::try_from(n).map(Value::from))
                .unwrap_or_else(|_| Value::from(n as f64)),
            Err(_) => other(v)?,
        }
    } else if let Ok(f) = v.cast::<PyFloat>() {
        serde_json::Number::from_f64(f.value()).map_or(other(v)?, Value::Number)
    } else if let Ok(d) = v.cast::<PyDict>() {
        object(d.iter(), depth)?
    } else if let Ok(m) = v.cast::<PyMapping>() {
        let items = m.items()?;
        let pairs = items
            .iter()
            .map(|kv| kv.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>())
            .collect::<PyResult<Vec<_>>>()?;
        object(pairs.into_iter(), depth)?
    } else if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let items = v.try_iter()?.map(|x| to_json(&x?, depth + 1));
        Value::Array(items.collect::<PyResult<_>>()?)
    } else {
        other(v)?
    })
}

/// A mapping's items as a JSON object, keys as their `str`.
fn object<'py>(
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    depth: usize,
) -> PyResult<Value> {
    let mut out = Map::new();
    for (k, v) in items {
        out.insert(k.str()?.to_cow()?.into_owned(), to_json(&v, depth + 1)?);
    }
    Ok(Value::Object(out))
}

fn other(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    Ok(json!({"python": v.repr()?.to_cow()?}))
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
        let currency = plan.0.currency();
        let after = PlanTotals::new(&plan.core().totals, currency);
        Ok(Rerouted {
            plan: Py::new(py, plan)?,
            before: Py::new(py, PlanTotals::new(before, currency))?,
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
            b.cost_text(),
            a.cost_text()
        )
    }
}
