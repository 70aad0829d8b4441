"""Estimating the CES substitution parameter ρ (σ) and the returns to software r from data.

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

Returns to software r
---------------------
Software efficiency ``S`` (e.g. effective-compute multipliers) and research input
``I_t`` per period (researchers, papers, models per year). Cumulative research
``R_t = R0 + Σ_{s ≤ t} I_s``; r is the elasticity ``d log S / d log R``, estimated
by OLS of ``log S`` on ``log R`` (statsmodels, HAC/Newey–West or HC1 covariance)
with a seeded moving-block residual bootstrap as a second interval.

Assumptions (they are reported with every result):

1. research effort is proportional to the input series (same quality mix over time);
2. r is constant over the sample (constant elasticity, no ceiling in sight);
3. all software progress comes from the research measured (no spill-ins from
   hardware scale or other fields that are not in ``I``);
4. the research done before the series starts, ``R0``, is known. By default it is
   the stock the input would have accumulated had it always grown at its fitted
   in-sample exponential rate g: ``R0 = Î_first / (e^{gΔ} − 1)`` (Δ = period length).
   r is sensitive to R0 early in the sample; the sensitivity to ``R0`` × (¼, ½, 2, 4)
   is reported alongside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result, format_table

__all__ = [
    "explain_difference",
    "scaling_software_series",
    "RhoEstimate",
    "RhoEstimates",
    "REstimate",
    "SigmaRhoConversion",
    "ces_log_output",
    "sigma_to_rho",
    "rho_to_sigma",
    "convert_sigma",
    "published_estimates",
    "published_sigma_conversions",
    "read_columns",
    "estimate_rho_translog",
    "estimate_rho_nls",
    "estimate_rho",
    "estimate_rho_csv",
    "default_r0",
    "cumulative_research",
    "estimate_r",
    "estimate_r_csv",
    "imagenet_software_series",
    "vision_research_series",
    "estimate_r_from_catalog",
    "compare_with_published",
    "plot_r_fit",
]

# ---------------------------------------------------------------------------
# σ <-> ρ
# ---------------------------------------------------------------------------


def sigma_to_rho(sigma: float | np.ndarray) -> float | np.ndarray:
    """ρ = 1 − 1/σ (σ > 0 is the elasticity of substitution)."""
    s = np.asarray(sigma, dtype=float)
    if np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise ParameterError("sigma", f"got {sigma!r}", expected="finite values > 0")
    out = 1.0 - 1.0 / s
    return float(out) if out.ndim == 0 else out


def rho_to_sigma(rho: float | np.ndarray) -> float | np.ndarray:
    """σ = 1/(1 − ρ) (ρ < 1)."""
    r = np.asarray(rho, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r >= 1):
        raise ParameterError("rho", f"got {rho!r}", expected="finite values < 1")
    out = 1.0 / (1.0 - r)
    return float(out) if out.ndim == 0 else out


def _ceiling(rho: float, alpha: float) -> float:
    """Output ceiling of the normalised CES as L → ∞ with K = 1: (1−α)^{1/ρ} for ρ < 0, else ∞."""
    if rho >= 0:
        return math.inf
    return (1.0 - alpha) ** (1.0 / rho)


@dataclass(frozen=True)
class SigmaRhoConversion(Result):
    """σ values converted to ρ, with the CES ceiling (L → ∞, K = 1) for the given α."""

    sigma: list[float]
    rho: list[float]
    ceiling: list[float]
    alpha: float = 0.5
    labels: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"sigma": self.sigma, "rho": self.rho, f"ceiling_alpha_{self.alpha:g}": self.ceiling})
        if self.labels:
            frame.insert(0, "label", self.labels)
        return frame

    def summary(self) -> str:
        return format_table(self.to_frame(), title="σ → ρ = 1 − 1/σ (ceiling: output as L → ∞ with K = 1)")


def convert_sigma(sigmas: Sequence[float], *, alpha: float = 0.5, labels: Sequence[str] | None = None) -> SigmaRhoConversion:
    """Convert elasticities of substitution σ to ρ = 1 − 1/σ, with the CES ceiling (1−α)^{1/ρ}."""
    if not 0 < alpha < 1:
        raise ParameterError("alpha", f"got {alpha}", expected="0 < alpha < 1")
    sig = [float(s) for s in sigmas]
    if not sig:
        raise ParameterError("sigma", "no values given", expected="one or more values > 0")
    rho = [float(sigma_to_rho(s)) for s in sig]
    return SigmaRhoConversion(
        sigma=sig,
        rho=rho,
        ceiling=[_ceiling(r, alpha) for r in rho],
        alpha=alpha,
        labels=list(labels) if labels else [],
    )


def published_estimates() -> pd.DataFrame:
    """The published r and σ/ρ estimates shipped with the package (``published_r.csv``), with sources."""
    text = resources.files("aiprogress.takeoff").joinpath("published_r.csv").read_text(encoding="utf-8")
    from io import StringIO

    return pd.read_csv(StringIO(text))


def published_sigma_conversions(alpha: float = 0.5) -> pd.DataFrame:
    """The published σ ranges (and ρ ranges) as one table of σ and ρ bounds with the implied ceilings."""
    pub = published_estimates()
    rows = []
    for _, row in pub.iterrows():
        if row["quantity"] not in ("sigma", "rho"):
            continue
        vals = [v for v in (row["low"], row["estimate"], row["high"]) if pd.notna(v)]
        if row["quantity"] == "sigma":
            sig = vals
            rho = [float(sigma_to_rho(v)) for v in vals]
        else:
            rho = vals
            sig = [float(rho_to_sigma(v)) for v in vals]
        labels = ["low", "mid", "high"] if len(vals) == 3 else ["point"]
        for lab, s, r in zip(labels, sig, rho):
            rows.append(
                {
                    "domain": row["domain"],
                    "published": row["quantity"],
                    "bound": lab,
                    "sigma": s,
                    "rho": r,
                    f"ceiling_alpha_{alpha:g}": _ceiling(r, alpha),
                    "source": row["source"].split(",")[0],
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# Reading and validating input columns
# ---------------------------------------------------------------------------


def read_columns(
    path: str | Path,
    columns: Sequence[str],
    *,
    positive: Iterable[str] = (),
    nonnegative: Iterable[str] = (),
    numeric: Iterable[str] | None = None,
    optional: Iterable[str] = (),
) -> pd.DataFrame:
    """Read ``columns`` from a CSV and validate them.

    Missing column -> :class:`InputError` naming file and column; a blank,
    non-numeric or (for ``positive``) non-positive value -> InputError naming
    file, line (header = line 1) and column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, expected="a CSV file with a header row")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot parse CSV ({str(exc).splitlines()[0]})", file=path, expected="a CSV file with a header row") from exc
    optional = set(optional)
    for col in columns:
        if col not in frame.columns and col not in optional:
            raise InputError(
                "missing column",
                file=path,
                column=col,
                expected=f"one of the header columns ({', '.join(map(str, frame.columns))}) or choose another with the column options",
            )
    present = [c for c in columns if c in frame.columns]
    out = frame[present].copy()
    numeric = set(present if numeric is None else numeric) & set(present)
    positive, nonnegative = set(positive), set(nonnegative)
    for col in present:
        if col not in numeric:
            continue
        values = pd.to_numeric(out[col], errors="coerce")
        bad = values.isna() | ~np.isfinite(values.astype(float))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raw = frame[col].iloc[i]
            raise InputError(
                f"value {raw!r} is blank or not a number",
                file=path,
                line=i + 2,
                column=col,
                expected="a finite number",
            )
        if col in positive and (values <= 0).any():
            i = int(np.flatnonzero((values <= 0).to_numpy())[0])
            raise InputError(
                f"value {values.iloc[i]:g} is not positive (its logarithm is needed)",
                file=path,
                line=i + 2,
                column=col,
                expected="a number > 0",
            )
        if col in nonnegative and (values < 0).any():
            i = int(np.flatnonzero((values < 0).to_numpy())[0])
            raise InputError(
                f"value {values.iloc[i]:g} is negative",
                file=path,
                line=i + 2,
                column=col,
                expected="a number >= 0",
            )
        out[col] = values.astype(float)
    if len(out) == 0:
        raise InputError("no data rows", file=path, expected="at least one row below the header")
    return out


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

