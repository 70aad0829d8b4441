"""Estimating the CES substitution parameter ρ (σ) from data.

ρ and σ
-------
Research (or any) output ``Y`` from labour ``L`` and capital ``K`` with constant
returns to scale::

    Y = A [α L^ρ + (1−α) K^ρ]^{1/ρ},      σ = 1/(1−ρ)   (ρ → 0: Cobb–Douglas A L^α K^{1−α})

Two estimators are offered, both on ``log Y`` (multiplicative errors):

* **translog** (Kmenta 1967): a second-order expansion of ``log Y`` in ρ around 0,
  ``log Y = log A + α log L + (1−α) log K + ½ ρ α(1−α) (log L − log K)² + u``.
  With constant returns imposed this is the OLS regression
  ``log(Y/K) = b0 + b1 log(L/K) + b2 log(L/K)²`` (statsmodels), so
  ``α = b1`` and ``ρ = 2 b2 / (b1 (1−b1))``; the standard errors of ρ and σ come
  from the delta method on the OLS covariance. The expansion is exact only at
  ρ = 0; far from 0, or when ``L/K`` varies over many orders of magnitude, use NLS.
* **nls**: nonlinear least squares on the CES itself
  (``scipy.optimize.least_squares``), parameters ``log A``, α, ρ, with
  standard errors ``s² (JᵀJ)⁻¹`` from the Jacobian at the optimum. Near ρ = 0 the
  CES is evaluated through its cumulant expansion, so the fit moves through the
  Cobb–Douglas limit continuously.

Normalisation: before fitting, ``Y``, ``L`` and ``K`` are divided by their sample
geometric means (a "normalised CES", La Grandville; Klump, McAdam and Willman).
ρ does not depend on this choice; α is then the distribution parameter at the
geometric-mean point (the labour share there under competitive factor pricing),
and ``A`` is output there relative to the geometric mean of ``Y``.

The returns to software r are estimated in :mod:`aiprogress.algorithmic`
(``aiprogress algorithmic returns``); this module keeps ρ and σ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table
from aiprogress.stats import smapi as sm
from aiprogress.stats.columns import read_columns
from aiprogress.takeoff.ces import ces_log_output

__all__ = [
    "RhoEstimate",
    "RhoEstimates",
    "read_columns",
    "estimate_rho_translog",
    "estimate_rho_nls",
    "estimate_rho",
    "estimate_rho_csv",
]

def _check_arrays(named: dict[str, Any], *, positive: bool = True) -> dict[str, np.ndarray]:
    out = {}
    n = None
    for name, val in named.items():
        arr = np.asarray(val, dtype=float).ravel()
        if n is None:
            n = arr.size
        elif arr.size != n:
            raise ParameterError(name, f"has {arr.size} values, the others {n}", expected="arrays of equal length")
        if not np.all(np.isfinite(arr)):
            raise ParameterError(name, "contains missing or non-finite values", expected="finite numbers")
        if positive and np.any(arr <= 0):
            raise ParameterError(name, "contains values <= 0 (logarithms are needed)", expected="values > 0")
        out[name] = arr
    return out


# ---------------------------------------------------------------------------
# ρ: translog and NLS
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RhoEstimate(Result):
    """ρ (and σ, α, A) of a constant-returns CES fitted by one method."""

    method: str
    rho: float
    rho_se: float
    rho_ci_low: float
    rho_ci_high: float
    sigma: float
    sigma_se: float
    alpha: float
    alpha_se: float
    log_scale: float
    log_scale_se: float
    n_obs: int
    rss: float
    r_squared: float
    cov_type: str
    level: float
    normalisation: dict[str, float]
    coefficients: pd.DataFrame = field(repr=False)
    converged: bool = True
    note: str = ""

    def to_frame(self) -> pd.DataFrame:
        z = stats.norm.ppf(0.5 + self.level / 2)
        rows = [
            ("rho", self.rho, self.rho_se),
            ("sigma", self.sigma, self.sigma_se),
            ("alpha", self.alpha, self.alpha_se),
            ("log_scale", self.log_scale, self.log_scale_se),
        ]
        frame = pd.DataFrame(rows, columns=["parameter", "estimate", "se"])
        frame["ci_low"] = frame["estimate"] - z * frame["se"]
        frame["ci_high"] = frame["estimate"] + z * frame["se"]
        frame.loc[0, ["ci_low", "ci_high"]] = [self.rho_ci_low, self.rho_ci_high]
        frame.insert(0, "method", self.method)
        return frame

    def summary(self) -> str:
        title = f"CES ρ by {self.method} (n = {self.n_obs}, {self.cov_type} SEs, {self.level:.0%} intervals)"
        text = format_table(self.to_frame().drop(columns="method"), title=title)
        if self.note:
            text += f"\n{self.note}"
        return text


@dataclass(frozen=True)
class RhoEstimates(Result):
    """Results of one or both ρ estimators on the same data."""

    estimates: dict[str, RhoEstimate]
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source}
        for name, est in self.estimates.items():
            d = est.to_dict()
            d["coefficients"] = d.pop("coefficients")
            out[name] = d
        return out

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([e.to_frame() for e in self.estimates.values()], ignore_index=True)

    def summary(self) -> str:
        head = f"Source: {self.source}\n" if self.source else ""
        return head + "\n\n".join(e.summary() for e in self.estimates.values())


def _normalise(y: np.ndarray, l: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, float]]:
    ly, ll, lk = np.log(y), np.log(l), np.log(k)
    norm = {"output_geomean": float(np.exp(ly.mean())), "labour_geomean": float(np.exp(ll.mean())), "capital_geomean": float(np.exp(lk.mean()))}
    return ly - ly.mean(), ll - ll.mean(), lk - lk.mean(), norm


def _prepare_ces_data(output: Sequence[float], labour: Sequence[float], capital: Sequence[float]):
    """Validate the series and return normalised logs (ly, ll, lk, norm); ρ needs L/K to vary."""
    a = _check_arrays({"output": output, "labour": labour, "capital": capital})
    if a["output"].size < 5:
        raise ParameterError("output", f"only {a['output'].size} observations", expected="at least 5")
    ly, ll, lk, norm = _normalise(a["output"], a["labour"], a["capital"])
    if np.ptp(ll - lk) < 1e-12:
        raise ParameterError("labour", "log(L/K) does not vary, ρ is not identified", expected="variation in L/K")
    return ly, ll, lk, norm


def estimate_rho_translog(
    output: Sequence[float],
    labour: Sequence[float],
    capital: Sequence[float],
    *,
    cov_type: str = "nonrobust",
    level: float = 0.95,
) -> RhoEstimate:
    """ρ by the Kmenta translog approximation (OLS, delta-method SEs); see the module docstring."""
    ly, ll, lk, norm = _prepare_ces_data(output, labour, capital)
    x = ll - lk
    design = np.column_stack([np.ones_like(x), x, x**2])
    fit = sm.OLS(ly - lk, design).fit(cov_type=cov_type)
    b = np.asarray(fit.params)
    cov = np.asarray(fit.cov_params())
    b1, b2 = b[1], b[2]
    q = b1 * (1.0 - b1)
    if abs(q) < 1e-12:
        raise ParameterError("output", "fitted α is 0 or 1, ρ is not identified", expected="data with both inputs mattering")
    rho = 2.0 * b2 / q
    grad = np.array([0.0, -2.0 * b2 * (1.0 - 2.0 * b1) / q**2, 2.0 / q])  # ∂ρ/∂(b0, b1, b2)
    rho_se = float(np.sqrt(grad @ cov @ grad))
    z = stats.norm.ppf(0.5 + level / 2)
    sigma = 1.0 / (1.0 - rho) if rho < 1 else math.nan
    coefs = pd.DataFrame(
        {
            "term": ["const", "log(L/K)", "log(L/K)^2"],
            "coef": b,
            "se": np.asarray(fit.bse),
        }
    )
    return RhoEstimate(
        method="translog",
        rho=float(rho),
        rho_se=rho_se,
        rho_ci_low=float(rho - z * rho_se),
        rho_ci_high=float(rho + z * rho_se),
        sigma=float(sigma),
        sigma_se=float(rho_se / (1.0 - rho) ** 2) if rho < 1 else math.nan,
        alpha=float(b1),
        alpha_se=float(np.sqrt(cov[1, 1])),
        log_scale=float(b[0]),
        log_scale_se=float(np.sqrt(cov[0, 0])),
        n_obs=int(x.size),
        rss=float(fit.ssr),
        r_squared=float(1.0 - fit.ssr / np.sum((ly - ly.mean()) ** 2)),
        cov_type=cov_type,
        level=level,
        normalisation=norm,
        coefficients=coefs,
        note="log(Y/K) = b0 + b1 log(L/K) + b2 log(L/K)^2 on geometric-mean-normalised data; α = b1, ρ = 2 b2/(b1(1−b1)), delta-method SEs.",
    )


def estimate_rho_nls(
    output: Sequence[float],
    labour: Sequence[float],
    capital: Sequence[float],
    *,
    start: tuple[float, float, float] | None = None,
    level: float = 0.95,
) -> RhoEstimate:
    """ρ by nonlinear least squares on log Y of the CES (scipy least_squares, Jacobian SEs)."""
    ly, ll, lk, norm = _prepare_ces_data(output, labour, capital)
    if start is None:
        try:
            tl = estimate_rho_translog(output, labour, capital)
            start = (tl.log_scale, float(np.clip(tl.alpha, 0.05, 0.95)), float(np.clip(tl.rho, -5.0, 0.9)))
        except ParameterError:
            start = (0.0, 0.5, 0.0)

    def resid(p: np.ndarray) -> np.ndarray:
        return p[0] + ces_log_output(ll, lk, p[2], p[1]) - ly

    eps = 1e-6
    res = optimize.least_squares(
        resid,
        x0=np.asarray(start, dtype=float),
        bounds=([-np.inf, eps, -50.0], [np.inf, 1.0 - eps, 0.999]),
        jac="3-point",
        x_scale="jac",
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
        max_nfev=2000,
    )
    p = res.x
    n, k = ly.size, 3
    rss = float(np.sum(res.fun**2))
    s2 = rss / (n - k)
    jac = res.jac
    try:
        cov = s2 * np.linalg.inv(jac.T @ jac)
        se = np.sqrt(np.diag(cov))
    except np.linalg.LinAlgError:
        se = np.full(3, math.nan)
    rho, rho_se = float(p[2]), float(se[2])
    z = stats.norm.ppf(0.5 + level / 2)
    on_bound = bool(np.any(res.active_mask != 0))
    note = "log Y = log A + (1/ρ) log(α L^ρ + (1−α) K^ρ) on geometric-mean-normalised data; SEs from s²(JᵀJ)⁻¹."
    if on_bound:
        note += " A parameter is at its bound (α in (0,1), ρ in [−50, 0.999]): SEs are not reliable."
    return RhoEstimate(
        method="nls",
        rho=rho,
        rho_se=rho_se,
        rho_ci_low=rho - z * rho_se,
        rho_ci_high=rho + z * rho_se,
        sigma=1.0 / (1.0 - rho),
        sigma_se=rho_se / (1.0 - rho) ** 2,
        alpha=float(p[1]),
        alpha_se=float(se[1]),
        log_scale=float(p[0]),
        log_scale_se=float(se[0]),
        n_obs=int(n),
        rss=rss,
        r_squared=float(1.0 - rss / np.sum((ly - ly.mean()) ** 2)),
        cov_type="nonrobust",
        level=level,
        normalisation=norm,
        coefficients=pd.DataFrame({"term": ["log_scale", "alpha", "rho"], "coef": p, "se": se}),
        converged=bool(res.success) and not on_bound,
        note=note,
    )


_METHODS = ("translog", "nls", "both")


def estimate_rho(
    output: Sequence[float],
    labour: Sequence[float],
    capital: Sequence[float],
    *,
    method: str = "both",
    cov_type: str = "nonrobust",
    level: float = 0.95,
    source: str = "",
) -> RhoEstimates:
    """Estimate ρ by ``translog``, ``nls`` or ``both``."""
    if method not in _METHODS:
        raise ParameterError("method", f"unknown method {method!r}", expected=" | ".join(_METHODS))
    out: dict[str, RhoEstimate] = {}
    if method in ("translog", "both"):
        out["translog"] = estimate_rho_translog(output, labour, capital, cov_type=cov_type, level=level)
    if method in ("nls", "both"):
        out["nls"] = estimate_rho_nls(output, labour, capital, level=level)
    return RhoEstimates(estimates=out, source=source)


def estimate_rho_csv(
    path: str | Path,
    *,
    output_col: str = "Y",
    labour_col: str = "L",
    capital_col: str = "K",
    method: str = "both",
    cov_type: str = "nonrobust",
    level: float = 0.95,
) -> RhoEstimates:
    """Read output, labour and capital columns from a CSV and estimate ρ."""
    cols = [output_col, labour_col, capital_col]
    frame = read_columns(path, cols, positive=cols)
    return estimate_rho(
        frame[output_col], frame[labour_col], frame[capital_col], method=method, cov_type=cov_type, level=level, source=str(path)
    )
