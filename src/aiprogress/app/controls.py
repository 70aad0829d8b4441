"""Slider + number box pairs, shared by every page.

A control for parameter ``name`` on page ``page`` is a number box with id
``{"type": "num", "page": page, "name": name}`` and a slider with id
``{"type": "slider", "page": page, "name": name}`` (class ``log-slider`` when on a log10 scale). One callback
(:func:`register_sync`) keeps each pair in step: dragging the slider writes the
value (rounded to 4 significant digits) into the box, typing into the box moves
the slider. Pages read the number boxes (``{"type": "num", "page": page, "name": ALL}``).
"""

from __future__ import annotations

import math

from dash import MATCH, Dash, Input, Output, State, dcc, html, no_update
from dash import ctx as dash_ctx

from aiprogress.app.figures import fmt


def num_id(page: str, name: str) -> dict:
    return {"type": "num", "page": page, "name": name}


def nums(page: str, name=None) -> dict:
    from dash import ALL

    return {"type": "num", "page": page, "name": ALL if name is None else name}


def slider_to_value(v: float, log: bool) -> float:
    x = 10.0 ** v if log else v
    return float(f"{x:.4g}")


def value_to_slider(x, log: bool) -> float | None:
    if not isinstance(x, (int, float)) or isinstance(x, bool) or math.isnan(x) or (log and x <= 0) or math.isinf(x):
        return None
    return math.log10(x) if log else float(x)


def param_control(page: str, name: str, value: float, lo: float, hi: float, *, log: bool = False,
                  label: str | None = None, unit: str = "", description: str = ""):
    s_lo, s_hi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
    sv = value_to_slider(value, log)
    sv = min(max(sv, s_lo), s_hi) if sv is not None else s_lo
    head = (label or name) + (f" [{unit}]" if unit else "")
    return html.Div([
        html.Div([html.B(head), dcc.Input(id=num_id(page, name), type="number", value=value, debounce=True, step="any")],
                 className="param-head"),
        dcc.Slider(id={"type": "slider", "page": page, "name": name}, className="log-slider" if log else "lin-slider", min=s_lo, max=s_hi, value=sv,
                   step=(s_hi - s_lo) / 200, marks={s_lo: fmt(lo, 3), s_hi: fmt(hi, 3)}, updatemode="drag"),
        html.Div(description, className="param-desc") if description else None,
    ], className="param")


def ids_values(ids, vals) -> dict:
    return {i["name"]: v for i, v in zip(ids, vals)}


def register_sync(app: Dash) -> None:
    slider = {"type": "slider", "page": MATCH, "name": MATCH}
    box = {"type": "num", "page": MATCH, "name": MATCH}

    @app.callback(Output(box, "value"), Output(slider, "value"), Input(slider, "value"), Input(box, "value"),
                  State(slider, "className"), State(slider, "min"), State(slider, "max"), prevent_initial_call=True)
    def sync(s_value, number, cls, smin, smax):
        log = cls == "log-slider"
        trig = dash_ctx.triggered_id
        if trig and trig.get("type") == "slider":
            return slider_to_value(s_value, log), no_update
        sv = value_to_slider(number, log)
        if sv is None:
            return no_update, no_update
        return no_update, min(max(sv, smin), smax)
