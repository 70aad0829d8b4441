"""CES research production: output of AI research from cognitive labour and compute.

    Y = [alpha * L**rho + (1 - alpha) * K**rho] ** (1 / rho)

normalised so that Y = 1 at L = K = 1. ``rho`` is the substitution parameter
(sigma = 1 / (1 - rho) is the elasticity of substitution): rho < 0 means labour
and compute are complements, rho = 0 is Cobb-Douglas (Y = L**alpha K**(1-alpha)),
rho -> -inf is Leontief (Y = min(L, K)).

Everything is evaluated in logs and broadcasts over NumPy arrays of L, K, rho and
alpha. The Cobb-Douglas limit is exact and continuous: writing l = log L,
k = log K and ``exprel(x) = (e**x - 1) / x``::

    m(rho) = alpha * l * exprel(rho * l) + (1 - alpha) * k * exprel(rho * k)
    log Y  = m * log1p(rho * m) / (rho * m)

which has no division by zero at rho = 0 (both factors tend to 1 and m to the
Cobb-Douglas exponent sum). Where |rho * l| or |rho * k| is large the
log-sum-exp form ``logaddexp(log alpha + rho l, log(1 - alpha) + rho k) / rho``
is used instead, and also whenever |rho| >= 1e-2 (its rounding error in log Y is then
about 1e-16 / |rho| <= 1e-14).

The "max speed" is the ceiling of Y as L -> inf with K fixed:
(1 - alpha)**(1/rho) * K for rho < 0, K for Leontief, and infinity for rho >= 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

if TYPE_CHECKING:  # pandas is imported only when a table is built (fast CLI start for --json)
    import pandas as pd

SERIES_BELOW = 1e-2  # |rho| below which (with |rho log L|, |rho log K| < 1) the exact-at-0 series form is used
DEFAULT_RHOS = (-1.0, -0.5, -0.4, -0.2, -0.15, -0.1, 0.0)


def sigma_from_rho(rho: float | np.ndarray) -> float | np.ndarray:
    """Elasticity of substitution sigma = 1 / (1 - rho) on the closed domain -inf <= rho <= 1.

    rho = -inf (Leontief) gives 0, rho = 0 (Cobb-Douglas) 1, rho = 1 (perfect substitutes) inf.
    NaN or rho > 1 raise :class:`ParameterError`.
    """
    r = np.asarray(rho, dtype=float)
    if np.any(np.isnan(r)) or np.any(r > 1):
        raise ParameterError("rho", f"got {rho!r}", expected="-inf <= rho <= 1")
    with np.errstate(divide="ignore"):
        out = np.where(np.isneginf(r), 0.0, 1.0 / (1.0 - r))
    return float(out) if out.ndim == 0 else out


def rho_from_sigma(sigma: float | np.ndarray) -> float | np.ndarray:
    """Substitution parameter rho = 1 - 1 / sigma on the closed domain 0 <= sigma <= inf.

    sigma = 0 gives -inf (Leontief), sigma = inf gives 1. NaN or sigma < 0 raise
    :class:`ParameterError`. The inverse of :func:`sigma_from_rho`.
    """
    s = np.asarray(sigma, dtype=float)
    if np.any(np.isnan(s)) or np.any(s < 0):
        raise ParameterError("sigma", f"got {sigma!r}", expected="0 <= sigma <= inf (elasticity of substitution)")
    with np.errstate(divide="ignore", over="ignore"):
        out = 1.0 - 1.0 / s
    return float(out) if out.ndim == 0 else out


def _exprel(x: np.ndarray) -> np.ndarray:
    """(e**x - 1) / x with the removable singularity at 0 filled in (= 1), like scipy.special.exprel."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-8
    safe = np.where(small, 1.0, x)
    return np.where(small, 1.0 + x / 2.0, np.expm1(safe) / safe)


def _log1p_over(x: np.ndarray) -> np.ndarray:
    """log1p(x) / x with the removable singularity at x = 0 filled in (= 1)."""
    small = np.abs(x) < 1e-8
    safe = np.where(small, 1.0, x)
    return np.where(small, 1.0 - x / 2.0, np.log1p(safe) / safe)


def _check_alpha(alpha: np.ndarray) -> None:
    if np.any((alpha < 0) | (alpha > 1)) or np.any(np.isnan(alpha)):
        raise ParameterError("alpha", "labour weight outside [0, 1]", expected="0 <= alpha <= 1")


