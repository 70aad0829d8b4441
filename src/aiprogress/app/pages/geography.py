"""Geography page: where deep learning is made (RCA by country, concentration), with corpus and period selectors.

Every number comes from :mod:`aiprogress.geography` (``pipeline.analyse`` for the
corpus, ``metrics.rca_table`` and ``metrics.concentration_by`` with bootstrap
intervals over papers). RCA is drawn twice: as a choropleth map and as bars with
intervals. The map stays offline: the countries are the shipped Natural Earth polygons
(``geography.countries.countries_geojson``, coordinates rounded to 0.1 degree for a small
payload) passed to Plotly as ``geojson=``, and the geo base map is switched off
(``visible=False``), so Plotly never fetches its CDN topojson. The page exists only when
the geography capability is installed (:func:`page` returns None otherwise).
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
    """The RCA table for the corpus and period (``metrics.rca_table``); cached, the map and the bars share it."""
    from aiprogress.geography import metrics

    def build():
        an = analysis(ctx, corpus)
        if period == "all":
            return metrics.rca_table(an.activity("country_code"), draws=DRAWS, seed=SEED, min_activity=5.0)
        tab = metrics.rca_table(an.activity("country_code", period=2012), group="period", draws=DRAWS, seed=SEED)
        return tab[tab["group"] == period].drop(columns="group")

    return ctx.cached(f"geography:rca:{corpus}:{period}", build)


def _simplify_ring(ring, digits: int) -> list | None:
    out = []
    for x, y, *_ in ring:
        pt = [round(float(x), digits), round(float(y), digits)]
        if not out or pt != out[-1]:
            out.append(pt)
    if len(out) > 1 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def _extent(rings: list) -> float:
    xs = [pt[0] for pt in rings[0]]
    ys = [pt[1] for pt in rings[0]]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def simplify_geojson(geojson: dict, digits: int = 1, min_extent: float = 0.5) -> dict:
    """Country polygons with coordinates rounded to ``digits`` decimals (repeated points and degenerate rings dropped).

    One feature per ISO alpha-2 code (``iso_a2``, else ``iso_a2_eh``: Taiwan is ``CN-TW`` / ``TW``),
    with ``id`` = the code, the key the map's ``locations`` refer to; features sharing a code (Australia and
    its island territories) are merged. Islands smaller than ``min_extent`` degrees are dropped unless they
    are a country's largest polygon (small states such as Singapore stay on the map).
    """
    from aiprogress.geography.countries import feature_iso2

    polys_by: dict[str, list] = {}
    names: dict[str, str] = {}
    for f in geojson.get("features", []):
        p = f.get("properties") or {}
        code = feature_iso2(p)
        geom = f.get("geometry") or {}
        if code is None or geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        if p.get("iso_a2") == code or code not in names:
            names[code] = p.get("name")
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for poly in polys:
            rings = [r for r in (_simplify_ring(ring, digits) for ring in poly) if r]
            if rings:
                polys_by.setdefault(code, []).append(rings)
    feats = []
    for code, new in polys_by.items():
        big = max(new, key=_extent)
        new = [r for r in new if r is big or _extent(r) >= min_extent]
        feats.append({"type": "Feature", "id": code, "properties": {"name": names[code]},
                      "geometry": {"type": "MultiPolygon", "coordinates": new}})
    return {"type": "FeatureCollection", "features": feats}


def shapes(ctx) -> dict:
    """The simplified Natural Earth polygons (loaded once per app through the geography library's loader)."""
    from aiprogress.geography.countries import countries_geojson

    return ctx.cached("geography:shapes", lambda: simplify_geojson(countries_geojson(ctx.data_dir)))


def _diverging(zmax: float) -> list:
    """Blue below RCA 1, white at 1, red above, on a 0..zmax scale (the bars' colours)."""
    mid = 1.0 / zmax
    return [[0.0, "#2166ac"], [mid / 2, "#92c5de"], [mid, "#f7f7f7"], [mid + (1 - mid) / 2, "#f4a582"], [1.0, "#b2182b"]]


def map_figure(tab, geojson: dict, title: str) -> dict:
    """Choropleth of RCA (diverging at 1) over the shipped polygons; no base map, so nothing is fetched.

    Two traces share the polygons without repeating them: the countries with an RCA, and the rest in grey
    (there is no base map to show them).
    """
    by_code = {f["id"]: f for f in geojson["features"]}
    t = tab[tab["rca"].notna() & tab["location"].isin(by_code)]
    codes = t["location"].tolist()
    vals = [float(v) for v in t["rca"]]
    zmax = max([2.0, *vals])
    rest = sorted(set(by_code) - set(codes))
    line = dict(color="white", width=0.4)
    back = dict(type="choropleth", geojson={"type": "FeatureCollection", "features": [by_code[c] for c in rest]},
                locations=rest, z=[0.0] * len(rest), featureidkey="id", colorscale=[[0, "#e3e3e3"], [1, "#e3e3e3"]],
                showscale=False, hoverinfo="skip", marker=dict(line=line), name="no data")
    trace = dict(type="choropleth", geojson={"type": "FeatureCollection", "features": [by_code[c] for c in codes]},
                 locations=codes, z=vals, featureidkey="id",
                 text=[f"{loc}: RCA {r:.2f} [{lo:.2f}, {hi:.2f}], {a:.1f} papers" for loc, r, lo, hi, a in
                       zip(t["location"], t["rca"], t["rca_low"], t["rca_high"], t["all"])],
                 hovertemplate="%{text}<extra></extra>", colorscale=_diverging(zmax), zmin=0.0, zmax=zmax,
                 marker=dict(line=line),
                 colorbar=dict(title=dict(text="RCA"), thickness=14, len=0.8), name="RCA")
    lay = dict(title=dict(text=title, y=0.97, yanchor="top", x=0.05), height=480, paper_bgcolor="white",
               margin=dict(l=10, r=10, t=60, b=30), showlegend=False,
               geo=dict(visible=False, projection=dict(type="natural earth"), lataxis=dict(range=[-58, 85]),
                        lonaxis=dict(range=[-180, 180])),
               annotations=[dict(text="Boundaries: Natural Earth (public domain). Grey: no RCA for this corpus and period "
                                      "(no or too few located papers).", showarrow=False, xref="paper", yref="paper", x=0, y=-0.04,
                                 font=dict(size=10, color="#666"))])
    return dict(data=[back, trace], layout=lay)


def update_map(ctx, corpus: str, period: str):
    """The RCA map for the corpus and period (same RCA table as the bars)."""
    if corpus not in CORPORA or period not in PERIODS:
        return no_update
    try:
        tab = rca(ctx, corpus, period)
        geo = shapes(ctx)
    except Exception as exc:  # noqa: BLE001 - data missing: an empty figure that says why
        return dict(data=[], layout=dict(title=dict(text=f"map unavailable: {exc}"[:200]), height=200))
    if tab.empty:  # all grey, rather than keeping the previous selection's map
        return map_figure(tab, geo, f"No located activity: {CORPORA[corpus]}, {PERIODS[period]}")
    return map_figure(tab, geo, f"DL revealed comparative advantage (RCA): {CORPORA[corpus]}, {PERIODS[period]}")


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
            dcc.Graph(id="geo-choropleth", config={"displaylogo": False}),
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

    @app.callback(Output("geo-choropleth", "figure"), Input("geo-corpus", "value"), Input("geo-period", "value"))
    def update_choropleth(corpus, period):
        return update_map(ctx, corpus, period)


def page():
    if importlib.util.find_spec("aiprogress.geography") is None:
        return None
    from aiprogress.app.server import Page

    return Page("geography", PATH, "Geography", 40, layout, register)