_SERIES_Z = 1e-3  # below |ρ·log(L/K)| use the cumulant series (error ~ z⁴/120, i.e. < 1e-14)


def ces_log_output(log_l: np.ndarray, log_k: np.ndarray, log_a: float, alpha: float, rho: float) -> np.ndarray:
    """log of A [α L^ρ + (1−α) K^ρ]^{1/ρ}, continuous through ρ = 0 (Cobb–Douglas limit).

    For small ``|ρ (log L − log K)|`` the cumulant expansion of
    ``(1/ρ) log E[e^{ρX}]`` (X = log L w.p. α, log K w.p. 1−α) to order ρ³ is used,
    which avoids the 0/0 of the closed form.
    """
    log_l = np.asarray(log_l, dtype=float)
    log_k = np.asarray(log_k, dtype=float)
    d = log_l - log_k
    base = alpha * log_l + (1.0 - alpha) * log_k
    z = rho * d
    q = alpha * (1.0 - alpha)
    k2 = q * d**2
    k3 = q * (1.0 - 2.0 * alpha) * d**3
    k4 = q * (1.0 - 6.0 * q) * d**4
    series = base + rho * k2 / 2.0 + rho**2 * k3 / 6.0 + rho**3 * k4 / 24.0
    small = np.abs(z) < _SERIES_Z
    if np.all(small):
        return log_a + series
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = np.logaddexp(math.log(alpha) + rho * log_l, math.log1p(-alpha) + rho * log_k) / rho
    return log_a + np.where(small, series, exact)


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
        return ces_log_output(ll, lk, p[0], p[1], p[2]) - ly

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


