#!/usr/bin/env bash
# Frames in, omniroute vs pyarrow (docs/design.md §9, "1 M rows no slower than pyarrow's CSV read
# of them"), in ONE run: `Inventory.from_frame` of a pyarrow table of 1,000,000 stock rows (read
# column by column by the stock.csv reader, every check kept) against `pyarrow.csv.read_csv` of
# the same rows as a CSV file, best of --runs each, wall and CPU time, and the ratio.
#
#   benches/compare/frame.sh [--runs R] [--base DIR]
#
#   --runs R    runs of each side, alternating; the best is reported (default 5)
#   --base DIR  also time another build of the package (DIR holds its `omniroute` folder, e.g.
#               an unpacked wheel of main) in the same loop; then both builds are timed in
#               child processes (the frame read from the same file by each), one call each run
#
# Needs the Python package installed in target/py-venv (scripts/python-test builds it there) or
# the Python named by $PYTHON, with pyarrow. A benchmark, not a test: scripts/test does not run it.
set -euo pipefail

runs=5
base=
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
        --base) base="$(cd "${2:?--base needs a directory}" && pwd)"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "frame.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$runs" in ''|*[!0-9]*|0) echo "frame.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
python="${PYTHON:-$root/target/py-venv/bin/python}"
"$python" -c "import omniroute, pyarrow" || {
    echo "frame.sh: $python cannot import omniroute and pyarrow (run scripts/python-test)" >&2
    exit 2
}
cargo build --release -q -p omniroute-cli
bin="${CARGO_TARGET_DIR:-$root/target}/release/omniroute"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/omniroute-frame.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
"$bin" gen --out "$tmp" --seed 11 --warehouses 20 --stores 380 --dealers 1600 --skus 20000 \
    --orders 10 >&2
head -n 1000001 "$tmp/stock.csv" > "$tmp/stock-1m.csv"

"$python" - "$tmp" "$runs" "$base" <<'PY'
import os, subprocess, sys, time
import pyarrow.csv as pacsv
import omniroute as om

tmp, runs, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
stock = os.path.join(tmp, "stock-1m.csv")
net = om.Network.from_csv(os.path.join(tmp, "nodes.csv"))
table = pacsv.read_csv(stock)

def timed(f):
    t, c = time.perf_counter(), time.process_time()
    f()
    return time.perf_counter() - t, time.process_time() - c

# One from_frame call in a child process whose `omniroute` is found first in `path` (when set).
CHILD = """
import os, sys, time
import pyarrow.csv as pacsv
import omniroute as om
tmp = sys.argv[1]
net = om.Network.from_csv(os.path.join(tmp, "nodes.csv"))
table = pacsv.read_csv(os.path.join(tmp, "stock-1m.csv"))
t, c = time.perf_counter(), time.process_time()
om.Inventory.from_frame(table, net)
print(time.perf_counter() - t, time.process_time() - c)
"""

def child(path):
    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = path + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", CHILD, tmp], env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])

sides = {
    "Inventory.from_frame": (lambda: child(None)) if base else
        (lambda: timed(lambda: om.Inventory.from_frame(table, net))),
    "pyarrow.csv.read_csv": lambda: timed(lambda: pacsv.read_csv(stock)),
}
if base:
    sides["base from_frame"] = lambda: child(base)
best = {name: (1e9, 1e9) for name in sides}
for _ in range(runs):
    for name, f in sides.items():
        wall, cpu = f()
        best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
print(f"== {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, {os.cpu_count()} cores, "
      f"load average {os.getloadavg()[0]:.2f}, {table.num_rows} stock rows, best of {runs}")
for name, (wall, cpu) in best.items():
    print(f"{name:22} wall {wall:6.3f} s   cpu {cpu:6.3f} s")
(fw, fc), (pw, pc) = best["Inventory.from_frame"], best["pyarrow.csv.read_csv"]
print(f"ratio from_frame / read_csv: wall {fw / pw:.2f}x, cpu {fc / pc:.2f}x")
if base:
    bw, bc = best["base from_frame"]
    print(f"ratio base / read_csv: wall {bw / pw:.2f}x, cpu {bc / pc:.2f}x")
PY
