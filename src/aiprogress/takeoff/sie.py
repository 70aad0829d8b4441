"""Software intelligence explosion (SIE) simulator: automated AI research on fixed hardware.

The model
---------
Time t (days) starts when AI research is automated. Inputs are measured relative
to a pre-automation reference state ("today"): human research labour L = 1,
experiment compute K = 1, research pace Y = CES(1, 1) = 1, cumulative research
R = 1 and software S = 1, with software growing at g_today = ln 2 /
``software_doubling_days``. At automation (t = 0) S and R are still 1, but labour
and experiments jump to L(1) and K(1) below, so the initial growth rate is
g_today * Y(1) (e.g. g_today exactly when run_share * labour_at_full_hardware = 1,
(1 - run_share) * experiments_at_full_hardware = 1 and there is no human floor or
training delay).

* Hardware is fixed. A share ``run_share`` (phi) of it runs automated researchers,
  the rest runs experiments. Software S multiplies the effective compute, so

      L(S) = human_labour + phi * labour_at_full_hardware * S**(1 + eta)
      K(S) = (1 - phi) * experiments_at_full_hardware * S**kappa

  ``labour_at_full_hardware`` is the automated labour (multiple of today's human
  research labour) if all hardware ran researchers; the factor S counts *more*
  copies and S**eta *smarter/faster* ones. ``kappa`` = 0 means the experiments that
  matter are near-frontier ones (fixed in number); ``kappa`` = 1 means experiments
  get cheaper one-for-one with software. ``human_labour`` is an optional floor.
* Research input (pace relative to today) is CES between parallelism-penalised
  labour and experiments:  Y = CES(L**lam, K; rho, alpha)   (see ``ces.py``).
  With rho < 0 and kappa = 0, Y < (1 - alpha)**(1/rho) * K(1) however large L gets
  (the compute ceiling on the pace of research).
* Returns to software: d ln S = r_eff(S) d ln R, dR/dt = c Y with c = g_today / r, and
  r_eff = r * (1 - ln S / ln S_max) falls to 0 at the ceiling S_max = 10**ceiling_ooms.
  Hence with s = ln S and u = ln R,   ds/du = r_eff(s)   and   du/dt = (g_today / r) Y e^{-u},
  so the software growth rate is g = ds/dt = (r_eff / r) g_today Y e^{-u} <= g_today Y
  (R >= 1). In the reference state (Y = R = S = 1) this is g_today: that is the
  calibration of ``software_doubling_days``.
* Training delay (optional): improvements arrive in generations of
  ``training_ooms_per_generation`` OOMs, each of which must be trained before it is
  used; a training run lasts tau(S) = training_days * S**(-training_speedup). The
  training time is added to the research time (research and training are assumed not
  to overlap, a conservative reading):

      dt/du = r e^u / (g_today Y(s)) + tau(s) / ln(G) * r_eff(s),   G = 10**gen_ooms.

  Equivalently the software growth rate is g = g_res / (1 + g_res tau / ln G), a pace
  that lags the research pace and is capped at ln G / tau. ``software_doubling_days``
  is today's research-driven pace, before this post-automation delay is applied.

Solving it
----------
``ds/du`` does not involve t, and has the closed form s(u) = s_max (1 - exp(-r u / s_max))
(s = r u with no ceiling), so the time to reach a software level is a one-dimensional
integral t(s*) = int_0^{u(s*)} dt/du du, where u(s*) = -(s_max / r) ln(1 - s*/s_max) is
infinite at or above the ceiling (the level is never reached). This is the same
equation as the time-domain system ds/dt = r_eff(s) du/dt, du/dt = 1 / (dt/du)
because u is strictly increasing in t. The integrand is smooth in u even when S
itself explodes in finite time, which is why :func:`time_to_ooms` (used by the
Monte Carlo) integrates in u with Gauss-Legendre panels, all draws at once. The
trajectory simulator :func:`simulate` instead integrates the time-domain ODE for
(ln S, ln R) with ``scipy.integrate.solve_ivp`` and event detection (target levels,
growth-rate threshold, horizon), which gives an independent check.

Finite-time blow-up (no ceiling): as S -> inf, ln Y / ln S tends to e = min, weighted
mean (rho = 0) or max of lam (1 + eta) and kappa for rho <, =, > 0, so the research
integrand behaves like e^{u (1 - r e)}: S reaches infinity in finite time iff r e > 1
(and any training delay shrinks with S). With rho < 0 and kappa = 0, e = 0: no blow-up.

Pure case: with no ceiling, no human labour, alpha = 1, lam = 1, eta = 0 and no
training delay, Y = phi m S and the model reduces to ``returns.py``: g = g0 S**(1-1/r)
with g0 = g_today phi m, blowing up at T = r / ((r - 1) g0) when r > 1.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
from scipy import integrate

from aiprogress.errors import ParameterError
from aiprogress.results import Result
from aiprogress.takeoff.ces import ces_log_output, logaddexp

LN10 = math.log(10.0)
LN2 = math.log(2.0)


@dataclass(frozen=True)
class SIEParams(Result):
    """Parameters of the SIE model (see the module docstring for their roles)."""

    rho: float = -0.2  # CES substitution between labour and experiments
    alpha: float = 0.5  # CES weight on labour
    lam: float = 0.5  # parallelisation penalty: effective labour L**lam
    r: float = 1.5  # returns to software (before compute limits)
    eta: float = 0.0  # extra labour exponent for smarter/faster researchers
    kappa: float = 0.0  # experiments grow as S**kappa (0: near-frontier, fixed)
    software_doubling_days: float = 120.0  # today's software doubling time
    labour_at_full_hardware: float = 200.0  # automated labour / today's human labour, all hardware
    experiments_at_full_hardware: float = 2.0  # experiment compute / today's, all hardware
    run_share: float = 0.5  # share of hardware running automated researchers
    human_labour: float = 0.0  # human labour floor (multiple of today's)
    ceiling_ooms: float = 10.0  # log10 of the software ceiling S_max (inf: none)
    training_days: float = 0.0  # duration of a training run at automation (0: no delay)
    training_ooms_per_generation: float = 1.0  # software OOMs gained per trained generation
    training_speedup: float = 0.0  # training time falls as S**(-training_speedup)

    def __post_init__(self) -> None:
        validate_params({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    def as_arrays(self) -> dict[str, np.ndarray]:
        return {f.name: np.asarray(float(getattr(self, f.name))) for f in dataclasses.fields(self)}

    def replace(self, **changes) -> "SIEParams":
        return dataclasses.replace(self, **changes)


PARAM_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(SIEParams))

# (lower, upper, lower inclusive, upper inclusive, description)
_BOUNDS: dict[str, tuple[float, float, bool, bool, str]] = {
    "rho": (-np.inf, 1.0, False, False, "-inf < rho < 1"),
    "alpha": (0.0, 1.0, True, True, "0 <= alpha <= 1"),
    "lam": (0.0, np.inf, False, False, "lam > 0"),
    "r": (0.0, np.inf, False, False, "0 < r < inf"),
    "eta": (0.0, np.inf, True, False, "eta >= 0"),
    "kappa": (0.0, np.inf, True, False, "kappa >= 0"),
    "software_doubling_days": (0.0, np.inf, False, False, "> 0 days"),
    "labour_at_full_hardware": (0.0, np.inf, False, False, "> 0"),
    "experiments_at_full_hardware": (0.0, np.inf, False, False, "> 0"),
    "run_share": (0.0, 1.0, False, False, "0 < run_share < 1"),
    "human_labour": (0.0, np.inf, True, False, ">= 0"),
    "ceiling_ooms": (0.0, np.inf, False, True, "> 0 (inf for no ceiling)"),
    "training_days": (0.0, np.inf, True, False, ">= 0 days"),
    "training_ooms_per_generation": (0.0, np.inf, False, False, "> 0"),
    "training_speedup": (0.0, np.inf, True, False, ">= 0"),
}


def validate_params(p: Mapping[str, object], *, error=None) -> dict[str, np.ndarray]:
    """Check names and ranges; returns float arrays. ``error(name, msg, expected)`` builds the exception."""
    if error is None:
        def error(name, msg, expected):  # noqa: ANN001
            return ParameterError(name, msg, expected=expected)
    unknown = set(p) - set(PARAM_NAMES)
    if unknown:
        name = sorted(unknown)[0]
        raise error(name, "unknown SIE parameter", "one of " + ", ".join(PARAM_NAMES))
    out = {}
    for name, value in p.items():
        arr = np.asarray(value, dtype=float)
        lo, hi, lo_in, hi_in, text = _BOUNDS[name]
        ok = ~np.isnan(arr) & ((arr >= lo) if lo_in else (arr > lo)) & ((arr <= hi) if hi_in else (arr < hi))
        if not np.all(ok):
            bad = arr[~ok].ravel()[0] if arr.ndim else float(arr)
            raise error(name, f"value {bad:g} out of range", text)
        out[name] = arr
    return out


def _full(p: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Fill missing parameters with the defaults."""
    base = SIEParams().as_arrays()
    base.update({k: np.asarray(v, dtype=float) for k, v in p.items()})
    return base


