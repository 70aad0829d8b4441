"""ρ/σ estimation: recovery on synthetic CES data, SEs against independent scipy/statsmodels/numpy calls, σ→ρ."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from statsmodels.stats._delta_method import NonlinearDeltaCov
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import InputError, ParameterError
from aiprogress.takeoff.ces import ces_log_output, rho_from_sigma, sigma_from_rho
from aiprogress.takeoff.estimate import estimate_rho, estimate_rho_csv, estimate_rho_nls, estimate_rho_translog
from aiprogress.takeoff.sigma import convert_sigma, published_sigma_conversions

FIXTURES = Path(__file__).parent / "fixtures" / "estimate"
TRUE_RHO, TRUE_ALPHA, TRUE_A = -0.3, 0.4, 2.0


def synthetic_ces(seed: int = 20240601, n: int = 500, noise: float = 0.03) -> pd.DataFrame:
    """Y = A [α L^ρ + (1−α) K^ρ]^{1/ρ} · exp(ε), L and K log-normal around 1."""
    rng = np.random.default_rng(seed)
    labour = np.exp(rng.normal(0.0, 0.6, n))
    capital = np.exp(rng.normal(0.0, 0.6, n))
    y = TRUE_A * (TRUE_ALPHA * labour**TRUE_RHO + (1 - TRUE_ALPHA) * capital**TRUE_RHO) ** (1 / TRUE_RHO)
    return pd.DataFrame({"Y": y * np.exp(rng.normal(0.0, noise, n)), "L": labour, "K": capital})


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return synthetic_ces()


def test_both_methods_recover_known_rho_within_005(data):
    res = estimate_rho(data["Y"], data["L"], data["K"], method="both")
    for name in ("translog", "nls"):
        est = res.estimates[name]
        assert abs(est.rho - TRUE_RHO) < 0.05, (name, est.rho)
        assert abs(est.alpha - TRUE_ALPHA) < 0.02
        assert est.sigma == pytest.approx(1 / (1 - est.rho))


def test_cli_estimate_rho_recovers_rho(tmp_path, data):
    path = tmp_path / "ces.csv"
    data.rename(columns={"Y": "out", "L": "lab", "K": "cap"}).to_csv(path, index=False)
    result = CliRunner().invoke(
        app,
        ["takeoff", "estimate-rho", "--csv", str(path), "--output-col", "out", "--labour-col", "lab", "--capital-col", "cap", "--json"],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert abs(out["translog"]["rho"] - TRUE_RHO) < 0.05
    assert abs(out["nls"]["rho"] - TRUE_RHO) < 0.05
    assert out["nls"]["rho_ci_low"] <= TRUE_RHO <= out["nls"]["rho_ci_high"]


def test_translog_coefficients_and_ses_match_numpy_and_delta_method(data):
    est = estimate_rho_translog(data["Y"], data["L"], data["K"])
    # Independent: the same regression by numpy lstsq with the classical covariance.
    ly, ll, lk = (np.log(data[c].to_numpy()) for c in ("Y", "L", "K"))
    ly, ll, lk = ly - ly.mean(), ll - ll.mean(), lk - lk.mean()
    x = ll - lk
    X = np.column_stack([np.ones_like(x), x, x**2])
    b, *_ = np.linalg.lstsq(X, ly - lk, rcond=None)
    resid = ly - lk - X @ b
    cov = resid @ resid / (len(x) - 3) * np.linalg.inv(X.T @ X)
    np.testing.assert_allclose(est.coefficients["coef"], b, rtol=1e-9)
    np.testing.assert_allclose(est.coefficients["se"], np.sqrt(np.diag(cov)), rtol=1e-9)
    assert est.rho == pytest.approx(2 * b[2] / (b[1] * (1 - b[1])), rel=1e-9)
    # ρ's SE against statsmodels' own (numerical-derivative) delta method.
    dm = NonlinearDeltaCov(lambda p: np.atleast_1d(2 * p[2] / (p[1] * (1 - p[1]))), b, cov)
    assert est.rho_se == pytest.approx(float(np.sqrt(dm.cov()[0, 0])), rel=1e-5)


def test_nls_matches_scipy_curve_fit(data):
    est = estimate_rho_nls(data["Y"], data["L"], data["K"])
    ly, ll, lk = (np.log(data[c].to_numpy()) for c in ("Y", "L", "K"))
    ly, ll, lk = ly - ly.mean(), ll - ll.mean(), lk - lk.mean()

    def f(xy, log_a, alpha, rho):  # closed-form CES, fine away from ρ = 0
        return log_a + np.log(alpha * np.exp(rho * xy[0]) + (1 - alpha) * np.exp(rho * xy[1])) / rho

    popt, pcov = optimize.curve_fit(f, np.vstack([ll, lk]), ly, p0=[0.0, 0.5, -0.5])
    np.testing.assert_allclose([est.log_scale, est.alpha, est.rho], popt, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose([est.log_scale_se, est.alpha_se, est.rho_se], np.sqrt(np.diag(pcov)), rtol=1e-3)


def test_nls_moves_through_cobb_douglas_limit():
    # Exact Cobb–Douglas data (ρ = 0): NLS must find ρ ≈ 0 without numerical trouble.
    rng = np.random.default_rng(5)
    labour, capital = np.exp(rng.normal(0, 0.8, 300)), np.exp(rng.normal(0, 0.8, 300))
    y = 1.5 * labour**0.35 * capital**0.65 * np.exp(rng.normal(0, 0.02, 300))
    est = estimate_rho_nls(y, labour, capital)
    cd = sm.OLS(np.log(y / capital), sm.add_constant(np.log(labour / capital))).fit()
    assert abs(est.rho) < 3 * est.rho_se + 1e-6
    assert est.alpha == pytest.approx(cd.params[1], abs=5e-3)


@settings(max_examples=60, deadline=None)
@given(
    alpha=st.floats(0.05, 0.95),
    xl=st.floats(-3, 3),
    xk=st.floats(-3, 3),
    rho=st.floats(-3, 0.9).filter(lambda r: abs(r) > 0.05),
)
def test_ces_log_output_matches_closed_form(alpha, xl, xk, rho):
    closed = math.log(alpha * math.exp(rho * xl) + (1 - alpha) * math.exp(rho * xk)) / rho
    assert float(ces_log_output(np.array([xl]), np.array([xk]), rho, alpha)[0]) == pytest.approx(closed, rel=1e-10, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(alpha=st.floats(0.05, 0.95), xl=st.floats(-3, 3), xk=st.floats(-3, 3), rho=st.floats(-1e-4, 1e-4))
def test_ces_log_output_tends_to_cobb_douglas(alpha, xl, xk, rho):
    cd = alpha * xl + (1 - alpha) * xk
    val = float(ces_log_output(np.array([xl]), np.array([xk]), rho, alpha)[0])
    # first-order term ½ρα(1−α)(xl−xk)² bounds the gap
    assert abs(val - cd) <= 0.5 * abs(rho) * alpha * (1 - alpha) * (xl - xk) ** 2 * 1.01 + 1e-13


def test_sigma_to_rho_published_range_from_thread():
    # The thread: σ 0.45–0.87 is ρ −1.22 to −0.15.
    assert rho_from_sigma(0.45) == pytest.approx(-1.22, abs=0.005)
    assert rho_from_sigma(0.87) == pytest.approx(-0.15, abs=0.005)
    assert sigma_from_rho(rho_from_sigma(0.7)) == pytest.approx(0.7)


def test_ceiling_matches_spec_table():
    # SPEC: α = ½ gives ceilings 2, 4, 32, ≈102, 1024 for ρ = −1, −0.5, −0.2, −0.15, −0.1.
    rhos = np.array([-1, -0.5, -0.2, -0.15, -0.1])
    conv = convert_sigma(list(1 / (1 - rhos)), alpha=0.5)
    np.testing.assert_allclose(conv.rho, rhos, atol=1e-12)
    np.testing.assert_allclose(conv.ceiling, [2, 4, 32, 101.6, 1024], rtol=2e-3)


def test_published_sigma_table_contains_thread_range():
    tab = published_sigma_conversions()
    row = tab[(tab["published"] == "sigma") & (tab["bound"] == "low") & tab["domain"].str.contains("economy")]
    assert float(row["rho"].iloc[0]) == pytest.approx(-1.22, abs=0.005)


def test_cli_sigma_to_rho_accepts_space_separated_values():
    result = CliRunner().invoke(app, ["takeoff", "sigma-to-rho", "--sigma", "0.45", "0.87", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    np.testing.assert_allclose(out["rho"], [1 - 1 / 0.45, 1 - 1 / 0.87])


def test_bad_sigma_is_a_parameter_error():
    with pytest.raises(ParameterError, match="sigma"):
        rho_from_sigma(-0.5)
    result = CliRunner().invoke(app, ["takeoff", "sigma-to-rho", "--sigma=-0.5"])
    assert result.exit_code == 2
    assert "sigma" in result.output
    # sigma = 0 is the Leontief end of the closed domain: rho = -inf, written null with a flag.
    out = json.loads(CliRunner().invoke(app, ["takeoff", "sigma-to-rho", "--sigma", "0", "--json"]).stdout)
    assert out["rho"] == [None] and out["rho_unbounded_below"] == [0] and out["ceiling"] == [1.0]


def test_missing_column_names_file_and_column(tmp_path, data):
    path = tmp_path / "nok.csv"
    data.drop(columns="K").to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        estimate_rho_csv(path)
    assert info.value.column == "K" and info.value.file == str(path)
    result = CliRunner().invoke(app, ["takeoff", "estimate-rho", "--csv", str(path)])
    assert result.exit_code == 2
    assert "nok.csv" in result.output and "'K'" in result.output
    assert "Traceback" not in result.output


def test_non_positive_value_names_file_line_and_column():
    path = FIXTURES / "rho_nonpositive_capital.csv"
    with pytest.raises(InputError) as info:
        estimate_rho_csv(path)
    # the zero is on the 4th data row -> line 5 (header is line 1)
    assert (info.value.line, info.value.column) == (5, "K")
    result = CliRunner().invoke(app, ["takeoff", "estimate-rho", "--csv", str(path), "--json"])
    assert result.exit_code == 2
    assert "rho_nonpositive_capital.csv, line 5, column 'K'" in result.stderr
    assert result.stdout == ""  # --json prints nothing on stdout when it fails
