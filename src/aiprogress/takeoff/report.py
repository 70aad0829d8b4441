"""Report section: compute bottlenecks and the software intelligence explosion."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aiprogress.capabilities import data_source
from aiprogress.replication import ReplicationRow
from aiprogress.replication import row as replication_row
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.takeoff import ces, montecarlo, plots, returns, sensitivity, trajectory
from aiprogress.takeoff.config import config_medians, load_config, shipped_configs
from aiprogress.takeoff.sie import SIEParams

REPORT_RHOS = (-0.4, -0.2, -0.1, 0.0)
REPORT_RS = (0.7, 1.0, 1.5, 3.0)
#: Times longer than this are shown as "beyond N years" (the models do not date events that far out).
HUMAN_LIMIT_YEARS = 10.0
MAX_SPEED_ANCHOR = "takeoff-max-speed"
PAPER = "Davidson (2025)"
#: The post's max-speed table (rounded), by rho: (value, as printed); None = unbounded.
PUBLISHED_MAX_SPEED = {-1.0: (2.0, "2"), -0.5: (4.0, "4"), -0.4: (6.0, "≈6 (text)"), -0.2: (32.0, "32"), -0.15: (102.0, "102"),
                       -0.1: (1024.0, "1024"), 0.0: (None, "unbounded")}


def human_days(days: float, *, never: str = "never") -> str:
    """A duration in days as a reader wants it: days under two months, else years; 'beyond 10 years'; 'never'."""
    if days is None or not np.isfinite(days):
        return never
    years = days / 365.25
    if years > HUMAN_LIMIT_YEARS:
        return f"beyond {HUMAN_LIMIT_YEARS:g} years"
    if days < 61:
        return f"{days:.0f} days"
    return f"{years:.2f} years" if years < 1 else f"{years:.1f} years"


def _interval_text(text: str) -> str:
    """pandas' '(-0.201, -0.151]' as '−0.201 to −0.151'."""
    lo, _, hi = text.strip("([])").partition(",")
    try:
        return f"{float(lo):.3g} to {float(hi):.2g}".replace("-", "−")
    except ValueError:
        return text


def max_speed_rows() -> list[ReplicationRow]:
    """Davidson (2025)'s max-speed table (ρ → ceiling of the pace of software progress) vs ours, one row per ρ."""
    frame = ces.max_speed_table().to_frame()
    out = []
    for rho, ours in zip(frame["rho"], frame["max_speed"]):
        pub, printed = PUBLISHED_MAX_SPEED[float(rho)]
        quantity = f"max speed with compute fixed, ρ = {rho:g}"
        if pub is None:
            status = "reproduced" if not np.isfinite(ours) else "differs"
            out.append(ReplicationRow("takeoff", PAPER, "max-speed table", quantity + " (unbounded)", None, None, status,
                                      reason="both unbounded: Cobb-Douglas (ρ = 0) has no ceiling" if status == "reproduced" else "ours is finite"))
            continue
        why = "the post quotes ≈6 in its text; the exact ceiling is 2^2.5" if "text" in printed else ""
        out.append(replication_row("takeoff", PAPER, "max-speed table", quantity, pub, float(ours), decimals=0, reason=why,
                                   anchor=MAX_SPEED_ANCHOR))
    return [r if r.anchor else ReplicationRow(**{**r.__dict__, "anchor": MAX_SPEED_ANCHOR}) for r in out]


def scorecard(ctx: ReportContext | None = None) -> list[ReplicationRow]:
    """Scorecard rows of this section: the published max-speed table."""
    return max_speed_rows()


