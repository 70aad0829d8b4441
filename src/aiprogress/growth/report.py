"""Report section: semi-endogenous growth under AI-augmented R&D."""

from __future__ import annotations

import html
from dataclasses import replace

import numpy as np
import pandas as pd

from aiprogress.growth.capital_share import (
    beta_from_capital_share,
    capital_share_curves,
    max_capital_share,
    productivity_growth_from_capital_share,
)
from aiprogress.growth.estimates import PUBLISHED_ROUNDING_PP, growth_distribution, published_growth
from aiprogress.growth.figures import capital_share_figure, distribution_figure, transition_figure
from aiprogress.growth.model import PAPER_GAMMA, PAPER_N, PAPER_THETA
from aiprogress.growth.transition import simulate_transition
from aiprogress.ideas.published import published_estimates, published_growth_ranges
from aiprogress.replication import ReplicationRow
from aiprogress.replication import row as replication_row
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html

PAPER = "Besiroglu et al. (2023)"
ANCHOR = "growth-replication"
OTHER_ANCHOR = "growth-other"


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _nsf_growth() -> np.ndarray:
    nsf = published_growth_ranges().set_index("group").loc["NSF"]
    return productivity_growth_from_capital_share(np.array([nsf.capital_share_low, nsf.capital_share_high]))


def scorecard(ctx: ReportContext | None = None) -> list[ReplicationRow]:
    """Scorecard rows: §7 growth per model, the §6 capital-share range and the Figure 5 'current region'."""
    rep = published_growth()
    out = []
    for m in rep.models.itertuples(index=False):
        out.append(replication_row(
            "growth", PAPER, "§7 (from Tables 4-5)", f"{m.model}: steady-state g_A* (%/yr)", m.published_pct, m.g_A_pct, decimals=1,
            reason="", anchor=ANCHOR))
    ranges = published_growth_ranges().set_index("group")
    allrow, nsf = ranges.loc["all"], ranges.loc["NSF"]
    f = rep.models["capital_share"]
    g_nsf = 100 * _nsf_growth()
    floor = 100 * PAPER_GAMMA / (1 - PAPER_THETA) * PAPER_N
    specs = [
        ("§6, Figure 4", "implied capital share f, lowest of A1-C2", allrow.capital_share_low, f.min(), 2, ""),
        ("§6, Figure 4", "implied capital share f, highest of A1-C2", allrow.capital_share_high, f.max(), 2, ""),
        ("Figure 5 caption", f"g_A* at f = {nsf.capital_share_low:.2f} (current US R&D, low end), %/yr", nsf.growth_low_pct, g_nsf[0], 1,
         f"unreachable under the stated calibration: with γ = 2/5 and θ = 1/2, g_A* ≥ γn/(1−θ) = {floor:.1f}% even with no capital in R&D"),
        ("Figure 5 caption", f"g_A* at f = {nsf.capital_share_high:.2f} (current US R&D, high end), %/yr", nsf.growth_high_pct, g_nsf[1], 1, ""),
    ]
    for table, quantity, pub, ours, dec, why in specs:
        r = replication_row("growth", PAPER, table, quantity, float(pub), float(ours), decimals=dec, anchor=OTHER_ANCHOR)
        out.append(replace(r, reason=why if r.status != "reproduced" else ""))
    return out