def _rows_where(small_rho: np.ndarray, alpha: np.ndarray, shape: tuple) -> np.ndarray | None:
    """Indices along the first axis where ``small_rho`` holds, when rho (and alpha) vary along that axis
    only (shape (n, 1, ..., 1) against inputs of ``shape``) and not every row qualifies; else None."""
    def per_row(x: np.ndarray) -> bool:
        return x.ndim == len(shape) and len(shape) > 1 and x.shape[0] == shape[0] and all(d == 1 for d in x.shape[1:])

    if not per_row(small_rho) or not (alpha.ndim == 0 or per_row(alpha)) or small_rho.all():
        return None
    return np.flatnonzero(small_rho.reshape(-1))


def _series_branch(out, l, k, rl, rk, rho_f, alpha, small_rho) -> None:
    """Branch 1 of :func:`ces_log_output`, written into ``out`` where |rho l|, |rho k| < 1 and ``small_rho``."""
    use_small = (np.abs(rl) < 1.0) & (np.abs(rk) < 1.0) & small_rho
    if use_small.any():
        als = np.broadcast_to(alpha, out.shape)[use_small]
        rs = np.broadcast_to(rho_f, out.shape)[use_small]
        ls, ks = l[use_small], k[use_small]
        a_l = np.where(als > 0, als * ls * _exprel(rs * ls), 0.0)
        a_k = np.where(als < 1, (1 - als) * ks * _exprel(rs * ks), 0.0)
        m = a_l + a_k
        out[use_small] = m * _log1p_over(rs * m)


