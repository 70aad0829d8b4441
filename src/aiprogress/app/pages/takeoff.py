"""Takeoff page: a registered takeoff model's parameters as sliders and number boxes, its trajectory and key numbers.

The parameter controls are generated from the model's declarations
(:mod:`aiprogress.app.models`). Presets are the shipped configs of the chosen
model; a scenario (preset + page values + seed + draws) is exported and imported
as the YAML the CLI reads, and a second scenario B can be pinned for a
side-by-side comparison. The Monte Carlo panel is :mod:`aiprogress.app.pages.takeoff_mc`.
"""

from __future__ import annotations

import math
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update
from dash import ctx as dash_ctx

from aiprogress.app import figures
from aiprogress.app.controls import ids_values, nums, param_control
from aiprogress.app.models import admissible
from aiprogress.app.state import decode_state, encode_state

PATH = "/takeoff"
PAGE = "tk"
NUMS = nums(PAGE)
UPLOADED = "uploaded"
NO_PRESET = "none"


def _views():
    from aiprogress.app.models import model_views

    return model_views()


def presets_for(model_key: str) -> list[str]:
    from aiprogress.app.scenario import presets_by_model

    return presets_by_model().get(model_key, [])


def state_spec(model) -> dict[str, tuple[type, Any]]:
    """URL state of the page: model, preset, every parameter, and scenario B (``b.<name>``)."""
    spec: dict[str, tuple[type, Any]] = {"model": (str, model.key), "preset": (str, None)}
    spec.update({p.name: (float, p.default) for p in model.params})
    spec.update({f"b.{p.name}": (float, None) for p in model.params})
    return spec


def parse_url(search: str) -> tuple[Any, str, dict, dict | None, list[str]]:
    """(model, preset, values, B values or None, problems) from a query string.

    Without parameters in the link the preset's representative values are used.
    """
    views = _views()
    first_key = next(iter(views))
    head, _ = decode_state(search, {"model": (str, first_key)})
    problems = []
    model = views.get(head["model"])
    if model is None:
        problems.append(f"unknown model '{head['model'][:40]}'; using {first_key}")
        model = views[first_key]
    state, more = decode_state(search, state_spec(model))
    problems += more
    presets = presets_for(model.key)
    preset = state["preset"]
    if preset in (None, ""):
        preset = presets[0] if presets else NO_PRESET
    elif preset not in presets and preset != NO_PRESET:
        problems.append(f"unknown preset '{preset[:40]}' for model {model.key}")
        preset = presets[0] if presets else NO_PRESET
    values = {p.name: state[p.name] for p in model.params}
    given = bool(search) and any(f"{p.name}=" in search for p in model.params)
    if not given and preset != NO_PRESET:
        values = preset_values(preset, model)
    b = {p.name: state[f"b.{p.name}"] for p in model.params}
    b = b if all(v is not None for v in b.values()) else None
    return model, preset, values, b, problems


def page_search(model_key: str, preset: str, values: dict, b: dict | None) -> str:
    state = {"model": model_key, "preset": preset if preset != UPLOADED else NO_PRESET, **values}
    if b:
        state.update({f"b.{k}": v for k, v in b.items()})
    return encode_state(state)


# ---------------------------------------------------------------- pure functions (the callbacks call these)

def check_values(model, values: dict) -> list[str]:
    """One line per inadmissible value, using the model's declared bounds."""
    bad = []
    for p in model.params:
        v = values.get(p.name)
        if not admissible(p, v):
            bad.append(f"{p.name} = {v!r} is outside its admissible range {p.bounds_text}")
    return bad


def number_cards(n: dict) -> list[tuple[str, str, str, str]]:
    """(label, value, css class, element id) of the key numbers the library returned."""
    cards = [
        (f"time to {n['sie_ooms']:g} OOMs", "never" if n["never_reaches_sie_ooms"] else f"{figures.fmt(n['days_to_sie_ooms'] / 30.4375)} months", "", "k-time"),
        (f"SIE verdict ({n['sie_ooms']:g} OOMs < {n['sie_days']:g} days)", "SIE" if n["sie"] else "no SIE", "yes" if n["sie"] else "no", "k-sie"),
        ("peak growth", "unbounded" if n["peak_unbounded"] else f"{figures.fmt(n['peak_ooms_per_year'])} OOMs/yr", "", "k-peak"),
    ]
    for c in n.get("compression", []):
        cards.append((f"most progress in {c['y_months']:g} months", f"{figures.fmt(c['max_years'])} years", "", f"k-comp{c['y_months']:g}"))
    return cards


