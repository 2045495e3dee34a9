//! OR-Library and Yagiura GAP instances solved by omniroute's assignment core (docs/design.md §5, §9).
//!
//! Run: `cargo bench -p omniroute-benches --bench orlib_gap`. Reads every problem in
//! `benches/data/orlib-gap/orlib` (vendored: gap1–12 and types A–D) and, where the folder holds
//! one, `yagiura/` (the larger C/D/E problems, 11 MB, not vendored: point `$ORLIB_GAP_DIR` at a
//! full copy, see `benches/data/orlib-gap/SOURCES.md`), solves it as minimisation,
//! checks the plan with the independent `evaluate_assignment`, and prints value, best-known
//! (`best-known.csv`, `min` rows), gap %, lower bound and time per problem plus a summary per family.
//!
//! Environment: `GAP_TIME_LIMIT` seconds per problem (default 2 for gap1–12, 9.5 otherwise, so
//! that a problem with its last moves after the deadline still takes under 10 s),
//! `GAP_FILTER` a substring of the problem names to run, `GAP_THREADS` parallel search runs
//! (default: rayon's thread count), `GAP_SEED` (default 1).

use omniroute_core::{evaluate_assignment, solve_assignment, AssignmentProblem, SolveOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One problem read from a file.
struct Instance {
    name: String,
    family: &'static str,
    problem: AssignmentProblem,
}

fn main() {
    let dir = std::env::var_os("ORLIB_GAP_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("data/orlib-gap"),
        PathBuf::from,
    );
    let filter = std::env::var("GAP_FILTER").unwrap_or_default();
    let limit: Option<f64> = std::env::var("GAP_TIME_LIMIT")
        .ok()
        .and_then(|s| s.parse().ok());
    let threads: Option<usize> = std::env::var("GAP_THREADS")
        .ok()
        .and_then(|s| s.parse().ok());
    let seed: u64 = std::env::var("GAP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let (names, best) = read_best_known(&dir.join("best-known.csv"));
    let instances = read_all(&dir, &names);
    println!(
        "{:<10} {:>8} {:>8} {:>7} {:>8} {:>7} {:>7} {:>9}",
        "problem", "value", "best", "gap%", "bound", "bgap%", "time_s", "moves"
    );
    // family -> (count, at best-known, sum gap %, max gap %, total s)
    let mut summary: BTreeMap<&str, (u32, u32, f64, f64, f64)> = BTreeMap::new();
    for inst in instances.iter().filter(|i| i.name.contains(&filter)) {
        let secs = limit.unwrap_or(if inst.family == "gap1-12" { 2.0 } else { 9.5 });
        let opts = SolveOptions {
            time_limit: Duration::from_secs_f64(secs),
            iteration_limit: None,
            seed,
            threads,
            start: None,
        };
        let sol = solve_assignment(&inst.problem, &opts);
        let checked = evaluate_assignment(&inst.problem, &sol.choice);
        assert!(
            !sol.feasible || checked == Ok(sol.cost),
            "{}: checker disagrees: {checked:?}",
            inst.name
        );
        let bk = best.get(&inst.name).copied();
        let gap = match (sol.feasible, bk) {
            (true, Some(b)) => 100.0 * (sol.cost - b) as f64 / b as f64,
            _ => f64::INFINITY,
        };
        let t = sol.elapsed.as_secs_f64();
        println!(
            "{:<10} {:>8} {:>8} {:>7.3} {:>8} {:>7.3} {:>7.2} {:>9}{}",
            inst.name,
            sol.cost,
            bk.map_or_else(|| "?".into(), |b| b.to_string()),
            gap,
            sol.lower_bound,
            100.0 * sol.gap,
            t,
            sol.iterations,
            if sol.feasible { "" } else { "  INFEASIBLE" }
        );
        let e = summary.entry(inst.family).or_default();
        e.0 += 1;
        e.1 += u32::from(gap <= 0.0);
        e.2 += gap;
        e.3 = e.3.max(gap);
        e.4 += t;
    }
    println!(
        "\n{:<10} {:>5} {:>8} {:>9} {:>8} {:>8}",
        "family", "count", "at_best", "mean_gap%", "max_gap%", "total_s"
    );
    for (family, (n, at, sum, max, t)) in summary {
        println!(
            "{family:<10} {n:>5} {at:>8} {:>9.3} {max:>8.3} {t:>8.1}",
            sum / f64::from(n)
        );
    }
}

/// `min` rows of best-known.csv: (file, index) -> instance name, and name -> best-known value.
fn read_best_known(path: &Path) -> (BTreeMap<(String, usize), String>, BTreeMap<String, i64>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut names, mut best) = (BTreeMap::new(), BTreeMap::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 7 || f[4] != "min" {
            continue;
        }
        let value: i64 = f[1].parse().expect("best_known is an integer");
        let index: usize = f[6].parse().expect("index is an integer");
        names.insert((f[5].to_string(), index), f[0].to_string());
        best.insert(f[0].to_string(), value);
    }
    (names, best)
}

/// Every problem of `orlib/*.txt` (leading count) and `yagiura/*.txt` (one problem each); a
/// missing `yagiura/` (the vendored copy has none) is skipped with a note.
fn read_all(dir: &Path, names: &BTreeMap<(String, usize), String>) -> Vec<Instance> {
    let mut out = Vec::new();
    for sub in ["orlib", "yagiura"] {
        if sub == "yagiura" && !dir.join(sub).is_dir() {
            eprintln!(
                "note: no {}/yagiura: the Yagiura C/D/E problems are skipped (set ORLIB_GAP_DIR to a full copy)",
                dir.display()
            );
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .unwrap_or_else(|e| panic!("{}/{sub}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort_by_key(|p| sort_key(p));
        for path in files {
            let text = std::fs::read_to_string(&path).expect("instance file");
            let mut nums = text
                .split_ascii_whitespace()
                .map(|t| t.parse::<i64>().expect("integer"));
            let count = if sub == "orlib" {
                nums.next().expect("problem count") as usize
            } else {
                1
            };
            let file = format!("{sub}/{}", path.file_name().unwrap().to_string_lossy());
            for index in 1..=count {
                let problem = read_problem(&mut nums);
                let name = names
                    .get(&(file.clone(), index))
                    .cloned()
                    .unwrap_or_else(|| format!("{file}#{index}"));
                out.push(Instance {
                    family: family(&file),
                    name,
                    problem,
                });
            }
        }
    }
    out
}

/// gap1 … gap12 in numeric order, then the rest by name.
fn sort_key(p: &Path) -> (u32, String) {
    let stem = p.file_stem().unwrap().to_string_lossy().to_string();
    let num = stem
        .strip_prefix("gap")
        .and_then(|s| s.parse().ok())
        .unwrap_or(u32::MAX);
    (num, stem)
}

/// `m n`, cost m×n, amount m×n, capacity m.
fn read_problem(nums: &mut impl Iterator<Item = i64>) -> AssignmentProblem {
    let mut next = || nums.next().expect("truncated instance");
    let (m, n) = (next() as usize, next() as usize);
    let cost: Vec<Vec<i64>> = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
    let amount: Vec<Vec<u64>> = (0..m)
        .map(|_| (0..n).map(|_| next() as u64).collect())
        .collect();
    let capacity: Vec<u64> = (0..m).map(|_| next() as u64).collect();
    AssignmentProblem::classic_gap(&cost, &amount, &capacity).expect("well-formed instance")
}

/// The summary family of a problem, from its file (`orlib/gap7.txt`, `yagiura/d20400.txt`).
fn family(file: &str) -> &'static str {
    let stem = file.rsplit('/').next().unwrap_or(file);
    match (
        file.starts_with("orlib/"),
        stem.as_bytes().get(3),
        stem.as_bytes().first(),
    ) {
        (true, Some(b'0'..=b'9'), _) => "gap1-12",
        (true, _, _) => "A-D",
        (false, _, Some(b'c')) => "Yagiura C",
        (false, _, Some(b'd')) => "Yagiura D",
        (false, _, Some(b'e')) => "Yagiura E",
        _ => "other",
    }
}
