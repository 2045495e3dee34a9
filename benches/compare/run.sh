#!/usr/bin/env bash
# omniroute vs a pandas + scikit-learn BallTree nearest-k greedy (docs/design.md §9), on ONE generated
# instance, in the same run: throughput (orders/s), total cost (cents, omniroute's default-policy
# objective), fill rate, and the ratios.
#
#   benches/compare/run.sh [--orders N] [--country CC[,CC…]] [--scale S] [--k K] [--keep]
#
#   --orders N       orders in the instance (default 100000)
#   --country CCs    places of these countries (`omniroute gen --country`; default IN)
#   --scale S        S times the 2,000 nodes (default 1); the world network of benches/README.md
#                    is --country US,CA,MX,BR,AR,CL,CO,GB,FR,DE,ES,IT,PL,SE,TR,EG,NG,ZA,KE,IN,CN,JP,ID,AU --scale 10
#   --k K            nearest nodes the greedy considers per order (default 20)
#   --keep           keep the instance and both decisions files (the folder is printed)
#
# Needs cargo and python3.11; creates (or reuses) benches/compare/.venv with the pinned
# requirements.txt. A benchmark, not a test: scripts/test does not run it.
set -euo pipefail

orders=100000
country=IN
scale=1
k=20
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --orders) orders="${2:?--orders needs a number}"; shift 2 ;;
        --country) country="${2:?--country needs ISO codes}"; shift 2 ;;
        --scale) scale="${2:?--scale needs a number}"; shift 2 ;;
        --k) k="${2:?--k needs a number}"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$orders" in ''|*[!0-9]*|0) echo "run.sh: --orders must be a positive integer" >&2; exit 2 ;; esac
case "$scale" in ''|*[!0-9]*|0) echo "run.sh: --scale must be a positive integer" >&2; exit 2 ;; esac
case "$k" in ''|*[!0-9]*|0) echo "run.sh: --k must be a positive integer" >&2; exit 2 ;; esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

python="${PYTHON:-python3.11}"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv" >&2
    "$python" -m venv "$venv"
fi
echo "== pip install -r benches/compare/requirements.txt" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

echo "== cargo build --release -p omniroute-cli" >&2
cargo build --release -p omniroute-cli
bin="${CARGO_TARGET_DIR:-$root/target}/release/omniroute"
[ -x "$bin" ] || { echo "run.sh: no binary at $bin" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/omniroute-compare.XXXXXX")"
if [ "$keep" = 1 ]; then
    echo "== keeping $tmp" >&2
else
    trap 'rm -rf "$tmp"' EXIT
fi

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

wh=$((20 * scale)) st=$((380 * scale)) de=$((1600 * scale))
echo "== generating: seed 11, $country, $wh warehouses, $st stores, $de dealers, 20000 SKUs, $orders orders" >&2
"$bin" gen --out "$tmp" --seed 11 --country "$country" --warehouses "$wh" --stores "$st" \
    --dealers "$de" --skus 20000 --orders "$orders"

echo "== omniroute route" >&2
t0="$(now)"
rc=0
"$bin" -v route --nodes "$tmp/nodes.csv" --stock "$tmp/stock.csv" --orders "$tmp/orders.csv" \
    --now 2026-11-26T12:00:00Z --out "$tmp/omniroute.csv" --no-progress \
    2> "$tmp/omniroute.log" || rc=$?
t1="$(now)"
cat "$tmp/omniroute.log" >&2
# Exit 1 only means some lines are unfilled (they carry reasons); anything else is a failure.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "run.sh: omniroute route failed with exit code $rc" >&2
    exit 1
fi
omniroute_wall="$(secs "$t0" "$t1")"

echo "== greedy.py (pandas + scikit-learn BallTree, k=$k)" >&2
t0="$(now)"
"$venv/bin/python" "$here/greedy.py" --nodes "$tmp/nodes.csv" --stock "$tmp/stock.csv" \
    --orders "$tmp/orders.csv" --k "$k" --out "$tmp/greedy.csv" > "$tmp/greedy.json"
t1="$(now)"
greedy_wall="$(secs "$t0" "$t1")"

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$venv/bin/python" "$here/report.py" --decisions "$tmp/omniroute.csv" \
    --omniroute-log "$tmp/omniroute.log" --omniroute-wall "$omniroute_wall" \
    --greedy-json "$tmp/greedy.json" --greedy-wall "$greedy_wall"
