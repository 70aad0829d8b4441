"""More estimators of the returns to software r (after Erdil, Besiroglu & Ho 2024, arXiv 2405.10494).

With cumulative research ``R_t = R0 + Σ_{s ≤ t} I_s`` and ``S ∝ R^r``:

* **levels** (:func:`aiprogress.algorithmic.returns.estimate_r`): OLS of log S on log R.
* **law of motion** (:func:`estimate_r_law_of_motion`): the growth form of the same
  law, ``Δ log S_t = r · Δ log R_{t−L} + e_t``, OLS through the origin (the law has no
  intercept: with R growing at a steady rate an intercept would absorb r) with the
  research input lagged L periods (research takes time to show up in software), and a
  HAC covariance (differencing makes e_t an MA(1) when the level errors are iid).
  Assumes: r constant; software growth responds to research growth with lag L; no
  drift in software other than through R.
* **maximum likelihood with measurement error** (:func:`estimate_r_ml`): the
  efficiency series is itself an estimate with a known covariance Σ (from the halving
  regression). ``log S = a + r log R + ε + η``, ε ~ N(0, σ² I) the deviation of true
  software from the law and η ~ N(0, Σ) the estimation error of S, so
  ``log S ~ N(a 1 + r log R, σ² I + Σ)``; (a, r, log σ) by ``scipy.optimize.minimize``,
  Wald interval from the inverse observed information (numerical Hessian) and a
  profile-likelihood interval for r. Assumes: the law holds up to iid Gaussian
  deviations; the efficiency estimates are unbiased with the stated covariance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from aiprogress.algorithmic.returns import cumulative_research, default_r0
from aiprogress.errors import ParameterError
from aiprogress.results import Result
from aiprogress.stats import smapi as sm

__all__ = ["RFit", "estimate_r_law_of_motion", "estimate_r_ml", "stock"]


@dataclass(frozen=True)
class RFit(Result):
    """One estimate of r: point, standard error, interval, sample, assumptions."""

    estimator: str
    r: float
    se: float
    low: float
    high: float
    level: float
    n_obs: int
    r0: float
    assumptions: str = ""
    extra: dict | None = None


def stock(time: np.ndarray, research_input: np.ndarray, r0: float | str) -> tuple[np.ndarray, float]:
    """Cumulative research with R0 ('auto': the pre-sample stock at the input's fitted growth rate)."""
    r0v = default_r0(time, research_input) if isinstance(r0, str) else float(r0)
    return cumulative_research(research_input, r0v), r0v


def estimate_r_law_of_motion(time: Sequence[float], log_software: Sequence[float], research_input: Sequence[float], *,
                             r0: float | str = "auto", lag: int = 1, level: float = 0.90, maxlags: int | None = None) -> RFit:
    """r from ``Δ log S_t = r Δ log R_{t−lag}`` (OLS through the origin, HAC). ``log_software`` may have NaN gaps."""
    t = np.asarray(time, float)
    ls = np.asarray(log_software, float)
    i = np.asarray(research_input, float)
    if lag < 0:
        raise ParameterError("lag", f"got {lag}", expected="an integer >= 0")
    order = np.argsort(t)
    t, ls, i = t[order], ls[order], i[order]
    R, r0v = stock(t, i, r0)
    lr = np.log(R)
    dls = np.diff(ls)
    dlr = np.diff(lr)
    if lag:
        dls, dlr = dls[lag:], dlr[:-lag]
    ok = np.isfinite(dls) & np.isfinite(dlr)
    dls, dlr = dls[ok], dlr[ok]
    n = int(ok.sum())
    if n < 4:
        raise ParameterError("software", f"only {n} usable growth observations", expected="at least 4 consecutive periods")
    ml = maxlags if maxlags is not None else max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))
    fit = sm.OLS(dls, dlr[:, None]).fit(cov_type="HAC", cov_kwds={"maxlags": ml, "use_correction": True}, use_t=True)
    lo, hi = np.asarray(fit.conf_int(alpha=1 - level))[0]
    return RFit("law of motion (Δlog S on lagged Δlog R)", float(fit.params[0]), float(fit.bse[0]), float(lo), float(hi),
                level, n, r0v, assumptions=f"constant r; research acts with a lag of {lag} period(s); no drift outside R",
                extra={"lag": lag, "maxlags": ml})