def logaddexp(a, b, out: np.ndarray | None = None) -> np.ndarray:
    """log(exp(a) + exp(b)) as max(a, b) + log1p(exp(-|a - b|)): NumPy's vectorised exp and log1p, about half
    the time of ``np.logaddexp`` (an element-at-a-time loop); equal to it within a few ulp (tested), and the
    same for ±inf (a = b gives a + log 2, as there). ``out`` may be ``a`` or ``b``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim == 0 and b.ndim == 0:  # scalars: nothing to vectorise
        return np.logaddexp(a, b, out=out) if out is not None else np.logaddexp(a, b)
    with np.errstate(invalid="ignore", over="ignore"):
        m = np.maximum(a, b)
        d = np.subtract(a, b)
        np.abs(d, out=d)
        same_inf = np.isnan(d)  # a = b = +inf or -inf (NaN inputs stay NaN through m)
        np.negative(d, out=d)
        np.exp(d, out=d)
        np.log1p(d, out=d)
        if same_inf.any():
            d[same_inf] = 0.0
        res = np.add(m, d, out=out if out is not None else d)
    return res


def ces_log_output(log_labour, log_compute, rho, alpha=0.5) -> np.ndarray:
    """log Y of the normalised CES, from log L and log K (arrays broadcast).

    Exact at rho = 0 (Cobb-Douglas), rho = -inf (Leontief: min(l, k)) and
    continuous in rho in between; handles l or k = -inf (an input of zero).
    """
    l = np.asarray(log_labour, dtype=float)
    k = np.asarray(log_compute, dtype=float)
    rho = np.asarray(rho, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    _check_alpha(alpha)
    if np.any(rho > 1) or np.any(np.isnan(rho)):
        raise ParameterError("rho", "substitution parameter above 1", expected="-inf <= rho <= 1")
    # rho and alpha keep their own shapes (often one value per draw against many nodes per draw): the
    # per-parameter pieces are computed once and broadcast; only l and k are full size.
    shape = np.broadcast_shapes(l.shape, k.shape, rho.shape, alpha.shape)
    l, k = np.broadcast_to(l, shape), np.broadcast_to(k, shape)
    leontief = np.isneginf(rho)
    any_leontief = bool(leontief.any())
    rho_f = np.where(leontief, -1.0, rho) if any_leontief else rho
    if not any_leontief and not rho_f.any() and np.isfinite(l).all() and np.isfinite(k).all():
        # rho = 0 everywhere (Cobb-Douglas), finite inputs: branch 1 below applies to every element, and with
        # rho = 0 its exprel(0) and log1p(0)/0 are exactly 1, so it is exactly this (same operations, same
        # bits); the log-sum-exp branch it would overwrite is not computed.
        with np.errstate(all="ignore"):
            out = np.where(alpha > 0, alpha * l, 0.0) + np.where(alpha < 1, (1 - alpha) * k, 0.0)
        return out[()] if out.ndim == 0 else out
    with np.errstate(all="ignore"):
        # Branch 2 everywhere: log-sum-exp form (rho is not tiny relative to the inputs there).
        rl, rk = rho_f * l, rho_f * k
        log_a, log_1ma = np.log(alpha), np.log1p(-alpha)
        t_l = log_a + rl if bool(np.all(alpha > 0)) else np.where(alpha > 0, log_a + rl, -np.inf)
        t_k = log_1ma + rk if bool(np.all(alpha < 1)) else np.where(alpha < 1, log_1ma + rk, -np.inf)
        out = np.asarray(logaddexp(t_l, t_k))
        np.divide(out, np.where(rho_f == 0, 1.0, rho_f), out=out)
        # Branch 1 where |rho l|, |rho k| < 1 and |rho| < SERIES_BELOW: expm1/log1p form, exact at rho = 0
        # (computed only there). Elsewhere the log-sum-exp form's rounding error in log Y is about
        # 1e-16 / |rho| <= 1e-14 (or 1e-16 relative once |rho l| >= 1).
        small_rho = np.abs(rho_f) < SERIES_BELOW
        if small_rho.any():
            rows = _rows_where(small_rho, alpha, shape)
            if rows is None:
                _series_branch(out, l, k, rl, rk, rho_f, alpha, small_rho)
            else:  # one rho per row (a draw against its nodes): look only at the rows with a small rho
                sub = out[rows]
                _series_branch(sub, l[rows], k[rows], rl[rows], rk[rows], rho_f[rows],
                               alpha[rows] if alpha.ndim else alpha, True)
                out[rows] = sub
        if not (np.isfinite(l).all() and np.isfinite(k).all()):
            # Zero inputs: with rho <= 0 output is zero if the zero input has positive weight.
            zero_l = np.isneginf(l) & (alpha > 0) & (rho_f <= 0)
            zero_k = np.isneginf(k) & (alpha < 1) & (rho_f <= 0)
            out = np.where(zero_l | zero_k, -np.inf, out)
            # rho = 0 with an infinite input: Cobb-Douglas directly.
            cd = alpha * np.where(alpha > 0, l, 0.0) + (1 - alpha) * np.where(alpha < 1, k, 0.0)
            out = np.where((rho_f == 0) & ~(np.isfinite(l) & np.isfinite(k)), cd, out)
        if any_leontief:
            # Leontief: min over the inputs with positive weight.
            leo = np.minimum(np.where(alpha > 0, l, np.inf), np.where(alpha < 1, k, np.inf))
            out = np.where(leontief, leo, out)
        out = np.asarray(out)
    return out[()] if out.ndim == 0 else out


def ces_output(labour, compute, rho, alpha=0.5) -> np.ndarray:
    """Normalised CES output Y(L, K) = [alpha L^rho + (1-alpha) K^rho]^(1/rho); Y(1, 1) = 1."""
    labour = np.asarray(labour, dtype=float)
    compute = np.asarray(compute, dtype=float)
    if np.any(labour < 0):
        raise ParameterError("labour", "negative input", expected=">= 0")
    if np.any(compute < 0):
        raise ParameterError("compute", "negative input", expected=">= 0")
    with np.errstate(divide="ignore", over="ignore"):
        out = np.exp(ces_log_output(np.log(labour), np.log(compute), rho, alpha))
    return out[()] if np.ndim(out) == 0 else out


def ces_ceiling(rho, alpha=0.5, compute=1.0) -> np.ndarray:
    """Limit of Y as labour -> infinity with compute fixed ("max speed").

    Closed forms: (1 - alpha)^(1/rho) * K for rho < 0, K for Leontief (rho = -inf),
    inf for rho >= 0; at the weights' edges alpha = 0 gives K for every rho (labour
    has no weight) and alpha = 1 gives inf (compute has no weight).
    """
    rho = np.asarray(rho, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    compute = np.asarray(compute, dtype=float)
    _check_alpha(alpha)
    if np.any(np.isnan(rho)) or np.any(rho > 1):
        raise ParameterError("rho", "substitution parameter above 1", expected="-inf <= rho <= 1")
    rho, alpha, compute = np.broadcast_arrays(rho, alpha, compute)
    with np.errstate(all="ignore"):
        finite = np.exp(np.log1p(-alpha) / np.where(rho < 0, rho, -1.0)) * compute
        out = np.where(rho < 0, finite, np.inf)
        out = np.where(np.isneginf(rho), compute, out)
        out = np.where(alpha >= 1, np.inf, out)
        out = np.where(alpha <= 0, compute, out)
    return out[()] if out.ndim == 0 else out


@dataclass(frozen=True)
class MaxSpeedTable(Result):
    """Max speed of software progress (Y as labour -> inf, compute fixed) for several rho."""

    alpha: float
    rho: tuple[float, ...]
    sigma: tuple[float, ...]
    max_speed: tuple[float, ...]
    compute: float = 1.0

    def to_frame(self) -> "pd.DataFrame":
        import pandas as pd

        return pd.DataFrame({"rho": self.rho, "sigma": self.sigma, "max_speed": self.max_speed})

    def to_dict(self) -> dict:
        """JSON-safe: infinite max speeds (rho >= 0, alpha = 1) are ``null`` with ``unbounded: true``;
        an infinite sigma (rho = 1) is ``null`` with ``sigma_infinite: true``; rho = -inf
        (Leontief) is ``null`` with ``leontief: true``."""
        return {
            "alpha": self.alpha,
            "compute": self.compute,
            "rho": [None if math.isinf(r) else r for r in self.rho],
            "leontief": [math.isinf(r) for r in self.rho],
            "sigma": [None if math.isinf(s) else s for s in self.sigma],
            "sigma_infinite": [math.isinf(s) for s in self.sigma],
            "max_speed": [None if math.isinf(v) else v for v in self.max_speed],
            "unbounded": [math.isinf(v) for v in self.max_speed],
        }

    def summary(self) -> str:
        return format_table(
            {"rho": self.rho, "sigma": self.sigma, "max_speed": self.max_speed},
            title=f"Max speed of software progress (alpha = {self.alpha:g}, compute fixed at {self.compute:g})",
        )


def max_speed_table(rhos=DEFAULT_RHOS, alpha: float = 0.5, compute: float = 1.0) -> MaxSpeedTable:
    """The ceiling (1-alpha)^(1/rho) K for each rho (``inf`` for rho >= 0)."""
    rhos = tuple(float(r) for r in np.atleast_1d(np.asarray(rhos, dtype=float)))
    if not rhos:
        raise ParameterError("rho", "empty list", expected="at least one value")
    for r in rhos:
        if np.isnan(r) or r > 1:
            raise ParameterError("rho", f"value {r} out of range", expected="-inf <= rho <= 1")
    if not 0 <= alpha <= 1:
        raise ParameterError("alpha", f"value {alpha} out of range", expected="0 <= alpha <= 1")
    if not compute > 0:
        raise ParameterError("compute", f"value {compute} out of range", expected="> 0")
    speeds = ces_ceiling(np.array(rhos), alpha, compute)
    sig = sigma_from_rho(np.array(rhos))
    return MaxSpeedTable(
        alpha=float(alpha),
        rho=rhos,
        sigma=tuple(float(s) for s in np.atleast_1d(sig)),
        max_speed=tuple(float(s) for s in np.atleast_1d(speeds)),
        compute=float(compute),
    )


def plot_speed_curves(rhos=(-0.4, -0.2, -0.1, 0.0), alpha: float = 0.5, labour_max: float = 1e8, ax=None):
    """Speed Y vs cognitive labour L (log x axis, K = 1) with each rho's ceiling dashed."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    else:
        fig = ax.figure
    labour = np.logspace(0, np.log10(labour_max), 400)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, rho in enumerate(rhos):
        c = colors[i % len(colors)]
        ax.plot(labour, ces_output(labour, 1.0, rho, alpha), color=c, label=f"ρ = {rho:g}")
        ceil = float(ces_ceiling(rho, alpha))
        if np.isfinite(ceil):
            ax.axhline(ceil, color=c, ls="--", lw=0.9)
            ax.annotate(f"max {ceil:.4g}×", (labour[-1], ceil), textcoords="offset points", xytext=(-2, 3),
                        color=c, fontsize=8, ha="right")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("cognitive labour L (multiple of today's, compute fixed)")
    ax.set_ylabel("pace of software progress Y (× today)")
    ax.set_title(f"CES research production, α = {alpha:g}")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(True, which="major", alpha=0.3)
    return fig
