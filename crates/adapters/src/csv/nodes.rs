//! `nodes.csv`: one row per fulfilment node.

use super::code;
use super::fields::{Col, Row};
use super::sheet::Sheet;
use super::{file_error, Loaded};
use crate::problem::clip;
use crate::{InputError, TableInput};
use jiff::tz::TimeZone;
use omniroute_core::codes::InputCode;
use omniroute_core::{
    DealerTerms, Network, NetworkError, Node, NodeKind, ServiceLevel, ServiceLevels,
    MAX_MARGIN_BPS, MAX_MONEY_CENTS, MAX_PER_KM_CENTS, MAX_PRIORITY,
};
use std::collections::HashMap;
use std::io::Read;

const KNOWN: &str = "node_id, lat, lon, kind, capacity_units, capacity_shipments, max_km_<level>, \
    timezone, cutoff_local, handling_days, fixed_cents, per_km_cents, per_unit_cents, margin_bps, \
    acceptance_rate, acceptance_timeout_s, whatsapp, priority, active, tags, closed_weekdays, \
    holidays";

const U32_MAX: i64 = u32::MAX as i64;

/// The columns of `nodes.csv` (index in the header, when present).
struct Cols {
    node_id: Col,
    lat: Col,
    lon: Col,
    kind: Col,
    capacity_units: Col,
    capacity_shipments: Col,
    reach: Vec<(usize, ServiceLevel)>,
    timezone: Col,
    cutoff_local: Col,
    handling_days: Col,
    fixed_cents: Col,
    per_km_cents: Col,
    per_unit_cents: Col,
    margin_bps: Col,
    acceptance_rate: Col,
    acceptance_timeout_s: Col,
    whatsapp: Col,
    priority: Col,
    active: Col,
    tags: Col,
    closed_weekdays: Col,
    holidays: Col,
}

impl Cols {
    fn claim(sheet: &mut Sheet, levels: &ServiceLevels) -> Self {
        let mut reach = Vec::new();
        for (i, name) in sheet.prefixed("max_km_") {
            if let Some(level) = levels.get(&name) {
                sheet.claim(i);
                reach.push((i, level));
            } else {
                let known: Vec<String> =
                    levels.iter().map(|(_, n)| format!("max_km_{n}")).collect();
                sheet.ignore(
                    i,
                    format!("column \"max_km_{name}\" names no service level and is ignored"),
                    &format!(
                        "use one of {} or define the level in the policy",
                        known.join(", ")
                    ),
                );
            }
        }
        let mut opt = |name| sheet.optional(name);
        let cols = Self {
            node_id: None,
            lat: None,
            lon: None,
            kind: opt("kind"),
            capacity_units: opt("capacity_units"),
            capacity_shipments: opt("capacity_shipments"),
            reach,
            timezone: opt("timezone"),
            cutoff_local: opt("cutoff_local"),
            handling_days: opt("handling_days"),
            fixed_cents: opt("fixed_cents"),
            per_km_cents: opt("per_km_cents"),
            per_unit_cents: opt("per_unit_cents"),
            margin_bps: opt("margin_bps"),
            acceptance_rate: opt("acceptance_rate"),
            acceptance_timeout_s: opt("acceptance_timeout_s"),
            whatsapp: opt("whatsapp"),
            priority: opt("priority"),
            active: opt("active"),
            tags: opt("tags"),
            closed_weekdays: opt("closed_weekdays"),
            holidays: opt("holidays"),
        };
        Self {
            node_id: sheet.required(&["node_id"]),
            lat: sheet.required(&["lat"]),
            lon: sheet.required(&["lon"]),
            ..cols
        }
    }
}

/// Reads `nodes.csv` into a [`Network`] (nodes in file order).
///
/// Columns `node_id`, `lat`, `lon` are required; the optional ones are listed in docs/design.md §7 plus
/// `per_unit_cents`, `acceptance_rate`, `acceptance_timeout_s`, `whatsapp` (checked as E.164,
/// `E4020`; read by [`crate::channel::read_contacts`]), `closed_weekdays` (`sat;sun`) and `holidays`
/// (`;`-separated `YYYY-MM-DD`). `max_km_<level>` is read for every level in `levels`. Missing
/// or empty cells take the defaults of [`Node::new`] (kind `store`, UTC, active, priority 0, no
/// overrides). Every dealer gets [`DealerTerms`] (margin 0 unless `margin_bps` says otherwise);
/// the dealer-only columns on other kinds are ignored with warning `W1002`.
///
/// ```
/// # use omniroute_adapters::read_nodes;
/// # use omniroute_core::{NodeKind, ServiceLevels};
/// let csv = "node_id,lat,lon,kind,margin_bps\nW1,28.6,77.2,warehouse,\nD1,19.1,72.9,dealer,800\n";
/// let loaded = read_nodes(csv.as_bytes(), "nodes.csv", &ServiceLevels::default())?;
/// let net = loaded.value;
/// assert_eq!(net.len(), 2);
/// assert_eq!(net.node(net.find("D1").unwrap()).margin_bps(), 800);
/// assert!(loaded.warnings.is_empty());
/// # Ok::<(), omniroute_adapters::InputError>(())
/// ```
pub fn read_nodes(
    input: impl Read,
    file: &str,
    levels: &ServiceLevels,
) -> Result<Loaded<Network>, InputError> {
    read_sheet(Sheet::open(input, file)?, file, levels)
}

/// [`read_nodes`] over an input already in memory (CSV text, with no copy of it, or a table of
/// columns, see [`crate::Table`]): the same checks and codes.
pub fn read_nodes_input(
    input: &TableInput,
    levels: &ServiceLevels,
) -> Result<Loaded<Network>, InputError> {
    read_sheet(input.sheet()?, input.name(), levels)
}

