//! `orders.csv`: one row per order line, the lines of an order on consecutive rows.

use super::customer::{CustomerCols, CustomerFields};
use super::fields::{Col, Row};
use super::order_nodes::NodeNames;
use super::sheet::Sheet;
use super::{DictIds, Loaded, SkuStage};
use crate::problem::clip;
use crate::{InputError, TableInput};
use done::Done;
use head::{read_head, Head, HeadCells};
use omniroute_core::codes::InputCode;
use omniroute_core::{
    Network, Order, OrderLine, ServiceLevels, Skus, MAX_MONEY_CENTS, MAX_ORDER_UNITS,
};
use rustc_hash::FxHashMap;
use std::io::Read;

mod done;
mod head;

const KNOWN: &str = "order_id, sku, qty, dest_lat, dest_lon, line_no, service_level, created_at, \
    promised_by, unit_price_cents, priority, channel, allow_split, max_shipments, ship_complete, tags, \
    exclude_nodes, only_nodes, customer_name, customer_phone, dest_address, dest_area";

/// The columns of `orders.csv` (index in the header, when present).
struct Cols {
    order_id: Col,
    sku: Col,
    qty: Col,
    dest_lat: Col,
    dest_lon: Col,
    line_no: Col,
    service_level: Col,
    created_at: Col,
    promised_by: Col,
    unit_price_cents: Col,
    priority: Col,
    channel: Col,
    allow_split: Col,
    max_shipments: Col,
    ship_complete: Col,
    tags: Col,
    exclude_nodes: Col,
    only_nodes: Col,
    customer: CustomerCols,
}

impl Cols {
    /// The order-level columns: every line of an order repeats their cells.
    fn head(&self) -> [Col; 13] {
        [
            self.dest_lat,
            self.dest_lon,
            self.service_level,
            self.created_at,
            self.promised_by,
            self.priority,
            self.channel,
            self.allow_split,
            self.max_shipments,
            self.ship_complete,
            self.tags,
            self.exclude_nodes,
            self.only_nodes,
        ]
    }

    fn claim(sheet: &mut Sheet) -> Self {
        Self {
            order_id: sheet.required(&["order_id"]),
            sku: sheet.required(&["sku"]),
            qty: sheet.required(&["qty"]),
            dest_lat: sheet.required(&["dest_lat"]),
            dest_lon: sheet.required(&["dest_lon"]),
            line_no: sheet.optional("line_no"),
            service_level: sheet.optional("service_level"),
            created_at: sheet.optional("created_at"),
            promised_by: sheet.optional("promised_by"),
            unit_price_cents: sheet.optional("unit_price_cents"),
            priority: sheet.optional("priority"),
            channel: sheet.optional("channel"),
            allow_split: sheet.optional("allow_split"),
            max_shipments: sheet.optional("max_shipments"),
            ship_complete: sheet.optional("ship_complete"),
            tags: sheet.optional("tags"),
            exclude_nodes: sheet.optional("exclude_nodes"),
            only_nodes: sheet.optional("only_nodes"),
            customer: CustomerCols::claim(sheet),
        }
    }
}

/// The order whose lines are being read.
struct Building {
    id: String,
    first_line: u64,
    head: Option<Head>,
    rows: u32,
    /// Units over the lines so far.
    units: u64,
    lines: Vec<OrderLine>,
    customer: Option<CustomerFields>,
}

impl Building {
    /// Adds `line`, read from `row`; the line that takes the order past [`MAX_ORDER_UNITS`]
    /// units is `E1009`.
    fn push(&mut self, line: OrderLine, row: &mut Row<'_>, qty: Col) {
        let before = self.units;
        self.units += u64::from(line.qty);
        if before <= MAX_ORDER_UNITS && self.units > MAX_ORDER_UNITS {
            row.error(
                InputCode::Range.id(),
                qty,
                format!(
                    "order {:?} asks for {} units up to this line, more than {MAX_ORDER_UNITS}",
                    self.id, self.units
                ),
                &format!("split it into orders of at most {MAX_ORDER_UNITS} units"),
            );
        }
        self.lines.push(line);
    }

