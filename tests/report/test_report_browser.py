"""The report in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

What this covers, honestly:

- the quick variant builds ONE report per session with the sections ``scaling`` and
  ``growth`` plus the scorecard (scaling has the widest replication table, six SVG
  panels, Figure 4 and the interactive Plotly chart; growth the model figures);
  ``-m slow`` runs the same checks on the full report (every registered section);
- at 1400 px and 800 px: no table or figure reaches outside its section card, the
  page never scrolls sideways, and every figure's text is >= 9 px as displayed;
- print (A4 and Letter): with print media at the printable width no table is
  wider than the page, figures fit, and the PDF page count is within bounds;
- the page loads with every network request blocked (one self-contained file);
- screenshots go to ``$AIPROGRESS_SCREENSHOTS`` when set (look at them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from aiprogress.paths import resolve_data_dir

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
DATA = resolve_data_dir()
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed (make test installs it)"),
    pytest.mark.skipif(not (DATA / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not available"),
]
#: Printable width in CSS px (96/in) for the report's @page margins (12 mm left and right).
PRINT_WIDTH_PX = {"A4": (210 - 24) / 25.4 * 96, "Letter": (215.9 - 24) / 25.4 * 96}

LAYOUT_JS = """() => {
  const bad = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) bad.push(['page scrolls sideways', de.scrollWidth, de.clientWidth]);
  for (const el of document.querySelectorAll('section .tblwrap, section figure')) {
    const card = el.closest('section').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.right > card.right + 1 || r.left < card.left - 1) bad.push([el.id, 'outside its card', r.left, r.right, card.left, card.right]);
    for (const c of el.querySelectorAll('svg.mpl, img.mpl, .plotly-live .main-svg, .tblscroll')) {
      const b = c.getBoundingClientRect();
      if (b.width && (b.right > card.right + 1)) bad.push([el.id, c.className.baseVal ?? c.className, 'content overflows', b.right, card.right]);
    }
    const sc = el.querySelector('.tblscroll');
    if (sc && sc.scrollWidth > sc.clientWidth + 1 && getComputedStyle(sc).overflowX !== 'auto') bad.push([el.id, 'table cut']);
  }
  return bad;
}"""

FONT_JS = """() => {
  const small = [];
  for (const svg of document.querySelectorAll('figure svg.mpl')) {
    const w = svg.getBoundingClientRect().width;
    if (!w) continue;  // hidden (the print fallback of an interactive figure)
    const scale = w / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (t.textContent.trim() && px < 9) small.push([svg.closest('figure').id, t.textContent.slice(0, 30), px]);
    }
  }
  return small;
}"""

PRINT_JS = """(width) => {
  const bad = [];
  for (const t of document.querySelectorAll('table')) {
    const r = t.getBoundingClientRect();
    if (r.width && r.right > width + 1) bad.push([t.closest('.tblwrap')?.id, 'table wider than the page', r.right, width]);
  }
  for (const f of document.querySelectorAll('figure svg.mpl, figure img.mpl')) {
    const r = f.getBoundingClientRect();
    if (r.width && r.right > width + 1) bad.push([f.closest('figure').id, 'figure wider than the page', r.right]);
  }
  for (const f of document.querySelectorAll('figure.plotly.has-static')) {
    const live = f.querySelector('.plotly-live').getBoundingClientRect().height;
    const stat = f.querySelector('.plotly-static').getBoundingClientRect().height;
    if (live !== 0 || stat === 0) bad.push([f.id, 'print shows the live chart instead of its static fallback']);
  }
  return bad;
}"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _build(tmp_path_factory, sections):
    from aiprogress.report import build_report

    out = tmp_path_factory.mktemp("report")
    res = build_report(out, only=sections, allow_partial=True)
    return res, out / "index.html"


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(300_000)  # a 30,000 px page on a busy 2-core machine
    blocked = []

    def route(r):
        if r.request.url.startswith("file://"):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    return page, blocked


def _shot(page, name: str) -> None:
    where = os.environ.get("AIPROGRESS_SCREENSHOTS")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(where) / name), full_page=True, timeout=300_000)


def _check_report(browser, res, path: Path, label: str):
    assert path.is_file() and not res.failed, res.failed
    for width in (1400, 800):
        page, blocked = _open(browser, path, width)
        try:
            assert blocked == [], f"the report fetched {blocked}"
            assert page.evaluate(LAYOUT_JS) == []
            assert page.evaluate(FONT_JS) == []
            n_live = page.locator("figure.plotly .plotly-live .main-svg").count()
            assert n_live >= page.locator("figure.plotly").count()  # every interactive figure rendered offline
            toc = page.locator("nav.toc")
            assert toc.evaluate("e => getComputedStyle(e).position") == ("sticky" if width == 1400 else "static")
            _shot(page, f"{label}_{width}.png")
        finally:
            page.close()
    pages = {}
    page, _ = _open(browser, path, 1000)
    try:
        page.emulate_media(media="print")
        for fmt, width in PRINT_WIDTH_PX.items():
            page.set_viewport_size({"width": int(width), "height": 1000})
            page.wait_for_timeout(200)
            assert page.evaluate(PRINT_JS, width) == [], fmt
            pdf = page.pdf(format=fmt, print_background=True)
            pages[fmt] = _pages(pdf)
            where = os.environ.get("AIPROGRESS_SCREENSHOTS")
            if where:
                (Path(where) / f"{label}_{fmt}.pdf").write_bytes(pdf)
    finally:
        page.close()
    return pages


def test_quick_report_layout_fonts_print_and_offline(browser, quick_report):
    res, path = quick_report
    pages = _check_report(browser, res, path, "quick")
    sections = len(res.sections)  # scorecard + the built sections, each starting a new page
    for fmt, n in pages.items():
        assert sections <= n <= 12 * sections, (fmt, n)


@pytest.mark.slow
def test_full_report_layout_fonts_print_and_offline(browser, tmp_path_factory):
    res, path = _build(tmp_path_factory, None)
    pages = _check_report(browser, res, path, "full")
    for fmt, n in pages.items():
        assert len(res.sections) <= n <= 10 * len(res.sections), (fmt, n)
