"""Free-text training times -> seconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiprogress.data.timeparse import parse_duration


@pytest.mark.parametrize(
    "text, seconds, method",
    [
        ("3days", 3 * 86400, "parsed"),
        ("3 days", 259200, "parsed"),
        ("46hrs", 46 * 3600, "parsed"),
        ("175 min", 175 * 60, "parsed"),
        ("27hrs 40mins", 27 * 3600 + 40 * 60, "parsed"),
        ("25.68 s", 25.68, "parsed"),
        ("1 week", 7 * 86400, "parsed"),
        ("96h", 96 * 3600, "parsed"),
        ("10-14 days", 12 * 86400, "range_midpoint"),
        ("3 ~ 4 weeks", 3.5 * 7 * 86400, "range_midpoint"),
    ],
)
def test_durations(text, seconds, method):
    assert parse_duration(text) == (pytest.approx(seconds), method)


@pytest.mark.parametrize(
    "text",
    ["160k iterations", "30000 steps", "14.9 fps", "95 imgs/sec", "8 GPU days", "200 GPUhours",
     "20 minutes per epcoh", "1day/64 k40s", "36000", "0.712(s/iter) * 270k", "", None, "79s/epoch"],
)
def test_ambiguous_text_is_unknown(text):
    assert parse_duration(text) == (None, None)


@given(
    st.integers(min_value=0, max_value=500),
    st.sampled_from([("days", 86400), ("hours", 3600), ("hrs", 3600), ("min", 60), ("weeks", 604800), ("s", 1)]),
    st.sampled_from(["", " ", "  "]),
)
def test_number_unit_scales_linearly(n, unit, space):
    name, factor = unit
    assert parse_duration(f"{n}{space}{name}") == (n * factor, "parsed")
