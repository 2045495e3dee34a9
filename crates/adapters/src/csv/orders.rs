//! `orders.csv`: one row per order line, the lines of an order on consecutive rows.

use super::customer::{CustomerCols, CustomerFields};
use super::fields::{Col, Row};
use super::order_nodes::{node_lists, NodeNames};
use super::sheet::Sheet;
use super::{Loaded, SkuStage};
use crate::problem::clip;
use crate::{InputError, TableInput};
use jiff::civil::Date;
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use omniroute_core::{
    LatLng, Network, NodeIdx, Order, OrderLine, ServiceLevel, ServiceLevels, Skus, SplitRule,
    MAX_MONEY_CENTS, MAX_ORDER_UNITS,
};
use rustc_hash::FxHashMap;
use std::io::Read;

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

/// The order-level fields of a row: every line of an order must repeat the same values.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    destination: LatLng,
    service_level: ServiceLevel,
    created_at: Option<Timestamp>,
    promised_by: Option<Date>,
    priority: i32,
    channel: Option<String>,
    split: SplitRule,
    tags: Vec<String>,
    excluded: Vec<NodeIdx>,
    pinned: Vec<NodeIdx>,
}

impl Head {
    /// The columns on which `self` and `other` differ.
    fn diff(&self, other: &Head, c: &Cols) -> Vec<Col> {
        let (a, b) = (self.destination, other.destination);
        [
            (c.dest_lat, a.lat_deg().total_cmp(&b.lat_deg()).is_ne()),
            (c.dest_lon, a.lon_deg().total_cmp(&b.lon_deg()).is_ne()),
            (c.service_level, self.service_level != other.service_level),
            (c.created_at, self.created_at != other.created_at),
            (c.promised_by, self.promised_by != other.promised_by),
            (c.priority, self.priority != other.priority),
            (c.channel, self.channel != other.channel),
            (
                c.allow_split,
                self.split.allow_split != other.split.allow_split,
            ),
            (
                c.max_shipments,
                self.split.max_shipments != other.split.max_shipments,
            ),
            (
                c.ship_complete,
                self.split.ship_complete != other.split.ship_complete,
            ),
            (c.tags, self.tags != other.tags),
            (c.exclude_nodes, self.excluded != other.excluded),
            (c.only_nodes, self.pinned != other.pinned),
        ]
        .into_iter()
        .filter_map(|(col, differs)| differs.then_some(col))
        .collect()
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

/// The order-level cells (trimmed) of the line an order's head was read from: a later line
/// that repeats them, as most do, has the same head and no problem in them, so they are not
/// read again.
struct HeadCells {
    /// The order-level columns.
    cols: [Col; 13],
    text: String,
    ends: Vec<usize>,
}

impl HeadCells {
    fn new(c: &Cols) -> Self {
        HeadCells {
            cols: c.head(),
            text: String::new(),
            ends: Vec::new(),
        }
    }

    /// Keeps the cells of `row`.
    fn keep(&mut self, row: &Row<'_>) {
        self.text.clear();
        self.ends.clear();
        for &col in &self.cols {
            self.text.push_str(row.cell(col).unwrap_or(""));
            self.ends.push(self.text.len());
        }
    }

    /// True when `row` has the kept cells.
    fn repeated(&self, row: &Row<'_>) -> bool {
        let mut start = 0;
        self.cols.iter().zip(&self.ends).all(|(&col, &end)| {
            let kept = &self.text[start..end];
            start = end;
            row.cell(col).unwrap_or("") == kept
        })
    }
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

    /// Adds the order, where it starts and its customer to what was read.
    fn finish(mut self, orders: &mut Vec<Order>, places: &mut OrderPlaces) {
        places.lines.push(self.first_line);
        places
            .customers
            .push(self.customer.take().unwrap_or_default());
        orders.extend(self.into_order());
    }

    fn into_order(self) -> Option<Order> {
        let head = self.head?;
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
        Some(order)
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
    let mut orders = Vec::new();
    let mut places = OrderPlaces {
        file: file.to_owned(),
        lines: Vec::new(),
        created_at_column: c.created_at.map_or(0, |i| i as u64 + 1),
        customers: Vec::new(),
    };
    // Where each finished order starts, and the current order's line numbers.
    let mut done: FxHashMap<String, u64> = FxHashMap::default();
    let mut line_nos: FxHashMap<u32, u64> = FxHashMap::default();
    let mut current: Option<Building> = None;
    let mut head_cells = HeadCells::new(&c);
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
        let sku = row.text(c.sku).map(|name| stage.id(skus, name));
        let qty = row.text(c.qty).and_then(|_| quantity(&mut row, c.qty));
        let unit_price_cents = row.int(c.unit_price_cents, 0, MAX_MONEY_CENTS);
        let line_no = row.int(c.line_no, 1, u32::MAX.into()).map(|v| v as u32);
        let Some(id) = id else { continue };

        let order = match current.take() {
            Some(b) if b.id == id => b,
            previous => {
                if let Some(b) = previous {
                    done.insert(b.id.clone(), b.first_line);
                    b.finish(&mut orders, &mut places);
                }
                line_nos.clear();
                if let Some(&first) = done.get(id) {
                    row.error(
                        InputCode::NonContiguous.id(),
                        c.order_id,
                        format!("order {:?} appears again after other orders (its lines start on line {first})", clip(id)),
                        "put all lines of an order on consecutive rows",
                    );
                }
                Building {
                    id: id.to_owned(),
                    first_line: row.line,
                    head: None,
                    rows: 0,
                    units: 0,
                    lines: Vec::new(),
                    customer: None,
                }
            }
        };

        let order = current.insert(order);
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
        b.finish(&mut orders, &mut places);
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

/// The order-level fields of `row`, or `None` when one of them is bad; `levels` with the hint
/// of an unknown one.
fn read_head(
    row: &mut Row<'_>,
    c: &Cols,
    (levels, hint): (&ServiceLevels, &str),
    nodes: NodeNames<'_>,
) -> Option<Head> {
    let before = row.errors();
    let destination = row.lat_lng(c.dest_lat, c.dest_lon);
    let service_level = row.parse(
        c.service_level,
        InputCode::ServiceLevel.id(),
        "a known service level",
        hint,
        |s| levels.get(s),
    );
    let created_at = row.timestamp(c.created_at);
    let promised_by = row.date(c.promised_by);
    let priority = row.int(c.priority, i32::MIN.into(), i32::MAX.into());
    let split = SplitRule {
        allow_split: row.boolean(c.allow_split),
        max_shipments: row.int(c.max_shipments, 1, u8::MAX.into()).map(|v| v as u8),
        ship_complete: row.boolean(c.ship_complete),
    };
    let (excluded, pinned) = node_lists(row, c.exclude_nodes, c.only_nodes, nodes)?;
    let head = Head {
        destination: destination?,
        service_level: service_level.unwrap_or(ServiceLevel::STANDARD),
        created_at,
        promised_by,
        priority: priority.map_or(0, |v| v as i32),
        channel: row.cell(c.channel).map(str::to_owned),
        split,
        tags: row.list(c.tags),
        excluded,
        pinned,
    };
    (row.errors() == before).then_some(head)
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
