"""How β, γ and f of the idea production function move with the human-capital measure.

The learned measure comes from :mod:`aiprogress.humancapital` (``ideas ->
humancapital``, never the other way); :func:`compare_measures` takes a
``run(measure)`` callable returning an estimate (``.to_frame()`` with columns
``model``, ``beta``, ``gamma``, ``capital_share``, ``capital_share_low/high``,
``n``) and its sample coverage; :func:`ideas_runner` builds it from the
catalog tables.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

MEASURES = ("learned", "epoch", "paper_rows")


def compare_measures(run: Callable[[str], tuple[Any, dict[str, Any]]], measures: tuple[str, ...] = MEASURES) -> pd.DataFrame:
    """One row per (measure, model): β, γ, f with its interval, n and the coverage of the measure."""
    rows = []
    for m in measures:
        try:
            est, cov = run(m)
        except Exception as exc:  # a measure that cannot be built is reported, not fatal
            rows.append({"human_capital": m, "model": "", "error": f"{type(exc).__name__}: {exc}"})
            continue
        frame = est.to_frame()
        for _, r in frame.iterrows():
            rows.append({
                "human_capital": m, "model": r["model"], "beta": r["beta"], "gamma": r["gamma"],
                "f": r["capital_share"], "f_low": r["capital_share_low"], "f_high": r["capital_share_high"], "n": int(r["n"]),
                "coverage": cov.get("coverage", np.nan), "rows_in": cov.get("rows_in", np.nan), "error": "",
            })
    out = pd.DataFrame(rows)
    if "error" in out.columns and not out["error"].astype(bool).any():
        out = out.drop(columns="error")
    return out


#: Benchmarks of the comparison: ImageNet only, since the Epoch join (and so the 'epoch' and 'learned' measures)
#: covers just 4 usable MS COCO rows, too few for model B1.
BENCHMARKS = ("imagenet",)


def ideas_runner(ctx_tables: Callable[[str], pd.DataFrame], *, n_boot: int = 500, seed: int = 0,
                 benchmarks: tuple[str, ...] = BENCHMARKS, translog: bool = False) -> Callable[[str], tuple[Any, dict[str, Any]]]:
    """``run(measure)`` for :func:`compare_measures` on the shipped benchmark tables.

    The comparison shows β, γ and f only, so the translog fit (σ) and its bootstrap are skipped unless
    ``translog``.  With one benchmark (the default) that leaves every number shown unchanged: the translog
    bootstrap draws from the generator only after the main one.

    The measures share the steps before the human capital (:func:`~aiprogress.ideas.sample.sample_base`, built
    at the first call that succeeds); each finishes its own sample from it, which equals its
    :func:`~aiprogress.ideas.sample.prepare_sample`.
    """
    from aiprogress.ideas.estimate import estimate
    from aiprogress.ideas.sample import SampleBase, finish_sample, sample_base

    shared: list[SampleBase] = []

    def base() -> SampleBase:
        if not shared:
            shared.append(sample_base(ctx_tables("benchmark_results"), models=ctx_tables("models"), hardware=ctx_tables("hardware"),
                                      benchmarks=list(benchmarks)))
        return shared[0]

    def run(measure: str) -> tuple[Any, dict[str, Any]]:
        s = finish_sample(base(), human_capital=measure)
        cov = dict(s.coverage)
        # share of the rows reaching the human-capital step that the measure covers
        cov["coverage"] = {"learned": cov.get("learned_coverage"), "epoch": cov.get("epoch_join_coverage")}.get(measure, 1.0)
        return estimate(s, benchmarks=list(benchmarks), pooled=len(benchmarks) > 1, n_boot=n_boot, seed=seed, translog=translog), cov

    return run
