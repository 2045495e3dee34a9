//! Extreme values (0, 1, `u32::MAX`, `i64::MAX`, NaN, ±inf, 1e308, the limits and one past them)
//! in every numeric field of nodes.csv, stock.csv, orders.csv and the policy: each input is
//! either rejected with coded problems, or accepted and routed to a plan that the checker passes
//! and where no term but a negative node priority's is below zero. Never a panic.

use crate::{Inputs, Source};
use omniroute_core::{check, CostBreakdown, Router, StockTable};
use proptest::prelude::*;
use std::fmt::Write as _;

/// The values every numeric field is tried with.
const EXTREMES: &[&str] = &[
    "0",
    "1",
    "-1",
    "1.5",
    "100000000",
    "100000001",
    "1000000",
    "1000001",
    "1000000000",
    "1000000001",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "",
];

/// The largest values the limits let through (and small ones), to try many at once.
const AT_LIMITS: &[&str] = &["0", "1", "10000", "1000000", "100000000", "1000000000"];

/// A CSV file as a header and rows of cells, so that one cell can be replaced.
struct Table {
    header: &'static str,
    rows: Vec<Vec<&'static str>>,
}

impl Table {
    fn new(text: &'static str) -> Self {
        let mut lines = text.lines();
        let header = lines.next().expect("a header");
        let rows = lines.map(|l| l.split(',').collect()).collect();
        Table { header, rows }
    }

    /// The numeric columns: every column but the ids, kinds, SKUs and levels.
    fn numeric(&self) -> Vec<usize> {
        let text = ["node_id", "kind", "sku", "order_id", "service_level"];
        self.header
            .split(',')
            .enumerate()
            .filter(|(_, name)| !text.contains(name))
            .map(|(i, _)| i)
            .collect()
    }

