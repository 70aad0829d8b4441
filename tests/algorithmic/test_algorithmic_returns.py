"""Returns to software r (moved from takeoff): recovery on simulated series, closed forms, bootstrap, CSV errors, real-data run."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from typer.testing import CliRunner

from aiprogress.algorithmic.published import published_r
from aiprogress.algorithmic.returns import default_r0, estimate_r, estimate_r_csv
from aiprogress.algorithmic.series import imagenet_software_series, vision_research_series
from aiprogress.cli import app
from aiprogress.errors import InputError, ParameterError
from aiprogress.paths import resolve_data_dir

FIXTURES = Path(__file__).parent / "fixtures"
TRUE_R = 1.3
GROWTH = 0.12


def simulate(seed: int, r: float = TRUE_R, n: int = 31, noise: float = 0.15, phi: float = 0.0):
    """Research input growing 12%/yr; S = c R^r exp(e), e AR(1) with coefficient phi. Returns (t, S, I, R0)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float) + 1990
    inp = 100 * np.exp(GROWTH * (t - t[0])) * np.exp(rng.normal(0, 0.1, n))
    r0 = 100 / math.expm1(GROWTH)
    stock = r0 + np.cumsum(inp)
    e = np.empty(n)
    e[0] = rng.normal(0, noise)
    for k in range(1, n):
        e[k] = phi * e[k - 1] + rng.normal(0, noise)
    return t, np.exp(0.2 + r * np.log(stock) + e), inp, r0


def test_known_r_inside_90pct_intervals():
    t, s, inp, r0 = simulate(seed=11, phi=0.3)
    est = estimate_r(t, s, inp, r0=r0, n_boot=4000, seed=7)
    assert est.level == 0.9
    assert est.r_ci_low <= TRUE_R <= est.r_ci_high
    assert est.boot_ci_low <= TRUE_R <= est.boot_ci_high
    assert abs(est.r - TRUE_R) < 0.15


def test_cli_estimate_r_recovers_known_r(tmp_path):
    t, s, inp, _ = simulate(seed=3)
    path = tmp_path / "series.csv"
    pd.DataFrame({"yr": t.astype(int), "eff": s, "people": inp}).to_csv(path, index=False)
    plot = tmp_path / "fit.png"
    result = CliRunner().invoke(
        app,
        ["algorithmic", "returns", "--csv", str(path), "--software-col", "eff", "--research-col", "people", "--time-col", "yr",
         "--bootstrap", "2000", "--seed", "4", "--json", "--plot", str(plot)],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # r0 'auto' here: the fitted pre-sample stock, not the true one
    assert out["r_ci_low"] <= TRUE_R <= out["r_ci_high"]
    assert out["boot_ci_low"] <= TRUE_R <= out["boot_ci_high"]
    assert plot.stat().st_size > 1000


def test_interval_coverage_with_independent_noise():
    # 200 simulated samples with iid noise: the 90% HAC interval should cover r most of the time.
    hits = 0
    for seed in range(200):
        t, s, inp, r0 = simulate(seed)
        est = estimate_r(t, s, inp, r0=r0, n_boot=0, sensitivity=())
        hits += est.r_ci_low <= TRUE_R <= est.r_ci_high
    assert hits / 200 >= 0.80


def test_noise_free_power_law_gives_r_exactly():
    t = np.arange(2000, 2015, dtype=float)
    inp = 3.0 * 1.3 ** (t - 2000)
    stock = 5.0 + np.cumsum(inp)
    s = 7.0 * stock**0.8
    est = estimate_r(t, s, inp, r0=5.0, n_boot=0)
    assert est.r == pytest.approx(0.8, rel=1e-10)
    assert est.intercept == pytest.approx(math.log(7.0), rel=1e-9)


def test_slope_and_hac_se_match_statsmodels_formula_call():
    t, s, inp, r0 = simulate(seed=21)
    est = estimate_r(t, s, inp, r0=r0, n_boot=0, maxlags=2)
    frame = pd.DataFrame({"ls": np.log(s), "lr": np.log(r0 + np.cumsum(inp))})
    ref = smf.ols("ls ~ lr", frame).fit(cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True}, use_t=True)
    assert est.r == pytest.approx(ref.params["lr"], rel=1e-10)
    assert est.r_se == pytest.approx(ref.bse["lr"], rel=1e-10)
    lo, hi = ref.conf_int(alpha=0.1).loc["lr"]
    assert (est.r_ci_low, est.r_ci_high) == pytest.approx((lo, hi), rel=1e-10)


