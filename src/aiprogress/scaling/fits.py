"""Compute-performance scaling fits (Thompson et al. 2020, section 3 and supplement 7).

Functional forms, with x = log10(compute) and error the error rate in (0, 1):

* ``polynomial``: log10(error) = a + b x. Compute ∝ error^(1/b), i.e. compute
  grows as a polynomial of degree -1/b in performance 1/error.
* ``exponential``: error = a + b x (compute grows exponentially as error falls;
  the paper's Table 1 column 1).
* ``exponential_performance``: 1/error = a + b x (compute grows exponentially in
  performance 1/error; this is what the paper's Table 4 estimates, see
  ``published/sources.yaml``).
* ``trend``: log10(error) = a + b x + c (year - 2012): the year term proxies
  algorithmic progress (Table 2). b / c is the number of years of algorithmic
  progress worth a 10x increase in compute.
* ``frontier``: the polynomial form fitted as the 10% conditional quantile
  (statsmodels QuantReg), the best performance reachable at a given compute.

All fits are statsmodels OLS / QuantReg on the sample frame's y ~ x (+ year) design.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result, format_table
from aiprogress.scaling.selection import BENCHMARKS, Sample, SelectionRules, build_sample
from aiprogress.stats import smapi as sm

FORMS = ("polynomial", "exponential", "exponential_performance", "trend", "frontier")
YEAR_ORIGIN = 2012  # AlexNet; the year term is (year - 2012)

_RESPONSE = {
    "polynomial": "log10 error rate",
    "exponential": "error rate",
    "exponential_performance": "1 / error rate",
    "trend": "log10 error rate",
    "frontier": "log10 error rate (10% quantile)",
}


def response(form: str, error_rate: np.ndarray | pd.Series | float) -> Any:
    """The dependent variable of ``form`` for the given error rate(s)."""
    e = np.asarray(error_rate, dtype=float) if not np.isscalar(error_rate) else float(error_rate)
    if form in ("polynomial", "trend", "frontier"):
        return np.log10(e)
    if form == "exponential":
        return e
    if form == "exponential_performance":
        return 1.0 / e
    raise ParameterError("form", f"unknown form '{form}'", expected=", ".join(FORMS))


def regression_frame(sample: Sample | pd.DataFrame, form: str) -> pd.DataFrame:
    """Columns ``y``, ``x`` (log10 compute) and ``year_since`` used by every fit."""
    frame = sample.frame if isinstance(sample, Sample) else sample
    return pd.DataFrame(
        {
            "y": response(form, frame["error_rate"].to_numpy(float)),
            "x": np.log10(frame["compute"].to_numpy(float)),
            "year_since": frame["year"].to_numpy(float) - YEAR_ORIGIN,
        }
    )


@dataclass(frozen=True)
class ScalingFit(Result):
    """One regression of performance on compute."""

    benchmark: str
    measure: str
    form: str
    response: str
    compute_unit: str
    n: int
    const: float
    const_se: float
    slope: float
    slope_se: float
    slope_pvalue: float
    year_coef: float
    year_se: float
    r2: float
    adj_r2: float
    resid_se: float
    f_stat: float
    f_pvalue: float
    aic: float
    df_resid: float
    degree: float
    degree_ci_low: float
    degree_ci_high: float
    years_per_10x: float
    years_per_10x_ci_low: float
    years_per_10x_ci_high: float
    cov_const_const: float
    cov_const_slope: float
    cov_slope_slope: float
    quantile: float | None = None
    reference_value: float | None = None

    def summary(self) -> str:
        rows = [
            ("const", self.const, self.const_se),
            ("log10(compute)", self.slope, self.slope_se),
        ]
        if not np.isnan(self.year_coef):
            rows.append((f"year - {YEAR_ORIGIN}", self.year_coef, self.year_se))
        coef = pd.DataFrame(rows, columns=["term", "coef", "std err"])
        stats_ = pd.DataFrame(
            [
                ("n", self.n),
                ("R2" if self.quantile is None else "pseudo R2", self.r2),
                ("adj. R2", self.adj_r2),
                ("residual SE", self.resid_se),
                ("F", self.f_stat),
                ("AIC", self.aic),
                ("degree -1/b [95% CI]", f"{self.degree:.3g} [{self.degree_ci_low:.3g}, {self.degree_ci_high:.3g}]"),
            ]
            + ([("years per 10x compute [95% CI]", f"{self.years_per_10x:.3g} [{self.years_per_10x_ci_low:.3g}, {self.years_per_10x_ci_high:.3g}]")] if not np.isnan(self.years_per_10x) else []),
            columns=["statistic", "value"],
        )
        title = f"{BENCHMARKS.get(self.benchmark, self.benchmark)} - {self.measure} - {self.form}: {self.response} on log10(compute [{self.compute_unit}])"
        return format_table(coef, title=title) + "\n" + format_table(stats_)


def _degree_ci(b: float, lo: float, hi: float) -> tuple[float, float, float]:
    """Implied degree -1/b and its interval from the slope interval [lo, hi]."""
    deg = -1.0 / b if b < 0 else np.inf
    if hi < 0:  # whole interval negative: -1/b is increasing in b
        return deg, -1.0 / lo, -1.0 / hi
    if lo < 0:
        return deg, -1.0 / lo, np.inf
    return deg, np.nan, np.nan


def fit_scaling(sample: Sample, form: str = "polynomial", *, quantile: float = 0.10, alpha: float = 0.05) -> ScalingFit:
    """Fit one functional form on ``sample`` (OLS, or QuantReg for ``frontier``)."""
    if form not in FORMS:
        raise ParameterError("form", f"unknown form '{form}'", expected=", ".join(FORMS))
    if not 0 < alpha < 1:
        raise ParameterError("alpha", f"{alpha}", expected="a number in (0, 1)")
    data = regression_frame(sample, form)
    k = 3 if form == "trend" else 2
    if form == "trend":
        data = data[np.isfinite(data["year_since"])]
    if len(data) < k + 1:
        raise InputError(
            f"{sample.benchmark}/{sample.measure}: only {len(data)} usable rows for the {form} fit",
            expected=f"at least {k + 1}",
        )
    if data["x"].nunique() < 2:
        raise InputError(f"{sample.benchmark}/{sample.measure}: compute does not vary in the sample", expected="two or more distinct values")
    # y ~ x (+ year_since), built as the formula would build it (an Intercept column, rows with a missing
    # value dropped) without parsing a formula on each of the report's ~40 fits
    names = ["Intercept", "x"] + (["year_since"] if form == "trend" else [])
    cols = [np.ones(len(data))] + [data[c].to_numpy(float) for c in names[1:]]
    exog = pd.DataFrame(np.column_stack(cols), columns=names, index=data.index)  # C order, as the formula's
    nan = float("nan")
    if form == "frontier":
        if not 0 < quantile < 1:
            raise ParameterError("quantile", f"{quantile}", expected="a number in (0, 1)")
        res = sm.QuantReg(data["y"], exog, missing="drop").fit(q=quantile)
        r2 = float(res.prsquared)
        adj = resid_se = f_stat = f_p = aic = nan
    else:
        res = sm.OLS(data["y"], exog, missing="drop").fit()
        r2, adj = float(res.rsquared), float(res.rsquared_adj)
        resid_se = float(np.sqrt(res.scale))
        f_stat, f_p, aic = float(res.fvalue), float(res.f_pvalue), float(res.aic)
    ci = res.conf_int(alpha=alpha)
    cov = res.cov_params()
    b = float(res.params["x"])
    if form in ("polynomial", "trend", "frontier"):
        degree, dlo, dhi = _degree_ci(b, float(ci.loc["x", 0]), float(ci.loc["x", 1]))
    else:
        degree = dlo = dhi = nan
    ypt = ylo = yhi = nan
    year_coef = year_se = nan
    if form == "trend":
        c = float(res.params["year_since"])
        year_coef, year_se = c, float(res.bse["year_since"])
        ypt = b / c
        # delta method for the ratio b / c
        grad = np.array([1.0 / c, -b / c**2])
        v = cov.loc[["x", "year_since"], ["x", "year_since"]].to_numpy()
        se = float(np.sqrt(grad @ v @ grad))
        tq = stats.t.ppf(1 - alpha / 2, res.df_resid)
        ylo, yhi = ypt - tq * se, ypt + tq * se
    return ScalingFit(
        benchmark=sample.benchmark,
        measure=sample.measure,
        form=form,
        response=_RESPONSE[form],
        compute_unit=sample.compute_unit + (" relative to " + str(sample.rules.reference_model) if sample.reference_value else ""),
        n=int(res.nobs),
        const=float(res.params["Intercept"]),
        const_se=float(res.bse["Intercept"]),
        slope=b,
        slope_se=float(res.bse["x"]),
        slope_pvalue=float(res.pvalues["x"]),
        year_coef=year_coef,
        year_se=year_se,
        r2=r2,
        adj_r2=adj,
        resid_se=resid_se,
        f_stat=f_stat,
        f_pvalue=f_p,
        aic=aic,
        df_resid=float(res.df_resid),
        degree=degree,
        degree_ci_low=dlo,
        degree_ci_high=dhi,
        years_per_10x=ypt,
        years_per_10x_ci_low=ylo,
        years_per_10x_ci_high=yhi,
        cov_const_const=float(cov.loc["Intercept", "Intercept"]),
        cov_const_slope=float(cov.loc["Intercept", "x"]),
        cov_slope_slope=float(cov.loc["x", "x"]),
        quantile=quantile if form == "frontier" else None,
        reference_value=sample.reference_value,
    )


@dataclass(frozen=True)
class ScalingFits(Result):
    """Several forms fitted on the same sample, side by side."""

    sample: Sample
    fits: tuple[ScalingFit, ...]

    def get(self, form: str) -> ScalingFit:
        for f in self.fits:
            if f.form == form:
                return f
        raise ParameterError("form", f"'{form}' was not fitted", expected=", ".join(f.form for f in self.fits))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([f.to_frame().iloc[0] for f in self.fits]).reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        return {"sample": self.sample.to_dict() | {"frame": None}, "n": self.sample.n, "dropped": self.sample.dropped,
                "rules": self.sample.rules.describe(), "fits": [f.to_dict() for f in self.fits]}

    def summary(self) -> str:
        cols = ["form", "n", "const", "const_se", "slope", "slope_se", "year_coef", "r2", "adj_r2", "resid_se", "f_stat", "aic", "degree", "degree_ci_low", "degree_ci_high", "years_per_10x"]
        return self.sample.summary() + "\n\n" + format_table(self.to_frame()[cols], title="Fits side by side")


def fit_benchmark(
    table: pd.DataFrame,
    benchmark: str,
    measure: str = "hardware_burden",
    *,
    forms: tuple[str, ...] = FORMS,
    rules: SelectionRules | None = None,
    quantile: float = 0.10,
) -> ScalingFits:
    """Build the sample for ``benchmark``/``measure`` and fit every form in ``forms``."""
    sample = build_sample(table, benchmark, measure, rules)
    return ScalingFits(sample=sample, fits=tuple(fit_scaling(sample, f, quantile=quantile) for f in forms))


@dataclass(frozen=True)
class AlgorithmicProgress(Result):
    """Year-trend estimate of algorithmic progress for one benchmark (Table 2 style).

    ``compute_multiplier_per_year`` = 10^(c/b): one year of algorithmic progress
    is worth multiplying compute by this factor. ``series`` gives the implied
    compute efficiency by year relative to ``base_year`` (1.0 there).
    """

    benchmark: str
    measure: str
    n: int
    compute_slope: float
    year_coef: float
    years_per_10x_compute: float
    years_per_10x_ci_low: float
    years_per_10x_ci_high: float
    compute_multiplier_per_year: float
    base_year: int
    series: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.series.copy()


def algorithmic_progress(
    table: pd.DataFrame | None = None,
    benchmark: str = "imagenet",
    measure: str = "per_pass",
    *,
    rules: SelectionRules | None = None,
    data_dir: Any = None,
    catalog: Any = None,
) -> AlgorithmicProgress:
    """Years of algorithmic progress per 10x compute and a per-year compute-efficiency series.

    ``table`` defaults to ``load_table("benchmark_results")``.
    """
    if table is None:
        from aiprogress.data import load_table

        table = load_table("benchmark_results", catalog=catalog, data_dir=data_dir)
    sample = build_sample(table, benchmark, measure, rules)
    fit = fit_scaling(sample, "trend")
    per_year = 10.0 ** (fit.year_coef / fit.slope)
    years = np.arange(int(np.nanmin(sample.frame["year"])), int(np.nanmax(sample.frame["year"])) + 1)
    base = int(years[0])
    series = pd.DataFrame({"year": years, "compute_efficiency": per_year ** (years - base)})
    return AlgorithmicProgress(
        benchmark=benchmark,
        measure=measure,
        n=fit.n,
        compute_slope=fit.slope,
        year_coef=fit.year_coef,
        years_per_10x_compute=fit.years_per_10x,
        years_per_10x_ci_low=fit.years_per_10x_ci_low,
        years_per_10x_ci_high=fit.years_per_10x_ci_high,
        compute_multiplier_per_year=per_year,
        base_year=base,
        series=series,
    )
