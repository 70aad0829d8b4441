"""A benchmark whose rows cannot identify its model is skipped (with a note), not fatal (issue 10)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.paths import resolve_data_dir

runner = CliRunner()
HAS_DATA = (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file()


def _sample(tmp_path, *, good: bool = True):
    """'aaa' has 40 rows with varied inputs over 3 years (unless good=False); 'bbb' has 4 rows from 2 papers
    in one year, so log S and log C are collinear with its window effect (the MS COCO case under the Epoch join)."""
    rng = np.random.default_rng(7)
    n = 40
    s, c = np.exp(rng.normal(1, 0.5, n)), np.exp(rng.normal(40, 1, n))
    if not good:
        s, c = np.repeat(s[:2], n // 2), np.repeat(c[:2], n // 2)
    a = pd.DataFrame({"benchmark": "aaa", "date": pd.to_datetime("2013-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, n), unit="D"),
                      "human_capital": s, "train_flop": c, "extra_data": rng.integers(0, 2, n).astype(float)})
    a["g_tilde"] = np.exp(0.2 * np.log(a["human_capital"]) + 0.1 * np.log(a["train_flop"]) - 4 + rng.normal(0, 0.3, n))
    if not good:
        a["date"] = pd.Timestamp("2014-03-01")
    b = pd.DataFrame({"benchmark": "bbb", "date": pd.Timestamp("2017-03-15"), "human_capital": [9.2, 9.2, 11.7, 11.7],
                      "train_flop": [2.7e18, 2.7e18, 5.9e18, 5.9e18], "g_tilde": [0.33, 0.26, 0.29, 0.22], "extra_data": 0.0})
    path = tmp_path / "sample.csv"
    pd.concat([a, b], ignore_index=True).to_csv(path, index=False)
    return path, a


def test_an_inestimable_benchmark_is_skipped_with_a_note_and_the_rest_is_estimated(tmp_path):
    path, a = _sample(tmp_path)
    r = runner.invoke(app, ["ideas", "estimate", "--sample", str(path), "--benchmarks", "aaa,bbb", "--json", "--n-boot", "20", "--quiet",
                            "--estimator", "ols"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [m["label"] for m in d["models"]] == ["aaa-1"]
    b1, pooled = d["skipped"]
    assert b1 == {**b1, "benchmark": "bbb", "model": "bbb-1", "rows": 4, "needed": 4, "windows": 1, "distinct_inputs": 2, "distinct_needed": 3}
    assert "collinear" in b1["reason"]
    assert pooled["model"] == "pooled-1" and pooled["needed"] is None and "only aaa" in pooled["reason"]
    assert "warning: skipped model bbb-1 (bbb)" in r.stderr
    # the model that is reported is the plain OLS of the remaining benchmark (independent least squares)
    w = ((a["date"].dt.year - 2012) * 12 + a["date"].dt.month - 1) // 12
    X = np.column_stack([pd.get_dummies(w).to_numpy(float), np.log(a["human_capital"]), np.log(a["train_flop"]), a["extra_data"]])
    coef = np.linalg.lstsq(X, np.log(a["g_tilde"]), rcond=None)[0]
    m = d["models"][0]
    assert m["estimator"] == "OLS (HC)"
    assert m["gamma"]["estimate"] == pytest.approx(coef[-3], abs=1e-8)
    assert m["beta"]["estimate"] == pytest.approx(coef[-2], abs=1e-8)
    assert m["n"] == len(a)


def test_strict_keeps_the_old_error_and_nothing_estimable_is_exit_2(tmp_path):
    path, _ = _sample(tmp_path)
    r = runner.invoke(app, ["ideas", "estimate", "--sample", str(path), "--benchmarks", "aaa,bbb", "--n-boot", "20", "--quiet", "--strict"])
    assert r.exit_code == 2 and "model bbb-1 (4 rows of bbb) cannot be estimated" in r.output
    path, _ = _sample(tmp_path, good=False)
    r = runner.invoke(app, ["ideas", "estimate", "--sample", str(path), "--benchmarks", "aaa,bbb", "--n-boot", "20", "--quiet", "--json"])
    assert r.exit_code == 2 and r.stdout == ""
    msg = r.stderr.strip()
    assert len(msg.splitlines()) == 1 and "nothing can be estimated" in msg and "aaa-1" in msg and "bbb-1" in msg


@pytest.mark.skipif(not HAS_DATA, reason="shared data not present")
def test_epoch_measure_on_the_default_benchmarks_skips_ms_coco(tmp_path):
    """Before issue 10 this exited 2 ('model B1 (4 rows of ms_coco) cannot be estimated')."""
    r = runner.invoke(app, ["ideas", "estimate", "--human-capital", "epoch", "--json", "--n-boot", "50", "--quiet"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [m["label"] for m in d["models"]] == ["A1"]
    assert [(s["benchmark"], s["model"], s["rows"]) for s in d["skipped"]] == [("ms_coco", "B1", 4), ("imagenet+ms_coco", "C1", 63)]
    assert d["models"][0]["n"] == d["sample"]["rows_by_benchmark"]["imagenet"]
    # same A1 as the ImageNet-only run, which never needed skipping
    r2 = runner.invoke(app, ["ideas", "estimate", "--human-capital", "epoch", "--benchmarks", "imagenet", "--json", "--n-boot", "50", "--quiet"])
    d2 = json.loads(r2.stdout)
    assert d2["skipped"] == [] and d2["models"][0]["beta"] == d["models"][0]["beta"]


@pytest.mark.slow
@pytest.mark.skipif(not HAS_DATA, reason="shared data not present")
def test_learned_measure_on_the_default_benchmarks_runs():
    r = runner.invoke(app, ["ideas", "estimate", "--human-capital", "learned", "--json", "--n-boot", "50", "--quiet"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["skipped"][0]["model"] == "B1" and d["skipped"][0]["rows"] == 4
    assert [m["label"] for m in d["models"]] == ["A1"]
