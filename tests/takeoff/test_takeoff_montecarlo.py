"""Monte Carlo: configs, distributions, copula, reproducibility, solver agreement, Dask, Sobol."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import InputError
from aiprogress.takeoff.config import load_config, parse_config, shipped_configs
from aiprogress.takeoff.montecarlo import run_monte_carlo, sample_parameters
from aiprogress.takeoff.sensitivity import sensitivity
from aiprogress.takeoff.sie import SIEParams
from aiprogress.takeoff.trajectory import simulate

runner = CliRunner()

BASE = """
name: t
parameters:
  alpha: 0.5
  rho: {dist: uniform, low: -0.3, high: 0.0}
  r: {dist: lognormal, ci80: [1.0, 4.0]}
  kappa: {dist: normal, ci90: [0.2, 0.8], bounds: [0.0, 1.0]}
  lam: {dist: loguniform, low: 0.3, high: 1.0}
  eta: {dist: choice, values: [0.0, 0.5], weights: [3, 1]}
correlations:
  - [rho, r, 0.6]
"""


def test_shipped_configs_load_and_cover_the_seed_ranges():
    names = shipped_configs()
    assert {"davidson-range", "economics-base-rate", "cobb-douglas", "fixed-hardware-r"} <= set(names)
    d = {m.name: m for m in load_config("davidson-range").marginals}
    e = {m.name: m for m in load_config("economics-base-rate.yaml").marginals}
    assert np.allclose(d["rho"].ppf(np.array([0.0, 1.0])), [-0.2, 0.0])
    assert np.allclose(e["rho"].ppf(np.array([0.0, 1.0])), [-1.22, -0.15])
    assert np.allclose(d["r"].ppf(np.array([0.1, 0.9])), [1.0, 4.0], rtol=1e-12)
    fixed_r = {m.name: m for m in load_config("fixed-hardware-r").marginals}["r"]
    assert np.allclose(fixed_r.ppf(np.array([0.1, 0.9])), [0.5, 2.0], rtol=1e-12)


def test_marginals_match_scipy_and_bounds_truncate():
    cfg = parse_config(BASE)
    s = sample_parameters(cfg, 40_000, seed=3)
    # lognormal from an 80% interval: the 10% and 90% quantiles are the interval ends.
    assert np.quantile(s["r"], [0.1, 0.9]) == pytest.approx([1.0, 4.0], rel=0.03)
    # normal from a 90% interval, truncated to [0, 1]: compare with scipy's truncnorm.
    mean, sd = 0.5, 0.3 / stats.norm.ppf(0.95)
    ref = stats.truncnorm((0 - mean) / sd, (1 - mean) / sd, loc=mean, scale=sd)
    assert s["kappa"].min() >= 0 and s["kappa"].max() <= 1
    assert stats.kstest(s["kappa"], ref.cdf).pvalue > 1e-3
    assert stats.kstest(s["lam"], stats.loguniform(0.3, 1.0).cdf).pvalue > 1e-3
    assert np.mean(s["eta"] == 0.5) == pytest.approx(0.25, abs=0.01)
    # Gaussian copula: Spearman correlation = (6/pi) asin(rho/2).
    sp = stats.spearmanr(s["rho"], s["r"]).statistic
    assert sp == pytest.approx(6 / math.pi * math.asin(0.3), abs=0.02)
    assert float(s["alpha"]) == 0.5


@pytest.mark.parametrize(
    "text, key",
    [
        ("parameters:\n  rho: {dist: gamma, low: 0, high: 1}\n", "parameters.rho.dist"),
        ("parameters:\n  rho: {dist: uniform, low: 0.0, high: -0.2}\n", "parameters.rho.high"),
        ("parameters:\n  rho: {dist: uniform, low: -0.5}\n", "parameters.rho.high"),
        ("parameters:\n  r: {dist: normal, mean: 1, sd: 1, bounds: [3, 2]}\n", "parameters.r.bounds"),
        ("parameters:\n  r: {dist: normal, mean: 1, sd: 1}\n", "parameters.r"),  # can go negative
        ("parameters:\n  banana: 1\n", "parameters.banana"),
        ("name: x\n", "parameters"),
        ("parameters:\n  r: {dist: uniform, low: 1, high: 2}\n  lam: 0.5\ncorrelations:\n  - [r, lam, 0.5]\n",
         "correlations"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, text, key):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(InputError) as info:
        load_config(f)
    assert str(f) in str(info.value) and key in str(info.value)
    res = runner.invoke(app, ["takeoff", "monte-carlo", "--config", str(f), "--draws", "10", "--json"])
    assert res.exit_code == 2 and key in res.output and "Traceback" not in res.output
    assert res.stdout.strip() == "" or not res.stdout.lstrip().startswith("{")


def test_error_line_number_and_unknown_config():
    with pytest.raises(InputError, match="line 3"):
        parse_config("name: x\nparameters:\n  rho: {dist: nope}\n", source="c.yaml")
    res = runner.invoke(app, ["takeoff", "monte-carlo", "--config", "no-such-config"])
    assert res.exit_code == 2 and "davidson-range" in res.output


def test_same_seed_same_result_and_standard_error():
    a = run_monte_carlo("davidson-range", 3000, seed=7, chunk_size=1000)
    b = run_monte_carlo("davidson-range", 3000, seed=7, chunk_size=1000)
    c = run_monte_carlo("davidson-range", 3000, seed=8, chunk_size=1000)
    assert a.p_sie == b.p_sie and np.array_equal(a.days_to_level, b.days_to_level)
    assert not np.array_equal(a.days_to_level, c.days_to_level)
    sie = a.days_to_sie_ooms < 365
    assert a.p_sie == np.mean(sie)
    assert a.p_sie_se == pytest.approx(np.std(sie) / math.sqrt(3000), rel=1e-12)
    outs = [runner.invoke(app, ["takeoff", "monte-carlo", "--config", "cobb-douglas", "--draws", "2000",
                                "--seed", "1", "--json", "--quiet"]) for _ in range(2)]
    assert all(o.exit_code == 0 for o in outs)
    j = [json.loads(o.stdout) for o in outs]
    assert j[0]["p_sie"] == j[1]["p_sie"] and j[0] == j[1]


def test_vectorised_quadrature_agrees_with_solve_ivp_on_sampled_draws():
    res = run_monte_carlo("davidson-range", 400, seed=11)
    t5 = res.days_to_sie_ooms
    rows = np.flatnonzero(np.isfinite(t5) & (t5 < 20 * 365))[:12]
    assert rows.size >= 8
    for i in rows:
        p = SIEParams(**{k: float(v) for k, v in res.samples.iloc[i].items()})
        ref = simulate(p, stop_ooms=5, horizon_days=25 * 365, max_growth_per_day=1e6,
                       fill_unreached=False).days_to_sie_ooms
        assert t5[i] == pytest.approx(ref, rel=1e-4)


def test_fan_chart_quantiles_are_quantiles_of_the_paths():
    res = run_monte_carlo("cobb-douglas", 2000, seed=5)
    fan = res.fan_chart()
    # Direct check at one time: median of log10 S(t) over draws (interpolated per draw).
    j = int(np.flatnonzero(fan["ooms"] == 3.0)[0])
    t_med = fan["days_q50"].iloc[j]
    assert np.mean(res.days_to_level[:, j] <= t_med) == pytest.approx(0.5, abs=2 / 2000)
    assert fan["p_reached_within_sie_days"].iloc[j] == pytest.approx(np.mean(res.days_to_level[:, j] < 365))


@pytest.mark.slow  # quick variant: test_takeoff_statistics.py::test_monte_carlo_identical_on_a_dask_local_cluster
def test_dask_local_cluster_gives_the_local_result():
    from dask.distributed import Client, LocalCluster

    local = run_monte_carlo("economics-base-rate", 2500, seed=3, chunk_size=600)
    with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        dist = run_monte_carlo("economics-base-rate", 2500, seed=3, chunk_size=600, scheduler=client)
    assert dist.p_sie == local.p_sie
    assert np.array_equal(dist.days_to_level, local.days_to_level)
    assert dist.samples.equals(local.samples)


def test_sobol_irrelevant_input_has_zero_index():
    # With alpha = 1 experiments never enter, so kappa must have (near) zero indices.
    text = """
