"""End-to-end: the geography page's RCA map renders offline in headless Chromium (no request leaves 127.0.0.1)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest


def test_geography_map_renders_offline_and_follows_the_selectors(server, page, shot):
    pytest.importorskip("aiprogress.geography")
    from aiprogress.app.pages import geography
    from aiprogress.app.server import AppContext

    url, _ = server
    external: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(f"{url}/geography?corpus=epoch&period=2012+on")
    # the choropleth paths are drawn inside the geo subplot
    page.wait_for_selector("#geo-choropleth .choroplethlayer path", timeout=120000)
    n_paths = page.locator("#geo-choropleth .choroplethlayer path").count()
    ref = geography.rca(AppContext(), "epoch", "2012 on")
    shown = page.evaluate("() => document.getElementById('geo-choropleth').querySelector('.js-plotly-plot').data[1].z")
    assert n_paths >= 150  # every country is drawn (data in colour, the rest in grey)
    assert sorted(round(v, 9) for v in shown) == sorted(round(float(v), 9) for v in ref["rca"].dropna())
    shot(page, "geography")
    # the period selector redraws the map and keeps the URL state
    page.click("#geo-period")
    page.get_by_text("all years", exact=True).click()
    page.wait_for_function("() => location.search.includes('period=all')", timeout=60000)
    ref_all = geography.rca(AppContext(), "epoch", "all")
    page.wait_for_function(
        "(n) => { const g = document.getElementById('geo-choropleth').querySelector('.js-plotly-plot');"
        " return g && g.data && g.data[1] && g.data[1].z.length === n; }", arg=int(ref_all["rca"].notna().sum()),
        timeout=60000)
    assert external == [], external
