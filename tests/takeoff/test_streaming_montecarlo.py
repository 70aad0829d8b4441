"""Streaming Monte Carlo summaries: bit-identical across chunk counts and schedulers, and equal to
summaries recomputed from the kept per-draw values; the CES quadrature does not depend on its block."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aiprogress.errors import ParameterError
from aiprogress.takeoff.config import load_config
from aiprogress.takeoff.montecarlo import HIST_EDGES, fan_levels_ooms, run_monte_carlo, sample_parameters
from aiprogress.takeoff.sie import SIEParams, time_to_ooms


def _streamed_state(res):
    return (res.compression, res.p_sie, res.days_hist.tolist(), res.never.tolist(), res.within_sie_days.tolist(),
            json.dumps(res.to_dict(), sort_keys=True))


@pytest.mark.parametrize("config", ["davidson-range", "davidson-houlden-2025"])
def test_streamed_threads_many_chunks_bit_identical_to_serial_one_chunk(config):
    n = 3500  # 4 chunks of 1000 (the last one partial) on 2 threads vs one chunk in this thread
    serial = run_monte_carlo(config, n, seed=5, chunk_size=n, scheduler="sync", keep_draws=False)
    threads = run_monte_carlo(config, n, seed=5, chunk_size=1000, scheduler="threads", keep_draws=False)
    assert serial.streamed and threads.streamed
    assert _streamed_state(threads) == _streamed_state(serial)


def test_streamed_histograms_are_the_kept_days_binned():
    n = 3000
    kept = run_monte_carlo("davidson-range", n, seed=2, chunk_size=1000, scheduler="threads")
    streamed = run_monte_carlo("davidson-range", n, seed=2, chunk_size=1000, scheduler="threads", keep_draws=False)
    days = kept.days_to_level
    assert days.shape == (n, fan_levels_ooms(load_config("davidson-range")).size)
    # Independent reference: a plain loop over levels with np.histogram on the finite log10 days.
    for j in range(days.shape[1]):
        finite = days[np.isfinite(days[:, j]), j]
        logd = np.clip(np.log10(finite), HIST_EDGES[0], np.nextafter(HIST_EDGES[-1], -np.inf))
        ref, _ = np.histogram(logd, bins=HIST_EDGES)
        assert np.array_equal(streamed.days_hist[j], ref)
        assert streamed.never[j] == n - finite.size
        assert streamed.within_sie_days[j] == int(np.sum(days[:, j] < kept.sie_days))
    assert streamed.compression == kept.compression


def test_kept_threads_chunked_equal_serial_per_draw():
    n = 2500
    serial = run_monte_carlo("davidson-range", n, seed=9, chunk_size=n, scheduler="sync")
    threads = run_monte_carlo("davidson-range", n, seed=9, chunk_size=1000, scheduler="threads")
    assert np.array_equal(threads.days_to_level, serial.days_to_level)
    assert threads.samples.equals(serial.samples)
    assert threads.per_draw.keys() == serial.per_draw.keys()
    for k in serial.per_draw:
        assert np.array_equal(threads.per_draw[k], serial.per_draw[k])


def test_quadrature_block_does_not_change_any_draw():
    cfg = load_config("davidson-range")
    draws = {k: np.broadcast_to(v, (700,)) for k, v in sample_parameters(cfg, 700, 4).items()}
    full = {**SIEParams().as_arrays(), **draws}
    levels = fan_levels_ooms(cfg)
    auto = time_to_ooms(full, levels)
    for block in (1, 7, 256, 10_000):
        assert np.array_equal(time_to_ooms(full, levels, block=block), auto)
    with pytest.raises(ParameterError, match="block"):
        time_to_ooms(full, levels, block=0)


def test_cli_stream_and_keep_draws_flags_choose_the_mode_with_the_same_statistics():
    import json

    from typer.testing import CliRunner

    from aiprogress.cli import app

    base = ["takeoff", "monte-carlo", "--config", "davidson-houlden-2025", "--draws", "3000", "--seed", "2", "--json", "-q"]
    out = {}
    for flag in ("--stream", "--keep-draws"):
        res = CliRunner().invoke(app, base + [flag])
        assert res.exit_code == 0, res.output
        out[flag] = json.loads(res.stdout)
    assert out["--stream"]["streamed"] is True and out["--keep-draws"]["streamed"] is False
    # the compression table and the SIE verdict are counts over draws: identical in both modes
    assert out["--stream"]["compression"]["table"] == out["--keep-draws"]["compression"]["table"]
    assert out["--stream"]["p_sie"] == out["--keep-draws"]["p_sie"]
