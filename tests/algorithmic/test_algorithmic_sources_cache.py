"""The efficiency series behind r_from_sources are built once per process: same numbers as a fresh build."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aiprogress.algorithmic import inputs, sources
from aiprogress.paths import resolve_data_dir

ROOT = resolve_data_dir()
pytestmark = pytest.mark.skipif(not (ROOT / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not available")


def test_memoised_efficiency_series_equal_a_fresh_build_and_are_built_once(monkeypatch):
    monkeypatch.setattr(sources, "_EFFICIENCY", {})
    calls = []
    real = sources.efficiency_series
    monkeypatch.setattr(sources, "efficiency_series", lambda *a, **kw: calls.append(a[0]) or real(*a, **kw))
    kw = dict(measures=("authors",), estimators=("ml",), n_boot=0, data_dir=ROOT)
    first = sources.r_from_sources(**kw)
    second = sources.r_from_sources(**kw)
    assert calls == ["vision", "language"]  # the second run reused both series
    pd.testing.assert_frame_equal(first.table, second.table)
    for domain in ("vision", "language"):
        fresh = inputs.efficiency_series(domain, data_dir=ROOT)
        pd.testing.assert_frame_equal(second.series[domain], fresh.frame())
        a = sources._efficiency(domain, ROOT, None, {})
        assert np.array_equal(a.cov, fresh.cov) and np.array_equal(a.log10_s, fresh.log10_s)
        a.log10_s[:] = 0.0  # a caller's copy: the memo is untouched
        assert np.array_equal(sources._efficiency(domain, ROOT, None, {}).log10_s, fresh.log10_s)
