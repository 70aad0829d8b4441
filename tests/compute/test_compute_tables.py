"""Vectorised estimates over hand-made ``models`` and ``benchmark_results`` frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aiprogress.compute import (
    compute_estimates_table,
    estimate_benchmark_results,
    estimate_models,
    validate_models,
)
from aiprogress.data.schema import BENCHMARK_RESULTS, MODELS
from aiprogress.errors import InputError, ParameterError


def _models() -> pd.DataFrame:
    rows = [
        # model, date, hardware, chips, hours, util, train_flop, domain, params, data, epochs
        ("A", "2019-06-01", "NVIDIA V100", 8, 24, np.nan, 1.2e20, "Vision", np.nan, np.nan, np.nan),
        ("B", "2022-03-01", "NVIDIA A100", 64, 100, 0.5, 4e22, "Language", 1e9, 2e11, np.nan),
        ("C", "2016-01-01", "NVIDIA V100", 2, 10, np.nan, 3e17, "Vision", np.nan, np.nan, np.nan),
        ("D", "2021-01-01", "Quantum Widget 7", 4, 5, np.nan, 1e19, "Vision", np.nan, np.nan, np.nan),
        ("E", "2023-01-01", None, np.nan, np.nan, np.nan, 5e21, "Language", 7e9, 1e11, 2.0),
        ("F", "2023-01-01", "NVIDIA A100,NVIDIA V100", 10, 10, np.nan, 1e21, "Vision", np.nan, np.nan, np.nan),
    ]
    f = pd.DataFrame(rows, columns=["model", "publication_date", "hardware", "hardware_quantity", "train_hours",
                                    "utilization", "train_flop", "domain", "parameters", "dataset_size", "epochs"])
    f["publication_date"] = pd.to_datetime(f["publication_date"])
    for c in MODELS:
        if c not in f.columns:
            f[c] = None
    f["source_file"] = "models.csv"
    f["source_line"] = np.arange(10, 10 + len(f))
    return f[MODELS]


def test_estimate_models_against_hand_computed_rows(hardware):
    out = estimate_models(_models(), hardware)
    by = out.set_index("model")
    # A: V100 in 2019 -> tensor 125 TFLOP/s, default utilization 0.3
    assert by.at["A", "train_flop_hardware"] == pytest.approx(8 * 125e12 * 24 * 3600 * 0.3, rel=1e-12)
    assert by.at["A", "utilization_source"] == "default" and by.at["A", "method"] == "hardware"
    # B: A100 with recorded utilization 0.5, plus 6ND operation count, combined by geometric mean
    hw_b = 64 * 312e12 * 100 * 3600 * 0.5
    ops_b = 3 * (2 * 1e9) * 2e11 * 1
    assert by.at["B", "train_flop_hardware"] == pytest.approx(hw_b, rel=1e-12)
    assert by.at["B", "train_flop_operations"] == pytest.approx(ops_b, rel=1e-12)
    assert by.at["B", "train_flop_combined"] == pytest.approx(math.sqrt(hw_b * ops_b), rel=1e-12)
    assert by.at["B", "methods_log10_spread"] == pytest.approx(abs(math.log10(hw_b / ops_b)), rel=1e-12)
    assert by.at["B", "utilization_source"] == "recorded" and by.at["B", "method"] == "combined"
    assert "epochs = 1" in by.at["B", "assumptions"]
    # C: V100 before 2018 -> fp32
    assert by.at["C", "precision"] == "fp32"
    assert by.at["C", "train_flop_hardware"] == pytest.approx(2 * 15.67e12 * 10 * 3600 * 0.3, rel=1e-12)
    # D: unmatched hardware -> no estimate and a reason naming the candidates
    assert np.isnan(by.at["D", "train_flop_estimate"]) and by.at["D", "method"] is None
    assert "not matched" in by.at["D", "reason"]
    # E: operations only (3 x 2N x D x epochs)
    assert by.at["E", "train_flop_operations"] == pytest.approx(3 * 2 * 7e9 * 1e11 * 2, rel=1e-12)
    assert by.at["E", "method"] == "operations"
    # F: two chip types, equal split
    assert by.at["F", "peak_flop_per_s"] == pytest.approx((312e12 + 125e12) / 2)
    # provenance keys survive, in input order
    assert list(out["source_line"]) == list(range(10, 16))
    assert list(out["train_flop_reported"]) == list(_models()["train_flop"])


def test_utilization_override_applies_to_every_row(hardware):
    out = estimate_models(_models(), hardware, utilization=0.45, operations=False)
    b = out.set_index("model").loc["B"]
    assert b["utilization"] == 0.45 and b["utilization_source"] == "override"
    assert b["train_flop_hardware"] == pytest.approx(64 * 312e12 * 100 * 3600 * 0.45, rel=1e-12)
    with pytest.raises(ParameterError):
        estimate_models(_models(), hardware, utilization=2.0)


def test_validate_models_statistics_match_a_direct_computation(hardware):
    models = _models()
    res = validate_models(models, hardware)
    # independent: rows with all four inputs, then ratios computed by hand
    assert res.n_considered == 5  # E lacks hardware
    assert res.n_matched == 4 and res.share_matched == pytest.approx(0.8)
    ratios = np.log10(np.array([
        8 * 125e12 * 24 * 3600 * 0.3 / 1.2e20,
        64 * 312e12 * 100 * 3600 * 0.5 / 4e22,
        2 * 15.67e12 * 10 * 3600 * 0.3 / 3e17,
        10 * (312e12 + 125e12) / 2 * 10 * 3600 * 0.3 / 1e21,
    ]))
    assert res.median_abs_log10_ratio == pytest.approx(np.median(np.abs(ratios)), rel=1e-12)
    assert res.share_within_2x == pytest.approx(np.mean(np.abs(ratios) <= np.log10(2)))
    assert res.unmatched_names == ("Quantum Widget 7",)
    assert len(res.worst) == 4 and res.worst["log10_ratio"].abs().is_monotonic_decreasing
    assert "rows" not in res.to_dict()


def _bench() -> pd.DataFrame:
    rows = [
        # model, year, name, count, secs, gflops, fwd, epochs, examples
        ("R50", 2017, "Tesla V100 PCIe 16 GB", 8, 3.6e4, 14130.0, 8.2e9, 90, 1.28e6),
        ("NoGflops", 2019, "NVIDIA V100", 4, 1e4, np.nan, np.nan, np.nan, np.nan),
        ("OpsOnly", 2018, None, np.nan, np.nan, np.nan, 1e9, 10, 5e4),
        ("Nothing", 2018, None, np.nan, np.nan, np.nan, np.nan, 10, np.nan),
    ]
    f = pd.DataFrame(rows, columns=["model", "year", "processor_name", "processor_count", "train_seconds",
                                    "processor_gflops", "forward_flop", "epochs", "train_examples"])
    for c in BENCHMARK_RESULTS:
        if c not in f.columns:
            f[c] = None
    f["benchmark"] = "imagenet"
    f["source_file"] = "thompson2020/imagenet.csv"
    f["source_line"] = [5, 6, 7, 8]
    return f[BENCHMARK_RESULTS]


def test_estimate_benchmark_results(hardware):
    out = estimate_benchmark_results(_bench(), hardware).set_index("model")
    hw = 8 * 14130e9 * 3.6e4 * 0.3  # source GFLOPS wins over the table
    ops = 3 * 8.2e9 * 1.28e6 * 90
    assert out.at["R50", "peak_source"] == "source GFLOPS"
    assert out.at["R50", "train_flop_hardware"] == pytest.approx(hw, rel=1e-12)
    assert out.at["R50", "train_flop_combined"] == pytest.approx(math.sqrt(hw * ops), rel=1e-12)
    assert "recorded by the source" in out.at["R50", "assumptions"]
    # table look-up with the year rule (2019 -> tensor)
    assert out.at["NoGflops", "peak_source"] == "hardware table"
    assert out.at["NoGflops", "train_flop_hardware"] == pytest.approx(4 * 125e12 * 1e4 * 0.3, rel=1e-12)
    assert out.at["OpsOnly", "train_flop_operations"] == pytest.approx(3 * 1e9 * 5e4 * 10, rel=1e-12)
    assert out.at["OpsOnly", "method"] == "operations"
    assert np.isnan(out.at["Nothing", "train_flop_estimate"])
    assert "forward_flop" in out.at["Nothing", "reason"]


def test_compute_estimates_table_stacks_both_tables(hardware):
    out = compute_estimates_table({"hardware": hardware, "models": _models(), "benchmark_results": _bench()})
    frame = out["compute_estimates"]
    assert set(out) == {"compute_estimates"}
    assert (frame["table"] == "models").sum() == 5  # D has no estimate
    assert (frame["table"] == "benchmark_results").sum() == 3
    assert frame["train_flop_estimate"].notna().all()
    with pytest.raises(InputError):
        compute_estimates_table({"models": _models()})


def test_missing_columns_are_an_input_error(hardware):
    with pytest.raises(InputError) as info:
        estimate_models(pd.DataFrame({"model": ["x"]}), hardware)
    assert info.value.column == "hardware"
