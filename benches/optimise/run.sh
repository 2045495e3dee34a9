#!/usr/bin/env bash
# Which side of optimise mode's gap is weak (issue 20): on the generated comparison instance
# (US places, 2,000 nodes, seed 11), for each batch size, the plan's cost, the Lagrangian bound
# and the LP relaxation of the same option model solved by HiGHS, side by side.
#
#   benches/optimise/run.sh [--orders "2000 20000"] [--seconds 20]
#
# Creates (or reuses) benches/optimise/.venv with highspy and numpy (pinned below). A benchmark,
# not a test: scripts/test does not run it.
set -euo pipefail

orders="2000 20000"
seconds=20
while [ $# -gt 0 ]; do
    case "$1" in
        --orders) orders="${2:?--orders needs a list}"; shift 2 ;;
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3.11}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check highspy==1.15.1 numpy==2.2.6

cargo build --release -p omniroute-benches --example optimise_model
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/optimise_model"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/omniroute-optimise.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
for n in $orders; do
    OPT_ORDERS="$n" OPT_SECONDS="$seconds" "$bin" "$tmp/model-$n.txt" > "$tmp/figures-$n.json"
    "$venv/bin/python" "$here/lp.py" "$tmp/model-$n.txt" "$tmp/figures-$n.json"
done
