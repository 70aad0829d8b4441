"""The Dash app factory and page routing.

Pages are the ``app`` modules registered in :mod:`aiprogress.capabilities`
(each exposes ``page() -> Page``); the router renders the page for the URL's
path with the state in its query string. The server has no endpoint that takes
a file path: data come from the data directory / catalog chosen when the app
starts, and uploads are parsed in memory (:mod:`aiprogress.app.uploads`).
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from dash import Dash, Input, Output, State, dcc, html

from aiprogress.app.controls import register_sync
from aiprogress.app.jobs import JobManager

log = logging.getLogger("aiprogress.app")


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    title: str
    order: int
    layout: Callable[[str, "AppContext"], Any]  # (query string, context) -> component
    register: Callable[[Dash, "AppContext"], None]  # add the page's callbacks


@dataclass
class AppContext:
    """What pages share: where the data are, a cache, the Monte Carlo jobs."""

    data_dir: Path | None = None
    catalog: Path | None = None
    jobs: JobManager = field(default_factory=JobManager)
    cache: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def table(self, name: str):
        """A catalog table (from the catalog when one was given, else parsed from the data directory)."""
        from aiprogress.data import load_table

        return load_table(name, catalog=self.catalog, data_dir=self.data_dir)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.cache:
                return self.cache[key]
        value = build()
        with self.lock:
            self.cache.setdefault(key, value)
            return self.cache[key]


def discover_pages() -> list[Page]:
    """Every page registered in :mod:`aiprogress.capabilities`, in navigation order."""
    from aiprogress.capabilities import CAPABILITIES

    pages = []
    for cap in CAPABILITIES:
        if not cap.app:
            continue
        try:
            mod = importlib.import_module(cap.app)
        except ImportError:  # a capability still being built: the app works without it
            continue
        page = mod.page()
        if page is not None:
            pages.append(page)
    return sorted(pages, key=lambda p: p.order)


def _warm_up() -> None:
    """Import the models and parse the presets in the background, so the first page view is quick."""
    try:
        from aiprogress.app.models import model_views
        from aiprogress.app.scenario import warm_up

        model_views()
        warm_up()
    except Exception:  # noqa: BLE001 - pages report their own errors
        log.debug("warm-up failed", exc_info=True)


def create_app(*, data_dir: str | Path | None = None, catalog: str | Path | None = None,
               pages: list[Page] | None = None, warm_up: bool = False) -> Dash:
    """The explorer as a Dash app (serve it with ``app.run(host, port)`` or ``aiprogress app``).

    ``warm_up`` starts a background thread that imports the takeoff models and parses the presets.
    """
    ctx = AppContext(data_dir=Path(data_dir) if data_dir else None, catalog=Path(catalog) if catalog else None)
    pages = discover_pages() if pages is None else pages
    app = Dash(__name__, title="aiprogress explorer", suppress_callback_exceptions=True,
               assets_folder=str(Path(__file__).with_name("assets")), update_title=None)
    app.server.config["MAX_CONTENT_LENGTH"] = 1 << 20  # request bodies (uploads arrive inside callbacks)
    nav = [html.Span("aiprogress explorer", className="brand")]
    nav += [dcc.Link(p.title, href=p.path, id=f"nav-{p.key}") for p in pages]
    app.layout = html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        html.Div(nav, className="nav"),
        html.Div(id="page", className="page"),
    ])
    by_path = {p.path: p for p in pages}
    default = pages[0] if pages else None

    @app.callback(Output("page", "children"), Input("url", "pathname"), State("url", "search"))
    def route(pathname, search):
        page = by_path.get((pathname or "/").rstrip("/") or "/", default if (pathname or "/") == "/" else None)
        if page is None:
            return html.Div([html.H3("Page not found"), html.P(f"No page at {pathname!s:.80}; use the links above.")])
        try:
            return page.layout(search or "", ctx)
        except Exception as exc:  # noqa: BLE001 - the page shows a one-line message, never a traceback
            log.exception("page %s failed", page.key)
            return html.Div([html.H3(page.title), html.P(f"This page could not be built: {type(exc).__name__}: {exc}"[:400],
                                                         className="msg error")])

    register_sync(app)
    for p in pages:
        p.register(app, ctx)
    if warm_up:
        threading.Thread(target=_warm_up, name="aiprogress-app-warm-up", daemon=True).start()
    app._aiprogress_ctx = ctx  # for tests and benchmarks
    app._aiprogress_pages = pages
    return app