def key_numbers(numbers: dict) -> list:
    return [html.Div([html.Div(label, className="label"), html.Div(value, className="value", id=ident)], className=f"card {cls}")
            for label, value, cls, ident in number_cards(numbers)]


def compute(model_key: str, values: dict, b_values: dict | None = None):
    """(figure, key-number cards, numbers, B numbers, message) for the page's values."""
    model = _views()[model_key]
    bad = check_values(model, values)
    if b_values and check_values(model, b_values):
        b_values = None
    if bad:
        return None, None, None, None, "; ".join(bad)
    from aiprogress.errors import AiprogressError

    try:
        a = model.simulate(values)
        b = model.simulate(b_values) if b_values else None
    except AiprogressError as exc:
        return None, None, None, None, str(exc)
    paths = {"scenario A (this page)" if b else "this scenario": (a.time_years, a.log10_software)}
    if b:
        paths["scenario B (pinned)"] = (b.time_years, b.log10_software)
    n = a.numbers
    fig = figures.trajectories(paths, model.title, sie=(n["sie_ooms"], n["sie_days"] / 365.25))
    if n.get("conversion"):
        fig["layout"]["margin"]["b"] = 105
        fig["layout"].setdefault("annotations", []).append(dict(
            text=f"compression: {n['conversion']}; windows start within {n['horizon_years']:g} years",
            xref="paper", yref="paper", x=0, y=-0.3, xanchor="left", yanchor="top", showarrow=False, font=dict(size=10, color="#666")))
    return fig, key_numbers(n), n, (b.numbers if b else None), ""


def compare_table(a: dict | None, b: dict | None, a_values: dict, b_values: dict | None):
    if not a or not b or not b_values:
        return html.P("Pin the current values as scenario B to compare two scenarios side by side.", className="msg")

    def row(label, x, y):
        return html.Tr([html.Td(label), html.Td(x), html.Td(y)])

    ca = {label: value for label, value, _c, _i in number_cards(a)}
    cb = {label: value for label, value, _c, _i in number_cards(b)}
    rows = [row(label, ca[label], cb.get(label, "—")) for label in ca]
    rows += [row(k, figures.fmt(a_values[k]), figures.fmt(b_values[k])) for k in a_values if a_values[k] != b_values.get(k)]
    return html.Div([html.B("Compare: scenario A (this page) vs scenario B (pinned)"),
                     html.Table([html.Thead(html.Tr([html.Th(""), html.Th("A"), html.Th("B")])), html.Tbody(rows)],
                                className="kv", id="tk-compare-table")])


def base_config(base: dict | None, preset: str | None):
    """(YAML text, parsed config) of the scenario's base: an uploaded file, a shipped preset, or (None, None)."""
    from aiprogress.app.scenario import parse, shipped

    if base and base.get("preset") == UPLOADED and base.get("text"):
        return base["text"], parse(base["text"], base.get("name") or "upload")
    if preset and preset not in (UPLOADED, NO_PRESET):
        return shipped(preset)
    return None, None


def preset_values(preset: str, model) -> dict[str, float]:
    from aiprogress.app.scenario import representative_values

    _text, cfg = base_config(None, preset)
    rep = representative_values(cfg)
    return {p.name: rep.get(p.name, p.default) for p in model.params}


def import_scenario(contents: str | None, filename: str | None) -> dict:
    """Parse an uploaded scenario; returns {error} or {model, values, text, name, message, seed, draws}."""
    from aiprogress.app.scenario import representative_values
    from aiprogress.app.uploads import UploadError, parse_scenario_upload, safe_name

    try:
        text, cfg = parse_scenario_upload(contents, filename)
        rep = representative_values(cfg)
        model = _views()[cfg.model]
    except UploadError as exc:
        return {"error": f"import failed: {exc}"}
    except Exception as exc:  # noqa: BLE001 - the page shows a message, never a traceback
        return {"error": f"import failed: {type(exc).__name__}: {exc}"[:300]}
    name = safe_name(filename)
    return {"error": None, "model": cfg.model, "values": {p.name: rep.get(p.name, p.default) for p in model.params},
            "text": text, "name": name, "seed": cfg.seed, "draws": cfg.draws,
            "message": f"imported {name}: model {cfg.model}, {len(cfg.uncertain)} uncertain parameters"}


