"""Shared statistics vs brute force; Monte Carlo draws independent of chunking and scheduler; scenarios."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import InputError, ParameterError
from aiprogress.takeoff.config import load_config, parse_config
from aiprogress.takeoff.models import Trajectories, get_model
from aiprogress.takeoff.montecarlo import BLOCK, run_monte_carlo, sample_parameters
from aiprogress.takeoff.statistics import StatisticsSpec, max_compression_years, per_draw, summarise

runner = CliRunner()


def _brute(times, levels, y, horizon):
    best = 0.0
    for j, tj in enumerate(times):
        if not (math.isfinite(tj) and tj <= horizon):
            continue
        for k in range(j, len(times)):
            if times[k] <= tj + y:
                best = max(best, levels[k] - levels[j])
    return best


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.0, 3.0), min_size=1, max_size=30), st.integers(0, 5), st.floats(0.05, 2.0))
def test_max_compression_equals_brute_force(gaps, n_inf, window_years):
    t = np.concatenate([[0.0], np.cumsum(gaps), np.full(n_inf, np.inf)])
    levels = np.arange(t.size, dtype=float)
    tr = Trajectories(model="x", log2_software=levels, time_years=t[None, :])
    got = max_compression_years(tr, window_years * 12, 4.0, 8.0)[0]
    assert got == _brute(t, levels, window_years * 12 / 12.0, 4.0) / 8.0  # the window as the code sees it


def test_summary_probabilities_and_standard_errors():
    spec = StatisticsSpec()
    rng = np.random.default_rng(0)
    vals = {f"max_years_in_{y:g}m": rng.uniform(0, 12, 5000) for y in spec.windows_months}
    vals["days_to_sie_ooms"] = rng.exponential(400, 5000)
    s = summarise(vals, spec)
    row = next(r for r in s["table"] if r["x_years"] == 3 and r["y_months"] == 4)
    p = float(np.mean(vals["max_years_in_4m"] >= 3))
    assert row["p"] == p and row["se"] == pytest.approx(math.sqrt(p * (1 - p) / 5000), rel=1e-15)
    assert row["doublings"] == 24.0 and "8 software doublings" in s["conversion"]
    assert s["sie"]["p"] == float(np.mean(vals["days_to_sie_ooms"] < 365))
    assert [c["x_years"] for c in s["curve"]["points"]] == list(range(1, 21))


def test_compression_of_a_known_path():
    # Exponential software at one doubling per month: 12 doublings (1.5 years of progress) in any year.
    t = np.arange(0, 200) / 12.0
    tr = Trajectories(model="x", log2_software=np.arange(200.0), time_years=t[None, :])
    vals = per_draw(tr, StatisticsSpec())
    assert vals["max_years_in_12m"][0] == pytest.approx(12 / 8)
    assert vals["max_years_in_4m"][0] == pytest.approx(4 / 8)


# ---------------------------------------------------------------- determinism

def test_draws_depend_only_on_seed_and_index():
    cfg = load_config("davidson-houlden-2025")
    full = sample_parameters(cfg, 3 * BLOCK + 17, seed=5)
    part = sample_parameters(cfg, 700, seed=5, first_draw=BLOCK + 400)
    for k in cfg.uncertain:
        assert np.array_equal(part[k], full[k][BLOCK + 400:BLOCK + 1100])
    assert not np.array_equal(sample_parameters(cfg, 10, seed=6)["r"], full["r"][:10])


@pytest.mark.parametrize("config", ["davidson-houlden-2025", pytest.param("fixed-hardware-r", marks=pytest.mark.slow)])
def test_monte_carlo_identical_for_any_chunking_and_scheduler(config):
    n = 2500
    ref = run_monte_carlo(config, n, seed=0, chunk_size=n, scheduler="sync")
    for kwargs in ({"chunk_size": 1000, "scheduler": "threads"}, {"chunk_size": 1, "scheduler": "processes"},
                   {"chunk_size": 2000, "scheduler": None}):
        other = run_monte_carlo(config, n, seed=0, **kwargs)
        assert other.p_sie == ref.p_sie and other.compression == ref.compression
        assert np.array_equal(other.days_to_level, ref.days_to_level)
        assert other.samples.equals(ref.samples)


def test_monte_carlo_identical_on_a_dask_local_cluster():
    from dask.distributed import Client

    from aiprogress.stats.parallel import local_cluster

    ref = run_monte_carlo("davidson-houlden-2025-gradual", 3000, seed=2, scheduler="sync")
    with local_cluster() as cluster, Client(cluster) as client:
        dist = run_monte_carlo("davidson-houlden-2025-gradual", 3000, seed=2, chunk_size=1000, scheduler=client)
    assert dist.compression == ref.compression
    assert np.array_equal(dist.days_to_level, ref.days_to_level) and dist.samples.equals(ref.samples)


def test_issue_example_no_longer_depends_on_chunk_size():
    # Issue 8: seed 0, 4,000 draws gave P(SIE) 0.27 at chunk 4,000 and 0.26925 at chunk 1,000.
    a = run_monte_carlo("davidson-range", 4000, seed=0, chunk_size=4000)
    b = run_monte_carlo("davidson-range", 4000, seed=0, chunk_size=1000)
    assert a.p_sie == b.p_sie and np.array_equal(a.days_to_level, b.days_to_level)


# ---------------------------------------------------------------- scenarios and configs

SCENARIO = """
name: s
model: davidson-houlden
seed: 7
draws: 2000
statistics: {table_x_years: [2, 5], table_y_months: [6], horizon_years: 3, doublings_per_year: 6}
parameters:
  r: {dist: loguniform, low: 0.5, high: 3}
  p: {dist: lognormal, mu: -1.2, sigma: 0.3, bounds: [0.05, 1.0]}
  f: {dist: empirical, values: [4, 8, 16]}
  distance_years: 10
