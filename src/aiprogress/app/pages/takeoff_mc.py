"""Monte Carlo panel of the takeoff page: run the scenario's config with progress and cancel.

The run happens in a background thread (:mod:`aiprogress.app.jobs`); a
``dcc.Interval`` polls it. Results: P(SIE) with its Monte Carlo standard error,
the fan chart and the Sobol sensitivity bars, and the CLI command that
reproduces the numbers from the exported scenario file.
"""

from __future__ import annotations

from dash import Dash, Input, Output, State, dcc, html, no_update

from aiprogress.app import figures
from aiprogress.app.pages.takeoff import NUMS

DRAW_CHOICES = (1_000, 10_000, 100_000, 1_000_000)
MAX_SEED = 2**31 - 1


def panel():
    return html.Div([
        html.H3("Monte Carlo over the scenario's uncertain parameters"),
        html.P("Runs the exported scenario: the preset's distributions, with every parameter you moved fixed at your value.",
               className="param-desc"),
        html.Div([
            html.Label("draws"), dcc.Dropdown(id="mc-draws", options=[{"label": f"{d:,}", "value": d} for d in DRAW_CHOICES],
                                              value=10_000, clearable=False, style={"width": "130px"}),
            html.Label("seed"), dcc.Input(id="mc-seed", type="number", value=0, min=0, max=MAX_SEED, step=1, style={"width": "7em"}),
            html.Button("run Monte Carlo", id="mc-run"), html.Button("cancel", id="mc-cancel"),
            html.Progress(id="mc-progress", value="0", max="1", style={"width": "220px"}),
            html.Span(id="mc-status", className="msg"),
        ], className="toolbar"),
        html.Div(id="mc-summary", className="cards"),
        html.Div([dcc.Graph(id="mc-fan", figure=figures.empty("run the Monte Carlo to see the fan chart"), style={"flex": "1 1 500px"}),
                  dcc.Graph(id="mc-sens", figure=figures.empty("sensitivity bars appear after a run"), style={"flex": "1 1 420px"})],
                 className="row"),
        html.Div(id="mc-cmd", className="param-desc"),
        dcc.Store(id="mc-job"),
        dcc.Interval(id="mc-poll", interval=500, disabled=True),
    ], className="panel")


def start_run(ctx, base: dict | None, preset: str, model_key: str, values: dict, draws, seed):
    """Start a job for the scenario; returns (job id or None, message)."""
    from aiprogress.app.pages.takeoff import _views, base_config, check_values
    from aiprogress.app.scenario import scenario_config
    from aiprogress.errors import AiprogressError

    if draws not in DRAW_CHOICES:
        return None, f"draws must be one of {', '.join(map(str, DRAW_CHOICES))}"
    if not isinstance(seed, (int, float)) or seed != int(seed) or not 0 <= seed <= MAX_SEED:
        return None, f"seed must be an integer in [0, {MAX_SEED}]"
    bad = check_values(_views()[model_key], values)
    if bad:
        return None, "cannot run: " + "; ".join(bad)
    try:
        text, cfg = base_config(base, preset)
        _yaml, scenario = scenario_config(text, cfg, model_key, values, seed=int(seed), draws=int(draws))
    except AiprogressError as exc:
        return None, f"cannot run: {exc}"
    try:
        job = ctx.jobs.start(scenario, int(draws), int(seed))
    except RuntimeError as exc:
        return None, str(exc)
    return job.id, f"running {draws:,} draws"


def job_outputs(job):
    """(progress value, status text, summary cards, fan figure, sensitivity figure, command, finished)."""
    if job is None:
        return "0", "no such run", no_update, no_update, no_update, no_update, True
    frac = f"{job.done / max(job.total, 1):.4f}"
    if job.status == "running":
        text = f"{job.done:,} / {job.total:,} draws" + (" done; Sobol sensitivity..." if job.phase == "sensitivity" else "")
        return frac, text, no_update, no_update, no_update, no_update, False
    if job.status == "cancelled":
        return frac, f"cancelled after {job.done:,} draws", no_update, no_update, no_update, no_update, True
    if job.status == "error":
        return frac, f"failed: {job.error}", no_update, no_update, no_update, no_update, True
    with job.lock:  # build the finished outputs once; later polls reuse them
        if job.outputs is None:
            job.outputs = _finished_outputs(job)
    return job.outputs


