"""Hardware-name matching and the precision rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aiprogress.compute import (
    HardwareIndex,
    base_hardware_name,
    choose_precision,
    estimate_from_hardware,
    match_hardware,
    normalize_hardware_name,
    normalize_precision,
    resolve_peak,
    split_hardware_names,
)
from aiprogress.errors import ParameterError


def test_normalisation_drops_vendor_memory_and_form_factor():
    assert normalize_hardware_name("Nvidia Tesla V100 SXM2 32GB") == "v100 sxm2"
    assert normalize_hardware_name("NVIDIA A100 SXM4 40 GB") == "a100 sxm4"
    assert base_hardware_name("NVIDIA A100-SXM4-80GB") == "a100"
    assert base_hardware_name("NVIDIA L2 PCle") == "l2"  # the table's "PCle" typo
    assert base_hardware_name("Cloud TPU v3") == base_hardware_name("Google TPU v3") == "tpu v3"


def test_split_hardware_names():
    assert split_hardware_names("NVIDIA A100,NVIDIA Tesla V100 SXM2") == ["NVIDIA A100", "NVIDIA Tesla V100 SXM2"]
    assert split_hardware_names("Google TPU v5e, Google TPU v3") == ["Google TPU v5e", "Google TPU v3"]
    assert split_hardware_names(None) == [] and split_hardware_names(float("nan")) == []


def test_exact_and_alias_matches(hardware):
    m = match_hardware("nvidia  v100", hardware)
    assert (m.matched_name, m.kind, m.score) == ("NVIDIA V100", "exact", 100.0)
    m = match_hardware("Cloud TPU v2", hardware)  # listed alias
    assert (m.matched_name, m.kind) == ("Google TPU v2", "exact")
    m = match_hardware("Nvidia Tesla V100 SXM2 16GB", hardware)  # memory size and vendor differ
    assert (m.matched_name, m.kind) == ("NVIDIA Tesla V100 SXM2 32 GB", "alias")


def test_base_match_prefers_generic_row_then_sxm(hardware):
    m = match_hardware("NVIDIA A100 SXM4 80 GB", hardware)
    assert (m.matched_name, m.kind) == ("NVIDIA A100", "base")
    m = match_hardware("H100", hardware)  # no generic H100 row: the SXM variant
    assert (m.matched_name, m.kind) == ("NVIDIA H100 SXM5 80GB", "base")


def test_near_miss_is_matched_fuzzily_with_its_score(hardware):
    m = match_hardware("Google TPUv3", hardware)
    assert m.matched_name == "Google TPU v3" and m.kind == "fuzzy"
    assert 85 <= m.score < 100


def test_model_numbers_must_agree(hardware):
    # "GTX 480" exists (Thompson row); "GTX 490" must not become "GTX 480" or "GTX 980".
    assert match_hardware("NVIDIA GeForce GTX 480", hardware).matched_name == "GeForce GTX 480"
    with pytest.raises(ParameterError) as info:
        match_hardware("NVIDIA GeForce GTX 490", hardware)
    assert info.value.name == "hardware"


def test_below_threshold_is_refused_with_candidates(hardware):
    with pytest.raises(ParameterError) as info:
        match_hardware("Quantum Widget 7", hardware)
    msg = str(info.value)
    assert "parameter 'hardware'" in msg and "best candidates" in msg and "\n" not in msg


def test_ambiguous_fuzzy_match_is_refused(hardware):
    with pytest.raises(ParameterError) as info:
        match_hardware("TPU v5", hardware)
    assert "ambiguous" in str(info.value)
    assert "Google TPU v5e" in str(info.value) and "Google TPU v5p" in str(info.value)


def test_match_cache_and_no_raise_variant(hardware):
    index = HardwareIndex(hardware)
    m = index.match("Quantum Widget 7")
    assert not m.matched and m.kind == "none" and len(m.candidates) == 3
    assert index.match("Quantum Widget 7") is m


def _chip(hardware, name):
    return hardware.set_index("name", drop=False).loc[name]


@pytest.mark.parametrize(
    "name, date, expected, peak",
    [
        ("NVIDIA V100", "2017-09-01", "fp32", 15.67e12),  # before mixed precision
        ("NVIDIA V100", "2019-05-01", "tensor_fp16", 125e12),  # tensor cores, mixed-precision era
        ("NVIDIA V100", None, "tensor_fp16", 125e12),  # unknown date: current practice
        ("Google TPU v2", "2017-12-05", "tensor_fp16", 46e12),  # TPUs train in bf16 whatever the date
        ("NVIDIA P100", "2019-01-01", "fp32", 9.3e12),  # packed fp16 without tensor cores is not counted
        ("Huawei Ascend 910", "2023-03-20", "fp16", 256e12),  # NPU: its FP16 rate is the matrix rate
        ("Google TPU v3", 2015, "tensor_fp16", 123e12),  # a year is accepted; TPU rule
        ("NVIDIA GeForce GTX 980", 2020, "fp32", 4.981e12),
    ],
)
def test_precision_rule(hardware, name, date, expected, peak):
    choice = choose_precision(_chip(hardware, name), date)
    assert choice.precision == expected
    assert choice.peak_flop_per_s == peak


def test_precision_override_and_aliases(hardware):
    chip = _chip(hardware, "NVIDIA A100")
    assert choose_precision(chip, "2022-01-01", "fp32").peak_flop_per_s == 19.5e12
    assert choose_precision(chip, "2015-01-01", "bf16").precision == "tensor_fp16"
    assert normalize_precision("BF16") == "tensor_fp16" and normalize_precision(None) == "auto"
    with pytest.raises(ParameterError) as info:
        normalize_precision("fp13")
    assert info.value.name == "precision"
    assert np.isnan(choose_precision(_chip(hardware, "Google TPU v3"), None, "fp32").peak_flop_per_s)


def test_missing_precision_figure_is_a_parameter_error(hardware):
    with pytest.raises(ParameterError) as info:
        estimate_from_hardware("Google TPU v3", chips=8, hours=1, precision="fp32", hardware=hardware)
    assert info.value.name == "precision"


def test_several_chips_share_the_count_equally(hardware):
    index = HardwareIndex(hardware)
    res = resolve_peak("NVIDIA A100,NVIDIA V100", index, publication_date="2023-01-01")
    assert res.peak_flop_per_s == pytest.approx((312e12 + 125e12) / 2)
    assert res.matched_hardware == "NVIDIA A100; NVIDIA V100" and res.precision == "tensor_fp16"
    mixed = resolve_peak("Google TPU v3,NVIDIA P100", index, publication_date="2019-01-01")
    assert mixed.peak_flop_per_s == pytest.approx((123e12 + 9.3e12) / 2)
    assert mixed.precision == "tensor_fp16+fp32"
    part = resolve_peak("NVIDIA V100,Quantum Widget 7", index, publication_date="2019-01-01")
    assert part.peak_flop_per_s == 125e12 and part.unmatched == ("Quantum Widget 7",)
    none = resolve_peak("Quantum Widget 7", index)
    assert np.isnan(none.peak_flop_per_s) and none.matched_hardware is None


def test_bad_hardware_table_is_an_input_error():
    from aiprogress.errors import InputError

    with pytest.raises(InputError):
        HardwareIndex(pd.DataFrame({"chip": ["x"]}))
    with pytest.raises(ParameterError):
        HardwareIndex(pd.DataFrame({"name": ["x"]}), threshold=120)


def test_letter_suffix_of_a_model_number_must_agree(hardware):
    # "L40S", "MI250X", "910B" are different chips from "L40", "MI250", "910" (other peaks):
    # a fuzzy match must not drop the suffix, while the exact spelling still matches.
    extra = hardware.iloc[[0, 0, 0]].copy()
    extra["name"] = ["NVIDIA L40", "AMD Instinct MI250", "Huawei Ascend 910B"]
    extra["peak_flop_per_s_tensor_fp16"] = [181e12, 362e12, 400e12]
    table = pd.concat([hardware, extra], ignore_index=True)
    for query in ("NVIDIA L40S", "MI250X", "Ascend 910C"):
        with pytest.raises(ParameterError) as info:
            match_hardware(query, table)
        assert "no chip in the hardware table matches" in str(info.value)
    assert match_hardware("L40", table).matched_name == "NVIDIA L40"
    assert match_hardware("Ascend 910B", table).matched_name == "Huawei Ascend 910B"
    # a suffix that agrees on both sides still allows a fuzzy match
    m = match_hardware("Instinct MI250", table)
    assert m.matched_name == "AMD Instinct MI250"


def test_chip_without_any_peak_names_the_hardware(hardware):
    table = hardware.copy()
    table.loc[len(table)] = table.iloc[0]
    table.loc[len(table) - 1, "name"] = "Mystery Board 1"
    for col in [c for c in table.columns if c.startswith("peak_")]:
        table.loc[len(table) - 1, col] = np.nan
    with pytest.raises(ParameterError) as info:
        estimate_from_hardware("Mystery Board 1", chips=1, hours=1, hardware=table)
    assert info.value.name == "hardware" and "no peak FLOP/s" in str(info.value)
