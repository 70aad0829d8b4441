"""CLI of aiprogress.ideas: JSON output, real-data run, bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.paths import resolve_data_dir

runner = CliRunner()
HAS_DATA = (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file()


def test_simulate_writes_a_sample_that_estimate_reads(tmp_path):
    out = tmp_path / "sim.csv"
    r = runner.invoke(app, ["ideas", "simulate", "--n", "150", "--seed", "3", "--n-boot", "300", "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["truth"]["beta"] == 0.15 and d["recovered"]["beta_ci95"][0] < d["recovered"]["beta_ci95"][1]
    r2 = runner.invoke(app, ["ideas", "estimate", "--sample", str(out), "--n-boot", "300", "--json", "--seed", "3"])
    assert r2.exit_code == 0, r2.output
    e = json.loads(r2.stdout)
    pooled = e["models"][-1]
    assert pooled["label"] == "C1" and pooled["n"] == 150
    # the CLI recovers the same numbers as the simulate command's own estimate
    assert pooled["beta"]["estimate"] == pytest.approx(d["recovered"]["beta"], abs=1e-9)


@pytest.mark.skipif(not HAS_DATA, reason="shared data not present")
def test_estimate_on_the_shipped_data_reports_the_acceptance_fields(tmp_path):
    png = tmp_path / "f.png"
    r = runner.invoke(app, ["ideas", "estimate", "--benchmarks", "imagenet,ms_coco", "--pooled", "--json", "--n-boot", "2000", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    labels = [m["label"] for m in d["models"]]
    assert labels == ["A1", "B1", "C1"]
    c1 = d["models"][-1]
    b, g = c1["beta"]["estimate"], c1["gamma"]["estimate"]
    assert c1["capital_share"]["estimate"] == pytest.approx(b / (b + g), rel=1e-12)
    lo, hi = c1["capital_share"]["interval"]
    assert lo < c1["capital_share"]["estimate"] < hi
    assert c1["estimator"] in ("OLS (HC)", "GLS (ML)")
    assert (c1["estimator"] == "GLS (ML)") == c1["breusch_pagan"]["rejects_at_5pct"]
    assert c1["n"] == sum(m["n"] for m in d["models"][:2])
    assert png.stat().st_size > 0


def test_bad_options_exit_2_with_one_line(tmp_path):
    r = runner.invoke(app, ["ideas", "estimate", "--window", "x"])
    assert r.exit_code == 2 and "window" in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("benchmark,date,g_tilde,train_flop,human_capital\nimagenet,2015-01-01,-0.1,1e18,2\n")
    r = runner.invoke(app, ["ideas", "estimate", "--sample", str(bad)])
    assert r.exit_code == 2 and "line 2" in r.output and "g_tilde" in r.output
    r = runner.invoke(app, ["ideas", "estimate", "--sample", str(tmp_path / "missing.csv")])
    assert r.exit_code == 2 and "missing.csv" in r.output


@pytest.mark.skipif(not HAS_DATA, reason="shared data not present")
def test_replicate_puts_the_published_tables_beside_ours():
    r = runner.invoke(app, ["ideas", "replicate", "--json", "--n-boot", "200"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    rows = {(x["model"], x["parameter"]): x for x in d["comparison"]}
    # published values are the paper's Tables 4-5
    assert rows[("A1", "beta")]["published"] == pytest.approx(0.111)
    assert rows[("C2", "gamma")]["published"] == pytest.approx(0.298)
    assert rows[("C1", "n")]["published"] == 136
    for x in d["comparison"]:
        if x["published"] is not None and x["ours"] is not None:
            assert x["difference"] == pytest.approx(x["ours"] - x["published"], abs=1e-12)
    assert any("Human capital" in s for s in d["why_they_differ"])
