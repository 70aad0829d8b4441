"""Benchmark: vectorised SIE Monte Carlo vs a per-draw ``solve_ivp`` loop on the same draws.

The vectorised path (``aiprogress.takeoff.montecarlo.run_monte_carlo``) integrates
time as a function of log cumulative research with Gauss-Legendre panels for all
draws at once. The baseline integrates each draw's time-domain ODE with
``scipy.integrate.solve_ivp`` (``aiprogress.takeoff.sie.simulate``, DOP853 with
events at each OOM level, rtol 1e-6 by default) in a Python loop. Both compute the days to 5 OOMs of
software; the script also reports their largest relative disagreement.

Reproduce (from the repository root):

    .venv/bin/python benchmarks/takeoff_montecarlo.py                # 100k vectorised, 300 loop draws
    .venv/bin/python benchmarks/takeoff_montecarlo.py --draws 20000 --loop-draws 100 --config cobb-douglas
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from aiprogress.takeoff.config import load_config
from aiprogress.takeoff.montecarlo import fan_levels_ooms, run_monte_carlo, sample_parameters
from aiprogress.takeoff.sie import SIEParams, time_to_ooms
from aiprogress.takeoff.trajectory import simulate

LN10 = float(np.log(10.0))
LN2 = float(np.log(2.0))


def lean_time_to_ooms(p: dict, levels: np.ndarray, nodes: int = 8) -> np.ndarray:
    """Strong simple baseline: the same 8-node Gauss-Legendre quadrature in u = ln R, written directly in NumPy
    (one CES branch per draw, no validation), for draws ``p`` (arrays or scalars) and OOM ``levels``."""
    n = max(np.size(v) for v in p.values())
    q = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,))[:, None, None] for k, v in p.items()}
    x, w = np.polynomial.legendre.leggauss(nodes)
    smax = q["ceiling_ooms"] * LN10
    fin = np.isfinite(smax)
    sm = np.where(fin, smax, 1.0)
    s_edges = np.concatenate([[0.0], levels * LN10])[None, :, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = s_edges / sm
        u_edges = np.where(fin, np.where(ratio < 1, -(sm / q["r"]) * np.log1p(-np.minimum(ratio, 1 - 1e-300)), np.inf),
                           s_edges / q["r"])[:, :, 0]
        a, b = u_edges[:, :-1], u_edges[:, 1:]
        ok = np.isfinite(b)
        width = np.where(ok, b - a, 0.0)
        u = np.where(np.isfinite(a), a, 0.0)[:, :, None] + width[:, :, None] * (x + 1.0)[None, None, :] / 2.0
        s = np.where(fin, -sm * np.expm1(-q["r"] * u / sm), q["r"] * u)
        ln_l = np.logaddexp(np.log(q["human_labour"]),
                            np.log(q["run_share"] * q["labour_at_full_hardware"]) + (1.0 + q["eta"]) * s)
        ln_k = np.log((1.0 - q["run_share"]) * q["experiments_at_full_hardware"]) + q["kappa"] * s
        l_, rho, alpha = q["lam"] * ln_l, q["rho"], q["alpha"]
        rho_safe = np.where(rho == 0, 1.0, rho)
        ces = np.logaddexp(np.log(alpha) + rho * l_, np.log1p(-alpha) + rho * ln_k) / rho_safe
        ln_y = np.where(rho == 0, alpha * l_ + (1 - alpha) * ln_k, ces)
        r_eff = q["r"] * np.clip(1.0 - np.where(fin, s / sm, 0.0), 0.0, None)
        f = (q["r"] * q["software_doubling_days"] / LN2) * np.exp(u - ln_y) + (
            q["training_days"] * np.exp(-q["training_speedup"] * s) / (q["training_ooms_per_generation"] * LN10)) * r_eff
        piece = width * (f @ (w / 2.0))
        return np.cumsum(np.where(ok & ~np.isnan(piece), piece, np.inf), axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="davidson-range")
    ap.add_argument("--draws", type=int, default=100_000, help="draws for the vectorised run")
    ap.add_argument("--loop-draws", type=int, default=300, help="draws for the solve_ivp loop")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--loop-rtol", type=float, default=1e-6,
                    help="solve_ivp rtol for the loop (1e-6 is enough for ~1e-4 agreement)")
    args = ap.parse_args()
    cfg = load_config(args.config)

    t0 = time.perf_counter()
    res = run_monte_carlo(cfg, args.draws, seed=args.seed)
    vec_s = time.perf_counter() - t0

    # The loop baseline on the first draws of the same sample.
    samples = res.samples.iloc[: args.loop_draws]
    t0 = time.perf_counter()
    loop_days = []
    for _, row in samples.iterrows():
        p = SIEParams(**{k: float(v) for k, v in row.items()})
        tr = simulate(p, stop_ooms=cfg.sie_ooms, horizon_days=100 * 365.0, max_growth_per_day=1e6,
                      rtol=args.loop_rtol, fill_unreached=False)  # event dates only: no quadrature
        loop_days.append(tr.days_to_sie_ooms)
    loop_s = time.perf_counter() - t0
    loop_days = np.array(loop_days)
    vec_days = res.days_to_sie_ooms[: args.loop_draws]
    both = np.isfinite(loop_days) & np.isfinite(vec_days)
    max_rel = float(np.max(np.abs(vec_days[both] / loop_days[both] - 1))) if both.any() else float("nan")
    same_verdict = float(np.mean((loop_days < cfg.sie_days) == (vec_days < cfg.sie_days)))

    vec_rate = args.draws / vec_s
    loop_rate = args.loop_draws / loop_s
    out = {
        "config": cfg.name,
        "vectorised": {"draws": args.draws, "seconds": vec_s, "draws_per_second": vec_rate, "p_sie": res.p_sie},
        "solve_ivp_loop": {"draws": args.loop_draws, "rtol": args.loop_rtol, "seconds": loop_s, "draws_per_second": loop_rate},
        "speedup_ratio": vec_rate / loop_rate,
        "max_relative_difference_days_to_5_ooms": max_rel,
        "draws_compared_within_horizon": int(both.sum()),
        "share_same_sie_verdict": same_verdict,
    }
    # The kernel alone vs the lean NumPy baseline, on the same draws and the same levels.
    draws = {k: np.broadcast_to(v, (args.draws,)) for k, v in sample_parameters(cfg, args.draws, args.seed).items()}
    full = {**SIEParams().as_arrays(), **draws}
    levels = fan_levels_ooms(cfg)
    import tracemalloc

    t0 = time.perf_counter()
    ours = time_to_ooms(full, levels)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    lean = lean_time_to_ooms(full, levels)
    lean_s = time.perf_counter() - t0
    both = np.isfinite(ours) & np.isfinite(lean)
    tracemalloc.start()
    run_monte_carlo(cfg, min(args.draws, 100_000), seed=args.seed)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    out["kernel_vs_lean_numpy"] = {
        "levels": int(levels.size), "ours_s": ours_s, "lean_s": lean_s, "ratio_ours_to_lean": ours_s / lean_s,
        "max_relative_difference": float(np.max(np.abs(ours[both] / lean[both] - 1))) if both.any() else None,
        "same_unreachable": bool(np.array_equal(np.isinf(ours), np.isinf(lean))),
        "threads": 1,
    }
    out["peak_traced_memory_mb_monte_carlo_100k"] = peak_mb
    print(json.dumps(out, indent=2))
    print("BENCH " + json.dumps({"name": "takeoff_montecarlo",
                                 "ratios": {"vs solve_ivp loop (per draw)": loop_rate and (1 / out["speedup_ratio"]),
                                            "kernel vs lean NumPy quadrature": ours_s / lean_s},
                                 "met": bool(ours_s / lean_s <= 1.2)}))


if __name__ == "__main__":
    main()
