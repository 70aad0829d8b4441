"""Plotly figures of the explorer (drawing only: every number comes from a library result)."""

from __future__ import annotations

import math

import numpy as np

MONTH_DAYS = 365.25 / 12
LAYOUT = dict(template="plotly_white", margin=dict(l=60, r=20, t=95, b=50), height=440, title_y=0.97, title_yanchor="top",
              legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))


def layout(title: str, xtitle: str, ytitle: str, **extra) -> dict:
    """A plain Plotly layout dict in the explorer's style (white, light grid).

    Hot-path figures are plain dicts: building ``go.Figure`` objects validates every
    property and costs ~0.2 s per figure, most of a slider update's budget.
    """
    axis = dict(gridcolor="#e5e5e5", zerolinecolor="#cccccc", linecolor="#888", automargin=True)
    out = dict(title=dict(text=title, y=0.97, yanchor="top", x=0.05), paper_bgcolor="white", plot_bgcolor="white",
               margin=dict(l=60, r=20, t=95, b=60), height=440, hovermode="closest",
               legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
               xaxis=dict(axis, title=dict(text=xtitle)), yaxis=dict(axis, title=dict(text=ytitle)),
               font=dict(family="-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif", size=12, color="#2a3f5f"))
    out.update(extra)
    return out


def _list(a) -> list:
    return [float(x) for x in np.asarray(a, dtype=float)]


def trajectories(paths: dict[str, tuple[np.ndarray, np.ndarray]], title: str = "Software progress after automation",
                 sie: tuple[float, float] | None = (5.0, 1.0)) -> dict:
    """Software OOMs vs months for one or more (time_years, log10_software) paths (a plain figure dict).

    ``sie`` = (OOMs, years) draws the SIE threshold (dotted lines).
    """
    xmax = x_extent(paths, sie)
    data = []
    for label, (t, y) in paths.items():
        x = np.asarray(t, dtype=float) * 12.0
        y = np.asarray(y, dtype=float)
        keep = x <= xmax * 1.2
        if keep.sum() < x.size:  # one point past the view so the line leaves the frame
            keep[int(np.argmin(keep))] = True
        data.append(dict(type="scatter", mode="lines", name=label, x=_list(x[keep]), y=_list(y[keep])))
    lay = layout(title, "months after automation", "software gain (OOMs of effective compute)")
    lay["xaxis"]["range"] = [0, xmax]
    if sie is not None:
        dot = dict(color="grey", dash="dot", width=1)
        lay["shapes"] = [dict(type="line", xref="paper", x0=0, x1=1, y0=sie[0], y1=sie[0], line=dot),
                         dict(type="line", yref="paper", y0=0, y1=1, x0=sie[1] * 12.0, x1=sie[1] * 12.0, line=dot)]
        lay["annotations"] = [dict(text=f"SIE: {sie[0]:g} OOMs within {sie[1] * 12:.3g} months", x=sie[1] * 12.0, y=1,
                                   xref="x", yref="paper", showarrow=False, xanchor="left", yanchor="bottom")]
    return dict(data=data, layout=lay)


def x_extent(paths: dict, sie: tuple[float, float] | None, max_months: float = 120.0) -> float:
    """Months shown: twice the time the slowest path takes to the SIE level (at least 2 x the SIE window), at most 10 years."""

    need = 24.0 if sie is None else 2 * sie[1] * 12.0
    level = sie[0] if sie is not None else 5.0
    for t, y in paths.values():
        t = np.asarray(t, dtype=float) * 12.0
        y = np.asarray(y, dtype=float)
        hit = np.flatnonzero(y >= level)
        need = max(need, 2 * t[hit[0]] if hit.size else max_months)
    return float(min(need, max_months))


def fan_chart(fan, sie_ooms: float, sie_days: float, title: str):
    """Fan chart from ``MonteCarloResult.fan_chart()``: quantiles of the days to reach each OOM level."""
    import plotly.graph_objects as go

    horizon = 3 * sie_days
    y = np.concatenate([[0.0], fan["ooms"].to_numpy(float)])

    def col(name):
        x = np.concatenate([[0.0], fan[name].to_numpy(float)])
        return np.minimum(x, horizon * 1.01) / MONTH_DAYS

    fig = go.Figure()
    for lo, hi, alpha, label in (("days_q10", "days_q90", 0.18, "10-90%"), ("days_q25", "days_q75", 0.35, "25-75%")):
        fig.add_trace(go.Scatter(x=np.concatenate([col(lo), col(hi)[::-1]]), y=np.concatenate([y, y[::-1]]),
                                 fill="toself", fillcolor=f"rgba(31,119,180,{alpha})", line=dict(width=0),
                                 name=label, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=col("days_q50"), y=y, mode="lines", name="median", line=dict(color="rgb(31,119,180)")))
    fig.add_hline(y=sie_ooms, line=dict(color="grey", dash="dot", width=1))
    fig.add_vline(x=sie_days / MONTH_DAYS, line=dict(color="grey", dash="dot", width=1))
    fig.update_layout(title=title, xaxis_title="months after automation", yaxis_title="software gain (OOMs)",
                      xaxis_range=[0, horizon / MONTH_DAYS], **LAYOUT)
    return fig


def bin_spread_bars(spreads: dict, title: str):
    """For each parameter, P(SIE) in its lowest and highest quintile (``MonteCarloResult.p_sie_by``)."""
    import plotly.graph_objects as go

    names = sorted(spreads, key=lambda k: float(spreads[k]["p_sie"].max() - spreads[k]["p_sie"].min()))
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[float(spreads[k]["p_sie"].iloc[0]) for k in names], orientation="h", name="lowest quintile"))
    fig.add_trace(go.Bar(y=names, x=[float(spreads[k]["p_sie"].iloc[-1]) for k in names], orientation="h", name="highest quintile"))
    layout = dict(LAYOUT, height=max(260, 28 * len(names) + 120))
    fig.update_layout(title=title, xaxis_title="P(SIE) within the quintile", barmode="group", **layout)
    return fig


def sensitivity_bars(indices, title: str):
    """Bars of total and first-order Sobol indices (``SensitivityResult.indices``)."""
    import plotly.graph_objects as go

    f = indices.iloc[::-1]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=f["parameter"], x=f["ST"], error_x=dict(array=f["ST_conf"]), orientation="h", name="total (ST)"))
    fig.add_trace(go.Bar(y=f["parameter"], x=f["S1"], error_x=dict(array=f["S1_conf"]), orientation="h", name="first order (S1)"))
    layout = dict(LAYOUT, height=max(260, 28 * len(f) + 120))
    fig.update_layout(title=title, xaxis_title="Sobol index", barmode="group", **layout)
    return fig


def empty(message: str, height: int = 300):
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=14))
    fig.update_layout(template="plotly_white", height=height, xaxis_visible=False, yaxis_visible=False,
                      margin=dict(l=20, r=20, t=20, b=20))
    return fig


def fmt(x, digits: int = 4, none: str = "—") -> str:
    """Readable number (None / non-finite -> ``none``)."""

    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return none
    return f"{x:.{digits}g}"
