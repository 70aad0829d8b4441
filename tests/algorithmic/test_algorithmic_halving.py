"""Compute halving times: recovery of a known halving time, statsmodels references, closed forms, errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from aiprogress.algorithmic.halving import fit_halving, halving_months_from_rate, simulate_halving_data
from aiprogress.errors import ParameterError

TRUE_MONTHS = 9.0


def test_known_halving_time_inside_90pct_intervals_in_85_of_100_runs():
    delta_hits = boot_hits = 0
    for seed in range(100):
        d = simulate_halving_data(seed, halving_months=TRUE_MONTHS)
        est = fit_halving(d["log10_error"], d["log10_compute"], d["time"], n_boot=200, seed=seed)
        assert est.level == 0.90
        delta_hits += est.delta_low <= TRUE_MONTHS <= est.delta_high
        boot_hits += est.boot_low <= TRUE_MONTHS <= est.boot_high
    assert delta_hits >= 85, delta_hits
    assert boot_hits >= 85, boot_hits


def test_rate_and_delta_se_match_statsmodels():
    d = simulate_halving_data(3)
    est = fit_halving(d["log10_error"], d["log10_compute"], d["time"], n_boot=0)
    ref = smf.ols("log10_error ~ log10_compute + time", d).fit(cov_type="HC1")
    b, c = ref.params["log10_compute"], ref.params["time"]
    assert est.rate_oom_per_year == pytest.approx(c / b, rel=1e-10)
    assert est.halving_months == pytest.approx(12 * math.log10(2) * b / c, rel=1e-10)
    grad = np.array([0.0, -c / b**2, 1 / b])
    cov = ref.cov_params().loc[["Intercept", "log10_compute", "time"], ["Intercept", "log10_compute", "time"]].to_numpy()
    assert est.rate_se == pytest.approx(math.sqrt(grad @ cov @ grad), rel=1e-8)


def test_year_fe_rate_is_the_slope_of_the_year_effects_over_b():
    d = simulate_halving_data(5, n=120)
    est = fit_halving(d["log10_error"], d["log10_compute"], d["time"], form="year_fe", n_boot=0)
    d = d.assign(year=np.floor(d["time"]).astype(int))
    ref = smf.ols("log10_error ~ log10_compute + C(year)", d).fit()
    years = sorted(d["year"].unique())
    deltas = [0.0] + [ref.params[f"C(year)[T.{y}]"] for y in years[1:]]
    slope = np.polyfit(years, deltas, 1)[0]
    assert est.rate_oom_per_year == pytest.approx(slope / ref.params["log10_compute"], rel=1e-8)


def test_noise_free_data_give_the_halving_time_exactly():
    d = simulate_halving_data(1, halving_months=14.0, noise=0.0)
    est = fit_halving(d["log10_error"], d["log10_compute"], d["time"], n_boot=50)
    assert est.halving_months == pytest.approx(14.0, rel=1e-9)
    assert est.boot_low == pytest.approx(14.0, rel=1e-6) and est.boot_high == pytest.approx(14.0, rel=1e-6)


def test_no_progress_gives_unbounded_halving_time():
    assert halving_months_from_rate(-0.1) == math.inf
    rng = np.random.default_rng(0)
    t = rng.uniform(2010, 2020, 60)
    lc = rng.normal(18, 1, 60)
    y = -0.1 * lc + rng.normal(0, 0.05, 60)  # no date effect
    est = fit_halving(y, lc, t, n_boot=100)
    assert math.isinf(est.delta_high)
    out = est.to_dict()
    assert out["delta_high"] is None and out["delta_high_unbounded"] is True


def test_bad_inputs_raise_parameter_errors():
    d = simulate_halving_data(0, n=10)
    with pytest.raises(ParameterError, match="form"):
        fit_halving(d["log10_error"], d["log10_compute"], d["time"], form="quadratic")
    with pytest.raises(ParameterError, match="level"):
        fit_halving(d["log10_error"], d["log10_compute"], d["time"], level=1.5)
    with pytest.raises(ParameterError, match="different lengths"):
        fit_halving(d["log10_error"][:5], d["log10_compute"], d["time"])
    with pytest.raises(ParameterError, match="usable rows"):
        fit_halving(pd.Series([0.1, 0.2, 0.3]), [1.0, 2.0, 3.0], [2010.0, 2011.0, 2012.0])
