"""Report section: compute bottlenecks and the software intelligence explosion."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.takeoff import ces, montecarlo, returns, sie

REPORT_RHOS = (-0.4, -0.2, -0.1, 0.0)
REPORT_RS = (0.7, 1.0, 1.5, 3.0)


def section_html(seed: int = 0, draws: int = 20_000, sobol_n: int = 1024) -> str:
    """HTML of the takeoff section (``draws`` per shipped config, Sobol base sample ``sobol_n``)."""
    parts: list[str] = []
    p = lambda text: parts.append(f"<p>{html.escape(text)}</p>")  # noqa: E731

    # 1. Max speed under CES.
    table = ces.max_speed_table()
    frame = table.to_frame().rename(columns={"max_speed": "max speed (× today)"})
    frame["published (Davidson 2025)"] = ["2", "4", "≈6 (text)", "32", "102", "1024", "inf"]
    parts.append("<h3>Max speed of software progress with compute fixed</h3>")
    p(
        "CES research production Y = [α L^ρ + (1−α) K^ρ]^(1/ρ), normalised to 1 today. With compute K fixed and "
        "cognitive labour L unbounded, the pace of software progress tends to (1−α)^(1/ρ) K for ρ < 0. "
        "α = ½; the published column is the post's rounded table."
    )
    parts.append(table_html(frame, caption="Max speed (ceiling of Y as L → ∞, K = 1) by ρ"))
    parts.append(figure_html(ces.plot_speed_curves(REPORT_RHOS + (-1.0,)),
                             caption="Pace of progress vs cognitive labour (log axes); dashed: ceilings."))

    # 2. Returns to software r.
    parts.append("<h3>Returns to software r with fixed hardware</h3>")
    rows = []
    for r in REPORT_RS:
        seq = returns.doubling_sequence(r, 365.0 / 12.0, 5)
        rows.append({"r": r, **{f"doubling {k + 1} (days)": d for k, d in enumerate(seq.doubling_days)},
                     "singularity (days)": seq.singularity_days})
    p(
        "Research effort proportional to software: each doubling time is 2^(1/r−1) times the previous one "
        "(first doubling one month). For r > 1 the doublings sum to a finite singularity date; the continuous "
        "model d ln S/dt = g0 S^(1−1/r) gives exactly the same dates."
    )
    parts.append(table_html(pd.DataFrame(rows), caption="Doubling times after automation (days)"))
    parts.append(figure_html(returns.plot_doublings(REPORT_RS, 365.0 / 12.0, n=8, horizon_days=400.0),
                             caption="Software doublings vs days; dots mark completed doublings, dotted: singularity."))

    # 3. SIE trajectories by rho.
    davidson = montecarlo.load_config("davidson-range")
    base = montecarlo.config_params_default(davidson)
    trajs = {f"ρ = {rho:g}": sie.simulate(base.replace(rho=rho), horizon_days=3 * 365.0) for rho in REPORT_RHOS}
    parts.append("<h3>Simulated software intelligence explosion by ρ</h3>")
    p(
        "Median parameters of the davidson-range configuration (r ≈ {:.2g}, κ ≈ {:.2g}, λ ≈ {:.2g}, today's "
        "software doubling ≈ {:.0f} days, ceiling ≈ {:.0f} OOMs), varying only ρ.".format(
            base.r, base.kappa, base.lam, base.software_doubling_days, base.ceiling_ooms)
    )
    traj_rows = [
        {"rho": rho, "days to 5 OOMs": t.days_to_sie_ooms, "peak OOMs/year": t.peak_growth_rate_per_day * 365.25 / np.log(10),
         "SIE": t.sie}
        for rho, t in zip(REPORT_RHOS, trajs.values())
    ]
    parts.append(table_html(pd.DataFrame(traj_rows), caption="SIE verdict: ≥ 5 OOMs in < 365 days"))
    parts.append(figure_html(sie.plot_trajectories(trajs), caption="Software OOMs vs months after automation."))

    # 4. Monte Carlo per shipped config.
    parts.append("<h3>Monte Carlo: probability of an SIE under each shipped configuration</h3>")
    results = {}
    for k, name in enumerate(montecarlo.shipped_configs()):
        results[name] = montecarlo.run_monte_carlo(name, draws, seed=seed + k)
    mc_rows = []
    for name, res in results.items():
        q = res.quantiles_days_to_sie_ooms((0.1, 0.5, 0.9))
        mc_rows.append({"config": name, "P(SIE)": res.p_sie, "MC s.e.": res.p_sie_se,
                        "days to 5 OOMs, 10%": q[0.1], "median": q[0.5], "90%": q[0.9]})
    p(
        f"{draws} draws per configuration. Configurations differ in ρ (economics base rate −1.22 to −0.15 vs the "
        "−0.2 to 0 argued for AI research vs Cobb–Douglas) and in whether compute limits are folded into r."
    )
    parts.append(table_html(pd.DataFrame(mc_rows), caption="P(SIE) and days to 5 OOMs by configuration"))
    parts.append(figure_html(montecarlo.plot_fan_chart(results["davidson-range"]),
                             caption="Fan chart (davidson-range): median, 25–75% and 10–90% of software OOMs over time."))
    by_rho = results["davidson-range"].p_sie_by("rho", bins=4)
    parts.append(table_html(by_rho, caption="P(SIE) within quartiles of ρ (davidson-range)"))

    # 5. Sensitivity.
    sens = montecarlo.sensitivity(davidson, sobol_n, seed=seed)
    parts.append("<h3>Which parameters matter: Sobol indices</h3>")
    p(f"Variance-based sensitivity of the SIE indicator (davidson-range, {sens.evaluations} model runs, SALib).")
    parts.append(figure_html(montecarlo.plot_sensitivity(sens), caption="First-order and total Sobol indices."))
    return "\n".join(parts)


@register_section("takeoff", "Takeoff: compute bottlenecks and software intelligence explosion", order=60)
def build(ctx: ReportContext) -> str:
    return section_html(seed=ctx.seed)
