"""Software-efficiency and research-input series from the catalog tables (ImageNet, Epoch models).

Moved here from ``aiprogress.takeoff.estimate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result
from aiprogress.stats import smapi as sm

__all__ = ["SoftwareSeries", "imagenet_software_series", "scaling_software_series", "vision_research_series"]

@dataclass(frozen=True)
class SoftwareSeries(Result):
    """A software-efficiency series S(t) derived from benchmark data, with how it was made."""

    series: pd.DataFrame
    method: str
    compute_error_elasticity: float
    n_models: int
    halving_time_years: float

    def to_frame(self) -> pd.DataFrame:
        return self.series


def imagenet_software_series(benchmark_results: pd.DataFrame, *, min_models_per_year: int = 2, include_extra_data: bool = False) -> SoftwareSeries:
    """Compute efficiency of ImageNet models at fixed error, by year.

    OLS (statsmodels) of ``log10 forward_flop`` on ``log10 error_rate`` and year
    fixed effects over the ImageNet rows with both values (models trained with
    extra data excluded unless ``include_extra_data``). The year effect δ_y is the
    log10 compute per forward pass needed, at a fixed error, in year y; software
    efficiency is ``S_y = 10^{−(δ_y − δ_first)}`` (1 in the first year).
    """
    need = {"benchmark", "year", "error_rate", "forward_flop"}
    missing = need - set(benchmark_results.columns)
    if missing:
        raise InputError("benchmark_results table lacks columns", column=", ".join(sorted(missing)), expected="the benchmark_results schema")
    d = benchmark_results[benchmark_results["benchmark"] == "imagenet"].copy()
    if not include_extra_data and "extra_data" in d.columns:
        d = d[d["extra_data"].astype("boolean").fillna(False).astype(bool) == False]  # noqa: E712
    d["error_rate"] = pd.to_numeric(d["error_rate"], errors="coerce")
    d["forward_flop"] = pd.to_numeric(d["forward_flop"], errors="coerce")
    d = d[(d["error_rate"] > 0) & (d["error_rate"] < 1) & (d["forward_flop"] > 0) & d["year"].notna()]
    d["year"] = d["year"].astype(int)
    counts = d.groupby("year").size()
    years = sorted(counts[counts >= min_models_per_year].index)
    d = d[d["year"].isin(years)]
    if len(years) < 4:
        raise InputError(
            f"only {len(years)} years with >= {min_models_per_year} ImageNet models having both error and FLOP",
            column="forward_flop",
            expected="at least 4 years",
        )
    dummies = pd.get_dummies(d["year"], prefix="y", drop_first=True, dtype=float)
    x = pd.concat([pd.Series(1.0, index=d.index, name="const"), np.log10(d["error_rate"]).rename("log10_error"), dummies], axis=1)
    fit = sm.OLS(np.log10(d["forward_flop"]), x).fit(cov_type="HC1")
    delta = np.array([0.0] + [float(fit.params[f"y_{y}"]) for y in years[1:]])
    se = np.array([0.0] + [float(fit.bse[f"y_{y}"]) for y in years[1:]])
    # Trend for the headline halving time: OLS of δ on year.
    slope = float(np.polyfit(np.asarray(years, dtype=float), delta, 1)[0])
    series = pd.DataFrame(
        {
            "year": years,
            "n_models": [int(counts[y]) for y in years],
            "log10_flop_at_fixed_error": delta,
            "log10_flop_se": se,
            "software_efficiency": 10.0 ** (-delta),
        }
    )
    return SoftwareSeries(
        series=series,
        method="year fixed effects in log10 forward FLOP ~ log10 error (ImageNet, statsmodels OLS, HC1)",
        compute_error_elasticity=float(fit.params["log10_error"]),
        n_models=int(len(d)),
        halving_time_years=float(math.log10(2) / -slope) if slope < 0 else math.inf,
    )


def vision_research_series(models: pd.DataFrame, *, measure: str = "models", domain: str = "Vision") -> pd.DataFrame:
    """Research input per year from the Epoch models table: notable ``domain`` models or their authors.

    ``measure="models"`` counts models per publication year whose domain list
    contains ``domain``; ``"authors"`` sums the number of listed authors of those
    models (a proxy for researcher-years; one author on two models counts twice).
    """
    if measure not in ("models", "authors"):
        raise ParameterError("measure", f"got {measure!r}", expected="models | authors")
    need = {"domain", "publication_date"} | ({"authors"} if measure == "authors" else set())
    missing = need - set(models.columns)
    if missing:
        raise InputError("models table lacks columns", column=", ".join(sorted(missing)), expected="the models schema")
    m = models[models["domain"].fillna("").astype(str).str.contains(domain, case=False, regex=False)].copy()
    m["year"] = pd.to_datetime(m["publication_date"], errors="coerce").dt.year
    m = m[m["year"].notna()]
    m["year"] = m["year"].astype(int)
    if measure == "models":
        per_year = m.groupby("year").size().astype(float)
    else:

        def n_auth(v: Any) -> int:
            if isinstance(v, (list, tuple, np.ndarray)):
                return len(v)
            if isinstance(v, str) and v.strip():
                return len([a for a in v.split(",") if a.strip()])
            return 0

        per_year = m.assign(n=m["authors"].map(n_auth)).groupby("year")["n"].sum().astype(float)
    if per_year.empty:
        raise InputError(f"no models with domain containing {domain!r}", column="domain", expected="Epoch models table")
    full = pd.RangeIndex(int(per_year.index.min()), int(per_year.index.max()) + 1)
    per_year = per_year.reindex(full, fill_value=0.0)
    return pd.DataFrame({"year": full.to_numpy(), "research_input": per_year.to_numpy()})


def scaling_software_series(benchmark_results: pd.DataFrame, benchmark: str = "imagenet") -> tuple[pd.DataFrame, str]:
    """S(t) from the scaling capability's ``algorithmic_progress`` (a log-linear year trend)."""
    from aiprogress.scaling.fits import algorithmic_progress

    res = algorithmic_progress(benchmark_results, benchmark=benchmark)
    frame = res.series.rename(columns={"compute_efficiency": "software_efficiency"})[["year", "software_efficiency"]]
    desc = (
        f"aiprogress.scaling.algorithmic_progress(benchmark='{benchmark}'): year trend, compute multiplier "
        f"{res.compute_multiplier_per_year:.2f} per year, n = {res.n}"
    )
    return frame, desc

