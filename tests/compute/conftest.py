"""Small hand-made hardware table (schema columns) shared by the compute tests.

Peak figures are the vendors' datasheet numbers (FLOP/s) as the Epoch table records them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aiprogress.data.schema import HARDWARE

NAN = np.nan


def make_hardware() -> pd.DataFrame:
    rows = [
        # name, aliases, type, fp32, fp16, tensor_fp16, source
        ("NVIDIA V100", [], "GPU", 15.67e12, 31.33e12, 125e12, "epoch"),
        ("NVIDIA Tesla V100 SXM2 32 GB", [], "GPU", 15.67e12, 31.33e12, 125e12, "epoch"),
        ("NVIDIA Tesla V100 PCIe 16 GB", [], "GPU", 14.13e12, 28.26e12, 112e12, "epoch"),
        ("NVIDIA A100", [], "GPU", 19.5e12, 78e12, 312e12, "epoch"),
        ("NVIDIA A100 PCIe", [], "GPU", 19.5e12, 78e12, 312e12, "epoch"),
        ("NVIDIA H100 SXM5 80GB", [], "GPU", 66.91e12, 133.8e12, 989.4e12, "epoch"),
        ("NVIDIA H100 PCIe", [], "GPU", 51.22e12, 204.9e12, 756e12, "epoch"),
        ("NVIDIA P100", [], "GPU", 9.3e12, 18.7e12, NAN, "epoch"),
        ("NVIDIA GeForce GTX 980", [], "GPU", 4.981e12, NAN, NAN, "epoch"),
        ("GeForce GTX 480", [], "GPU", 1.345e12, NAN, NAN, "thompson_gpu"),
        ("Google TPU v2", ["Cloud TPU v2"], "TPU", 3e12, NAN, 46e12, "epoch"),
        ("Google TPU v3", [], "TPU", NAN, NAN, 123e12, "epoch"),
        ("Google TPU v5e", [], "TPU", NAN, NAN, 197e12, "epoch"),
        ("Google TPU v5p", [], "TPU", NAN, NAN, 459e12, "epoch"),
        ("Huawei Ascend 910", [], "NPU", NAN, 256e12, NAN, "epoch"),
        ("Intel Xeon E5-2690", [], "CPU", 0.37e12, NAN, NAN, "thompson_cpu"),
    ]
    frame = pd.DataFrame(
        {
            "name": [r[0] for r in rows],
            "aliases": [r[1] for r in rows],
            "type": [r[2] for r in rows],
            "peak_flop_per_s_fp32": [r[3] for r in rows],
            "peak_flop_per_s_fp16": [r[4] for r in rows],
            "peak_flop_per_s_tensor_fp16": [r[5] for r in rows],
            "source": [r[6] for r in rows],
        }
    )
    for col in HARDWARE:
        if col not in frame.columns:
            frame[col] = NAN if col.startswith(("peak", "memory", "tdp", "price")) else None
    frame["source_file"] = "hand-made"
    frame["source_line"] = np.arange(2, len(frame) + 2)
    return frame[HARDWARE]


@pytest.fixture
def hardware() -> pd.DataFrame:
    return make_hardware()
