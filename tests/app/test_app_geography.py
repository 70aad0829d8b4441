"""Geography page's RCA map (callback level): the map's values are the library's RCA; the polygons are the shipped ones."""

from __future__ import annotations

import json

import pytest
from dash import no_update

from aiprogress.app.server import AppContext

pytest.importorskip("aiprogress.geography")

from aiprogress.app.pages import geography  # noqa: E402


@pytest.fixture(scope="module")
def ctx():
    return AppContext()


@pytest.mark.parametrize(("corpus", "period"), [("epoch", "2012 on"), ("epoch", "all"), ("arxiv", "2012 on"), ("arxiv", "before 2012")])
def test_map_values_equal_the_library_rca(ctx, corpus, period):
    from aiprogress.geography import metrics
    from aiprogress.geography.pipeline import analyse

    fig = geography.update_map(ctx, corpus, period)
    back, trace = fig["data"]
    an = analyse(corpus, None, seed=0)  # computed here, not through the page's cache
    if period == "all":
        ref = metrics.rca_table(an.activity("country_code"), draws=100, seed=0, min_activity=5.0)
    else:
        ref = metrics.rca_table(an.activity("country_code", period=2012), group="period", draws=100, seed=0)
        ref = ref[ref["group"] == period]
    ref = ref.dropna(subset=["rca"]).set_index("location")["rca"]
    if ref.empty:  # no located activity (arXiv before 2012): every country grey, not the previous map
        assert trace["locations"] == [] and len(back["locations"]) >= 200 and fig["layout"]["title"]["text"].startswith("No")
    got = dict(zip(trace["locations"], trace["z"]))
    assert got.keys() == set(ref.index)  # every country with an RCA has a polygon on the map
    for loc, v in got.items():
        assert v == pytest.approx(float(ref[loc]), rel=1e-12, abs=1e-12)
    # every polygon is drawn once: coloured or grey; the geo base map (remote topojson) is off
    ids = [f["id"] for f in trace["geojson"]["features"]] + [f["id"] for f in back["geojson"]["features"]]
    assert ids == trace["locations"] + back["locations"] and len(set(ids)) == len(ids)
    assert fig["layout"]["geo"]["visible"] is False and trace["featureidkey"] == "id"
    assert len(json.dumps(fig)) < 1_000_000  # the simplified polygons keep the callback payload small


def test_simplified_polygons_follow_the_shipped_ones(ctx):
    from aiprogress.geography.countries import countries_geojson

    raw = countries_geojson()
    simple = {f["id"]: f for f in geography.shapes(ctx)["features"]}

    def code(p):  # a two-letter iso_a2, else iso_a2_eh (Natural Earth: France "-99"/"FR", Taiwan "CN-TW"/"TW")
        for key in ("iso_a2", "iso_a2_eh"):
            v = p.get(key)
            if isinstance(v, str) and len(v) == 2 and v.isalpha():
                return v
        return None

    # the bounding box of each country (all its features, e.g. Australia and its territories) within 0.5 degree
    boxes: dict[str, list] = {}
    extents: dict[str, list] = {}
    for f in raw["features"]:
        c, g = code(f.get("properties") or {}), f.get("geometry") or {}
        if c is None or g.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        pts = [pt for poly in polys for pt in poly[0]]
        boxes.setdefault(c, []).extend(pts)
        for poly in polys:
            xs, ys = [p[0] for p in poly[0]], [p[1] for p in poly[0]]
            extents.setdefault(c, []).append(max(max(xs) - min(xs), max(ys) - min(ys)))
    assert simple.keys() <= boxes.keys()
    for c in boxes.keys() - simple.keys():  # only specks vanish at 0.1 degree (Vatican, Monaco, Tuvalu, Pitcairn...)
        assert max(extents[c]) < 0.3, c
    assert len(simple) >= 200
    for c in ("US", "AU", "SG", "FR", "NO", "CN", "TW"):
        pts = [pt for poly in simple[c]["geometry"]["coordinates"] for pt in poly[0]]
        got = [min(p[0] for p in pts), max(p[0] for p in pts), min(p[1] for p in pts), max(p[1] for p in pts)]
        big = max((poly[0] for poly in simple[c]["geometry"]["coordinates"]), key=len)
        assert len(big) >= 4 and big[0] == big[-1]
        ref = boxes[c]
        want = [min(p[0] for p in ref), max(p[0] for p in ref), min(p[1] for p in ref), max(p[1] for p in ref)]
        # dropped small islands may shrink the box, never grow it beyond the rounding
        assert got[0] >= want[0] - 0.05 and got[1] <= want[1] + 0.05
        assert got[2] >= want[2] - 0.05 and got[3] <= want[3] + 0.05
    # Australia's mainland (Natural Earth lists its island territories as separate features with the same code)
    assert max(len(poly[0]) for poly in simple["AU"]["geometry"]["coordinates"]) > 100


def test_unknown_corpus_or_period_leaves_the_map():
    assert geography.update_map(None, "nope", "all") is no_update
    assert geography.update_map(None, "epoch", "1999") is no_update