# ---------------------------------------------------------------- model pieces (vectorised)

def growth_rate_today_per_day(p) -> np.ndarray:
    return LN2 / np.asarray(p["software_doubling_days"], dtype=float)


def log_labour(p, s) -> np.ndarray:
    """ln L(S): human floor plus automated researchers."""
    with np.errstate(divide="ignore"):
        auto = np.log(p["run_share"] * p["labour_at_full_hardware"]) + (1.0 + p["eta"]) * s
        return logaddexp(np.log(p["human_labour"]), auto)


def log_experiments(p, s) -> np.ndarray:
    """ln K(S): experiment compute relative to today's."""
    return np.log((1.0 - p["run_share"]) * p["experiments_at_full_hardware"]) + p["kappa"] * s


def log_research_input(p, s) -> np.ndarray:
    """ln Y: CES of parallelism-penalised labour and experiments (Y = 1 today)."""
    return ces_log_output(p["lam"] * log_labour(p, s), log_experiments(p, s), p["rho"], p["alpha"])


def _s_max(p) -> np.ndarray:
    return np.asarray(p["ceiling_ooms"], dtype=float) * LN10


def r_effective(p, s) -> np.ndarray:
    """r_eff = r (1 - ln S / ln S_max), clipped at 0."""
    smax = _s_max(p)
    with np.errstate(invalid="ignore"):
        frac = np.where(np.isinf(smax), 0.0, s / np.where(np.isinf(smax), 1.0, smax))
    return p["r"] * np.clip(1.0 - frac, 0.0, None)