def _gls(log_sigma: float, y: np.ndarray, x: np.ndarray, cov: np.ndarray, r_fixed: float | None = None,
         reml: bool = False) -> tuple[float, np.ndarray, np.ndarray]:
    """Negative log-likelihood with (a, r) (or a alone, r fixed) concentrated out by GLS; the GLS coefficients and covariance."""
    v = cov + math.exp(2 * log_sigma) * np.eye(len(y))
    c = np.linalg.cholesky(v)
    design = np.column_stack([np.ones_like(x), x]) if r_fixed is None else np.ones((len(x), 1))
    target = y if r_fixed is None else y - r_fixed * x
    xw = np.linalg.solve(c, design)
    yw = np.linalg.solve(c, target)
    beta, *_ = np.linalg.lstsq(xw, yw, rcond=None)
    e = yw - xw @ beta
    info = xw.T @ xw
    nll = float(0.5 * e @ e + np.log(np.diag(c)).sum() + 0.5 * len(y) * math.log(2 * math.pi))
    if reml:  # restricted likelihood: accounts for the coefficients estimated alongside σ
        nll += 0.5 * float(np.linalg.slogdet(info)[1])
    return nll, beta, np.linalg.inv(info)


def _min_sigma(y: np.ndarray, x: np.ndarray, cov: np.ndarray, r_fixed: float | None = None, reml: bool = False) -> tuple[float, float]:
    scale = float(np.std(y)) or 1.0
    res = optimize.minimize_scalar(lambda ls: _gls(ls, y, x, cov, r_fixed, reml)[0], bounds=(math.log(scale) - 12, math.log(scale) + 3),
                                   method="bounded", options={"xatol": 1e-6})
    return float(res.fun), float(res.x)


def estimate_r_ml(time: Sequence[float], log_software: Sequence[float], log_software_cov: np.ndarray, research_input: Sequence[float],
                  *, r0: float | str = "auto", level: float = 0.90, research_time: Sequence[float] | None = None,
                  profile: bool = True) -> RFit:
    """r by maximum likelihood with the efficiency series' covariance propagated (see the module docstring).

    ``time``/``log_software``/``log_software_cov`` describe the software series
    (natural-log units); the research input has its own ``research_time``
    (default: the same as ``time``) and is cumulated before matching. (a, r) are
    concentrated out by GLS, so the likelihood is maximised over log σ alone; the
    Wald interval uses the GLS covariance at the REML σ̂ with t(n − 3) quantiles, the profile
    interval (``profile=True``) maximises over (a, σ) at each r.
    """
    ts = np.asarray(time, float)
    y = np.asarray(log_software, float)
    cov = np.asarray(log_software_cov, float)
    tr = ts if research_time is None else np.asarray(research_time, float)
    i = np.asarray(research_input, float)
    if cov.shape != (y.size, y.size):
        raise ParameterError("log_software_cov", f"shape {cov.shape}", expected=f"({y.size}, {y.size})")
    order = np.argsort(tr)
    R, r0v = stock(tr[order], i[order], r0)
    lookup = dict(zip(tr[order].tolist(), np.log(R).tolist()))
    keep = np.array([t in lookup for t in ts.tolist()]) & np.isfinite(y)
    n = int(keep.sum())
    if n < 4:
        raise ParameterError("research_input", f"only {n} software years have research data", expected="at least 4")
    x = np.array([lookup[t] for t in ts[keep].tolist()])
    y, cov = y[keep], cov[np.ix_(keep, keep)]
    nll, log_sigma_ml = _min_sigma(y, x, cov)
    r_ml = float(_gls(log_sigma_ml, y, x, cov)[1][1])
    log_sigma = _min_sigma(y, x, cov, reml=True)[1]  # σ by REML for the Wald interval (ML's σ is biased down in small samples)
    _, beta, vcov = _gls(log_sigma, y, x, cov)
    r_hat, se = float(beta[1]), float(math.sqrt(max(vcov[1, 1], 0.0)))
    q = float(stats.t.ppf(0.5 + level / 2, max(n - 3, 1)))
    crit = float(stats.chi2.ppf(level, 1)) / 2

    def prof(r: float) -> float:
        return _min_sigma(y, x, cov, r_fixed=r)[0] - nll - crit

    span = max(10 * se, 0.05)
    lo_edge, hi_edge = r_ml - 20 * span, r_ml + 20 * span
    p_lo = p_hi = math.nan
    try:
        if profile:
            p_lo = optimize.brentq(prof, lo_edge, r_ml, xtol=1e-6) if prof(lo_edge) > 0 else -math.inf
            p_hi = optimize.brentq(prof, r_ml, hi_edge, xtol=1e-6) if prof(hi_edge) > 0 else math.inf
    except ValueError:  # the profile is not unimodal on the bracket
        p_lo = p_hi = math.nan
    return RFit("maximum likelihood, efficiency uncertainty propagated", r_hat, se, r_hat - q * se, r_hat + q * se, level, n, r0v,
                assumptions="log S = a + r log R + N(0, σ²) deviations + N(0, Σ) estimation error of S (Σ from the halving fit)",
                extra={"sigma": float(math.exp(log_sigma)), "intercept": float(beta[0]), "profile_low": float(p_lo), "profile_high": float(p_hi)})


def fits_frame(fits: list[RFit]) -> pd.DataFrame:
    return pd.DataFrame([{"estimator": f.estimator, "r": f.r, "se": f.se, "low": f.low, "high": f.high, "n": f.n_obs} for f in fits])
