"""report --out: a failed section never replaces a good report (unless --allow-partial); --out is checked first."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.report import build_report
from aiprogress.reportkit import figure_html, plotly_html, register_section
from aiprogress.reportkit.sections import _SECTIONS

runner = CliRunner()
GOOD = "<html>the previous, good report</html>"


@pytest.fixture
def demo_sections():
    @register_section("zz_ok", "Demo OK", order=10_000)
    def _ok(ctx):
        return "<h3>Part one</h3><p>ok-body</p>"

    @register_section("zz_bad", "Demo bad", order=10_001)
    def _bad(ctx):
        raise RuntimeError("catalog is broken")

    yield
    _SECTIONS.pop("zz_ok", None)
    _SECTIONS.pop("zz_bad", None)


def test_failed_section_keeps_the_previous_report_and_exits_1(tmp_path, demo_sections):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "index.html").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["report", "--out", str(out), "--sections", "zz_ok,zz_bad", "--quiet"])
    assert res.exit_code == 1, res.output
    assert "was not replaced" in res.stderr and "--allow-partial" in res.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == GOOD
    assert not list(out.glob(".index.html.*"))  # no temp or probe files left behind


def test_allow_partial_writes_the_failure_box(tmp_path, demo_sections):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "index.html").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["report", "--out", str(out), "--sections", "zz_ok,zz_bad", "--allow-partial", "--quiet", "--json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert body["written"] is True and set(body["failed"]) == {"zz_bad"}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "could not be built" in page and "catalog is broken" in page and "ok-body" in page


def test_library_default_still_writes_partial_reports_but_says_so(tmp_path, demo_sections):
    res = build_report(tmp_path / "r", only=["zz_ok", "zz_bad"], allow_partial=False)
    assert res.written is False and not (tmp_path / "r" / "index.html").exists()
    res = build_report(tmp_path / "r", only=["zz_ok"])
    assert res.written and res.bytes == len((tmp_path / "r" / "index.html").read_bytes())


def test_unwritable_out_fails_before_any_section_is_built(tmp_path, monkeypatch, demo_sections):
    import aiprogress.report as report_pkg

    def boom(*a, **k):  # pragma: no cover - must not be reached
        raise AssertionError("the build started before --out was checked")

    monkeypatch.setattr(report_pkg, "build_report", boom)
    afile = tmp_path / "a_file"
    afile.write_text("x", encoding="utf-8")
    for target in (afile, afile / "sub"):
        res = runner.invoke(app, ["report", "--out", str(target), "--sections", "zz_ok", "--quiet"])
        assert res.exit_code == 2, res.output
        assert "parameter 'out'" in res.stderr or "--out" in res.stderr
        assert "Traceback" not in res.output
        assert len(res.stderr.strip().splitlines()) == 1


def test_broken_catalog_keeps_the_previous_report(tmp_path):
    bad = tmp_path / "broken.duckdb"
    bad.write_bytes(b"this is not a duckdb catalog" * 10)
    out = tmp_path / "rep"
    out.mkdir()
    (out / "index.html").write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["report", "--out", str(out), "--catalog", str(bad), "--sections", "compute", "--quiet"])
    assert res.exit_code != 0
    assert (out / "index.html").read_text(encoding="utf-8") == GOOD


def test_headings_get_ids_tables_and_figures_get_anchors_and_the_toc_lists_subsections(tmp_path, demo_sections):
    import matplotlib.pyplot as plt

    @register_section("zz_fig", "Demo figures", order=10_002)
    def _fig(ctx):
        import plotly.graph_objects as go

        f1, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1])
        f2, ax2 = plt.subplots(figsize=(3, 2))
        ax2.plot([1, 0])
        live = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
        live2 = go.Figure(go.Scatter(x=[1, 2], y=[4, 3]))
        return ("<h3>Figures</h3>" + figure_html(f1, "first", n=2) + plotly_html(live, "live", static_fig=f2, n=2)
                + plotly_html(live2, "live again"))

    try:
        res = build_report(tmp_path / "r", only=["zz_ok", "zz_fig"])
        page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    finally:
        _SECTIONS.pop("zz_fig", None)
    assert res.written
    assert 'id="zz_fig-fig-1"' in page and 'id="zz_fig-fig-2"' in page and 'id="zz_fig-fig-3"' in page
    assert 'href="#zz_fig-figures"' in page and 'id="zz_fig-figures"' in page  # TOC subsection -> h3 anchor
    assert 'href="#zz_ok-part-one"' in page
    assert "auto-fig-" not in page
    # plotly.js embedded once, inline, no CDN; the static fallback is there for print
    from plotly.offline import get_plotlyjs

    assert page.count(get_plotlyjs()[:200]) == 1
    assert not re.search(r"<script[^>]*\bsrc=", page) and "<link " not in page  # nothing fetched from a CDN
    assert page.count('class="plotly-static"') == 1
    assert page.count("back to top") == 2
