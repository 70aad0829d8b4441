"""The report's figure path: each figure drawn once, log tick labels without mathtext, PNG picked before drawing."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import mathtext, ticker  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from aiprogress.reportkit import figure_html  # noqa: E402
from aiprogress.reportkit.figures import MAX_SVG_BYTES, plain_log_ticks, plain_tick_text, svg_bytes_estimate  # noqa: E402


@pytest.fixture
def counts(monkeypatch):
    """Counts of full figure draws, savefig formats and mathtext parses while a test runs."""
    seen = {"draw": 0, "parse": 0, "formats": []}
    draw, savefig, parse = Figure.draw, Figure.savefig, mathtext.MathTextParser._parse_cached

    def counted_draw(self, renderer):
        seen["draw"] += 1
        return draw(self, renderer)

    def counted_savefig(self, fname, **kw):
        seen["formats"].append(kw.get("format"))
        return savefig(self, fname, **kw)

    def counted_parse(self, *a, **kw):
        seen["parse"] += 1
        return parse(self, *a, **kw)

    monkeypatch.setattr(Figure, "draw", counted_draw)
    monkeypatch.setattr(Figure, "savefig", counted_savefig)
    monkeypatch.setattr(mathtext.MathTextParser, "_parse_cached", counted_parse)
    return seen


@pytest.mark.parametrize(("value", "expected"), [(1e3, "10³"), (1e-2, "10⁻²"), (1.0, "10⁰"), (1e12, "10¹²")])
def test_log_tick_labels_read_as_matplotlib_writes_them_in_mathtext(value, expected):
    fmt = ticker.LogFormatterSciNotation(10)
    fig, ax = plt.subplots()
    ax.set_xscale("log")
    ax.set_xlim(1e-3, 1e13)
    fmt.set_axis(ax.xaxis)
    fmt.set_locs([1e-3, 1e13])
    written = fmt(value)
    plt.close(fig)
    assert written.startswith("$\\mathdefault{")  # matplotlib's own label is mathtext ...
    assert plain_tick_text(written) == expected  # ... and reads the same as plain Unicode


def test_plain_tick_text_keeps_what_it_cannot_write_plainly():
    assert plain_tick_text(r"$\mathdefault{2\times10^{1}}$") == "2×10¹"
    assert plain_tick_text(r"$\mathdefault{-10^{3}}$") == "−10³"
    for kept in (r"$\beta$", r"$\mathdefault{10^{0.5}}$", "0.5", "", "$"):
        assert plain_tick_text(kept) == kept


def test_a_laid_out_figure_is_drawn_once_with_no_mathtext(counts):
    with plain_log_ticks():
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.loglog([1, 10, 1e4], [1e-3, 1e-1, 1.0], "o-")
        ax.set_xlabel("compute")
        fig.tight_layout()
        out = figure_html(fig, "log-log")
    assert counts["draw"] == 1 and counts["formats"] == ["svg"] and counts["parse"] == 0
    assert "10⁴" in out and "10⁻³" in out and "mathdefault" not in out
    assert not plt.fignum_exists(fig.number)


def test_a_figure_never_laid_out_gets_one_layout_and_one_draw(counts):
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_ylabel("a long label " * 3)
    figure_html(fig, "line")
    assert counts["draw"] == 1
    assert fig.subplotpars.left != matplotlib.rcParams["figure.subplot.left"]  # tight_layout moved the axes


def test_a_note_outside_the_figure_is_kept_by_cropping_to_the_drawn_extent(counts):
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1])
    fig.text(0.01, -0.05, "Data: somewhere")
    fig.tight_layout()
    out = figure_html(fig, "note")
    assert "Data: somewhere" in out
    assert counts["draw"] == 2  # bbox_inches="tight" measures, then draws
    height_pt = float(re.search(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', out).group(1))
    assert height_pt > 3 * 72  # grown below the 3-inch figure to hold the note


def test_too_many_marks_for_svg_go_straight_to_png(counts):
    fig, ax = plt.subplots(figsize=(4, 3))
    xy = np.random.default_rng(0).random((2, 20_000))
    ax.scatter(*xy, s=1)
    assert svg_bytes_estimate(fig) > MAX_SVG_BYTES
    out = figure_html(fig, "many points")
    assert counts["formats"] == ["png"] and "data:image/png;base64," in out


def test_mark_estimate_is_of_the_order_of_the_svg_it_stands_for():
    from aiprogress.reportkit.figures import figure_svg

    for n in (200, 2000):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.scatter(*np.random.default_rng(1).random((2, n)), s=2)
        est = svg_bytes_estimate(fig)
        size = len(figure_svg(fig))
        assert 0.5 * size < est < 2.5 * size
