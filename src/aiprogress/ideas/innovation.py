"""The innovation measure g~ and the rules that pick each model's baseline.

With performance P = A/(1+A) (Besiroglu et al. eq. 8), the proportional
technology growth a model achieves over its baseline is (eq. 9, 14)::

    g~ = log(P / P_base) + log((1 - P_base) / (1 - P)) = logit(P) - logit(P_base)

Performance is ``P = 1 - error_rate`` (the benchmark tables' error rates: top-1
error for ImageNet, 1 - box AP for COCO), unless a ``performance`` column is
given.

Baseline rules (``baseline=``):

* ``"column"`` -- a user-supplied ``baseline_performance`` column (or
  ``baseline_error_rate``), e.g. the baselines the papers themselves cite;
* ``"window_median"`` -- the median performance of the models of the
  same benchmark published in the preceding time window (the nearest earlier
  window that has any model); rows in the first populated window have no
  baseline and are dropped;
* ``"touchstone"`` (default) -- a named model per benchmark (``touchstones={"imagenet":
  "AlexNet"}``): its performance (median over its rows) is every row's
  baseline; the touchstone rows themselves are dropped.  It is the default because the
  shipped tables list many non-frontier variants per paper: against the
  preceding window's median, about half of the ImageNet/COCO rows show no
  improvement (g~ <= 0) and would be lost.

Rows with ``g~ <= 0`` (no improvement over the baseline) cannot enter
``log g~``.  ``nonpositive=`` chooses the rule: ``"drop"`` (default; the rows are
listed in the result) or ``"floor"`` (replace g~ by ``floor_fraction`` times the
smallest positive g~ of the sample, which keeps the rows but pins them at the
bottom).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError

BASELINE_RULES = ("window_median", "column", "touchstone")
NONPOSITIVE_RULES = ("drop", "floor")

#: Default touchstone models: the earliest widely used baseline of each benchmark in the
#: shipped tables (AlexNet, 2012; MultiPath Network, 2016, an early two-stage detector).
DEFAULT_TOUCHSTONES = {"imagenet": "AlexNet", "ms_coco": "MultiPath Network"}


def innovation(performance: np.ndarray | pd.Series, baseline_performance: np.ndarray | pd.Series) -> np.ndarray:
    """g~ = log(P/P_base) + log((1-P_base)/(1-P)) elementwise (NaN where undefined)."""
    p = np.asarray(performance, dtype=float)
    b = np.asarray(baseline_performance, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(p / b) + np.log((1 - b) / (1 - p))
    bad = ~((p > 0) & (p < 1) & (b > 0) & (b < 1))
    g = np.where(bad, np.nan, g)
    return g


def performance_of(frame: pd.DataFrame, source: str = "benchmark_results") -> pd.Series:
    """Performance in (0, 1): the ``performance`` column if present, else ``1 - error_rate``."""
    if "performance" in frame.columns:
        perf = pd.to_numeric(frame["performance"], errors="coerce")
        col = "performance"
    elif "error_rate" in frame.columns:
        perf = 1.0 - pd.to_numeric(frame["error_rate"], errors="coerce")
        col = "error_rate"
    else:
        raise InputError("no performance measure", file=source, column="error_rate", expected="an 'error_rate' or 'performance' column")
    bad = perf.notna() & ~((perf > 0) & (perf < 1))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        line = frame["source_line"].iloc[i] if "source_line" in frame.columns else None
        raise InputError(f"value {frame[col].iloc[i]!r} gives performance outside (0, 1)", file=source, line=line, column=col, expected="error rates strictly between 0 and 1")
    return perf


def window_median_baseline(perf: pd.Series, benchmark: pd.Series, window: pd.Series) -> pd.Series:
    """Median performance of the same benchmark's models in the nearest earlier non-empty window."""
    out = pd.Series(np.nan, index=perf.index)
    for _, idx in benchmark.groupby(benchmark).groups.items():
        w = window.loc[idx]
        p = perf.loc[idx]
        med = p.groupby(w).median().dropna().sort_index()
        if med.empty:
            continue
        keys = med.index.to_numpy()
        vals = med.to_numpy()
        pos = np.searchsorted(keys, w.to_numpy(), side="left") - 1  # last window strictly before
        base = np.where(pos >= 0, vals[np.clip(pos, 0, None)], np.nan)
        out.loc[idx] = base
    return out


def touchstone_baseline(frame: pd.DataFrame, perf: pd.Series, touchstones: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Baseline = the named model's (median) performance in each benchmark.

    Returns ``(baseline, is_touchstone_row)``.  Model names are matched case-
    and punctuation-insensitively.
    """
    def norm(s: pd.Series) -> pd.Series:
        return s.astype(str).str.lower().str.replace(r"[^a-z0-9]", "", regex=True)

    base = pd.Series(np.nan, index=frame.index)
    is_ts = pd.Series(False, index=frame.index)
    names = norm(frame["model"])
    for bench, model in touchstones.items():
        in_b = frame["benchmark"] == bench
        if not in_b.any():
            continue
        hit = in_b & (names == norm(pd.Series([model])).iloc[0])
        if not hit.any():
            raise ParameterError("touchstones", f"model '{model}' not found in benchmark '{bench}'", expected="a model name present in that benchmark's rows")
        base[in_b] = float(perf[hit].median())
        is_ts |= hit
    return base, is_ts


def check_rules(baseline: str, nonpositive: str) -> None:
    if baseline not in BASELINE_RULES:
        raise ParameterError("baseline", f"'{baseline}'", expected=" | ".join(BASELINE_RULES))
    if nonpositive not in NONPOSITIVE_RULES:
        raise ParameterError("nonpositive", f"'{nonpositive}'", expected=" | ".join(NONPOSITIVE_RULES))
