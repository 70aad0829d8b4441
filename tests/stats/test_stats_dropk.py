"""The batched-Cholesky drop-k solver against statsmodels and a plain-NumPy SMW on the same subsets."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.errors import ParameterError
from aiprogress.stats.lstsq import DropKSolver
from aiprogress.stats.resample import drop_k_subsets


def _pooled_design(n=136, windows=12, seed=0):
    """Shaped like the pooled idea-production model: window dummies + 4 continuous regressors."""
    rng = np.random.default_rng(seed)
    w = rng.integers(0, windows, n)
    w[:windows] = np.arange(windows)
    fe = (w[:, None] == np.arange(windows)).astype(float)
    cont = np.column_stack([rng.normal(20, 3, n), rng.normal(5, 1, n), rng.normal(0, 1, n), rng.normal(0, 1, n)])
    X = np.column_stack([fe, cont])
    y = fe @ rng.normal(-3, 1, windows) + cont @ np.array([0.15, 0.3, 0.05, -0.1]) + rng.normal(0, 0.5, n)
    return X, y


def _statsmodels(X, y, D, cols):
    out = np.empty((len(D), len(cols)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for b, d in enumerate(D):
            keep = np.ones(len(y), bool)
            keep[d] = False
            out[b] = sm.OLS(y[keep], X[keep]).fit().params[cols]
    return out


def _smw_numpy(X, y, D, cols):
    M = np.linalg.pinv(X)
    b, H = M @ y, X @ M
    e = y - X @ b
    A = np.eye(D.shape[1]) - H[D[:, :, None], D[:, None, :]]
    v = np.linalg.solve(A, e[D][:, :, None])[:, :, 0]
    return b[cols] - np.einsum("gm,cgm->gc", v, M[cols][:, D])


def test_drop5_matches_statsmodels_to_1e_10_on_the_same_subsets():
    X, y = _pooled_design()
    cols = [12, 13]
    D = drop_k_subsets(len(y), 5, 300, np.random.default_rng(1))
    beta, ok = DropKSolver(X, y).solve(D, cols)
    ref = _statsmodels(X, y, D, cols)
    assert ok.all()
    np.testing.assert_allclose(beta, ref, rtol=0, atol=1e-10)


def test_matches_the_plain_numpy_smw_on_many_subsets_and_all_columns():
    X, y = _pooled_design(seed=3)
    D = drop_k_subsets(len(y), 7, 5_000, np.random.default_rng(2))
    beta, ok = DropKSolver(X, y).solve(D)
    np.testing.assert_allclose(beta[ok], _smw_numpy(X, y, D, np.arange(X.shape[1]))[ok], rtol=0, atol=1e-11)


def test_a_subset_that_wipes_out_a_window_is_resolved_like_statsmodels():
    X, y = _pooled_design(n=60, windows=6, seed=5)
    members = np.flatnonzero(X[:, 0] == 1)
    others = np.setdiff1d(np.arange(60), members)
    k = len(members) + 1
    wipe = np.sort(np.concatenate([members, others[:1]]))
    D = np.vstack([wipe, drop_k_subsets(60, k, 20, np.random.default_rng(0))])
    beta, ok = DropKSolver(X, y).solve(D, [6, 7])
    assert ok.all()
    np.testing.assert_allclose(beta, _statsmodels(X, y, D, [6, 7]), rtol=0, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(m=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_any_drop_size_equals_a_refit(m, seed):
    X, y = _pooled_design(n=50, windows=3, seed=seed)
    D = drop_k_subsets(50, m, 8, np.random.default_rng(seed))
    beta, ok = DropKSolver(X, y).solve(D, [3, 4])
    ref = _statsmodels(X, y, D, [3, 4])
    np.testing.assert_allclose(beta[ok], ref[ok], rtol=0, atol=1e-9)


def test_bad_subsets_are_rejected_with_a_parameter_error():
    X, y = _pooled_design(n=40, windows=3)
    solver = DropKSolver(X, y)
    with pytest.raises(ParameterError, match="drop"):
        solver.solve(np.array([[0, 40]]))
    with pytest.raises(ParameterError, match="drop"):
        solver.solve(np.array([1, 2, 3]))
