"""Linear regression with the robust covariances and FGLS used by the idea
production function (Besiroglu et al., Appendix J).

* :func:`ols_hc` -- OLS (statsmodels) with the heteroskedasticity-consistent
  covariance HC0 scaled by ``(n-1)/(n-k)``.  Note: statsmodels' ``HC1`` scales
  by ``n/(n-k)``; the paper's correction is different and is computed here
  explicitly (:func:`hc_paper_cov`).
* :func:`breusch_pagan` -- statsmodels' ``het_breuschpagan`` on OLS residuals.
* :func:`fgls_ml` -- feasible GLS for multiplicative heteroskedasticity
  ``Var(u_i) = exp(z_i' delta)`` estimated by maximum likelihood (Harvey 1976
  scoring iterations, alternating with weighted least squares).  statsmodels
  has no maximum-likelihood heteroskedastic-variance model, hence this code.
* :func:`fit_auto` -- the paper's rule: OLS (HC) unless Breusch-Pagan rejects
  at 5%, then GLS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.diagnostic import het_breuschpagan

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table
from aiprogress.stats import smapi as sm

__all__ = [
    "BreuschPagan",
    "LinearFit",
    "breusch_pagan",
    "fgls_ml",
    "fit_auto",
    "hc_paper_cov",
    "ols_hc",
    "stars",
]


def stars(p: float) -> str:
    """Significance stars as in the paper's tables: * p<0.05, ** p<0.01, *** p<0.001."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


@dataclass(frozen=True)
class BreuschPagan(Result):
    lm: float
    lm_pvalue: float
    df: int
    rejects_at_5pct: bool


