"""Benchmark: 10^6 drop-5 re-estimations of a pooled idea-production model.

Design: a synthetic pooled sample shaped like the paper's pooled model C1
(n = 136 rows, 12-month window fixed effects for two benchmarks over six years
= 12 dummies, plus log S, log C and two controls = 16 regressors), drawn by
``aiprogress.ideas.simulate``.

Measures the batched rank-k downdate engine (``aiprogress.stats.drop_k_coefs``,
2 local threads) against a plain statsmodels OLS loop over the same subsets
(timed on a sample of subsets and extrapolated per fit), and checks a few
batched estimates against statsmodels to 1e-8.

Reproduce:  .venv/bin/python benchmarks/ideas_subsample.py  [--draws 1000000] [--loop-sample 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import statsmodels.api as sm

from aiprogress.ideas import build_design, simulate
from aiprogress.ideas.estimate import LOG_C, LOG_S
from aiprogress.stats.lstsq import DropKSolver
from aiprogress.stats.resample import drop_k_coefs, drop_k_subsets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1_000_000)
    ap.add_argument("--drop", type=int, default=5)
    ap.add_argument("--n", type=int, default=136)
    ap.add_argument("--loop-sample", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scheduler", default=None)
    args = ap.parse_args(argv)

    sim = simulate(args.n, years=6.0, seed=args.seed)
    d = build_design(sim.frame, window_months=12)
    X, y = d.X, d.y
    cols = [d.col(LOG_C), d.col(LOG_S)]
    print(f"design: n={X.shape[0]}, regressors={X.shape[1]} ({d.n_windows} window dummies), drop k={args.drop}")

    t0 = time.perf_counter()
    res = drop_k_coefs(X, y, k=args.drop, cols=cols, names=["beta", "gamma"], max_draws=args.draws,
                       seed=args.seed, scheduler=args.scheduler)
    t_batched = time.perf_counter() - t0
    draws_per_s = args.draws / t_batched

    # statsmodels loop on a sample of subsets (same generator => same first subsets)
    rng = np.random.default_rng(12345)
    subsets = drop_k_subsets(X.shape[0], args.drop, args.loop_sample, rng)
    keep_all = np.ones(X.shape[0], bool)
    t0 = time.perf_counter()
    sm_est = np.empty((len(subsets), 2))
    warnings.simplefilter("ignore")  # statsmodels warns on subsets that empty a window dummy
    for i, s in enumerate(subsets):
        keep = keep_all.copy()
        keep[s] = False
        p = sm.OLS(y[keep], X[keep]).fit().params
        sm_est[i] = p[cols]
    t_loop = time.perf_counter() - t0
    per_fit = t_loop / len(subsets)
    loop_total = per_fit * args.draws

    # correctness: batched solver on the same subsets vs statsmodels
    solver = DropKSolver(X, y)
    batched, ok = solver.solve(subsets, cols)
    max_diff = float(np.nanmax(np.abs(batched - sm_est)))

    print(f"batched drop-{args.drop}: {args.draws:,} re-estimations in {t_batched:.2f} s = {draws_per_s:,.0f} draws/s "
          f"(failed/unidentified: {res.n_failed})")
    print(f"statsmodels loop: {len(subsets):,} fits in {t_loop:.2f} s = {per_fit * 1e3:.3f} ms/fit "
          f"-> {loop_total:,.0f} s extrapolated for {args.draws:,}")
    print(f"speed-up (statsmodels loop / batched): {loop_total / t_batched:,.0f}x")
    print(f"max |batched - statsmodels| over {len(subsets):,} subsets: {max_diff:.2e} (target <= 1e-8)")
    print(f"median beta {np.nanmedian(res.draws[:, 0]):.4f}, median gamma {np.nanmedian(res.draws[:, 1]):.4f} "
          f"(truth 0.15, 0.30)")
    print("command: .venv/bin/python benchmarks/ideas_subsample.py " + " ".join(sys.argv[1:]))
    return 0 if max_diff <= 1e-8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
