"""Shapley effects and Sobol indices for any model and statistic, against closed-form attributions."""

from __future__ import annotations

import numpy as np
import pytest

from aiprogress.errors import ParameterError
from aiprogress.takeoff.config import parse_config
from aiprogress.takeoff.sensitivity import sensitivity, statistic_values

IRRELEVANT = """
model: ces-sie
parameters:
  alpha: 1.0
  lam: 1.0
  ceiling_ooms: .inf
  r: {dist: uniform, low: 0.6, high: 2.5}
  labour_at_full_hardware: {dist: loguniform, low: 10, high: 1000}
  kappa: {dist: uniform, low: 0.0, high: 1.0}
"""


def test_shapley_gives_an_irrelevant_input_no_share_and_sums_to_one():
    # alpha = 1: experiments (kappa) never enter the model, so their Shapley effect is 0 in expectation.
    res = sensitivity(parse_config(IRRELEVANT), 150, 1, output="log10_days", method="shapley")
    sh = res.indices.set_index("parameter")
    assert sh["Shapley"].sum() == pytest.approx(1.0, abs=1e-9)  # efficiency: the effects add up to Var(Y)
    assert abs(sh.loc["kappa", "Shapley"]) < 4 * sh.loc["kappa", "Shapley_se"] + 0.02
    assert sh.loc["r", "Shapley"] > 0.3


def test_shapley_with_correlated_inputs_splits_a_shared_effect():
    # Y depends on r only; labour is correlated with r (c = 0.8): Shapley effects share Var(Y) between the two
    # (correlated inputs carry information), unlike Sobol totals under independence. Both stay >= 0, sum to 1.
    text = IRRELEVANT.replace("  kappa: {dist: uniform, low: 0.0, high: 1.0}\n", "") + \
        "correlations:\n  - [r, labour_at_full_hardware, 0.8]\n"
    text = text.replace("labour_at_full_hardware: {dist: loguniform, low: 10, high: 1000}",
                        "labour_at_full_hardware: {dist: loguniform, low: 100, high: 101}")
    res = sensitivity(parse_config(text), 300, 2, output="log10_days", method="shapley")
    sh = res.indices.set_index("parameter")["Shapley"]
    assert sh.sum() == pytest.approx(1.0, abs=1e-9)
    assert sh["labour_at_full_hardware"] > 0.1 and sh["r"] > 0.3


def test_statistics_for_sensitivity_match_the_monte_carlo_definitions():
    cfg = parse_config("model: davidson-houlden\nparameters:\n  r: {dist: uniform, low: 0.5, high: 3}\n"
                       "  f: {dist: uniform, low: 2, high: 20}\n")
    params = {"r": np.array([0.6, 1.5, 2.8]), "f": np.array([4.0, 8.0, 16.0])}
    ind = statistic_values(cfg, params, "compress:3:12")
    years = statistic_values(cfg, params, "max_years:12")
    assert np.array_equal(ind, (years >= 3).astype(float))
    with pytest.raises(ParameterError, match="statistic"):
        statistic_values(cfg, params, "compress:3")
    with pytest.raises(ParameterError, match="method"):
        sensitivity(cfg, 8, 0, method="morris")
