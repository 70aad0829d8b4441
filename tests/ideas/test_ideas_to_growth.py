"""Estimates flow into projections: ideas bootstrap draws -> growth distribution."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from aiprogress.cli import app

runner = CliRunner()


def _closed_form_growth(beta_hat, gamma_hat, theta=0.5, gamma_cal=0.4, n=0.01):
    """Paper §7: f = b/(b+g), beta = f*gamma_cal/(1-f), g_A = (beta+gamma_cal)/(1-beta-theta)*n (inf without a BGP)."""
    f = beta_hat / (beta_hat + gamma_hat)
    beta = f * gamma_cal / (1 - f)
    g = (beta + gamma_cal) / (1 - beta - theta) * n
    return np.where(beta + theta >= 1, np.inf, g)


def test_bootstrap_draws_feed_the_growth_distribution(tmp_path):
    sample = tmp_path / "sample.csv"
    r = runner.invoke(app, ["ideas", "simulate", "--n", "150", "--seed", "5", "--n-boot", "50", "--out", str(sample), "--json"])
    assert r.exit_code == 0, r.output
    draws = tmp_path / "draws.csv"
    r = runner.invoke(
        app, ["ideas", "estimate", "--sample", str(sample), "--n-boot", "400", "--seed", "5", "--draws-out", str(draws), "--json"]
    )
    assert r.exit_code == 0, r.output
    est = json.loads(r.stdout)
    frame = pd.read_csv(draws)
    labels = [m["label"] for m in est["models"]]
    assert list(dict.fromkeys(frame["model"])) == labels
    assert (frame.groupby("model").size() == 400).all()

    label = labels[0]
    r = runner.invoke(app, ["growth", "from-estimates", "--draws", str(draws), "--draws-model", label, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    mine = frame[frame["model"] == label]
    b, g = mine["beta"].to_numpy(), mine["gamma"].to_numpy()
    ok = (b > 0) & (g > 0)
    expected = np.percentile(_closed_form_growth(b[ok], g[ok]), 50)
    assert np.isfinite(expected)
    assert abs(out["percentiles"]["p50"] - expected) < 1e-12


def test_draws_file_with_several_models_needs_a_choice(tmp_path):
    path = tmp_path / "d.csv"
    pd.DataFrame({"model": ["A1", "A1", "C1"], "beta": [0.1, 0.12, 0.2], "gamma": [0.3, 0.3, 0.3]}).to_csv(path, index=False)
    r = runner.invoke(app, ["growth", "from-estimates", "--draws", str(path)])
    assert r.exit_code == 2
    assert "column 'model'" in r.stderr and "--draws-model" in r.stderr
    r = runner.invoke(app, ["growth", "from-estimates", "--draws", str(path), "--draws-model", "B1"])
    assert r.exit_code == 2 and "no draws of model 'B1'" in r.stderr
