"""Returns to software r: doubling times after AI research is automated.

Model (fixed hardware). Software S doubles r times per doubling of cumulative
research R, i.e. S = R**r (both normalised to 1 at automation). Once research is
automated the research effort is proportional to software (the same hardware runs
S times more researchers), dR/dt = c * S. Hence

    d ln S / dt = r * (dR/dt) / R = r c R**(r-1) = g0 * S**a,   a = 1 - 1/r,

with g0 = r c the growth rate at automation. Writing s = ln S, the time to reach s is

    t(s) = (1 - exp(-a s)) / (a g0) = s * exprel(-a s) / g0        (exact),

so the k-th doubling (s from (k-1) ln 2 to k ln 2) lasts T1 * q**(k-1) with

    q = 2**(-a) = 2**(1/r - 1),

which is the discrete doubling sequence: it is *exact* in the continuous model,
not an approximation. Given the first doubling time T1, g0 = ln2 * exprel(-a ln2) / T1.

* r > 1 (a > 0): doublings shrink geometrically and S reaches infinity at the finite
  date T_inf = T1 / (1 - q) = 1 / (a g0) (sum of the geometric series; equivalently
  R0**(1-r) / (c (r-1)) from dR/dt = c R**r).
* r = 1: exponential growth, every doubling takes T1.
* r < 1 (a < 0): "fizzle" -- doublings lengthen by q > 1 each time; S grows only as a
  power of time, ln S(t) = -ln(1 - a g0 t) / a, i.e. S ~ t**(r / (1 - r)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

LN2 = float(np.log(2.0))


def _check(r, first_doubling_days) -> tuple[np.ndarray, np.ndarray]:
    r = np.asarray(r, dtype=float)
    t1 = np.asarray(first_doubling_days, dtype=float)
    if np.any(~(r > 0)) or np.any(~np.isfinite(r)):
        raise ParameterError("r", "returns to software must be positive and finite", expected="r > 0")
    if np.any(~(t1 > 0)) or np.any(~np.isfinite(t1)):
        raise ParameterError("first_doubling_days", "must be positive and finite", expected="> 0 days")
    return r, t1


def initial_growth_rate_per_day(r, first_doubling_days) -> np.ndarray:
    """g0 = d ln S/dt at automation, given the first doubling time (continuous model)."""
    r, t1 = _check(r, first_doubling_days)
    a = 1.0 - 1.0 / r
    return LN2 * special.exprel(-a * LN2) / t1


def time_to_doublings_days(r, first_doubling_days, doublings) -> np.ndarray:
    """Days until S has doubled ``doublings`` times (any real >= 0; inf past a singularity).

    Closed form T1 * (1 - q**n) / (1 - q), written with exprel so r = 1 is exact.
    """
    r, t1 = _check(r, first_doubling_days)
    n = np.asarray(doublings, dtype=float)
    if np.any(n < 0):
        raise ParameterError("doublings", "negative number of doublings", expected=">= 0")
    a = 1.0 - 1.0 / r
    with np.errstate(over="ignore"):
        out = t1 * n * special.exprel(-a * n * LN2) / special.exprel(-a * LN2)
    return out


def singularity_days(r, first_doubling_days) -> np.ndarray:
    """Finite-time blow-up date T1 / (1 - q) for r > 1; inf for r <= 1."""
    r, t1 = _check(r, first_doubling_days)
    q = np.exp2(1.0 / r - 1.0)
    with np.errstate(divide="ignore"):
        return np.where(r > 1, t1 / np.where(r > 1, 1.0 - q, 1.0), np.inf)


def log_software_at(r, first_doubling_days, days) -> np.ndarray:
    """ln S(t) on the continuous path (inf at and after the singularity date)."""
    r, t1 = _check(r, first_doubling_days)
    t = np.asarray(days, dtype=float)
    a = 1.0 - 1.0 / r
    g0 = LN2 * special.exprel(-a * LN2) / t1
    x = a * g0 * t
    with np.errstate(divide="ignore", invalid="ignore"):
        # -ln(1 - x)/a = g0 t * (-log1p(-x)/x): exact at a = 0 as well.
        ratio = np.where(np.abs(x) < 1e-12, 1.0, -np.log1p(-np.where(x < 1, x, 0.0)) / np.where(x == 0, 1.0, x))
        out = np.where(x >= 1, np.inf, g0 * t * ratio)
    return out


@dataclass(frozen=True)
class DoublingSequence(Result):
    """Successive software doubling times after automation, for returns r."""

    r: float
    first_doubling_days: float
    ratio: float  # q = 2**(1/r - 1): each doubling time is q times the previous one
    doubling_days: tuple[float, ...]
    cumulative_days: tuple[float, ...]
    singularity_days: float  # finite only for r > 1
    initial_growth_rate_per_day: float
    regime: str  # "explosion" (r > 1), "exponential" (r = 1) or "fizzle" (r < 1)

    def to_frame(self) -> pd.DataFrame:
        n = len(self.doubling_days)
        return pd.DataFrame(
            {
                "doubling": np.arange(1, n + 1),
                "doubling_days": self.doubling_days,
                "cumulative_days": self.cumulative_days,
            }
        )

    def summary(self) -> str:
        head = (
            f"r = {self.r:g}, first doubling {self.first_doubling_days:g} days, ratio q = {self.ratio:.4g} "
            f"({self.regime}); singularity after {self.singularity_days:.4g} days"
        )
        return format_table(self.to_frame(), title="Software doubling times after automation") + "\n" + head


def doubling_sequence(r: float, first_doubling_days: float = 365.0 / 12.0, n: int = 5) -> DoublingSequence:
    """The first ``n`` doubling times T1 * q**(k-1) (k = 1..n) and their running total."""
    r_a, t1_a = _check(r, first_doubling_days)
    if int(n) != n or n < 1:
        raise ParameterError("n", f"{n} is not a positive whole number", expected="integer >= 1")
    n = int(n)
    q = float(np.exp2(1.0 / float(r_a) - 1.0))
    k = np.arange(1, n + 1, dtype=float)
    durations = float(t1_a) * q ** (k - 1)
    cumulative = time_to_doublings_days(r, first_doubling_days, k)
    regime = "explosion" if r > 1 else ("exponential" if r == 1 else "fizzle")
    return DoublingSequence(
        r=float(r),
        first_doubling_days=float(first_doubling_days),
        ratio=q,
        doubling_days=tuple(float(d) for d in durations),
        cumulative_days=tuple(float(c) for c in cumulative),
        singularity_days=float(singularity_days(r, first_doubling_days)),
        initial_growth_rate_per_day=float(initial_growth_rate_per_day(r, first_doubling_days)),
        regime=regime,
    )


def plot_doublings(rs=(0.7, 1.0, 1.5, 3.0), first_doubling_days: float = 365.0 / 12.0, n: int = 8,
                   horizon_days: float | None = None, ax=None):
    """log2 S vs days on the continuous path for several r, with doubling dates marked."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    else:
        fig = ax.figure
    if horizon_days is None:
        horizon_days = float(np.max(time_to_doublings_days(np.min(rs), first_doubling_days, n))) * 1.05
    t = np.linspace(0.0, horizon_days, 600)
    for r in rs:
        ls = log_software_at(r, first_doubling_days, t) / LN2
        line, = ax.plot(t, np.minimum(ls, n + 1), label=f"r = {r:g}")
        cum = time_to_doublings_days(r, first_doubling_days, np.arange(1, n + 1))
        shown = cum <= horizon_days  # curve and points end together at the horizon
        ax.plot(cum[shown], np.arange(1, n + 1)[shown], "o", ms=3, color=line.get_color())
        if not shown.all():
            line.set_label(f"r = {r:g} ({int(shown.sum())} of {n} doublings within {horizon_days:g} days)")
        t_inf = float(singularity_days(r, first_doubling_days))
        if np.isfinite(t_inf) and t_inf <= horizon_days:
            ax.axvline(t_inf, color=line.get_color(), ls=":", lw=0.9)
    ax.set_ylim(0, n + 0.5)
    ax.set_xlim(0, horizon_days)
    ax.set_xlabel("days after automation")
    ax.set_ylabel("software doublings (log2 S)")
    ax.set_title(f"Returns to software r, fixed hardware (first doubling {first_doubling_days:.3g} days)")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return fig
