"""Scaling page: benchmark, compute measure, functional form and target error -> compute, dollars and CO2.

The fit (:func:`aiprogress.scaling.fit_scaling` on :func:`~aiprogress.scaling.build_sample`,
the paper's selection rules) is drawn with its sample and the 10% quantile
frontier; the extrapolation (:func:`aiprogress.scaling.extrapolate_fit`) gives
compute, dollars and CO2 with 95% intervals. Below, the compute trends
(:func:`aiprogress.scaling.compute_trends`) with their doubling times.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from dash import Dash, Input, Output, dash_table, dcc, html, no_update

from aiprogress.app import figures
from aiprogress.app.state import decode_state, encode_state

PATH = "/scaling"
EXTRAP_FORMS = ("polynomial", "exponential", "exponential_performance", "frontier")


def state_spec() -> dict[str, tuple[type, Any]]:
    return {"benchmark": (str, "imagenet"), "measure": (str, "hardware_burden"), "form": (str, "polynomial"),
            "target_pct": (float, 5.0)}


def fit_and_extrapolate(ctx, benchmark: str, measure: str, form: str, target_error: float):
    """(sample, fit, frontier fit, extrapolation) from the library (the CLI's ``scaling extrapolate``)."""
    from aiprogress.scaling import build_sample, extrapolate_fit, fit_scaling
    from aiprogress.scaling.extrapolate import CostConversion

    table = ctx.cached("table:benchmark_results", lambda: ctx.table("benchmark_results"))
    sample = build_sample(table, benchmark, measure)
    fit = fit_scaling(sample, form)
    frontier = fit_scaling(sample, "frontier")
    ext = extrapolate_fit(fit, target_error, CostConversion.default())
    return sample, fit, frontier, ext


def _pow10_text(log10_value: float, unit: str) -> str:
    if log10_value is None or not math.isfinite(log10_value):
        return "—"
    return f"10^{log10_value:.2f} {unit}".strip()


def result_cards(ext) -> list[tuple[str, str, str]]:
    unit = ext.compute_unit
    items = [("compute", _pow10_text(ext.log10_compute, unit), "sc-compute"),
             ("95% interval", f"[{_pow10_text(ext.log10_compute_low, '')}, {_pow10_text(ext.log10_compute_high, '')}]", "sc-ci"),
             ("dollars", _pow10_text(ext.log10_usd, "USD"), "sc-usd"),
             ("CO2", _pow10_text(ext.log10_co2_lbs, "lbs"), "sc-co2"),
             ("n, slope", f"{ext.n}, {ext.slope:.4g}", "sc-n")]
    return items


def scaling_figure(sample, fit, frontier, ext):
    import plotly.graph_objects as go

    from aiprogress.scaling.fits import regression_frame, response

    data = regression_frame(sample, fit.form)
    fr = regression_frame(sample, "frontier")
    shift = math.log10(sample.reference_value) if sample.reference_value else 0.0
    x_target = ext.log10_compute - shift if math.isfinite(ext.log10_compute) else None
    hi = max(float(data["x"].max()), x_target if x_target is not None and x_target < data["x"].max() + 15 else -math.inf)
    xs = np.linspace(float(data["x"].min()) - 0.2, hi + 0.3, 200)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=data["x"], y=data["y"], mode="markers", name=f"models (n={sample.n})",
                             marker=dict(color=sample.frame["year"], colorscale="Viridis", showscale=True,
                                         colorbar=dict(title="year"), size=8, line=dict(width=0.5, color="black")),
                             text=sample.frame.get("model"), hovertemplate="%{text}<br>log10 compute %{x:.2f}<br>y %{y:.3f}"))
    if fit.form != "trend":
        fig.add_trace(go.Scatter(x=xs, y=fit.const + fit.slope * xs, mode="lines", name=f"{fit.form} fit: slope {fit.slope:.3g}"))
    if fit.form in ("polynomial", "frontier"):
        fig.add_trace(go.Scatter(x=xs, y=frontier.const + frontier.slope * xs, mode="lines", line=dict(dash="dash"),
                                 name=f"10% quantile frontier: slope {frontier.slope:.3g}"))
    if x_target is not None and math.isfinite(x_target):
        fig.add_trace(go.Scatter(x=[x_target], y=[float(response(fit.form, ext.target_error))], mode="markers",
                                 marker=dict(symbol="star", size=14, color="crimson"), name=f"target {ext.target_error:.2%}"))
    del fr
    unit = sample.compute_unit + (" (relative)" if sample.reference_value else "")
    fig.update_layout(title=f"{sample.benchmark} – {sample.measure}: {fit.response} vs log10 compute",
                      xaxis_title=f"log10 compute [{unit}]", yaxis_title=fit.response, **figures.LAYOUT)
    return fig


def trends(ctx):
    from aiprogress.scaling import compute_trends

    def build():
        return compute_trends(ctx.table("models"), ctx.table("benchmark_results"))

    return ctx.cached("scaling:trends", build)