# ---------------------------------------------------------------------------
# r: returns to software R&D
# ---------------------------------------------------------------------------

R_ASSUMPTIONS = (
    "research effort is proportional to the research-input series (constant quality mix)",
    "r is constant over the sample (constant elasticity of software in cumulative research)",
    "software progress comes only from the measured research (no unmeasured spill-ins)",
    "research done before the series starts (R0) is as chosen; see the R0 sensitivity table",
)


def default_r0(time: Sequence[float], research_input: Sequence[float]) -> float:
    """Stock accumulated before the first period if the input always grew at its fitted exponential rate.

    ``R0 = Î_first / (e^{gΔ} − 1)``, with g and the fitted first-period input Î_first
    from OLS of log I on time (periods with I > 0), Δ the median period length. Raises :class:`ParameterError` when the input is
    not growing (then R0 must be given).
    """
    t = np.asarray(time, dtype=float)
    i = np.asarray(research_input, dtype=float)
    pos = i > 0
    if pos.sum() < 3:
        raise ParameterError("r0", "fewer than 3 positive research-input values to infer a growth rate", expected="an explicit R0 (--r0)")
    fit = sm.OLS(np.log(i[pos]), sm.add_constant(t[pos])).fit()
    g = float(fit.params[1])
    step = float(np.median(np.diff(np.sort(t)))) if t.size > 1 else 1.0
    if not g * step > 1e-3:
        raise ParameterError(
            "r0",
            f"the research input is not growing (fitted growth {g:.3g} per time unit), so the pre-sample stock cannot be inferred",
            expected="an explicit R0 (--r0)",
        )
    first = float(np.exp(fit.params[0] + g * t.min()))  # fitted, not observed: less noisy
    return first / math.expm1(g * step)


def cumulative_research(research_input: Sequence[float], r0: float) -> np.ndarray:
    """R_t = R0 + Σ_{s ≤ t} I_s (input in time order)."""
    i = np.asarray(research_input, dtype=float)
    return r0 + np.cumsum(i)


