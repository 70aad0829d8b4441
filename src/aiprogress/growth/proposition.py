"""Proposition 1 of Besiroglu, Emery-Xu and Thompson (§2.2, proof in Appendix A2).

Statement, in our words: start from the model with elasticities (beta, gamma)
and move to (beta', gamma') with theta and n unchanged. If

  (H1) beta' > beta                       (capital becomes more productive in R&D),
  (H2) beta' - beta >= gamma - gamma'     (any loss in the labour elasticity is no
                                           larger than the gain in the capital one),
  (H3) beta' + theta < 1                  (the new setting still has a balanced path),

then (a) the steady-state growth rate of ideas g_A* strictly rises and
(b) the steady-state growth rate of the economy (g_K* = g_Y*) strictly rises.

:func:`proposition_1` checks the hypotheses one by one, computes both steady
states directly, and reports whether the proposition applies and whether its
conclusions are borne out by the closed forms. When a hypothesis fails the
proposition is silent; the direct comparison is still reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.growth.model import PAPER_N, PAPER_THETA, _finite, check_parameters
from aiprogress.results import Result, format_table

_H2_TOL = 1e-12

HYPOTHESES = {
    "H1": "beta' > beta",
    "H2": "beta' - beta >= gamma - gamma'",
    "H3": "beta' + theta < 1",
}


@dataclass(frozen=True)
class Proposition1Result(Result):
    """Outcome of checking Proposition 1 for one shift (beta, gamma) -> (beta', gamma')."""

    beta_before: float
    gamma_before: float
    beta_after: float
    gamma_after: float
    theta: float
    n: float
    hypotheses: dict[str, bool] = field(default_factory=dict)  # H1, H2, H3 -> holds?
    applies: bool = False  # all hypotheses hold
    g_A_before: float = math.nan
    g_A_after: float = math.nan  # inf when beta' + theta >= 1 (no balanced path: explosive)
    g_K_before: float = math.nan
    g_K_after: float = math.nan
    idea_growth_increases: bool = False  # conclusion (a), computed from the closed forms
    economic_growth_increases: bool = False  # conclusion (b), computed from the closed forms
    # True/False when the proposition applies (does the closed form agree with (a) and (b)?),
    # None when it does not apply (the proposition makes no claim).
    prediction_confirmed: bool | None = None

    def to_frame(self) -> pd.DataFrame:
        rows = [(k, HYPOTHESES[k], v) for k, v in self.hypotheses.items()]
        return pd.DataFrame(rows, columns=["hypothesis", "condition", "holds"])

    def summary(self) -> str:
        hyp = format_table(self.to_frame(), title="Proposition 1: hypotheses")
        rates = pd.DataFrame(
            [
                ("g_A* (%/yr)", 100 * self.g_A_before, 100 * self.g_A_after),
                ("g_K* = g_Y* (%/yr)", 100 * self.g_K_before, 100 * self.g_K_after),
            ],
            columns=["steady state", "before", "after"],
        )
        verdict = (
            "applies: (a) idea growth and (b) economic growth strictly rise"
            if self.applies
            else "does not apply (a hypothesis fails); direct comparison shown"
        )
        lines = [
            hyp,
            "",
            format_table(rates, floatfmt="{:.4f}"),
            "",
            f"Proposition 1 {verdict}.",
            f"Idea growth increases: {self.idea_growth_increases}; economic growth increases: "
            f"{self.economic_growth_increases}.",
        ]
        return "\n".join(lines)


def proposition_1(
    beta_before: float,
    gamma_before: float,
    beta_after: float,
    gamma_after: float,
    theta: float = PAPER_THETA,
    n: float = PAPER_N,
) -> Proposition1Result:
    """Check Proposition 1 for a shift in the R&D technology.

    The starting setting must be a valid model (``beta + theta < 1``, ``beta, gamma >= 0``,
    ``n > 0``) and the new elasticities must be non-negative, else :class:`ParameterError`.
    ``beta' + theta < 1`` is one of the proposition's hypotheses, so its failure is
    reported (``g_A_after = inf``) rather than raised.
    """
    beta, gamma, theta, n = check_parameters(beta_before, gamma_before, theta, n)
    beta2 = _finite("beta_after", beta_after)
    gamma2 = _finite("gamma_after", gamma_after)
    if beta2 < 0:
        raise ParameterError("beta_after", f"{beta2:g} is negative", expected="beta_after >= 0")
    if gamma2 < 0:
        raise ParameterError("gamma_after", f"{gamma2:g} is negative", expected="gamma_after >= 0")

    hyp = {
        "H1": beta2 > beta,
        # equality is allowed; the tolerance absorbs rounding (0.2 - 0.1 vs 0.4 - 0.3 in binary floating point)
        "H2": beta2 - beta >= gamma - gamma2 - _H2_TOL,
        "H3": beta2 + theta < 1,
    }
    applies = all(hyp.values())

    g_a0 = (beta + gamma) / (1 - beta - theta) * n
    g_k0 = (1 - theta + gamma) / (1 - beta - theta) * n
    if hyp["H3"]:
        g_a1 = (beta2 + gamma2) / (1 - beta2 - theta) * n
        g_k1 = (1 - theta + gamma2) / (1 - beta2 - theta) * n
    else:  # no balanced growth path after the shift: growth rates rise without bound
        g_a1 = g_k1 = math.inf
    up_a = g_a1 > g_a0
    up_k = g_k1 > g_k0
    return Proposition1Result(
        beta_before=beta,
        gamma_before=gamma,
        beta_after=beta2,
        gamma_after=gamma2,
        theta=theta,
        n=n,
        hypotheses=hyp,
        applies=applies,
        g_A_before=g_a0,
        g_A_after=g_a1,
        g_K_before=g_k0,
        g_K_after=g_k1,
        idea_growth_increases=bool(up_a),
        economic_growth_increases=bool(up_k),
        prediction_confirmed=(bool(up_a and up_k) if applies else None),
    )
