"""SIE model review checks: calibration, the ceiling, edge cases, the verdict, distributions and config sources."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from aiprogress.errors import InputError
from aiprogress.takeoff.config import load_config, parse_config, shipped_configs
from aiprogress.takeoff.montecarlo import run_monte_carlo, sample_parameters
from aiprogress.takeoff.sie import SIEParams, r_effective, time_to_ooms
from aiprogress.takeoff.trajectory import simulate

LN10 = math.log(10)


def _ces(l, k, rho, alpha):
    """Textbook CES [alpha l^rho + (1 - alpha) k^rho]^(1/rho) (Cobb-Douglas at rho = 0)."""
    if rho == 0:
        return l**alpha * k ** (1 - alpha)
    return (alpha * l**rho + (1 - alpha) * k**rho) ** (1 / rho)


@pytest.mark.parametrize("rho, alpha, lam, kappa, eta", [(-0.3, 0.5, 0.5, 0.0, 0.0), (0.0, 0.3, 0.8, 1.0, 0.5),
                                                         (0.4, 0.7, 1.0, 0.3, 0.2)])
@pytest.mark.parametrize("doubling_days", [30.0, 120.0, 400.0])
def test_initial_growth_rate_equals_todays_doubling_time(rho, alpha, lam, kappa, eta, doubling_days):
    # Labour and experiments at automation equal to today's (L = K = 1): the path starts at ln 2 / doubling time.
    p = SIEParams(rho=rho, alpha=alpha, lam=lam, kappa=kappa, eta=eta, software_doubling_days=doubling_days,
                  run_share=0.25, labour_at_full_hardware=4.0, experiments_at_full_hardware=1 / 0.75, human_labour=0.0)
    traj = simulate(p, horizon_days=10.0)
    assert traj.time_days[0] == 0.0
    assert traj.growth_rate_per_day[0] == pytest.approx(math.log(2) / doubling_days, rel=1e-12)
    # ... i.e. a speed-up of exactly 1 relative to today's pace.
    assert traj.speedup[0] == pytest.approx(1.0, rel=1e-12)


def test_initial_growth_rate_is_todays_rate_times_the_research_input_at_automation():
    p = SIEParams(rho=-0.25, alpha=0.4, lam=0.6, eta=0.3, kappa=0.5, labour_at_full_hardware=300.0, run_share=0.3,
                  experiments_at_full_hardware=3.0, human_labour=1.5, software_doubling_days=90.0)
    l0 = 1.5 + 0.3 * 300.0
    k0 = 0.7 * 3.0
    y0 = _ces(l0**0.6, k0, -0.25, 0.4)
    g_today = math.log(2) / 90.0
    assert simulate(p, horizon_days=5.0).growth_rate_per_day[0] == pytest.approx(g_today * y0, rel=1e-12)
    # A training delay tau per generation of G = 10^0.5: g = g_res / (1 + g_res tau / ln G).
    q = p.replace(training_days=40.0, training_ooms_per_generation=0.5)
    g_res = g_today * y0
    expected = g_res / (1 + g_res * 40.0 / (0.5 * LN10))
    assert simulate(q, horizon_days=5.0).growth_rate_per_day[0] == pytest.approx(expected, rel=1e-12)


def test_returns_fall_linearly_in_log_software_to_zero_at_the_ceiling():
    p = SIEParams(r=2.5, ceiling_ooms=8.0).as_arrays()
    s = np.array([0.0, 4.0, 8.0, 9.0]) * LN10
    assert np.allclose(r_effective(p, s), [2.5, 1.25, 0.0, 0.0], atol=1e-15)
    traj = simulate(SIEParams(r=2.5, rho=0.0, kappa=1.0, ceiling_ooms=8.0), horizon_days=20 * 365.0)
    assert traj.log10_software.max() < 8.0
    assert traj.growth_rate_per_day[-1] < 1e-3 * traj.peak_growth_rate_per_day


@pytest.mark.parametrize("ceiling", [3.0, 4.99, 5.0])
def test_ceiling_below_the_sie_level_is_never_an_sie(ceiling):
    # Huge returns and no compute limit, but the software ceiling is at or below 5 OOMs.
    p = SIEParams(r=50.0, rho=0.0, kappa=1.0, eta=1.0, lam=1.0, ceiling_ooms=ceiling, labour_at_full_hardware=1e4)
    traj = simulate(p, horizon_days=3650.0)
    assert not traj.sie and math.isinf(traj.days_to_sie_ooms)
    assert traj.log10_software.max() < ceiling
    assert math.isinf(time_to_ooms(p.as_arrays(), [5.0])[0])
    text = f"""