@register_section("growth", "Semi-endogenous growth under AI-augmented R&D", order=50, with_section="ideas")  # reuses its estimate
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
    card = {r.quantity: r for r in scorecard(ctx)}
    models = rep.models[["model", "table", "sample", "beta_hat", "gamma_hat", "capital_share", "beta", "published_pct", "g_A_pct"]].rename(
        columns={"beta": "β calibrated", "beta_hat": "β̂", "gamma_hat": "γ̂", "capital_share": "f", "published_pct": "published g_A* (%/yr)",
                 "g_A_pct": "ours g_A* (%/yr)"})
    models["status"] = [card[f"{m}: steady-state g_A* (%/yr)"].status for m in rep.models["model"]]
    models["reason"] = [card[f"{m}: steady-state g_A* (%/yr)"].reason for m in rep.models["model"]]
    parts.append("<h3>Published vs ours: §7 steady-state growth</h3>")
    parts.append(
        table_html(
            models,
            caption=(
                "Steady-state productivity growth (%/yr) from the published Tables 4 and 5. The published value is the end "
                "of the §7 range that the model's rank within its pair points to (the paper gives ranges per pair); the paper "
                f"prints one decimal, so a difference up to {PUBLISHED_ROUNDING_PP} pp is its rounding."
            ),
            decimals={"β̂": 3, "γ̂": 3, "f": 3, "β calibrated": 3, "published g_A* (%/yr)": 1, "ours g_A* (%/yr)": 2},
            anchor=ANCHOR,
        )
    )
    groups = rep.groups.drop(columns=["source"])[["group", "models", "published_low_pct", "reproduced_low_pct", "diff_low_pp",
                                                  "published_high_pct", "reproduced_high_pct", "diff_high_pp"]]
    parts.append(table_html(groups, caption="§7 ranges: published vs reproduced (percent per year).", float_format="{:.3f}",
                            decimals={"published_low_pct": 1, "published_high_pct": 1}))
    verdict = "All six models reproduce the published §7 figures" if rep.all_match else "Some models do NOT reproduce §7"
    parts.append(_p(f"{verdict} (tolerance {PUBLISHED_ROUNDING_PP} pp)."))

    # Capital shares vs the §6 range, and the 'current region' of Figure 5.
    other = [r for r in card.values() if r.anchor == OTHER_ANCHOR]
    checks = pd.DataFrame([(r.table, r.quantity, r.published, r.ours, r.status, r.reason) for r in other],
                          columns=["table / figure", "quantity", "published", "ours", "status", "reason"])
    parts.append(table_html(checks, caption="Other published figures of §6-§7.", decimals={"published": 2, "ours": 3}, anchor=OTHER_ANCHOR))
    floor = 100 * PAPER_GAMMA / (1 - PAPER_THETA) * PAPER_N
    g_nsf = _nsf_growth()
    parts.append(
        _p(
            f"The upper end of the 'current region' matches. Its lower end (0.5%) cannot be reached under the stated "
            f"calibration: with γ = 2/5 and θ = 1/2, g_A* is at least γn/(1−θ) = {floor:.1f}% even with no capital "
            f"in R&D, and a 3% capital share gives {100 * g_nsf[0]:.2f}%. The caption's lower bound presumably "
            "comes from a different calibration; we report the discrepancy rather than adjust to it."
        )
    )

    parts.append("<h3>Capital share, growth and the transition</h3>")
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
            n=f"{len(rep.models)} published estimates",
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
            n="one deterministic path",
        )
    )

    parts.append("<h3>Uncertainty in steady-state growth</h3>")
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
            n=f"{draws} draws",
        )
    )
    # 5. Our own estimates carried into the projection: bootstrap draws of the pooled model.
    from aiprogress.ideas.report import shipped_estimate

    _, ours = shipped_estimate(ctx)
    f_max = max_capital_share(PAPER_THETA, PAPER_GAMMA)
    own = pd.DataFrame([(m.label, m.capital_share) for m in ours.models if 0 < m.capital_share < f_max], columns=["model", "capital_share"])
    own["g_A_pct"] = [100 * float(productivity_growth_from_capital_share(f)) for f in own.capital_share]
    parts.append(
        figure_html(
            capital_share_figure(capital_share_curves((PAPER_THETA,), PAPER_GAMMA, PAPER_N), gamma=PAPER_GAMMA, n=PAPER_N, markers=own),
            caption=(
                "Figure 5 analogue: steady-state productivity growth implied by this project's own capital-share estimates "
                "(the 'Idea production function' section; θ = 1/2, γ = 2/5, n = 1%). Estimates outside the model's "
                "domain (f ≤ 0 or no balanced growth path) are left out; the ideas tables report them."
            ),
            n=f"{len(own)} of {len(ours.models)} estimates",
        )
    )
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
                n=f"{len(pooled.boot.draws)} draws",
            )
        )
    return "\n".join(parts)