    /// Takes `head`, read from `row`, as the order's fields if it has none yet (keeping the
    /// row's cells in `cells`), else reports each column where it differs from them (`E1022`).
    fn settle_head(
        &mut self,
        head: Option<Head>,
        row: &mut Row<'_>,
        c: &Cols,
        cells: &mut HeadCells,
    ) {
        match (&self.head, head) {
            (Some(first), Some(head)) => {
                for col in first.diff(&head, c) {
                    let name = col.map_or("", |i| row.name(i));
                    row.error(
                        InputCode::OrderMismatch.id(),
                        col,
                        format!("{name} differs from line {} of order {:?}", self.first_line, clip(&self.id)),
                        "repeat the same order-level values on every line of an order (or give the lines their own order_id)",
                    );
                }
            }
            (None, head) => {
                if head.is_some() {
                    cells.keep(row);
                }
                self.head = head;
            }
            (Some(_), None) => {}
        }
    }

    /// Reads the row's customer fields: the order's first ones, which later lines repeat.
    fn keep_customer(&mut self, row: &mut Row<'_>, cols: &CustomerCols) {
        cols.keep(row, &mut self.customer, (self.first_line, &self.id));
    }

    /// Adds the order, where it starts and its customer to what was read, and its id to `done`.
    fn finish(mut self, orders: &mut Vec<Order>, places: &mut OrderPlaces, done: &mut Done) {
        let first_line = self.first_line;
        places.lines.push(first_line);
        places
            .customers
            .push(self.customer.take().unwrap_or_default());
        match self.into_order() {
            Ok(order) => {
                orders.push(order);
                done.add_order(orders, first_line);
            }
            Err(id) => done.add_headless(orders, id, first_line),
        }
    }

    /// The order, or its id when it has no head (a bad row).
    fn into_order(self) -> Result<Order, String> {
        let Some(head) = self.head else {
            return Err(self.id);
        };
        let mut order = Order::new(self.id, head.destination, self.lines);
        order.service_level = head.service_level;
        order.created_at = head.created_at;
        order.promised_by = head.promised_by;
        order.priority = head.priority;
        order.channel = head.channel;
        order.split = head.split;
        order.tags = head.tags;
        order.excluded = head.excluded;
        order.pinned = head.pinned;
        Ok(order)
    }
}

/// Reads `orders.csv` into orders in file (arrival) order, interning new SKUs into `skus` (only
/// when the whole file is accepted).
///
/// Columns `order_id`, `sku`, `qty`, `dest_lat`, `dest_lon` are required; the optional ones are
/// listed in docs/design.md §7 plus `ship_complete` and `tags` (`;`-separated). `line_no` defaults to the
/// row's position in its order (1, 2, 3…); `service_level` to `standard` and must name a level of
/// `levels`. Order-level fields (destination, service level, times, priority, channel, split rule,
/// tags) must be the same on every line of an order (`E1022`), and an order's lines must be on
/// consecutive rows (`E1023`).
///
/// ```
/// # use omniroute_adapters::read_orders;
/// # use omniroute_core::{ServiceLevel, ServiceLevels, Skus};
/// let csv = "order_id,sku,qty,dest_lat,dest_lon,service_level\n\
///            A1,TEE-M,2,28.6,77.2,next_day\nA1,CAP,1,28.6,77.2,next_day\n";
/// let mut skus = Skus::default();
/// let orders = read_orders(csv.as_bytes(), "orders.csv", &mut skus, &ServiceLevels::default())?.value;
/// assert_eq!(orders.len(), 1);
/// assert_eq!(orders[0].lines[1].line_no, 2);
/// assert_eq!(orders[0].service_level, ServiceLevel::NEXT_DAY);
/// # Ok::<(), omniroute_adapters::InputError>(())
/// ```
pub fn read_orders(
    input: impl Read,
    file: &str,
    skus: &mut Skus,
    levels: &ServiceLevels,
) -> Result<Loaded<Vec<Order>>, InputError> {
    read_orders_placed(input, file, skus, levels).map(|(orders, _)| orders)
}

