"""The algorithmic report section: registered, its parts build, the scorecard rows carry statuses."""

from __future__ import annotations

import pytest

from aiprogress.paths import resolve_data_dir
from aiprogress.replication import STATUSES
from aiprogress.report import build_report, sections
from aiprogress.reportkit import ReportContext

needs_data = pytest.mark.skipif(
    not (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not available"
)


def test_section_is_registered_with_its_key():
    sec = {s.key: s for s in sections()}["algorithmic"]
    assert sec.title == "Algorithmic progress and the returns to software"


@needs_data
def test_returns_part_shows_published_r_and_figure():
    # quick variant of the full build below: the single-series r part
    from aiprogress.algorithmic.report import _returns_part

    html = "\n".join(_returns_part(ReportContext()))
    assert "published (image recognition)" in html
    assert "Eth &amp; Davidson 2025" in html
    assert "<svg" in html or "data:image/png;base64" in html


def test_replication_row_of_a_synthetic_halving_estimate():
    # quick variant of the scorecard test: the classification of a halving estimate against the published 9 months
    from aiprogress.algorithmic.domain import delta_interval, halving_replication_row
    from aiprogress.algorithmic.halving import fit_halving, simulate_halving_data

    d = simulate_halving_data(2, halving_months=9.0, n=200)
    est = fit_halving(d["log10_error"], d["log10_compute"], d["time"], n_boot=0)
    row = halving_replication_row("vision", est)
    lo, hi = delta_interval(est, 0.95)
    assert (row.published, row.low, row.high) == (9.0, pytest.approx(lo), pytest.approx(hi))
    assert row.status == "reproduced" and "inside our 95% interval" in row.reason


@pytest.mark.slow
@needs_data
def test_scorecard_rows_for_vision_and_language():
    from aiprogress.algorithmic.report import scorecard

    rows = scorecard(ReportContext())
    assert [r.published for r in rows] == [9.0, 8.0]
    assert all(r.status in STATUSES and r.reason for r in rows)


@pytest.mark.slow
@needs_data
def test_full_section_builds(tmp_path):
    res = build_report(tmp_path, only=["algorithmic"])
    assert res.failed == {}
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    for needle in ("Compute-equivalent algorithmic progress", "Shapley", "Meta-analysis of log r", "accelerating", "published (image recognition)"):
        assert needle in text
