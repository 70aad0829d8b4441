"""Operation counting, hardware time and their geometric-mean combination against hand-computed values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.compute import (
    ComputeEstimate,
    combine_estimates,
    estimate,
    estimate_from_hardware,
    estimate_from_operations,
)
from aiprogress.errors import ParameterError


def test_operation_counting_is_three_forward_passes_per_example_and_epoch():
    # ResNet-50-like: 4.1e9 FLOP forward, 1.28e6 images, 90 epochs -> 3 * 4.1e9 * 1.28e6 * 90
    est = estimate_from_operations(4.1e9, examples=1.28e6, epochs=90)
    assert est.train_flop == pytest.approx(1.41696e18, rel=1e-12)
    assert est.method == "operations"
    assert est.inputs == {"forward_flop": 4.1e9, "examples": 1.28e6, "epochs": 90.0}
    assert any("3 x forward" in a for a in est.assumptions)


def test_multiply_adds_count_two_flop_each():
    via_macs = estimate_from_operations(multiply_adds=2.05e9, examples=1.28e6, epochs=90)
    assert via_macs.train_flop == pytest.approx(3 * 2 * 2.05e9 * 1.28e6 * 90, rel=1e-12)
    assert via_macs.inputs["forward_flop"] == pytest.approx(4.1e9)
    assert any("multiply-add" in a for a in via_macs.assumptions)


def test_hardware_time_closed_form_with_given_peak():
    est = estimate_from_hardware(chips=64, hours=100, utilization=0.4, peak_flop_per_s=1.23e14)
    assert est.train_flop == pytest.approx(64 * 1.23e14 * 100 * 3600 * 0.4, rel=1e-12)
    same = estimate_from_hardware(chips=64, seconds=360000, utilization=0.4, peak_flop_per_s=1.23e14)
    assert same.train_flop == pytest.approx(est.train_flop, rel=1e-12)


def test_hardware_time_default_utilization_is_stated(hardware):
    est = estimate_from_hardware("NVIDIA V100", chips=8, hours=24, precision="fp32", hardware=hardware)
    assert est.train_flop == pytest.approx(8 * 15.67e12 * 86400 * 0.3, rel=1e-12)
    assert est.inputs["utilization"] == 0.3
    assert any("utilization 0.3 (default" in a for a in est.assumptions)
    assert est.matched_hardware == "NVIDIA V100" and est.match_score == 100 and est.precision == "fp32"


def test_combined_is_the_geometric_mean_and_keeps_components():
    a = estimate_from_operations(1e9, examples=1e6, epochs=10)  # 3e16
    b = estimate_from_hardware(chips=1, seconds=1e5, utilization=0.5, peak_flop_per_s=1.2e12)  # 6e16
    c = combine_estimates(a, b)
    assert c.train_flop == pytest.approx(math.sqrt(3e16 * 6e16), rel=1e-12)
    assert c.method == "combined" and c.components == (a, b)
    assert c.inputs["log10_spread"] == pytest.approx(math.log10(2), rel=1e-12)
    frame = c.to_frame()
    assert list(frame["method"]) == ["combined", "operations", "hardware"]


def test_estimate_dispatches_to_both_methods(hardware):
    est = estimate(hardware_name="NVIDIA V100", chips=8, hours=24, utilization=0.3, precision="fp32",
                   forward_flop=4e9, examples=1.2e6, epochs=90, hardware=hardware)
    hw = 8 * 15.67e12 * 86400 * 0.3
    ops = 3 * 4e9 * 1.2e6 * 90
    assert est.method == "combined"
    assert est.train_flop == pytest.approx(math.sqrt(hw * ops), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(1e10, 1e27),
    b=st.floats(1e10, 1e27),
    k=st.floats(1e-3, 1e3),
)
def test_geometric_mean_invariants(a, b, k):
    ea = ComputeEstimate(train_flop=a, method="operations")
    eb = ComputeEstimate(train_flop=b, method="hardware")
    c = combine_estimates(ea, eb).train_flop
    assert min(a, b) * (1 - 1e-12) <= c <= max(a, b) * (1 + 1e-12)
    assert c == pytest.approx(combine_estimates(eb, ea).train_flop, rel=1e-12)
    scaled = combine_estimates(ComputeEstimate(train_flop=a * k, method="operations"),
                               ComputeEstimate(train_flop=b * k, method="hardware")).train_flop
    assert scaled == pytest.approx(c * k, rel=1e-9)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        (dict(chips=8, hours=-1, peak_flop_per_s=1e12), "hours"),
        (dict(chips=0, hours=1, peak_flop_per_s=1e12), "chips"),
        (dict(chips=8, hours=1, utilization=1.5, peak_flop_per_s=1e12), "utilization"),
        (dict(chips=8, hours=1, utilization=0, peak_flop_per_s=1e12), "utilization"),
        (dict(chips=8, hours=1, precision="fp13", peak_flop_per_s=1e12), "precision"),
        (dict(chips=8, hours=1, seconds=3600, peak_flop_per_s=1e12), "hours"),
        (dict(chips=8, hours=float("nan"), peak_flop_per_s=1e12), "hours"),
    ],
)
def test_bad_hardware_inputs_name_the_parameter(kwargs, parameter):
    with pytest.raises(ParameterError) as info:
        estimate_from_hardware(**kwargs)
    assert info.value.name == parameter


def test_bad_operation_inputs_name_the_parameter():
    with pytest.raises(ParameterError) as info:
        estimate_from_operations(1e9, multiply_adds=5e8, examples=10)
    assert info.value.name == "forward_flop"
    with pytest.raises(ParameterError) as info:
        estimate_from_operations(1e9, examples=-10)
    assert info.value.name == "examples"
    with pytest.raises(ParameterError) as info:
        combine_estimates(ComputeEstimate(train_flop=1.0, method="operations"))
    assert info.value.name == "estimates"
