"""Returns to software r: the elasticity of software efficiency in cumulative research.

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

Moved here from ``aiprogress.takeoff.estimate`` (takeoff consumes these results).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result, format_table
from aiprogress.stats import smapi as sm
from aiprogress.stats.columns import read_columns, to_time

__all__ = ["R_ASSUMPTIONS", "REstimate", "cumulative_research", "default_r0", "estimate_r", "estimate_r_csv"]

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
    tvals = to_time(frame[time_col], path, time_col)
    dup = pd.Series(tvals).duplicated().to_numpy()
    if dup.any():
        k = int(np.flatnonzero(dup)[0])
        raise InputError("repeated time value", file=path, line=k + 2, column=time_col, expected="one row per period")
    kwargs.setdefault("source", str(path))
    return estimate_r(tvals, soft.to_numpy(dtype=float), frame[research_col].to_numpy(dtype=float), cumulative=cumulative, **kwargs)


