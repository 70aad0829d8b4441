"""Transition dynamics of the §2.2 model after a one-time shift in the R&D elasticities.

The full model (notation in :mod:`aiprogress.growth.model`) is integrated with
``scipy.integrate.solve_ivp`` in logs, ``x = (log A, log K, log L)``::

    d log A/dt = B (alpha_k K)^beta (alpha_l L)^gamma A^(theta - 1)
    d log K/dt = s [(1 - alpha_k) K]^alpha [A (1 - alpha_l) L]^(1 - alpha) / K - delta
    d log L/dt = n

so the growth rates g_A(t), g_K(t) are read off the right-hand side exactly.

Set-up: the economy starts at t = 0 on the balanced growth path of
(beta_before, gamma_before), with ``A(0) = L(0) = 1`` (B is chosen to make
this so; B only scales levels, never steady-state rates) and ``K(0)`` fixed by
the steady-state capital-to-effective-labour ratio. At ``shock_year`` the
elasticities jump to (beta_after, gamma_after). With ``rescale_B=True`` (the
default) B is rescaled at the shock so that the flow of new ideas is
continuous: the new technology changes how R&D output responds to inputs, not
the output of the day of adoption. With ``rescale_B=False`` B is unchanged and
g_A jumps at the shock. Either way g_A(t) and g_K(t) converge to the closed-form
steady state of the new parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.integrate import solve_ivp

from aiprogress.errors import AiprogressError, ParameterError
from aiprogress.growth.model import PAPER_N, PAPER_THETA, SteadyState, _finite, steady_state
from aiprogress.results import Result, format_table


@dataclass(frozen=True)
class EconomyParameters(Result):
    """The non-R&D parameters of the §2.2 model (they shape the path, not the steady-state rates)."""

    alpha: float = 1.0 / 3.0  # capital elasticity of final output
    s: float = 0.2  # saving rate
    delta: float = 0.05  # depreciation rate per year
    alpha_k: float = 0.1  # share of capital used in R&D
    alpha_l: float = 0.1  # share of labour used in R&D

    def check(self) -> "EconomyParameters":
        for name in ("alpha", "s", "delta", "alpha_k", "alpha_l"):
            v = _finite(name, getattr(self, name))
            if not 0 < v < 1:
                raise ParameterError(name, f"{v:g} is outside (0, 1)", expected=f"0 < {name} < 1")
        return self


@dataclass(frozen=True)
class TransitionResult(Result):
    """Paths of growth rates after an R&D shock, and the steady states they approach."""

    before: SteadyState
    after: SteadyState
    economy: EconomyParameters
    shock_year: float
    years: float
    rescale_B: bool
    path: pd.DataFrame  # year, g_A, g_K, g_Y, log_A, log_K, log_L
    final_gap_g_A: float  # g_A(end) - g_A* after the shock
    final_gap_g_K: float
    years_to_half_gap: float  # after the shock, years until g_A has closed half of the gap
    years_to_90pct_gap: float

    def to_frame(self) -> pd.DataFrame:
        return self.path

    def to_dict(self) -> dict:
        d = super().to_dict()
        # The path is long; keep the JSON readable with a thinned copy (every ~1 % of the horizon).
        step = max(1, len(self.path) // 100)
        d["path"] = [
            {k: float(v) for k, v in row.items()}
            for row in self.path.iloc[::step][["year", "g_A", "g_K", "g_Y"]].to_dict(orient="records")
        ]
        return d

    def summary(self) -> str:
        frame = pd.DataFrame(
            [
                ("g_A (%/yr)", 100 * self.before.g_A, 100 * self.after.g_A, 100 * float(self.path.g_A.iloc[-1])),
                ("g_K (%/yr)", 100 * self.before.g_K, 100 * self.after.g_K, 100 * float(self.path.g_K.iloc[-1])),
            ],
            columns=["rate", "steady state before", "steady state after", f"simulated at year {self.years:g}"],
        )
        return "\n".join(
            [
                format_table(
                    frame,
                    title=f"Transition after beta {self.before.beta:g} -> {self.after.beta:g}, "
                    f"gamma {self.before.gamma:g} -> {self.after.gamma:g} at year {self.shock_year:g}",
                    floatfmt="{:.4f}",
                ),
                f"Years after the shock to close half of the g_A gap: {self.years_to_half_gap:.0f}; 90 %: "
                f"{self.years_to_90pct_gap:.0f}.",
            ]
        )


def _rhs(beta: float, gamma: float, theta: float, n: float, log_b: float, e: EconomyParameters):
    a, ak, al = e.alpha, e.alpha_k, e.alpha_l
    log_ck = math.log(e.s) + a * math.log(1 - ak) + (1 - a) * math.log(1 - al)
    log_ca = log_b + beta * math.log(ak) + gamma * math.log(al)

    def rates(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        log_a, log_k, log_l = x[0], x[1], x[2]
        g_a = np.exp(log_ca + beta * log_k + gamma * log_l + (theta - 1) * log_a)
        g_k = np.exp(log_ck + (1 - a) * (log_a + log_l - log_k)) - e.delta
        return g_a, g_k

    def f(_t: float, x: np.ndarray) -> np.ndarray:
        g_a, g_k = rates(x)
        return np.array([g_a, g_k, n])

    return f, rates


def _initial_state(ss: SteadyState, e: EconomyParameters) -> tuple[np.ndarray, float]:
    """State on the balanced growth path with A = L = 1, and the log B that makes it so."""
    a = e.alpha
    log_ck = math.log(e.s) + a * math.log(1 - e.alpha_k) + (1 - a) * math.log(1 - e.alpha_l)
    # g_K* + delta = c_k (A L / K)^(1 - alpha)  =>  log K = log(AL) + (log c_k - log(g_K* + delta)) / (1 - alpha)
    log_k = (log_ck - math.log(ss.g_K + e.delta)) / (1 - a)
    # g_A* = B alpha_k^beta alpha_l^gamma K^beta L^gamma A^(theta-1) with A = L = 1
    log_b = math.log(ss.g_A) - ss.beta * (math.log(e.alpha_k) + log_k) - ss.gamma * math.log(e.alpha_l)
    return np.array([0.0, log_k, 0.0]), log_b


def _years_to_fraction(years: np.ndarray, g: np.ndarray, g0: float, g1: float, frac: float) -> float:
    if g1 == g0:
        return 0.0
    progress = (g - g0) / (g1 - g0)
    hit = np.flatnonzero(progress >= frac)
    return float(years[hit[0]]) if hit.size else math.inf


def simulate_transition(
    beta_before: float,
    beta_after: float,
    gamma_before: float = 0.4,
    gamma_after: float | None = None,
    theta: float = PAPER_THETA,
    n: float = PAPER_N,
    *,
    economy: EconomyParameters | None = None,
    shock_year: float = 50.0,
    years: float = 3000.0,
    points: int = 3001,
    rescale_B: bool = True,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> TransitionResult:
    """Integrate the full model through a one-time shift in (beta, gamma).

    Both parameter sets must have a balanced growth path (``beta + theta < 1``),
    else :class:`ParameterError`. Semi-endogenous transitions are slow (the
    convergence rate is of the order of (1 - theta - beta) g_A per year), hence
    the long default horizon.
    """
    gamma_after = gamma_before if gamma_after is None else gamma_after
    ss0 = steady_state(beta_before, gamma_before, theta, n)
    try:
        ss1 = steady_state(beta_after, gamma_after, theta, n)
    except ParameterError as exc:  # name the "after" parameter
        if exc.name == "theta":
            raise ParameterError(
                "beta_after",
                f"beta_after + theta = {beta_after + theta:g} >= 1: no balanced growth path after the shock",
                expected="beta_after < 1 - theta",
            ) from None
        raise ParameterError(f"{exc.name}_after", str(exc).split(": ", 1)[1]) from None
    e = (economy or EconomyParameters()).check()
    years = _finite("years", years)
    shock_year = _finite("shock_year", shock_year)
    if not 0 <= shock_year < years:
        raise ParameterError("shock_year", f"{shock_year:g} is not in [0, years={years:g})", expected="0 <= shock_year < years")
    if points < 10:
        raise ParameterError("points", f"{points} output points", expected="at least 10")

    x0, log_b = _initial_state(ss0, e)
    t_all = np.linspace(0.0, years, points)
    pieces = []

    f0, rates0 = _rhs(ss0.beta, ss0.gamma, theta, n, log_b, e)
    t_pre = t_all[t_all <= shock_year]
    if shock_year > 0:
        sol0 = solve_ivp(f0, (0.0, shock_year), x0, t_eval=t_pre, rtol=rtol, atol=atol, method="LSODA")
        if not sol0.success:
            raise AiprogressError(f"ODE integration failed before the shock: {sol0.message}")
        g_a, g_k = rates0(sol0.y)
        pieces.append((sol0.t, sol0.y, g_a, g_k))
        x_shock = sol0.y[:, -1] if sol0.t[-1] == shock_year else _endpoint(f0, x0, shock_year, rtol, atol)
    else:
        x_shock = x0

    log_b1 = log_b
    if rescale_B:  # keep dA/dt continuous at the shock
        log_k, log_l = x_shock[1], x_shock[2]
        log_b1 = (
            log_b
            + (ss0.beta - ss1.beta) * (math.log(e.alpha_k) + log_k)
            + (ss0.gamma - ss1.gamma) * (math.log(e.alpha_l) + log_l)
        )
    f1, rates1 = _rhs(ss1.beta, ss1.gamma, theta, n, log_b1, e)
    t_post = np.concatenate([[shock_year], t_all[t_all > shock_year]])
    sol1 = solve_ivp(f1, (shock_year, years), x_shock, t_eval=t_post, rtol=rtol, atol=atol, method="LSODA")
    if not sol1.success:
        raise AiprogressError(f"ODE integration failed after the shock: {sol1.message}")
    g_a, g_k = rates1(sol1.y)
    pieces.append((sol1.t, sol1.y, g_a, g_k))

    t = np.concatenate([p[0] for p in pieces])
    y = np.concatenate([p[1] for p in pieces], axis=1)
    g_a = np.concatenate([p[2] for p in pieces])
    g_k = np.concatenate([p[3] for p in pieces])
    g_y = e.alpha * g_k + (1 - e.alpha) * (g_a + n)
    path = pd.DataFrame({"year": t, "g_A": g_a, "g_K": g_k, "g_Y": g_y, "log_A": y[0], "log_K": y[1], "log_L": y[2]})

    post = path[path.year >= shock_year]
    return TransitionResult(
        before=ss0,
        after=ss1,
        economy=e,
        shock_year=shock_year,
        years=years,
        rescale_B=rescale_B,
        path=path,
        final_gap_g_A=float(g_a[-1] - ss1.g_A),
        final_gap_g_K=float(g_k[-1] - ss1.g_K),
        years_to_half_gap=_years_to_fraction(post.year.to_numpy() - shock_year, post.g_A.to_numpy(), ss0.g_A, ss1.g_A, 0.5),
        years_to_90pct_gap=_years_to_fraction(post.year.to_numpy() - shock_year, post.g_A.to_numpy(), ss0.g_A, ss1.g_A, 0.9),
    )


def _endpoint(f, x0: np.ndarray, t1: float, rtol: float, atol: float) -> np.ndarray:
    sol = solve_ivp(f, (0.0, t1), x0, rtol=rtol, atol=atol, method="LSODA")
    return sol.y[:, -1]
