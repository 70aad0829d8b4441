"""CLI: ``aiprogress compute estimate`` / ``validate`` (real data) and bad-flag errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.paths import resolve_data_dir

runner = CliRunner()
DATA = resolve_data_dir()
EPOCH_MODELS = DATA / "epoch" / "all_ai_models_2025-03.csv"
EPOCH_HARDWARE = DATA / "epoch" / "ml_hardware_2026-01.csv"
needs_data = pytest.mark.skipif(not EPOCH_MODELS.is_file(), reason="real data directory not found")


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@needs_data
def test_estimate_v100_fp32_matches_the_datasheet_product():
    res = runner.invoke(app, ["compute", "estimate", "--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24",
                              "--precision", "fp32", "--utilization", "0.3", "--json"])
    out = _json(res)
    # independent reference: the V100 FP32 peak read straight from the Epoch CSV
    raw = pd.read_csv(EPOCH_HARDWARE)
    peak = float(raw.loc[raw["Hardware name"] == "NVIDIA V100", "FP32 (single precision) performance (FLOP/s)"].iloc[0])
    assert peak == 15.67e12
    assert out["train_flop"] == pytest.approx(8 * peak * 86400 * 0.3, rel=1e-12)
    assert out["train_flop"] == pytest.approx(3.25e18, rel=0.01)
    assert out["matched_hardware"] == "NVIDIA V100" and out["precision"] == "fp32"
    assert out["method"] == "hardware"


def test_estimate_operations_only_needs_no_data():
    out = _json(runner.invoke(app, ["compute", "estimate", "--multiply-adds", "2e9", "--examples", "1.28e6",
                                    "--epochs", "90", "--json"]))
    assert out["train_flop"] == pytest.approx(3 * 2 * 2e9 * 1.28e6 * 90, rel=1e-12)
    assert out["method"] == "operations"


@needs_data
def test_estimate_both_methods_combined_text_output():
    args = ["compute", "estimate", "--hardware", "Google TPU v3", "--chips", "32", "--hours", "10",
            "--forward-flop", "4e9", "--examples", "1.28e6", "--epochs", "90"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "combined" in res.stdout and "Google TPU v3" in res.stdout
    assert "utilization 0.3 (default" in res.stdout
    out = _json(runner.invoke(app, [*args, "--json"]))
    # independent reference: TPU v3 tensor (bf16) peak read straight from the Epoch CSV
    raw = pd.read_csv(EPOCH_HARDWARE)
    peak = float(raw.loc[raw["Hardware name"] == "Google TPU v3", "Tensor-FP16/BF16 performance (FLOP/s)"].iloc[0])
    hw = 32 * peak * 10 * 3600 * 0.3
    ops = 3 * 4e9 * 1.28e6 * 90
    assert out["method"] == "combined" and out["precision"] == "tensor_fp16"
    assert out["train_flop"] == pytest.approx(np.sqrt(hw * ops), rel=1e-12)
    comps = {c["method"]: c["train_flop"] for c in out["components"]}
    assert comps == {"operations": pytest.approx(ops, rel=1e-12), "hardware": pytest.approx(hw, rel=1e-12)}
    assert out["inputs"]["log10_spread"] == pytest.approx(abs(np.log10(hw / ops)), rel=1e-12)


@pytest.mark.parametrize(
    "args, parameter",
    [
        (["--hardware", "NVIDIA V100", "--chips", "8", "--hours", "-24"], "hours"),
        (["--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24", "--precision", "fp13"], "precision"),
        (["--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24", "--utilization", "3"], "utilization"),
        (["--hardware", "Quantum Widget 7", "--chips", "8", "--hours", "24"], "hardware"),
        (["--hardware", "NVIDIA V100", "--hours", "24"], "chips"),
        (["--forward-flop", "1e9", "--epochs", "3"], "examples"),
        (["--epochs", "3"], "examples"),
        (["--chips", "8", "--hours", "24"], "hardware"),
        (["--hardware", "TPU v5", "--chips", "8", "--hours", "24"], "hardware"),
        (["--hardware", "L40S", "--chips", "8", "--hours", "24"], "hardware"),
        (["--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24", "--date", "last year"], "date"),
        (["--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24", "--precision", "fp8"], "precision"),
        ([], "hardware"),
    ],
)
def test_bad_flags_exit_2_with_one_line_naming_the_parameter(args, parameter):
    if "--hardware" in args and not EPOCH_HARDWARE.is_file():
        pytest.skip("real data directory not found")
    res = runner.invoke(app, ["compute", "estimate", *args, "--json"])
    assert res.exit_code == 2
    assert res.stdout == ""
    msg = res.stderr.strip()
    assert len(msg.splitlines()) == 1
    assert f"parameter '{parameter}'" in msg or f"parameter '--{parameter}'" in msg  # library or CLI-edge check
    assert "Traceback" not in res.output


@needs_data
def test_validate_meets_the_acceptance_thresholds_on_real_data(tmp_path):
    plot = tmp_path / "validate.png"
    out = _json(runner.invoke(app, ["compute", "validate", "--json", "--quiet", "--plot", str(plot)]))
    # independent count of the models considered, straight from the CSV
    raw = pd.read_csv(EPOCH_MODELS)
    cols = ["Training hardware", "Hardware quantity", "Training time (hours)", "Training compute (FLOP)"]
    ok = raw[cols].notna().all(axis=1)
    for c in cols[1:]:
        ok &= pd.to_numeric(raw[c], errors="coerce") > 0
    assert out["n_considered"] == int(ok.sum())
    assert out["share_matched"] >= 0.95
    assert out["median_abs_log10_ratio"] <= 0.15
    assert out["share_within_2x"] >= 0.75
    assert len(out["worst"]) == 10 and all(w["reason"] for w in out["worst"])
    assert plot.is_file() and plot.stat().st_size > 10_000


def test_validate_rejects_a_bad_plot_suffix(tmp_path):
    res = runner.invoke(app, ["compute", "validate", "--plot", str(tmp_path / "x.gif")])
    assert res.exit_code == 2 and "parameter 'plot'" in res.stderr


@needs_data
def test_hardware_time_matches_epoch_for_a_recorded_utilization_row():
    """GPT-4 row: 25,000 A100 for 2,280 h at 34% MFU; A100 tensor peak 312 TFLOP/s from the CSV."""
    from aiprogress.compute import estimate_models
    from aiprogress.data import load_table

    models = load_table("models")
    gpt4 = models[models["model"] == "GPT-4"]
    out = estimate_models(gpt4, load_table("hardware"), operations=False)
    raw = pd.read_csv(EPOCH_HARDWARE)
    row = raw[raw["Hardware name"] == out["matched_hardware"].iloc[0]].iloc[0]
    expected = (gpt4["hardware_quantity"].iloc[0] * row["Tensor-FP16/BF16 performance (FLOP/s)"]
                * gpt4["train_hours"].iloc[0] * 3600 * gpt4["utilization"].iloc[0])
    assert out["train_flop_hardware"].iloc[0] == pytest.approx(expected, rel=1e-12)
    assert out["utilization_source"].iloc[0] == "recorded"
    assert np.log10(out["train_flop_hardware"].iloc[0] / gpt4["train_flop"].iloc[0]) == pytest.approx(0, abs=0.1)


def test_validate_plot_in_an_uncreatable_folder_exits_2_before_work(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    res = runner.invoke(app, ["compute", "validate", "--json", "--plot", str(blocker / "v.png")])
    assert res.exit_code == 2 and res.stdout == ""
    msg = res.stderr.strip()
    assert len(msg.splitlines()) == 1 and "parameter 'plot'" in msg and "cannot create the folder" in msg