name: low-ceiling
parameters:
  rho: 0.0
  kappa: 1.0
  r: {{dist: lognormal, ci80: [20, 80]}}
  ceiling_ooms: {{dist: uniform, low: 2, high: {ceiling}}}
"""
    res = run_monte_carlo(parse_config(text), 500, seed=1)
    assert res.p_sie == 0.0 and res.to_dict()["p_reach_sie_ooms_ever"] == 0.0


def test_verdict_and_level_dates_do_not_depend_on_where_the_path_stops():
    # Pure case r = 3, no ceiling: t(k OOMs) = (1 - exp(-a k ln 10)) / (a g0), a = 1 - 1/r, blow-up at 1/(a g0).
    p = SIEParams(alpha=1.0, lam=1.0, eta=0.0, r=3.0, ceiling_ooms=math.inf, human_labour=0.0)
    g0 = math.log(2) / 120.0 * 100.0
    a = 1 - 1 / 3

    def closed(k):
        return (1 - math.exp(-a * k * LN10)) / (a * g0)

    early = simulate(p, stop_ooms=3)  # stops before the SIE level
    assert early.stop_reason == "target"
    assert early.sie and early.days_to_sie_ooms == pytest.approx(closed(5), rel=1e-8)
    cut = simulate(p, stop_ooms=12, max_growth_per_day=1.0)  # stops at the growth threshold, near blow-up
    assert cut.stop_reason == "growth"
    assert all(cut.days_to_ooms[k] == pytest.approx(closed(k), rel=1e-8) for k in range(1, 13))
    assert cut.days_to_ooms[12] < cut.blowup_days == pytest.approx(1 / (a * g0), rel=1e-8)
    short = simulate(p, horizon_days=1.0)  # horizon before the SIE date (about 2.6 days)
    assert short.stop_reason == "horizon" and short.sie
    assert short.days_to_sie_ooms == pytest.approx(closed(5), rel=1e-8)
    # The event-only mode keeps "not reached on the path" as inf.
    assert math.isinf(simulate(p, stop_ooms=3, fill_unreached=False).days_to_sie_ooms)


def test_rho_zero_is_continuous_and_alpha_one_ignores_experiments():
    base = dict(kappa=0.5, r=2.0, lam=0.7, eta=0.2, human_labour=1.0)
    levels = [1.0, 3.0, 5.0]
    at0 = time_to_ooms(SIEParams(rho=0.0, **base).as_arrays(), levels)
    for eps in (1e-9, -1e-9, 1e-5, -1e-5):
        near = time_to_ooms(SIEParams(rho=eps, **base).as_arrays(), levels)
        assert np.allclose(near, at0, rtol=50 * abs(eps) + 1e-10)
    # alpha = 1: Y = L**lam, so rho and kappa do not matter; with lam = 1, eta = 0 and no floor
    # the path is the pure one: t(k) = (1 - exp(-a k ln 10)) / (a g0).
    pure = dict(alpha=1.0, lam=1.0, eta=0.0, r=1.6, ceiling_ooms=math.inf, human_labour=0.0)
    t = [time_to_ooms(SIEParams(rho=rho, kappa=kappa, **pure).as_arrays(), levels) for rho, kappa in
         [(-1.0, 0.0), (0.0, 1.0), (0.5, 0.3)]]
    a, g0 = 1 - 1 / 1.6, math.log(2) / 120.0 * 100.0
    closed = [(1 - math.exp(-a * k * LN10)) / (a * g0) for k in levels]
    for ti in t:
        assert np.allclose(ti, closed, rtol=1e-10)


def test_fizzle_below_r_one_is_slower_than_exponential():
    # r < 1 with research effort proportional to software: t(k) = (exp(b k ln 10) - 1) / (b g0), b = 1/r - 1.
    p = SIEParams(alpha=1.0, lam=1.0, eta=0.0, r=0.6, ceiling_ooms=math.inf, human_labour=0.0)
    b, g0 = 1 / 0.6 - 1, math.log(2) / 120.0 * 100.0
    t = time_to_ooms(p.as_arrays(), [1.0, 2.0, 5.0])
    assert np.allclose(t, [(math.exp(b * k * LN10) - 1) / (b * g0) for k in (1, 2, 5)], rtol=1e-9)
    assert not simulate(p).sie and simulate(p).blowup_days == math.inf


# ---------------------------------------------------------------- distributions


def test_interval_parameterisations_hit_their_quantiles_exactly():
    cfg = parse_config("""
parameters:
  r: {dist: lognormal, ci90: [0.5, 8.0]}
  lam: {dist: lognormal, ci80: [0.3, 0.9]}
  rho: {dist: normal, ci80: [-0.5, -0.1]}