def test_iid_residual_bootstrap_variance_matches_closed_form():
    # With block length 1 the residual bootstrap slope variance is (Σe²/n) / Σ(x − x̄)².
    t, s, inp, r0 = simulate(seed=5)
    est = estimate_r(t, s, inp, r0=r0, n_boot=40000, block_length=1, seed=1)
    d = est.data
    resid = d["log_software"] - d["fitted_log_software"]
    x = d["log_cumulative_research"]
    expected = math.sqrt((resid**2).mean() / ((x - x.mean()) ** 2).sum())
    assert est.boot_se == pytest.approx(expected, rel=0.03)


def test_bootstrap_is_reproducible_by_seed():
    t, s, inp, r0 = simulate(seed=8, phi=0.5)
    a = estimate_r(t, s, inp, r0=r0, n_boot=500, seed=42)
    b = estimate_r(t, s, inp, r0=r0, n_boot=500, seed=42)
    c = estimate_r(t, s, inp, r0=r0, n_boot=500, seed=43)
    assert (a.boot_ci_low, a.boot_ci_high) == (b.boot_ci_low, b.boot_ci_high)
    assert (a.boot_ci_low, a.boot_ci_high) != (c.boot_ci_low, c.boot_ci_high)


def test_default_r0_is_the_geometric_pre_sample_sum():
    t = np.arange(10, dtype=float)
    inp = 50.0 * np.exp(0.2 * t)
    expected = sum(50.0 * math.exp(-0.2 * k) for k in range(1, 2000))
    assert default_r0(t, inp) == pytest.approx(expected, rel=1e-9)


def test_r0_sensitivity_is_reported_and_monotone():
    t, s, inp, r0 = simulate(seed=2)
    est = estimate_r(t, s, inp, r0=r0, n_boot=0)
    sens = est.sensitivity
    assert list(sens["r0_multiplier"]) == [0.25, 0.5, 1.0, 2.0, 4.0]
    assert sens.loc[sens["r0_multiplier"] == 1.0, "r"].iloc[0] == pytest.approx(est.r)
    assert sens["r"].is_monotonic_increasing  # more pre-sample research -> R grows slower -> larger r


def test_non_growing_input_needs_explicit_r0():
    t = np.arange(10, dtype=float)
    with pytest.raises(ParameterError, match="r0"):
        default_r0(t, np.full(10, 5.0))


def test_blank_software_rows_still_count_towards_research():
    est = estimate_r_csv(FIXTURES / "r_research_only_early.csv", r0=0.0, n_boot=0)
    # 2010 and 2011 inputs (5 + 6) are in R at 2012: 11 + 8 = 19
    assert est.n_obs == 5
    assert est.data["cumulative_research"].iloc[0] == pytest.approx(19.0)


def test_negative_software_names_file_line_column():
    path = FIXTURES / "r_negative_software.csv"
    with pytest.raises(InputError) as info:
        estimate_r_csv(path)
    assert (info.value.line, info.value.column) == (4, "software")
    result = CliRunner().invoke(app, ["takeoff", "estimate-r", "--csv", str(path), "--json"])
    assert result.exit_code == 2
    assert "r_negative_software.csv, line 4, column 'software'" in result.stderr
    assert result.stdout == ""


def test_missing_time_column_names_it(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"software": [1, 2, 3, 4], "research": [1, 2, 3, 4]}).to_csv(path, index=False)
    result = CliRunner().invoke(app, ["algorithmic", "returns", "--csv", str(path), "--time-col", "when"])
    assert result.exit_code == 2
    assert "x.csv" in result.stderr and "'when'" in result.stderr


