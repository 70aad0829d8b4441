"""reportkit building blocks: number formatting, table layout, SVG figures, Plotly embedding, the status rule."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aiprogress.replication import RULE_TEXT, classify, row  # noqa: E402
from aiprogress.reportkit import figure_html, format_number, table_html  # noqa: E402
from aiprogress.reportkit.figures import MAX_WIDTH_PX  # noqa: E402
from aiprogress.reportkit.tables import wide_comparison  # noqa: E402


def test_counts_print_as_integers_and_coefficients_to_the_given_precision():
    frame = pd.DataFrame({"model": ["A1", "B1"], "n": [96.0, 40.0], "beta": [0.11123, 0.0153], "status": ["close", "differs"]})
    out = table_html(frame, decimals={"beta": 3})
    cells = re.findall(r'<td class="num">([^<]*)</td>', out)
    assert cells == ["96", "0.111", "40", "0.015"]
    assert "96.000" not in out and "40.0" not in out


def test_text_left_numbers_right_status_labelled_and_long_text_as_footnote():
    long = "x" * 120
    frame = pd.DataFrame({"name": ["a", "b"], "value": [1.5, 2.5], "status": ["reproduced", "differs"], "reason": ["", long]})
    out = table_html(frame, anchor="t1")
    assert '<td class="txt short">a</td>' in out and '<td class="num">1.5</td>' in out
    # status: a coloured badge that also carries the word (not colour alone)
    assert re.search(r'class="badge st-reproduced">.*?✓.*? reproduced</span>', out)
    assert re.search(r'class="badge st-differs">.*?✗.*? differs</span>', out)
    # the long reason is a numbered footnote linked from the cell, not a ragged cell
    assert 'href="#t1-fn1"' in out and f'<li id="t1-fn1" value="1">{long}</li>' in out
    assert out.count(long) == 2  # footnote text + the cell's tooltip, never printed in the cell itself
    assert 'id="t1"' in out


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_whole_floats_format_exactly_as_integers(k):
    assert format_number(float(k)) == str(k).replace("-", "−")


def test_format_number_infinities_nan_and_bools():
    assert format_number(float("inf")) == "∞" and format_number(float("-inf")) == "−∞"
    assert format_number(float("nan")) == "" and format_number(None) == ""
    assert format_number(True) == "yes"
    assert format_number(-0.1049, 2) == "−0.10"


def test_wide_comparison_puts_published_beside_ours_with_the_status_on_ours():
    long = pd.DataFrame({
        "model": ["A1", "A1", "B1", "B1"], "parameter": ["beta", "n", "beta", "n"],
        "published": [0.111, 96, 0.246, 40], "ours": [0.12, 60, 0.015, 35],
        "status": ["close", "differs", "differs", "close"], "reason": ["", "fewer rows", "sample", ""],
    })
    wide, status_of = wide_comparison(long, ["model"], "parameter", ["beta", "n"])
    assert list(wide.columns) == [("", "model"), ("beta", "published"), ("beta", "ours"), ("beta", "_status"),
                                  ("n", "published"), ("n", "ours"), ("n", "_status"), ("", "why")]
    out = table_html(wide, status_of=status_of, decimals={"beta": 3})
    assert out.count('<th colspan="2" class="grp">') == 2  # grouped header as the paper prints it
    assert '0.015<br/><span class="badge st-differs">' in out and '<td class="num">0.246</td>' in out
    assert out.count("badge st-") == 4 and "Status marks: ✓ reproduced" in out
    assert "_status" not in out
    # reasons become footnotes, one per distinct text, shared between rows
    long2 = pd.concat([long, long.assign(model=["C1"] * 4)])
    wide2, so2 = wide_comparison(long2, ["model"], "parameter", ["beta", "n"])
    out2 = table_html(wide2, status_of=so2, anchor="w")
    assert out2.count('<li id="w-fn') == 2 and out2.count('href="#w-fn1"') == 2


def test_figure_is_inline_svg_capped_in_width_with_legible_fonts_and_n():
    fig, ax = plt.subplots(figsize=(14, 4))
    ax.plot([1, 2, 3], label="a")
    ax.legend(fontsize=4)
    ax.set_title("t", fontsize=5)
    out = figure_html(fig, caption="A line", n=3, anchor="f1")
    assert out.startswith('<figure class="fig" id="f1"><svg')
    width = float(re.search(r'style="width:(\d+)px"', out).group(1))
    assert width <= MAX_WIDTH_PX + 40  # bbox_inches="tight" may add a few px of labels
    sizes = [float(s) for s in re.findall(r"font-size: ([0-9.]+)px", out)]
    assert sizes and min(sizes) >= 7.0  # 7 pt in SVG user units = 9.3 CSS px at the displayed size
    assert "A line (n = 3)" in out
    assert "data:image/png" not in out


def test_a_huge_svg_falls_back_to_png():
    import numpy as np

    fig, ax = plt.subplots(figsize=(4, 3))
    xy = np.random.default_rng(0).random((2, 20_000))
    ax.scatter(*xy, s=1)
    out = figure_html(fig, "many points")
    assert "data:image/png;base64," in out and "<svg" not in out and len(out) < 400_000


def test_png_fallback_is_twice_the_displayed_resolution():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1])
    out = figure_html(fig, fmt="png")
    shown = int(re.search(r'style="width:(\d+)px"', out).group(1))
    import base64
    raw = base64.b64decode(re.search(r"base64,([^\"]+)", out).group(1))
    assert int.from_bytes(raw[16:20], "big") in (2 * shown, 2 * shown + 1)


@pytest.mark.parametrize(
    ("published", "ours", "kw", "expected"),
    [
        (0.246, 0.015, {"low": -0.05, "high": 0.08}, "differs"),  # ideas B1 beta: far off, outside our interval
        (-0.11, -0.08246, {"low": -0.1064, "high": -0.0585}, "differs"),  # Thompson Table 1 col 2: 25% off, outside CI
        (-0.11, -0.1043, {"low": -0.1234, "high": -0.0853}, "reproduced"),
        (-0.04, -0.0341, {"low": -0.0438, "high": -0.0243}, "close"),  # 15% off, inside CI
        (1.8, 1.8168, {"decimals": 1}, "reproduced"),  # within the paper's rounding
        (0.5, 0.846, {"decimals": 1}, "differs"),
        (51, 64, {}, "differs"),
        (13, 13, {}, "reproduced"),
        (0.45, 0.5498, {}, "close"),
    ],
)
def test_status_rule_on_published_numbers(published, ours, kw, expected):
    assert classify(published, ours, **kw) == expected


def test_missing_ours_is_not_reproducible_and_the_rule_is_stated():
    assert row("x", "p", "t", "q", 1.0, None, reason="no data").status == "not reproducible"
    assert "reproduced" in RULE_TEXT and "95% interval" in RULE_TEXT and "rounding" in RULE_TEXT
