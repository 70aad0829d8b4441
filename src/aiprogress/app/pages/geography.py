"""Geography page: where deep learning is made (RCA by country, concentration), with corpus and period selectors.

Every number comes from :mod:`aiprogress.geography` (``pipeline.analyse`` for the
corpus, ``metrics.rca_table`` and ``metrics.concentration_by`` with bootstrap
intervals over papers). RCA is drawn as bars with intervals rather than a map:
Plotly's map needs base-map files from a CDN, and the explorer stays offline. The page exists only when the geography capability is
installed (:func:`page` returns None otherwise).
"""

from __future__ import annotations

import importlib.util

from dash import Dash, Input, Output, dash_table, dcc, html, no_update

from aiprogress.app import figures
from aiprogress.app.state import decode_state, encode_state

PATH = "/geography"
CORPORA = {"epoch": "Epoch AI models (organisations' countries)", "arxiv": "arXiv AI listings (authors located via Epoch)"}
PERIODS = {"all": "all years", "before 2012": "before 2012", "2012 on": "2012 on"}
DRAWS = 100  # bootstrap draws over papers, as the report uses
SEED = 0


def analysis(ctx, corpus: str):
    from aiprogress.geography.pipeline import analyse

    return ctx.cached(f"geography:{corpus}", lambda: analyse(corpus, ctx.data_dir, seed=SEED))


def rca(ctx, corpus: str, period: str):
    """The RCA table for the corpus and period (``metrics.rca_table``)."""
    from aiprogress.geography import metrics

    an = analysis(ctx, corpus)
    if period == "all":
        return metrics.rca_table(an.activity("country_code"), draws=DRAWS, seed=SEED, min_activity=5.0)
    tab = metrics.rca_table(an.activity("country_code", period=2012), group="period", draws=DRAWS, seed=SEED)
    return tab[tab["group"] == period].drop(columns="group")


def concentration(ctx, corpus: str):
    from aiprogress.geography import metrics

    return metrics.concentration_by(analysis(ctx, corpus).activity("country_code"), group="year", draws=DRAWS, seed=SEED)


def rca_figure(tab, title: str, top: int = 25) -> dict:
    """RCA of the most active countries with 95% bootstrap intervals (bars; 1 = no specialisation)."""
    t = tab.sort_values("all", ascending=False).head(top).iloc[::-1]
    bar = dict(type="bar", orientation="h", y=t["location"].tolist(), x=[float(v) for v in t["rca"]],
               marker=dict(color=["#b2182b" if v > 1 else "#2166ac" for v in t["rca"]]),
               error_x=dict(type="data", symmetric=False, array=(t["rca_high"] - t["rca"]).tolist(),
                            arrayminus=(t["rca"] - t["rca_low"]).tolist()),
               hovertemplate="%{y}: RCA %{x:.2f}<extra></extra>", name="RCA")
    lay = figures.layout(title, "RCA (95% bootstrap interval)", "", height=max(360, 22 * len(t) + 140), showlegend=False)
    lay["shapes"] = [dict(type="line", yref="paper", y0=0, y1=1, x0=1, x1=1, line=dict(color="grey", dash="dot", width=1))]
    return dict(data=[bar], layout=lay)


def concentration_figure(conc) -> dict:
    conc = conc[conc["year"] >= 2009]
    yrs = conc["year"].tolist()
    data = []
    for col, lo, hi, name in (("hhi", "hhi_low", "hhi_high", "HHI"), ("top10_share", "top10_low", "top10_high", "top-10 share")):
        data.append(dict(type="scatter", mode="lines+markers", name=name, x=yrs, y=conc[col].tolist(),
                         error_y=dict(type="data", symmetric=False, array=(conc[hi] - conc[col]).tolist(),
                                      arrayminus=(conc[col] - conc[lo]).tolist())))
    return dict(data=data, layout=figures.layout("Concentration of DL activity across countries (95% bootstrap intervals)",
                                                 "year", "HHI / top-10 share"))


def update_page(ctx, corpus: str, period: str):
    """(map, table rows, table columns, concentration figure, message, class, search)."""
    if corpus not in CORPORA or period not in PERIODS:
        return no_update, no_update, no_update, no_update, "unknown corpus or period", "msg error", no_update
    try:
        tab = rca(ctx, corpus, period)
        conc = concentration(ctx, corpus)
    except Exception as exc:  # noqa: BLE001 - data missing or capability error: a one-line message
        return no_update, no_update, no_update, no_update, f"geography unavailable: {exc}"[:300], "msg error", no_update
    if tab.empty:
        return no_update, no_update, no_update, no_update, f"no located activity for {period} in {corpus}", "msg error", no_update
    top = tab.sort_values("all", ascending=False).head(20)[["location", "dl", "all", "rca", "rca_low", "rca_high"]].round(3)
    title = f"DL RCA of the 25 most active countries: {CORPORA[corpus]}, {PERIODS[period]}"
    return (rca_figure(tab, title), top.to_dict("records"), [{"name": c, "id": c} for c in top.columns],
            concentration_figure(conc), "", "msg", encode_state({"corpus": corpus, "period": period}))


def layout(search: str, ctx):
    state, problems = decode_state(search, {"corpus": (str, "epoch"), "period": (str, "all")})
    return html.Div([
        html.H2("Geography: where deep learning is made"),
        html.Div([
            html.Label("corpus"), dcc.Dropdown(id="geo-corpus", options=[{"label": v, "value": k} for k, v in CORPORA.items()],
                                               value=state["corpus"] if state["corpus"] in CORPORA else "epoch",
                                               clearable=False, style={"width": "380px"}),
            html.Label("period"), dcc.Dropdown(id="geo-period", options=[{"label": v, "value": k} for k, v in PERIODS.items()],
                                               value=state["period"] if state["period"] in PERIODS else "all",
                                               clearable=False, style={"width": "160px"}),
        ], className="toolbar"),
        html.Div("; ".join(problems), id="geo-msg", className="msg error" if problems else "msg"),
        html.P("RCA = (DL share of the country's papers) / (DL share of all papers); > 1: specialised in DL. "
               "The first view of a corpus classifies it (several seconds).", className="param-desc"),
        dcc.Loading(html.Div([
            dcc.Graph(id="geo-map"),
            dash_table.DataTable(id="geo-table", sort_action="native", page_size=20, style_cell={"fontSize": "0.85em"}),
            dcc.Graph(id="geo-conc"),
        ])),
        dcc.Location(id="geo-loc", refresh=False),
    ])


def register(app: Dash, ctx) -> None:
    @app.callback(Output("geo-map", "figure"), Output("geo-table", "data"), Output("geo-table", "columns"),
                  Output("geo-conc", "figure"), Output("geo-msg", "children"), Output("geo-msg", "className"),
                  Output("geo-loc", "search"), Input("geo-corpus", "value"), Input("geo-period", "value"))
    def update(corpus, period):
        return update_page(ctx, corpus, period)


def page():
    if importlib.util.find_spec("aiprogress.geography") is None:
        return None
    from aiprogress.app.server import Page

    return Page("geography", PATH, "Geography", 40, layout, register)