def test_published_r_table_has_eth_davidson_table_4_with_sources():
    pub = published_r().set_index("domain")
    row = pub.loc["image recognition"]
    assert (row["estimate"], row["low"], row["high"]) == (1.4, 0.8, 2.4)
    assert "Eth & Davidson (2025)" in row["source"] and "Table 4" in row["source"]
    expected = {"computer chess": 0.8, "RL sample efficiency": 1.6, "SAT solvers": 3.5, "linear programming": 1.1,
                "algorithms in general": 4.0, "hardware (chips)": 7.0, "GPUs": 5.0}
    assert {k: pub.loc[k, "estimate"] for k in expected} == expected
    assert set(pub.loc[["hardware (chips)", "GPUs"], "kind"]) == {"hardware"}
    assert all("Davidson (2023)" in s for s in pub.loc[["hardware (chips)", "GPUs"], "source"])
    assert pub["source"].notna().all()


def test_takeoff_estimate_r_is_an_alias_of_algorithmic_returns(tmp_path):
    t, s, inp, _ = simulate(seed=3)
    path = tmp_path / "series.csv"
    pd.DataFrame({"year": t.astype(int), "software": s, "research": inp}).to_csv(path, index=False)
    a = CliRunner().invoke(app, ["takeoff", "estimate-r", "--csv", str(path), "--bootstrap", "200", "--json"])
    b = CliRunner().invoke(app, ["algorithmic", "returns", "--csv", str(path), "--bootstrap", "200", "--json"])
    assert a.exit_code == 0 and b.exit_code == 0, a.output + b.output
    assert json.loads(a.stdout) == json.loads(b.stdout)


# --- real data -------------------------------------------------------------------------

_DATA = resolve_data_dir()
needs_data = pytest.mark.skipif(not (_DATA / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not available")


@pytest.fixture(scope="module")
def tables():
    from aiprogress.data import load_table

    return load_table("benchmark_results"), load_table("models")


@needs_data
def test_imagenet_year_effects_match_statsmodels_formula(tables):
    bench, _ = tables
    ss = imagenet_software_series(bench)
    d = bench[(bench["benchmark"] == "imagenet") & (bench["forward_flop"] > 0) & bench["error_rate"].between(0, 1, inclusive="neither")]
    d = d[d["year"].isin(ss.series["year"])].astype({"year": int, "forward_flop": float, "error_rate": float})
    ref = smf.ols("np.log10(forward_flop) ~ np.log10(error_rate) + C(year)", d).fit()
    for _, row in ss.series.iloc[1:].iterrows():
        assert row["log10_flop_at_fixed_error"] == pytest.approx(ref.params[f"C(year)[T.{int(row['year'])}]"], rel=1e-8)
    assert ss.compute_error_elasticity == pytest.approx(ref.params["np.log10(error_rate)"], rel=1e-8)


@needs_data
def test_vision_model_counts_match_direct_count(tables):
    _, models = tables
    per_year = vision_research_series(models)
    years = pd.to_datetime(models["publication_date"]).dt.year
    vision = models["domain"].fillna("").str.contains("Vision")
    assert per_year.set_index("year").loc[2018, "research_input"] == int((vision & (years == 2018)).sum())


@needs_data
def test_real_data_run_prints_r_next_to_published(tables):
    result = CliRunner().invoke(app, ["algorithmic", "returns", "--from-catalog", "imagenet", "--bootstrap", "500", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    comp = pd.DataFrame(out["published_comparison"])
    assert comp.iloc[0]["r"] == 1.4 and comp.iloc[0]["low"] == 0.8 and comp.iloc[0]["high"] == 2.4
    assert comp.iloc[1]["r"] == pytest.approx(out["r"])
    # r is the OLS slope of log S on log R: check against numpy on the returned data
    data = pd.DataFrame(out["data"])
    slope = np.polyfit(data["log_cumulative_research"], data["log_software"], 1)[0]
    assert out["r"] == pytest.approx(slope, rel=1e-9)
    assert any("Why they differ" in line for line in out["explanation"])