@dataclass(frozen=True)
class REstimate(Result):
    """Returns to software r = d log S / d log R with HAC and block-bootstrap intervals."""

    r: float
    r_se: float
    r_ci_low: float
    r_ci_high: float
    boot_ci_low: float
    boot_ci_high: float
    boot_se: float
    n_boot: int
    block_length: int
    level: float
    intercept: float
    n_obs: int
    r_squared: float
    cov_type: str
    maxlags: int
    r0: float
    r0_method: str
    seed: int | None
    sensitivity: pd.DataFrame = field(repr=False)
    data: pd.DataFrame = field(repr=False)
    assumptions: tuple[str, ...] = R_ASSUMPTIONS
    source: str = ""
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "r": self.r,
                    "se": self.r_se,
                    f"{self.cov_type}_low": self.r_ci_low,
                    f"{self.cov_type}_high": self.r_ci_high,
                    "boot_low": self.boot_ci_low,
                    "boot_high": self.boot_ci_high,
                    "n_obs": self.n_obs,
                    "r0": self.r0,
                }
            ]
        )

    def summary(self) -> str:
        parts = []
        if self.source:
            parts.append(f"Source: {self.source}")
        parts.append(
            format_table(
                self.to_frame(),
                title=f"Returns to software r = dlog S / dlog R ({self.level:.0%} intervals; bootstrap: {self.n_boot} moving-block draws, block {self.block_length})",
            )
        )
        parts.append(format_table(self.sensitivity, title=f"Sensitivity to the pre-sample research stock R0 ({self.r0_method})"))
        parts.append("Assumptions: " + "; ".join(f"({i + 1}) {a}" for i, a in enumerate(self.assumptions)) + ".")
        parts.extend(self.notes)
        return "\n\n".join(parts)


def _ols_slope_intervals(log_r: np.ndarray, log_s: np.ndarray, cov_type: str, maxlags: int, level: float) -> tuple[Any, float, float, float]:
    x = sm.add_constant(log_r)
    if cov_type == "HAC":
        fit = sm.OLS(log_s, x).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": True}, use_t=True)
    elif cov_type in ("HC0", "HC1", "HC2", "HC3", "nonrobust"):
        fit = sm.OLS(log_s, x).fit(cov_type=cov_type, use_t=True)
    else:
        raise ParameterError("cov_type", f"unknown covariance {cov_type!r}", expected="HAC | HC0 | HC1 | HC2 | HC3 | nonrobust")
    ci = np.asarray(fit.conf_int(alpha=1 - level))[1]
    return fit, float(np.asarray(fit.bse)[1]), float(ci[0]), float(ci[1])


