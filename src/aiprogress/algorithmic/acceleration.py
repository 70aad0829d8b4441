"""Is progress accelerating? Convex-trend and breakpoint tests against a linear null, with size and power.

Model under the null: ``y = a + b t + Zγ + e`` (Z: optional controls such as log10
compute, so that the test asks whether the *algorithmic* time trend bends), e iid
normal. Alternatives (one-sided: acceleration = progress speeding up):

* **convex**: add ``c t²``; the OLS t statistic of c > 0, p-value from t(n − k);
  exact under the null's assumptions;
* **breakpoint**: add a continuous kink ``d · max(0, t − τ)``, τ on a grid between the
  15% and 85% quantiles of t; statistic ``sup_τ t(d̂_τ)``; its null distribution is
  simulated (seeded parametric bootstrap from the fitted null with Gaussian errors),
  because the sup over τ has no closed form (Andrews 1993).

Both statistics are computed for many series at once through the Frisch–Waugh–Lovell
projections (written by hand: the simulated p-value needs thousands of fits, which
is one matrix product here). :func:`size_and_power` measures the rejection rate on
synthetic linear series (size) and on series with a known acceleration (power).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

__all__ = ["AccelerationTest", "acceleration_test", "simulate_series", "size_and_power"]


def _residualizer(base: np.ndarray) -> np.ndarray:
    q, _ = np.linalg.qr(base)
    return np.eye(base.shape[0]) - q @ q.T


def _tstats(m: np.ndarray, y: np.ndarray, h: np.ndarray, df: int) -> np.ndarray:
    """t statistics of the coefficient of each column of h added to the null design (M = residual maker), for each column of y.

    Returns an array (n_h, n_y).
    """
    yt = m @ y  # (n, ny)
    ht = m @ h  # (n, nh)
    hh = np.einsum("ij,ij->j", ht, ht)  # (nh,)
    hy = ht.T @ yt  # (nh, ny)
    yy = np.einsum("ij,ij->j", yt, yt)  # (ny,)
    d = hy / hh[:, None]
    rss = np.maximum(yy[None, :] - d * hy, 1e-300)
    s = np.sqrt(rss / df)
    return d * np.sqrt(hh)[:, None] / s


@dataclass(frozen=True)
class AccelerationTest(Result):
    """Convex and breakpoint test statistics and p-values for one series."""

    label: str
    n_obs: int
    controls: tuple[str, ...]
    convex_coef: float
    convex_t: float
    convex_p: float
    break_sup_t: float
    break_p: float
    break_time: float
    n_sim: int
    alpha: float
    convex_reject: bool
    break_reject: bool
    seed: int | None

    def summary(self) -> str:
        frame = pd.DataFrame([
            {"test": "convex trend (t²)", "statistic": self.convex_t, "p_value": self.convex_p, "reject_linear": self.convex_reject,
             "detail": f"c = {self.convex_coef:.4g}"},
            {"test": "breakpoint (sup t of a kink)", "statistic": self.break_sup_t, "p_value": self.break_p, "reject_linear": self.break_reject,
             "detail": f"kink at {self.break_time:.2f}; {self.n_sim} null simulations"},
        ])
        ctrl = f", controls: {', '.join(self.controls)}" if self.controls else ""
        return format_table(frame, title=f"Acceleration tests, {self.label} (n = {self.n_obs}{ctrl}; one-sided, α = {self.alpha:g})")


def _grid(t: np.ndarray, n_grid: int) -> np.ndarray:
    lo, hi = np.quantile(t, [0.15, 0.85])
    return np.linspace(lo, hi, n_grid)


def _stats_many(t: np.ndarray, y: np.ndarray, z: np.ndarray | None, n_grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Convex t, sup-t over the kinks and the argmax kink for each column of y (shape n × m)."""
    tc = t - t.mean()
    base = np.column_stack([np.ones_like(t), tc] + ([z] if z is not None else []))
    m = _residualizer(base)
    df = len(t) - base.shape[1] - 1
    if df < 2:
        raise ParameterError("time", f"{len(t)} observations are too few for {base.shape[1] + 1} coefficients", expected="more observations")
    tq = _tstats(m, y, (tc**2)[:, None], df)[0]
    taus = _grid(t, n_grid)
    kinks = np.maximum(0.0, t[:, None] - taus[None, :])
    tk = _tstats(m, y, kinks, df)
    arg = np.argmax(tk, axis=0)
    return tq, tk.max(axis=0), taus[arg], np.full(y.shape[1], df)


