#!/usr/bin/env bash
# Loading, omniroute vs pyarrow (docs/design.md §9, "CSV readers at least as fast as
# pyarrow.csv.read_csv"), on ONE generated instance in the same run: the wall and CPU time of
# `omniroute validate` (read and check nodes.csv, stock.csv and orders.csv, every problem code
# kept) against `pyarrow.csv.read_csv` of the same three files (no checks), best of --runs each,
# and the ratio. Then the same for Parquet: the three files written as Parquet by pyarrow (as a
# user would: `pq.write_table(pacsv.read_csv(f), ...)`, Snappy, typed columns), `omniroute
# validate` of them against `pyarrow.parquet.read_table`.
#
#   benches/compare/load.sh [--orders N] [--runs R] [--base BIN]
#
#   --orders N  orders in the instance (default 20000; the stock file is ~1.44 M rows either way)
#   --runs R    runs of each side, alternating; the best is reported (default 5)
#   --base BIN  also time `BIN validate` (another build, e.g. main's) in the same loop
#
# Needs cargo and python3.11; creates (or reuses) benches/compare/.venv with the pinned
# requirements.txt. A benchmark, not a test: scripts/test does not run it.
set -euo pipefail

orders=20000
runs=5
base=
while [ $# -gt 0 ]; do
    case "$1" in
        --orders) orders="${2:?--orders needs a number}"; shift 2 ;;
        --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
        --base) base="${2:?--base needs a binary}"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "load.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$orders" in ''|*[!0-9]*|0) echo "load.sh: --orders must be a positive integer" >&2; exit 2 ;; esac
case "$runs" in ''|*[!0-9]*|0) echo "load.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

python="${PYTHON:-python3.11}"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv" >&2
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

echo "== cargo build --release -p omniroute-cli" >&2
cargo build --release -p omniroute-cli
bin="${CARGO_TARGET_DIR:-$root/target}/release/omniroute"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/omniroute-load.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
"$bin" gen --out "$tmp" --seed 11 --warehouses 20 --stores 380 --dealers 1600 --skus 20000 \
    --orders "$orders" >&2

"$venv/bin/python" - "$bin" "$tmp" "$runs" "$base" <<'PY'
import os, resource, subprocess, sys, time
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

bin, tmp, runs, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
files = [os.path.join(tmp, f) for f in ("nodes.csv", "stock.csv", "orders.csv")]
parquets = [f[: -len(".csv")] + ".parquet" for f in files]
for f, p in zip(files, parquets):
    pq.write_table(pacsv.read_csv(f), p)

def validate(binary, files=files):
    cmd = [binary, "validate", "--nodes", files[0], "--stock", files[1], "--orders", files[2]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu

def pyarrow(read, files):
    t, c = time.perf_counter(), time.process_time()
    for f in files:
        read(f)
    return time.perf_counter() - t, time.process_time() - c

sides = {
    "omniroute validate": lambda: validate(bin),
    "pyarrow.csv.read_csv": lambda: pyarrow(pacsv.read_csv, files),
    "omniroute parquet": lambda: validate(bin, parquets),
    "pq.read_table": lambda: pyarrow(pq.read_table, parquets),
}
if base:
    sides["base validate"] = lambda: validate(base)
    sides["base parquet"] = lambda: validate(base, parquets)
best = {name: (1e9, 1e9) for name in sides}
failed = set()
for _ in range(runs):
    for name, f in sides.items():
        if name in failed:
            continue
        try:
            wall, cpu = f()
        except subprocess.CalledProcessError:
            # An older build may refuse a typed column (E1202): say so, keep timing the rest.
            failed.add(name)
            continue
        best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
rows = sum(1 for _ in open(files[1])) - 1
print(f"== {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, {os.cpu_count()} cores, "
      f"load average {os.getloadavg()[0]:.2f}, stock.csv {rows} rows, "
      f"{os.path.getsize(files[1]) / 1e6:.1f} MB, best of {runs}")
for name, (wall, cpu) in best.items():
    if name in failed:
        print(f"{name:22} failed (non-zero exit)")
    else:
        print(f"{name:22} wall {wall:6.3f} s   cpu {cpu:6.3f} s")
(ow, oc), (pw, pc) = best["omniroute validate"], best["pyarrow.csv.read_csv"]
print(f"ratio omniroute / pyarrow: wall {ow / pw:.2f}x, cpu {oc / pc:.2f}x")
if base:
    bw, bc = best["base validate"]
    print(f"ratio base / pyarrow: wall {bw / pw:.2f}x, cpu {bc / pc:.2f}x")
(ow, oc), (pw, pc) = best["omniroute parquet"], best["pq.read_table"]
print(f"parquet, omniroute / pyarrow: wall {ow / pw:.2f}x, cpu {oc / pc:.2f}x")
if base and "base parquet" not in failed:
    bw, bc = best["base parquet"]
    print(f"parquet, base / pyarrow: wall {bw / pw:.2f}x, cpu {bc / pc:.2f}x")
PY
