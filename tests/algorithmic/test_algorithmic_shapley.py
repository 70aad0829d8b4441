"""Exact Shapley decomposition: efficiency (property test), brute force over orderings, linear closed form."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.algorithmic.shapley import decompose_fit, exact_shapley
from aiprogress.errors import ParameterError


def _nonlinear(coefs: np.ndarray):
    def f(x: np.ndarray) -> np.ndarray:
        lin = x @ coefs
        return np.exp(0.3 * lin) + np.tanh(x[:, 0] * x[:, -1]) + (x**2).sum(axis=1) * 0.1

    return f


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(1, 5),
    seed=st.integers(0, 10_000),
)
def test_shapley_values_sum_exactly_to_the_total_change(k, seed):
    rng = np.random.default_rng(seed)
    coefs = rng.normal(0, 1, k)
    x0, x1 = rng.normal(0, 2, k), rng.normal(0, 2, k)
    f = _nonlinear(coefs)
    phi = exact_shapley(f, x0, x1)
    total = f(x1[None, :])[0] - f(x0[None, :])[0]
    assert phi.sum() == pytest.approx(total, rel=1e-12, abs=1e-12)


def test_matches_brute_force_average_over_orderings():
    rng = np.random.default_rng(7)
    k = 4
    f = _nonlinear(rng.normal(0, 1, k))
    x0, x1 = rng.normal(0, 1, k), rng.normal(0, 1, k)
    ref = np.zeros(k)
    for order in itertools.permutations(range(k)):
        cur = x0.copy()
        for i in order:
            before = f(cur[None, :])[0]
            cur[i] = x1[i]
            ref[i] += f(cur[None, :])[0] - before
    ref /= math.factorial(k)
    assert exact_shapley(f, x0, x1) == pytest.approx(ref, rel=1e-12)


def test_linear_model_gives_coefficient_times_change_and_shares_sum_to_one():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"c": rng.normal(20, 1, 80), "t": rng.uniform(2015, 2024, 80)})
    frame["y"] = 1.0 + 0.5 * frame["c"] + 0.2 * frame["t"] + rng.normal(0, 0.1, 80)
    dec = decompose_fit(frame, "y", {"compute": "c", "algorithms": "t"}, {"compute": 19.0, "algorithms": 2016.0},
                        {"compute": 22.0, "algorithms": 2023.0}, {"y": lambda eta: eta}, domain="test", n_boot=50)
    tab = dec.table.set_index("factor")
    beta = np.linalg.lstsq(np.column_stack([np.ones(80), frame["c"], frame["t"]]), frame["y"], rcond=None)[0]
    assert tab.loc["compute", "contribution"] == pytest.approx(beta[1] * 3.0, rel=1e-10)
    assert tab.loc["algorithms", "contribution"] == pytest.approx(beta[2] * 7.0, rel=1e-10)
    assert tab["share"].sum() == pytest.approx(1.0, rel=1e-12)
    assert (tab["share_low"] <= tab["share"]).all() and (tab["share"] <= tab["share_high"]).all()


def test_too_many_factors_is_refused():
    with pytest.raises(ParameterError, match="factors"):
        exact_shapley(lambda x: x.sum(axis=1), np.zeros(13), np.ones(13))
