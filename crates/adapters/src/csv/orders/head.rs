//! An order's order-level fields (`Head`): read once from its first good line, compared with
//! every later line, and the cells they were read from kept so that a line repeating them is not
//! read again.

use super::Cols;
use crate::csv::fields::{same, Col, Row, Value};
use crate::csv::order_nodes::{node_lists, NodeNames};
use jiff::civil::Date;
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use omniroute_core::{LatLng, NodeIdx, ServiceLevel, ServiceLevels, SplitRule};

/// The order-level fields of a row: every line of an order must repeat the same values.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Head {
    pub(super) destination: LatLng,
    pub(super) service_level: ServiceLevel,
    pub(super) created_at: Option<Timestamp>,
    pub(super) promised_by: Option<Date>,
    pub(super) priority: i32,
    pub(super) channel: Option<String>,
    pub(super) split: SplitRule,
    pub(super) tags: Vec<String>,
    pub(super) excluded: Vec<NodeIdx>,
    pub(super) pinned: Vec<NodeIdx>,
}

impl Head {
    /// The columns on which `self` and `other` differ.
    pub(super) fn diff(&self, other: &Head, c: &Cols) -> Vec<Col> {
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

/// The order-level cells (trimmed) of the line an order's head was read from: a later line
/// that repeats them, as most do, has the same head and no problem in them, so they are not
/// read again. A table's cell held as a value (a float, an instant, an integer) is kept and
/// compared as that value, which its text is written from, so neither is written as text.
pub(super) struct HeadCells {
    /// The order-level columns.
    cols: [Col; 13],
    text: String,
    /// Where each cell's text ends in `text`, or its value.
    kept: Vec<Kept>,
}

/// A kept cell.
enum Kept {
    /// Its text ends here in [`HeadCells::text`].
    Text(usize),
    Value(Value),
}

impl HeadCells {
    pub(super) fn new(c: &Cols) -> Self {
        HeadCells {
            cols: c.head(),
            text: String::new(),
            kept: Vec::new(),
        }
    }

    /// Keeps the cells of `row`.
    pub(super) fn keep(&mut self, row: &Row<'_>) {
        self.text.clear();
        self.kept.clear();
        for &col in &self.cols {
            let kept = if let Some(v) = row.value(col) {
                Kept::Value(v)
            } else {
                self.text.push_str(row.cell(col).unwrap_or(""));
                Kept::Text(self.text.len())
            };
            self.kept.push(kept);
        }
    }

    /// True when `row` has the kept cells (a cell held as a value where the kept one is text,
    /// or the other way round, counts as another: the row's head is read and compared).
    pub(super) fn repeated(&self, row: &Row<'_>) -> bool {
        let mut start = 0;
        self.cols
            .iter()
            .zip(&self.kept)
            .all(|(&col, kept)| match kept {
                Kept::Value(v) => row.value(col) == Some(*v),
                Kept::Text(end) => {
                    let kept = &self.text[start..*end];
                    start = *end;
                    row.value(col).is_none()
                        && same(row.cell(col).unwrap_or("").as_bytes(), kept.as_bytes())
                }
            })
    }
}

/// The order-level fields of `row`, or `None` when one of them is bad; `levels` with the hint
/// of an unknown one.
pub(super) fn read_head(
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
