"""The algorithmic CLI on the shared data: halving (vision, language), meta, acceleration, many-sources r, errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.paths import resolve_data_dir
from aiprogress.replication import STATUSES

_DATA = resolve_data_dir()
needs_data = pytest.mark.skipif(
    not ((_DATA / "thompson2020" / "imagenet.csv").is_file() and (_DATA / "epoch_benchmarks" / "model_versions.csv").is_file()),
    reason="shared data not available")
runner = CliRunner()


def _json(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@needs_data
def test_halving_vision_json_next_to_published_9_months():
    out = _json(["algorithmic", "halving", "--domain", "vision", "--bootstrap", "100", "--json"])
    assert (out["published_months"], out["published_low"], out["published_high"]) == (9.0, 4.0, 25.0)
    assert out["status"] in STATUSES and out["reason"]
    assert out["delta_low"] < out["halving_months"] < out["delta_high"]
    # independent reference: statsmodels on the same sample (rows with training compute)
    from aiprogress.algorithmic.vision import imagenet_sample
    from aiprogress.data import load_table

    s, info = imagenet_sample(load_table("benchmark_results"), load_table("models"), load_table("hardware"))
    s = s[s["train_flop"] > 0].assign(lc=lambda f: np.log10(f["train_flop"]))
    ref = smf.ols("log10_error ~ lc + time", s).fit()
    assert out["halving_months"] == pytest.approx(12 * math.log10(2) * ref.params["lc"] / ref.params["time"], rel=1e-8)
    assert out["join"]["match_rate"] == pytest.approx(info["joined_to_epoch"] / info["imagenet_rows"])
    assert any("thompson2020" in src for src in out["sources"])


@needs_data
def test_halving_language_json_next_to_published_8_months():
    out = _json(["algorithmic", "halving", "--domain", "language", "--bootstrap", "100", "--json"])
    assert (out["published_months"], out["published_low"], out["published_high"]) == (8.0, 5.0, 14.0)
    assert out["status"] in STATUSES and out["reason"]
    j = out["join"]
    assert j["match_rate"] == pytest.approx(j["with_training_compute_and_date"] / j["score_rows"])
    assert j["distilled_included"] is False and "distilled" in " ".join(out["notes"])
    variants = pd.DataFrame(out["variants"])
    assert variants["label"].str.contains("per benchmark: mmlu").any()
    assert variants["label"].str.contains("distilled models included").any()


@needs_data
def test_meta_json_pooled_r_heterogeneity_and_prediction_interval():
    out = _json(["algorithmic", "meta", "--json"])
    assert out["pooled_r"] == pytest.approx(math.exp(out["mu_log_r"]))
    assert out["prediction_low"] < out["pooled_low"] < out["pooled_r"] < out["pooled_high"] < out["prediction_high"]
    assert out["tau2"] >= 0 and 0 <= out["i2"] <= 1
    assert out["distribution"]["dist"] == "lognormal"
    studies = pd.DataFrame(out["studies"])
    assert studies["weight_re"].dropna().sum() == pytest.approx(1.0)
    assert studies["study"].str.contains("ours").any()


@needs_data
def test_many_sources_reports_r_by_input():
    out = _json(["algorithmic", "returns", "--many-sources", "--input", "papers", "--input", "models", "--estimator", "levels",
                 "--bootstrap", "0", "--json"])
    tab = pd.DataFrame(out["table"])
    vis = tab[(tab["domain"] == "vision")].set_index("input")
    assert np.isfinite(vis.loc["papers", "r"]) and np.isfinite(vis.loc["models", "r"])
    assert tab[(tab["domain"] == "language") & (tab["input"] == "papers")]["note"].str.contains("at least").all()


def test_acceleration_on_a_csv_and_errors(tmp_path):
    t = np.arange(2000, 2030)
    path = tmp_path / "s.csv"
    pd.DataFrame({"year": t, "value": 0.1 * (t - 2000) ** 2}).to_csv(path, index=False)
    out = _json(["algorithmic", "acceleration", "--csv", str(path), "--n-sim", "99", "--power-series", "200", "--json"])
    assert out["convex_reject"] is True and out["convex_coef"] == pytest.approx(0.1, rel=1e-6)
    assert len(out["size_and_power"]) == 2
    bad = runner.invoke(app, ["algorithmic", "halving", "--domain", "music", "--json"])
    assert bad.exit_code == 2 and "domain" in bad.stderr and bad.stdout == ""
    bad = runner.invoke(app, ["algorithmic", "meta", "--plot", str(tmp_path / "x.gif")])
    assert bad.exit_code == 2 and "plot" in bad.stderr
    bad = runner.invoke(app, ["algorithmic", "acceleration", "--csv", str(tmp_path / "missing.csv")])
    assert bad.exit_code == 2 and "missing.csv" in bad.stderr
