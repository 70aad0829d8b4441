"""Compute-equivalent algorithmic progress: how fast the compute needed for a fixed performance falls.

An augmented scaling law relates a performance measure ``y`` of model *i* to its
training compute and its date::

    trend form:   y_i = a + b log10 C_i + c t_i + u_i
    year FE form: y_i = a + b log10 C_i + δ_year(i) + u_i        (δ of the first year = 0)

``y`` may be "higher is better" (a capability, a logit score) or "lower is better"
(log10 error); either way, at fixed ``y`` one year of progress is worth
``g = c / b`` orders of magnitude (OOM) of compute, so the compute needed for a
fixed performance halves every ``12 log10(2) / g`` months. In the year-FE form the
time effect is the OLS slope of the year effects on the year, ``c = Σ_j w_j δ_j``
with ``w_j = (year_j − mean) / Σ (year − mean)²`` (a linear combination of the
parameters, so the same delta method applies).

Intervals:

* **analytic** (delta method): ``se(g)² = ∇gᵀ V ∇g`` with V the HC1 covariance of
  the OLS parameters (statsmodels); the normal interval for g is mapped through the
  monotone ``12 log10 2 / g``. When the lower bound of g is <= 0 the upper bound of
  the halving time is unbounded (``None`` with a flag in JSON);
* **bootstrap**: a seeded pairs bootstrap over models (stratified by year in the
  FE form so every year effect stays identified), percentile interval of the
  halving time (draws with g <= 0 count as an unbounded halving time).

Written by hand only in the bootstrap (multinomial row counts as weights, one batched
solve of the normal equations per chunk of draws); the fits themselves are statsmodels OLS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table
from aiprogress.stats import smapi as sm

__all__ = ["FORMS", "HalvingEstimate", "fit_halving", "halving_months_from_rate", "simulate_halving_data"]

FORMS = ("trend", "year_fe")
LOG10_2 = math.log10(2.0)


def halving_months_from_rate(g: float | np.ndarray) -> float | np.ndarray:
    """Months for the compute needed at fixed performance to halve, given g OOM per year (inf if g <= 0)."""
    g = np.asarray(g, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(g > 0, 12.0 * LOG10_2 / np.where(g > 0, g, 1.0), np.inf)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class HalvingEstimate(Result):
    """Compute halving time at fixed performance, with delta-method and bootstrap intervals."""

    label: str
    form: str
    performance: str
    n_obs: int
    level: float
    coef_compute: float
    coef_time: float
    rate_oom_per_year: float
    rate_se: float
    halving_months: float
    delta_low: float
    delta_high: float
    boot_low: float
    boot_high: float
    n_boot: int
    n_boot_used: int
    r_squared: float
    seed: int | None
    extra_terms: tuple[str, ...] = ()
    params: dict = field(default_factory=dict, repr=False)
    data: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "label": self.label,
                    "form": self.form,
                    "n": self.n_obs,
                    "halving_months": self.halving_months,
                    "delta_low": self.delta_low,
                    "delta_high": self.delta_high,
                    "boot_low": self.boot_low,
                    "boot_high": self.boot_high,
                    "oom_per_year": self.rate_oom_per_year,
                    "b_log10_compute": self.coef_compute,
                    "c_time": self.coef_time,
                }
            ]
        )

    def summary(self) -> str:
        title = f"Compute halving time at fixed {self.performance} ({self.level:.0%} intervals; bootstrap {self.n_boot_used}/{self.n_boot} draws)"
        return "\n\n".join([format_table(self.to_frame(), title=title), *self.notes])


def _design(log10_c: np.ndarray, t: np.ndarray, form: str, extra: dict[str, np.ndarray]) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
    cols: dict[str, np.ndarray] = {"const": np.ones_like(log10_c), "log10_compute": log10_c}
    for name, vals in extra.items():
        cols[name] = vals
    years: list[int] = []
    w = np.zeros(0)
    if form == "trend":
        cols["time"] = t
    else:
        yr = np.floor(t).astype(int)
        years = sorted(set(yr.tolist()))
        if len(years) < 3:
            raise ParameterError("form", f"year fixed effects need at least 3 distinct years, got {len(years)}", expected="more years or form='trend'")
        for y in years[1:]:
            cols[f"year_{y}"] = (yr == y).astype(float)
        x = np.asarray(years, dtype=float)
        w = (x - x.mean()) / float(((x - x.mean()) ** 2).sum())
    return pd.DataFrame(cols), w, years


def _rate_and_grad(params: np.ndarray, names: list[str], form: str, w: np.ndarray) -> tuple[float, np.ndarray]:
    """g = c / b and its gradient with respect to the parameter vector."""
    ib = names.index("log10_compute")
    b = params[ib]
    grad = np.zeros_like(params)
    if form == "trend":
        ic = names.index("time")
        c = params[ic]
        grad[ic] = 1.0 / b
    else:
        idx = [i for i, n in enumerate(names) if n.startswith("year_")]
        c = float(w[1:] @ params[idx])  # δ of the first year is 0
        grad[idx] = w[1:] / b
    grad[ib] = -c / b**2
    return float(c / b), grad


def _time_coef(params: np.ndarray, names: list[str], form: str, w: np.ndarray) -> float:
    if form == "trend":
        return float(params[names.index("time")])
    idx = [i for i, n in enumerate(names) if n.startswith("year_")]
    return float(w[1:] @ params[idx])


def _bootstrap_rates(
    x: np.ndarray, y: np.ndarray, names: list[str], form: str, w: np.ndarray, strata: np.ndarray | None,
    n_boot: int, rng: np.random.Generator, progress: Callable[[int], None] | None, chunk: int = 500,
) -> np.ndarray:
    """Pairs bootstrap of g = c / b, vectorised: a draw is a vector of multinomial counts of the rows.

    The OLS fit of a resample is the weighted least-squares fit with those counts as
    weights, so each chunk of draws is one batched solve of the normal equations.
    Draws whose design is rank-deficient (a year effect unidentified) are NaN.
    """
    n, k = x.shape
    out = np.full(n_boot, np.nan)
    groups = [np.arange(n)] if strata is None else [np.flatnonzero(strata == s) for s in np.unique(strata)]
    ib = names.index("log10_compute")
    done = 0
    while done < n_boot:
        m = min(chunk, n_boot - done)
        counts = np.zeros((m, n))
        for g in groups:
            counts[:, g] = rng.multinomial(g.size, np.full(g.size, 1.0 / g.size), size=m)
        xtx = np.einsum("bi,ij,ik->bjk", counts, x, x)
        xty = np.einsum("bi,ij,i->bj", counts, x, y)
        ok = np.linalg.matrix_rank(xtx) == k
        beta = np.full((m, k), np.nan)
        if ok.any():
            beta[ok] = np.linalg.solve(xtx[ok], xty[ok][..., None])[..., 0]
        b = beta[:, ib]
        if form == "trend":
            c = beta[:, names.index("time")]
        else:
            idx = [i for i, nm in enumerate(names) if nm.startswith("year_")]
            c = beta[:, idx] @ w[1:]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[done:done + m] = np.where(b != 0, c / b, np.nan)
        done += m
        if progress is not None:
            progress(m)
    return out


def fit_halving(
    performance: Sequence[float],
    log10_compute: Sequence[float],
    time: Sequence[float],
    *,
    form: str = "trend",
    extra: dict[str, Sequence[float]] | None = None,
    label: str = "",
    performance_name: str = "performance",
    level: float = 0.90,
    n_boot: int = 1000,
    seed: int | None = 0,
    notes: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> HalvingEstimate:
    """Fit ``performance ~ log10 compute + time`` (trend or year FE) and return the compute halving time.

    ``performance`` is any measure linear in the regressors (log10 error, logit
    score, a latent capability); ``time`` is in decimal years; ``extra`` adds
    regressors (e.g. log10 parameters) held fixed when the rate is computed.
    """
    if form not in FORMS:
        raise ParameterError("form", f"got {form!r}", expected=" | ".join(FORMS))
    if not 0 < level < 1:
        raise ParameterError("level", f"got {level}", expected="0 < level < 1")
    if n_boot < 0:
        raise ParameterError("n_boot", f"got {n_boot}", expected="an integer >= 0")
    y = np.asarray(performance, dtype=float)
    lc = np.asarray(log10_compute, dtype=float)
    t = np.asarray(time, dtype=float)
    ex = {k: np.asarray(v, dtype=float) for k, v in (extra or {}).items()}
    if not (y.size == lc.size == t.size) or any(v.size != y.size for v in ex.values()):
        raise ParameterError("performance", "performance, compute, time (and extra terms) have different lengths", expected="equal lengths")
    ok = np.isfinite(y) & np.isfinite(lc) & np.isfinite(t)
    for v in ex.values():
        ok &= np.isfinite(v)
    y, lc, t = y[ok], lc[ok], t[ok]
    ex = {k: v[ok] for k, v in ex.items()}
    design, w, years = _design(lc, t, form, ex)
    if len(y) < design.shape[1] + 2:
        raise ParameterError("performance", f"only {len(y)} usable rows for {design.shape[1]} parameters", expected="more observations")
    fit = sm.OLS(y, design).fit(cov_type="HC1")
    names = list(design.columns)
    params = np.asarray(fit.params, dtype=float)
    cov = np.asarray(fit.cov_params(), dtype=float)
    g, grad = _rate_and_grad(params, names, form, w)
    se = float(math.sqrt(max(grad @ cov @ grad, 0.0)))
    z = float(stats.norm.ppf(0.5 + level / 2))
    g_lo, g_hi = g - z * se, g + z * se
    months = halving_months_from_rate(g)
    d_low = halving_months_from_rate(g_hi) if g_hi > 0 else math.inf
    d_high = halving_months_from_rate(g_lo)
    rng = np.random.default_rng(seed)
    b_low = b_high = math.nan
    used = 0
    if n_boot > 0:
        strata = np.floor(t).astype(int) if form == "year_fe" else None
        rates = _bootstrap_rates(design.to_numpy(float), y, names, form, w, strata, int(n_boot), rng, progress)
        rates = rates[np.isfinite(rates)]
        used = int(rates.size)
        if used:
            # quantiles of the rate, mapped through the decreasing 12 log10(2) / g (g <= 0: unbounded halving time)
            g_q = np.quantile(rates, [0.5 + level / 2, 0.5 - level / 2])
            b_low, b_high = (float(halving_months_from_rate(v)) for v in g_q)
    data = pd.DataFrame({"performance": y, "log10_compute": lc, "time": t, **ex})
    return HalvingEstimate(
        label=label,
        form=form,
        performance=performance_name,
        n_obs=int(len(y)),
        level=float(level),
        coef_compute=float(params[names.index("log10_compute")]),
        coef_time=_time_coef(params, names, form, w),
        rate_oom_per_year=g,
        rate_se=se,
        halving_months=float(months),
        delta_low=float(d_low),
        delta_high=float(d_high),
        boot_low=b_low,
        boot_high=b_high,
        n_boot=int(n_boot),
        n_boot_used=used,
        r_squared=float(fit.rsquared),
        seed=seed if isinstance(seed, (int, np.integer)) or seed is None else None,
        extra_terms=tuple(ex),
        params={k: float(v) for k, v in zip(names, params)},
        data=data,
        notes=tuple(notes),
    )


def simulate_halving_data(
    seed: int,
    *,
    halving_months: float = 9.0,
    n: int = 80,
    coef_compute: float = -0.12,
    noise: float = 0.04,
    start: float = 2012.0,
    years: float = 9.0,
) -> pd.DataFrame:
    """Synthetic models with a known compute halving time (log10 error = a + b log10 C + c t + e).

    Dates uniform over ``years`` from ``start``; log10 compute trending up 0.5 OOM a
    year with sd 1; ``c = b · 12 log10(2) / halving_months`` so that g = c / b.
    """
    rng = np.random.default_rng(seed)
    t = start + rng.uniform(0, years, n)
    lc = 17.0 + 0.5 * (t - start) + rng.normal(0, 1.0, n)
    c = coef_compute * 12.0 * LOG10_2 / halving_months
    y = -0.3 + coef_compute * (lc - 17.0) + c * (t - start) + rng.normal(0, noise, n)
    return pd.DataFrame({"time": t, "log10_compute": lc, "log10_error": y})

