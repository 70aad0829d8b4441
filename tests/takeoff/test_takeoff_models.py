"""The model interface and the Davidson-Houlden model: closed forms, batch == plain loop, registry, CLI."""

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
from aiprogress.takeoff.models import LOG2_10, get_model, list_models
from aiprogress.takeoff.sie import SIEParams, time_to_ooms

runner = CliRunner()
DH = get_model("davidson-houlden")


def _plain_loop(f, r, p, distance_years, recent_months=3.0, per_year=8.0, n=200, retraining=False):
    """The D&H recursion as written (DT_{i+1} = 2^(p(1/r_i - 1)) DT_i, r_{i+1} = r_i - r_0/D), independent code."""
    d = distance_years * per_year
    dt = recent_months / 12.0 / f
    r_i = r
    times = [0.0]
    for _ in range(n):
        times.append(times[-1] + dt)  # doubling i takes DT_i
        if r_i <= 0:
            dt = math.inf
        else:
            e = p * (1.0 / r_i - 1.0)
            if retraining:
                e = e / (1.0 + abs(e))
            try:
                dt = dt * 2.0**e
            except OverflowError:
                dt = math.inf
        r_i = r_i - r / d
    return times


def test_registry_lists_every_model_with_declared_parameters():
    assert {"ces-sie", "davidson-houlden", "davidson-houlden-retraining", "davidson-houlden-gradual"} <= set(list_models())
    for name in list_models():
        m = get_model(name)
        assert m.parameters and all(p.unit is not None and p.description for p in m.parameters)
        for p in m.parameters:
            assert p.admissible(p.default), (name, p.name)
    assert get_model("davidson-houlden-gradual").defaults()["f0"] == 0.1
    with pytest.raises(ParameterError, match="model"):
        get_model("nope")


