"""The "Estimating ρ and r from data" report section: registered, and shows the published σ → ρ numbers."""

from __future__ import annotations

import pytest

from aiprogress.paths import resolve_data_dir
from aiprogress.report import build_report, sections

needs_data = pytest.mark.skipif(
    not (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not available"
)


def test_section_is_registered_with_its_key_and_order():
    sec = {s.key: s for s in sections()}["takeoff_estimates"]
    assert (sec.title, sec.order) == ("Estimating ρ and r from data", 65)


@needs_data
def test_section_builds_with_sigma_conversion(tmp_path):
    # the published-vs-estimated r part moved to the algorithmic section (tests/algorithmic)
    res = build_report(tmp_path, only=["takeoff_estimates"])
    assert res.failed == {}
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    # σ = 0.45 -> ρ = 1 − 1/0.45 = −1.222 (table formatted to 4 significant digits)
    assert f"{1 - 1 / 0.45:.4g}".replace("-", "−") in text  # the report prints a true minus sign
    assert "aiprogress algorithmic returns" in text
