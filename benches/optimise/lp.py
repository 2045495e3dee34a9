"""The LP relaxation of optimise mode's option model (written by the `optimise_model` example),
solved with HiGHS: every order picks a convex combination of its options, every resource stays
within capacity. Its optimum is a lower bound on the best plan over *these options* (not over
every plan, unlike the Lagrangian bound of the pricing rounds), so between it and the plan's
cost lies what a better search could still gain, and between the Lagrangian bound and it what
better multipliers or more options could.

    python lp.py MODEL.txt FIGURES.json
"""

import json
import sys
import time

import highspy
import numpy as np


def read_model(path):
    with open(path) as f:
        items, resources = map(int, f.readline().split())
        caps = np.array(f.readline().split(), dtype=np.float64)
        assert len(caps) == resources
        cost, item_of, rows, cols, vals = [], [], [], [], []
        for i in range(items):
            t = f.readline().split()
            k, pos = int(t[0]), 1
            for _ in range(k):
                c, n = int(t[pos]), int(t[pos + 1])
                pos += 2
                j = len(cost)
                cost.append(c)
                item_of.append(i)
                for _ in range(n):
                    rows.append(items + int(t[pos]))
                    cols.append(j)
                    vals.append(float(t[pos + 1]))
                    pos += 2
    return items, caps, np.array(cost, dtype=np.float64), item_of, rows, cols, vals


def solve_lp(items, caps, cost, item_of, rows, cols, vals):
    n = len(cost)
    # Rows: one "exactly one option" row per item, then one capacity row per resource.
    rows = list(item_of) + rows
    cols = list(range(n)) + cols
    vals = [1.0] * n + vals
    order = np.lexsort((np.array(rows), np.array(cols)))
    r, c, v = np.array(rows)[order], np.array(cols)[order], np.array(vals)[order]
    start = np.searchsorted(c, np.arange(n + 1)).astype(np.int32)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = items + len(caps)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.concatenate([np.ones(items), np.full(len(caps), -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.ones(items), caps])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = r.astype(np.int32)
    lp.a_matrix_.value_ = v
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    secs = time.perf_counter() - t
    status = h.modelStatusToString(h.getModelStatus())
    return h.getInfo().objective_function_value, status, secs


def main():
    model, figures = sys.argv[1], sys.argv[2]
    with open(figures) as f:
        fig = json.loads(f.read().strip().splitlines()[-1])
    lp, status, secs = solve_lp(*read_model(model))
    plan, lag = fig["plan"], fig["lagrangian_bound"]
    pct = lambda a, b: 100.0 * (a - b) / a
    print(f"orders {fig['orders']}: {fig['options']} options, {fig['resources']} resources; "
          f"run {fig['seconds']} s (model built in {fig['model_s']} s)")
    print(f"  sequential plan      {fig['sequential']:>14,}")
    print(f"  optimised plan       {plan:>14,}")
    print(f"  LP of the options    {lp:>14,.0f}  ({status}, HiGHS {secs:.1f} s)")
    print(f"  Lagrangian bound     {lag:>14,}")
    print(f"  reported gap (plan vs Lagrangian)  {pct(plan, lag):.3f} %")
    print(f"  plan vs LP of the options          {pct(plan, lp):.3f} %")
    print(f"  LP of the options vs Lagrangian    {pct(lp, lag):.3f} %")


if __name__ == "__main__":
    main()