fn read_sheet(
    mut sheet: Sheet<'_>,
    file: &str,
    levels: &ServiceLevels,
) -> Result<Loaded<Network>, InputError> {
    let cols = Cols::claim(&mut sheet, levels);
    sheet.end_header(KNOWN);
    let mut nodes = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    while let Some(mut row) = sheet.next_row()? {
        let id = row.text(cols.node_id);
        if let Some(id) = id {
            if let Some(&line) = first_line.get(id) {
                row.error(
                    InputCode::DuplicateNode.id(),
                    cols.node_id,
                    format!("node id {:?} is already used on line {line}", clip(id)),
                    "give every node its own node_id, or delete the repeated row",
                );
            } else {
                first_line.insert(id.to_owned(), row.line);
            }
        }
        let node = read_node(&mut row, &cols, id);
        if row.is_clean() {
            nodes.extend(node);
        }
    }
    let warnings = sheet.finish()?;
    let network = Network::new(nodes).map_err(|e| match e {
        NetworkError::DuplicateNode(id) => file_error(
            file,
            InputCode::DuplicateNode.id(),
            format!("duplicate node id {id:?}"),
            "give every node its own node_id",
        ),
        other => file_error(
            file,
            InputCode::EmptyFile.id(),
            other.to_string(),
            "add at least one node row",
        ),
    })?;
    Ok(Loaded {
        value: network,
        warnings,
    })
}

/// One node from `row`, or `None` (with the problems reported) when a field is bad.
fn read_node(row: &mut Row<'_>, c: &Cols, id: Option<&str>) -> Option<Node> {
    let location = row.lat_lng(c.lat, c.lon);
    let kind = row.parse(
        c.kind,
        InputCode::NodeKind.id(),
        "a node kind",
        "use warehouse, store, dealer, supplier or locker",
        |s| s.parse().ok(),
    );
    let kind = kind.unwrap_or(NodeKind::Store);
    let capacity_units = row.int(c.capacity_units, 0, U32_MAX).map(|v| v as u32);
    let capacity_shipments = row.int(c.capacity_shipments, 0, U32_MAX).map(|v| v as u32);
    let reach_km: Vec<(ServiceLevel, f64)> = c
        .reach
        .iter()
        .filter_map(|&(i, level)| Some((level, row.float(Some(i), 0.0, None)?)))
        .collect();
    let timezone = row.parse(
        c.timezone,
        InputCode::TimeZone.id(),
        "a known IANA time zone",
        "use a name like Asia/Kolkata or Europe/Berlin (or leave empty for UTC)",
        |s| TimeZone::get(s).ok(),
    );
    let cutoff_local = row.time(c.cutoff_local);
    let handling_days = row.int(c.handling_days, 0, u8::MAX.into()).map(|v| v as u8);
    let fixed_cents = row.int(c.fixed_cents, 0, MAX_MONEY_CENTS);
    let per_km_cents = row.float(c.per_km_cents, 0.0, Some(MAX_PER_KM_CENTS));
    let per_unit_cents = row.int(c.per_unit_cents, 0, MAX_MONEY_CENTS);
    let margin_bps = row
        .int(c.margin_bps, 0, MAX_MARGIN_BPS.into())
        .map(|v| v as u32);
    let acceptance_rate = row.float(c.acceptance_rate, 0.0, Some(1.0));
    let acceptance_timeout_s = row
        .int(c.acceptance_timeout_s, 0, U32_MAX)
        .map(|v| v as u32);
    // The number itself is read by `read_contacts` (the channel's), never into the model.
    let whatsapp = row.parse(
        c.whatsapp,
        crate::channel::BAD_PHONE,
        "an E.164 phone number",
        crate::channel::PHONE_HINT,
        |s| crate::channel::is_e164(s).then_some(()),
    );
    let priority = row
        .int(c.priority, (-MAX_PRIORITY).into(), MAX_PRIORITY.into())
        .map(|v| v as i32);
    let active = row.boolean(c.active);
    let closed = row.weekdays(c.closed_weekdays);
    let holidays = row.dates(c.holidays);
    if kind != NodeKind::Dealer && row.is_clean() {
        for (col, value) in [
            (c.margin_bps, margin_bps.is_some()),
            (c.acceptance_rate, acceptance_rate.is_some()),
            (c.acceptance_timeout_s, acceptance_timeout_s.is_some()),
            (c.whatsapp, whatsapp.is_some()),
        ] {
            if value {
                row.warning(
                    code::IGNORED_VALUE,
                    col,
                    format!("this {kind} has a dealer-only value, which is ignored"),
                    "leave the cell empty, or set kind to dealer",
                );
            }
        }
    }

    let mut node = Node::new(id?, kind, location?);
    node.timezone = timezone.unwrap_or(TimeZone::UTC);
    node.active = active.unwrap_or(true);
    node.priority = priority.unwrap_or(0);
    node.tags = row.list(c.tags);
    node.capacity_units = capacity_units;
    node.capacity_shipments = capacity_shipments;
    node.reach_km = reach_km;
    node.cutoff_local = cutoff_local;
    node.handling_days = handling_days;
    for day in closed {
        node.calendar.close_weekday(day);
    }
    node.calendar.holidays.extend(holidays);
    node.costs.fixed_cents = fixed_cents;
    node.costs.per_km_cents = per_km_cents;
    node.costs.per_unit_cents = per_unit_cents;
    if kind == NodeKind::Dealer {
        node.dealer = Some(DealerTerms {
            margin_bps: margin_bps.unwrap_or(0),
            territory: None,
            acceptance_timeout_s,
            acceptance_rate,
        });
    }
    Some(node)
}
