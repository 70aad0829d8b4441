"""Benchmark stitching on synthetic scores with known capabilities; the language-data join against a plain loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from aiprogress.algorithmic.stitching import fit_stitching, stitched_scores
from aiprogress.paths import resolve_data_dir

_DATA = resolve_data_dir()
needs_data = pytest.mark.skipif(not (_DATA / "epoch_benchmarks" / "model_versions.csv").is_file(), reason="shared data not available")


def test_stitching_recovers_known_capabilities_up_to_scale():
    rng = np.random.default_rng(0)
    m, b = 60, 8
    cap, diff, slope = rng.normal(0, 1, m), rng.normal(0, 1, b), np.exp(rng.normal(0.5, 0.3, b))
    chance = np.where(np.arange(b) < 3, 0.25, 0.0)
    pairs = [(i, j) for i in range(m) for j in range(b) if rng.random() < 0.6]
    mi, bi = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    y = stitched_scores(cap[mi], diff[bi], slope[bi], chance[bi]) + rng.normal(0, 0.01, len(pairs))
    df = pd.DataFrame({"epoch_model": [f"m{i:02d}" for i in mi], "benchmark": [f"b{j}" for j in bi], "score": y, "chance": chance[bi]})
    fit = fit_stitching(df)
    truth = (cap - cap.mean()) / cap.std()
    assert np.corrcoef(fit.capabilities["capability"], truth)[0, 1] > 0.99
    assert fit.rmse < 0.02 and fit.converged
    assert fit.capabilities["capability"].mean() == pytest.approx(0.0, abs=1e-9)


@needs_data
def test_language_join_counts_match_a_plain_loop_on_mmlu():
    from aiprogress.algorithmic.language_data import load_language_scores
    from aiprogress.data import load_table

    models = load_table("models")
    join = load_language_scores(models, benchmarks=["mmlu"])
    raw = pd.read_csv(_DATA / "epoch_benchmarks" / "external_benchmark_mmlu.csv", encoding="utf-8-sig")
    mv = pd.read_csv(_DATA / "epoch_benchmarks" / "model_versions.csv", encoding="utf-8-sig").drop_duplicates("id")
    version_to_model = dict(zip(mv["id"], mv["Model"]))
    flop = {}
    for _, row in models.iterrows():
        flop.setdefault(row["model"], row["train_flop"])
    n_exact = 0
    for v in raw["Model version"]:
        name = version_to_model.get(v)
        if name in flop and pd.notna(flop[name]) and flop[name] > 0:
            n_exact += 1
    st = join.stages
    assert st["score_rows"] == int(raw["EM"].notna().sum())
    # the exact-name rows are a subset of the joined rows (the rest join after normalising the name)
    assert n_exact <= st["with_training_compute"] <= st["joined_to_epoch_model"] <= st["version_in_model_versions"]
    assert st["match_rate"] == pytest.approx(st["with_training_compute_and_date"] / st["score_rows"])
    assert (join.scores["benchmark"] == "mmlu").all() and join.scores["score"].between(0, 1).all()
    assert join.scores["chance"].eq(0.25).all()


def _synthetic_language(seed: int, months: float = 8.0, m: int = 80, b: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = rng.uniform(2019, 2025, m)
    lc = 22 + 0.5 * (t - 2019) + rng.normal(0, 0.7, m)
    coef = 0.6
    cap = coef * (lc - 24) + coef * 12 * np.log10(2) / months * (t - 2022) + rng.normal(0, 0.15, m)
    diff, slope = np.linspace(-1.5, 1.5, b), np.exp(rng.normal(0.3, 0.2, b))
    rows = []
    for i in range(m):
        for j in range(b):
            if rng.random() < 0.7:
                rows.append({"epoch_model": f"m{i:03d}", "benchmark": f"b{j}", "chance": 0.0, "log10_compute": lc[i], "time": t[i],
                             "score": float(np.clip(stitched_scores(cap[i], diff[j], slope[j], 0.0) + rng.normal(0, 0.01), 0, 1)),
                             "parameters": np.nan, "dataset_size": np.nan, "distilled": False})
    return pd.DataFrame(rows)


def test_stitched_halving_recovers_a_known_halving_time_and_refit_bootstrap_runs():
    from aiprogress.algorithmic.language import refit_bootstrap_interval, stitched_halving

    scores = _synthetic_language(1)
    est, stitch, caps = stitched_halving(scores, n_boot=100, seed=1)
    assert est.delta_low <= 8.0 <= est.delta_high and est.boot_low <= 8.0 <= est.boot_high
    assert abs(est.halving_months - 8.0) < 2.0
    lo, hi, used = refit_bootstrap_interval(scores, n_boot=2, seed=2)
    assert used == 2 and lo < hi
