"""Shared takeoff statistics, computed from :class:`~aiprogress.takeoff.models.Trajectories` of any model.

Years of progress and software doublings
----------------------------------------
"X years of progress" means X years of *overall* AI progress at the recent pace.
It converts to software doublings with ``doublings_per_year`` (default 8): with
software about half of recent overall progress and a recent software doubling
time of 3 months, a year of overall progress equals 2 x 12 / 3 = 8 software
doublings, so 3 years = 24 doublings (7.2 OOMs) and 10 years = 80 doublings
(24.1 OOMs). Every result states the conversion it used.

Progress compression
--------------------
For window length Y (months) and horizon H (years, default 4), a draw's
*compression* is the largest software gain, in years of progress, between the
dates at which two levels of the trajectory's uniform level grid are reached, at
most Y apart, the earlier no later than H. For the doublings model the grid is
one doubling, the model's own resolution (windows run from one doubling to a
later one); for the CES ODE it is one doubling too (a window between arbitrary
dates can gain at most one grid step more). P(>= X years in <= Y months) is the
share of draws whose compression for Y is at least X.

SIE verdict
-----------
The existing verdict: at least ``sie_ooms`` OOMs of software (default 5) within
``sie_days`` days (default 365) of the start.

Monte Carlo errors: every probability p over n independent draws carries the
standard error sqrt(p (1 - p) / n).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.takeoff.models import DAYS_PER_YEAR, LOG2_10, Trajectories, rowwise_count_le

__all__ = ["StatisticsSpec", "per_draw", "summarise", "max_compression_years", "binomial_se"]


@dataclass(frozen=True)
class StatisticsSpec:
    """Which statistics to compute (a scenario's ``statistics:`` mapping)."""

    table_x_years: tuple[float, ...] = (3.0, 10.0)
    table_y_months: tuple[float, ...] = (12.0, 4.0)
    curve_x_years: tuple[float, ...] = tuple(float(x) for x in range(1, 21))
    curve_y_months: float = 12.0
    horizon_years: float = 4.0
    doublings_per_year: float = 8.0
    sie_ooms: float = 5.0
    sie_days: float = 365.0

    def __post_init__(self) -> None:
        for name in ("table_x_years", "table_y_months", "curve_x_years"):
            vals = getattr(self, name)
            if not vals or any(not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0) for v in vals):
                raise ParameterError(name, f"{vals!r}", expected="a non-empty list of positive numbers")
        for name in ("curve_y_months", "horizon_years", "doublings_per_year", "sie_ooms", "sie_days"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ParameterError(name, f"{v!r}", expected="a positive number")

    @property
    def windows_months(self) -> tuple[float, ...]:
        return tuple(sorted(set(self.table_y_months) | {self.curve_y_months}, reverse=True))

    @property
    def sie_log2(self) -> float:
        return self.sie_ooms * LOG2_10

    @property
    def max_log2_needed(self) -> float:
        """Software doublings the statistics can need (the largest X, and the SIE level)."""
        return max(max(self.table_x_years + self.curve_x_years) * self.doublings_per_year, self.sie_log2)

    def conversion_text(self) -> str:
        return (f"1 year of progress = {self.doublings_per_year:g} software doublings "
                f"({self.doublings_per_year / LOG2_10:.3g} OOMs) at the recent pace")

    def to_dict(self) -> dict[str, Any]:
        return {
            "table_x_years": list(self.table_x_years), "table_y_months": list(self.table_y_months),
            "curve_x_years": list(self.curve_x_years), "curve_y_months": self.curve_y_months,
            "horizon_years": self.horizon_years, "doublings_per_year": self.doublings_per_year,
            "sie_ooms": self.sie_ooms, "sie_days": self.sie_days, "conversion": self.conversion_text(),
        }


def binomial_se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1.0 - p), 0.0) / n) if n else math.nan


def max_compression_years(traj: Trajectories, window_months: float, horizon_years: float,
                          doublings_per_year: float) -> np.ndarray:
    """Per draw: the most years of progress between two grid-level dates at most ``window_months``
    apart, the first no later than ``horizon_years``."""
    levels, t = traj.log2_software, traj.time_years
    step = traj.grid_step
    keep = np.isclose(np.round(levels / step) * step, levels, rtol=0, atol=1e-9)
    t = np.ascontiguousarray(t[:, keep])
    out = np.empty(t.shape[0])
    for lo in range(0, t.shape[0], _BLOCK):
        out[lo:lo + _BLOCK] = _max_offset(t[lo:lo + _BLOCK], window_months / 12.0, horizon_years)
    return out * step / doublings_per_year


