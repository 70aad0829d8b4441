"""Report section: semi-endogenous growth under AI-augmented R&D."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aiprogress.growth.capital_share import (
    beta_from_capital_share,
    capital_share_curves,
    productivity_growth_from_capital_share,
)
from aiprogress.growth.estimates import PUBLISHED_ROUNDING_PP, growth_distribution, published_growth
from aiprogress.growth.figures import capital_share_figure, distribution_figure, transition_figure
from aiprogress.growth.model import PAPER_GAMMA, PAPER_N, PAPER_THETA
from aiprogress.growth.published import published_estimates, published_growth_ranges
from aiprogress.growth.transition import simulate_transition
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


@register_section("growth", "Semi-endogenous growth under AI-augmented R&D", order=50)
def build(ctx: ReportContext) -> str:
    parts: list[str] = []
    parts.append(
        _p(
            "Ideas are produced with R&D capital (elasticity β), researchers (γ) and the existing stock of "
            "ideas (θ); population grows at rate n. On the balanced growth path productivity grows at "
            "g_A* = (β+γ)/(1−β−θ)·n and capital and output at g_K* = (1−θ+γ)/(1−β−θ)·n. In a competitive R&D "
            "sector the capital-cost share is f = β/(β+γ). Following §7 of Besiroglu, Emery-Xu & Thompson, the "
            "estimated elasticities enter only through f: the economy-wide model keeps γ = 2/5 and sets "
            "β = fγ/(1−f), with θ = 1/2 and n = 1%."
        )
    )

    # 1. Published vs reproduced §7.
    rep = published_growth()
    models = rep.models[
        ["model", "table", "sample", "beta_hat", "gamma_hat", "capital_share", "beta", "g_A_pct", "published_range_pct", "published_pct", "diff_pp", "match"]
    ].rename(columns={"beta": "beta_calibrated", "g_A_pct": "reproduced_g_A_pct"})
    parts.append(
        table_html(
            models,
            caption=(
                "Steady-state productivity growth (%/yr) from the published Tables 4 and 5. published_pct is the end "
                "of the §7 range that the model's rank within its pair points to (the paper gives ranges per pair); "
                f"match = |diff| ≤ {PUBLISHED_ROUNDING_PP} pp, half the paper's rounding unit."
            ),
            float_format="{:.3f}",
        )
    )
    groups = rep.groups.drop(columns=["source"])
    parts.append(table_html(groups, caption="§7 ranges: published vs reproduced (percent per year).", float_format="{:.3f}"))
    verdict = "All six models reproduce the published §7 figures" if rep.all_match else "Some models do NOT reproduce §7"
    parts.append(_p(f"{verdict} (tolerance {PUBLISHED_ROUNDING_PP} pp)."))

    # Capital shares vs the §6 range, and the 'current region' of Figure 5.
    ranges = published_growth_ranges()
    allrow = ranges[ranges.group == "all"].iloc[0]
    nsf = ranges[ranges.group == "NSF"].iloc[0]
    f_lo, f_hi = float(rep.models.capital_share.min()), float(rep.models.capital_share.max())
    g_nsf = productivity_growth_from_capital_share(np.array([nsf.capital_share_low, nsf.capital_share_high]))
    floor = 100 * PAPER_GAMMA / (1 - PAPER_THETA) * PAPER_N
    checks = pd.DataFrame(
        [
            ("implied capital share f, min-max (§6, Fig. 4)", f"{allrow.capital_share_low:.2f}-{allrow.capital_share_high:.2f}", f"{f_lo:.3f}-{f_hi:.3f}"),
            (
                f"g_A* for current US R&D, f = {nsf.capital_share_low:.2f}-{nsf.capital_share_high:.2f} (Fig. 5 caption), %/yr",
                f"{nsf.growth_low_pct:.1f}-{nsf.growth_high_pct:.1f}",
                f"{100 * g_nsf[0]:.2f}-{100 * g_nsf[1]:.2f}",
            ),
        ],
        columns=["quantity", "published", "reproduced"],
    )
    parts.append(table_html(checks, caption="Other published figures of §6-§7."))
    parts.append(
        _p(
            f"The upper end of the 'current region' matches. Its lower end (0.5%) cannot be reached under the stated "
            f"calibration: with γ = 2/5 and θ = 1/2, g_A* is at least γn/(1−θ) = {floor:.1f}% even with no capital "
            f"in R&D, and a 3% capital share gives {100 * g_nsf[0]:.2f}%. The caption's lower bound presumably "
            "comes from a different calibration; we report the discrepancy rather than adjust to it."
        )
    )

    # 2. Capital share -> growth for several theta (Figures 1a / 5a).
    thetas = (0.3, 0.4, 0.5, 0.6)
    curves = capital_share_curves(thetas, PAPER_GAMMA, PAPER_N)
    fig = capital_share_figure(curves, gamma=PAPER_GAMMA, n=PAPER_N, markers=rep.models)
    parts.append(
        figure_html(
            fig,
            caption=(
                "Steady-state productivity growth against the R&D capital share for several θ (γ = 2/5, n = 1%), as in "
                "Figures 1a and 5a. Markers: models A1-C2 (θ = 1/2). Dotted lines: the capital share beyond which "
                "β + θ ≥ 1 and no balanced growth path exists. Grey band: capital shares of US R&D today (3-20%)."
            ),
        )
    )

    # 3. Transition after a beta shock: from a 10 % capital share to the pooled estimate C1.
    c1 = rep.models.set_index("model").loc["C1"]
    beta0 = float(beta_from_capital_share(0.10, PAPER_GAMMA))
    tr = simulate_transition(beta0, float(c1.beta), PAPER_GAMMA, None, PAPER_THETA, PAPER_N, shock_year=50, years=1500, points=1501)
    parts.append(
        figure_html(
            transition_figure(tr),
            caption=(
                f"The full model of §2.2 integrated with scipy's solve_ivp: R&D moves from a 10% capital share "
                f"(β = {beta0:.3f}) to the pooled estimate C1 ({100 * c1.capital_share:.0f}%, β = {c1.beta:.3f}) in year 50. "
                f"Productivity growth rises from {100 * tr.before.g_A:.2f}% to {100 * tr.after.g_A:.2f}%/yr; half of the "
                f"gap closes in {tr.years_to_half_gap:.0f} years and 90% in {tr.years_to_90pct_gap:.0f} years. Dotted: "
                "old steady state; dashed: new steady state (closed form)."
            ),
        )
    )

    # 4. Uncertainty: an illustration from the published standard errors.
    rng = np.random.default_rng(ctx.seed)
    est = published_estimates(main_only=True).set_index("model").loc["C1"]
    draws = 10_000
    dist = growth_distribution(rng.normal(est.beta, est.beta_se, draws), rng.normal(est.gamma, est.gamma_se, draws))
    q = dist.percentiles
    parts.append(
        figure_html(
            distribution_figure(dist),
            caption=(
                f"Illustrative uncertainty for C1: {draws} independent normal draws of (β̂, γ̂) from the published "
                "point estimates and standard errors (not the paper's bootstrap, and ignoring their correlation). "
                f"Median g_A* {100 * q['p50']:.2f}%, 90% interval {100 * q['p5']:.2f}%-{100 * q['p95']:.2f}%/yr; "
                f"{dist.n_explosive} draws imply no balanced growth path and {dist.n_outside_domain} have a "
                "non-positive estimate. Bootstrap draws from aiprogress.ideas can be passed to growth_distribution "
                "or to 'aiprogress growth from-estimates --draws'."
            ),
        )
    )
    # 5. Our own estimates carried into the projection: bootstrap draws of the pooled model.
    from aiprogress.ideas.report import shipped_estimate

    _, ours = shipped_estimate(ctx)
    pooled = next((m for m in ours.models if m.label == "C1"), None)
    if pooled is not None and pooled.boot is not None:
        mine = growth_distribution(pooled.boot.draws[:, 0], pooled.boot.draws[:, 1])
        qm = mine.percentiles
        parts.append(
            figure_html(
                distribution_figure(mine),
                caption=(
                    f"From this project's own pooled estimate (C1 on the shipped data, {len(pooled.boot.draws)} bootstrap "
                    f"draws of (β̂, γ̂) from the 'Idea production function' section): median g_A* {100 * qm['p50']:.2f}%, "
                    f"90% interval {100 * qm['p5']:.2f}%-{100 * qm['p95']:.2f}%/yr; {mine.n_explosive} draws imply no "
                    f"balanced growth path and {mine.n_outside_domain} have a non-positive estimate. The same pipeline from the "
                    "command line: 'aiprogress ideas estimate --draws-out d.csv' then "
                    "'aiprogress growth from-estimates --draws d.csv --draws-model C1'."
                ),
            )
        )
    return "\n".join(parts)
