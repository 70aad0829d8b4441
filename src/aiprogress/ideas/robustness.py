"""Robustness of the idea-production estimates (Besiroglu et al. §8).

* :func:`window_robustness` -- re-estimate with 6-, 12- and 18-month windows
  (Tables 6 and 12).
* :func:`subsample` -- drop-k subsampling (Figure 6): all subsets when there are
  at most 10^4, else random subsets (up to 10^6), each re-estimated by the
  batched rank-k downdate solver of :mod:`aiprogress.stats`.  The estimator is
  the one chosen on the full sample; for a GLS model the rows keep their
  full-sample GLS weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.ideas.estimate import (
    DEFAULT_CONTROLS,
    LOG_C,
    LOG_S,
    WINDOW_CHOICES,
    IdeasEstimate,
    build_design,
    estimate,
    model_label,
    pooled_label,
)
from aiprogress.ideas.sample import IdeasSample, as_sample
from aiprogress.results import Result, jsonable
from aiprogress.stats.linear import fit_auto
from aiprogress.stats.resample import drop_k_coefs


@dataclass(frozen=True)
class WindowRobustness(Result):
    """Estimates for each window length (rows like Tables 6/12)."""

    estimates: tuple[IdeasEstimate, ...]
    windows: tuple[int, ...]

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([e.to_frame() for e in self.estimates], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        skipped = [{**x, "window_months": w} for e, w in zip(self.estimates, self.windows) for x in e.skipped]
        return {"windows": list(self.windows), "table": jsonable(self.to_frame()), "skipped": jsonable(skipped)}

    def summary(self) -> str:
        from aiprogress.results import format_table

        t = pd.concat([e.table() for e in self.estimates], ignore_index=True)
        return format_table(t.sort_values(["model", "window"], key=lambda s: s.str.replace("m", "").str.zfill(3) if s.name == "window" else s), title="Estimates by window length (Tables 6/12)")


def window_robustness(
    data: IdeasSample | pd.DataFrame,
    *,
    windows: tuple[int, ...] | list[int] = WINDOW_CHOICES,
    **kwargs: Any,
) -> WindowRobustness:
    """Run :func:`aiprogress.ideas.estimate` once per window length."""
    out = tuple(estimate(data, window_months=int(w), **kwargs) for w in windows)
    return WindowRobustness(estimates=out, windows=tuple(int(w) for w in windows))


@dataclass(frozen=True)
class SubsampleModel(Result):
    label: str
    nobs: int
    drop_k: int
    kind: str
    n_draws: int
    n_failed: int
    beta_full: float
    gamma_full: float
    estimator: str
    draws: np.ndarray  # (n_draws, 2): beta, gamma

    def f_draws(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.draws[:, 0] / self.draws.sum(axis=1)

    def stats(self) -> dict[str, dict[str, float]]:
        good = ~np.isnan(self.draws).any(axis=1)
        cols = {"beta": self.draws[good, 0], "gamma": self.draws[good, 1], "f": self.f_draws()[good]}
        return {
            k: {"median": float(np.median(v)), "q25": float(np.quantile(v, 0.25)), "q75": float(np.quantile(v, 0.75)),
                "min": float(v.min()), "max": float(v.max())}
            for k, v in cols.items()
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label, "n": self.nobs, "drop_k": self.drop_k, "kind": self.kind, "n_draws": self.n_draws,
            "n_failed": self.n_failed, "estimator": self.estimator,
            "full_sample": {"beta": self.beta_full, "gamma": self.gamma_full,
                            "f": self.beta_full / (self.beta_full + self.gamma_full)},
            "subsample": self.stats(),
        }


@dataclass(frozen=True)
class SubsampleResult(Result):
    models: tuple[SubsampleModel, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"models": [m.to_dict() for m in self.models]}

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for m in self.models:
            for k, v in m.stats().items():
                rows.append({"model": m.label, "parameter": k, "full_sample": {"beta": m.beta_full, "gamma": m.gamma_full, "f": m.beta_full / (m.beta_full + m.gamma_full)}[k], **v, "drop_k": m.drop_k, "draws": m.n_draws, "kind": m.kind})
        return pd.DataFrame(rows)


def subsample(
    data: IdeasSample | pd.DataFrame,
    *,
    benchmarks: list[str] | tuple[str, ...] | None = None,
    pooled: bool = True,
    separate: bool = True,
    drop_k: int | None = None,
    drop_fraction: float = 0.05,
    max_draws: int = 1_000_000,
    exhaustive_max: int = 10_000,
    window_months: int = 12,
    trend: bool = False,
    controls: tuple[str, ...] | list[str] = DEFAULT_CONTROLS,
    estimator: str = "auto",
    seed: int | np.random.Generator = 0,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
) -> SubsampleResult:
    """Drop-k re-estimation of beta and gamma for each model (Figure 6).

    ``drop_k`` defaults to ``max(1, round(drop_fraction * n))`` per model (the
    paper drops 3 of 40 and 5 of 96 or 136).
    """
    sample = as_sample(data)
    frame = sample.frame
    if benchmarks is not None:
        frame = frame[frame["benchmark"].isin(benchmarks)]
    benches = sorted(frame["benchmark"].astype(str).unique())
    if not benches:
        raise ParameterError("benchmarks", "no rows selected", expected="benchmarks present in the sample")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    parts: list[tuple[str, pd.DataFrame]] = []
    if separate or len(benches) == 1:
        parts += [(model_label(b, trend), frame[frame["benchmark"] == b]) for b in benches]
    if pooled and len(benches) > 1:
        parts.append((pooled_label(benches, trend), frame))
    out = []
    for label, sub in parts:
        d = build_design(sub, window_months=window_months, trend=trend, controls=controls)
        fit, _ = fit_auto(d.X, d.y, d.names, Z=d.Z, estimator=estimator)
        sw = np.sqrt(fit.weights)
        n = len(d.y)
        k = drop_k if drop_k is not None else max(1, int(round(drop_fraction * n)))
        draws = drop_k_coefs(
            d.X * sw[:, None], d.y * sw, k=k, cols=[d.col(LOG_C), d.col(LOG_S)], names=["beta", "gamma"],
            max_draws=max_draws, exhaustive_max=exhaustive_max, seed=rng, scheduler=scheduler, progress=progress,
        )
        out.append(SubsampleModel(
            label=label, nobs=n, drop_k=k, kind=draws.kind, n_draws=len(draws.draws), n_failed=draws.n_failed,
            beta_full=float(fit.params[d.col(LOG_C)]), gamma_full=float(fit.params[d.col(LOG_S)]),
            estimator=fit.estimator, draws=draws.draws,
        ))
    return SubsampleResult(models=tuple(out))


def n_subsets(n: int, k: int) -> int:
    return math.comb(n, k)