/// Where each order of a file starts, for problems found after the file was read (an order no
/// policy version applies to, `E2019`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderPlaces {
    /// The orders file's name (empty when the orders were not read from a file).
    pub file: String,
    /// The line of each order's first row (header = 1); empty when unknown.
    pub lines: Vec<u64>,
    /// The 1-based column of `created_at` (0 when the file has none).
    pub created_at_column: u64,
    /// Each order's customer fields (`csv/customer.rs`; empty when not given), in order; empty
    /// when unknown.
    pub customers: Vec<CustomerFields>,
}

/// [`read_orders`], also returning where each order starts.
///
/// Without a network the node lists (`exclude_nodes`, `only_nodes`) cannot be resolved: a
/// non-empty one is `E1041` (use [`read_orders_in`]).
pub fn read_orders_placed(
    input: impl Read,
    file: &str,
    skus: &mut Skus,
    levels: &ServiceLevels,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    read_orders_named(input, file, skus, levels, NodeNames::Missing)
}

/// [`read_orders_placed`] with the run's network, which the node lists (`exclude_nodes`,
/// `only_nodes`: `;`-separated node ids) name nodes of (`E1040` for an id not in it, `E1042`
/// for a node in both lists).
pub fn read_orders_in(
    input: impl Read,
    file: &str,
    skus: &mut Skus,
    levels: &ServiceLevels,
    network: &Network,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    read_orders_named(input, file, skus, levels, NodeNames::Network(network))
}

/// The orders reader, node lists resolved against `names`.
pub(crate) fn read_orders_named(
    input: impl Read,
    file: &str,
    skus: &mut Skus,
    levels: &ServiceLevels,
    names: NodeNames<'_>,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    read_sheet(Sheet::open(input, file)?, file, skus, levels, names)
}

/// [`read_orders_named`] over an input already in memory (CSV text, with no copy of it, or a
/// table of columns).
pub(crate) fn read_orders_from(
    input: &TableInput,
    skus: &mut Skus,
    levels: &ServiceLevels,
    names: NodeNames<'_>,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    read_sheet(input.sheet()?, input.name(), skus, levels, names)
}

/// [`read_orders_in`] over an input already in memory (CSV text, with no copy of it, or a table
/// of columns, see [`crate::Table`]): the same checks and codes.
pub fn read_orders_input(
    input: &TableInput,
    skus: &mut Skus,
    levels: &ServiceLevels,
    network: &Network,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    read_orders_from(input, skus, levels, NodeNames::Network(network))
}