def section_html(seed: int = 0, draws: int = 20_000, sobol_n: int = 1024, *, catalog=None, data_dir=None) -> str:
    """HTML of the takeoff section (``draws`` per shipped config, Sobol base sample ``sobol_n``).

    ``catalog`` / ``data_dir``: where configs' ``{from: ...}`` references read shared data (the report's own)."""
    parts: list[str] = []
    p = lambda text: parts.append(f"<p>{html.escape(text)}</p>")  # noqa: E731

    # 1. Max speed under CES.
    card = max_speed_rows()
    frame = ces.max_speed_table().to_frame()[["rho", "sigma"]]
    frame["published max speed (Davidson 2025)"] = [PUBLISHED_MAX_SPEED[float(r)][1] for r in frame["rho"]]
    frame["ours (× today)"] = [r.ours if r.ours is not None else "unbounded" for r in card]
    frame["status"] = [r.status for r in card]
    frame["reason"] = [r.reason for r in card]
    parts.append("<h3>Max speed of software progress with compute fixed</h3>")
    p(
        "CES research production Y = [α L^ρ + (1−α) K^ρ]^(1/ρ), normalised to 1 today. With compute K fixed and "
        "cognitive labour L unbounded, the pace of software progress tends to (1−α)^(1/ρ) K for ρ < 0. "
        "α = ½; the published column is the post's rounded table."
    )
    parts.append(table_html(frame, caption="Max speed (ceiling of Y as L → ∞, K = 1) by ρ, published beside ours",
                            decimals={"rho": 2, "sigma": 3, "ours (× today)": 2}, anchor=MAX_SPEED_ANCHOR))
    parts.append(figure_html(ces.plot_speed_curves(REPORT_RHOS + (-1.0,)),
                             caption="Pace of progress vs cognitive labour (log axes); dashed: ceilings.", n="closed-form curves, no data"))

    # 2. Returns to software r.
    parts.append("<h3>Returns to software r with fixed hardware</h3>")
    rows = []
    for r in REPORT_RS:
        seq = returns.doubling_sequence(r, 365.0 / 12.0, 5)
        rows.append({"r": r, **{f"doubling {k + 1} (days)": d for k, d in enumerate(seq.doubling_days)},
                     "singularity": human_days(seq.singularity_days, never="none (doublings never end)")})
    p(
        "Research effort proportional to software: each doubling time is 2^(1/r−1) times the previous one "
        "(first doubling one month). For r > 1 the doublings sum to a finite singularity date; the continuous "
        "model d ln S/dt = g0 S^(1−1/r) gives exactly the same dates."
    )
    parts.append(table_html(pd.DataFrame(rows), caption="Doubling times after automation (days) and the singularity date", decimals=1))
    parts.append(figure_html(returns.plot_doublings(REPORT_RS, 365.0 / 12.0, n=8, horizon_days=400.0),
                             caption="Software doublings vs days (first 400 days); dots mark completed doublings, dotted: singularity.",
                             n="closed-form paths, no data"))

    # 3. SIE trajectories by rho. Every shipped config is read once; the Monte Carlo and the sensitivity
    # runs below get the parsed configs; references read the report's catalog / data folder.
    with data_source(catalog=catalog, data_dir=data_dir):
        configs = {name: load_config(name) for name in shipped_configs()}
    davidson = configs["davidson-range"]
    base = SIEParams(**config_medians(davidson))
    trajs = {f"ρ = {rho:g}": trajectory.simulate(base.replace(rho=rho), horizon_days=3 * 365.0) for rho in REPORT_RHOS}
    parts.append("<h3>Simulated software intelligence explosion by ρ</h3>")
    p(
        "Median parameters of the davidson-range configuration (r ≈ {:.2g}, κ ≈ {:.2g}, λ ≈ {:.2g}, today's "
        "software doubling ≈ {:.0f} days, ceiling ≈ {:.0f} OOMs), varying only ρ.".format(
            base.r, base.kappa, base.lam, base.software_doubling_days, base.ceiling_ooms)
    )
    horizon = 3 * 365.0
    traj_rows = []
    for rho, t in zip(REPORT_RHOS, trajs.values()):
        beyond = t.days_to_sie_ooms > horizon
        traj_rows.append({"rho": rho, "time to 5 OOMs": human_days(t.days_to_sie_ooms),
                          "dated": "extrapolated beyond the simulated 3 years" if beyond else "simulated",
                          "peak OOMs/year": t.peak_growth_rate_per_day * 365.25 / np.log(10), "SIE": t.sie})
    parts.append(table_html(pd.DataFrame(traj_rows), caption="SIE verdict: ≥ 5 OOMs in < 1 year", decimals={"rho": 1, "peak OOMs/year": 2}))
    n_beyond = sum(r["dated"] != "simulated" for r in traj_rows)
    if n_beyond:
        p(f"{n_beyond} of {len(traj_rows)} paths do not reach 5 OOMs within the simulated {horizon / 365:.0f} years; their dates "
          "are extrapolated beyond the simulated horizon with the model's closed-form time-to-level integral (same parameters), "
          "not read off a simulated path.")
    parts.append(figure_html(trajectory.plot_trajectories(trajs), caption="Software OOMs vs months after automation.",
                             n=f"{len(trajs)} deterministic paths"))

    # 4. Monte Carlo per shipped config.
    parts.append("<h3>Monte Carlo: probability of an SIE under each shipped configuration</h3>")
    results = {}
    ces_configs = [name for name, cfg in configs.items() if cfg.model == "ces-sie"]
    for k, name in enumerate(ces_configs):
        results[name] = montecarlo.run_monte_carlo(configs[name], draws, seed=seed + k)
    mc_rows = []
    for name, res in results.items():
        q = res.quantiles_days_to_sie_ooms((0.1, 0.5, 0.9))
        mc_rows.append({"config": name, "P(SIE)": res.p_sie, "MC s.e.": res.p_sie_se,
                        "time to 5 OOMs, 10th pct": human_days(q[0.1]), "median": human_days(q[0.5]), "90th pct": human_days(q[0.9])})
    p(
        f"{draws} draws per configuration. Configurations differ in ρ (economics base rate −1.22 to −0.15 vs the "
        "−0.2 to 0 argued for AI research vs Cobb–Douglas) and in whether compute limits are folded into r. Times are "
        f"dated by the model's time-to-level integral for each draw; beyond {HUMAN_LIMIT_YEARS:g} years they are shown as "
        f"'beyond {HUMAN_LIMIT_YEARS:g} years' (the model is not meant to date events that far out)."
    )
    parts.append(table_html(pd.DataFrame(mc_rows), caption="P(SIE) and time to 5 OOMs by configuration", decimals={"P(SIE)": 3, "MC s.e.": 3}))
    parts.append(figure_html(plots.plot_fan_chart(results["davidson-range"]),
                             caption="Fan chart (davidson-range): median, 25–75% and 10–90% of software OOMs over time.",
                             n=f"{results['davidson-range'].draws} draws"))
    by_rho = results["davidson-range"].p_sie_by("rho", bins=4)
    by_rho["bin"] = [_interval_text(b) for b in by_rho["bin"]]
    parts.append(table_html(by_rho.rename(columns={"bin": "ρ quartile", "p_sie": "P(SIE)"}),
                            caption="P(SIE) within quartiles of ρ (davidson-range)", decimals={"P(SIE)": 3}))

    # 5. Sensitivity.
    sens = sensitivity.sensitivity(davidson, sobol_n, seed=seed)
    parts.append("<h3>Which parameters matter: Sobol indices</h3>")
    p(f"Variance-based sensitivity of the SIE indicator (davidson-range, {sens.evaluations} model runs, SALib).")
    parts.append(figure_html(plots.plot_sensitivity(sens), caption="First-order and total Sobol indices.",
                             n=f"{sens.evaluations} model runs"))
    return "\n".join(parts)


@register_section("takeoff", "Takeoff: compute bottlenecks and software intelligence explosion", order=60, cost=8)
def build(ctx: ReportContext) -> str:
    return section_html(seed=ctx.seed, catalog=ctx.catalog, data_dir=ctx.data_dir)
