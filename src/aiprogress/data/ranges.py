"""Plausibility ranges: the largest value each numeric source field may take.

A value above its bound is valid as a number but cannot be true (training
compute of 1e300 FLOP, 10^30 chips), so the loaders treat it like any other
bad cell: an :class:`~aiprogress.errors.InputError` naming file, line and
column, or a rejected row with ``--skip-bad-rows``. The bounds sit two or
more orders of magnitude above the largest value in the shipped data (shown
in the comment) so that real growth does not trip them. Lower bounds are the
loaders' own (no negative counts; fractions in [0, 1]).
"""

from __future__ import annotations

# field key -> upper bound (largest value in the shipped sources)
MAXIMUM: dict[str, float] = {
    # Epoch "AI Models"
    "models.parameters": 1e17,          # 1.7e14
    "models.train_flop": 1e31,          # 4.6e26 FLOP
    "models.dataset_size": 1e19,        # 9e15 datapoints
    "models.epochs": 1e8,               # 1.9e5
    "models.train_hours": 1e6,          # 9.0e3 h (1e6 h = 114 years)
    "models.hardware_quantity": 1e8,    # 1e5 chips
    "models.citations": 1e8,            # 1.8e5
    # Epoch "Machine Learning Hardware" (per chip)
    "hardware.peak": 1e20,              # 1e17 FLOP/s
    "hardware.memory_bytes": 1e15,      # 2.9e11 B
    "hardware.memory_bandwidth_byte_per_s": 1e17,  # 8e13 B/s
    "hardware.tdp_w": 1e7,              # 1.4e3 W (wafer-scale chips: ~2e4 W)
    "hardware.price_usd": 1e9,          # 3.5e4 USD
    # Thompson et al. benchmark files
    "benchmark.flop": 1e31,             # forward 1.5e12, WMT training 2.3e19
    "benchmark.parameters": 1e17,       # 1.0e11
    "benchmark.epochs": 1e8,            # 700
    "benchmark.train_examples": 1e16,   # 3.3e9
    "benchmark.processor_count": 1e8,   # 512
    "benchmark.time_sec": 1e11,         # 1.5e9 s
    "benchmark.hw_gflops": 1e15,        # 2.2e8 GFLOPS
    # Thompson et al. processor lists
    "processor.gflops": 1e11,           # 1e8 GFLOPS (TPU pod)
    "processor.memory_mib": 1e9,
    "processor.memory_gb_s": 1e8,
    "processor.tdp": 1e7,
    "processor.clock": 1e6,             # MHz
}


def maximum(key: str) -> float:
    return MAXIMUM[key]
