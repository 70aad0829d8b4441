"""Figures of the growth capability (matplotlib; return the Figure, never show or save it)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.stats import gaussian_kde  # noqa: E402

from aiprogress.growth.capital_share import max_capital_share  # noqa: E402
from aiprogress.growth.estimates import GrowthDistribution  # noqa: E402
from aiprogress.growth.transition import TransitionResult  # noqa: E402
from aiprogress.reportkit.figures import fit_width  # noqa: E402  (the report width: laid out once, at the size shown)


def capital_share_figure(
    curves: pd.DataFrame,
    *,
    gamma: float,
    n: float,
    markers: pd.DataFrame | None = None,
    current_region: tuple[float, float] | None = (0.03, 0.20),
    y_max_pct: float = 6.0,
) -> "matplotlib.figure.Figure":
    """Steady-state productivity growth against the R&D capital share, one line per theta.

    ``curves`` comes from :func:`aiprogress.growth.capital_share.capital_share_curves`;
    ``markers`` (columns model, capital_share, g_A_pct) marks point estimates, as in Figure 5a.
    """
    fig, ax = plt.subplots(figsize=fit_width(7.5, 4.6))
    for theta, sub in curves.groupby("theta"):
        line, = ax.plot(100 * sub["f"], 100 * sub["g_A"], lw=2, label=f"θ = {theta:g}")
        f_max = max_capital_share(theta, gamma)
        if f_max < sub["f"].max():
            ax.axvline(100 * f_max, color=line.get_color(), ls=":", lw=1)
    if current_region is not None:
        ax.axvspan(100 * current_region[0], 100 * current_region[1], color="0.85", zorder=0, label="current US R&D (NSF)")
    if markers is not None and len(markers):
        ax.scatter(100 * markers["capital_share"], markers["g_A_pct"], color="k", zorder=5, s=25, label="estimates")
        for r in markers.itertuples(index=False):
            ax.annotate(r.model, (100 * r.capital_share, r.g_A_pct), textcoords="offset points", xytext=(4, -10), fontsize=8)
    ax.set_xlim(0, 100 * curves["f"].max())
    ax.set_ylim(0, y_max_pct)
    ax.set_xlabel("R&D capital-cost share f (%)")
    ax.set_ylabel("steady-state productivity growth g_A* (%/yr)")
    ax.set_title(f"Capital-intensive R&D and productivity growth (γ = {gamma:g}, n = {100 * n:g}%)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def transition_figure(result: TransitionResult) -> "matplotlib.figure.Figure":
    """Growth of ideas and capital over time after the shock, with the old and new steady states."""
    p = result.path
    fig, ax = plt.subplots(figsize=fit_width(7.5, 4.4))
    for col, label, color in (("g_A", "ideas g_A (productivity)", "C0"), ("g_K", "capital g_K (= output on the BGP)", "C1")):
        ax.plot(p["year"], 100 * p[col], color=color, lw=2, label=label)
        ax.axhline(100 * getattr(result.before, col), color=color, ls=":", lw=1)
        ax.axhline(100 * getattr(result.after, col), color=color, ls="--", lw=1)
    ax.axvline(result.shock_year, color="0.4", lw=1)
    ax.annotate("shock", (result.shock_year, ax.get_ylim()[1]), textcoords="offset points", xytext=(3, -12), fontsize=8)
    ax.set_xlabel("year")
    ax.set_ylabel("growth rate (%/yr)")
    ax.set_title(
        f"Transition after β {result.before.beta:.3g} → {result.after.beta:.3g} "
        f"(γ {result.before.gamma:.3g} → {result.after.gamma:.3g}, θ = {result.before.theta:.3g}, n = {100 * result.before.n:.3g}%)"
    )
    ax.plot([], [], color="k", ls=":", lw=1, label="old steady state")
    ax.plot([], [], color="k", ls="--", lw=1, label="new steady state")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def distribution_figure(dist: GrowthDistribution, *, clip_pct: float = 99.0) -> "matplotlib.figure.Figure":
    """Histogram and kernel density of g_A* over the draws (finite values, clipped at a percentile for display)."""
    g = dist.draws["g_A"].to_numpy()
    g = 100 * g[np.isfinite(g)]
    fig, ax = plt.subplots(figsize=fit_width(7.5, 4.4))
    if g.size:
        hi = np.percentile(g, clip_pct)
        shown = g[g <= hi]
        ax.hist(shown, bins=60, density=True, color="C0", alpha=0.35, label="draws")
        if shown.size > 2 and np.ptp(shown) > 0:
            grid = np.linspace(shown.min(), shown.max(), 400)
            ax.plot(grid, gaussian_kde(shown)(grid), color="C0", lw=2, label="kernel density")
        styles = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))
        for i, (key, val) in enumerate(dist.percentiles.items()):
            if np.isfinite(val) and val * 100 <= hi:  # labelled in the legend: close percentiles never overlap
                ax.axvline(100 * val, color="0.25", ls=styles[i % len(styles)], lw=1.1, label=f"{key} = {100 * val:.2f}%")
    ax.set_xlabel("steady-state productivity growth g_A* (%/yr)")
    ax.set_ylabel("density")
    ax.set_title(
        f"Uncertainty in g_A* over {dist.n_draws} draws ({dist.method}; θ = {dist.theta:g}, n = {100 * dist.n:g}%)"
        + f"\nshown up to p{clip_pct:g}" + (f"; {dist.n_explosive} draws with no balanced path not shown" if dist.n_explosive else "")
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