def test_models_cli_lists_models_and_parameters():
    res = runner.invoke(app, ["takeoff", "models", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)["models"]
    params = {p["name"]: p for p in out["davidson-houlden"]["parameters"]}
    assert params["r"]["default"] == 1.2 and params["doublings_per_year"]["default"] == 8.0
    assert params["distance_years"]["high"] is None  # inf bound written as null


@settings(max_examples=60, deadline=None)
@given(r=st.floats(0.3, 5.0), p=st.floats(0.05, 1.0), f=st.floats(1.0, 40.0))
def test_constant_r_doubling_times_are_geometric_with_partial_sums(r, p, f):
    tr = DH.simulate_batch({"r": r, "p": p, "f": f, "distance_years": np.inf}, max_log2_software=60)
    t = tr.time_years[0]
    dt = np.diff(t)
    q = 2.0 ** (p * (1.0 / r - 1.0))
    dt0 = 0.25 / f
    assert dt[0] == pytest.approx(dt0, rel=1e-15)
    # Ratios of consecutive doubling times (where differencing the dates loses < 1e-13 to rounding).
    ok = (dt[:-1] > 1e-3 * t[1:-1]) & (dt[1:] > 1e-3 * t[2:])
    assert ok[:5].all()
    assert np.allclose((dt[1:] / dt[:-1])[ok], q, rtol=1e-12, atol=0)
    n = np.arange(1, t.size)
    lq = math.log(2.0) * p * (1.0 / r - 1.0)  # log q; (q^n - 1)/(q - 1) via expm1, stable as q -> 1
    partial = dt0 * n if lq == 0 else dt0 * np.expm1(n * lq) / math.expm1(lq)
    assert np.allclose(t[1:], partial, rtol=1e-12, atol=0)


def test_r_above_one_converges_to_the_geometric_limit():
    r, p, f = 2.0, 0.4, 8.0
    tr = DH.simulate_batch({"r": r, "p": p, "f": f, "distance_years": np.inf}, max_log2_software=2000)
    q = 2.0 ** (p * (1.0 / r - 1.0))
    assert tr.time_years[0, -1] == pytest.approx((0.25 / f) / (1 - q), rel=1e-12)


def test_returns_reach_zero_exactly_at_d_doublings_and_software_stops():
    # D = 11 years x 8 = 88 doublings: r_i = r0 (1 - i/D) is exactly 0 at i = 88, so DT_89 is infinite.
    tr = DH.simulate(r=1.2, p=0.3, f=8.0, distance_years=11.0)
    t = tr.time_years[0]
    assert 1.2 * (1.0 - 88 / 88.0) == 0.0
    assert np.all(np.isfinite(t[:90])) and np.all(np.isinf(t[90:]))
    assert tr.log2_software[np.flatnonzero(np.isfinite(t))[-1]] == 89  # last completed doubling used r_87 > 0
    # The closed form of r_i equals the recursion r_{i+1} = r_i - r0/D to rounding.
    r_rec = 1.2
    for i in range(88):
        assert r_rec == pytest.approx(1.2 * (1 - i / 88.0), abs=1e-13)
        r_rec -= 1.2 / 88.0


@pytest.mark.parametrize("name", ["davidson-houlden", "davidson-houlden-retraining", "davidson-houlden-gradual"])
def test_batch_equals_the_plain_per_draw_loop_exactly(name):
    m = get_model(name)
    rng = np.random.default_rng(3)
    n = 300
    params = {"f": np.exp(rng.uniform(np.log(2), np.log(32), n)), "r": np.exp(rng.uniform(np.log(0.4), np.log(3.6), n)),
              "distance_years": rng.uniform(6, 16, n), "p": np.exp(rng.uniform(np.log(0.15), np.log(0.6), n))}
    params["distance_years"][::37] = np.inf  # no effective limit: a constant step up to the grid cap
    params["distance_years"][5::41] = 11.0  # D = 88 exactly: the last finite step is j = 87
    params["r"][7], params["p"][7], params["distance_years"][7] = 0.01, 1.0, np.inf  # dates overflow to inf
    if name.endswith("gradual"):
        params["f0"], params["ramp_years"] = rng.uniform(0.05, 1.0, n), rng.uniform(1.0, 8.0, n)
    batch = m.simulate_batch(params)
    if not name.endswith("retraining"):  # (retraining damps every step below ln 2: no overflow)
        assert np.isinf(batch.time_years[7, -1]) and np.isfinite(batch.time_years[7, 2])
    cols = batch.log2_software.size - 1
    for k in range(n):
        ref = m.reference_loop({**m.defaults(), **{a: v[k] for a, v in params.items()}}, cols)
        assert np.array_equal(np.asarray(ref), batch.time_years[k]), k
    # A grid capped below D (fewer rows than doublings) holds the same dates.
    capped = m.simulate_batch(params, max_log2_software=30)
    assert np.array_equal(capped.time_years, batch.time_years[:, :31])
    # The same draws in another batch composition give the same trajectories.
    sub = m.simulate_batch({a: v[100:140] for a, v in params.items()})
    assert np.array_equal(sub.time_years, batch.time_years[100:140, : sub.time_years.shape[1]])


def test_reference_loop_is_the_recursion_as_written():
    # Independent spelling of the recursion (multiplicative, r by repeated subtraction): equal to ~1e-12.
    for retraining in (False, True):
        m = get_model("davidson-houlden-retraining" if retraining else "davidson-houlden")
        for r, p, f, dist in ((0.7, 0.3, 4.0, 9.0), (1.8, 0.5, 20.0, 14.5), (3.0, 0.2, 2.0, 6.25)):
            got = np.asarray(m.reference_loop({**m.defaults(), "r": r, "p": p, "f": f, "distance_years": dist}, 200))
            ref = np.asarray(_plain_loop(f, r, p, dist, n=200, retraining=retraining))
            # Up to level D (beyond it repeated subtraction leaves r at +-1e-16 instead of exactly 0).
            k = int(dist * 8)
            assert np.all(np.isfinite(got[:k])) and np.isinf(got[k + 2:]).all()
            assert np.allclose(got[:k], ref[:k], rtol=1e-11, atol=0)


def test_gradual_boost_ramps_the_speed_multiplier():
    m = get_model("davidson-houlden-gradual")
    # With r = 1 and p irrelevant (exponent 0) the base doubling time stays 3 months; the speed multiplier
    # is 1 + f0 + (fmax - f0) min(T/5, 1): the first doubling takes 0.25 / 1.1 years.
    tr = m.simulate(r=1.0, f=8.0, f0=0.1, distance_years=np.inf)
    t = tr.time_years[0]
    assert t[1] == pytest.approx(0.25 / 1.1, rel=1e-15)
    s1 = 1 + 0.1 + 7.9 * min(t[1] / 5.0, 1.0)
    assert t[2] - t[1] == pytest.approx(0.25 / s1, rel=1e-14)
    late = np.flatnonzero(t > 5.0)[0]
    assert t[late + 1] - t[late] == pytest.approx(0.25 / 9.0, rel=1e-14)


def test_ces_model_trajectory_matches_the_quadrature():
    m = get_model("ces-sie")
    tr = m.simulate_batch({"r": [1.2, 2.0]}, extra_log2_levels=(5 * LOG2_10,))
    days = time_to_ooms(SIEParams(r=2.0).as_arrays(), [5.0]).ravel()[0]
    # Same integral on a finer panel grid (levels every doubling): equal to the quadrature accuracy.
    assert tr.time_to_level(5 * LOG2_10)[1] * 365.25 == pytest.approx(days, rel=1e-8)
    assert tr.log2_software[0] == 0.0 and np.all(tr.time_years[:, 0] == 0.0)
    assert np.all(np.diff(tr.time_years, axis=1)[np.isfinite(tr.time_years[:, 1:])] >= 0)
    # Levels at or above the 10-OOM ceiling are never reached.
    assert tr.log2_software.max() <= 10 * LOG2_10 + 1e-9 and np.isinf(tr.time_years[:, -1]).all()


def test_interface_validates_parameters():
    with pytest.raises(ParameterError, match="r"):
        DH.simulate(r=-1.0)
    with pytest.raises(ParameterError, match="unknown parameter"):
        DH.simulate(rho=0.1)
    with pytest.raises(ParameterError, match="simulate_batch"):
        DH.simulate(r=np.array([1.0, 2.0]))
    res = runner.invoke(app, ["takeoff", "trajectory", "--model", "davidson-houlden", "--param", "r=-2"])
    assert res.exit_code == 2 and "r" in res.output


def test_trajectory_cli_and_level_interpolation():
    res = runner.invoke(app, ["takeoff", "trajectory", "--model", "davidson-houlden", "--param", "r=1.5", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    t = np.array([x if x is not None else np.inf for x in out["time_years"][0]])
    tr = DH.simulate(r=1.5)
    assert np.array_equal(t, tr.time_years[0])
    # level_at interpolates log software linearly in time between doubling dates.
    mid = 0.5 * (t[3] + t[4])
    assert tr.level_at([mid])[0, 0] == pytest.approx(3.5, abs=1e-12)
    assert tr.time_to_level(3.5)[0] == pytest.approx(mid, rel=1e-14)


def test_threaded_blocks_equal_the_serial_batch_and_the_loop(monkeypatch):
    import aiprogress.takeoff.model_dh as model_dh

    rng = np.random.default_rng(11)
    n = 3 * model_dh._COLUMNS + 17  # several blocks, uneven
    params = {"f": np.exp(rng.uniform(np.log(2), np.log(32), n)), "r": np.exp(rng.uniform(np.log(0.4), np.log(3.6), n)),
              "distance_years": rng.uniform(6, 16, n), "p": np.exp(rng.uniform(np.log(0.15), np.log(0.6), n))}
    params["distance_years"][::97] = np.inf  # some draws without an effective limit
    assert model_dh._workers(4) >= 1
    threaded = DH.simulate_batch(params)
    monkeypatch.setattr(model_dh, "_workers", lambda blocks: 1)
    serial = DH.simulate_batch(params)
    assert np.array_equal(threaded.time_years, serial.time_years)
    cols = threaded.log2_software.size - 1
    for k in list(range(0, n, 997)) + [97 * 3]:
        ref = DH.reference_loop({**DH.defaults(), **{a: v[k] for a, v in params.items()}}, cols)
        assert np.array_equal(np.asarray(ref), threaded.time_years[k]), k
