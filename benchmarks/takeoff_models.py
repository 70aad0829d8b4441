"""Benchmark: the vectorised Davidson-Houlden batch vs a plain per-draw Python loop of the recursion.

Same 10^5 draws of the davidson-houlden-2025 config (seed 1) for both; the loop is the
recursion written out with ``math`` (log doubling time += ln2 p (1/r_i - 1), time += exp),
one draw at a time, stopping when software stops. The script checks that both give
bit-identical dates and prints draws/s and the ratio, in one run, on one thread
(``scheduler`` is not involved: both run in this process).

Reproduce (from the repository root):

    .venv/bin/python benchmarks/takeoff_models.py                 # 10^5 draws, the full loop
    .venv/bin/python benchmarks/takeoff_models.py --loop-draws 20000   # loop on a subset (rate scaled)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from aiprogress.takeoff.config import load_config  # noqa: E402
from aiprogress.takeoff.models import get_model  # noqa: E402
from aiprogress.takeoff.montecarlo import sample_parameters  # noqa: E402

LN2 = math.log(2.0)


def plain_loop(f, r, p, dist, months, per_year, cap):
    """One draw: dates T_0..T_cap of the D&H recursion (inf once software has stopped)."""
    d = dist * per_year
    # ln2 e_j = ln2 p (1/r_j - 1) with r_j = r (D - j) / D: cd / (D - j) - c2, cd = ln2 p D / r, c2 = ln2 p
    c2 = LN2 * p
    cd = (c2 / r) * d
    logdt = math.log(months / 12.0 / f)
    t = 0.0
    out = [0.0]
    for k in range(cap):
        if k > 0:
            dj = d - (k - 1)
            if dj <= 0:
                out.extend([math.inf] * (cap - k))
                break
            logdt = logdt + (cd / dj - c2)
        try:
            t = t + math.exp(logdt)
        except OverflowError:
            t = math.inf
        out.append(t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--loop-draws", type=int, default=None, help="draws for the loop (default: all)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    cfg = load_config("davidson-houlden-2025")
    model = get_model(cfg.model)
    s = {k: np.ascontiguousarray(np.broadcast_to(v, (args.draws,))) for k, v in
         sample_parameters(cfg, args.draws, args.seed).items()}

    model.simulate_batch({k: v[:1000] for k, v in s.items()})  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    batch = model.simulate_batch(s)
    vec_s, vec_cpu = time.perf_counter() - t0, time.process_time() - c0

    n_loop = args.loop_draws or args.draws
    cap = batch.log2_software.size - 1
    t0, c0 = time.perf_counter(), time.process_time()
    rows = [plain_loop(s["f"][i], s["r"][i], s["p"][i], s["distance_years"][i], s["recent_doubling_months"][i],
                       s["doublings_per_year"][i], cap) for i in range(n_loop)]
    loop_s, loop_cpu = time.perf_counter() - t0, time.process_time() - c0
    identical = bool(np.array_equal(np.asarray(rows), batch.time_years[:n_loop]))
    vec_rate = args.draws / vec_s
    loop_rate = n_loop / loop_s
    print(json.dumps({
        "draws": args.draws, "loop_draws": n_loop, "levels": int(cap + 1),
        "vectorised_s": round(vec_s, 3), "loop_s": round(loop_s, 3),
        "vectorised_draws_per_s": round(vec_rate), "loop_draws_per_s": round(loop_rate),
        "speedup": round(vec_rate / loop_rate, 1), "bit_identical": identical,
        # CPU time of this process: less sensitive than wall time to other jobs on a shared machine
        "vectorised_cpu_s": round(vec_cpu, 3), "loop_cpu_s": round(loop_cpu, 3),
        "speedup_cpu": round((args.draws / vec_cpu) / (n_loop / loop_cpu), 1),
        "threads": "1 (OPENBLAS/OMP/MKL_NUM_THREADS=1; NumPy elementwise kernels are single-threaded)",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))
    print("BENCH " + json.dumps({"name": "takeoff_models",
                                 "ratios": {"vs plain per-draw Python loop": round(loop_rate / vec_rate, 5)},
                                 "met": bool(identical and vec_rate / loop_rate >= 100)}))


if __name__ == "__main__":
    main()
