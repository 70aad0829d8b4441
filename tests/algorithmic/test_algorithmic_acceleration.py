"""Acceleration tests: size on linear data, power on accelerating data, convex statistic vs statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from aiprogress.algorithmic.acceleration import acceleration_test, simulate_series, size_and_power
from aiprogress.errors import ParameterError


def test_size_is_about_five_percent_and_power_is_reported():
    tab = size_and_power(n=30, n_series=3000, curvature=0.5, n_sim=999, seed=11).set_index("data")
    null = tab.loc["null (linear)"]
    alt = tab.loc["accelerating (curvature 0.5)"]
    # 3000 series: the standard error of a 5% rate is 0.4 points
    assert 0.035 <= null["convex_rejection_rate"] <= 0.065
    assert 0.035 <= null["breakpoint_rejection_rate"] <= 0.065
    assert alt["convex_rejection_rate"] > 0.3 and alt["breakpoint_rejection_rate"] > 0.3


def test_single_series_size_with_simulated_breakpoint_p_values():
    rejections = np.zeros(2)
    for s in range(200):
        t, y = simulate_series(np.random.default_rng(1000 + s), 25, 1)
        res = acceleration_test(t, y[:, 0], n_sim=199, seed=s)
        rejections += [res.convex_reject, res.break_reject]
    assert np.all(rejections / 200 <= 0.09)


def test_convex_statistic_matches_statsmodels_with_controls():
    rng = np.random.default_rng(3)
    t = rng.uniform(2015, 2024, 60)
    z = rng.normal(20, 1, 60)
    y = 0.3 * z + 0.2 * (t - 2015) + 0.05 * (t - 2019) ** 2 + rng.normal(0, 0.2, 60)
    res = acceleration_test(t, y, controls={"log10_compute": z}, n_sim=99)
    tc = t - t.mean()
    ref = sm.OLS(y, np.column_stack([np.ones(60), tc, z, tc**2])).fit()
    assert res.convex_t == pytest.approx(ref.tvalues[3], rel=1e-8)
    assert res.convex_coef == pytest.approx(ref.params[3], rel=1e-8)
    assert res.convex_p == pytest.approx(ref.pvalues[3] / 2, rel=1e-6)  # one-sided, positive t
    assert res.convex_reject


def test_too_short_series_is_refused():
    with pytest.raises(ParameterError, match="observations"):
        acceleration_test([1, 2, 3], [1, 2, 3])
