"""Batched least squares, robust covariances, FGLS and resampling vs statsmodels/scipy."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats.diagnostic import het_breuschpagan

from aiprogress.errors import ParameterError
from aiprogress.stats.linear import breusch_pagan, fgls_ml, fit_auto, hc_paper_cov, ols_hc
from aiprogress.stats.lstsq import DropKSolver, weighted_lstsq_batched
from aiprogress.stats.resample import bc_percentile_interval, bootstrap_coefs, drop_k_coefs


def _design(n=80, groups=6, seed=0, hetero=0.0):
    rng = np.random.default_rng(seed)
    g = rng.integers(0, groups, n)
    g[:groups] = np.arange(groups)
    fe = (g[:, None] == np.arange(groups)).astype(float)
    x1 = rng.normal(2, 1, n)
    x2 = rng.normal(40, 2, n)
    X = np.column_stack([fe, x1, x2])
    u = rng.normal(0, 1, n) * np.exp(hetero * (x1 - 2))
    y = fe @ rng.normal(-5, 1, groups) + 0.3 * x1 + 0.15 * x2 + u
    return X, y


def test_paper_hc_is_hc0_times_n_minus_1_over_n_minus_k_not_hc1():
    X, y = _design()
    n, k = X.shape
    res = sm.OLS(y, X).fit()
    fit = ols_hc(X, y, [f"x{i}" for i in range(k)])
    np.testing.assert_allclose(fit.params, res.params, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fit.cov, res.cov_HC0 * (n - 1) / (n - k), rtol=1e-10, atol=0)
    np.testing.assert_allclose(fit.bse, np.sqrt(np.diag(res.cov_HC0) * (n - 1) / (n - k)), rtol=1e-10)
    # statsmodels' HC1 uses n/(n-k): a different number
    np.testing.assert_allclose(res.cov_HC1 / res.cov_HC0, n / (n - k), rtol=1e-10)
    assert not np.allclose(fit.cov, res.cov_HC1, rtol=1e-6)
    assert fit.llf == pytest.approx(res.llf, abs=1e-10)
    np.testing.assert_allclose(hc_paper_cov(X, res.resid), fit.cov, rtol=1e-12)


def test_breusch_pagan_matches_statsmodels_with_explicit_constant():
    X, y = _design(hetero=0.8, seed=3)
    res = sm.OLS(y, X).fit()
    # same column space with an explicit constant (drop the first dummy)
    Zc = np.column_stack([np.ones(len(y)), X[:, 1:]])
    lm, p, _, _ = het_breuschpagan(res.resid, Zc)
    bp = breusch_pagan(res.resid, X)
    assert bp.lm == pytest.approx(lm, rel=1e-10)
    assert bp.lm_pvalue == pytest.approx(p, rel=1e-10)
    assert bp.rejects_at_5pct == (p < 0.05)


def test_fgls_ml_maximises_the_heteroskedastic_likelihood_and_matches_wls():
    X, y = _design(n=200, hetero=0.7, seed=5)
    Z = np.column_stack([np.ones(len(y)), X[:, -2:]])
    fit = fgls_ml(X, y, [f"x{i}" for i in range(X.shape[1])], Z)
    w = np.exp(-(Z @ fit.variance_params))
    wls = sm.WLS(y, X, weights=w).fit(cov_type="fixed scale", cov_kwds={"scale": 1.0})
    np.testing.assert_allclose(fit.params, wls.params, atol=1e-10)
    np.testing.assert_allclose(fit.bse, wls.bse, rtol=1e-10)
    k = X.shape[1]

    def nll(theta):
        b, d = theta[:k], theta[k:]
        lv = Z @ d
        e = y - X @ b
        return 0.5 * np.sum(np.log(2 * np.pi) + lv + e**2 * np.exp(-lv))

    start = np.concatenate([np.linalg.lstsq(X, y, rcond=None)[0], np.zeros(Z.shape[1])])
    opt = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-8, "maxiter": 20000})
    assert -opt.fun <= fit.llf + 1e-6  # ours is at least as high
    np.testing.assert_allclose(fit.params[-2:], opt.x[k - 2 : k], atol=2e-4)
    np.testing.assert_allclose(fit.variance_params, opt.x[k:], atol=2e-3)


def test_fit_auto_switches_to_gls_only_when_bp_rejects():
    X, y = _design(n=300, hetero=1.0, seed=1)
    Z = np.column_stack([np.ones(len(y)), X[:, -2:]])
    fit, bp = fit_auto(X, y, [f"x{i}" for i in range(X.shape[1])], Z=Z)
    assert bp.rejects_at_5pct and fit.estimator == "GLS (ML)"
    X, y = _design(n=300, hetero=0.0, seed=2)
    fit, bp = fit_auto(X, y, [f"x{i}" for i in range(X.shape[1])], Z=Z)
    assert fit.estimator == ("GLS (ML)" if bp.rejects_at_5pct else "OLS (HC)")
    with pytest.raises(ParameterError, match="estimator"):
        fit_auto(X, y, ["a"] * X.shape[1], Z=Z, estimator="wls")


def test_weighted_batched_equals_statsmodels_wls():
    X, y = _design()
    rng = np.random.default_rng(4)
    W = rng.multinomial(len(y), np.full(len(y), 1 / len(y)), size=25).astype(float)
    W[:, :6] += 1  # keep every dummy identified
    beta, ok = weighted_lstsq_batched(X, y, W)
    assert ok.all()
    for b in range(len(W)):
        np.testing.assert_allclose(beta[b], sm.WLS(y, X, weights=W[b]).fit().params, atol=1e-9)


def test_drop_k_solver_equals_statsmodels_including_wiped_out_groups():
    X, y = _design(n=60, groups=5, seed=7)
    solver = DropKSolver(X, y)
    rng = np.random.default_rng(0)
    drops = [np.sort(rng.choice(60, 4, replace=False)) for _ in range(30)]
    # a subset that removes every row of group 0 (dummy column becomes all zero)
    g0 = np.flatnonzero(X[:, 0] == 1)[:4]
    if (X[:, 0] == 1).sum() <= 4:
        extra = np.setdiff1d(np.arange(60), np.flatnonzero(X[:, 0] == 1))[: 4 - len(g0)]
        drops.append(np.sort(np.concatenate([np.flatnonzero(X[:, 0] == 1), extra]))[:4])
    D = np.array(drops)
    beta, ok = solver.solve(D, cols=[5, 6])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for b, d in enumerate(D):
            keep = np.ones(60, bool)
            keep[d] = False
            ref = sm.OLS(y[keep], X[keep]).fit().params[[5, 6]]
            np.testing.assert_allclose(beta[b], ref, atol=1e-8)


def test_drop_k_exhaustive_enumerates_all_subsets_and_random_path_matches_statsmodels():
    X, y = _design(n=30, groups=3, seed=2)
    res = drop_k_coefs(X, y, k=2, cols=[3, 4], names=["a", "b"], exhaustive_max=10_000, scheduler="sync")
    assert res.kind == "drop-k (all subsets)" and len(res.draws) == math.comb(30, 2)
    keep = np.ones(30, bool)
    keep[[0, 1]] = False  # first combination is (0, 1)
    np.testing.assert_allclose(res.draws[0], sm.OLS(y[keep], X[keep]).fit().params[[3, 4]], atol=1e-9)
    r1 = drop_k_coefs(X, y, k=5, cols=[3, 4], names=["a", "b"], max_draws=10_000, exhaustive_max=100, seed=3)
    r2 = drop_k_coefs(X, y, k=5, cols=[3, 4], names=["a", "b"], max_draws=10_000, exhaustive_max=100, seed=3, scheduler="sync")
    assert r1.kind == "drop-k (random subsets)" and len(r1.draws) == 10_000
    np.testing.assert_array_equal(r1.draws, r2.draws)  # same seed, any scheduler


def test_dask_local_cluster_gives_the_same_draws():
    from dask.distributed import Client, LocalCluster

    X, y = _design(n=40, groups=4, seed=9)
    ref = bootstrap_coefs(X, y, cols=[4, 5], names=["a", "b"], n_boot=600, seed=11, chunk_size=200, scheduler="sync")
    with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        got = bootstrap_coefs(X, y, cols=[4, 5], names=["a", "b"], n_boot=600, seed=11, chunk_size=200, scheduler=client)
    np.testing.assert_array_equal(ref.draws, got.draws)


def test_bootstrap_progress_callback_counts_every_draw():
    X, y = _design(n=40, groups=4)
    seen = []
    bootstrap_coefs(X, y, cols=[4], names=["a"], n_boot=1_000, chunk_size=300, seed=0, progress=seen.append)
    assert sum(seen) == 1_000


def test_bc_percentile_interval_closed_form():
    draws = (np.arange(10_000) + 0.5) / 10_000  # uniform quantiles on (0, 1)
    lo, hi = bc_percentile_interval(0.5, draws, 0.9)  # z0 = 0 -> plain percentile interval
    assert (lo, hi) == pytest.approx((0.05, 0.95), abs=1e-3)
    lo, hi = bc_percentile_interval(0.3, draws, 0.9)  # share below = 0.3
    z0 = sps.norm.ppf(0.3)
    assert lo == pytest.approx(sps.norm.cdf(2 * z0 - 1.6448536), abs=1e-3)
    assert hi == pytest.approx(sps.norm.cdf(2 * z0 + 1.6448536), abs=1e-3)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_unit_weights_reproduce_the_full_ols_fit(seed):
    X, y = _design(n=40, groups=3, seed=seed)
    beta, ok = weighted_lstsq_batched(X, y, np.ones((1, 40)))
    assert ok.all()
    np.testing.assert_allclose(beta[0], np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


def test_bad_inputs_raise_parameter_errors():
    X, y = _design(n=30, groups=3)
    with pytest.raises(ParameterError, match="k"):
        drop_k_coefs(X, y, k=40, cols=[3], names=["a"])
    with pytest.raises(ParameterError, match="n_boot"):
        bootstrap_coefs(X, y, cols=[3], names=["a"], n_boot=0)
    with pytest.raises(ParameterError, match="scheduler"):
        bootstrap_coefs(X, y, cols=[3], names=["a"], n_boot=10, scheduler="gpu-cluster")
    with pytest.raises(ParameterError, match="rank"):
        ols_hc(np.column_stack([X, X[:, -1]]), y, ["a"] * (X.shape[1] + 1))
