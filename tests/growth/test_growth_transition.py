"""The §2.2 model integrated as an ODE converges to the closed-form steady states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.errors import ParameterError
from aiprogress.growth import EconomyParameters, simulate_transition, steady_state

# Tolerance for convergence: growth rates within 1e-6 per year (0.0001 percentage points)
# of the closed form after 3000 years; semi-endogenous transitions have half-lives of centuries.
TOL = 1e-6


def test_path_starts_on_old_bgp_and_converges_to_new_closed_form():
    r = simulate_transition(0.1, 0.2086, 0.4, None, 0.5, 0.01, shock_year=50, years=3000)
    old = steady_state(0.1, 0.4, 0.5, 0.01)
    new = steady_state(0.2086, 0.4, 0.5, 0.01)
    pre = r.path[r.path.year < 50]
    np.testing.assert_allclose(pre.g_A, old.g_A, atol=1e-9)
    np.testing.assert_allclose(pre.g_K, old.g_K, atol=1e-9)
    # Before the shock log A grows linearly at g_A* (A(0) = 1).
    assert pre.log_A.iloc[-1] == pytest.approx(old.g_A * pre.year.iloc[-1], rel=1e-7)
    last = r.path.iloc[-1]
    assert abs(last.g_A - new.g_A) < TOL
    assert abs(last.g_K - new.g_K) < TOL
    assert abs(last.g_Y - new.g_K) < TOL  # output grows with capital on the BGP
    # the growth rate of log L is n throughout
    assert last.log_L == pytest.approx(0.01 * 3000, rel=1e-9)


def test_rescaled_b_keeps_idea_growth_continuous_and_unscaled_b_jumps():
    smooth = simulate_transition(0.1, 0.25, shock_year=20, years=100, points=101, rescale_B=True)
    jump = simulate_transition(0.1, 0.25, shock_year=20, years=100, points=101, rescale_B=False)
    at = smooth.path[smooth.path.year == 20].g_A.to_numpy()
    assert at[0] == pytest.approx(at[-1], rel=1e-9)  # both sides of the shock
    at_j = jump.path[jump.path.year == 20].g_A.to_numpy()
    # Without rescaling, g_A jumps by the factor (alpha_k K)^(beta' - beta) at the shock.
    log_k = jump.path[jump.path.year == 20].log_K.iloc[0]
    factor = np.exp((0.25 - 0.1) * (np.log(0.1) + log_k))
    assert at_j[-1] / at_j[0] == pytest.approx(factor, rel=1e-7)


@settings(max_examples=8, deadline=None)
@given(
    beta0=st.floats(0.0, 0.25),
    d_beta=st.floats(0.02, 0.2),
    gamma=st.floats(0.1, 0.6),
    theta=st.floats(0.2, 0.6),
    n=st.floats(0.005, 0.02),
)
def test_transition_converges_for_random_parameters(beta0, d_beta, gamma, theta, n):
    beta1 = beta0 + d_beta
    if beta1 + theta > 0.85:
        return
    r = simulate_transition(beta0, beta1, gamma, None, theta, n, shock_year=10, years=6000, points=601)
    new = steady_state(beta1, gamma, theta, n)
    assert abs(r.final_gap_g_A) < 1e-5 * max(1.0, new.g_A / 0.01)
    assert abs(r.path.g_K.iloc[-1] - new.g_K) < 1e-5 * max(1.0, new.g_K / 0.01)


def test_other_economy_parameters_change_the_path_not_the_destination():
    e = EconomyParameters(alpha=0.4, s=0.3, delta=0.08, alpha_k=0.2, alpha_l=0.05)
    r = simulate_transition(0.05, 0.2, 0.3, 0.25, 0.4, 0.015, economy=e, years=3000)
    new = steady_state(0.2, 0.25, 0.4, 0.015)
    assert abs(r.final_gap_g_A) < TOL and abs(r.final_gap_g_K) < TOL
    assert r.after.g_A == pytest.approx(new.g_A)


def test_transition_rejects_after_shock_without_balanced_path():
    with pytest.raises(ParameterError) as err:
        simulate_transition(0.1, 0.6, theta=0.5)
    assert err.value.name == "beta_after"
    with pytest.raises(ParameterError) as err:
        simulate_transition(0.1, 0.2, economy=EconomyParameters(s=1.5))
    assert err.value.name == "s"