def trends_block(ctx):
    import plotly.graph_objects as go

    from aiprogress.errors import AiprogressError

    try:
        tr = trends(ctx)
    except (AiprogressError, OSError) as exc:
        return html.P(f"compute trends unavailable: {exc}", className="msg error")
    pts = tr.points
    fig = go.Figure()
    for era, sub in pts.groupby("era"):
        fig.add_trace(go.Scattergl(x=sub["date"], y=sub["log10_flop"], mode="markers", name=str(era), marker=dict(size=5),
                                   text=sub["model"], hovertemplate="%{text}<br>%{x|%Y-%m}<br>log10 FLOP %{y:.2f}"))
    for e in tr.eras:
        x0, x1 = e.start, e.end
        yrs = np.array([x0, x1])
        dates = [f"{int(y)}-{max(1, int(round((y % 1) * 12)) or 1):02d}-01" for y in yrs]
        fig.add_trace(go.Scatter(x=dates, y=e.intercept + e.slope_log10_per_year * yrs, mode="lines",
                                 name=f"{e.label}: doubling {e.doubling_months:.3g} months"))
    fig.update_layout(title="Training compute of notable models", xaxis_title="publication date",
                      yaxis_title="log10 training FLOP", **figures.LAYOUT)
    frame = tr.to_frame()[["group", "label", "n", "start", "end", "doubling_months", "doubling_months_ci_low",
                           "doubling_months_ci_high", "growth_per_year"]]
    frame = frame.round({"start": 1, "end": 1, "doubling_months": 3, "doubling_months_ci_low": 3,
                         "doubling_months_ci_high": 3, "growth_per_year": 3})
    table = dash_table.DataTable(data=frame.to_dict("records"), columns=[{"name": c, "id": c} for c in frame.columns],
                                 sort_action="native", page_size=20, id="sc-trends-table",
                                 style_table={"overflowX": "auto"}, style_cell={"fontSize": "0.85em"})
    return html.Div([dcc.Graph(id="sc-trends-figure", figure=fig), html.P("Doubling times (months, 95% CI):"), table])


def layout(search: str, ctx):
    from aiprogress.scaling import BENCHMARKS, MEASURES

    state, problems = decode_state(search, state_spec())
    for key, allowed in (("benchmark", BENCHMARKS), ("measure", MEASURES), ("form", EXTRAP_FORMS)):
        if state[key] not in allowed:
            problems.append(f"unknown {key} '{state[key][:30]}'")
            state[key] = state_spec()[key][1]
    return html.Div([
        html.H2("Scaling: what would a target error cost?"),
        html.Div([
            html.Label("benchmark"), dcc.Dropdown(id="sc-benchmark", options=[{"label": v, "value": k} for k, v in BENCHMARKS.items()],
                                                  value=state["benchmark"], clearable=False, style={"width": "200px"}),
            html.Label("measure"), dcc.Dropdown(id="sc-measure", options=list(MEASURES), value=state["measure"], clearable=False,
                                                style={"width": "190px"}),
            html.Label("form"), dcc.Dropdown(id="sc-form", options=list(EXTRAP_FORMS), value=state["form"], clearable=False,
                                             style={"width": "230px"}),
            html.Label("target error (%)"), dcc.Input(id="sc-target", type="number", value=state["target_pct"], min=0.01,
                                                      max=99.99, step="any", debounce=True, style={"width": "6em"}),
        ], className="toolbar"),
        html.Div("; ".join(problems), id="sc-msg", className="msg error" if problems else "msg"),
        html.Div(id="sc-cards", className="cards"),
        html.Div(id="sc-note", className="param-desc"),
        dcc.Loading(dcc.Graph(id="sc-figure")),
        html.H3("Compute trends"),
        dcc.Loading(html.Div(id="sc-trends")),
        dcc.Location(id="sc-loc", refresh=False),
    ])


def update_page(ctx, benchmark, measure, form, target_pct):
    """Outputs of the page callback (cards, note, figure, message, class, search)."""
    from aiprogress.errors import AiprogressError

    if not isinstance(target_pct, (int, float)) or not 0 < target_pct < 100:
        return no_update, no_update, no_update, "target error: a percentage between 0 and 100", "msg error", no_update
    try:
        sample, fit, frontier, ext = fit_and_extrapolate(ctx, benchmark, measure, form, target_pct / 100.0)
    except (AiprogressError, OSError) as exc:
        return no_update, no_update, no_update, str(exc), "msg error", no_update
    cards = [html.Div([html.Div(label, className="label"), html.Div(value, className="value", id=ident)], className="card")
             for label, value, ident in result_cards(ext)]
    note = ext.note or ""
    search = encode_state({"benchmark": benchmark, "measure": measure, "form": form, "target_pct": float(target_pct)})
    return cards, note, scaling_figure(sample, fit, frontier, ext), "", "msg", search


def register(app: Dash, ctx) -> None:
    @app.callback(Output("sc-cards", "children"), Output("sc-note", "children"), Output("sc-figure", "figure"),
                  Output("sc-msg", "children"), Output("sc-msg", "className"), Output("sc-loc", "search"),
                  Input("sc-benchmark", "value"), Input("sc-measure", "value"), Input("sc-form", "value"),
                  Input("sc-target", "value"))
    def update(benchmark, measure, form, target_pct):
        return update_page(ctx, benchmark, measure, form, target_pct)

    @app.callback(Output("sc-trends", "children"), Input("sc-loc", "pathname"))
    def show_trends(_path):
        return trends_block(ctx)


def page():
    from aiprogress.app.server import Page

    return Page("scaling", PATH, "Scaling", 30, layout, register)
