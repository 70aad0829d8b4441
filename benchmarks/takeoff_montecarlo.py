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
from aiprogress.takeoff.montecarlo import run_monte_carlo
from aiprogress.takeoff.sie import SIEParams
from aiprogress.takeoff.trajectory import simulate


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
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
