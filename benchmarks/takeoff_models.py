"""Benchmark: the compiled Davidson-Houlden batch vs a plain per-draw Python loop of the recursion.

Same 10^5 draws of the davidson-houlden-2025 config (seed 1) for both; the loop is the
recursion written out with ``math`` (log doubling time += ln2 p (1/r_i - 1), time += exp),
one draw at a time, stopping when software stops. The batch is
``model.simulate_batch`` as users call it (parameter checks, the output array, the
Numba kernel of ``takeoff/dh_kernel.py`` on blocks of draws; compiled, or loaded from
Numba's cache, once before timing: that one-off cost is printed as ``compile_s``). The
script checks that both give bit-identical dates and prints the ratio, in one run: the
batch as it runs by default (blocks of draws on one thread per core) and on one thread,
against the loop on one thread; and a floor, the libm exponentials the recursion needs
(one per doubling, the ``exp`` that ``math.exp`` calls, which bit-identity requires) at
their measured rate in a compiled loop, spread over the batch's threads. Batch times are
the best of ``--repeats`` runs. Before timing, the script touches and frees ``--touch-mb`` of memory
(default 1,024): on a virtual machine the first touch of guest memory the process never used costs
far more than the work (seen here: 0.8 s for the first 104 MB, 0.016 s for the next), and both the
batch's output array and the loop's lists would otherwise pay it in whichever order they run.

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

from aiprogress.takeoff import model_dh  # noqa: E402
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


def literal_loop(f, r, p, dist, months, per_year, cap):
    """One draw, the recursion as the issue writes it: DT_{i+1} = 2**(p (1/r_i - 1)) DT_i, T_{i+1} = T_i + DT_i,
    r_i = r (1 - i/D) -- the loop a user would write from the formulas (other operations than the model's
    log form, so equal to it within rounding, not bit for bit)."""
    d = dist * per_year
    dt = months / 12.0 / f
    t = 0.0
    out = [0.0]
    for i in range(cap):
        t = t + dt
        out.append(t)
        r_i = r * (1.0 - i / d)
        if r_i <= 0:
            out.extend([math.inf] * (cap - i - 1))
            break
        try:
            dt = 2.0 ** (p * (1.0 / r_i - 1.0)) * dt
        except OverflowError:
            dt = math.inf
    return out


def numpy_batch(f, r, p, dist, months, per_year, cap):
    """The simple vectorised baseline: the log form stepped over doublings, each step a NumPy expression over
    all draws (np.exp, which may be a SIMD exp: equal to the loop within rounding)."""
    d = dist * per_year
    c2 = LN2 * p
    cd = (c2 / r) * d
    out = np.empty((cap + 1, f.size))  # level-major, so that each step writes one contiguous row
    out[0] = 0.0
    logdt = np.log(months / 12.0 / f)
    t = np.exp(logdt)
    if cap >= 1:
        out[1] = t
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        for k in range(1, cap):
            dj = d - (k - 1)
            logdt = logdt + (cd / dj - c2)
            t = np.where(dj > 0, t + np.exp(logdt), math.inf)
            out[k + 1] = t
    return out.T


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--loop-draws", type=int, default=None, help="draws for the loop (default: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5, help="batch runs per variant (best wall time kept)")
    ap.add_argument("--touch-mb", type=int, default=1024, help="memory touched and freed before timing (0: none)")
    args = ap.parse_args()
    if args.touch_mb > 0:
        np.ones(args.touch_mb * (1 << 20) // 8).sum()
    cfg = load_config("davidson-houlden-2025")
    model = get_model(cfg.model)
    s = {k: np.ascontiguousarray(np.broadcast_to(v, (args.draws,))) for k, v in
         sample_parameters(cfg, args.draws, args.seed).items()}

    t0 = time.perf_counter()
    model.simulate_batch({k: v[:1000] for k, v in s.items()})  # compile the kernel, or load it from Numba's cache
    compile_s = time.perf_counter() - t0
    workers = model_dh._workers(-(-args.draws // model_dh._COLUMNS))
    vec = _best(lambda: model.simulate_batch(s), args.repeats, min(args.touch_mb, 256))
    batch = vec[2]
    default_workers = model_dh._workers
    model_dh._workers = lambda blocks: 1  # the same batch on one thread
    try:
        one = _best(lambda: model.simulate_batch(s), args.repeats, min(args.touch_mb, 256))
    finally:
        model_dh._workers = default_workers
    same_on_one_thread = bool(np.array_equal(one[2].time_years, batch.time_years))

    n_loop = args.loop_draws or args.draws
    cap = batch.log2_software.size - 1
    # The loops get Python floats: arithmetic on NumPy float64 scalars (what indexing an array returns) is
    # 1.5-2x slower and would flatter the batch.
    py = {k: v[:n_loop].tolist() for k, v in s.items()}
    cols = [py[k] for k in ("f", "r", "p", "distance_years", "recent_doubling_months", "doublings_per_year")]
    t0, c0 = time.perf_counter(), time.process_time()
    rows = [plain_loop(*a, cap) for a in zip(*cols)]
    loop_s, loop_cpu = time.perf_counter() - t0, time.process_time() - c0
    identical = bool(np.array_equal(np.asarray(rows), batch.time_years[:n_loop])) and same_on_one_thread
    del rows
    t0 = time.perf_counter()
    rows = [literal_loop(*a, cap) for a in zip(*cols)]
    literal_s = time.perf_counter() - t0
    literal_rel = _max_rel(np.asarray(rows), batch.time_years[:n_loop])
    del rows
    nb = _best(lambda: numpy_batch(s["f"], s["r"], s["p"], s["distance_years"], s["recent_doubling_months"],
                                   s["doublings_per_year"], cap), args.repeats, min(args.touch_mb, 256))
    numpy_rel = _max_rel(nb[2], batch.time_years)
    scale = args.draws / n_loop
    loop_all, literal_all = loop_s * scale, literal_s * scale

    # Floor: the exponentials the recursion needs (one per doubling computed, as in the loop), at the
    # measured rate of libm's exp (the function math.exp calls) in a compiled loop over cache-resident values.
    d = s["distance_years"] * s["doublings_per_year"]
    n_exp = int(np.minimum(cap, 1 + np.minimum(np.ceil(d), cap - 1)).sum())
    exp_ns = _libm_exp_ns()
    floor_s = n_exp * exp_ns * 1e-9 / workers

    ratio, ratio_one = vec[0] / loop_all, one[0] / loop_all
    print(json.dumps({
        "draws": args.draws, "loop_draws": n_loop, "levels": int(cap + 1),
        "batch_s": round(vec[0], 4), "batch_threads": workers,
        "batch_one_thread_s": round(one[0], 4), "compile_s": round(compile_s, 3),
        "loop_s": round(loop_s, 3), "loop_s_scaled_to_all_draws": round(loop_all, 3),
        "literal_loop_s_scaled_to_all_draws": round(literal_all, 3), "literal_loop_max_rel_diff": literal_rel,
        "numpy_batch_s": round(nb[0], 4), "numpy_batch_max_rel_diff": numpy_rel,
        "speedup": round(1 / ratio, 1), "speedup_one_thread": round(1 / ratio_one, 1),
        "speedup_vs_literal_loop": round(literal_all / vec[0], 1), "speedup_vs_numpy_batch": round(nb[0] / vec[0], 2),
        "bit_identical": identical,
        # CPU time of this process: less sensitive than wall time to other jobs on a shared machine
        "batch_cpu_s": round(vec[1], 4), "batch_one_thread_cpu_s": round(one[1], 4), "loop_cpu_s": round(loop_cpu, 3),
        "speedup_cpu_one_thread": round((loop_cpu * scale) / one[1], 1),
        "exp_calls": n_exp, "libm_exp_ns": round(exp_ns, 2), "floor_s": round(floor_s, 4),
        "vs_floor": round(vec[0] / floor_s, 2),
        # the most any bit-identical batch on these threads could reach: the loop's time over the exponentials'
        "speedup_ceiling_at_floor": round(loop_all / floor_s, 1),
        "threads": f"batch: {workers} thread(s) over blocks of draws (and 1 for the one-thread run); loops and "
                   "NumPy batch: 1; OPENBLAS/OMP/MKL_NUM_THREADS=1",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))
    print("BENCH " + json.dumps({"name": "takeoff_models",
                                 "ratios": {f"vs plain per-draw Python loop, log form ({workers} threads)": round(ratio, 5),
                                            "vs plain per-draw Python loop, log form (1 thread)": round(ratio_one, 5),
                                            f"vs literal-recursion Python loop ({workers} threads)":
                                                round(vec[0] / literal_all, 5),
                                            f"vs NumPy batch over draws ({workers} threads)": round(vec[0] / nb[0], 4)},
                                 "floor": {"vs libm exp floor": round(vec[0] / floor_s, 3)},
                                 "met": bool(identical and ratio <= 0.01)}))


def _max_rel(a, b) -> float:
    """Largest relative difference where both are finite; inf if their inf patterns differ."""
    if not np.array_equal(np.isinf(a), np.isinf(b)):
        return math.inf
    fin = np.isfinite(b)
    return float(np.max(np.abs(a[fin] - b[fin]) / np.maximum(np.abs(b[fin]), 1e-300)))


def _libm_exp_ns() -> float:
    """ns per call of libm's exp in a compiled loop (the kernel's exp; np.exp may use a SIMD exp that differs)."""
    from numba import njit

    @njit(nogil=True)
    def exps(x, out):
        for i in range(x.size):
            out[i] = math.exp(x[i])

    xs = np.linspace(-6.0, 1.0, 1 << 15)
    out = np.empty_like(xs)
    exps(xs[:8], out[:8])
    best = math.inf
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(40):
            exps(xs, out)
        best = min(best, (time.perf_counter() - t0) / (40 * xs.size) * 1e9)
    return best


def _best(fn, repeats, touch_mb=256):
    """(best wall s, its CPU s, result) of ``repeats`` runs; ``touch_mb`` of memory touched and freed before
    each (untimed), so that the run's output lands on guest pages this process has just used, not on pages
    the VM has meanwhile handed back to its host."""
    best = None
    for _ in range(max(1, repeats)):
        if touch_mb > 0:
            np.ones(touch_mb * (1 << 20) // 8).sum()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if best is None or wall < best[0]:
            best = (wall, cpu, out)
    return best

if __name__ == "__main__":
    main()
