"""Report section "Takeoff models compared": compression table and curve per shipped config,
trajectories at the median parameters, and variance attribution (Sobol, Shapley)."""

from __future__ import annotations

import html

import pandas as pd

from aiprogress.capabilities import data_source
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.takeoff import plots
from aiprogress.takeoff.config import config_medians, load_config, shipped_configs
from aiprogress.takeoff.models import get_model
from aiprogress.takeoff.montecarlo import run_monte_carlo
from aiprogress.takeoff.sensitivity import sensitivity

DRAWS = {"davidson-houlden": 20_000, "davidson-houlden-retraining": 20_000, "davidson-houlden-gradual": 20_000}
DEFAULT_DRAWS = 2_000  # CES ODE configs (each draw is a quadrature on ~50 levels)


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _draws_text(results: dict) -> str:
    """'20000 draws per davidson-houlden config, 2000 per ces-sie config' from the results themselves."""
    by_model: dict[str, set[int]] = {}
    for res in results.values():
        by_model.setdefault(res.model.split("-retraining")[0].split("-gradual")[0], set()).add(res.draws)
    parts = [f"{'/'.join(str(d) for d in sorted(ds))} {'draws ' if not k else ''}per {m} config"
             for k, (m, ds) in enumerate(sorted(by_model.items()))]
    return ", ".join(parts)


def section_html(seed: int = 0, *, draws_scale: float = 1.0, sobol_n: int = 256, shapley_outer: int = 500,
                 catalog=None, data_dir=None) -> str:
    """HTML of the section; ``catalog`` / ``data_dir``: where configs' ``{from: ...}`` references read shared data."""
    with data_source(catalog=catalog, data_dir=data_dir):
        configs = {name: load_config(name) for name in shipped_configs()}
    results = {}
    for k, (name, cfg) in enumerate(configs.items()):
        n = max(1000, int(DRAWS.get(cfg.model, DEFAULT_DRAWS) * draws_scale))
        results[name] = run_monte_carlo(cfg, n, seed=seed + k)
    first = next(iter(results.values()))
    parts = [
        _p("Every takeoff model returns trajectories (time against software level) from which the same statistics are "
           "computed: the probability that at least X years of progress at the recent overall pace are compressed into "
           f"a window of at most Y months starting within {first.compression['horizon_years']:g} years, and the SIE "
           f"verdict (at least 5 OOMs of software within a year). {first.compression['conversion']} "
           "(software is about half of recent progress and doubles every 3 months). Standard errors are Monte Carlo "
           "errors sqrt(p(1−p)/n)."),
    ]
    rows = []
    for name, res in results.items():
        row = {"config": name, "model": res.model, "draws": res.draws}
        for r in res.compression["table"]:
            key = f"≥{r['x_years']:g} y in ≤{r['y_months']:g} mo"
            row[key] = f"{r['p']:.3f} ± {r['se']:.3f}"
        row["P(SIE)"] = f"{res.p_sie:.3f} ± {res.p_sie_se:.3f}"
        rows.append(row)
    parts.append(table_html(pd.DataFrame(rows), caption="Progress compression and SIE verdict by shipped configuration "
                                                        "(probability ± Monte Carlo standard error)"))
    parts.append(figure_html(plots.plot_compression_curves({n: r for n, r in results.items()}),
                             caption="P(≥ X years of progress in ≤ 12 months) against X; bands ±2 s.e.",
                             n=_draws_text(results)))
    parts.append(_p("Davidson & Houlden (2025) report roughly a 60% chance of compressing 3 years of progress into a year and "
                    "roughly 20% for 10 years; the davidson-houlden-2025 row reproduces the model with the published input "
                    "ranges (the inputs are drawn independently, as published)."))

    trajs = {}
    for name, cfg in configs.items():
        med = config_medians(cfg)
        trajs[f"{name} ({cfg.model})"] = get_model(cfg.model).simulate(**med)
    parts.append(figure_html(plots.plot_model_trajectories(trajs, horizon_years=5.0),
                             caption="Software OOMs against years after automation, at each config's median parameters.",
                             n=f"{len(trajs)} deterministic paths"))

    dh = "davidson-houlden-2025"
    if dh in configs:
        sob = sensitivity(configs[dh], sobol_n, seed, output="compress:3:12")
        parts.append(figure_html(plots.plot_sensitivity(sob), caption=(
            "Sobol indices of the indicator 'at least 3 years of progress in at most 12 months' (davidson-houlden-2025, "
            "independent inputs as published)."), n=f"{sob.evaluations} model runs"))
        sh = sensitivity(configs[dh], shapley_outer, seed, output="max_years:12", method="shapley")
        parts.append(figure_html(plots.plot_sensitivity(sh), caption=(
            "Shapley effects: share of the variance of the most years of progress compressed into 12 months due to each "
            "input (valid with correlated inputs too)."), n=f"{sh.evaluations} model runs"))
    return "\n".join(parts)


@register_section("takeoff_models", "Takeoff models compared: progress compression", order=62, cost=6)
def build(ctx: ReportContext) -> str:
    return section_html(seed=ctx.seed, catalog=ctx.catalog, data_dir=ctx.data_dir)
