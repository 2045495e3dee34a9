"""The naive baseline: a nearest-k greedy router written the way an OMS team would with pandas and
scikit-learn, priced with omniroute's default-policy objective so the two total costs compare.

Routing (per order, in arrival order, against the stock left by earlier orders):

1. One batch ``BallTree(metric="haversine")`` query up front gives every order's K nearest active
   nodes (K = 20 by default, ``--k``), nearest first.
2. The nearest of those K nodes that has routable stock >= qty for *every* line ships the whole
   order (one shipment).
3. If none can, each line goes to the nearest of the K nodes that has it (one shipment per
   distinct node used); a line that none of the K holds is unfilled.
4. Stock is decremented as it goes, in a dict keyed by (node, sku).

What it ignores, on purpose (it is the naive baseline): reach per service level, the delivery
promise / SLA (cut-off, handling days, calendars, deadlines), daily capacity in units and
shipments, split rules (``allow_split``, ``max_shipments``) and cost: it never compares a near
node with a cheaper far one, and looks no further than K nodes. What it honours: ``active``
(inactive nodes are dropped) and routable stock = qty - reserved - safety_stock.

Because it ignores every hard rule, its total cost is an optimistic (low) estimate for a greedy
that would have to honour them; omniroute, which honours them all, may leave more lines unfilled.

Pricing: exactly the objective of omniroute's default policy (docs/design.md §3), with the per-node
overrides of nodes.csv that omniroute itself applies (``fixed_cents``, ``per_km_cents``), i.e.
per shipment ``fixed (500) + round_half_up(per_km (0.5) x km)`` (haversine, R = 6371.0088 km,
destination to node), no per-unit cost, no split penalty; dealer margin
``round_half_up(margin_bps x qty x unit_price_cents / 10000)`` per shipped dealer line; 3000 cents
per unfilled unit.

Prints one JSON object (figures and phase timings) on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.neighbors import BallTree

EARTH_RADIUS_KM = 6371.0088
DEFAULT_FIXED_CENTS = 500
DEFAULT_PER_KM_CENTS = 0.5
UNFILLED_PER_UNIT_CENTS = 3000


def haversine_km(lat1, lon1, lat2, lon2):
    """omniroute's formula (crates/core/src/geo.rs), vectorised; degrees in, km out."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2 - lon1)
    h = np.sin(dlat / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(h), 1.0))


