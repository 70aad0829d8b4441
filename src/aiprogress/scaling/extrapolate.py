"""Compute needed to reach a target error, with an interval, dollars and CO2.

Point estimate (closed form): the fitted line g(error) = a + b x solved at the
target, x* = (g(target) - a) / b with x = log10(compute) and g the form's
response (log10 error, error or 1/error).

Interval: Fieller's interval for the ratio, i.e. the set of x whose 95%
confidence band for the fitted mean a + b x contains g(target):
(g - a - b x)^2 <= t^2 (Var a + 2 x Cov(a, b) + x^2 Var b), t the Student
quantile on the fit's residual degrees of freedom. When the slope is not
significantly different from zero the set is unbounded and the upper (or
lower) end is reported as infinite. (Hand-written: statsmodels has no inverse
prediction / calibration interval.)

Dollars and CO2 use :class:`CostConversion`; the defaults come from
``published/conversions.yaml`` (Strubell et al. 2019, as used by Thompson et
al. 2020) and apply to hardware burden in GFLOP only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table
from aiprogress.scaling.fits import ScalingFit, fit_scaling, response
from aiprogress.scaling.selection import PAPER_BENCHMARKS, SelectionRules, build_sample


def _conversions_yaml() -> dict[str, Any]:
    return dict(_conversions_parsed())  # a copy: callers may not change the parsed file


@functools.lru_cache(maxsize=1)
def _conversions_parsed() -> dict[str, Any]:
    text = resources.files("aiprogress.scaling").joinpath("published/conversions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class CostConversion(Result):
    """GFLOP of hardware burden -> USD and lbs CO2e (override any field)."""

    usd_per_gflop: float
    co2_lbs_per_gflop: float
    source: str

    @classmethod
    def default(cls, *, usd_per_gflop: float | None = None, co2_lbs_per_gflop: float | None = None) -> "CostConversion":
        d = _conversions_yaml()
        usd = float(d["usd_per_gflop"]) if usd_per_gflop is None else float(usd_per_gflop)
        co2 = float(d["co2_lbs_per_gflop"]) if co2_lbs_per_gflop is None else float(co2_lbs_per_gflop)
        for name, v in (("usd_per_gflop", usd), ("co2_lbs_per_gflop", co2)):
            if not v > 0:
                raise ParameterError(name, f"{v}", expected="a positive number")
        src = str(d["source"]) if usd_per_gflop is None and co2_lbs_per_gflop is None else "user override (defaults: " + str(d["source"]) + ")"
        return cls(usd_per_gflop=usd, co2_lbs_per_gflop=co2, source=src)


def inverse_interval(fit: ScalingFit, y_target: float, alpha: float = 0.05) -> tuple[float, float, float]:
    """Point and Fieller interval of x = log10(compute) at which the fitted mean equals ``y_target``."""
    a, b = fit.const, fit.slope
    x0 = (y_target - a) / b
    t = float(stats.t.ppf(1 - alpha / 2, fit.df_resid))
    d = y_target - a
    qa = b * b - t * t * fit.cov_slope_slope
    qb = -2.0 * (d * b + t * t * fit.cov_const_slope)
    qc = d * d - t * t * fit.cov_const_const
    if qa <= 0:  # slope not significant at this level: the confidence set is unbounded
        return x0, -np.inf, np.inf
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return x0, np.nan, np.nan
    r = np.sqrt(disc)
    lo, hi = (-qb - r) / (2 * qa), (-qb + r) / (2 * qa)
    return x0, float(lo), float(hi)


@dataclass(frozen=True)
class Extrapolation(Result):
    """Compute (and cost) to reach ``target_error`` under one fitted form."""

    benchmark: str
    measure: str
    form: str
    target_error: float
    compute_unit: str
    log10_compute: float
    log10_compute_low: float
    log10_compute_high: float
    compute: float
    compute_low: float
    compute_high: float
    log10_usd: float
    log10_usd_low: float
    log10_usd_high: float
    log10_co2_lbs: float
    log10_co2_lbs_low: float
    log10_co2_lbs_high: float
    usd: float
    co2_lbs: float
    co2_kg: float
    slope: float
    n: int
    note: str = ""


def _pow10(v: float) -> float:
    if np.isnan(v):
        return np.nan
    if v > 308:
        return np.inf
    if v < -323:
        return 0.0
    return float(10.0**v)


def extrapolate_fit(fit: ScalingFit, target_error: float, conversion: CostConversion | None = None, alpha: float = 0.05) -> Extrapolation:
    """Closed-form extrapolation of one fit to ``target_error`` (fraction in (0, 1))."""
    if not 0 < target_error < 1:
        raise ParameterError("target_error", f"{target_error}", expected="an error rate in (0, 1), e.g. 0.05 for 5%")
    if fit.form in ("trend",):
        raise ParameterError("form", "the trend model needs a year to extrapolate", expected="polynomial, exponential, exponential_performance or frontier")
    conversion = conversion or CostConversion.default()
    y = float(response(fit.form, target_error))
    x0, lo, hi = inverse_interval(fit, y, alpha) if fit.form != "frontier" else ((y - fit.const) / fit.slope, np.nan, np.nan)
    ref = fit.reference_value
    shift = np.log10(ref) if ref else 0.0  # back to absolute FLOP when compute was relative to a reference model
    x0, lo, hi = x0 + shift, lo + shift, hi + shift
    unit = fit.compute_unit.split(" relative")[0]
    note = ""
    if unit == "GFLOP" and fit.measure == "hardware_burden":
        lu, lc = np.log10(conversion.usd_per_gflop), np.log10(conversion.co2_lbs_per_gflop)
        usd = (x0 + lu, lo + lu, hi + lu)
        co2 = (x0 + lc, lo + lc, hi + lc)
    else:
        usd = co2 = (np.nan, np.nan, np.nan)
        note = "dollars and CO2 are given for hardware burden (GFLOP) only"
    if fit.form == "frontier":
        note = (note + "; " if note else "") + "no interval for the quantile frontier"
    return Extrapolation(
        benchmark=fit.benchmark,
        measure=fit.measure,
        form=fit.form,
        target_error=float(target_error),
        compute_unit=unit,
        log10_compute=float(x0),
        log10_compute_low=float(lo),
        log10_compute_high=float(hi),
        compute=_pow10(x0),
        compute_low=_pow10(lo),
        compute_high=_pow10(hi),
        log10_usd=float(usd[0]),
        log10_usd_low=float(usd[1]),
        log10_usd_high=float(usd[2]),
        log10_co2_lbs=float(co2[0]),
        log10_co2_lbs_low=float(co2[1]),
        log10_co2_lbs_high=float(co2[2]),
        usd=_pow10(usd[0]),
        co2_lbs=_pow10(co2[0]),
        co2_kg=_pow10(co2[0]) * float(_conversions_yaml()["kg_per_lb"]),
        slope=fit.slope,
        n=fit.n,
        note=note,
    )


@dataclass(frozen=True)
class ExtrapolationSet(Result):
    benchmark: str
    measure: str
    target_error: float
    conversion: CostConversion
    results: tuple[Extrapolation, ...]
    dropped: dict[str, int]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.to_frame().iloc[0] for r in self.results]).reset_index(drop=True)

    def summary(self) -> str:
        cols = ["form", "n", "log10_compute", "log10_compute_low", "log10_compute_high", "log10_usd", "log10_co2_lbs"]
        title = f"{self.benchmark} ({self.measure}): compute to reach {self.target_error:.2%} error [{self.results[0].compute_unit}, log10, 95% Fieller interval]"
        notes = list(dict.fromkeys(r.note for r in self.results if r.note))
        return (
            format_table(self.to_frame()[cols], title=title, floatfmt="{:.3g}")
            + f"\nconversion: ${self.conversion.usd_per_gflop:.3g}/GFLOP, {self.conversion.co2_lbs_per_gflop:.3g} lbs CO2e/GFLOP ({self.conversion.source})"
            + "".join(f"\nnote: {n}" for n in notes)
        )


def extrapolate(
    table: pd.DataFrame,
    benchmark: str,
    target_error: float,
    *,
    measure: str = "hardware_burden",
    forms: tuple[str, ...] = ("polynomial", "exponential", "exponential_performance"),
    rules: SelectionRules | None = None,
    conversion: CostConversion | None = None,
    alpha: float = 0.05,
) -> ExtrapolationSet:
    """Compute, dollars and CO2 needed to reach ``target_error`` on ``benchmark``, for each form."""
    conversion = conversion or CostConversion.default()
    sample = build_sample(table, benchmark, measure, rules)
    res = tuple(extrapolate_fit(fit_scaling(sample, f), target_error, conversion, alpha) for f in forms)
    return ExtrapolationSet(benchmark=benchmark, measure=measure, target_error=float(target_error), conversion=conversion, results=res, dropped=sample.dropped)


def published_figure4() -> pd.DataFrame:
    """The paper's Figure 4 (log10 orders of magnitude) as a DataFrame."""
    with resources.files("aiprogress.scaling").joinpath("published/thompson2020_figure4.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


@dataclass(frozen=True)
class Figure4Table(Result):
    """Figure-4-style table: reproduced vs published orders of magnitude."""

    table: pd.DataFrame
    conversion: CostConversion

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        cols = ["benchmark", "label", "error_rate", "form", "log10_gflop", "log10_gflop_low", "log10_gflop_high", "published_log10_gflop", "diff_log10", "log10_co2_lbs", "published_log10_co2_lbs", "log10_usd", "published_log10_usd"]
        return format_table(self.table[cols], title="Figure 4: compute (GFLOP), CO2 (lbs) and cost (USD) to reach each error rate, log10", floatfmt="{:.3g}")


def figure4_table(
    table: pd.DataFrame,
    *,
    benchmarks: tuple[str, ...] = PAPER_BENCHMARKS,
    conversion: CostConversion | None = None,
    alpha: float = 0.05,
) -> Figure4Table:
    """Extrapolate the hardware-burden fits to the paper's 'today' and target error rates.

    'polynomial' is Table 3's form; 'exponential' here is the paper's
    exponential model (Table 4: 1/error linear in log10 compute).
    """
    conversion = conversion or CostConversion.default()
    pub = published_figure4()
    rows = []
    for b in benchmarks:
        sample = build_sample(table, b, "hardware_burden")
        fits = {"polynomial": fit_scaling(sample, "polynomial"), "exponential": fit_scaling(sample, "exponential_performance")}
        for _, p in pub[pub["benchmark"] == b].iterrows():
            for label, fit in fits.items():
                e = extrapolate_fit(fit, float(p["error_rate"]), conversion, alpha)
                rows.append(
                    {
                        "benchmark": b,
                        "label": p["label"],
                        "error_rate": float(p["error_rate"]),
                        "form": label,
                        "log10_gflop": e.log10_compute,
                        "log10_gflop_low": e.log10_compute_low,
                        "log10_gflop_high": e.log10_compute_high,
                        "published_log10_gflop": float(p[f"{label}_log10_gflop"]),
                        "diff_log10": e.log10_compute - float(p[f"{label}_log10_gflop"]),
                        "log10_co2_lbs": e.log10_co2_lbs,
                        "published_log10_co2_lbs": float(p[f"{label}_log10_co2_lbs"]),
                        "log10_usd": e.log10_usd,
                        "published_log10_usd": float(p[f"{label}_log10_usd"]),
                        "n": e.n,
                    }
                )
    return Figure4Table(table=pd.DataFrame(rows), conversion=conversion)
