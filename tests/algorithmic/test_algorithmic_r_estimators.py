"""Law-of-motion and ML estimators of r: recovery of a known r, statsmodels references, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm

from aiprogress.algorithmic.r_estimators import estimate_r_law_of_motion, estimate_r_ml
from aiprogress.errors import ParameterError

TRUE_R = 1.3


def simulate(seed: int, n: int = 30):
    """Input growing 12%/yr; log S = 0.2 + r log R + N(0, 0.1²) + estimation error N(0, se_t²) with known se_t."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) + 1990.0
    inp = 100 * np.exp(0.12 * (t - t[0])) * np.exp(rng.normal(0, 0.1, n))
    r0 = 100 / math.expm1(0.12)
    stock = r0 + np.cumsum(inp)
    se = rng.uniform(0.05, 0.3, n)
    log_s = 0.2 + TRUE_R * np.log(stock) + rng.normal(0, 0.1, n) + rng.normal(0, se)
    return t, log_s, np.diag(se**2), inp, r0


def test_known_r_inside_90pct_intervals_in_85_of_100_runs():
    ml_hits = lom_hits = 0
    for seed in range(100):
        t, ls, cov, inp, r0 = simulate(seed)
        ml = estimate_r_ml(t, ls, cov, inp, r0=r0, profile=False)
        lom = estimate_r_law_of_motion(t, ls, inp, r0=r0, lag=0)
        ml_hits += ml.low <= TRUE_R <= ml.high
        lom_hits += lom.low <= TRUE_R <= lom.high
    assert ml_hits >= 85, ml_hits
    assert lom_hits >= 85, lom_hits


def test_ml_without_measurement_error_is_ols():
    t, ls, _, inp, r0 = simulate(4)
    ml = estimate_r_ml(t, ls, np.zeros((30, 30)), inp, r0=r0)
    ref = sm.OLS(ls, sm.add_constant(np.log(r0 + np.cumsum(inp)))).fit()
    assert ml.r == pytest.approx(ref.params[1], rel=1e-8)
    # REML σ² is the OLS residual variance, so the Wald se is the OLS se
    assert ml.se == pytest.approx(ref.bse[1], rel=1e-3)
    assert ml.extra["profile_low"] < ml.r < ml.extra["profile_high"]


def test_law_of_motion_is_ols_through_the_origin_on_lagged_growth():
    t, ls, _, inp, r0 = simulate(9)
    est = estimate_r_law_of_motion(t, ls, inp, r0=r0, lag=1, maxlags=2)
    lr = np.log(r0 + np.cumsum(inp))
    dls, dlr = np.diff(ls)[1:], np.diff(lr)[:-1]
    ref = sm.OLS(dls, dlr[:, None]).fit(cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": True}, use_t=True)
    assert est.r == pytest.approx(ref.params[0], rel=1e-10)
    assert est.se == pytest.approx(ref.bse[0], rel=1e-10)
    assert est.n_obs == 28


def test_errors_name_the_parameter():
    t, ls, cov, inp, r0 = simulate(0, n=6)
    with pytest.raises(ParameterError, match="lag"):
        estimate_r_law_of_motion(t, ls, inp, r0=r0, lag=-1)
    with pytest.raises(ParameterError, match="software"):
        estimate_r_law_of_motion(t, ls, inp, r0=r0, lag=3)
    with pytest.raises(ParameterError, match="log_software_cov"):
        estimate_r_ml(t, ls, np.eye(3), inp, r0=r0)
