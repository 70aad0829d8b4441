"""Returns to software r from many sources: every software series × research input × estimator.

Software series: the compute-equivalent efficiency of vision (ImageNet) and language
(stitched capability) by year (:func:`aiprogress.algorithmic.inputs.efficiency_series`).
Research inputs: notable-model counts, distinct-author counts (Epoch, per domain),
DL papers (Nesta), or a user CSV. Estimators: levels OLS (HAC + block bootstrap),
the lagged law of motion, and maximum likelihood with the efficiency uncertainty
propagated (:mod:`aiprogress.algorithmic.r_estimators`). Cumulative research starts
at the first year of the input series, R0 ``auto``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from aiprogress.algorithmic.inputs import MEASURES, EfficiencySeries, efficiency_series, research_series
from aiprogress.algorithmic.r_estimators import estimate_r_law_of_motion, estimate_r_ml
from aiprogress.algorithmic.returns import estimate_r
from aiprogress.errors import AiprogressError
from aiprogress.results import Result, format_table

__all__ = ["ESTIMATORS", "RSources", "r_from_sources"]

ESTIMATORS = ("levels", "law_of_motion", "ml")
LN10 = math.log(10.0)
PREFERRED = ("ml", "authors")  # the estimate of a domain that enters the meta-analysis


@dataclass(frozen=True)
class RSources(Result):
    """One row per (domain, research input, estimator): r, its interval, the sample, or why it could not be estimated."""

    table: pd.DataFrame = field(repr=False)
    series: dict = field(default_factory=dict, repr=False)
    level: float = 0.90
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def preferred(self) -> pd.DataFrame:
        est, meas = PREFERRED
        t = self.table
        return t[(t["estimator"] == est) & (t["input"] == meas) & t["r"].notna()]

    def spread(self) -> pd.DataFrame:
        """How r moves with the research input: per domain and estimator, r by input."""
        t = self.table.dropna(subset=["r"])
        return t.pivot_table(index=["domain", "estimator"], columns="input", values="r").reset_index()

    def summary(self) -> str:
        cols = ["domain", "input", "estimator", "r", "low", "high", "n", "years", "note"]
        parts = [format_table(self.table[cols], title=f"Returns to software r from many sources ({self.level:.0%} intervals)"),
                 format_table(self.spread(), title="How r moves with the research input (point estimates)")]
        return "\n\n".join(parts + list(self.notes))


_EFFICIENCY: dict[tuple, EfficiencySeries] = {}


def _efficiency(domain: str, data_dir, catalog, tables: dict) -> EfficiencySeries:
    """:func:`efficiency_series` of the shared data, computed once per process: the report's sources table and
    its meta-analysis (and a takeoff config's ``{from: "algorithmic:meta"}``) use the same series. Keyed like
    :func:`aiprogress.algorithmic.meta.run_meta` (data folder, catalog and its modification time); each
    caller gets its own copy of the arrays."""
    from aiprogress.paths import resolve_catalog, resolve_data_dir

    cat = resolve_catalog(catalog)
    key = (domain, str(catalog), str(data_dir), str(resolve_data_dir(data_dir)), str(cat),
           cat.stat().st_mtime_ns if cat.is_file() else None)
    if key not in _EFFICIENCY:
        _EFFICIENCY[key] = efficiency_series(domain, data_dir=data_dir, catalog=catalog, tables=tables)
    e = _EFFICIENCY[key]
    return EfficiencySeries(e.domain, e.years.copy(), e.log10_s.copy(), e.cov.copy(), e.n_models.copy(), e.method)


def r_from_sources(
    domains: Sequence[str] = ("vision", "language"),
    measures: Sequence[str] = MEASURES,
    *,
    csv: str | Path | None = None,
    csv_column: str = "research",
    estimators: Sequence[str] = ESTIMATORS,
    lag: int = 1,
    level: float = 0.90,
    n_boot: int = 1000,
    seed: int | None = 0,
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> RSources:
    from aiprogress.data import load_table

    models = load_table("models", catalog=catalog, data_dir=data_dir)
    tables = {"models": models}
    inputs = list(measures) + (["csv"] if csv is not None else [])
    rows, series = [], {}
    for domain in domains:
        eff = _efficiency(domain, data_dir, catalog, tables)  # loads the vision tables itself, if not memoised
        series[domain] = eff.frame()
        ln_s = eff.log10_s * LN10
        cov = eff.cov * LN10**2
        for meas in inputs:
            base = {"domain": domain, "input": meas, "software": eff.method}
            try:
                res = research_series(meas if meas != "csv" else "csv", domain=domain, models=models, data_dir=data_dir,
                                      csv=csv if meas == "csv" else None, column=csv_column)
            except AiprogressError as exc:
                for est in estimators:
                    rows.append(base | {"estimator": est, "note": str(exc)})
                continue
            res = res[res["year"] <= eff.years.max()]
            soft = pd.Series(ln_s, index=eff.years)
            t = res["year"].to_numpy(float)
            s_on_r = soft.reindex(res["year"]).to_numpy(float)
            inp = res["research_input"].to_numpy(float)
            overlap = int(np.isfinite(s_on_r).sum())
            years = f"{int(eff.years[np.isin(eff.years, res['year'])].min()) if overlap else '-'}–{int(eff.years.max())}"
            for est in estimators:
                row = base | {"estimator": est, "years": years}
                try:
                    if est == "levels":
                        f = estimate_r(t, np.exp(s_on_r), inp, n_boot=n_boot, seed=seed, level=level, sensitivity=(), progress=progress)
                        row |= {"r": f.r, "se": f.r_se, "low": f.r_ci_low, "high": f.r_ci_high, "boot_low": f.boot_ci_low,
                                "boot_high": f.boot_ci_high, "n": f.n_obs, "r0": f.r0}
                    elif est == "law_of_motion":
                        f = estimate_r_law_of_motion(t, s_on_r, inp, lag=lag, level=level)
                        row |= {"r": f.r, "se": f.se, "low": f.low, "high": f.high, "n": f.n_obs, "r0": f.r0}
                    elif est == "ml":
                        keep = np.isin(eff.years, res["year"])
                        f = estimate_r_ml(eff.years[keep].astype(float), ln_s[keep], cov[np.ix_(keep, keep)], inp, research_time=t, level=level)
                        row |= {"r": f.r, "se": f.se, "low": f.low, "high": f.high, "n": f.n_obs, "r0": f.r0,
                                "profile_low": f.extra["profile_low"], "profile_high": f.extra["profile_high"]}
                    else:
                        raise AiprogressError(f"unknown estimator {est!r}")
                    row["note"] = ""
                except AiprogressError as exc:
                    row["note"] = str(exc)
                rows.append(row)
    table = pd.DataFrame(rows)
    for col in ("r", "se", "low", "high", "n", "years", "note"):
        if col not in table:
            table[col] = np.nan
    notes = (
        "levels: OLS of log S on log R (HAC, moving-block bootstrap); law_of_motion: Δlog S_t on Δlog R_{t−lag} through the origin (HAC); "
        "ml: log S ~ N(a + r log R, σ² I + Σ) with Σ the covariance of the efficiency estimates (REML σ for the Wald interval).",
        "Research inputs: models = notable Epoch models of the domain per year; authors = distinct author names on them per year; "
        "papers = Nesta DL arXiv papers per year (all countries, 1994–2020); csv = the user's series.",
        f"The estimate of a domain entering the meta-analysis: estimator '{PREFERRED[0]}' with input '{PREFERRED[1]}'.",
    )
    return RSources(table=table, series=series, level=level, notes=notes)