    fn render(&self, edits: &[(usize, usize, &str)]) -> String {
        let mut out = format!("{}\n", self.header);
        for (r, row) in self.rows.iter().enumerate() {
            let cells: Vec<&str> = row
                .iter()
                .enumerate()
                .map(|(c, &cell)| {
                    edits
                        .iter()
                        .rev()
                        .find(|e| e.0 == r && e.1 == c)
                        .map_or(cell, |e| e.2)
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

fn nodes() -> Table {
    Table::new(
        "node_id,lat,lon,kind,capacity_units,capacity_shipments,max_km_standard,handling_days,fixed_cents,per_km_cents,per_unit_cents,margin_bps,acceptance_rate,priority
W1,28.61,77.21,warehouse,1000,100,3000,1,500,2,10,,,0
D1,28.55,77.15,dealer,1000,100,3000,0,300,3,5,800,0.9,1
S1,19.07,72.88,store,1000,100,3000,1,400,4,8,,,-1",
    )
}

fn stock() -> Table {
    Table::new(
        "node_id,sku,qty,reserved,safety_stock
W1,TEE,50,0,0
D1,TEE,20,1,0
D1,CAP,5,0,0
S1,CAP,30,0,1",
    )
}

fn orders() -> Table {
    Table::new(
        "order_id,sku,qty,dest_lat,dest_lon,line_no,unit_price_cents,priority,max_shipments,service_level
O1,TEE,2,28.60,77.20,1,1500,0,2,standard
O1,CAP,1,28.60,77.20,2,900,0,2,standard
O2,TEE,3,19.10,72.90,1,1500,1,1,standard
O3,CAP,4,28.50,77.10,1,,0,3,standard",
    )
}

/// The policy's numeric keys as (table, key, base value); `sla = "soft"` so lateness is priced.
const POLICY: &[(&str, &str, &str)] = &[
    ("costs", "unfilled_per_unit_cents", "3000"),
    ("costs", "split_penalty_cents", "100"),
    ("costs", "lateness_per_day_cents", "1000"),
    ("costs", "priority_step_cents", "10"),
    ("split", "max_shipments", "3"),
    ("dealers", "max_rejections", "3"),
    ("dealers", "cool_down_hours", "24"),
    ("dealers", "acceptance_timeout_s", "900"),
    ("dealers", "cool_down_after", "3"),
    ("dealers", "reject_cost_cents", "100"),
    ("dealers", "delay_cost_per_hour_cents", "60"),
    ("dealers", "outside_territory_cents", "50"),
    ("levels.standard", "deadline_days", "2"),
    ("levels.standard", "per_km_cents", "1.5"),
    ("kinds.warehouse", "fixed_cents", "500"),
    ("kinds.warehouse", "per_km_cents", "2"),
    ("kinds.warehouse", "per_unit_cents", "10"),
    ("kinds.warehouse", "handling_days", "1"),
    ("kinds.warehouse", "safety_stock", "0"),
    ("kinds.warehouse", "capacity_units", "5000"),
    ("kinds.warehouse", "capacity_shipments", "100"),
];

fn policy(edits: &[(usize, &str)]) -> String {
    let mut out = String::from("sla = \"soft\"\n");
    let mut table = "";
    for (i, &(t, key, base)) in POLICY.iter().enumerate() {
        if t != table {
            writeln!(out, "[{t}]").expect("a String takes any text");
            table = t;
        }
        let value = edits.iter().rev().find(|e| e.0 == i).map_or(base, |e| e.1);
        // A float keeps its spelling in TOML (`nan`, `inf`, `1e308`); an empty cell leaves
        // the key out.
        let value = match value {
            "" => continue,
            "NaN" => "nan",
            v => v,
        };
        writeln!(out, "{key} = {value}").expect("a String takes any text");
    }
    out
}

/// Loads the files; when they are accepted routes them and checks the plan.
fn judge(nodes: &str, stock: &str, orders: &str, policy: &str) -> Result<(), String> {
    let loaded = Inputs::load(
        &Source::text("nodes.csv", nodes).into(),
        &Source::text("stock.csv", stock).into(),
        Some(&Source::text("orders.csv", orders).into()),
        &[Source::text("policy.toml", policy)],
    );
    let inputs = match loaded {
        Err(e) => {
            let problems = e.problems();
            let coded = problems.iter().all(|p| {
                p.code.len() == 5 && p.code.starts_with('E') && p.code[1..].parse::<u16>().is_ok()
            });
            return if !problems.is_empty() && coded {
                Ok(())
            } else {
                Err(format!("rejected without a code: {problems:?}"))
            };
        }
        Ok(inputs) => inputs,
    };
    let now = "2026-11-26T04:00:00Z".parse().expect("a time");
    let router = Router::versioned(
        std::sync::Arc::clone(&inputs.network),
        &inputs.policies.versions,
    );
    let plan = router.route_sequential(
        &inputs.orders,
        &router.stock_table(inputs.routable_positions()),
        now,
    );
    // Only a negative node priority (with a positive priority step) may lower a cost.
    let negative = |c: &CostBreakdown| {
        let terms = [
            c.fixed_cents,
            c.distance_cents,
            c.handling_cents,
            c.margin_cents,
            c.split_penalty_cents,
            c.lateness_cents,
            c.unfilled_cents,
        ];
        terms.iter().any(|&t| t < 0) || c.total_cents() - c.priority_cents < 0
    };
    for (order, d) in inputs.orders.iter().zip(&plan.decisions) {
        if negative(&d.cost) || d.shipments.iter().any(|s| negative(&s.cost)) {
            return Err(format!("order {} costs {:?}", order.id, d.cost));
        }
    }
    // The checker takes off the policy's safety stock itself.
    let stock = StockTable::from_positions(inputs.routable_positions());
    let violations = check(
        &plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policies.versions,
        &stock,
        now,
    );
    if violations.is_empty() {
        Ok(())
    } else {
        Err(format!("{violations:?}"))
    }
}

/// Every input with the cells in `edits` replaced: (file, row, column, value); file 3 is the
/// policy (row unused, column = key).
fn judge_edits(edits: &[(usize, usize, usize, &str)]) -> Result<(), String> {
    let of = |f: usize| -> Vec<(usize, usize, &str)> {
        edits
            .iter()
            .filter(|e| e.0 == f)
            .map(|e| (e.1, e.2, e.3))
            .collect()
    };
    let keys: Vec<(usize, &str)> = of(3).into_iter().map(|(_, k, v)| (k, v)).collect();
    judge(
        &nodes().render(&of(0)),
        &stock().render(&of(1)),
        &orders().render(&of(2)),
        &policy(&keys),
    )
}

/// Every numeric cell of each file as (file, row, column).
fn cells() -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (f, table) in [nodes(), stock(), orders()].iter().enumerate() {
        for r in 0..table.rows.len() {
            out.extend(table.numeric().into_iter().map(|c| (f, r, c)));
        }
    }
    out.extend((0..POLICY.len()).map(|k| (3, 0, k)));
    out
}

#[test]
fn the_base_inputs_route_cleanly() {
    judge_edits(&[]).unwrap();
    let plan_ships = Inputs::load(
        &Source::text("nodes.csv", nodes().render(&[])).into(),
        &Source::text("stock.csv", stock().render(&[])).into(),
        Some(&Source::text("orders.csv", orders().render(&[])).into()),
        &[Source::text("policy.toml", policy(&[]))],
    )
    .unwrap();
    assert_eq!(plan_ships.orders.len(), 3);
}

#[test]
fn every_extreme_in_every_numeric_field_alone() {
    for (f, r, c) in cells() {
        for &v in EXTREMES {
            if let Err(e) = judge_edits(&[(f, r, c, v)]) {
                panic!("file {f} row {r} column {c} = {v:?}: {e}");
            }
        }
    }
}

/// The cells whose column or key is money, a quantity, a margin or a priority.
fn money_and_quantity_cells() -> Vec<(usize, usize, usize)> {
    let tables = [nodes(), stock(), orders()];
    let words = [
        "cents", "qty", "capacity", "margin", "priority", "reserved", "safety",
    ];
    cells()
        .into_iter()
        .filter(|&(f, _, c)| {
            let name = match tables.get(f) {
                Some(t) => t.header.split(',').nth(c).expect("a column"),
                None => POLICY[c].1,
            };
            words.iter().any(|w| name.contains(w))
        })
        .collect()
}

/// [`judge_edits`] of `values[v]` in `cells[cell]` for each pick `(cell, v)`.
fn together(
    picks: &[(usize, usize)],
    cells: &[(usize, usize, usize)],
    values: &[&'static str],
) -> Result<(), TestCaseError> {
    let edits: Vec<(usize, usize, usize, &str)> = picks
        .iter()
        .map(|&(cell, v)| {
            let (f, r, c) = cells[cell % cells.len()];
            (f, r, c, values[v % values.len()])
        })
        .collect();
    let judged = judge_edits(&edits);
    prop_assert!(judged.is_ok(), "{edits:?}: {judged:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Several extremes at once: the limits hold for sums, not only for one term.
    #[test]
    fn extremes_together(picks in proptest::collection::vec((0..1000usize, 0..1000usize), 1..8)) {
        together(&picks, &cells(), EXTREMES)?;
    }

    /// Many money and quantity fields at their limits at once: most of these inputs are
    /// accepted and routed.
    #[test]
    fn limits_together(picks in proptest::collection::vec((0..1000usize, 0..1000usize), 1..24)) {
        together(&picks, &money_and_quantity_cells(), AT_LIMITS)?;
    }
}
