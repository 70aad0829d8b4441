"""Training time of the human-capital network on AAN (budget: <= 5 minutes on the 2-core machine).

Measures, in one run: building the AAN author histories (features), training the
network with the default config (early stopping on the validation split, fresh:
no saved model is used), and the Lasso baseline on the same inputs.  Also
reports the network/Lasso MSE ratios (human-readable output only: they are not time ratios).
Nothing is saved (the user's model cache is untouched).  The ``BENCH`` line's ratio is
(features + training wall time) / the 5-minute budget, the quantity the budget is about.

Reproduce:  .venv/bin/python benchmarks/humancapital_train.py  [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import time

BUDGET_SECONDS = 300.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from dataclasses import replace

    from aiprogress.humancapital.corpus import load_aan
    from aiprogress.humancapital.evaluate import validate
    from aiprogress.humancapital.features import build_features
    from aiprogress.humancapital.model import TrainConfig, make_split, train_network

    t0 = time.perf_counter()
    corpus = load_aan()
    table = build_features(corpus)
    t_feat = time.perf_counter() - t0
    cfg = replace(TrainConfig(), threads=args.threads)
    split = make_split(table, cfg)
    net = train_network(table, split, cfg)
    t_train = net.seconds
    t1 = time.perf_counter()
    val = validate(table, net, split, seed=cfg.seed)
    t_val = time.perf_counter() - t1
    print(f"AAN: {table.n} papers, {len(split.train)} train / {len(split.val)} validation / {len(split.test)} test")
    print(f"features (author histories): {t_feat:6.1f} s")
    print(f"network training:            {t_train:6.1f} s  ({len(net.history)} epochs, best {net.best_epoch}, threads {cfg.threads})")
    print(f"baselines + Lasso + metrics: {t_val:6.1f} s")
    total = t_feat + t_train
    print(f"features + training:         {total:6.1f} s  (budget {BUDGET_SECONDS:.0f} s: {'OK' if total <= BUDGET_SECONDS else 'OVER'})")
    r = val.mse_vs_lasso[val.mse_vs_lasso["subset"] == "all"]
    print("network MSE / Lasso MSE: " + ", ".join(f"{o} {x:.3f}" for o, x in zip(r["outcome"], r["ratio"])))
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("command: .venv/bin/python benchmarks/humancapital_train.py")
    print("BENCH " + json.dumps({"name": "humancapital_train",
                                 "ratios": {"features + training vs 5-minute budget": total / BUDGET_SECONDS,
                                            "training alone vs 5-minute budget": t_train / BUDGET_SECONDS},
                                 "threads": cfg.threads, "met": bool(total <= BUDGET_SECONDS)}))
    return 0 if total <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