_BLOCK = 32768


def _max_offset(t: np.ndarray, y: float, horizon: float) -> np.ndarray:
    """Largest N with t[j + N] - t[j] <= y for some j with t[j] <= horizon, per row.

    Rows are non-decreasing, so the furthest level within reach of start j is
    (number of t <= t[j] + y) - 1, found for all starts at once by a row-wise search.
    """
    n, m = t.shape
    ok = np.isfinite(t) & (t <= horizon)
    end = rowwise_count_le(t, np.where(ok, t + y, 0.0)) - 1
    gain = np.where(ok, end - np.arange(m)[None, :], 0)
    return gain.max(axis=1, initial=0).astype(float)


def per_draw(traj: Trajectories, spec: StatisticsSpec) -> dict[str, np.ndarray]:
    """Per-draw values all summaries are built from (small: a few numbers per draw)."""
    out = {f"max_years_in_{y:g}m": max_compression_years(traj, y, spec.horizon_years, spec.doublings_per_year)
           for y in spec.windows_months}
    out["days_to_sie_ooms"] = traj.time_to_level(spec.sie_log2) * DAYS_PER_YEAR
    return out


def tally(values: Mapping[str, np.ndarray], spec: StatisticsSpec) -> dict[str, Any]:
    """Exact counts behind every summary (per-window counts of each compression value, SIE hits), so that
    chunks can be folded into a streaming summary: ``merge_tallies(tally(a), tally(b)) == tally(a + b)``."""
    days = np.asarray(values["days_to_sie_ooms"])
    out: dict[str, Any] = {"n": int(days.size), "sie_hits": int(np.count_nonzero(days < spec.sie_days)), "windows": {}}
    for y in spec.windows_months:
        v, c = np.unique(np.asarray(values[f"max_years_in_{y:g}m"]), return_counts=True)
        out["windows"][f"{y:g}"] = dict(zip(v.tolist(), c.tolist()))
    return out


def merge_tallies(a: dict[str, Any] | None, b: dict[str, Any]) -> dict[str, Any]:
    if a is None:
        return b
    windows = {}
    for key in b["windows"]:
        merged = dict(a["windows"][key])
        for v, c in b["windows"][key].items():
            merged[v] = merged.get(v, 0) + c
        windows[key] = merged
    return {"n": a["n"] + b["n"], "sie_hits": a["sie_hits"] + b["sie_hits"], "windows": windows}


def summarise(values: Mapping[str, np.ndarray], spec: StatisticsSpec) -> dict[str, Any]:
    """Probabilities with Monte Carlo standard errors from :func:`per_draw` values (concatenated over draws)."""
    return summarise_tally(tally(values, spec), spec)


def summarise_tally(t: Mapping[str, Any], spec: StatisticsSpec) -> dict[str, Any]:
    """The summary (compression table and curve, SIE verdict, with MC errors) from exact counts."""
    n = int(t["n"])

    def share(window: float, x: float) -> float:
        if not n:
            return math.nan
        counts = t["windows"][f"{window:g}"]
        return sum(c for v, c in counts.items() if v >= x - 1e-12) / n

    rows = []
    for x in spec.table_x_years:
        for y in spec.table_y_months:
            p = share(y, x)
            rows.append({"x_years": x, "y_months": y, "doublings": x * spec.doublings_per_year,
                         "p": p, "se": binomial_se(p, n)})
    curve = []
    for x in spec.curve_x_years:
        p = share(spec.curve_y_months, x)
        curve.append({"x_years": x, "p": p, "se": binomial_se(p, n)})
    p_sie = t["sie_hits"] / n if n else math.nan
    return {
        "draws": n,
        "conversion": spec.conversion_text(),
        "horizon_years": spec.horizon_years,
        "table": rows,
        "curve": {"y_months": spec.curve_y_months, "points": curve},
        "sie": {"ooms": spec.sie_ooms, "days": spec.sie_days, "p": p_sie, "se": binomial_se(p_sie, n)},
    }


def table_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The compression table as rows X x Y with P and its SE."""
    f = pd.DataFrame(summary["table"])
    return f.rename(columns={"x_years": "X (years)", "y_months": "Y (months)", "p": "P(>= X years in <= Y)",
                             "se": "MC s.e."})