"""


def test_scenario_file_sets_model_seed_draws_and_statistics(tmp_path):
    cfg = parse_config(SCENARIO)
    assert cfg.model == "davidson-houlden" and cfg.seed == 7 and cfg.draws == 2000
    assert cfg.statistics.table_x_years == (2.0, 5.0) and cfg.statistics.doublings_per_year == 6.0
    m = dict((mm.name, mm) for mm in cfg.marginals)
    from scipy import stats

    d = stats.lognorm(s=0.3, scale=math.exp(-1.2))  # mu, sigma of log p, truncated to [0.05, 1]
    median = d.ppf(d.cdf(0.05) + 0.5 * (d.cdf(1.0) - d.cdf(0.05)))
    assert m["p"].ppf(np.array([0.5]))[0] == pytest.approx(median, rel=1e-12)
    assert set(np.unique(m["f"].ppf(np.linspace(0.01, 0.99, 50)))) == {4.0, 8.0, 16.0}
    res = run_monte_carlo(cfg)
    assert res.draws == 2000 and res.seed == 7
    assert [(r["x_years"], r["y_months"]) for r in res.compression["table"]] == [(2, 6), (5, 6)]
    assert res.compression["table"][0]["doublings"] == 12.0


def test_from_reference_is_resolved_through_capabilities(monkeypatch):
    from aiprogress import capabilities

    calls = []

    def fake(ref):
        calls.append(ref)
        if ref != "algorithmic:meta":
            raise LookupError(f"no distribution {ref!r}")
        return {"dist": "lognormal", "ci80": [1.0, 4.0], "source": "test provider"}

    monkeypatch.setattr(capabilities, "distribution", fake)
    cfg = parse_config("model: davidson-houlden\nparameters:\n  r: {from: 'algorithmic:meta', bounds: [0.5, 5]}\n")
    assert calls == ["algorithmic:meta"] and dict(cfg.sources) == {"r": "algorithmic:meta"}
    m = cfg.marginals[0]
    assert m.bounds == (0.5, 5.0) and dict(cfg.source_notes)["r"] == "test provider"
    with pytest.raises(InputError, match="no distribution"):
        parse_config("model: davidson-houlden\nparameters:\n  r: {from: 'algorithmic:nope'}\n")


def test_config_errors_name_the_key():
    with pytest.raises(InputError, match="model"):
        parse_config("model: nope\nparameters:\n  r: 1\n")
    with pytest.raises(InputError, match="parameters.rho"):
        parse_config("model: davidson-houlden\nparameters:\n  rho: 0.1\n")
    with pytest.raises(InputError, match="statistics.horizon_years"):
        parse_config("model: davidson-houlden\nstatistics: {horizon_years: -1}\nparameters:\n  r: 1\n")
    with pytest.raises(InputError, match="parameters.p"):  # p <= 1 for every draw
        parse_config("model: davidson-houlden\nparameters:\n  p: {dist: uniform, low: 0.5, high: 2}\n")
    with pytest.raises(ParameterError, match="seed"):
        run_monte_carlo("davidson-houlden-2025", 10, seed=-1)


def test_monte_carlo_cli_json_has_the_compression_table_with_errors():
    res = runner.invoke(app, ["takeoff", "monte-carlo", "--config", "davidson-houlden-2025", "--draws", "3000",
                              "--seed", "1", "--json", "--chunk-size", "1000"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    direct = run_monte_carlo("davidson-houlden-2025", 3000, seed=1, scheduler="sync")
    assert out["compression"]["table"] == json.loads(json.dumps(direct.compression["table"]))
    assert out["model"] == "davidson-houlden" and "8 software doublings" in out["compression"]["conversion"]
    assert all(isinstance(r["se"], float) for r in out["compression"]["table"])
    assert '"inf"' not in res.stdout and "Infinity" not in res.stdout
    for bad in (["--draws", "0"], ["--seed", "-1"], ["--chunk-size", "0"]):
        r = runner.invoke(app, ["takeoff", "monte-carlo", "--config", "davidson-houlden-2025", *bad])
        assert r.exit_code == 2 and bad[0] in r.output


def test_compare_cli_on_two_shipped_configs(tmp_path):
    f = tmp_path / "c.png"
    res = runner.invoke(app, ["takeoff", "compare", "davidson-houlden-2025", "davidson-houlden-2025-gradual",
                              "--draws", "2000", "--seed", "3", "--json", "--plot", str(f)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    row = next(r for r in out["rows"] if r["statistic"] == "P(>= 3 years in <= 12 months)")
    a = run_monte_carlo("davidson-houlden-2025", 2000, seed=3).compression["table"][0]
    b = run_monte_carlo("davidson-houlden-2025-gradual", 2000, seed=3).compression["table"][0]
    assert row["A"] == a["p"] and row["B"] == b["p"]
    assert row["B - A"] == pytest.approx(b["p"] - a["p"], abs=1e-15)
    assert row["diff s.e."] == pytest.approx(math.hypot(a["se"], b["se"]), rel=1e-12)
    assert f.stat().st_size > 1000
    bad = runner.invoke(app, ["takeoff", "compare", "davidson-houlden-2025", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2 and "missing.yaml" in bad.output


def test_model_parameters_from_the_model_not_the_ces_list():
    with pytest.raises(ParameterError):
        get_model("davidson-houlden").validate({"f": 0.0})


def test_streamed_summaries_equal_the_kept_ones():
    kept = run_monte_carlo("davidson-houlden-2025", 4000, seed=3, chunk_size=1000)
    streamed = run_monte_carlo("davidson-houlden-2025", 4000, seed=3, chunk_size=1000, keep_draws=False,
                               scheduler="sync")
    assert streamed.streamed and streamed.samples.empty
    assert streamed.compression == kept.compression and streamed.p_sie == kept.p_sie  # exact counts
    fk, fs = kept.fan_chart(), streamed.fan_chart()
    assert np.array_equal(fk["p_reached_within_sie_days"], fs["p_reached_within_sie_days"])
    for col in ("days_q10", "days_q50", "days_q90"):
        x, y = fk[col].to_numpy(), fs[col].to_numpy()
        assert np.array_equal(np.isfinite(x), np.isfinite(y))
        fin = np.isfinite(x) & (x < 1e15)  # finite days beyond 1e16 share the last bin
        # Streamed quantiles are the upper edge of the 0.001-dex log10-day bin holding the exact quantile.
        assert np.all(y[fin] >= x[fin] * (1 - 1e-12)) and np.all(y[fin] <= x[fin] * 10**0.001 * (1 + 1e-12))
    with pytest.raises(ParameterError, match="streamed"):
        streamed.p_sie_by("r")
    assert json.loads(json.dumps(streamed.to_dict()))["streamed"] is True
