"""Growth page: beta, gamma, theta, n -> steady-state growth and the transition path.

Two sources for the R&D elasticities: the sliders ("manual"), or the idea
production function estimates of the ideas capability ("from estimates": the
bootstrap draws of (beta-hat, gamma-hat) of a model, propagated with
:func:`aiprogress.growth.growth_distribution`). Every number comes from
:mod:`aiprogress.growth`.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from aiprogress.app import figures
from aiprogress.app.controls import ids_values, nums, param_control
from aiprogress.app.state import decode_state, encode_state

PATH = "/growth"
PAGE = "gr"
NUMS = nums(PAGE)
ESTIMATE_N_BOOT = 2000  # bootstrap resamples of the "from estimates" mode (seed 0), as the report uses
ESTIMATE_SEED = 0

# name: (default, slider low, slider high, label, description); defaults = the CLI's
PARAMS: dict[str, tuple[float, float, float, str, str]] = {
    "beta_before": (0.1, 0.0, 0.45, "β before", "R&D elasticity to capital (compute) before the shock"),
    "beta": (0.2086, 0.0, 0.45, "β after", "R&D elasticity to capital after the shock (steady state shown)"),
    "gamma": (0.4, 0.0, 1.0, "γ", "R&D elasticity to labour (scientists)"),
    "theta": (0.5, -1.0, 0.95, "θ", "R&D elasticity to the stock of ideas ('standing on shoulders'); needs β + θ < 1"),
    "n": (0.01, 0.001, 0.05, "n", "population growth per year (a fraction: 0.01 = 1 %)"),
}
MODES = ("manual", "estimates")


def state_spec() -> dict[str, tuple[type, Any]]:
    spec: dict[str, tuple[type, Any]] = {"mode": (str, "manual"), "est": (str, "C1")}
    spec.update({k: (float, v[0]) for k, v in PARAMS.items()})
    return spec


def steady(values: dict):
    """(SteadyState before, SteadyState after, TransitionResult) from the library."""
    from aiprogress.growth import simulate_transition, steady_state

    before = steady_state(values["beta_before"], values["gamma"], values["theta"], values["n"])
    after = steady_state(values["beta"], values["gamma"], values["theta"], values["n"])
    tr = simulate_transition(values["beta_before"], values["beta"], values["gamma"], None, values["theta"], values["n"],
                             shock_year=50.0, years=1500.0, points=1501)
    return before, after, tr


def manual_outputs(values: dict):
    """(cards, figure, message) for the manual mode."""
    from aiprogress.errors import AiprogressError

    try:
        before, after, tr = steady(values)
    except AiprogressError as exc:
        return None, None, str(exc)
    cards = [("g_A* productivity growth", f"{100 * after.g_A:.3f} %/yr", "gr-ga"),
             ("g_K* = g_Y* capital and output growth", f"{100 * after.g_K:.3f} %/yr", "gr-gk"),
             ("g_A* before the shock", f"{100 * before.g_A:.3f} %/yr", "gr-ga0"),
             ("years to close half of the gap", figures.fmt(tr.years_to_half_gap, 4, "never"), "gr-half")]
    path = tr.path
    years = path["year"].tolist()
    data = [dict(type="scatter", mode="lines", name="g_A (productivity)", x=years, y=(100 * path["g_A"]).tolist()),
            dict(type="scatter", mode="lines", name="g_K (capital)", x=years, y=(100 * path["g_K"]).tolist())]
    lay = figures.layout(f"Transition after β {before.beta:g} → {after.beta:g} at year 50", "year", "growth rate (% per year)")
    lay["shapes"] = [dict(type="line", xref="paper", x0=0, x1=1, y0=100 * after.g_A, y1=100 * after.g_A,
                          line=dict(dash="dot", color="grey", width=1))]
    lay["annotations"] = [dict(text="g_A* after", xref="paper", x=1, y=100 * after.g_A, showarrow=False, xanchor="right",
                               yanchor="bottom")]
    return cards, dict(data=data, layout=lay), ""


def estimate_draws(ctx):
    """Bootstrap draws of (beta-hat, gamma-hat) per model from the ideas capability (computed once per app)."""
    def build():
        from aiprogress.ideas.estimate import estimate
        from aiprogress.ideas.sample import prepare_sample

        sample = prepare_sample(ctx.table("benchmark_results"), models=ctx.table("models"), hardware=ctx.table("hardware"))
        return estimate(sample, n_boot=ESTIMATE_N_BOOT, seed=ESTIMATE_SEED).bootstrap_draws()

    return ctx.cached("growth:bootstrap_draws", build)


def estimate_outputs(ctx, model: str, values: dict):
    """(cards, figure, message) for the "from estimates" mode."""
    import plotly.graph_objects as go

    from aiprogress.errors import AiprogressError
    from aiprogress.growth import growth_distribution

    try:
        draws = estimate_draws(ctx)
    except (AiprogressError, OSError) as exc:
        return None, None, f"estimates unavailable: {exc}"
    sub = draws[draws["model"] == model]
    if sub.empty:
        return None, None, f"no bootstrap draws for model '{model}' (have {', '.join(sorted(draws['model'].unique()))})"
    try:
        dist = growth_distribution(sub["beta"].to_numpy(), sub["gamma"].to_numpy(), values["theta"], values["n"])
    except AiprogressError as exc:
        return None, None, str(exc)
    pc = dist.percentiles
    cards = [("median g_A*", f"{100 * pc['p50']:.3f} %/yr", "gr-p50"),
             ("90% interval", f"[{100 * pc['p5']:.3f}, {100 * pc['p95']:.3f}] %/yr", "gr-p90"),
             ("draws used / explosive", f"{dist.n_used} / {dist.n_explosive}", "gr-used")]
    g = dist.draws.loc[dist.draws["status"] == "ok", "g_A"] * 100
    fig = go.Figure(go.Histogram(x=g, nbinsx=60, name="g_A*"))
    fig.update_layout(title=f"Steady-state productivity growth over {dist.n_draws} bootstrap draws of model {model} "
                      f"(θ={values['theta']:g}, n={100 * values['n']:g}%)", xaxis_title="g_A* (% per year)",
                      yaxis_title="draws", **figures.LAYOUT)
    return cards, fig, ""


def _cards(items):
    return [html.Div([html.Div(label, className="label"), html.Div(value, className="value", id=ident)], className="card")
            for label, value, ident in items]


def layout(search: str, ctx):
    state, problems = decode_state(search, state_spec())
    if state["mode"] not in MODES:
        problems.append(f"unknown mode '{state['mode'][:20]}'")
        state["mode"] = "manual"
    controls = [param_control(PAGE, k, state[k], lo, hi, label=label, description=desc)
                for k, (_d, lo, hi, label, desc) in PARAMS.items()]
    return html.Div([
        html.H2("Growth: semi-endogenous growth with capital in R&D"),
        html.Div([
            html.Label("β and γ from"),
            dcc.RadioItems(id="gr-mode", options=[{"label": "the sliders", "value": "manual"},
                                                  {"label": "the ideas estimates (bootstrap draws)", "value": "estimates"}],
                           value=state["mode"], inline=True),
            html.Label("estimate model"),
            dcc.Dropdown(id="gr-est", options=[{"label": m, "value": m} for m in ("A1", "B1", "C1")], value=state["est"],
                         clearable=False, style={"width": "110px"}),
        ], className="toolbar"),
        html.Div("; ".join(problems), id="gr-msg", className="msg error" if problems else "msg"),
        html.Div([
            html.Div(controls, className="controls"),
            dcc.Loading(html.Div([html.Div(id="gr-cards", className="cards"), dcc.Graph(id="gr-figure")]), type="default",
                        className="main", parent_className="main"),
        ], className="row"),
        dcc.Location(id="gr-loc", refresh=False),
    ])


def register(app: Dash, ctx) -> None:
    @app.callback(Output("gr-cards", "children"), Output("gr-figure", "figure"), Output("gr-msg", "children"),
                  Output("gr-msg", "className"), Output("gr-loc", "search"),
                  Input(NUMS, "value"), Input("gr-mode", "value"), Input("gr-est", "value"), State(NUMS, "id"))
    def update(vals, mode, est, ids):
        return update_page(ctx, ids_values(ids, vals), mode, est)


def update_page(ctx, values: dict, mode: str, est: str):
    bad = [k for k, v in values.items() if not isinstance(v, (int, float)) or isinstance(v, bool)]
    if bad:
        return no_update, no_update, f"{', '.join(bad)}: enter a number", "msg error", no_update
    if mode == "estimates":
        cards, fig, msg = estimate_outputs(ctx, est, values)
    else:
        cards, fig, msg = manual_outputs(values)
    if cards is None:
        return no_update, no_update, msg, "msg error", no_update
    return _cards(cards), fig, "", "msg", encode_state({"mode": mode, "est": est, **values})


def page():
    from aiprogress.app.server import Page

    return Page("growth", PATH, "Growth", 20, layout, register)
