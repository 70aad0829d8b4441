"""Steady state of the semi-endogenous growth model with capital in R&D.

Notation (Besiroglu, Emery-Xu and Thompson, §2.2 and Appendix A1; Jones 1995):

- ``A``  stock of ideas (labour-augmenting technology), ``K`` capital, ``L`` labour.
- Final goods: ``Y = [(1 - alpha_k) K]^alpha [A (1 - alpha_l) L]^(1 - alpha)``.
- Idea production: ``dA/dt = B (alpha_k K)^beta (alpha_l L)^gamma A^theta``.
- Accumulation: ``dK/dt = s Y - delta K`` and ``dL/dt = n L``.
- ``beta``  elasticity of idea production to R&D capital (compute),
  ``gamma`` elasticity to R&D labour (scientists),
  ``theta`` elasticity to the existing stock of ideas ("standing on shoulders"),
  ``n``     population growth rate per year (a fraction: 0.01 = 1 %).

On the balanced growth path (Appendix A1, eq. 26)::

    g_A* = (beta + gamma) / (1 - beta - theta) * n
    g_K* = (1 - theta + gamma) / (1 - beta - theta) * n

and output grows with capital, ``g_Y* = g_K* = g_A* + n``; output per worker
grows at ``g_A*``, which is the "productivity growth" reported in §7.
The model needs ``beta + theta < 1`` (diminishing returns to accumulable
inputs in idea production), ``beta, gamma >= 0`` and ``n > 0``.

All growth rates are continuous-time rates per year expressed as fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.results import Result, format_table

# The paper's §7 calibration (Figures 1a and 5a): theta = 1/2, gamma = 2/5, n = 1 %.
PAPER_THETA = 0.5
PAPER_GAMMA = 0.4
PAPER_N = 0.01


def _finite(name: str, value: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(name, f"not a number: {value!r}", expected="a finite real number") from None
    if not math.isfinite(x):
        raise ParameterError(name, f"not finite: {value!r}", expected="a finite real number")
    return x


def check_parameters(beta: float, gamma: float, theta: float, n: float) -> tuple[float, float, float, float]:
    """Validate the model's parameters; return them as floats or raise :class:`ParameterError`."""
    beta = _finite("beta", beta)
    gamma = _finite("gamma", gamma)
    theta = _finite("theta", theta)
    n = _finite("n", n)
    if beta < 0:
        raise ParameterError("beta", f"{beta:g} is negative", expected="beta >= 0")
    if gamma < 0:
        raise ParameterError("gamma", f"{gamma:g} is negative", expected="gamma >= 0")
    if n <= 0:
        raise ParameterError("n", f"population growth {n:g} is not positive", expected="n > 0 (a fraction per year, e.g. 0.01)")
    if n >= 1:
        raise ParameterError("n", f"population growth {n:g} per year looks like a percentage", expected="a fraction per year, e.g. 0.01 for 1 %")
    if theta >= 1 - beta:
        raise ParameterError(
            "theta",
            f"theta = {theta:g} >= 1 - beta = {1 - beta:g}: no balanced growth path (growth explodes)",
            expected="theta < 1 - beta",
        )
    return beta, gamma, theta, n


def steady_state_idea_growth(beta: float, gamma: float, theta: float, n: float) -> float:
    """``g_A* = (beta + gamma) / (1 - beta - theta) * n`` (eq. 4 / 26), validated."""
    beta, gamma, theta, n = check_parameters(beta, gamma, theta, n)
    return (beta + gamma) / (1.0 - beta - theta) * n


def steady_state_capital_growth(beta: float, gamma: float, theta: float, n: float) -> float:
    """``g_K* = (1 - theta + gamma) / (1 - beta - theta) * n`` (eq. 4 / 26), validated."""
    beta, gamma, theta, n = check_parameters(beta, gamma, theta, n)
    return (1.0 - theta + gamma) / (1.0 - beta - theta) * n


@dataclass(frozen=True)
class SteadyState(Result):
    """Balanced-growth rates (fractions per year) for one parameter set."""

    beta: float
    gamma: float
    theta: float
    n: float
    g_A: float  # growth of ideas = growth of output per worker ("productivity growth")
    g_K: float  # growth of capital
    g_Y: float  # growth of output (= g_K on the balanced growth path)

    def summary(self) -> str:
        rows = [
            ("beta (R&D elasticity to capital)", self.beta),
            ("gamma (R&D elasticity to labour)", self.gamma),
            ("theta (R&D elasticity to ideas)", self.theta),
            ("n (population growth, %/yr)", 100 * self.n),
            ("g_A* productivity growth (%/yr)", 100 * self.g_A),
            ("g_K* capital growth (%/yr)", 100 * self.g_K),
            ("g_Y* output growth (%/yr)", 100 * self.g_Y),
        ]
        frame = pd.DataFrame(rows, columns=["quantity", "value"])
        return format_table(frame, title="Semi-endogenous steady state", floatfmt="{:.4f}")


def steady_state(beta: float, gamma: float, theta: float = PAPER_THETA, n: float = PAPER_N) -> SteadyState:
    """Closed-form balanced growth path of the §2.2 model.

    >>> round(steady_state(0.1, 0.4, 0.5, 0.01).g_A, 6)
    0.0125
    """
    beta, gamma, theta, n = check_parameters(beta, gamma, theta, n)
    g_a = (beta + gamma) / (1.0 - beta - theta) * n
    g_k = (1.0 - theta + gamma) / (1.0 - beta - theta) * n
    return SteadyState(beta=beta, gamma=gamma, theta=theta, n=n, g_A=g_a, g_K=g_k, g_Y=g_k)