def export_scenario(base: dict | None, preset: str | None, model_key: str, values: dict, seed=None, draws=None):
    """(YAML text, None) or (None, error message)."""
    from aiprogress.app.scenario import scenario_config
    from aiprogress.errors import AiprogressError

    model = _views()[model_key]
    bad = check_values(model, values)
    if bad:
        return None, "cannot export: " + "; ".join(bad)
    try:
        text, cfg = base_config(base, preset)
        out, _parsed = scenario_config(text, cfg, model_key, values, seed=_int_or_none(seed), draws=_int_or_none(draws))
    except AiprogressError as exc:
        return None, f"cannot export: {exc}"
    return out, None


def _int_or_none(x):
    return int(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x == int(x) else None


# ---------------------------------------------------------------- layout

def _controls(model, values: dict) -> list:
    from aiprogress.app.models import slider_range

    out = []
    for p in model.params:
        lo, hi, log = slider_range(p)
        out.append(param_control(PAGE, p.name, values[p.name], lo, hi, log=log, unit=p.unit, description=p.description))
    return out


def _preset_options(model_key: str, uploaded: bool = False) -> list[dict]:
    opts = [{"label": n, "value": n} for n in presets_for(model_key)]
    opts.append({"label": "(none: model defaults)", "value": NO_PRESET})
    if uploaded:
        opts.append({"label": "uploaded file", "value": UPLOADED})
    return opts


def layout(search: str, ctx):
    model, preset, values, b, problems = parse_url(search)
    views = _views()
    msg = "; ".join(problems)
    from aiprogress.app.pages import takeoff_mc

    return html.Div([
        html.H2("Takeoff: software progress after AI research is automated"),
        html.Div([
            html.Label("model"), dcc.Dropdown(id="tk-model", options=[{"label": v.title, "value": k} for k, v in views.items()],
                                              value=model.key, clearable=False, style={"width": "360px"}),
            html.Label("preset"), dcc.Dropdown(id="tk-preset", options=_preset_options(model.key), value=preset,
                                               clearable=False, style={"width": "260px"}),
            html.Button("reset to preset", id="tk-load-preset"),
            dcc.Upload(html.Span("import scenario (YAML)"), id="tk-upload", className="upload", max_size=64 * 1024, multiple=False),
            html.Button("export scenario", id="tk-export"), dcc.Download(id="tk-download"),
            html.Button("pin as B", id="tk-pin"), html.Button("clear B", id="tk-clear-b"),
        ], className="toolbar"),
        html.Div(model.description, className="param-desc", id="tk-model-desc"),
        html.Div(msg, id="tk-msg", className="msg error" if msg else "msg"),
        html.Div(id="tk-upload-msg", className="msg"),
        html.Div([
            html.Div(_controls(model, values), id="tk-params", className="controls"),
            html.Div([
                html.Div(id="tk-numbers", className="cards"),
                dcc.Graph(id="tk-figure", config={"displaylogo": False}),
                html.Div(id="tk-compare", className="panel"),
            ], className="main"),
        ], className="row"),
        dcc.Store(id="tk-b", data=b),
        dcc.Store(id="tk-base", data={"preset": preset, "text": None, "name": None}),
        dcc.Location(id="tk-loc", refresh=False),
        takeoff_mc.panel(),
    ])


# ---------------------------------------------------------------- callbacks

def register(app: Dash, ctx) -> None:
    from aiprogress.app.pages import takeoff_mc

    @app.callback(
        Output("tk-figure", "figure"), Output("tk-numbers", "children"), Output("tk-msg", "children"),
        Output("tk-msg", "className"), Output("tk-loc", "search"), Output("tk-compare", "children"),
        Input(NUMS, "value"), Input("tk-b", "data"),
        State(NUMS, "id"), State("tk-model", "value"), State("tk-preset", "value"),
    )
    def update(vals, b, ids, model_key, preset):
        values = ids_values(ids, vals)
        model = _views()[model_key]
        if set(values) != {p.name for p in model.params}:  # controls of another model still on the page
            return (no_update,) * 6
        fig, cards, a_num, b_num, msg = compute(model_key, values, b)
        if fig is None:
            return no_update, no_update, msg, "msg error", no_update, no_update
        return fig, cards, "", "msg", page_search(model_key, preset, values, b), compare_table(a_num, b_num, values, b)

    @app.callback(Output("tk-b", "data"), Input("tk-pin", "n_clicks"), Input("tk-clear-b", "n_clicks"),
                  State(NUMS, "value"), State(NUMS, "id"), State("tk-model", "value"), prevent_initial_call=True)
    def pin(_n, _c, vals, ids, model_key):
        if dash_ctx.triggered_id == "tk-clear-b":
            return None
        values = ids_values(ids, vals)
        return None if check_values(_views()[model_key], values) else values

    @app.callback(
        Output("tk-params", "children"), Output("tk-preset", "options"), Output("tk-preset", "value"),
        Output("tk-base", "data"), Output("tk-upload-msg", "children"), Output("tk-upload-msg", "className"),
        Output("tk-model", "value"), Output("tk-b", "data", allow_duplicate=True), Output("tk-model-desc", "children"),
        Output("mc-seed", "value"), Output("mc-draws", "value"),
        Input("tk-model", "value"), Input("tk-preset", "value"), Input("tk-load-preset", "n_clicks"), Input("tk-upload", "contents"),
        State("tk-upload", "filename"), State("tk-base", "data"), prevent_initial_call=True,
    )
    def load(model_key, preset, _n, contents, filename, base):
        return load_controls(dash_ctx.triggered_id, model_key, preset, contents, filename, base)

    @app.callback(Output("tk-download", "data"), Output("tk-upload-msg", "children", allow_duplicate=True),
                  Output("tk-upload-msg", "className", allow_duplicate=True),
                  Input("tk-export", "n_clicks"), State(NUMS, "value"), State(NUMS, "id"), State("tk-base", "data"),
                  State("tk-preset", "value"), State("tk-model", "value"), State("mc-seed", "value"), State("mc-draws", "value"),
                  prevent_initial_call=True)
    def export(_n, vals, ids, base, preset, model_key, seed, draws):
        text, error = export_scenario(base, preset, model_key, ids_values(ids, vals), seed, draws)
        if error:
            return no_update, error, "msg error"
        return dict(content=text, filename="scenario.yaml"), "exported scenario.yaml", "msg ok"

    takeoff_mc.register(app, ctx)


def load_controls(trigger, model_key, preset, contents, filename, base):
    """Rebuild the parameter controls after a model / preset change, a reset or an upload.

    Returns the outputs of the ``load`` callback (see :func:`register`).
    """
    keep = no_update
    views = _views()
    if trigger == "tk-upload":
        res = import_scenario(contents, filename)
        if res["error"]:
            return (keep,) * 4 + (res["error"], "msg error") + (keep,) * 5
        model = views[res["model"]]
        return (_controls(model, res["values"]), _preset_options(model.key, uploaded=True), UPLOADED,
                {"preset": UPLOADED, "text": res["text"], "name": res["name"]}, res["message"], "msg ok",
                model.key, None, model.description, res["seed"] if res["seed"] is not None else keep,
                res["draws"] if res["draws"] in (1_000, 10_000, 100_000, 1_000_000) else keep)
    model = views[model_key]
    if trigger == "tk-model":
        presets = presets_for(model.key)
        preset = presets[0] if presets else NO_PRESET
    if preset == UPLOADED and base and base.get("text"):
        _text, cfg = base_config(base, preset)
        from aiprogress.app.scenario import representative_values

        rep = representative_values(cfg)
        values = {p.name: rep.get(p.name, p.default) for p in model.params}
        new_base = base
    elif preset in (NO_PRESET, UPLOADED):
        values, preset, new_base = model.defaults(), NO_PRESET, {"preset": NO_PRESET, "text": None, "name": None}
    else:
        values, new_base = preset_values(preset, model), {"preset": preset, "text": None, "name": None}
    msg = f"values of preset '{preset}'" if preset != NO_PRESET else "model defaults"
    return (_controls(model, values), _preset_options(model.key, uploaded=preset == UPLOADED), preset, new_base,
            msg, "msg", keep, None if trigger == "tk-model" else keep, model.description, keep, keep)


def page():
    from aiprogress.app.server import Page

    return Page("takeoff", PATH, "Takeoff", 10, layout, register)