def _finished_outputs(job):
    r = job.result
    cards = [
        html.Div([html.Div(f"P(SIE: {r.sie_ooms:g} OOMs < {r.sie_days:g} days)", className="label"),
                  html.Div(f"{r.p_sie:.4f} ± {r.p_sie_se:.4f}", className="value", id="mc-psie")], className="card"),
        html.Div([html.Div("median days to the SIE level", className="label"),
                  html.Div(figures.fmt(r.quantiles_days_to_sie_ooms()[0.5], none="never"), className="value")], className="card"),
        html.Div([html.Div("draws, seconds", className="label"),
                  html.Div(f"{r.draws:,} in {job.seconds:.2f} s", className="value")], className="card"),
    ]
    fan = figures.fan_chart(r.fan_chart(), r.sie_ooms, r.sie_days,
                            f"P(SIE) = {r.p_sie:.3f} ± {r.p_sie_se:.3f} ({r.draws:,} draws)")
    sens = sensitivity_figure(job)
    cmd = html.Span(["same numbers from the CLI: ",
                     html.Code(f"aiprogress takeoff monte-carlo --config scenario.yaml --draws {r.draws} --seed {r.seed}",
                               className="cmd"), " (scenario.yaml = 'export scenario')"])
    return "1", f"done: {r.draws:,} draws in {job.seconds:.2f} s", cards, fan, sens, cmd, True


def sensitivity_figure(job):
    """Sobol bars when the library's sensitivity ran, else P(SIE) across quintiles of each uncertain parameter."""
    r = job.result
    if job.sensitivity is not None:
        s = job.sensitivity
        return figures.sensitivity_bars(s.indices, f"Sobol indices of the SIE verdict ({s.evaluations:,} runs)")
    if r.samples.shape[1] == 0:
        return figures.empty("no uncertain parameters: nothing to attribute")
    spreads = {name: r.p_sie_by(name) for name in r.samples.columns}
    return figures.bin_spread_bars(spreads, f"P(SIE) across quintiles of each parameter ({r.draws:,} draws)")


def register(app: Dash, ctx) -> None:
    @app.callback(
        Output("mc-job", "data"), Output("mc-poll", "disabled"), Output("mc-status", "children"),
        Input("mc-run", "n_clicks"),
        State("tk-base", "data"), State("tk-preset", "value"), State(NUMS, "value"),
        State(NUMS, "id"), State("mc-draws", "value"), State("mc-seed", "value"), State("tk-model", "value"),
        prevent_initial_call=True,
    )
    def run(_n, base, preset, vals, ids, draws, seed, model_key):
        values = {i["name"]: v for i, v in zip(ids, vals)}
        job_id, msg = start_run(ctx, base, preset, model_key, values, draws, seed)
        return job_id, job_id is None, msg

    @app.callback(Output("mc-status", "children", allow_duplicate=True), Input("mc-cancel", "n_clicks"),
                  State("mc-job", "data"), prevent_initial_call=True)
    def cancel(_n, job_id):
        return "cancelling..." if ctx.jobs.cancel(job_id) else no_update

    @app.callback(
        Output("mc-progress", "value"), Output("mc-status", "children", allow_duplicate=True), Output("mc-summary", "children"),
        Output("mc-fan", "figure"), Output("mc-sens", "figure"), Output("mc-cmd", "children"),
        Output("mc-poll", "disabled", allow_duplicate=True),
        Input("mc-poll", "n_intervals"), State("mc-job", "data"), prevent_initial_call=True,
    )
    def poll(_n, job_id):
        out = job_outputs(ctx.jobs.get(job_id))
        return out[:6] + (out[6],)
