"""Closed-form steady state, Proposition 1 and the capital-share mapping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.errors import ParameterError
from aiprogress.growth import (
    beta_from_capital_share,
    capital_share,
    capital_share_curves,
    max_capital_share,
    productivity_growth_from_capital_share,
    proposition_1,
    steady_state,
)

# --- steady state -------------------------------------------------------------------------


def test_steady_state_matches_hand_computed_values():
    # beta = 0.1, gamma = 0.4, theta = 0.5, n = 1 %: g_A = 0.5/0.4 * 1 % = 1.25 %, g_K = 0.9/0.4 * 1 % = 2.25 %.
    ss = steady_state(0.1, 0.4, 0.5, 0.01)
    assert ss.g_A == pytest.approx(0.0125, abs=1e-15)
    assert ss.g_K == pytest.approx(0.0225, abs=1e-15)
    assert ss.g_Y == pytest.approx(0.0225, abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(
    beta=st.floats(0, 0.6),
    gamma=st.floats(0, 1),
    theta=st.floats(-1, 0.39),
    n=st.floats(1e-4, 0.05),
)
def test_steady_state_solves_the_appendix_a1_system(beta, gamma, theta, n):
    """(g_A*, g_K*) make both growth-of-growth equations of eq. (25) zero, and g_K* = g_A* + n."""
    ss = steady_state(beta, gamma, theta, n)
    # d g_K / g_K = (1 - alpha)(g_A + n - g_K) = 0 and d g_A / g_A = beta g_K + gamma n - (1 - theta) g_A = 0
    assert ss.g_A + n - ss.g_K == pytest.approx(0, abs=1e-12)
    assert beta * ss.g_K + gamma * n - (1 - theta) * ss.g_A == pytest.approx(0, abs=1e-12)
    # and the solution agrees with numpy's linear solver on the same 2x2 system
    sol = np.linalg.solve(np.array([[1.0, -1.0], [-(1 - theta), beta]]), np.array([-n, -gamma * n]))
    assert ss.g_A == pytest.approx(sol[0], rel=1e-9, abs=1e-14)
    assert ss.g_K == pytest.approx(sol[1], rel=1e-9, abs=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"beta": 0.3, "gamma": 0.4, "theta": 0.7, "n": 0.01}, "theta"),  # theta = 1 - beta
        ({"beta": 0.3, "gamma": 0.4, "theta": 0.9, "n": 0.01}, "theta"),
        ({"beta": 0.1, "gamma": 0.4, "theta": 0.5, "n": -0.01}, "n"),
        ({"beta": 0.1, "gamma": 0.4, "theta": 0.5, "n": 0.0}, "n"),
        ({"beta": 0.1, "gamma": 0.4, "theta": 0.5, "n": 1.0}, "n"),  # a percentage passed as a fraction
        ({"beta": -0.1, "gamma": 0.4, "theta": 0.5, "n": 0.01}, "beta"),
        ({"beta": 0.1, "gamma": -0.4, "theta": 0.5, "n": 0.01}, "gamma"),
        ({"beta": float("nan"), "gamma": 0.4, "theta": 0.5, "n": 0.01}, "beta"),
    ],
)
def test_bad_parameters_raise_parameter_error_naming_the_parameter(kwargs, name):
    with pytest.raises(ParameterError) as err:
        steady_state(**kwargs)
    assert err.value.name == name
    assert f"'{name}'" in str(err.value)


# --- Proposition 1 ---------------------------------------------------------------------------


def test_proposition_applies_and_growth_rises_in_a_hand_worked_case():
    # beta 0.1 -> 0.2, gamma 0.4 -> 0.35 (loss 0.05 <= gain 0.1), theta = 0.5:
    # g_A: 0.5/0.4 n = 1.25 % -> 0.55/0.3 n = 1.8333 %; g_K: 0.9/0.4 n = 2.25 % -> 0.85/0.3 n = 2.8333 %.
    r = proposition_1(0.1, 0.4, 0.2, 0.35, theta=0.5, n=0.01)
    assert r.hypotheses == {"H1": True, "H2": True, "H3": True}
    assert r.applies and r.prediction_confirmed is True
    assert r.g_A_before == pytest.approx(0.0125)
    assert r.g_A_after == pytest.approx(0.55 / 0.3 * 0.01)
    assert r.g_K_after == pytest.approx(0.85 / 0.3 * 0.01)
    assert r.idea_growth_increases and r.economic_growth_increases


def test_proposition_silent_when_labour_loss_exceeds_capital_gain():
    # beta 0.1 -> 0.15, gamma 0.4 -> 0.2: H2 fails (0.05 < 0.2). Idea growth falls: 0.35/0.35 n = 1 % < 1.25 %.
    # Capital growth: (0.7)/(0.35) n = 2 % < 2.25 %.
    r = proposition_1(0.1, 0.4, 0.15, 0.2, theta=0.5, n=0.01)
    assert r.hypotheses["H2"] is False and not r.applies
    assert r.prediction_confirmed is None
    assert r.g_A_after == pytest.approx(0.01)
    assert r.g_K_after == pytest.approx(0.02)
    assert not r.idea_growth_increases and not r.economic_growth_increases


def test_proposition_h2_boundary_equal_loss_still_raises_growth():
    # Delta_beta = -Delta_gamma exactly: beta+gamma unchanged (0.5), denominator falls 0.4 -> 0.3.
    r = proposition_1(0.1, 0.4, 0.2, 0.3, theta=0.5, n=0.02)
    assert r.applies
    assert r.g_A_after == pytest.approx(0.5 / 0.3 * 0.02)
    assert r.g_K_after == pytest.approx(0.8 / 0.3 * 0.02)
    assert r.prediction_confirmed is True


def test_proposition_h3_failure_reports_no_balanced_path():
    r = proposition_1(0.1, 0.4, 0.6, 0.4, theta=0.5)
    assert r.hypotheses == {"H1": True, "H2": True, "H3": False}
    assert not r.applies and math.isinf(r.g_A_after)


def test_proposition_h1_failure_when_beta_does_not_rise():
    # beta unchanged and gamma up: growth rises but the proposition (which needs beta' > beta) is silent.
    r = proposition_1(0.1, 0.3, 0.1, 0.4, theta=0.5)
    assert r.hypotheses["H1"] is False and r.prediction_confirmed is None
    assert r.g_A_after == pytest.approx(0.5 / 0.4 * 0.01)
    assert r.g_A_before == pytest.approx(0.4 / 0.4 * 0.01)


@settings(max_examples=300, deadline=None)
@given(
    beta=st.floats(0, 0.45),
    gamma=st.floats(0, 1),
    d_beta=st.floats(1e-4, 0.4),
    share=st.floats(0, 1),
    theta=st.floats(-0.5, 0.5),
)
def test_proposition_conclusions_hold_whenever_hypotheses_hold(beta, gamma, d_beta, share, theta):
    beta_after = beta + d_beta
    if beta_after + theta >= 1:
        return
    gamma_after = max(0.0, gamma - share * d_beta)  # loss in gamma at most the gain in beta
    r = proposition_1(beta, gamma, beta_after, gamma_after, theta=theta, n=0.01)
    assert r.applies
    # independent check from the closed forms (eq. 5 and eq. 27)
    assert (beta_after + gamma_after) / (1 - beta_after - theta) > (beta + gamma) / (1 - beta - theta)
    assert r.prediction_confirmed is True


def test_proposition_rejects_invalid_starting_point():
    with pytest.raises(ParameterError) as err:
        proposition_1(0.6, 0.4, 0.7, 0.4, theta=0.5)
    assert err.value.name == "theta"
    with pytest.raises(ParameterError) as err:
        proposition_1(0.1, 0.4, 0.2, -0.1)
    assert err.value.name == "gamma_after"


# --- capital share -------------------------------------------------------------------------------


def test_capital_share_mapping_matches_hand_values():
    # f = 0.2 with gamma = 2/5 -> beta = 0.2*0.4/0.8 = 0.1 -> g_A = 0.5/0.4 * 1 % = 1.25 %
    assert beta_from_capital_share(0.2, 0.4) == pytest.approx(0.1)
    assert productivity_growth_from_capital_share(0.2, theta=0.5, gamma=0.4, n=0.01) == pytest.approx(0.0125)
    # f_max = (1 - theta)/(1 - theta + gamma) = 0.5/0.9
    assert max_capital_share(0.5, 0.4) == pytest.approx(5 / 9)


@settings(max_examples=200, deadline=None)
@given(beta=st.floats(1e-3, 2), gamma=st.floats(1e-3, 2))
def test_capital_share_round_trip(beta, gamma):
    f = capital_share(beta, gamma)
    assert 0 < f < 1
    assert beta_from_capital_share(f, gamma) == pytest.approx(beta, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(f1=st.floats(0.001, 0.55), f2=st.floats(0.001, 0.55))
def test_growth_rises_with_capital_share(f1, f2):
    g1, g2 = productivity_growth_from_capital_share(np.array([f1, f2]))
    if f1 < f2:
        assert g1 <= g2
    elif f1 > f2:
        assert g1 >= g2


def test_growth_from_capital_share_vectorised_equals_closed_form():
    f = np.array([0.03, 0.1, 0.3, 0.5])
    beta = f * 0.4 / (1 - f)
    expected = (beta + 0.4) / (1 - beta - 0.5) * 0.01
    np.testing.assert_allclose(productivity_growth_from_capital_share(f), expected, rtol=1e-12)


@pytest.mark.parametrize("f", [0.0, 1.0, -0.2, 1.5, float("nan")])
def test_capital_share_outside_unit_interval_is_rejected(f):
    with pytest.raises(ParameterError) as err:
        productivity_growth_from_capital_share(f)
    assert err.value.name == "f"


def test_capital_share_beyond_balanced_path_is_rejected():
    with pytest.raises(ParameterError) as err:
        productivity_growth_from_capital_share(0.6, theta=0.5, gamma=0.4)
    assert err.value.name == "f" and "0.5556" in str(err.value)


def test_curves_mark_missing_balanced_path_with_nan():
    curves = capital_share_curves((0.5, 0.6), 0.4, 0.01, f_grid=np.array([0.2, 0.52, 0.58]))
    got = curves.set_index(["theta", "f"])["g_A"]
    assert got[(0.5, 0.2)] == pytest.approx(0.0125)
    assert got[(0.5, 0.52)] == pytest.approx((0.52 * 0.4 / 0.48 + 0.4) / (1 - 0.52 * 0.4 / 0.48 - 0.5) * 0.01)
    assert np.isnan(got[(0.5, 0.58)]) and np.isnan(got[(0.6, 0.52)])