def col(df: pd.DataFrame, name: str, default):
    """A column with empty cells (or a missing column) taking a default."""
    if name in df.columns:
        return df[name].fillna(default)
    return pd.Series(default, index=df.index)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", required=True)
    ap.add_argument("--stock", required=True)
    ap.add_argument("--orders", required=True)
    ap.add_argument("--k", type=int, default=20, help="nearest nodes considered per order")
    ap.add_argument("--out", help="write the greedy's decisions (order_id,line_no,sku,qty,node_id)")
    args = ap.parse_args()
    timings: dict[str, float] = {}
    t = time.perf_counter()

    # --- load ---------------------------------------------------------------------------------
    nodes = pd.read_csv(args.nodes, dtype={"node_id": str, "kind": str, "active": str})
    stock = pd.read_csv(args.stock, dtype={"node_id": str, "sku": str})
    orders = pd.read_csv(args.orders, dtype={"order_id": str, "sku": str})
    timings["load_s"] = time.perf_counter() - t
    t = time.perf_counter()

    # --- prepare: active nodes, routable stock dict, BallTree ----------------------------------
    active = col(nodes, "active", "true").str.strip().str.lower().isin(["true", "1", "yes"])
    nodes = nodes[active].reset_index(drop=True)
    node_ids = nodes["node_id"].to_numpy()
    node_lat = nodes["lat"].to_numpy(float)
    node_lon = nodes["lon"].to_numpy(float)
    fixed = col(nodes, "fixed_cents", DEFAULT_FIXED_CENTS).to_numpy(np.int64)
    per_km = col(nodes, "per_km_cents", DEFAULT_PER_KM_CENTS).to_numpy(float)
    is_dealer = col(nodes, "kind", "store").str.lower().eq("dealer").to_numpy()
    margin_bps = np.where(is_dealer, col(nodes, "margin_bps", 0).to_numpy(np.int64), 0)

    node_pos = pd.Index(node_ids)
    qty_col = "qty" if "qty" in stock.columns else "on_hand"
    routable = (
        stock[qty_col] - col(stock, "reserved", 0) - col(stock, "safety_stock", 0)
    ).clip(lower=0)
    skus = pd.Index(pd.concat([stock["sku"], orders["sku"]]).unique())
    s_node = node_pos.get_indexer(stock["node_id"])
    keep = (s_node >= 0) & (routable.to_numpy() > 0)
    s_sku = skus.get_indexer(stock["sku"])
    stock_left: dict[tuple[int, int], int] = dict(
        zip(
            zip(s_node[keep].tolist(), s_sku[keep].tolist()),
            routable.to_numpy(np.int64)[keep].tolist(),
        )
    )

    tree = BallTree(np.radians(np.column_stack([node_lat, node_lon])), metric="haversine")

    order_code, order_ids = pd.factorize(orders["order_id"], sort=False)
    starts = np.flatnonzero(np.r_[True, order_code[1:] != order_code[:-1]])
    if len(starts) != len(order_ids):
        print("orders.csv: the lines of an order are not contiguous", file=sys.stderr)
        return 2
    bounds = np.r_[starts, len(orders)].tolist()
    dest_lat = orders["dest_lat"].to_numpy(float)[starts]
    dest_lon = orders["dest_lon"].to_numpy(float)[starts]
    line_sku = skus.get_indexer(orders["sku"]).tolist()
    line_qty = orders["qty"].astype(np.int64).tolist()
    k = min(args.k, len(nodes))
    timings["prepare_s"] = time.perf_counter() - t
    t = time.perf_counter()

    # --- route: one batch k-nearest query, then the inherently sequential greedy --------------
    _, nearest = tree.query(np.radians(np.column_stack([dest_lat, dest_lon])), k=k)
    nearest = nearest.tolist()
    timings["query_s"] = time.perf_counter() - t
    t = time.perf_counter()

    line_node = [-1] * len(orders)
    get = stock_left.get
    for o, cand in enumerate(nearest):
        a, b = bounds[o], bounds[o + 1]
        whole = -1
        for n in cand:
            if all(get((n, line_sku[i]), 0) >= line_qty[i] for i in range(a, b)):
                whole = n
                break
        if whole >= 0:
            for i in range(a, b):
                stock_left[(whole, line_sku[i])] -= line_qty[i]
                line_node[i] = whole
            continue
        for i in range(a, b):
            key_sku, q = line_sku[i], line_qty[i]
            for n in cand:
                if get((n, key_sku), 0) >= q:
                    stock_left[(n, key_sku)] -= q
                    line_node[i] = n
                    break
    timings["loop_s"] = time.perf_counter() - t
    t = time.perf_counter()

    # --- price with omniroute's default objective ----------------------------------------------
    lines = pd.DataFrame(
        {
            "order": order_code,
            "node": np.asarray(line_node, dtype=np.int64),
            "qty": np.asarray(line_qty, dtype=np.int64),
            "price": col(orders, "unit_price_cents", 0).to_numpy(np.int64),
        }
    )
    shipped = lines[lines["node"] >= 0]
    ships = shipped[["order", "node"]].drop_duplicates()
    o_idx = ships["order"].to_numpy()
    n_idx = ships["node"].to_numpy()
    km = haversine_km(dest_lat[o_idx], dest_lon[o_idx], node_lat[n_idx], node_lon[n_idx])
    distance_cents = np.floor(per_km[n_idx] * km + 0.5).astype(np.int64)
    fixed_cents = fixed[n_idx]
    bps = margin_bps[shipped["node"].to_numpy()]
    margin = (bps * shipped["qty"].to_numpy() * shipped["price"].to_numpy() + 5_000) // 10_000
    unfilled_units = int(lines.loc[lines["node"] < 0, "qty"].sum())
    cost = {
        "fixed_cents": int(fixed_cents.sum()),
        "distance_cents": int(distance_cents.sum()),
        "margin_cents": int(margin.sum()),
        "unfilled_cents": UNFILLED_PER_UNIT_CENTS * unfilled_units,
    }
    per_order_ships = ships.groupby("order").size()
    timings["price_s"] = time.perf_counter() - t
    t = time.perf_counter()

    if args.out:
        out = orders[["order_id"]].copy()
        out["line_no"] = col(orders, "line_no", 0).astype(np.int64)
        out["sku"] = orders["sku"]
        out["qty"] = orders["qty"]
        out["node_id"] = np.where(lines["node"] >= 0, node_ids[lines["node"].clip(lower=0)], "")
        out.to_csv(args.out, index=False)
    timings["write_s"] = time.perf_counter() - t

    units = int(lines["qty"].sum())
    result = {
        "k": k,
        "orders": len(order_ids),
        "lines": len(lines),
        "lines_filled": len(shipped),
        "units_ordered": units,
        "units_filled": units - unfilled_units,
        "fill_rate": (units - unfilled_units) / units if units else 1.0,
        "shipments": len(ships),
        "split_orders": int((per_order_ships > 1).sum()),
        "max_shipments_in_an_order": int(per_order_ships.max()) if len(ships) else 0,
        "distance_km": float(km.sum()),
        "cost": cost,
        "total_cost_cents": sum(cost.values()),
        "timings": timings,
        # Route = the per-order work: the batch k-nearest query plus the greedy loop (excludes
        # reading, building the tree and the stock dict, and pricing: all in the greedy's favour).
        "route_s": timings["query_s"] + timings["loop_s"],
        "versions": {
            "python": sys.version.split()[0],
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "scikit-learn": __import__("sklearn").__version__,
        },
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
