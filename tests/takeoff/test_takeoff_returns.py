"""Returns to software r: doubling sequences, singularity date, continuous closed form."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import ParameterError
from aiprogress.takeoff.returns import (
    doubling_sequence,
    initial_growth_rate_per_day,
    log_software_at,
    singularity_days,
    time_to_doublings_days,
)

runner = CliRunner()


@pytest.mark.parametrize(
    "r, expected",
    [
        (0.7, [30.4, 40.9, 55.1, 74.2, 99.9]),  # SPEC / Davidson: ~41, 55, 74, 100 days
        (3.0, [30.4, 19.2, 12.1, 7.6, 4.8]),  # ~19, 12, 7.6, 4.8 days
    ],
)
def test_doublings_cli_matches_published_sequence(r, expected):
    res = runner.invoke(
        app, ["takeoff", "doublings", "--r", str(r), "--first-doubling-days", "30.42", "--n", "5", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert np.allclose(out["doubling_days"], expected, atol=0.1)
    assert out["ratio"] == pytest.approx(2 ** (1 / r - 1), rel=1e-14)
    assert out["cumulative_days"][-1] == pytest.approx(sum(out["doubling_days"]), rel=1e-12)


def test_singularity_is_the_geometric_series_sum():
    seq = doubling_sequence(3.0, 30.42, 400)
    assert seq.singularity_days == pytest.approx(sum(seq.doubling_days), rel=1e-12)
    assert singularity_days(0.7, 30.0) == np.inf and singularity_days(1.0, 30.0) == np.inf
    assert doubling_sequence(0.7, 30.0, 3).regime == "fizzle"
    out = json.loads(runner.invoke(app, ["takeoff", "doublings", "--r", "0.7", "--json"]).stdout)
    assert out["singularity_days"] is None and out["singularity_days_unbounded"] is True  # null + flag


def test_r_equal_one_is_exponential():
    assert np.allclose(doubling_sequence(1.0, 20.0, 4).doubling_days, [20.0] * 4)
    assert time_to_doublings_days(1.0, 20.0, 2.5) == pytest.approx(50.0, rel=1e-14)
    assert initial_growth_rate_per_day(1.0, 20.0) == pytest.approx(math.log(2) / 20.0, rel=1e-14)


@pytest.mark.parametrize("r", [0.5, 0.7, 1.0, 1.6, 3.0])
def test_discrete_sequence_is_exact_on_the_continuous_path(r):
    """Integrate dR/dt = c S, S = R**r numerically and time each doubling of S."""
    t1 = 30.0
    g0 = float(initial_growth_rate_per_day(r, t1))
    c = g0 / r  # g0 = r c R0**(r-1) with R0 = 1
    levels = [math.log(2) * k / r for k in range(1, 6)]  # ln R at each doubling of S

    def ev(k):
        f = lambda t, y: y[0] - levels[k]  # noqa: E731
        f.terminal = k == len(levels) - 1
        return f

    sol = solve_ivp(lambda t, y: [c * math.exp((r - 1) * y[0])], (0, 1e5), [0.0], events=[ev(k) for k in range(5)],
                    rtol=1e-12, atol=1e-14, method="DOP853")
    numeric = np.array([te[0] for te in sol.t_events])
    closed = time_to_doublings_days(r, t1, np.arange(1, 6))
    assert np.allclose(numeric, closed, rtol=1e-8)
    assert np.allclose(np.diff(np.concatenate([[0], numeric])), doubling_sequence(r, t1, 5).doubling_days, rtol=1e-8)


@settings(max_examples=100, deadline=None)
@given(r=st.floats(0.2, 6.0), t1=st.floats(1.0, 400.0), n=st.floats(0.0, 12.0))
def test_log_software_inverts_time_to_doublings(r, t1, n):
    t = time_to_doublings_days(r, t1, n)
    assert log_software_at(r, t1, t) / math.log(2) == pytest.approx(n, rel=1e-9, abs=1e-9)


def test_bad_input():
    with pytest.raises(ParameterError, match="'r'"):
        doubling_sequence(-1.0)
    with pytest.raises(ParameterError, match="first_doubling_days"):
        doubling_sequence(1.5, 0.0)
    res = runner.invoke(app, ["takeoff", "doublings", "--r", "0", "--json"])
    assert res.exit_code == 2
    assert "'--r'" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["takeoff", "doublings", "--r", "2", "--n", "0"])
    assert res.exit_code == 2 and "'--n'" in res.output
