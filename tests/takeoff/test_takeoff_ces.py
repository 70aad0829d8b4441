"""CES research production: closed forms, limits and the max-speed table."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import ParameterError
from aiprogress.takeoff.ces import (
    ces_ceiling,
    ces_output,
    max_speed_table,
    rho_from_sigma,
    sigma_from_rho,
)

runner = CliRunner()
RHOS = [-1.0, -0.5, -0.4, -0.2, -0.15, -0.1, 0.0]


def _direct(L, K, rho, alpha):
    """Textbook CES formula (independent of the log/expm1 implementation)."""
    return (alpha * L**rho + (1 - alpha) * K**rho) ** (1 / rho)


def test_max_speed_cli_matches_closed_form_and_published_table():
    res = runner.invoke(app, ["takeoff", "max-speed", "--alpha", "0.5", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["rho"] == RHOS
    speeds = out["max_speed"]
    assert speeds[-1] is None and out["unbounded"] == [False] * 6 + [True]  # non-finite: null + flag
    for rho, got in zip(RHOS[:-1], speeds[:-1]):
        closed = (1 - 0.5) ** (1 / rho)
        assert abs(got / closed - 1) <= 1e-9
    # The post's table (rounded): 2, 4, 5.66, 32, ~102, 1024, inf.
    assert np.allclose(speeds[:-1], [2, 4, 5.66, 32, 101.6, 1024], rtol=2e-3)


def test_max_speed_cli_custom_rho_and_bad_input():
    res = runner.invoke(app, ["takeoff", "max-speed", "--rho", "-0.3", "--alpha", "0.3", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["max_speed"][0] == pytest.approx(0.7 ** (1 / -0.3), rel=1e-12)
    bad = runner.invoke(app, ["takeoff", "max-speed", "--rho", "-0.2,abc"])
    assert bad.exit_code == 2 and "rho" in bad.output
    bad = runner.invoke(app, ["takeoff", "max-speed", "--alpha", "1.5"])
    assert bad.exit_code == 2 and "alpha" in bad.output


def test_max_speed_plot_written(tmp_path):
    f = tmp_path / "speed.png"
    res = runner.invoke(app, ["takeoff", "max-speed", "--plot", str(f)])
    assert res.exit_code == 0 and f.stat().st_size > 1000


def test_output_matches_textbook_formula_and_broadcasts():
    L = np.logspace(-2, 6, 9)[:, None]
    rho = np.array([-2.0, -0.7, -0.05, 0.3, 0.9])[None, :]
    got = ces_output(L, 3.0, rho, 0.4)
    assert got.shape == (9, 5)
    assert np.allclose(got, _direct(L, 3.0, rho, 0.4), rtol=1e-12)
    assert ces_output(1.0, 1.0, -0.37, 0.2) == pytest.approx(1.0, abs=1e-15)


def test_limits_leontief_cobb_douglas_and_zero_inputs():
    L = np.array([0.5, 2.0, 40.0])
    assert np.array_equal(ces_output(L, 1.5, -np.inf, 0.5), np.minimum(L, 1.5))
    assert np.allclose(ces_output(L, 1.5, -400.0, 0.5), np.minimum(L, 1.5), rtol=5e-3)
    assert np.allclose(ces_output(L, 1.5, 0.0, 0.3), L**0.3 * 1.5**0.7, rtol=1e-14)
    assert ces_output(0.0, 2.0, -0.5, 0.5) == 0.0  # complements: no labour, no output
    assert ces_output(0.0, 2.0, 0.5, 0.5) == pytest.approx(0.25 * 2.0, rel=1e-12)  # ((1-a) K^rho)^(1/rho)


def test_ceiling_and_sigma_conversion():
    assert ces_ceiling(-0.2, 0.5, compute=3.0) == pytest.approx(32 * 3.0, rel=1e-12)
    assert ces_ceiling(0.0) == np.inf and ces_ceiling(0.4) == np.inf
    assert ces_ceiling(-np.inf, 0.5, 2.0) == 2.0
    # Natalia Coelho's conversion: sigma 0.45-0.87 <-> rho -1.22 to -0.15.
    assert rho_from_sigma(0.45) == pytest.approx(-1.2222, abs=1e-4)
    assert rho_from_sigma(0.87) == pytest.approx(-0.1494, abs=1e-4)
    assert sigma_from_rho(rho_from_sigma(0.7)) == pytest.approx(0.7, rel=1e-14)
    table = max_speed_table([-0.4], alpha=0.5)
    assert table.to_frame()["sigma"].iloc[0] == pytest.approx(1 / 1.4, rel=1e-14)


def test_bad_parameters_raise():
    with pytest.raises(ParameterError, match="alpha"):
        ces_output(1.0, 1.0, -0.2, alpha=-0.1)
    with pytest.raises(ParameterError, match="rho"):
        ces_output(1.0, 1.0, 1.5)
    with pytest.raises(ParameterError, match="labour"):
        ces_output(-1.0, 1.0, -0.2)


@settings(max_examples=200, deadline=None)
@given(
    L=st.floats(1e-3, 1e6),
    K=st.floats(1e-3, 1e3),
    alpha=st.floats(0.05, 0.95),
    rho=st.floats(-1e-3, 1e-3),
)
def test_small_rho_tends_to_cobb_douglas(L, K, alpha, rho):
    cd = L**alpha * K ** (1 - alpha)
    got = ces_output(L, K, rho, alpha)
    # d log Y / d rho at 0 is alpha (1-alpha) (log L - log K)^2 / 2: error is O(rho).
    bound = abs(rho) * alpha * (1 - alpha) * (np.log(L) - np.log(K)) ** 2 + 1e-12
    assert abs(np.log(got) - np.log(cd)) <= bound


@settings(max_examples=200, deadline=None)
@given(
    L=st.floats(1e-3, 1e12),
    K=st.floats(1e-2, 1e2),
    alpha=st.floats(0.01, 0.99),
    rho=st.floats(-5.0, -1e-3),
)
def test_ceiling_never_exceeded_and_output_increasing(L, K, alpha, rho):
    ceil = ces_ceiling(rho, alpha, K)
    y = ces_output(L, K, rho, alpha)
    assert y <= ceil * (1 + 1e-12)
    assert ces_output(2 * L, K, rho, alpha) >= y * (1 - 1e-12)


@settings(max_examples=100, deadline=None)
@given(L=st.floats(1e-2, 1e4), K=st.floats(1e-2, 1e2), alpha=st.floats(0.05, 0.95))
def test_continuous_across_rho_zero(L, K, alpha):
    y0 = ces_output(L, K, 0.0, alpha)
    for eps in (1e-12, -1e-12, 1e-9, -1e-9):
        assert abs(ces_output(L, K, eps, alpha) / y0 - 1) < 1e-6


# ---------------------------------------------------------------- every CES limit vs its closed form

@settings(max_examples=150, deadline=None)
@given(L=st.floats(1e-3, 1e6), K=st.floats(1e-3, 1e3), rho=st.floats(-50.0, 0.99))
def test_alpha_edges_are_single_input_closed_forms(L, K, rho):
    # alpha = 0: Y = K for every rho; alpha = 1: Y = L.
    assert ces_output(L, K, rho, 0.0) == pytest.approx(K, rel=1e-12)
    assert ces_output(L, K, rho, 1.0) == pytest.approx(L, rel=1e-12)
    assert ces_output(L, K, -np.inf, 0.0) == pytest.approx(K, rel=1e-15)
    assert ces_output(L, K, -np.inf, 1.0) == pytest.approx(L, rel=1e-15)
    assert ces_output(L, K, 0.0, 0.0) == pytest.approx(K, rel=1e-14)
    # Ceiling as L -> inf: K with no weight on labour, unbounded with no weight on compute.
    assert ces_ceiling(rho, 0.0, K) == pytest.approx(K, rel=1e-14)
    assert ces_ceiling(rho, 1.0, K) == np.inf


@settings(max_examples=150, deadline=None)
@given(L=st.floats(1e-3, 1e6), K=st.floats(1e-3, 1e3), alpha=st.floats(0.0, 1.0), rho=st.floats(-1e-14, 1e-14))
def test_rho_to_zero_is_cobb_douglas(L, K, alpha, rho):
    cd = L**alpha * K ** (1 - alpha)
    assert ces_output(L, K, rho, alpha) == pytest.approx(cd, rel=1e-10)
    assert ces_output(L, K, 0.0, alpha) == pytest.approx(cd, rel=1e-13)


@settings(max_examples=150, deadline=None)
@given(L=st.floats(1e-2, 1e4), K=st.floats(1e-2, 1e2), alpha=st.floats(0.01, 0.99))
def test_rho_to_minus_infinity_is_leontief(L, K, alpha):
    leo = min(L, K)
    assert ces_output(L, K, -np.inf, alpha) == pytest.approx(leo, rel=1e-15)
    # [a L^rho + (1-a) K^rho]^(1/rho) = min * w^(1/rho) with w in [min(a, 1-a), 1]: closed-form bound.
    rho = -1e4
    got = ces_output(L, K, rho, alpha)
    w_lo = min(alpha, 1 - alpha)
    assert leo * (1 - 1e-12) <= got <= leo * w_lo ** (1 / rho) * (1 + 1e-12)


@settings(max_examples=150, deadline=None)
@given(alpha=st.floats(0.0, 1.0), rho=st.floats(-30.0, -1e-3), K=st.floats(1e-2, 1e2))
def test_ceiling_closed_form_and_its_limits(alpha, rho, K):
    with np.errstate(over="ignore"):
        expected = K if alpha == 0 else (np.inf if alpha == 1 else np.float64(1 - alpha) ** (1 / rho) * K)
    assert ces_ceiling(rho, alpha, K) == pytest.approx(expected, rel=1e-12)
    assert ces_ceiling(-np.inf, alpha, K) == (np.inf if alpha == 1 else K)  # Leontief: compute binds
    assert ces_ceiling(0.0, alpha, K) == (K if alpha == 0 else np.inf)  # Cobb-Douglas: unbounded unless no labour


def test_max_speed_alpha_zero_is_one_at_rho_zero():
    res = runner.invoke(app, ["takeoff", "max-speed", "--alpha", "0", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["max_speed"] == [1.0] * 7 and not any(out["unbounded"])


@settings(max_examples=100, deadline=None)
@given(sigma=st.floats(0.0, 1e6))
def test_sigma_rho_round_trip_on_the_closed_domain(sigma):
    rho = rho_from_sigma(sigma)
    assert rho <= 1
    back = sigma_from_rho(rho)
    assert back == pytest.approx(sigma, rel=1e-9, abs=1e-300)
    assert rho_from_sigma(0.0) == -np.inf and sigma_from_rho(-np.inf) == 0.0
    assert rho_from_sigma(np.inf) == 1.0 and sigma_from_rho(1.0) == np.inf
    with pytest.raises(ParameterError):
        rho_from_sigma(-0.1)
    with pytest.raises(ParameterError):
        sigma_from_rho(1.5)


def test_vectorised_logaddexp_matches_numpy_and_its_infinities():
    import numpy as np

    from aiprogress.takeoff.ces import logaddexp

    rng = np.random.default_rng(3)
    a, b = rng.normal(size=50_000) * 40, rng.normal(size=50_000) * 40
    special = np.array([np.inf, -np.inf, -np.inf, np.inf, 2.0, -np.inf, 7.0, 1e308])
    other = np.array([np.inf, -np.inf, 3.0, -np.inf, 2.0, 5.0, 7.0, 1e308])
    a, b = np.concatenate([a, special]), np.concatenate([b, other])
    want = np.logaddexp(a, b)
    got = logaddexp(a, b)
    fin = np.isfinite(want)
    assert np.array_equal(got[~fin], want[~fin])  # +-inf where numpy gives them, a = b = inf included
    assert np.max(np.abs(got[fin] - want[fin]) / np.maximum(1.0, np.abs(want[fin]))) < 1e-14
    assert got[-4] == want[-4] == 2.0 + np.log(2.0) and got[-2] == want[-2]  # a = b: a + log 2
    out = b.copy()
    assert logaddexp(a, out, out=out) is out and np.array_equal(out, got)  # in place on an input
    assert float(logaddexp(0.5, -1.0)) == float(np.logaddexp(0.5, -1.0))  # scalars go to numpy
