//! One order as JSON (the HTTP service's body), read through the `orders.csv` reader so both
//! take one validation path: the same codes, messages and hints.
//!
//! `{"order_id", "dest": {"lat", "lon"}, "lines": [{"sku", "qty", "line_no"?, "unit_price_cents"?}],
//! ...}` with the other optional fields of orders.csv at the top level under the same names. The
//! JSON becomes the rows of a small orders.csv (one per line, the order's fields repeated), and a
//! problem's column is mapped back to the JSON field it came from (`dest.lat`, `lines[1].qty`).

use crate::csv::{read_orders_named, NodeNames};
use crate::{InputError, OrderPlaces, Policies, Problem};
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use omniroute_core::{Network, Order, SkuId, Skus};
use serde_json::Value;

/// The name orders read from JSON carry in their problems' `file`.
pub const ORDER_JSON: &str = "order";

/// An order read from JSON.
#[derive(Debug, Clone)]
pub struct JsonOrder {
    /// The order, its SKUs numbered as in the shared table; a SKU the table does not know gets
    /// the id `skus.len() + k`, where `k` is its place in [`JsonOrder::new_skus`].
    pub order: Order,
    /// The names of the SKUs the table did not know, in id order.
    pub new_skus: Vec<String>,
    /// The customer fields (`customer_name`, `customer_phone`, `dest_address`, `dest_area`),
    /// kept apart from the order so no decision carries them.
    pub customer: crate::CustomerFields,
}

/// A problem in a JSON order with the JSON field it is about (`None` for the whole order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The problem as the orders.csv reader reported it.
    pub problem: Problem,
    /// The field: `order_id`, `dest.lat`, `lines[0].qty`, …
    pub field: Option<String>,
}

/// Where a CSV column's values came from.
enum From {
    Order,
    Dest(&'static str),
    Line,
}

/// Reads one order from JSON against the shared SKU table, and checks a policy version applies
/// at its `created_at` (or at `now` without one), as the file readers do.
///
/// # Errors
///
/// Every problem found, each with its JSON field.
///
/// ```
/// # use omniroute_adapters::{read_order_json, Policies};
/// # use omniroute_core::Skus;
/// let body = serde_json::json!({
///     "order_id": "A1", "dest": {"lat": 28.6, "lon": 77.2},
///     "lines": [{"sku": "TEE", "qty": 2}, {"sku": "CAP", "qty": "many"}],
/// });
/// let policies = Policies::new(&[]).unwrap();
/// let now = "2026-11-26T06:00:00Z".parse().unwrap();
/// let err = read_order_json(&body, &Skus::default(), &policies, now).unwrap_err();
/// assert_eq!(err[0].problem.code, "E1008"); // not a number, as in orders.csv
/// assert_eq!(err[0].field.as_deref(), Some("lines[1].qty"));
/// ```
///
/// Without the network, node lists (`exclude_nodes`, `only_nodes`) are refused (`E1041`): use
/// [`read_order_json_in`].
pub fn read_order_json(
    body: &Value,
    skus: &Skus,
    policies: &Policies,
    now: Timestamp,
) -> Result<JsonOrder, Vec<FieldProblem>> {
    read_json(body, skus, policies, now, NodeNames::Missing)
}

/// [`read_order_json`] with the network its node lists name nodes of: `"exclude_nodes"` and
/// `"only_nodes"`, arrays of node ids (`E1040` for an id not in the network, `E1042` for a node
/// in both).
///
/// # Errors
///
/// Every problem found, each with its JSON field.
pub fn read_order_json_in(
    body: &Value,
    skus: &Skus,
    network: &Network,
    policies: &Policies,
    now: Timestamp,
) -> Result<JsonOrder, Vec<FieldProblem>> {
    read_json(body, skus, policies, now, NodeNames::Network(network))
}

fn read_json(
    body: &Value,
    skus: &Skus,
    policies: &Policies,
    now: Timestamp,
    nodes: NodeNames<'_>,
) -> Result<JsonOrder, Vec<FieldProblem>> {
    let no_lines = || {
        let problem = Problem {
            code: InputCode::EmptyFile.id(),
            file: ORDER_JSON.to_owned(),
            line: 0,
            column: 0,
            message: "the order has no lines".into(),
            hint: "give `lines`, an array of {\"sku\", \"qty\"}".into(),
        };
        let field = Some("lines".to_owned());
        vec![FieldProblem { problem, field }]
    };
    if body
        .get("lines")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        return Err(no_lines());
    }
    let (columns, csv) = to_csv(body);
    let to_fields = |e: InputError| {
        e.problems()
            .into_iter()
            .map(|problem| {
                let field = field(&columns, &problem);
                FieldProblem { problem, field }
            })
            .collect::<Vec<_>>()
    };
    let mut local = Skus::default();
    let (read, read_places) = read_orders_named(
        csv.as_bytes(),
        ORDER_JSON,
        &mut local,
        policies.versions.levels(),
        nodes,
    )
    .map_err(to_fields)?;
    let orders = read.value;
    let customer = read_places.customers.into_iter().next().unwrap_or_default();
    let places = OrderPlaces {
        file: ORDER_JSON.to_owned(),
        lines: vec![2; orders.len()],
        created_at_column: column_of(&columns, "created_at"),
        customers: Vec::new(),
    };
    policies
        .check_order_times(&orders, &places, Some(now))
        .map_err(to_fields)?;
    // Lines are given and the reader accepted them: one order (every row repeats `order_id`).
    let mut order = orders.into_iter().next().ok_or_else(no_lines)?;
    let mut new_skus: Vec<String> = Vec::new();
    for line in &mut order.lines {
        let name = local.name(line.sku);
        line.sku = skus.get(name).unwrap_or_else(|| {
            let k = new_skus.iter().position(|n| n == name).unwrap_or_else(|| {
                new_skus.push(name.to_owned());
                new_skus.len() - 1
            });
            SkuId((skus.len() + k) as u32)
        });
    }
    Ok(JsonOrder {
        order,
        new_skus,
        customer,
    })
}