def _block_bootstrap_slopes(
    x: np.ndarray,
    fitted: np.ndarray,
    resid: np.ndarray,
    n_boot: int,
    block_length: int,
    rng: np.random.Generator,
    progress: Callable[[int], None] | None = None,
    chunk: int = 1000,
) -> np.ndarray:
    """Moving-block residual bootstrap of the OLS slope, vectorised over draws.

    Written by hand: statsmodels has no moving-block residual bootstrap and the
    closed-form slope makes 10⁴ draws a single array operation.
    """
    n = x.size
    nblocks = -(-n // block_length)
    xc = x - x.mean()
    sxx = float(xc @ xc)
    out = np.empty(n_boot)
    done = 0
    while done < n_boot:
        m = min(chunk, n_boot - done)
        starts = rng.integers(0, n - block_length + 1, size=(m, nblocks))
        idx = (starts[:, :, None] + np.arange(block_length)[None, None, :]).reshape(m, -1)[:, :n]
        e = resid[idx]
        e = e - e.mean(axis=1, keepdims=True)  # recentre so the bootstrap residuals have mean 0
        ystar = fitted[None, :] + e
        out[done : done + m] = (ystar @ xc) / sxx
        done += m
        if progress is not None:
            progress(m)
    return out


def estimate_r(
    time: Sequence[float],
    software: Sequence[float],
    research_input: Sequence[float],
    *,
    r0: float | str = "auto",
    cumulative: bool = False,
    n_boot: int = 2000,
    block_length: int | None = None,
    cov_type: str = "HAC",
    maxlags: int | None = None,
    level: float = 0.90,
    sensitivity: Sequence[float] = (0.25, 0.5, 1.0, 2.0, 4.0),
    seed: int | np.random.Generator | None = 0,
    source: str = "",
    notes: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> REstimate:
    """Estimate r from software efficiency S_t and research input I_t (or cumulative R_t).

    ``software`` need only be proportional to efficiency (any base). Rows where
    ``software`` is NaN are dropped from the regression but their research input
    still counts towards R (so the input series may start earlier than S).
    ``cumulative=True`` means ``research_input`` is already the stock R_t (then
    ``r0`` is added to it and defaults to 0).
    """
    t = np.asarray(time, dtype=float)
    s = np.asarray(software, dtype=float)
    i = np.asarray(research_input, dtype=float)
    if not (t.size == s.size == i.size):
        raise ParameterError("software", "time, software and research input have different lengths", expected="equal lengths")
    if not np.all(np.isfinite(t)) or not np.all(np.isfinite(i)):
        raise ParameterError("research_input", "time and research input must be finite", expected="finite numbers")
    if np.any(i < 0):
        raise ParameterError("research_input", "negative research input", expected="values >= 0")
    if np.any(s[np.isfinite(s)] <= 0):
        raise ParameterError("software", "values <= 0 (logarithms are needed)", expected="values > 0")
    if not 0 < level < 1:
        raise ParameterError("level", f"got {level}", expected="0 < level < 1")
    order = np.argsort(t, kind="stable")
    t, s, i = t[order], s[order], i[order]
    if np.any(np.diff(t) == 0):
        raise ParameterError("time", "repeated time values", expected="one row per period")

    if isinstance(r0, str):
        if r0 != "auto":
            raise ParameterError("r0", f"got {r0!r}", expected="'auto' or a number >= 0")
        if cumulative:
            r0_val, r0_method = 0.0, "R0 = 0 (input is already cumulative)"
        else:
            r0_val = default_r0(t, i)
            r0_method = "auto: input's pre-sample stock at its fitted growth rate"
    else:
        r0_val = float(r0)
        if not math.isfinite(r0_val) or r0_val < 0:
            raise ParameterError("r0", f"got {r0}", expected="a number >= 0")
        r0_method = "given"

    keep = np.isfinite(s)
    n = int(keep.sum())
    if n < 4:
        raise ParameterError("software", f"only {n} periods with software values", expected="at least 4")
    if maxlags is None:
        maxlags = int(math.floor(4 * (n / 100) ** (2 / 9)))  # Newey–West (1994) rule of thumb
    if block_length is None:
        block_length = max(1, int(round(n ** (1 / 3))))
    block_length = int(min(max(1, block_length), n))
    rng = np.random.default_rng(seed)

    def fit_for(r0_value: float) -> tuple[Any, np.ndarray, np.ndarray, float, float, float]:
        stock = (r0_value + i) if cumulative else cumulative_research(i, r0_value)
        if np.any(stock[keep] <= 0):
            raise ParameterError("r0", "cumulative research is 0 at a period with software data", expected="R0 > 0 or positive input before the first software value")
        lr = np.log(stock[keep])
        if np.ptp(lr) < 1e-12:
            raise ParameterError("research_input", "cumulative research does not change", expected="positive research input")
        ls = np.log(s[keep])
        fit, se, lo, hi = _ols_slope_intervals(lr, ls, cov_type, maxlags, level)
        return fit, lr, ls, se, lo, hi

    fit, log_r, log_s, r_se, lo, hi = fit_for(r0_val)
    fitted = np.asarray(fit.fittedvalues)
    resid = log_s - fitted
    if n_boot > 0:
        slopes = _block_bootstrap_slopes(log_r, fitted, resid, int(n_boot), block_length, rng, progress)
        q = np.quantile(slopes, [(1 - level) / 2, (1 + level) / 2])
        boot_lo, boot_hi, boot_se = float(q[0]), float(q[1]), float(slopes.std(ddof=1))
    else:
        boot_lo = boot_hi = boot_se = math.nan

    rows = []
    for mult in sensitivity:
        if r0_val == 0 and mult != 1.0:
            continue
        try:
            f_m, _, _, se_m, lo_m, hi_m = fit_for(r0_val * mult)
            rows.append({"r0_multiplier": float(mult), "r0": r0_val * mult, "r": float(f_m.params[1]), "se": se_m, "ci_low": lo_m, "ci_high": hi_m})
        except ParameterError:
            continue
    data = pd.DataFrame(
        {
            "time": t[keep],
            "software": s[keep],
            "research_input": i[keep],
            "cumulative_research": np.exp(log_r),
            "log_software": log_s,
            "log_cumulative_research": log_r,
            "fitted_log_software": fitted,
        }
    )
    return REstimate(
        r=float(fit.params[1]),
        r_se=r_se,
        r_ci_low=lo,
        r_ci_high=hi,
        boot_ci_low=boot_lo,
        boot_ci_high=boot_hi,
        boot_se=boot_se,
        n_boot=int(n_boot),
        block_length=block_length,
        level=level,
        intercept=float(fit.params[0]),
        n_obs=n,
        r_squared=float(fit.rsquared),
        cov_type=cov_type,
        maxlags=int(maxlags),
        r0=float(r0_val),
        r0_method=r0_method,
        seed=seed if isinstance(seed, (int, np.integer)) or seed is None else None,
        sensitivity=pd.DataFrame(rows),
        data=data,
        source=source,
        notes=tuple(notes),
    )


def _to_time(values: pd.Series, path: Path, column: str) -> np.ndarray:
    """Numbers as they are; dates as decimal years."""
    num = pd.to_numeric(values, errors="coerce")
    if num.notna().all():
        return num.to_numpy(dtype=float)
    dates = pd.to_datetime(values, errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError(f"value {values.iloc[k]!r} is neither a number nor a date", file=path, line=k + 2, column=column, expected="a year or an ISO date")
    return (dates.dt.year + (dates.dt.dayofyear - 1) / 365.25).to_numpy(dtype=float)


def estimate_r_csv(
    path: str | Path,
    *,
    software_col: str = "software",
    research_col: str = "research",
    time_col: str = "year",
    cumulative: bool = False,
    **kwargs: Any,
) -> REstimate:
    """Read time, software and research-input columns from a CSV and estimate r.

    Blank software cells are allowed (periods with research input but no software
    measurement); software values must be > 0, research input >= 0.
    """
    path = Path(path)
    frame = read_columns(path, [time_col, software_col, research_col], numeric=[research_col], nonnegative=[research_col])
    # software: blank allowed, otherwise a positive number
    raw = frame[software_col]
    soft = pd.to_numeric(raw, errors="coerce")
    bad_text = soft.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad_text.any():
        k = int(np.flatnonzero(bad_text.to_numpy())[0])
        raise InputError(f"value {raw.iloc[k]!r} is not a number", file=path, line=k + 2, column=software_col, expected="a number > 0 or blank")
    nonpos = soft.notna() & (soft <= 0)
    if nonpos.any():
        k = int(np.flatnonzero(nonpos.to_numpy())[0])
        raise InputError(f"value {soft.iloc[k]:g} is not positive (its logarithm is needed)", file=path, line=k + 2, column=software_col, expected="a number > 0")
    tvals = _to_time(frame[time_col], path, time_col)
    dup = pd.Series(tvals).duplicated().to_numpy()
    if dup.any():
        k = int(np.flatnonzero(dup)[0])
        raise InputError("repeated time value", file=path, line=k + 2, column=time_col, expected="one row per period")
    kwargs.setdefault("source", str(path))
    return estimate_r(tvals, soft.to_numpy(dtype=float), frame[research_col].to_numpy(dtype=float), cumulative=cumulative, **kwargs)


# ---------------------------------------------------------------------------
# Real data: ImageNet software efficiency and vision research input
# ---------------------------------------------------------------------------


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


CATALOG_RUNS = ("imagenet",)


def estimate_r_from_catalog(
    name: str = "imagenet",
    *,
    measure: str = "models",
    start_year: int | None = None,
    r0: float | str = "auto",
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    benchmark_results: pd.DataFrame | None = None,
    models: pd.DataFrame | None = None,
    software_source: str = "fe",
    **kwargs: Any,
) -> REstimate:
    """r on real data: ImageNet compute efficiency at fixed error vs cumulative vision research.

    S(t) comes from :func:`imagenet_software_series` (``software_source="fe"``, year
    fixed effects: keeps the year-to-year variation the regression needs) or from
    the scaling capability's ``algorithmic_progress`` (``"scaling"``, a fitted
    log-linear trend; a cross-check only, see the note it adds). Research input is
    the number of notable vision models (``measure="models"``) or their authors
    (``"authors"``) per year in the Epoch models table, cumulated from
    ``start_year`` (default: the first year in the table). With R0 ``auto`` the
    pre-``start_year`` stock is inferred from the input's growth rate.
    """
    if name not in CATALOG_RUNS:
        raise ParameterError("from_catalog", f"unknown series {name!r}", expected=" | ".join(CATALOG_RUNS))
    if benchmark_results is None or models is None:
        from aiprogress.data import load_table  # the data capability's loader

        if benchmark_results is None:
            benchmark_results = load_table("benchmark_results", catalog=catalog, data_dir=data_dir)
        if models is None:
            models = load_table("models", catalog=catalog, data_dir=data_dir)
    notes = []
    if software_source == "scaling":
        soft, s_method = scaling_software_series(benchmark_results, name)
        notes.append(
            f"S(t): {s_method}. A fitted trend makes log S exactly linear in time, so the regression residuals only "
            "reflect the curvature of log R and the intervals understate the uncertainty; use it as a cross-check."
        )
    elif software_source == "fe":
        ss = imagenet_software_series(benchmark_results)
        soft = ss.series[["year", "software_efficiency"]]
        s_method = ss.method
        notes.append(
            f"S(t): {ss.method}; {ss.n_models} models, {len(ss.series)} years "
            f"({int(ss.series['year'].min())}–{int(ss.series['year'].max())}); compute halves every "
            f"{ss.halving_time_years:.2f} years at fixed error (trend of the year effects)."
        )
    else:
        raise ParameterError("software_source", f"got {software_source!r}", expected="fe | scaling")
    research = vision_research_series(models, measure=measure)
    if start_year is not None:
        research = research[research["year"] >= start_year]
    merged = research.merge(soft, on="year", how="left")
    merged = merged[merged["year"] <= soft["year"].max()]
    notes.append(
        f"R(t): cumulative number of {'notable vision models' if measure == 'models' else 'authors of notable vision models'} "
        f"per year in the Epoch models table, cumulated from {int(merged['year'].min())}."
    )
    source = (
        f"S: ImageNet ({s_method}; data: Thompson et al. 2020, computerprogress.com). "
        f"R: Epoch AI 'AI Models' database (CC BY 4.0), measure={measure}."
    )
    return estimate_r(
        merged["year"].to_numpy(float),
        merged["software_efficiency"].to_numpy(float),
        merged["research_input"].to_numpy(float),
        r0=r0,
        source=source,
        notes=notes,
        **kwargs,
    )


def compare_with_published(est: REstimate, domain: str = "computer vision", others: dict[str, REstimate] | None = None) -> pd.DataFrame:
    """Published r next to this estimate (both intervals) and any ``others`` (label -> estimate), with the difference."""
    pub = published_estimates()
    pub = pub[(pub["quantity"] == "r") & (pub["domain"] == domain)]
    rows = [
        {
            "estimate": f"published ({domain})",
            "r": float(row["estimate"]),
            "low": float(row["low"]),
            "high": float(row["high"]),
            "interval": row["interval"],
            "source": row["source"].split(",")[0],
        }
        for _, row in pub.iterrows()
    ]
    lvl = f"{est.level:.0%}"
    rows.append({"estimate": f"this data ({est.cov_type})", "r": est.r, "low": est.r_ci_low, "high": est.r_ci_high, "interval": lvl, "source": "aiprogress"})
    if est.n_boot > 0:
        rows.append({"estimate": "this data (block bootstrap)", "r": est.r, "low": est.boot_ci_low, "high": est.boot_ci_high, "interval": lvl, "source": "aiprogress"})
    for label, other in (others or {}).items():
        rows.append({"estimate": label, "r": other.r, "low": other.r_ci_low, "high": other.r_ci_high, "interval": f"{other.level:.0%}", "source": "aiprogress"})
    frame = pd.DataFrame(rows)
    if len(pub):
        frame["difference_vs_published"] = frame["r"] - float(pub["estimate"].iloc[0])
    return frame


def plot_r_fit(est: REstimate, title: str | None = None) -> "Any":
    """Figure: log S against log R with the fitted line (slope r) and the published-r slope for reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = est.data
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    x = d["log_cumulative_research"].to_numpy() / math.log(2)
    y = d["log_software"].to_numpy() / math.log(2)
    y = y - y[0]
    ax.scatter(x, y, color="C0", zorder=3, label="data")
    for xi, yi, ti in zip(x, y, d["time"]):
        ax.annotate(f"{ti:g}", (xi, yi), textcoords="offset points", xytext=(4, -10), fontsize=7, color="0.3")
    xs = np.linspace(x.min(), x.max(), 50)
    fit_line = (est.intercept + est.r * xs * math.log(2)) / math.log(2) - d["log_software"].iloc[0] / math.log(2)
    ax.plot(xs, fit_line, color="C1", label=f"fit: r = {est.r:.2f} [{est.r_ci_low:.2f}, {est.r_ci_high:.2f}]")
    pub = published_estimates()
    pub_r = pub[(pub["quantity"] == "r") & (pub["domain"] == "computer vision")]
    if len(pub_r):
        rp = float(pub_r["estimate"].iloc[0])
        xm, ym = x.mean(), float(np.mean(fit_line))
        ax.plot(xs, ym + rp * (xs - xm), color="0.5", ls="--", label=f"published slope r = {rp:g}")
    ax.set_xlabel("log2 cumulative research R")
    ax.set_ylabel("log2 software efficiency S (relative to first point)")
    ax.set_title(title or "Returns to software: doublings of S per doubling of R", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def explain_difference(est: REstimate, domain: str = "computer vision") -> list[str]:
    """Plain sentences on how this estimate compares with the published r and why they may differ."""
    pub = published_estimates()
    pub = pub[(pub["quantity"] == "r") & (pub["domain"] == domain)]
    d = est.data
    span = float(d["time"].max() - d["time"].min())
    lines: list[str] = []
    if len(pub):
        p, plo, phi = (float(pub[c].iloc[0]) for c in ("estimate", "low", "high"))
        def verdict(lo: float, hi: float, name: str) -> str:
            if lo <= p <= hi:
                return f"the published value lies inside our {name} interval"
            if lo <= phi and plo <= hi:
                return f"our {name} interval excludes the published point but overlaps its range"
            return f"our {name} interval and the published range do not overlap"

        parts = [verdict(est.r_ci_low, est.r_ci_high, est.cov_type)]
        if est.n_boot > 0:
            parts.append(verdict(est.boot_ci_low, est.boot_ci_high, "bootstrap"))
        lines.append(
            f"Estimated r = {est.r:.2f} ({est.level:.0%} {est.cov_type} interval {est.r_ci_low:.2f} to {est.r_ci_high:.2f}; "
            f"bootstrap {est.boot_ci_low:.2f} to {est.boot_ci_high:.2f}) vs published {p:g} ({plo:g} to {phi:g}): "
            + "; ".join(parts) + "."
        )
    if span > 0:
        g_s = (d["log_software"].iloc[-1] - d["log_software"].iloc[0]) / span
        g_r = (d["log_cumulative_research"].iloc[-1] - d["log_cumulative_research"].iloc[0]) / span
        lines.append(
            f"Over {d['time'].min():g}–{d['time'].max():g} software efficiency grew {g_s:.2f} log-points per year "
            f"and cumulative research {g_r:.2f} log-points per year; r is essentially their ratio ({g_s / g_r:.2f} end to end), "
            f"estimated from only {est.n_obs} periods, so its interval is wide and the HAC interval is optimistic in samples this small."
        )
    if len(est.sensitivity) > 1:
        lines.append(
            f"The pre-sample research stock matters: R0 from {est.sensitivity['r0'].min():.3g} to {est.sensitivity['r0'].max():.3g} "
            f"moves r from {est.sensitivity['r'].min():.2f} to {est.sensitivity['r'].max():.2f} (a larger R0 makes R grow more slowly, so r rises)."
        )
    why = (
        "Why they differ: the published figure rests on a different software-efficiency series and a different measure of "
        "research effort over a different period (see its source). Here S is the compute per forward pass needed for a fixed "
        "ImageNet error, which leaves out training-efficiency gains, and R counts notable vision models in Epoch's database, "
        "a selective list whose growth is slower than the growth usually reported for the field's papers and researchers; a slowly growing R pushes r up."
    )
    if span > 0 and len(pub) and g_s > 0:
        why += (
            f" Since r ≈ g_S/g_R, the published {p:g} would need cumulative research to grow about {g_s / p:.2f} log-points "
            f"per year over this period instead of the {g_r:.2f} measured here."
        )
    lines.append(why)
    return lines
