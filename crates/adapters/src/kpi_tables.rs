//! Two sets of key figures side by side (`omniroute_core::kpi_diff`) as the tables `simulate`
//! and `position` print: aligned text for people (without the per-node rows) or CSV (every
//! row, empty cells where a value is undefined).

use omniroute_core::KpiDiff;
use std::fmt::Write as _;

/// A value as its unit reads.
fn show(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "n/a".to_owned(),
        Some(x) => match unit {
            "ratio" => format!("{:.2} %", x * 100.0),
            "cents" | "km" => format!("{x:.2}"),
            _ => format!("{x:.0}"),
        },
    }
}

fn show_delta(d: &KpiDiff) -> String {
    match (d.delta(), d.unit) {
        (None, _) => "n/a".to_owned(),
        (Some(x), "ratio") => format!("{:+.2} pp", x * 100.0),
        (Some(x), "cents" | "km") => format!("{x:+.2}"),
        (Some(x), _) => format!("{x:+.0}"),
    }
}

/// The figures without the per-node rows, aligned; money in currency units.
pub fn kpi_text_table(diff: &[KpiDiff], against: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<40} {:>16} {:>16} {:>16}",
        "figure",
        "A",
        if against { "B" } else { "" },
        if against { "B − A" } else { "" }
    );
    for d in diff.iter().filter(|d| !d.name.starts_with("node_")) {
        let label = if d.key.is_empty() {
            d.name.to_owned()
        } else {
            format!("{} · {}", d.name, d.key)
        };
        let (b, delta) = if against {
            (show(d.b, d.unit), show_delta(d))
        } else {
            (String::new(), String::new())
        };
        let _ = writeln!(
            s,
            "{label:<40} {:>16} {b:>16} {delta:>16}",
            show(d.a, d.unit)
        );
    }
    s.lines()
        .map(str::trim_end)
        .fold(String::new(), |mut out, l| {
            out.push_str(l);
            out.push('\n');
            out
        })
}

/// A CSV cell, quoted when it holds a comma, a quote or a line end.
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Every row as CSV (empty cells where a value is undefined).
pub fn kpi_csv_table(diff: &[KpiDiff]) -> String {
    let cell = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    let mut s = String::from("name,key,unit,a,b,delta\n");
    for d in diff {
        let key = csv_cell(&d.key);
        let _ = writeln!(
            s,
            "{},{key},{},{},{},{}",
            d.name,
            d.unit,
            cell(d.a),
            cell(d.b),
            cell(d.delta())
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn values_read_in_their_units() {
        assert_eq!(show(None, "ratio"), "n/a");
        assert_eq!(show(Some(0.12345), "ratio"), "12.35 %");
        assert_eq!(show(Some(3.0), "cents"), "3.00");
        assert_eq!(show(Some(7.4), "orders"), "7");
    }
}
