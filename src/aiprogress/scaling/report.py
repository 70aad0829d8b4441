"""Report section: compute-performance scaling and compute trends."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aiprogress.reportkit import ReportContext, figure_grid, figure_html, plotly_html, register_section, table_html
from aiprogress.reportkit.tables import wide_comparison
from aiprogress.scaling.extrapolate import figure4_table
from aiprogress.scaling.fits import fit_scaling
from aiprogress.scaling.plots import _ERA_COLORS, extrapolation_figure, scaling_panel_figure, trends_figure
from aiprogress.scaling.replicate import ANCHOR, FIG4_ANCHOR, REPORT_STATISTICS, figure4_rows, replicate, scorecard_rows
from aiprogress.scaling.selection import PAPER_BENCHMARKS, build_sample
from aiprogress.scaling.trends import compute_trends

_STAT_LABELS = {"slope": "slope (log10 compute)", "year_coef": "year", "n": "n", "r2": "R²"}


def _replication(ctx: ReportContext):
    return ctx.cached("scaling:replicate", lambda: replicate(ctx.table("benchmark_results")))


def _figure4(ctx: ReportContext):
    return ctx.cached("scaling:figure4", lambda: figure4_table(ctx.table("benchmark_results")))


def scorecard(ctx: ReportContext):
    """Scorecard rows of this section: Tables 1-4 (slopes, year coefficients, n, R²) and Figure 4."""
    return scorecard_rows(_replication(ctx)) + figure4_rows(_figure4(ctx).table)


def _trends_plotly(trends):
    import plotly.graph_objects as go

    pts = trends.points
    fig = go.Figure()
    for era, color in _ERA_COLORS.items():
        g = pts[pts["era"] == era]
        fig.add_trace(go.Scatter(
            x=g["date"], y=g["train_flop"], mode="markers", name=f"{era.replace('_', '-')} (n={len(g)})",
            marker=dict(size=6, color=color, opacity=0.6), text=g["model"],
            hovertemplate="%{text}<br>%{x|%Y-%m-%d}<br>%{y:.3g} FLOP<extra></extra>"))
    for e in trends.eras:
        xs = np.linspace(e.start, e.end, 30)
        dates = pd.to_datetime([f"{int(x)}-01-01" for x in xs]) + pd.to_timedelta((xs % 1) * 365.25, unit="D")
        fig.add_trace(go.Scatter(
            x=dates, y=10.0 ** (e.intercept + e.slope_log10_per_year * xs), mode="lines", line=dict(color=_ERA_COLORS[e.label], width=3),
            name=f"{e.label.replace('_', '-')} trend: doubling {e.doubling_months:.1f} mo", hoverinfo="name"))
    fig.update_layout(title="Training compute of AI models (Epoch AI)", yaxis_type="log",
                      yaxis_title="training compute (FLOP, log scale)", xaxis_title="publication date",
                      legend=dict(font=dict(size=11)))
    return fig


@register_section("scaling", "Compute–performance scaling and compute trends", order=30, cost=4)
def build(ctx: ReportContext) -> str:
    bench = ctx.table("benchmark_results")
    parts: list[str] = [
        "<p>How much does benchmark error fall per tenfold increase in compute? Following Thompson et al. (2020), "
        "each panel regresses log10(error rate) on log10(compute) (OLS, red, with its 95% confidence band) and fits the "
        "10% conditional quantile (green, the best error reachable at a given compute). The implied polynomial degree "
        "-1/slope says how fast compute must grow with performance 1/error. Selection rules: "
        "<code>SelectionRules.paper(benchmark, measure)</code>.</p>",
        "<h3>Scaling fits per benchmark</h3>",
    ]
    panels = [build_sample(bench, "imagenet", "per_pass")] + [build_sample(bench, b, "hardware_burden") for b in PAPER_BENCHMARKS]
    figs = []
    for s in panels:
        what = "computation per network pass" if s.measure == "per_pass" else "hardware burden"
        figs.append(figure_html(scaling_panel_figure(s, fit_scaling(s, "polynomial"), fit_scaling(s, "frontier")),
                                caption=f"{s.benchmark}: error rate vs {what}. Data: Thompson et al. (2020), Computer-Progress.", n=s.n))
    parts.append(figure_grid(*figs))

    rep = _replication(ctx)
    rows = rep.rows[rep.rows["statistic"].isin(REPORT_STATISTICS)].rename(columns={"reproduced": "ours"})
    rows = rows.assign(table=rows["table"].str.replace("table", "Table ") + " col " + rows["column"].astype(int).astype(str),
                       form=rows["form"].str.replace("exponential_performance", "exp. performance"))
    wide, status_of = wide_comparison(rows, ["table", "benchmark", "form"], "statistic", list(REPORT_STATISTICS),
                                      labels=_STAT_LABELS)
    parts.append("<h3>Published vs ours: Tables 1–4</h3>")
    parts.append(table_html(
        wide, caption="Thompson et al. (2020) Tables 1–4, as the paper prints them (one column per coefficient): published beside ours, "
        "each 'ours' with its status under the report's rule (coefficients need the published value inside our 95% interval).",
        anchor=ANCHOR, status_of=status_of,
        decimals={("slope (log10 compute)", "published"): 2, ("slope (log10 compute)", "ours"): 3, ("year", "published"): 2,
                  ("year", "ours"): 3, "R²": 2}))
    parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in rep.notes) + "</ul>")

    f4 = _figure4(ctx)
    parts.append("<h3>Figure 4: compute needed for future error rates</h3>")
    n_fig4 = ", ".join(f"{b} {int(k)}" for b, k in f4.table.groupby("benchmark", sort=False)["n"].first().items()) if "n" in f4.table else None
    for form in dict.fromkeys(f4.table["form"]):
        parts.append(figure_html(
            extrapolation_figure(f4.table, [form]),
            caption=f"{form} model: compute needed to reach each error rate (log10 GFLOP, linear axis), ours with its 95% Fieller "
                    "interval vs the paper's Figure 4; intervals beyond the axis are cut at its edge.",
            n=n_fig4 or "Tables 3-4 samples"))
    t = f4.table[["benchmark", "label", "error_rate", "form", "log10_gflop", "log10_gflop_low", "log10_gflop_high", "published_log10_gflop", "log10_co2_lbs", "log10_usd"]]
    t = t.rename(columns={"log10_gflop": "ours log10 GFLOP", "log10_gflop_low": "95% low", "log10_gflop_high": "95% high",
                          "published_log10_gflop": "published log10 GFLOP", "log10_co2_lbs": "log10 CO2 lbs", "log10_usd": "log10 USD"})
    t = t[["benchmark", "label", "error_rate", "form", "published log10 GFLOP", "ours log10 GFLOP", "95% low", "95% high", "log10 CO2 lbs", "log10 USD"]]
    card4 = iter(figure4_rows(f4.table))  # same rows, same order (rows without a published value have no status)
    t = t.assign(status=[next(card4).status if pd.notna(v) else "" for v in t["published log10 GFLOP"]])
    parts.append(table_html(t, caption=f"Figure-4 table (log10). CO2 in lbs and cost in USD use {f4.conversion.co2_lbs_per_gflop:.3g} lbs/GFLOP "
                                       f"and ${f4.conversion.usd_per_gflop:.3g}/GFLOP ({f4.conversion.source}).",
                            float_format="{:.3g}", decimals={"ours log10 GFLOP": 1, "95% low": 1, "95% high": 1, "log10 CO2 lbs": 1, "log10 USD": 1},
                            anchor=FIG4_ANCHOR))

    trends = compute_trends(ctx.table("models"), bench, seed=ctx.seed)
    parts.append("<h3>Training compute over time</h3>")
    parts.append(plotly_html(_trends_plotly(trends),
                             caption="Training compute of notable models over time, with log-linear trends per era (HC3 95% intervals in the table). "
                                     "Data: Epoch AI (CC BY 4.0).",
                             static_fig=trends_figure(trends), n=len(trends.points)))
    tf = trends.to_frame()[["group", "label", "n", "doubling_months", "doubling_months_ci_low", "doubling_months_ci_high"]]
    parts.append(table_html(pd.DataFrame(tf), caption="Doubling times of training compute (months, 95% CI).", float_format="{:.3g}",
                            decimals={"doubling_months": 1, "doubling_months_ci_low": 1, "doubling_months_ci_high": 1}))
    return "\n".join(parts)
