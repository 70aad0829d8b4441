"""The algorithmic report section: registered, and shows the published r next to ours (moved from takeoff)."""

from __future__ import annotations

import pytest

from aiprogress.paths import resolve_data_dir
from aiprogress.report import build_report, sections

needs_data = pytest.mark.skipif(
    not (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not available"
)


def test_section_is_registered_with_its_key():
    sec = {s.key: s for s in sections()}["algorithmic"]
    assert sec.title == "Algorithmic progress and the returns to software"


@needs_data
def test_section_builds_with_published_r_and_figure(tmp_path):
    res = build_report(tmp_path, only=["algorithmic"])
    assert res.failed == {}
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "published (image recognition)" in text
    assert "Eth &amp; Davidson 2025" in text
    assert "data:image/png;base64" in text