def log_software_of_u(p, u) -> np.ndarray:
    """s = ln S as a function of u = ln R (closed form of ds/du = r_eff(s))."""
    smax = _s_max(p)
    finite = np.isfinite(smax)
    sm = np.where(finite, smax, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(finite, -sm * np.expm1(-p["r"] * u / sm), p["r"] * u)


def u_of_log_software(p, s) -> np.ndarray:
    """Inverse of :func:`log_software_of_u` (inf at or above the ceiling)."""
    smax = _s_max(p)
    finite = np.isfinite(smax)
    sm = np.where(finite, smax, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(finite, s / sm, 0.0)
        capped = np.where(x < 1, -(sm / p["r"]) * np.log1p(-np.minimum(x, 1.0 - 1e-300)), np.inf)
        return np.where(finite, capped, s / p["r"])


def _training_days_per_log_software(p, s) -> np.ndarray:
    """tau(S) / ln G: training days added per unit of ln S."""
    return p["training_days"] * np.exp(-p["training_speedup"] * s) / (p["training_ooms_per_generation"] * LN10)


def dt_du(p, u) -> np.ndarray:
    """Days per unit of u = ln R: research time plus training time."""
    s = log_software_of_u(p, u)
    ln_y = log_research_input(p, s)
    g_today = growth_rate_today_per_day(p)
    with np.errstate(over="ignore"):
        research = (p["r"] / g_today) * np.exp(u - ln_y)
    return research + _training_days_per_log_software(p, s) * r_effective(p, s)


def _dt_du_nodes(p, u: np.ndarray) -> np.ndarray:
    """:func:`dt_du` at many nodes per draw (``p`` of shape (b, 1, 1), ``u`` of shape (b, m, k)), for
    a finite ceiling everywhere: the same floating-point operations in the same order (so the same
    numbers, bit for bit), with each per-draw constant computed once and in-place updates instead of
    full-size temporaries. Falls back to :func:`dt_du` if any ceiling is infinite."""
    smax = _s_max(p)
    if not np.isfinite(smax).all():
        return dt_du(p, u)
    r = p["r"]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        s = np.multiply(u, -r)  # log_software_of_u: -smax * expm1(-r u / smax)
        s /= smax
        np.expm1(s, out=s)
        s *= -smax
        ll = np.multiply(s, 1.0 + p["eta"])  # log_labour
        ll += np.log(p["run_share"] * p["labour_at_full_hardware"])
        logaddexp(np.log(p["human_labour"]), ll, out=ll)
        ll *= p["lam"]
        lk = np.multiply(p["kappa"], s)  # log_experiments
        lk += np.log((1.0 - p["run_share"]) * p["experiments_at_full_hardware"])
        research = ces_log_output(ll, lk, p["rho"], p["alpha"])
        del ll, lk
        np.subtract(u, research, out=research)  # (r / g_today) * exp(u - ln Y)
        np.exp(research, out=research)
        research *= p["r"] / growth_rate_today_per_day(p)
        train = np.multiply(s, -p["training_speedup"])  # _training_days_per_log_software
        np.exp(train, out=train)
        train *= p["training_days"]
        train /= p["training_ooms_per_generation"] * LN10
        np.divide(s, smax, out=s)  # r_effective: r * clip(1 - s / smax, 0)
        np.subtract(1.0, s, out=s)
        np.clip(s, 0.0, None, out=s)
        s *= r
        train *= s
        research += train
    return research


def growth_rate_per_day(p, s, u) -> np.ndarray:
    """d ln S / dt at software level s and research stock u (both in logs)."""
    ln_y = log_research_input(p, s)
    g_today = growth_rate_today_per_day(p)
    with np.errstate(over="ignore", divide="ignore"):
        research_days_per_u = (p["r"] / g_today) * np.exp(u - ln_y)
        du_dt = 1.0 / (research_days_per_u + _training_days_per_log_software(p, s) * r_effective(p, s))
    return r_effective(p, s) * du_dt


# ---------------------------------------------------------------- vectorised time to k OOMs

_GL_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    if n not in _GL_CACHE:
        _GL_CACHE[n] = np.polynomial.legendre.leggauss(n)
    return _GL_CACHE[n]


_BLOCK_ELEMENTS = 2**19  # node values per block: each full-size temporary is 4 MB, whatever the number of levels


_GROUPS = 8  # draws of a block are integrated in this many groups of similar reach


def _level_integrals(q: Mapping[str, np.ndarray], a0: np.ndarray, width: np.ndarray, reachable: np.ndarray,
                     sub: np.ndarray, wsub: np.ndarray) -> np.ndarray:
    """Per draw and level (b, m): the quadrature sum of :func:`_dt_du_nodes` at the nodes
    ``a0 + width * sub`` (not yet multiplied by the width), computed only up to each draw's last reachable
    level (levels at or above a draw's ceiling have zero width and inf days: their sum is left at 0).
    Draws are sorted by reach and cut into :data:`_GROUPS` groups, each evaluated up to its furthest level:
    every node gets the same operations as on the whole block (the same numbers), and the arrays stay long
    in their last axes (a gather of single (draw, level) rows would make NumPy loop over 8-element rows)."""
    b, m = reachable.shape
    extent = np.where(reachable.any(axis=1), m - np.argmax(reachable[:, ::-1], axis=1), 0)
    if extent.min() == m:
        groups = [(slice(None), m)]
    else:
        groups = [(part, int(extent[part].max())) for part in np.array_split(np.argsort(extent, kind="stable"), min(_GROUPS, b))
                  if part.size and extent[part].max() > 0]
    out = np.zeros((b, m))
    for part, top in groups:
        u = a0[part, :top, None] + width[part, :top, None] * sub[None, None, :]  # (g, top, nodes*panels)
        f = _dt_du_nodes({k: v[part] for k, v in q.items()}, u)
        out[part, :top] = np.einsum("bmk,k->bm", f, wsub)
    return out


def time_to_ooms(p: Mapping[str, object], ooms, *, nodes: int = 8, panels: int = 1,
                 block: int | None = None) -> np.ndarray:
    """Days until software has grown by each of ``ooms`` orders of magnitude, for many draws.

    ``p`` maps parameter names to arrays of shape (n,) (or scalars); missing ones take
    the defaults. Returns an array (n, len(ooms)) -- inf where a level is at or above
    the ceiling. Method: t(s*) = int_0^{u(s*)} dt/du du with ``nodes``-point
    Gauss-Legendre on ``panels`` equal sub-panels between consecutive levels; exact to
    high order because the integrand is smooth in u = ln R (with the defaults, relative
    error < 1e-12 on draws of the shipped configs that reach 5 OOMs within 10 years,
    checked against 20 nodes x 16 panels; only levels reached after astronomically long
    times, e.g. just below the ceiling with small r, are less accurate). Hand-written because
    scipy's quadrature routines integrate one function at a time, not a batch of
    draws with per-draw limits. Draws are integrated ``block`` at a time (default: as many as
    keep each (draws, levels, nodes) temporary at 2**19 values, 4 MB), which bounds memory and
    keeps the temporaries in cache; each draw's numbers do not depend on the block. Within a block
    the integrand is evaluated only up to each draw's last level below its ceiling
    (:func:`_level_integrals`).
    """
    levels = np.asarray(ooms, dtype=float)
    if levels.ndim != 1 or levels.size == 0 or np.any(levels <= 0) or np.any(np.diff(levels) <= 0):
        raise ParameterError("ooms", "levels must be positive and increasing", expected="e.g. [1, 2, 3, 4, 5]")
    full = validate_params(_full(p))
    shape = np.broadcast_shapes(*(np.shape(v) for v in full.values()))
    flat = {k: np.broadcast_to(v, shape).reshape(-1) for k, v in full.items()}
    n = next(iter(flat.values())).size
    x, w = _gauss_legendre(nodes)
    if block is None:
        block = max(64, _BLOCK_ELEMENTS // (levels.size * nodes * panels))
    elif isinstance(block, bool) or not isinstance(block, (int, np.integer)) or block < 1:
        raise ParameterError("block", f"{block!r}", expected="a whole number of draws >= 1")
    # Sub-panel nodes on [0, 1] within each level interval.
    sub = (np.arange(panels)[:, None] + (x[None, :] + 1.0) / 2.0) / panels  # (panels, nodes)
    sub = sub.reshape(-1)
    wsub = np.tile(w / 2.0 / panels, panels)
    s_edges = np.concatenate([[0.0], levels * LN10])
    out = np.empty((n, levels.size))
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        q = {k: v[lo:hi, None, None] for k, v in flat.items()}
        u_edges = u_of_log_software({k: v[:, :, 0] for k, v in q.items()}, s_edges[None, :])  # (b, m+1)
        a = u_edges[:, :-1]
        b = u_edges[:, 1:]
        reachable = np.isfinite(b)
        with np.errstate(invalid="ignore"):
            width = np.where(reachable, b - a, 0.0)
        a0 = np.where(np.isfinite(a), a, 0.0)
        with np.errstate(invalid="ignore", over="ignore"):
            piece = width * _level_integrals(q, a0, width, reachable, sub, wsub)
            piece = np.where(reachable & ~np.isnan(piece), piece, np.inf)
            out[lo:hi] = np.cumsum(piece, axis=1)
    return out.reshape(shape + (levels.size,)) if shape else out.reshape(levels.size)


def asymptotic_elasticity(p) -> np.ndarray:
    """d ln Y / d ln S as S -> inf (no ceiling): how fast research input grows with software."""
    e_l = p["lam"] * (1.0 + p["eta"])
    e_k = p["kappa"]
    rho, alpha = p["rho"], p["alpha"]
    mixed = np.where(rho < 0, np.minimum(e_l, e_k), np.where(rho > 0, np.maximum(e_l, e_k), alpha * e_l + (1 - alpha) * e_k))
    return np.where(alpha >= 1, e_l, np.where(alpha <= 0, e_k, mixed))


def blows_up(p) -> np.ndarray:
    """True where S reaches infinity in finite time: no ceiling, r * elasticity > 1,
    and training either absent or speeding up with software."""
    p = _full(p)
    return (
        np.isinf(p["ceiling_ooms"])
        & (p["r"] * asymptotic_elasticity(p) > 1.0)
        & ((p["training_days"] == 0) | (p["training_speedup"] > 0))
    )


def blowup_days(params: SIEParams) -> float:
    """Date of the finite-time singularity (inf if none): int_0^inf dt/du du via scipy ``quad``."""
    p = params.as_arrays()
    if not bool(blows_up(p)):
        return math.inf
    val, _err = integrate.quad(lambda u: float(dt_du(p, u)), 0.0, np.inf, epsabs=0.0, epsrel=1e-12, limit=1000)
    return float(val)
