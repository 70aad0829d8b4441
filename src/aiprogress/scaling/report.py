"""Report section: compute-performance scaling and compute trends."""

from __future__ import annotations

import html

import pandas as pd

from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.scaling.extrapolate import figure4_table
from aiprogress.scaling.fits import fit_scaling
from aiprogress.scaling.plots import extrapolation_figure, scaling_figure, trends_figure
from aiprogress.scaling.replicate import replicate
from aiprogress.scaling.selection import PAPER_BENCHMARKS, build_sample
from aiprogress.scaling.trends import compute_trends


@register_section("scaling", "Compute–performance scaling and compute trends", order=30)
def build(ctx: ReportContext) -> str:
    bench = ctx.table("benchmark_results")
    parts: list[str] = [
        "<p>How much does benchmark error fall per tenfold increase in compute? Following Thompson et al. (2020), "
        "each panel regresses log10(error rate) on log10(compute) (OLS, red, with its 95% confidence band) and fits the "
        "10% conditional quantile (green, the best error reachable at a given compute). The implied polynomial degree "
        "-1/slope says how fast compute must grow with performance 1/error. Selection rules: "
        "<code>SelectionRules.paper(benchmark, measure)</code>.</p>"
    ]
    panels = []
    s = build_sample(bench, "imagenet", "per_pass")
    panels.append((s, fit_scaling(s, "polynomial"), fit_scaling(s, "frontier")))
    for b in PAPER_BENCHMARKS:
        s = build_sample(bench, b, "hardware_burden")
        panels.append((s, fit_scaling(s, "polynomial"), fit_scaling(s, "frontier")))
    parts.append(figure_html(scaling_figure(panels), caption="Error rate vs computation per network pass (ImageNet, first panel) and vs hardware burden (all five benchmarks). Data: Thompson et al. (2020), Computer-Progress."))

    rep = replicate(bench)
    rows = rep.rows[rep.rows["statistic"].isin(["slope", "year_coef", "n", "r2"])]
    parts.append(table_html(rows[["table", "column", "benchmark", "form", "statistic", "published", "reproduced", "difference", "status", "reason"]],
                            caption="Published (Thompson et al. 2020, Tables 1-4) vs reproduced: slopes, n and R²."))
    parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in rep.notes) + "</ul>")

    f4 = figure4_table(bench)
    parts.append(figure_html(extrapolation_figure(f4.table), caption="Compute needed to reach each error rate (log10 GFLOP), reproduced with 95% Fieller interval vs the paper's Figure 4."))
    t = f4.table[["benchmark", "label", "error_rate", "form", "log10_gflop", "log10_gflop_low", "log10_gflop_high", "published_log10_gflop", "log10_co2_lbs", "log10_usd"]]
    parts.append(table_html(t, caption=f"Figure-4 table (log10). CO2 in lbs and cost in USD use {f4.conversion.co2_lbs_per_gflop:.3g} lbs/GFLOP and ${f4.conversion.usd_per_gflop:.3g}/GFLOP ({f4.conversion.source}).", float_format="{:.3g}"))

    trends = compute_trends(ctx.table("models"), bench, seed=ctx.seed)
    parts.append(figure_html(trends_figure(trends), caption="Training compute of notable models over time, with log-linear trends per era (HC3 95% intervals). Data: Epoch AI (CC BY 4.0)."))
    tf = trends.to_frame()[["group", "label", "n", "doubling_months", "doubling_months_ci_low", "doubling_months_ci_high"]]
    parts.append(table_html(pd.DataFrame(tf), caption="Doubling times of training compute (months, 95% CI).", float_format="{:.3g}"))
    return "\n".join(parts)
