"""SIE simulator: closed forms in the pure cases, the CES ceiling, and agreement of the two solvers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import ParameterError
from aiprogress.takeoff import returns
from aiprogress.takeoff.ces import ces_ceiling
from aiprogress.takeoff.sie import SIEParams, time_to_ooms
from aiprogress.takeoff.trajectory import simulate

runner = CliRunner()
LN10 = math.log(10)


def _pure(r, doubling=120.0, labour=200.0, share=0.5):
    return SIEParams(alpha=1.0, lam=1.0, eta=0.0, r=r, ceiling_ooms=math.inf, human_labour=0.0,
                     software_doubling_days=doubling, labour_at_full_hardware=labour, run_share=share)


@pytest.mark.parametrize("r", [1.3, 2.0, 4.0])
def test_pure_case_blowup_matches_closed_form(r):
    p = _pure(r)
    g0 = math.log(2) / 120.0 * 200.0 * 0.5  # g_today * automated labour at t = 0
    closed = r / ((r - 1) * g0)
    traj = simulate(p, stop_ooms=10, max_growth_per_day=1e9)
    assert traj.blowup_days == pytest.approx(closed, rel=1e-6)
    # Times to whole OOMs on the time-domain path vs (1 - exp(-a s)) / (a g0).
    a = 1 - 1 / r
    for k, days in traj.days_to_ooms.items():
        assert days == pytest.approx((1 - math.exp(-a * k * LN10)) / (a * g0), rel=1e-6)
    # Same model as returns.py: first doubling time -> same singularity date.
    t1 = (1 - 2 ** (-a)) / (a * g0)
    assert returns.singularity_days(r, t1) == pytest.approx(closed, rel=1e-12)
    assert traj.sie and traj.stop_reason == "target"


def test_pure_case_r_below_one_has_no_blowup_and_polynomial_path():
    p = _pure(0.8)
    g0 = math.log(2) / 120.0 * 100.0
    traj = simulate(p, stop_ooms=4)
    assert traj.blowup_days == math.inf
    a = 1 - 1 / 0.8
    assert traj.days_to_ooms[3] == pytest.approx((1 - math.exp(-a * 3 * LN10)) / (a * g0), rel=1e-6)
    assert time_to_ooms(p.as_arrays(), [3.0])[0] == pytest.approx(traj.days_to_ooms[3], rel=1e-8)


def test_training_delay_adds_days_per_generation():
    # r = 1 (exponential research path) plus a fixed training run per OOM: t(s) = s/g0 + tau * s / ln 10.
    p = _pure(1.0).replace(training_days=20.0, training_ooms_per_generation=1.0)
    g0 = math.log(2) / 120.0 * 100.0
    got = time_to_ooms(p.as_arrays(), [1.0, 2.5])
    assert np.allclose(got, [LN10 / g0 + 20.0, 2.5 * LN10 / g0 + 50.0], rtol=1e-12)
    assert simulate(p, stop_ooms=2).days_to_ooms[2] == pytest.approx(2 * LN10 / g0 + 40.0, rel=1e-7)


def test_ceiling_stops_software():
    p = SIEParams(rho=0.0, kappa=1.0, r=2.0, ceiling_ooms=4.0)
    t = time_to_ooms(p.as_arrays(), [1.0, 3.9, 4.0, 6.0])
    assert np.all(np.isfinite(t[:2])) and np.all(np.isinf(t[2:]))
    traj = simulate(p, horizon_days=3000)
    assert traj.log10_software.max() < 4.0
    assert traj.blowup_days == math.inf


@pytest.mark.parametrize(
    "kw",
    [
        dict(rho=-0.1, kappa=1.0, r=2.0, eta=0.2, human_labour=1.0, ceiling_ooms=12.0),
        dict(rho=-0.4, kappa=0.6, r=3.0, lam=0.7, training_days=30.0, training_speedup=0.5),
        dict(rho=0.0, kappa=0.8, r=1.5, lam=0.9, ceiling_ooms=8.0, alpha=0.3),
        dict(rho=0.2, kappa=0.0, r=1.5, lam=0.4, labour_at_full_hardware=2000.0),
        # every feature at once: rho < 0, kappa > 0, eta, lam, ceiling, human floor, training delay
        dict(rho=-0.15, alpha=0.4, kappa=0.4, eta=0.3, lam=0.6, r=2.5, ceiling_ooms=9.0, human_labour=1.0,
             training_days=20.0, training_ooms_per_generation=0.5, training_speedup=0.3),
    ],
)
def test_quadrature_agrees_with_solve_ivp(kw):
    p = SIEParams(**kw)
    traj = simulate(p, stop_ooms=5, horizon_days=1e6, fill_unreached=False)
    quad = time_to_ooms(p.as_arrays(), [1.0, 2.0, 3.0, 4.0, 5.0])
    ref = np.array([traj.days_to_ooms[k] for k in range(1, 6)])
    assert np.all(np.isfinite(ref))
    assert np.allclose(quad, ref, rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    rho=st.floats(-1.5, -0.02),
    alpha=st.floats(0.1, 0.9),
    lam=st.floats(0.2, 1.0),
    r=st.floats(0.5, 5.0),
    eta=st.floats(0.0, 1.0),
    labour=st.floats(1.0, 1e4),
    share=st.floats(0.1, 0.9),
    human=st.floats(0.0, 2.0),
)
def test_growth_never_exceeds_ces_ceiling_with_fixed_experiments(rho, alpha, lam, r, eta, labour, share, human):
    p = SIEParams(rho=rho, alpha=alpha, lam=lam, r=r, eta=eta, kappa=0.0, labour_at_full_hardware=labour,
                  run_share=share, human_labour=human, ceiling_ooms=math.inf)
    traj = simulate(p, horizon_days=2000, stop_ooms=8, rtol=1e-8)
    k0 = (1 - share) * 2.0
    ceiling = float(ces_ceiling(rho, alpha, k0))
    g_today = math.log(2) / 120.0
    assert np.all(traj.research_input <= ceiling * (1 + 1e-9))
    # growth = r_eff * (g_today / r) * Y / R <= g_today * ceiling, since R >= 1.
    assert np.all(traj.growth_rate_per_day <= g_today * ceiling * (1 + 1e-9))
    assert traj.blowup_days == math.inf


def test_sie_verdict_thresholds_are_overridable():
    p = SIEParams(rho=-0.1, kappa=1.0, r=2.0)
    traj = simulate(p)
    d5 = traj.days_to_sie_ooms
    assert simulate(p, sie_days=d5 * 1.01).sie and not simulate(p, sie_days=d5 * 0.99).sie
    assert simulate(p, sie_ooms=3).days_to_sie_ooms == pytest.approx(traj.days_to_ooms[3], rel=1e-9)


def test_simulate_cli_json_and_errors():
    res = runner.invoke(app, ["takeoff", "simulate", "--rho", "0", "--kappa", "1", "--r", "2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    ref = simulate(SIEParams(rho=0.0, kappa=1.0, r=2.0))
    assert out["days_to_sie_ooms"] == pytest.approx(ref.days_to_sie_ooms, rel=1e-12)
    assert out["sie"] == ref.sie
    bad = runner.invoke(app, ["takeoff", "simulate", "--run-share", "1.2"])
    assert bad.exit_code == 2 and "run_share" in bad.output
    with pytest.raises(ParameterError, match="lam"):
        SIEParams(lam=0.0)
    with pytest.raises(ParameterError, match="ooms"):
        time_to_ooms({}, [2.0, 1.0])
