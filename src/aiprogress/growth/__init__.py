"""aiprogress.growth: semi-endogenous growth with capital in R&D (Besiroglu, Emery-Xu & Thompson §2, §7, App. A).

Public API:

- :func:`steady_state` (closed-form g_A*, g_K*, g_Y*) and :func:`check_parameters`;
- :func:`proposition_1` (does a shift in (beta, gamma) raise growth? hypotheses checked);
- :func:`capital_share`, :func:`beta_from_capital_share`,
  :func:`productivity_growth_from_capital_share`, :func:`capital_share_curves`,
  :func:`max_capital_share` (Figures 1a and 5a);
- :func:`simulate_transition` (the full model as an ODE through a one-time shock);
- :func:`growth_from_estimates`, :func:`published_growth` (§7 reproduced),
  :func:`growth_distribution` (bootstrap draws -> distribution of g_A*), :func:`read_draws`;
- :mod:`aiprogress.growth.published` (:func:`published_estimates`, :func:`published_growth_ranges`).

Model notation is documented in :mod:`aiprogress.growth.model`.
"""

from aiprogress.growth.capital_share import (
    beta_from_capital_share,
    capital_share,
    capital_share_curves,
    max_capital_share,
    productivity_growth_from_capital_share,
)
from aiprogress.growth.estimates import (
    GrowthDistribution,
    GrowthFromEstimate,
    PublishedGrowthResult,
    growth_distribution,
    growth_from_estimates,
    published_growth,
    read_draws,
)
from aiprogress.growth.model import (
    PAPER_GAMMA,
    PAPER_N,
    PAPER_THETA,
    SteadyState,
    check_parameters,
    steady_state,
    steady_state_capital_growth,
    steady_state_idea_growth,
)
from aiprogress.growth.proposition import Proposition1Result, proposition_1
from aiprogress.growth.published import published_estimates, published_growth_ranges
from aiprogress.growth.transition import EconomyParameters, TransitionResult, simulate_transition

__all__ = [
    "PAPER_GAMMA",
    "PAPER_N",
    "PAPER_THETA",
    "EconomyParameters",
    "GrowthDistribution",
    "GrowthFromEstimate",
    "Proposition1Result",
    "PublishedGrowthResult",
    "SteadyState",
    "TransitionResult",
    "beta_from_capital_share",
    "capital_share",
    "capital_share_curves",
    "check_parameters",
    "growth_distribution",
    "growth_from_estimates",
    "max_capital_share",
    "productivity_growth_from_capital_share",
    "proposition_1",
    "published_estimates",
    "published_growth",
    "published_growth_ranges",
    "read_draws",
    "simulate_transition",
    "steady_state",
    "steady_state_capital_growth",
    "steady_state_idea_growth",
]
