"""`aiprogress growth ...` commands: JSON output, figures, errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app

runner = CliRunner()

PUBLISHED_PCT = {"A": (1.6, 1.8), "B": (3.1, 3.9), "C": (2.1, 2.4)}  # §7 of the paper


def run(*args: str):
    return runner.invoke(app, ["growth", *args])


def test_from_estimates_published_json_reproduces_section7():
    res = run("from-estimates", "--published", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["theta"] == 0.5 and out["gamma_calibrated"] == 0.4 and out["n"] == 0.01
    rows = {r["model"]: r for r in out["models"]}
    assert set(rows) == {"A1", "A2", "B1", "B2", "C1", "C2"}
    for m, r in rows.items():
        f = r["beta_hat"] / (r["beta_hat"] + r["gamma_hat"])
        beta = f * 0.4 / (1 - f)
        closed = 100 * (beta + 0.4) / (1 - beta - 0.5) * 0.01
        assert abs(r["g_A_pct"] - closed) < 0.05
        lo, hi = PUBLISHED_PCT[m[0]]
        assert lo - 0.05 <= r["g_A_pct"] <= hi + 0.05
        assert r["match"] is True


def test_from_estimates_single_pair_and_plot(tmp_path):
    png = tmp_path / "f.png"
    res = run("from-estimates", "--beta", "0.145", "--gamma", "0.278", "--json", "--plot", str(png))
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    b = 0.4 * 0.145 / 0.278
    assert out["g_A"] == pytest.approx((b + 0.4) / (1 - b - 0.5) * 0.01)
    assert png.stat().st_size > 1000


def test_from_estimates_draws_file(tmp_path):
    rng = np.random.default_rng(0)
    b, c = rng.normal(0.15, 0.02, 500), rng.normal(0.3, 0.05, 500)
    path = tmp_path / "draws.csv"
    pd.DataFrame({"beta": b, "gamma": c}).to_csv(path, index=False)
    png = tmp_path / "d.png"
    res = run("from-estimates", "--draws", str(path), "--json", "--plot", str(png), "--quiet")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    beta = 0.4 * b / c
    g = np.where(beta + 0.5 < 1, (beta + 0.4) / (1 - beta - 0.5) * 0.01, np.inf)
    assert out["n_draws"] == 500
    assert out["percentiles"]["p50"] == pytest.approx(np.median(g))
    assert png.stat().st_size > 1000


def test_draws_file_with_bad_value_names_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("beta,gamma\n0.1,0.3\n0.2,abc\n")
    res = run("from-estimates", "--draws", str(path))
    assert res.exit_code == 2
    assert "line 3" in res.stderr and "gamma" in res.stderr and "Traceback" not in res.output
    path.write_text("b,gamma\n0.1,0.3\n")
    res = run("from-estimates", "--draws", str(path))
    assert res.exit_code == 2 and "beta" in res.stderr


def test_steady_state_json():
    res = run("steady-state", "--beta", "0.2", "--gamma", "0.3", "--theta", "0.4", "--n", "0.02", "--json")
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    assert out["g_A"] == pytest.approx(0.5 / 0.4 * 0.02)
    assert out["g_K"] == pytest.approx(0.9 / 0.4 * 0.02)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["steady-state", "--beta", "0.3", "--theta", "0.7"], "theta"),
        (["steady-state", "--n", "-0.01"], "n"),
        (["capital-share", "--f", "1.2"], "f"),
        (["capital-share", "--f", "0"], "f"),
        (["from-estimates", "--published", "--n", "-0.01"], "n"),
        (["transition", "--beta-after", "0.6", "--theta", "0.5"], "beta_after"),
        (["proposition1", "--beta", "0.6", "--theta", "0.5"], "theta"),
    ],
)
def test_bad_parameters_exit_2_naming_the_parameter(args, name):
    res = run(*args)
    assert res.exit_code == 2
    assert f"'{name}'" in res.stderr
    assert "Traceback" not in res.output


def test_transition_json_and_plot(tmp_path):
    png = tmp_path / "t.png"
    res = run("transition", "--beta-before", "0.1", "--beta-after", "0.2", "--years", "1500", "--json", "--plot", str(png))
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["after"]["g_A"] == pytest.approx(0.6 / 0.3 * 0.01)
    assert abs(out["final_gap_g_A"]) < 1e-5
    assert out["path"][0]["g_A"] == pytest.approx(0.5 / 0.4 * 0.01)
    assert png.stat().st_size > 1000


def test_proposition1_and_capital_share_json(tmp_path):
    res = run("proposition1", "--beta", "0.1", "--gamma", "0.4", "--beta-after", "0.2", "--gamma-after", "0.35", "--json")
    out = json.loads(res.stdout)
    assert out["applies"] is True and out["g_A_after"] == pytest.approx(0.55 / 0.3 * 0.01)
    png = tmp_path / "c.svg"
    res = run("capital-share", "--f", "0.2", "--theta", "0.5", "--theta", "0.6", "--json", "--plot", str(png))
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert rows[0]["g_A_pct"] == pytest.approx(1.25)  # beta = 0.1: 0.5/0.4 %
    assert rows[1]["g_A_pct"] == pytest.approx(100 * 0.5 / 0.3 * 0.01)  # theta 0.6
    assert png.read_text().lstrip().startswith("<?xml")


def test_report_section_builds(tmp_path):
    from aiprogress.report import build_report

    result = build_report(tmp_path, only=["growth"])
    assert result.failed == {}
    text = (tmp_path / "index.html").read_text()
    assert "Semi-endogenous growth under AI-augmented R&amp;D" in text or "Semi-endogenous growth under AI-augmented R&D" in text
    assert "All six models reproduce the published" in text
