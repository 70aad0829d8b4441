"""Data page: the catalog's tables with the provenance of every row (source file, line, sha256, licence).

Rows come from :func:`aiprogress.data.load_table`; the per-file records (sha256,
licence, URL) from the catalog's ``sources`` table when the app was started
with ``--catalog``, else from the same records :func:`aiprogress.data.load_sources`
writes there (the data directory's files, hashed). The table sorts and filters
in the browser; "download CSV" returns the rows as currently filtered and sorted.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, dash_table, dcc, html, no_update

from aiprogress.app.state import decode_state, encode_state

PATH = "/data"
BASE_TABLES = ("models", "hardware", "benchmark_results", "rejects")
PROVENANCE = ("source_file", "source_line", "sha256", "licence")
DEFAULT_COLUMNS = {
    "models": ["model", "organization", "publication_date", "domain", "train_flop", "parameters"],
    "hardware": ["name", "manufacturer", "type", "release_date", "peak_flop_per_s_fp32", "price_usd"],
    "benchmark_results": ["benchmark", "model", "year", "metric_name", "metric_value", "error_rate"],
    "rejects": ["column", "reason"],
}


def sources_frame(ctx):
    """One row per source file: path (as rows cite it), sha256, licence, url, attribution."""
    import pandas as pd

    def build():
        if ctx.catalog is not None:
            from aiprogress.data.catalog import read_catalog_table

            src = read_catalog_table("sources", ctx.catalog)
        else:
            from aiprogress.data.loaders import sha256_file, source_paths
            from aiprogress.data.sources import SOURCES
            from aiprogress.paths import resolve_data_dir

            root = resolve_data_dir(ctx.data_dir)
            rows = []
            for name, path in source_paths(root).items():
                s = SOURCES[name]
                rows.append({"name": name, "path": path.relative_to(root).as_posix(), "sha256": sha256_file(path),
                             "licence": s.licence, "url": s.url, "attribution": s.attribution})
            src = pd.DataFrame(rows)
        return src[["name", "path", "sha256", "licence", "url", "attribution"]]

    return ctx.cached("data:sources", build)


def table_names(ctx) -> list[str]:
    if ctx.catalog is None:
        return list(BASE_TABLES)
    from aiprogress.data.catalog import catalog_tables

    return [t for t in catalog_tables(ctx.catalog) if t not in ("sources", "meta")]


def _cell(v: Any) -> Any:
    import pandas as pd

    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if not pd.isna(v) else None
    if isinstance(v, float) and pd.isna(v):
        return None
    return v


def table_view(ctx, name: str, columns: list[str] | None = None):
    """The table's chosen columns plus provenance (source_file, source_line, sha256, licence) for every row."""
    frame = ctx.cached(f"table:{name}", lambda: ctx.table(name))
    cols = [c for c in (columns or DEFAULT_COLUMNS.get(name) or list(frame.columns)[:6]) if c in frame.columns and c not in PROVENANCE]
    out = frame[cols].copy()
    if "source_file" in frame.columns:
        src = sources_frame(ctx).set_index("path")
        out["source_file"] = frame["source_file"].values
        out["source_line"] = frame["source_line"].values if "source_line" in frame.columns else None
        out["sha256"] = frame["source_file"].map(src["sha256"]).values
        out["licence"] = frame["source_file"].map(src["licence"]).values
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype).startswith("datetime"):
            out[c] = [_cell(v) for v in out[c]]
    return out.reset_index(drop=True)


def csv_of_rows(rows: list[dict] | None, columns: list[str]) -> str:
    """CSV text of the rows shown (as filtered and sorted in the browser)."""
    import pandas as pd

    return pd.DataFrame(rows or [], columns=columns).to_csv(index=False)


def layout(search: str, ctx):
    state, problems = decode_state(search, {"table": (str, "models")})
    try:
        names = table_names(ctx)
    except Exception as exc:  # noqa: BLE001 - shown as a message
        return html.Div([html.H2("Data"), html.P(f"No data: {exc}", className="msg error")])
    if state["table"] not in names:
        problems.append(f"unknown table '{state['table'][:40]}'")
        state["table"] = names[0]
    return html.Div([
        html.H2("Data: catalog tables with provenance"),
        html.Div([
            html.Label("table"), dcc.Dropdown(id="dt-table", options=names, value=state["table"], clearable=False, style={"width": "240px"}),
            html.Label("columns"), dcc.Dropdown(id="dt-columns", multi=True, style={"minWidth": "420px"}),
            html.Button("download CSV", id="dt-download-btn"), dcc.Download(id="dt-download"),
        ], className="toolbar"),
        html.Div("; ".join(problems), id="dt-msg", className="msg error" if problems else "msg"),
        html.Div(id="dt-count", className="param-desc"),
        dcc.Loading(dash_table.DataTable(
            id="dt-grid", sort_action="native", filter_action="native", page_action="native", page_size=20,
            style_table={"overflowX": "auto"}, style_cell={"fontSize": "0.8em", "textAlign": "left", "maxWidth": "260px", "overflow": "hidden",
                                                           "textOverflow": "ellipsis"},
            tooltip_delay=0, tooltip_duration=None)),
        html.Div(id="dt-sources", style={"marginTop": "1em"}),
        dcc.Location(id="dt-loc", refresh=False),
    ])


def register(app: Dash, ctx) -> None:
    @app.callback(Output("dt-columns", "options"), Output("dt-columns", "value"), Input("dt-table", "value"))
    def columns_for(name):
        frame = ctx.cached(f"table:{name}", lambda: ctx.table(name))
        opts = [c for c in frame.columns if c not in ("source_file", "source_line", "source_version")]
        default = [c for c in DEFAULT_COLUMNS.get(name, opts[:6]) if c in opts]
        return opts, default

    @app.callback(Output("dt-grid", "data"), Output("dt-grid", "columns"), Output("dt-count", "children"),
                  Output("dt-loc", "search"), Output("dt-sources", "children"),
                  Input("dt-table", "value"), Input("dt-columns", "value"))
    def show(name, columns):
        view = table_view(ctx, name, columns)
        src = sources_frame(ctx)
        src_table = dash_table.DataTable(data=src.to_dict("records"), columns=[{"name": c, "id": c} for c in src.columns],
                                         style_cell={"fontSize": "0.75em"}, style_table={"overflowX": "auto"}, id="dt-src-grid")
        return (view.to_dict("records"), [{"name": c, "id": c} for c in view.columns],
                f"{len(view):,} rows; every row names its source file, line, the file's sha256 and its licence",
                encode_state({"table": name}), [html.H4("Source files"), src_table])

    @app.callback(Output("dt-download", "data"), Input("dt-download-btn", "n_clicks"),
                  State("dt-grid", "derived_virtual_data"), State("dt-grid", "columns"), State("dt-table", "value"),
                  prevent_initial_call=True)
    def download(_n, rows, columns, name):
        if not columns:
            return no_update
        return dict(content=csv_of_rows(rows, [c["id"] for c in columns]), filename=f"{name}.csv")


def page():
    from aiprogress.app.server import Page

    return Page("data", PATH, "Data", 90, layout, register)