@dataclass(frozen=True)
class LinearFit(Result):
    """One fitted linear regression."""

    names: tuple[str, ...]
    params: np.ndarray
    cov: np.ndarray
    nobs: int
    df_resid: int
    llf: float
    estimator: str  # "OLS (HC)" | "GLS (ML)"
    cov_type: str
    resid: np.ndarray
    weights: np.ndarray  # 1/Var(u_i) up to scale (ones for OLS)
    variance_params: np.ndarray | None = None  # delta of the GLS variance function

    @property
    def bse(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    @property
    def tvalues(self) -> np.ndarray:
        return self.params / self.bse

    @property
    def pvalues(self) -> np.ndarray:
        return 2 * sps.t.sf(np.abs(self.tvalues), self.df_resid)

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        q = sps.t.ppf((1 + level) / 2, self.df_resid)
        return np.column_stack([self.params - q * self.bse, self.params + q * self.bse])

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise ParameterError("name", f"'{name}' is not a regressor", expected=", ".join(self.names)) from None

    def to_frame(self) -> pd.DataFrame:
        ci = self.conf_int()
        return pd.DataFrame(
            {
                "term": list(self.names),
                "estimate": self.params,
                "std_error": self.bse,
                "t": self.tvalues,
                "p_value": self.pvalues,
                "stars": [stars(p) for p in self.pvalues],
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        from aiprogress.results import jsonable

        return {
            "estimator": self.estimator,
            "cov_type": self.cov_type,
            "nobs": self.nobs,
            "df_resid": self.df_resid,
            "llf": self.llf,
            "coefficients": jsonable(self.to_frame()),
        }

    def summary(self) -> str:
        return format_table(self.to_frame(), title=f"{self.estimator}, n={self.nobs}, log-lik={self.llf:.3f}")


def _check_design(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ParameterError("X", f"shape {X.shape} vs y {y.shape}", expected="X (n, k) and y (n,)")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ParameterError("X", "contains NaN or infinite values", expected="finite numbers")
    if X.shape[0] <= X.shape[1]:
        raise ParameterError("X", f"{X.shape[0]} observations for {X.shape[1]} regressors", expected="more observations than regressors")
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ParameterError("X", "design matrix is rank deficient (collinear regressors)", expected="full column rank")
    return X, y


def hc_paper_cov(X: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """HC0 sandwich ``(X'X)^{-1} X' diag(e^2) X (X'X)^{-1}`` times ``(n-1)/(n-k)``."""
    X = np.asarray(X, dtype=float)
    e = np.asarray(resid, dtype=float)
    n, k = X.shape
    bread = np.linalg.inv(X.T @ X)
    meat = (X * (e**2)[:, None]).T @ X
    return (n - 1) / (n - k) * bread @ meat @ bread


def ols_hc(X: np.ndarray, y: np.ndarray, names: list[str] | tuple[str, ...]) -> LinearFit:
    """OLS with the paper's ``(n-1)/(n-k)``-corrected HC0 covariance."""
    X, y = _check_design(X, y)
    res = sm.OLS(y, X).fit()
    return LinearFit(
        names=tuple(names),
        params=np.asarray(res.params),
        cov=hc_paper_cov(X, res.resid),
        nobs=int(res.nobs),
        df_resid=int(res.df_resid),
        llf=float(res.llf),
        estimator="OLS (HC)",
        cov_type="HC0 x (n-1)/(n-k)",
        resid=np.asarray(res.resid),
        weights=np.ones(len(y)),
    )


def breusch_pagan(resid: np.ndarray, exog_het: np.ndarray) -> BreuschPagan:
    """Breusch-Pagan LM test (statsmodels, studentized Koenker form).

    statsmodels needs an explicit constant column; when ``exog_het`` only
    spans the constant implicitly (fixed-effect dummies summing to one), a
    constant is added and the first column that makes the set collinear is
    removed (same column space, so the same test).
    """
    Zh = np.asarray(exog_het, dtype=float)
    if not np.any(np.all(Zh == Zh[:1], axis=0)):
        Zh = np.column_stack([np.ones(len(Zh)), Zh])
        r = np.linalg.matrix_rank(Zh)
        if r < Zh.shape[1]:
            for j in range(1, Zh.shape[1]):
                cand = np.delete(Zh, j, axis=1)
                if np.linalg.matrix_rank(cand) == r:
                    Zh = cand
                    break
    lm, lm_p, _, _ = het_breuschpagan(np.asarray(resid), Zh)
    df = int(np.linalg.matrix_rank(Zh)) - 1
    return BreuschPagan(lm=float(lm), lm_pvalue=float(lm_p), df=df, rejects_at_5pct=bool(lm_p < 0.05))


def _het_loglik(e: np.ndarray, Z: np.ndarray, delta: np.ndarray) -> float:
    lv = Z @ delta
    return float(-0.5 * np.sum(np.log(2 * np.pi) + lv + e**2 * np.exp(-lv)))


def fgls_ml(
    X: np.ndarray,
    y: np.ndarray,
    names: list[str] | tuple[str, ...],
    Z: np.ndarray,
    *,
    maxiter: int = 500,
    tol: float = 1e-10,
) -> LinearFit:
    """GLS by maximum likelihood with ``Var(u_i) = exp(z_i' delta)``.

    ``Z`` must contain a constant column.  The mean parameters are the WLS
    estimates with weights ``exp(-z_i' delta)``; their covariance is the inverse
    information ``(X' W X)^{-1}`` (the variance function is fully specified, so
    no scale is re-estimated).  The log likelihood is the Gaussian one with
    heteroskedastic variances.
    """
    X, y = _check_design(X, y)
    Z = np.asarray(Z, dtype=float)
    if Z.shape[0] != X.shape[0]:
        raise ParameterError("Z", f"has {Z.shape[0]} rows, X has {X.shape[0]}", expected="same number of rows")
    ztz_inv = np.linalg.pinv(Z.T @ Z)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ beta
    # Harvey's starting value: regress log e^2 on Z; E[log chi2_1] = -1.2704.
    delta = ztz_inv @ Z.T @ (np.log(np.maximum(e**2, 1e-300)) + 1.2704)
    ll = -np.inf
    for _ in range(maxiter):
        w = np.exp(-(Z @ delta))
        sw = np.sqrt(w)
        beta = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)[0]
        e = y - X @ beta
        # scoring step for delta given beta, with step halving on the likelihood
        step = ztz_inv @ Z.T @ (e**2 * np.exp(-(Z @ delta)) - 1.0)
        ll_old = _het_loglik(e, Z, delta)
        t = 1.0
        while t > 1e-8:
            cand = delta + t * step
            ll_new = _het_loglik(e, Z, cand)
            if ll_new >= ll_old - 1e-12:
                break
            t /= 2
        delta = cand
        if abs(ll_new - ll) < tol * (1 + abs(ll_new)) and np.max(np.abs(t * step)) < 1e-7:
            ll = ll_new
            break
        ll = ll_new
    w = np.exp(-(Z @ delta))
    sw = np.sqrt(w)
    res = sm.WLS(y, X, weights=w).fit(cov_type="fixed scale", cov_kwds={"scale": 1.0})
    e = y - X @ np.asarray(res.params)
    return LinearFit(
        names=tuple(names),
        params=np.asarray(res.params),
        cov=np.asarray(res.cov_params()),
        nobs=len(y),
        df_resid=int(res.df_resid),
        llf=_het_loglik(e, Z, delta),
        estimator="GLS (ML)",
        cov_type="inverse information, Var(u)=exp(z'delta)",
        resid=e,
        weights=w,
        variance_params=delta,
    )


def fit_auto(
    X: np.ndarray,
    y: np.ndarray,
    names: list[str] | tuple[str, ...],
    *,
    Z: np.ndarray,
    estimator: str = "auto",
) -> tuple[LinearFit, BreuschPagan]:
    """Fit by the paper's rule.

    ``estimator``: ``"auto"`` (OLS-HC unless Breusch-Pagan on the OLS residuals
    against the full design rejects at 5%, then GLS-ML), ``"ols"`` or ``"gls"``.
    Returns the fit and the Breusch-Pagan test.
    """
    if estimator not in ("auto", "ols", "gls"):
        raise ParameterError("estimator", f"'{estimator}'", expected="auto, ols or gls")
    ols = ols_hc(X, y, names)
    bp = breusch_pagan(ols.resid, X)
    use_gls = estimator == "gls" or (estimator == "auto" and bp.rejects_at_5pct)
    if not use_gls:
        return ols, bp
    return fgls_ml(X, y, names, Z), bp
