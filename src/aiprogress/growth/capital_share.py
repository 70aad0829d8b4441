"""From the R&D capital-cost share f to steady-state productivity growth (Figures 1a, 5a).

In a competitive R&D sector with Cobb-Douglas idea production, factor payments
are proportional to the elasticities (Appendix A3), so the capital-cost share is
``f = beta / (beta + gamma)``. Holding the labour elasticity gamma fixed, a
capital share f therefore implies ``beta = f * gamma / (1 - f)``, and the
steady state of :mod:`aiprogress.growth.model` gives

    g_A*(f) = (beta(f) + gamma) / (1 - beta(f) - theta) * n.

A balanced growth path exists only while ``beta(f) + theta < 1``, i.e. for
``f < f_max = (1 - theta) / (1 - theta + gamma)``; g_A* rises without bound as
f approaches f_max.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.growth.model import PAPER_GAMMA, PAPER_N, PAPER_THETA, _finite, check_parameters


def capital_share(beta: float, gamma: float) -> float:
    """Competitive capital-cost share ``f = beta / (beta + gamma)`` (Appendix A3)."""
    beta = _finite("beta", beta)
    gamma = _finite("gamma", gamma)
    if beta < 0:
        raise ParameterError("beta", f"{beta:g} is negative", expected="beta >= 0")
    if gamma < 0:
        raise ParameterError("gamma", f"{gamma:g} is negative", expected="gamma >= 0")
    if beta + gamma <= 0:
        raise ParameterError("beta", "beta + gamma is zero: the capital share is undefined", expected="beta + gamma > 0")
    return beta / (beta + gamma)


def _check_share(f: np.ndarray) -> np.ndarray:
    f = np.asarray(f, dtype=float)
    bad = ~np.isfinite(f) | (f <= 0) | (f >= 1)
    if bad.any():
        first = f.ravel()[np.flatnonzero(bad.ravel())[0]]
        raise ParameterError("f", f"capital share {first:g} is outside (0, 1)", expected="0 < f < 1")
    return f


def beta_from_capital_share(f: float | np.ndarray, gamma: float = PAPER_GAMMA) -> float | np.ndarray:
    """Capital elasticity implied by a capital share f at labour elasticity gamma: ``f gamma / (1 - f)``."""
    gamma = _finite("gamma", gamma)
    if gamma <= 0:
        raise ParameterError("gamma", f"{gamma:g} is not positive", expected="gamma > 0")
    f_arr = _check_share(f)
    out = f_arr * gamma / (1.0 - f_arr)
    return float(out) if out.ndim == 0 else out


def max_capital_share(theta: float = PAPER_THETA, gamma: float = PAPER_GAMMA) -> float:
    """Largest capital share with a balanced growth path: ``(1 - theta) / (1 - theta + gamma)`` (exclusive)."""
    theta = _finite("theta", theta)
    gamma = _finite("gamma", gamma)
    if theta >= 1:
        raise ParameterError("theta", f"{theta:g} >= 1", expected="theta < 1")
    return (1.0 - theta) / (1.0 - theta + gamma)


def productivity_growth_from_capital_share(
    f: float | np.ndarray,
    theta: float = PAPER_THETA,
    gamma: float = PAPER_GAMMA,
    n: float = PAPER_N,
) -> float | np.ndarray:
    """Steady-state productivity growth g_A* (fraction/yr) implied by capital share(s) f.

    Raises :class:`ParameterError` naming ``f`` if any share is outside (0, 1) or
    so large that ``beta(f) + theta >= 1`` (no balanced growth path).
    """
    beta = np.asarray(beta_from_capital_share(f, gamma), dtype=float)
    check_parameters(0.0, gamma, theta, n)
    f_max = max_capital_share(theta, gamma)
    if (beta >= 1.0 - theta).any():
        f_arr = np.asarray(f, dtype=float).ravel()
        first = f_arr[np.flatnonzero((beta >= 1.0 - theta).ravel())[0]]
        raise ParameterError(
            "f",
            f"capital share {first:g} implies beta + theta >= 1 (no balanced growth path)",
            expected=f"f < {f_max:.4g} when theta = {theta:g}, gamma = {gamma:g}",
        )
    g = (beta + gamma) / (1.0 - beta - theta) * n
    return float(g) if g.ndim == 0 else g


def capital_share_curves(
    thetas: tuple[float, ...] | list[float] = (0.3, 0.4, 0.5, 0.6),
    gamma: float = PAPER_GAMMA,
    n: float = PAPER_N,
    f_grid: np.ndarray | None = None,
) -> pd.DataFrame:
    """Long table (theta, f, beta, g_A) of productivity growth against capital share.

    Points with no balanced growth path (``f >= f_max(theta)``) are kept with
    ``g_A = NaN`` so every theta shares one grid (for plotting).
    """
    if f_grid is None:
        f_grid = np.linspace(0.005, 0.7, 400)
    f_grid = _check_share(f_grid)
    gamma = _finite("gamma", gamma)
    frames = []
    for theta in thetas:
        check_parameters(0.0, gamma, theta, n)
        beta = f_grid * gamma / (1.0 - f_grid)
        denom = 1.0 - beta - theta
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(denom > 0, (beta + gamma) / denom * n, np.nan)
        frames.append(pd.DataFrame({"theta": float(theta), "f": f_grid, "beta": beta, "g_A": g}))
    return pd.concat(frames, ignore_index=True)