/// The 1-based column of `name`, 0 when absent.
fn column_of(columns: &[(String, From)], name: &str) -> u64 {
    columns
        .iter()
        .position(|(c, _)| c == name)
        .map_or(0, |i| i as u64 + 1)
}

/// The JSON field of a problem at (line, column) of the CSV built by [`to_csv`].
fn field(columns: &[(String, From)], p: &Problem) -> Option<String> {
    let (name, from) = columns.get(usize::try_from(p.column).ok()?.checked_sub(1)?)?;
    Some(match from {
        From::Order => name.clone(),
        From::Dest(key) => format!("dest.{key}"),
        From::Line => format!("lines[{}].{name}", p.line.checked_sub(2)?),
    })
}

/// A CSV cell for a JSON value: text as is, numbers and booleans as written, null empty, an
/// array of scalars `;`-separated (orders.csv's lists), anything else its JSON text (which the
/// reader then rejects with the code of the field).
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            items.iter().map(cell).collect::<Vec<_>>().join(";")
        }
        other => other.to_string(),
    }
}

/// The orders.csv text of a JSON order, with where each column came from.
fn to_csv(body: &Value) -> (Vec<(String, From)>, String) {
    let empty = serde_json::Map::new();
    let top = body.as_object().unwrap_or(&empty);
    let lines: &[Value] = top
        .get("lines")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut columns: Vec<(String, From)> = Vec::new();
    let mut values: Vec<Option<&Value>> = Vec::new(); // the order-level cells
    for (key, v) in top {
        match key.as_str() {
            "lines" => {}
            "dest" => {
                for k in ["lat", "lon"] {
                    if let Some(x) = v.get(k) {
                        columns.push((format!("dest_{k}"), From::Dest(k)));
                        values.push(Some(x));
                    }
                }
            }
            _ => {
                columns.push((key.clone(), From::Order));
                values.push(Some(v));
            }
        }
    }
    let order_cols = columns.len();
    for line in lines {
        for key in line.as_object().into_iter().flat_map(serde_json::Map::keys) {
            if !columns[order_cols..].iter().any(|(c, _)| c == key) {
                columns.push((key.clone(), From::Line));
            }
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
    // Writing to a Vec cannot fail.
    out.write_record(&header).expect("in memory");
    for line in lines {
        let row = values.iter().map(|v| v.map_or(String::new(), cell)).chain(
            columns[order_cols..]
                .iter()
                .map(|(key, _)| line.get(key).map_or(String::new(), cell)),
        );
        out.write_record(row).expect("in memory");
    }
    let bytes = out.into_inner().expect("in memory");
    (
        columns,
        String::from_utf8(bytes).expect("built from strings"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: &Value) -> Result<JsonOrder, Vec<FieldProblem>> {
        let mut skus = Skus::default();
        skus.intern("TEE");
        let now = "2026-11-26T06:00:00Z".parse().unwrap();
        read_order_json(body, &skus, &Policies::new(&[]).unwrap(), now)
    }

    #[test]
    fn a_good_order_reads_with_shared_and_new_sku_ids() {
        let o = read(&json!({
            "order_id": "A1", "dest": {"lat": 28.6, "lon": 77.2}, "service_level": "next_day",
            "tags": ["vip", "gift"], "created_at": "2026-11-26T05:00:00Z",
            "lines": [{"sku": "CAP", "qty": 1}, {"sku": "TEE", "qty": 2, "line_no": 7},
                      {"sku": "CAP", "qty": 3}],
        }))
        .unwrap();
        assert_eq!(o.order.id, "A1");
        let skus: Vec<_> = o
            .order
            .lines
            .iter()
            .map(|l| (l.sku.0, l.qty, l.line_no))
            .collect();
        assert_eq!(skus, [(1, 1, 1), (0, 2, 7), (1, 3, 3)]);
        assert_eq!(o.new_skus, ["CAP"]);
        assert_eq!(o.order.tags, ["vip", "gift"]);
    }

    #[test]
    fn problems_name_the_json_field_with_the_readers_code() {
        let cases = [
            (
                json!({"order_id": "A", "dest": {"lat": 95, "lon": 77}, "lines": [{"sku": "T", "qty": 1}]}),
                "E1010",
                Some("dest.lat"),
            ),
            (
                json!({"order_id": "A", "dest": {"lat": 28}, "lines": [{"sku": "T", "qty": 1}]}),
                "E1004",
                None,
            ),
            (
                json!({"order_id": "A", "dest": {"lat": 28, "lon": 77}, "lines": [{"sku": "T", "qty": 1}, {"sku": "T", "qty": 0}]}),
                "E1011",
                Some("lines[1].qty"),
            ),
            (
                json!({"order_id": "A", "dest": {"lat": 28, "lon": 77}, "service_level": "warp", "lines": [{"sku": "T", "qty": 1}]}),
                "E1018",
                Some("service_level"),
            ),
            (
                json!({"order_id": "A", "dest": {"lat": 28, "lon": 77}, "lines": []}),
                "E1001",
                Some("lines"),
            ),
            (json!([1, 2]), "E1001", Some("lines")),
        ];
        for (body, code, field) in cases {
            let err = read(&body).unwrap_err();
            assert_eq!(err[0].problem.code, code, "{body}: {err:?}");
            assert_eq!(err[0].field.as_deref(), field, "{body}");
        }
    }
}