def acceleration_test(
    time: Sequence[float],
    values: Sequence[float],
    *,
    controls: dict[str, Sequence[float]] | None = None,
    label: str = "series",
    alpha: float = 0.05,
    n_sim: int = 999,
    n_grid: int = 25,
    seed: int | None = 0,
    progress: Callable[[int], None] | None = None,
) -> AccelerationTest:
    """Test ``values`` (higher = more progress) for acceleration in ``time`` against a linear trend."""
    t = np.asarray(time, float)
    y = np.asarray(values, float)
    z = np.column_stack([np.asarray(v, float) for v in controls.values()]) if controls else None
    if t.size != y.size or (z is not None and z.shape[0] != t.size):
        raise ParameterError("values", "time, values and controls have different lengths", expected="equal lengths")
    ok = np.isfinite(t) & np.isfinite(y) & (np.all(np.isfinite(z), axis=1) if z is not None else True)
    t, y = t[ok], y[ok]
    z = z[ok] if z is not None else None
    if t.size < 8 or np.unique(t).size < 5:
        raise ParameterError("time", f"only {t.size} observations ({np.unique(t).size} distinct times)", expected="at least 8 observations, 5 distinct times")
    if not 0 < alpha < 1 or n_sim < 19:
        raise ParameterError("n_sim" if n_sim < 19 else "alpha", f"n_sim {n_sim}, alpha {alpha}", expected="n_sim >= 19, 0 < alpha < 1")
    tq, sup, tau, df = _stats_many(t, y[:, None], z, n_grid)
    # convex: exact t(df) p-value (one-sided)
    p_convex = float(stats.t.sf(tq[0], df[0]))
    # breakpoint: simulate the null from the fitted linear model
    base = np.column_stack([np.ones_like(t), t - t.mean()] + ([z] if z is not None else []))
    coef = float(np.linalg.lstsq(np.column_stack([base, (t - t.mean()) ** 2]), y, rcond=None)[0][-1])
    beta, *_ = np.linalg.lstsq(base, y, rcond=None)
    resid = y - base @ beta
    sd = float(np.sqrt(resid @ resid / (len(y) - base.shape[1])))
    rng = np.random.default_rng(seed)
    null_sup = np.empty(n_sim)
    done = 0
    while done < n_sim:
        k = min(500, n_sim - done)
        ysim = (base @ beta)[:, None] + rng.normal(0, sd, (len(y), k))
        null_sup[done:done + k] = _stats_many(t, ysim, z, n_grid)[1]
        done += k
        if progress is not None:
            progress(k)
    p_break = float((1 + np.sum(null_sup >= sup[0])) / (n_sim + 1))
    return AccelerationTest(label=label, n_obs=int(t.size), controls=tuple(controls or ()), convex_coef=coef, convex_t=float(tq[0]),
                            convex_p=p_convex, break_sup_t=float(sup[0]), break_p=p_break, break_time=float(tau[0]), n_sim=int(n_sim),
                            alpha=alpha, convex_reject=p_convex < alpha, break_reject=p_break < alpha, seed=seed)


def simulate_series(rng: np.random.Generator, n: int, m: int, *, curvature: float = 0.0, noise: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """m synthetic series on n equally spaced times in [0, 10]: y = t + curvature · t² / 10 + N(0, noise²)."""
    t = np.linspace(0.0, 10.0, n)
    y = t[:, None] + curvature * (t**2)[:, None] / 10.0 + rng.normal(0, noise, (n, m))
    return t, y


def size_and_power(*, n: int = 30, n_series: int = 2000, curvature: float = 0.5, noise: float = 1.0, alpha: float = 0.05,
                   n_sim: int = 999, n_grid: int = 25, seed: int | None = 0) -> pd.DataFrame:
    """Rejection rates of both tests on linear series (size) and on series with curvature ``curvature`` (power).

    The breakpoint test's critical value is the (1 − α) quantile of its statistic on
    ``n_sim`` simulated null series (the same simulation the single-series test runs,
    computed once here); the convex test uses its exact t critical value.
    """
    rng = np.random.default_rng(seed)
    t, null_ref = simulate_series(rng, n, n_sim, noise=noise)
    crit_break = float(np.quantile(_stats_many(t, null_ref, None, n_grid)[1], 1 - alpha))
    rows = []
    for name, curv in (("null (linear)", 0.0), (f"accelerating (curvature {curvature:g})", curvature)):
        _, ys = simulate_series(rng, n, n_series, curvature=curv, noise=noise)
        tq, sup, _, df = _stats_many(t, ys, None, n_grid)
        crit_convex = float(stats.t.ppf(1 - alpha, df[0]))
        rows.append({"data": name, "n": n, "series": n_series, "convex_rejection_rate": float(np.mean(tq > crit_convex)),
                     "breakpoint_rejection_rate": float(np.mean(sup > crit_break)), "alpha": alpha})
    return pd.DataFrame(rows)
