"""Compute vs algorithms for vision and language: Shapley decompositions over a period.

The typical model at a date t has the factor values of the OLS trend of each factor
(log10 compute, log10 parameters, log10 data) on the date, evaluated at t; the
algorithms factor is the date itself. Between the period's start and end the change
of each target (ImageNet error; the stitched capability and each well-covered
benchmark's score) is split exactly by :func:`aiprogress.algorithmic.shapley.exact_shapley`
over the fitted model's factors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from scipy.special import expit

from aiprogress.algorithmic.shapley import Decomposition, decompose_fit
from aiprogress.errors import ParameterError

__all__ = ["DOMAINS", "decompose_language", "decompose_vision", "trend_values"]

DOMAINS = ("vision", "language")


def trend_values(frame: pd.DataFrame, cols: dict[str, str], t0: float, t1: float) -> tuple[dict, dict]:
    """Factor values of the typical model at t0 and t1 (OLS trend of each factor on time); 'algorithms' = the date."""
    start, end = {}, {}
    for name, col in cols.items():
        if col == "time":
            start[name], end[name] = t0, t1
            continue
        d = frame[["time", col]].dropna()
        slope, icpt = np.polyfit(d["time"], d[col], 1)
        start[name], end[name] = icpt + slope * t0, icpt + slope * t1
    return start, end


def _period(frame: pd.DataFrame, start: float | None, end: float | None) -> tuple[float, float]:
    t0 = float(np.floor(frame["time"].min())) + 0.5 if start is None else float(start)
    t1 = float(np.floor(frame["time"].max())) + 0.5 if end is None else float(end)
    if not t1 > t0:
        raise ParameterError("end", f"period end {t1} is not after its start {t0}", expected="end > start")
    return t0, t1


def decompose_vision(*, start: float | None = None, end: float | None = None, with_parameters: bool = False,
                     data_dir: str | Path | None = None, catalog: str | Path | None = None, level: float = 0.90,
                     n_boot: int = 500, seed: int | None = 0, sample: pd.DataFrame | None = None,
                     progress: Callable[[int], None] | None = None) -> Decomposition:
    """ImageNet top-1 error: log10 error = a + b log10 C + c t (+ d log10 parameters), error = 10^(...)."""
    if sample is None:
        from aiprogress.algorithmic.vision import imagenet_sample
        from aiprogress.data import load_table

        sample, _ = imagenet_sample(load_table("benchmark_results", catalog=catalog, data_dir=data_dir),
                                    load_table("models", catalog=catalog, data_dir=data_dir),
                                    load_table("hardware", catalog=catalog, data_dir=data_dir))
    d = sample[sample["train_flop"] > 0].assign(log10_compute=lambda f: np.log10(f["train_flop"]))
    cols = {"compute": "log10_compute", "algorithms": "time"}
    if with_parameters:
        d = d[d["parameters"] > 0].assign(log10_parameters=lambda f: np.log10(f["parameters"]))
        cols = {"compute": "log10_compute", "parameters": "log10_parameters", "algorithms": "time"}
    t0, t1 = _period(d, start, end)
    s, e = trend_values(d, cols, t0, t1)
    notes = (
        f"{len(d)} ImageNet models with training compute{' and parameters' if with_parameters else ''}; factor values of the typical "
        "model from the OLS trend of each factor on the date; target: top-1 error (a fall is progress, so contributions are negative).",
    )
    return decompose_fit(d, "log10_error", cols, s, e, {"ImageNet top-1 error": lambda eta: 10.0**eta}, domain="vision",
                         level=level, n_boot=n_boot, seed=seed, notes=notes, period_labels=(f"{t0:g}", f"{t1:g}"), progress=progress)


def decompose_language(*, start: float | None = None, end: float | None = None, with_parameters: bool = False,
                       include_distilled: bool = False, min_models: int = 20, data_dir: str | Path | None = None,
                       catalog: str | Path | None = None, level: float = 0.90, n_boot: int = 500, seed: int | None = 0,
                       progress: Callable[[int], None] | None = None) -> Decomposition:
    """Stitched capability C = k + b log10 compute + c t (or b_N log10 N + b_D log10 D); targets: C and benchmark scores."""
    from aiprogress.algorithmic.language import capability_frame
    from aiprogress.algorithmic.language_data import load_language_scores
    from aiprogress.algorithmic.stitching import fit_stitching
    from aiprogress.data import load_table

    join = load_language_scores(load_table("models", catalog=catalog, data_dir=data_dir), data_dir=data_dir)
    scores = join.scores if include_distilled else join.scores[~join.scores["distilled"]]
    stitch = fit_stitching(scores)
    caps = capability_frame(scores, stitch)
    cols = {"compute": "log10_compute", "algorithms": "time"}
    if with_parameters:
        caps = caps[(caps["parameters"] > 0) & (caps["dataset_size"] > 0)].assign(
            log10_parameters=lambda f: np.log10(f["parameters"]), log10_data=lambda f: np.log10(f["dataset_size"]))
        cols = {"parameters": "log10_parameters", "data": "log10_data", "algorithms": "time"}
    if start is None or end is None:
        q0, q1 = np.quantile(caps["time"], [0.1, 0.9])
        start = round(float(q0), 1) if start is None else start
        end = round(float(q1), 1) if end is None else end
    t0, t1 = _period(caps, start, end)
    s, e = trend_values(caps, cols, t0, t1)
    links: dict[str, Callable[[np.ndarray], np.ndarray]] = {"stitched capability": lambda eta: eta}
    for _, b in stitch.benchmarks[stitch.benchmarks["n_models"] >= min_models].iterrows():
        links[str(b["benchmark"])] = (lambda a, dd, c: (lambda eta: c + (1 - c) * expit(a * (eta - dd))))(
            float(b["slope"]), float(b["difficulty"]), float(b["chance"]))
    notes = (
        f"{len(caps)} language models (distilled {'included' if include_distilled else 'excluded'}); capabilities from benchmark "
        "stitching; each benchmark's score is the stitched curve c + (1 − c) σ(a (C − D)) of the fitted capability.",
        "Interval draws resample models in the second stage only (the stitching is not refitted).",
    )
    return decompose_fit(caps, "capability", cols, s, e, links, domain="language", level=level, n_boot=n_boot, seed=seed,
                         notes=notes, period_labels=(f"{t0:g}", f"{t1:g}"), progress=progress)
