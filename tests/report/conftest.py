"""One report build per test session, shared by the scorecard and browser tests (keeps the suite fast)."""

from __future__ import annotations

import pytest

from aiprogress.paths import resolve_data_dir

DATA = resolve_data_dir()
HAVE_DATA = (DATA / "thompson2020" / "imagenet.csv").is_file() and (DATA / "epoch").is_dir()
#: The quick report: scaling (the widest replication table, Figure 4, six SVG panels, the Plotly chart),
#: growth (model figures, its two replication tables), each with its scorecard rows; the other sections
#: are left to the full (slow) browser test.
QUICK_SECTIONS = ["scaling", "growth"]


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    if not HAVE_DATA:
        pytest.skip("shared data not available")
    from aiprogress.report import build_report

    out = tmp_path_factory.mktemp("report")
    res = build_report(out, only=QUICK_SECTIONS, allow_partial=True)
    return res, out / "index.html"
