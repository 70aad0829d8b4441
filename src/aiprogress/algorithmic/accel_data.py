"""Series for the acceleration tests: model-level progress with log10 compute held fixed, or a user CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from aiprogress.errors import ParameterError

__all__ = ["domain_series"]


def domain_series(domain: str | None, *, csv: str | Path | None = None, time_col: str = "year", value_col: str = "value",
                  data_dir: str | Path | None = None, catalog: str | Path | None = None):
    """(time, values, controls, label, files read). Vision: −log10 ImageNet error; language: stitched capability."""
    from aiprogress.data import load_table

    if csv is not None:
        from aiprogress.stats.columns import read_columns, to_time

        f = read_columns(csv, [time_col, value_col], numeric=[value_col])
        return to_time(f[time_col], csv, time_col), f[value_col].to_numpy(float), None, f"{Path(csv).name}: {value_col}", [str(csv)]
    if domain == "vision":
        from aiprogress.algorithmic.vision import SOURCES, imagenet_sample

        s, _ = imagenet_sample(load_table("benchmark_results", catalog=catalog, data_dir=data_dir),
                               load_table("models", catalog=catalog, data_dir=data_dir), load_table("hardware", catalog=catalog, data_dir=data_dir))
        s = s[s["train_flop"] > 0]
        return (s["time"].to_numpy(float), -s["log10_error"].to_numpy(float), {"log10_compute": np.log10(s["train_flop"].to_numpy(float))},
                "vision: −log10 ImageNet top-1 error of each model", list(SOURCES))
    if domain == "language":
        from aiprogress.algorithmic.language import capability_frame
        from aiprogress.algorithmic.language_data import load_language_scores
        from aiprogress.algorithmic.stitching import fit_stitching

        join = load_language_scores(load_table("models", catalog=catalog, data_dir=data_dir), data_dir=data_dir)
        sc = join.scores[~join.scores["distilled"]]
        caps = capability_frame(sc, fit_stitching(sc))
        return (caps["time"].to_numpy(float), caps["capability"].to_numpy(float), {"log10_compute": caps["log10_compute"].to_numpy(float)},
                "language: stitched capability of each model", join.files + ["epoch/all_ai_models_2025-03.csv"])
    raise ParameterError("domain", f"got {domain!r}", expected="vision | language")