fn read_sheet(
    mut sheet: Sheet<'_>,
    file: &str,
    skus: &mut Skus,
    levels: &ServiceLevels,
    names: NodeNames<'_>,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    let c = Cols::claim(&mut sheet);
    sheet.end_header(KNOWN);

    let mut stage = SkuStage::new(skus);
    // Sized once, for an order a row: capacity never written to costs no memory, and growing
    // copied and touched twice what the orders fill.
    let rows = sheet.rows_hint();
    let mut orders = Vec::with_capacity(rows);
    let mut places = OrderPlaces {
        file: file.to_owned(),
        lines: Vec::with_capacity(rows),
        created_at_column: c.created_at.map_or(0, |i| i as u64 + 1),
        customers: Vec::with_capacity(rows),
    };
    // Where each finished order starts, and the current order's line numbers. Not sized from
    // the rows up front: a map of an order a row is twice the one orders of two lines fill,
    // and its lookups missed the cache more than growing it cost (CSV 3-4 % more CPU, measured).
    let mut done = Done::default();
    let mut line_nos: FxHashMap<u32, u64> = FxHashMap::default();
    let mut current: Option<Building> = None;
    let mut head_cells = HeadCells::new(&c);
    let mut dict_ids = DictIds::default();
    let level_hint = level_hint(levels);
    while let Some(mut row) = sheet.next_row()? {
        let id = row.text(c.order_id);
        let repeats_head = match (&current, id) {
            (Some(b), Some(id)) => b.id == id && b.head.is_some() && head_cells.repeated(&row),
            _ => false,
        };
        // A line repeating its order's head cells: that head, with nothing to report.
        let head = if repeats_head {
            None
        } else {
            read_head(&mut row, &c, (levels, &level_hint), names)
        };
        let sku = row.text(c.sku).map(|name| match row.dict_key(c.sku) {
            Some(key) => dict_ids.id(key, || stage.id(skus, name)),
            None => stage.id(skus, name),
        });
        let qty = row.filled(c.qty).and_then(|()| quantity(&mut row, c.qty));
        let unit_price_cents = row.int(c.unit_price_cents, 0, MAX_MONEY_CENTS);
        let line_no = row.int(c.line_no, 1, u32::MAX.into()).map(|v| v as u32);
        let Some(id) = id else { continue };

        // The order being read stays in place (it is large) while its lines are read.
        if current.as_ref().is_none_or(|b| b.id != id) {
            if let Some(b) = current.take() {
                b.finish(&mut orders, &mut places, &mut done);
            }
            line_nos.clear();
            if let Some(first) = done.get(&orders, id) {
                row.error(
                    InputCode::NonContiguous.id(),
                    c.order_id,
                    format!("order {:?} appears again after other orders (its lines start on line {first})", clip(id)),
                    "put all lines of an order on consecutive rows",
                );
            }
            current = Some(Building {
                id: id.to_owned(),
                first_line: row.line,
                head: None,
                rows: 0,
                units: 0,
                lines: Vec::new(),
                customer: None,
            });
        }
        let order = current.as_mut().expect("an order is being read");
        order.rows += 1;
        order.settle_head(head, &mut row, &c, &mut head_cells);
        order.keep_customer(&mut row, &c.customer);
        let line_no = line_no.unwrap_or(order.rows);
        if let Some(&line) = line_nos.get(&line_no) {
            row.error(
                InputCode::DuplicateLine.id(),
                c.line_no,
                format!("line_no {line_no} of order {:?} is already used on line {line}", clip(id)),
                "give every line of an order its own line_no (or leave line_no empty to number them 1, 2, 3…)",
            );
        } else {
            line_nos.insert(line_no, row.line);
        }
        if let (Some(sku), Some(qty)) = (sku, qty) {
            let line = OrderLine {
                line_no,
                sku,
                qty,
                unit_price_cents,
            };
            order.push(line, &mut row, c.qty);
        }
    }
    if let Some(b) = current {
        b.finish(&mut orders, &mut places, &mut done);
    }
    let warnings = sheet.finish()?;
    // An order without a head (a bad row) fails the file above, so the two lists align.
    debug_assert_eq!(places.lines.len(), orders.len());
    stage.commit(skus);
    Ok((
        Loaded {
            value: orders,
            warnings,
        },
        places,
    ))
}

/// The hint of an unknown service level.
fn level_hint(levels: &ServiceLevels) -> String {
    let names: Vec<&str> = levels.iter().map(|(_, n)| n).collect();
    format!(
        "use one of {} (or define the level in the policy)",
        names.join(", ")
    )
}

/// A line quantity: a whole number of units from 1 (zero or negative is `E1011`).
fn quantity(row: &mut Row<'_>, col: Col) -> Option<u32> {
    let v = row.int(col, i64::MIN, i64::MAX)?;
    if v <= 0 {
        row.error(
            InputCode::Quantity.id(),
            col,
            format!("{} {v} is not positive", col.map_or("qty", |i| row.name(i))),
            "order at least 1 unit per line, or delete the line",
        );
        return None;
    }
    row.in_range(col, v, 1, MAX_ORDER_UNITS as i64)
        .map(|v| v as u32)
}