name: s
parameters:
  alpha: 1.0
  lam: 1.0
  ceiling_ooms: .inf
  r: {dist: uniform, low: 0.6, high: 2.5}
  labour_at_full_hardware: {dist: loguniform, low: 10, high: 1000}
  kappa: {dist: uniform, low: 0.0, high: 1.0}
"""
    res = sensitivity(parse_config(text), n=512, seed=2, output="log10_days")
    idx = res.indices.set_index("parameter")
    assert abs(idx.loc["kappa", "ST"]) < 1e-12 and abs(idx.loc["kappa", "S1"]) < 0.02
    assert idx.loc["r", "ST"] > 0.3
    # Indices of a deterministic model of (r, labour) only sum to about 1 in first order + interactions.
    assert idx["ST"].sum() >= 0.9


def test_sensitivity_cli(tmp_path):
    f = tmp_path / "s.png"
    res = runner.invoke(app, ["takeoff", "sensitivity", "--config", "cobb-douglas", "--n", "64", "--json",
                              "--plot", str(f)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["evaluations"] == 64 * (len(load_config("cobb-douglas").marginals) + 2)
    assert f.stat().st_size > 1000
    bad = runner.invoke(app, ["takeoff", "sensitivity", "--n", "100"])
    assert bad.exit_code == 2 and "power of 2" in bad.output
