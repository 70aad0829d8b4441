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
- the published tables of Besiroglu et al. live with the idea production function:
  :mod:`aiprogress.ideas.published`.

Model notation is documented in :mod:`aiprogress.growth.model`.
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.growth.capital_share": (
        "beta_from_capital_share",
        "capital_share",
        "capital_share_curves",
        "max_capital_share",
        "productivity_growth_from_capital_share",
    ),
    "aiprogress.growth.estimates": (
        "GrowthDistribution",
        "GrowthFromEstimate",
        "PublishedGrowthResult",
        "growth_distribution",
        "growth_from_estimates",
        "published_growth",
        "read_draws",
    ),
    "aiprogress.growth.model": (
        "PAPER_GAMMA",
        "PAPER_N",
        "PAPER_THETA",
        "SteadyState",
        "check_parameters",
        "steady_state",
        "steady_state_capital_growth",
        "steady_state_idea_growth",
    ),
    "aiprogress.growth.proposition": ("Proposition1Result", "proposition_1",),
    "aiprogress.growth.transition": ("EconomyParameters", "TransitionResult", "simulate_transition",),
})
