"""Language: how fast the compute needed for a fixed benchmark performance falls (per benchmark and pooled).

Data: :func:`aiprogress.algorithmic.language_data.load_language_scores` (Epoch
benchmark scores joined to Epoch training compute and dates).

* **per benchmark**: ``logit((score − c_b)/(1 − c_b)) = a + b log10 C + c t`` for every
  benchmark with at least ``min_models`` models (:func:`fit_halving`);
* **pooled, stacked**: the same regression on all benchmarks with a fixed effect per
  benchmark (common b and c);
* **pooled, stitched** (headline): the latent capabilities of
  :func:`aiprogress.algorithmic.stitching.fit_stitching` regressed on log10 compute and
  date. Its intervals are conditional on the fitted capabilities (the first stage is
  not resampled).

Distilled models are excluded by default (a distilled model inherits capability
from a teacher's compute); the headline is refitted with them and the difference is
reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from scipy.special import logit

from aiprogress.algorithmic.domain import DomainHalving, make_domain_halving
from aiprogress.algorithmic.halving import HalvingEstimate, fit_halving
from aiprogress.algorithmic.language_data import LanguageJoin, load_language_scores
from aiprogress.algorithmic.stitching import StitchFit, fit_stitching
from aiprogress.errors import InputError

__all__ = ["capability_frame", "language_halving", "per_benchmark_halving", "pooled_logit_halving", "stitched_halving"]


def _floored_logit(frame: pd.DataFrame) -> np.ndarray:
    p = (frame["score"].to_numpy(float) - frame["chance"].to_numpy(float)) / (1 - frame["chance"].to_numpy(float))
    return logit(np.clip(p, 0.01, 0.99))


def per_benchmark_halving(scores: pd.DataFrame, *, min_models: int = 15, level: float = 0.90, n_boot: int = 500,
                          seed: int | None = 0) -> list[HalvingEstimate]:
    out = []
    for bench, d in scores.groupby("benchmark"):
        if len(d) < min_models or d["time"].nunique() < 4:
            continue
        out.append(fit_halving(_floored_logit(d), d["log10_compute"], d["time"], label=f"per benchmark: {bench}",
                               performance_name=f"{bench} logit score above chance", level=level, n_boot=n_boot, seed=seed))
    return out


def pooled_logit_halving(scores: pd.DataFrame, *, min_models: int = 15, level: float = 0.90, n_boot: int = 500,
                         seed: int | None = 0, label: str = "pooled: stacked logit with benchmark effects") -> HalvingEstimate:
    counts = scores.groupby("benchmark").size()
    d = scores[scores["benchmark"].isin(counts[counts >= min_models].index)]
    benches = sorted(d["benchmark"].unique())
    extra = {f"bench_{b}": (d["benchmark"] == b).astype(float).to_numpy() for b in benches[1:]}
    return fit_halving(_floored_logit(d), d["log10_compute"], d["time"], extra=extra, label=label,
                       performance_name="logit score above chance", level=level, n_boot=n_boot, seed=seed)


def capability_frame(scores: pd.DataFrame, stitch: StitchFit) -> pd.DataFrame:
    """One row per model: capability, log10 compute, date, parameters, data, distilled flag."""
    per_model = scores.drop_duplicates("epoch_model").set_index("epoch_model")[
        ["log10_compute", "time", "parameters", "dataset_size", "distilled"]]
    return stitch.capabilities.join(per_model, on="epoch_model")


def stitched_halving(scores: pd.DataFrame, *, level: float = 0.90, n_boot: int = 1000, seed: int | None = 0,
                     label: str = "pooled: benchmark stitching", progress: Callable[[int], None] | None = None,
                     ) -> tuple[HalvingEstimate, StitchFit, pd.DataFrame]:
    stitch = fit_stitching(scores)
    caps = capability_frame(scores, stitch)
    est = fit_halving(caps["capability"], caps["log10_compute"], caps["time"], label=label,
                      performance_name="stitched capability", level=level, n_boot=n_boot, seed=seed, progress=progress)
    return est, stitch, caps


def refit_bootstrap_interval(scores: pd.DataFrame, *, n_boot: int = 100, level: float = 0.90, seed: int | None = 0,
                             progress: Callable[[int], None] | None = None) -> tuple[float, float, int]:
    """Percentile interval of the stitched halving time with the stitching refitted on each draw.

    Models are resampled with all their scores (a cluster bootstrap); each draw refits
    the capabilities and the second stage, so the interval carries the first-stage
    uncertainty that the headline bootstrap leaves out. Returns (low, high, draws used).
    """
    from aiprogress.algorithmic.halving import halving_months_from_rate

    rng = np.random.default_rng(seed)
    names = scores["epoch_model"].unique()
    groups = {m: g for m, g in scores.groupby("epoch_model")}
    rates = []
    for b in range(n_boot):
        pick = rng.choice(names, size=names.size, replace=True)
        parts = [groups[m].assign(epoch_model=f"{m}#{k}") for k, m in enumerate(pick)]
        try:
            est, _, _ = stitched_halving(pd.concat(parts, ignore_index=True), level=level, n_boot=0, seed=None)
            rates.append(est.rate_oom_per_year)
        except (InputError, ValueError, np.linalg.LinAlgError):
            pass
        if progress is not None:
            progress(1)
    if not rates:
        return float("nan"), float("nan"), 0
    g_hi, g_lo = np.quantile(rates, [0.5 + level / 2, 0.5 - level / 2])
    return float(halving_months_from_rate(g_hi)), float(halving_months_from_rate(g_lo)), len(rates)


def language_halving(
    *,
    models: pd.DataFrame | None = None,
    join: LanguageJoin | None = None,
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    include_distilled: bool = False,
    min_models: int = 15,
    level: float = 0.90,
    n_boot: int = 1000,
    refit_boot: int = 0,
    seed: int | None = 0,
    progress: Callable[[int], None] | None = None,
) -> DomainHalving:
    """Headline: stitched capability on log10 compute + date; variants: stacked logit, per benchmark, the other distilled choice."""
    if join is None:
        if models is None:
            from aiprogress.data import load_table

            models = load_table("models", catalog=catalog, data_dir=data_dir)
        join = load_language_scores(models, data_dir=data_dir)
    allscores = join.scores
    scores = allscores if include_distilled else allscores[~allscores["distilled"]]
    if scores["epoch_model"].nunique() < 10:
        raise InputError(f"only {scores['epoch_model'].nunique()} language models joined with compute", column="train_flop", expected="at least 10")
    head, stitch, caps = stitched_halving(scores, level=level, n_boot=n_boot, seed=seed, progress=progress)
    other = allscores[~allscores["distilled"]] if include_distilled else allscores
    alt, _, _ = stitched_halving(other, level=level, n_boot=0, seed=seed,
                                 label=f"pooled: benchmark stitching, distilled models {'excluded' if include_distilled else 'included'}")
    variants = [alt, pooled_logit_halving(scores, min_models=min_models, level=level, n_boot=min(n_boot, 500), seed=seed)]
    variants += per_benchmark_halving(scores, min_models=min_models, level=level, n_boot=min(n_boot, 300), seed=seed)
    n_dist = int(allscores.loc[allscores["distilled"], "epoch_model"].nunique())
    effect = alt.halving_months - head.halving_months
    notes = (
        "Stitching: score = c_b + (1 − c_b) σ(a_b (C_m − D_b)) fitted jointly (scipy least squares, ridge 1e-3), C normalised to mean 0, sd 1; "
        f"{len(stitch.capabilities)} models, {len(stitch.benchmarks)} benchmarks, {stitch.n_scores} scores, RMSE {stitch.rmse:.3f}.",
        "Second stage: C_m = k + b log10 compute + c t; compute for a fixed capability halves every 12 log10(2) b / c months. "
        "Its intervals are conditional on the fitted capabilities.",
        f"Distilled models ({n_dist} flagged in distilled_models.csv) are {'included' if include_distilled else 'excluded'}; "
        f"{'excluding' if include_distilled else 'including'} them moves the headline by {effect:+.1f} months "
        f"({head.halving_months:.1f} -> {alt.halving_months:.1f}).",
        "Ho et al. (2024) measure perplexity on WikiText/Penn Treebank for models up to 2023; these are downstream benchmark scores of "
        "models mostly from 2023–2025, so the samples and performance measures differ.",
    )
    info = join.info() | {"distilled_included": include_distilled, "distilled_effect_months": effect}
    if refit_boot > 0:
        lo, hi, used = refit_bootstrap_interval(scores, n_boot=refit_boot, level=level, seed=seed)
        info |= {"refit_bootstrap_low": lo, "refit_bootstrap_high": hi, "refit_bootstrap_draws": used}
        notes = notes + (f"Refit bootstrap ({used} draws, stitching refitted on each): {level:.0%} interval {lo:.1f}–{hi:.1f} months.",)
    return make_domain_halving(
        "language", head, variants, join=info, sources=tuple(join.files) + ("epoch/all_ai_models_2025-03.csv (Epoch AI 'AI Models', CC BY 4.0)",),
        notes=notes, tables={"per_benchmark_join": join.per_benchmark, "benchmarks": stitch.benchmarks, "capabilities": caps},
    )
