"""Meta-analysis of log r: DerSimonian–Laird by hand, prediction interval, provider format for takeoff configs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from aiprogress.algorithmic import meta as M
from aiprogress.errors import ParameterError


def _table(log_r, se):
    return pd.DataFrame({"study": [f"s{i}" for i in range(len(log_r))], "log_r": log_r, "se_log_r": se, "r": np.exp(log_r),
                         "included": True, "origin": "published"})


def test_dersimonian_laird_by_hand():
    y = np.array([0.3, 0.1, 1.2, 0.5, -0.2])
    se = np.array([0.3, 0.2, 0.45, 0.3, 0.25])
    res = M.meta_analysis(_table(y, se), method="dl", level=0.90)
    w = 1 / se**2
    mu_fe = (w * y).sum() / w.sum()
    q = (w * (y - mu_fe) ** 2).sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    wr = 1 / (se**2 + tau2)
    mu = (wr * y).sum() / wr.sum()
    se_mu = math.sqrt(1 / wr.sum())
    assert res.tau2 == pytest.approx(tau2, rel=1e-10)
    assert res.mu_log_r == pytest.approx(mu, rel=1e-10)
    assert res.q == pytest.approx(q, rel=1e-10)
    assert res.i2 == pytest.approx(max(0.0, (q - 4) / q), rel=1e-10)
    half = stats.t.ppf(0.95, len(y) - 2) * math.sqrt(tau2 + se_mu**2)
    assert (res.prediction_low, res.prediction_high) == pytest.approx((math.exp(mu - half), math.exp(mu + half)), rel=1e-10)
    assert res.distribution["median"] == pytest.approx(math.exp(mu)) and res.distribution["log_sd"] == pytest.approx(math.sqrt(tau2 + se_mu**2))


def test_published_studies_use_the_table_4_interval_and_the_assumed_se():
    st = M.studies(None).set_index("domain")
    assert st.loc["image recognition", "se_log_r"] == pytest.approx((math.log(2.4) - math.log(0.8)) / (2 * stats.norm.ppf(0.95)))
    assert st.loc["SAT solvers", "se_log_r"] == pytest.approx(M.ASSUMED_LOG_SE)
    assert "hardware (chips)" not in st.index
    assert "GPUs" in M.studies(None, include_hardware=True)["domain"].tolist()
    ours = pd.DataFrame([{"domain": "language", "estimator": "ml", "input": "authors", "r": -0.5, "se": 0.3}])
    row = M.studies(ours).iloc[-1]
    assert not row["included"] and "log r undefined" in row["why_excluded"]


def test_provider_returns_a_lognormal_the_takeoff_loader_accepts(monkeypatch, tmp_path):
    monkeypatch.setattr(M, "_CACHE", {})
    spec = M.provide("meta-published")
    assert set(spec) == {"dist", "median", "log_sd"} and spec["dist"] == "lognormal" and spec["log_sd"] > 0
    with pytest.raises(LookupError, match="available"):
        M.provide("nope")
    # the spec goes into a takeoff config exactly as a provider result would: the loader accepts it and keeps its median
    import yaml

    from aiprogress.takeoff.config import config_medians, load_config

    base = yaml.safe_load((Path(__file__).parents[2] / "src/aiprogress/takeoff/configs/davidson-range.yaml").read_text(encoding="utf-8"))
    base["parameters"]["r"] = spec
    path = tmp_path / "meta.yaml"
    path.write_text(yaml.safe_dump(base), encoding="utf-8")
    assert config_medians(load_config(path))["r"] == pytest.approx(spec["median"], rel=1e-9)


def test_meta_needs_three_studies_and_a_known_method():
    with pytest.raises(ParameterError, match="studies"):
        M.meta_analysis(_table(np.array([0.1, 0.2]), np.array([0.1, 0.1])))
    with pytest.raises(ParameterError, match="method"):
        M.meta_analysis(_table(np.array([0.1, 0.2, 0.3]), np.array([0.1, 0.1, 0.1])), method="bayes")


def test_provider_reads_the_data_source_a_report_section_sets(monkeypatch, tmp_path):
    """``{from: "algorithmic:meta"}`` inside ``data_source(catalog=...)`` reads that catalog: the same
    distribution as from the raw files (the catalog holds the same tables)."""
    from aiprogress.capabilities import current_data_source, data_source
    from aiprogress.data.catalog import build_catalog
    from aiprogress.paths import resolve_data_dir

    root = resolve_data_dir()
    if not (root / "thompson2020" / "imagenet.csv").is_file():
        pytest.skip("shared data not available")
    monkeypatch.setattr(M, "_CACHE", {})
    cat = tmp_path / "cat.duckdb"
    build_catalog(root, cat)
    calls = []
    real = M.run_meta
    monkeypatch.setattr(M, "run_meta", lambda **kw: calls.append(kw) or real(**kw))
    raw = M.provide("meta")
    with data_source(catalog=cat, data_dir=root):
        assert current_data_source() == {"catalog": cat, "data_dir": root}
        from_catalog = M.provide("meta")
        assert M.provide("meta") == from_catalog and len(calls) == 2  # memoised per data source
    assert current_data_source() == {"catalog": None, "data_dir": None}
    assert calls[0]["catalog"] is None and calls[1]["catalog"] == cat
    assert from_catalog == raw