""")
    m = {x.name: x for x in cfg.marginals}
    assert np.allclose(m["r"].ppf(np.array([0.05, 0.5, 0.95])), [0.5, 2.0, 8.0], rtol=1e-12)
    assert np.allclose(m["lam"].ppf(np.array([0.1, 0.9])), [0.3, 0.9], rtol=1e-12)
    assert np.allclose(m["rho"].ppf(np.array([0.1, 0.5, 0.9])), [-0.5, -0.3, -0.1], rtol=1e-12)
    rho90 = parse_config("parameters:\n  rho: {dist: normal, ci90: [-0.6, -0.2]}\n").marginals[0]
    assert np.allclose(rho90.ppf(np.array([0.05, 0.95])), [-0.6, -0.2], rtol=1e-12)
    n = 200_000
    s = sample_parameters(cfg, n, seed=4)
    # Sample tail shares within 4 binomial standard errors of the targets.
    assert np.mean(s["r"] < 0.5) == pytest.approx(0.05, abs=4 * math.sqrt(0.05 * 0.95 / n))
    assert np.mean(s["r"] > 8.0) == pytest.approx(0.05, abs=4 * math.sqrt(0.05 * 0.95 / n))
    assert np.mean(s["rho"] < -0.5) == pytest.approx(0.1, abs=4 * math.sqrt(0.09 / n))
    assert np.mean(s["lam"] > 0.9) == pytest.approx(0.1, abs=4 * math.sqrt(0.09 / n))


def test_bounds_are_respected_and_truncate_like_scipy():
    cfg = parse_config("""
parameters:
  r: {dist: lognormal, ci80: [1.0, 4.0], bounds: [0.8, 3.0]}
  lam: {dist: loguniform, low: 0.1, high: 1.0, bounds: [0.2, 0.5]}
correlations:
  - [r, lam, -0.5]
""")
    s = sample_parameters(cfg, 50_000, seed=9)
    assert s["r"].min() >= 0.8 and s["r"].max() <= 3.0
    assert s["lam"].min() >= 0.2 and s["lam"].max() <= 0.5
    assert stats.kstest(s["lam"], stats.loguniform(0.2, 0.5).cdf).pvalue > 1e-3
    sd = math.log(4.0) / (2 * stats.norm.ppf(0.9))
    d = stats.lognorm(s=sd, scale=2.0)
    lo, hi = d.cdf(0.8), d.cdf(3.0)
    assert stats.kstest(s["r"], lambda x: (d.cdf(x) - lo) / (hi - lo)).pvalue > 1e-3
    # Rank correlation of the Gaussian copula, whatever the (truncated) marginals.
    assert stats.spearmanr(s["r"], s["lam"]).statistic == pytest.approx(6 / math.pi * math.asin(-0.25), abs=0.015)


def test_extreme_normal_scores_are_clipped_to_the_validated_range():
    class Extreme(np.random.Generator):
        def standard_normal(self, size=None, dtype=np.float64, out=None):
            z = np.full(size, 9.0)
            z[::2] = -40.0
            return z

    cfg = parse_config("parameters:\n  r: {dist: lognormal, ci80: [1.0, 4.0]}\n  lam: {dist: uniform, low: 0.3, high: 1}\n")
    s = sample_parameters(cfg, 6, Extreme(np.random.PCG64(0)))
    m = cfg.marginals[0]
    assert np.all(np.isfinite(s["r"]))
    assert np.allclose(np.sort(np.unique(s["r"])), m.ppf(np.array([1e-9, 1 - 1e-9])), rtol=1e-12)
    assert np.all(np.isfinite(time_to_ooms(s, [1.0])))


def test_shipped_configs_say_where_their_ranges_come_from():
    for name in shipped_configs():
        cfg = load_config(name)
        notes = dict(cfg.source_notes)
        # Every uncertain parameter's range is explained (CES configs group the shared ones under 'others').
        assert set(cfg.uncertain) <= set(notes) | ({"lam", "eta", "kappa", "software_doubling_days",
                                                     "labour_at_full_hardware", "ceiling_ooms", "training_days",
                                                     "training_speedup"} if "others" in notes else set()), name
        assert cfg.to_dict()["source_notes"] == notes
    notes = dict(load_config("economics-base-rate").source_notes)
    # sigma 0.45-0.87 -> rho = 1 - 1/sigma = -1.22 .. -0.15, as the config's range says.
    assert 1 - 1 / 0.45 == pytest.approx(-1.22, abs=0.005) and 1 - 1 / 0.87 == pytest.approx(-0.15, abs=0.005)
    assert "0.45-0.87" in notes["rho"]
    with pytest.raises(InputError, match="source_notes"):
        parse_config("parameters:\n  r: 1.5\nsource_notes: [a, b]\n")
