"""Language-model benchmark scores joined to the Epoch models database (training compute, dates).

Sources (``<data>/epoch_benchmarks/``, Epoch AI Benchmarking Hub, CC BY 4.0, via
epoch-research/benchmark-stitching, MIT): ``benchmarks_runs.csv`` (Epoch's own runs:
task, model version, best score) and ``external_benchmark_<name>.csv`` (published
scores; the score column per benchmark is :data:`SCORE_COLUMNS`).

The join rule (reported with its match rate at every stage):

1. a score row's ``Model version`` (runs: ``model``) is looked up as the ``id`` of
   ``model_versions.csv``; that row's ``Model`` is the Epoch model name;
2. the Epoch name is matched to the ``model`` column of the Epoch models table,
   exactly, else after lower-casing and removing non-alphanumerics (first row per
   key); that row gives ``train_flop`` and ``publication_date`` (else the version
   release date of ``model_versions.csv`` is the date);
3. several rows for one (benchmark, Epoch model) (shots, sources, reasoning
   efforts) are reduced to the best score.

Distilled models: a version listed with ``distilled = TRUE`` in
``distilled_models.csv`` flags the Epoch model as distilled (excluded by default
downstream). Scores in percent are divided by 100; multiple-choice benchmarks carry
their chance level (:data:`CHANCE`), used as the floor of the score model.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from aiprogress.errors import InputError

__all__ = ["CHANCE", "SCORE_COLUMNS", "LanguageJoin", "load_language_scores"]

# benchmark file stem -> score column (fractions or percentages of a maximum of 1 / 100%)
SCORE_COLUMNS = {
    "mmlu": "EM", "gsm8k": "EM", "hellaswag": "Overall accuracy", "lambada": "Score", "arc_ai2": "Challenge score",
    "winogrande": "Accuracy", "piqa": "Score", "boolq": "Score", "openbookqa": "Accuracy", "triviaqa": "EM",
    "bbh": "Average", "anli": "Score", "csqa2": "Score", "superglue": "Score", "scienceqa": "Score",
    "aider_polyglot": "Percent correct", "arc_agi": "Score", "simple_bench": "Score (AVG@5)", "weirdml": "Accuracy",
    "livebench": "Global average", "gso_bench": "Score OPT@1", "terminal_bench": "Accuracy mean",
    "cybench": "Unguided % Solved", "os_world": "Score", "vpct": "Correct", "videomme": "Overall (no subtitles)",
    "the_agent_company": "% Score", "balrog": "Average progress", "cadeval": "Overall pass (%)",
    "geobench": "ACW Country %", "deepresearch": "Average score", "fictionlivebench": "8k token score",
}
# chance level of multiple-choice benchmarks (score floor of the stitching model)
CHANCE = {"mmlu": 0.25, "hellaswag": 0.25, "arc_ai2": 0.25, "winogrande": 0.5, "piqa": 0.5, "boolq": 0.5,
          "openbookqa": 0.25, "anli": 1 / 3, "csqa2": 0.5, "GPQA diamond": 0.25}

_NAME_RE = re.compile(r"[^a-z0-9]")


def _norm(name: object) -> str:
    return _NAME_RE.sub("", str(name).lower()) if isinstance(name, str) else ""


def _score(values: pd.Series) -> pd.Series:
    """'77.0%' -> 0.77; numbers above 1 are read as percentages."""
    txt = values.astype(str).str.strip()
    pct = txt.str.endswith("%")
    num = pd.to_numeric(txt.str.rstrip("%").str.replace(",", "", regex=False), errors="coerce")
    num = num.where(~pct, num / 100)
    return num.where(num <= 1, num / 100)


class LanguageJoin:
    """Scores joined to Epoch models: ``scores`` (one row per benchmark × model) and the ``stages`` counts."""

    def __init__(self, scores: pd.DataFrame, stages: dict, per_benchmark: pd.DataFrame, files: list[str]):
        self.scores = scores
        self.stages = stages
        self.per_benchmark = per_benchmark
        self.files = files

    def info(self) -> dict:
        return {"rule": (
            "score row's model version = id in model_versions.csv -> its Model = Epoch model name (exact, else lower-cased "
            "alphanumerics) -> training compute and publication date; best score per benchmark and model"),
            **self.stages}


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot parse CSV ({str(exc).splitlines()[0]})", file=path, expected="an Epoch benchmark CSV") from exc


def load_language_scores(models: pd.DataFrame, *, data_dir: str | Path | None = None, benchmarks: list[str] | None = None) -> LanguageJoin:
    """Read the Epoch benchmark files, join them to ``models`` and return the joined scores with match counts."""
    from aiprogress.paths import resolve_data_dir

    root = resolve_data_dir(data_dir) / "epoch_benchmarks"
    if not (root / "model_versions.csv").is_file():
        raise InputError("Epoch benchmark data not found", file=root / "model_versions.csv", expected="the epoch_benchmarks folder (see data README)")
    mv = _read(root / "model_versions.csv")
    for col in ("id", "Model"):
        if col not in mv.columns:
            raise InputError("missing column", file=root / "model_versions.csv", column=col, expected="the model_versions.csv layout")
    files = ["epoch_benchmarks/model_versions.csv"]
    rows = []
    runs_path = root / "benchmarks_runs.csv"
    if runs_path.is_file() and (benchmarks is None or "epoch_runs" in benchmarks):
        runs = _read(runs_path)
        rows.append(pd.DataFrame({"benchmark": runs["task"].astype(str), "version": runs["model"].astype(str),
                                  "score": _score(runs["Best score (across scorers)"]), "origin": "Epoch Benchmarking Hub run"}))
        files.append("epoch_benchmarks/benchmarks_runs.csv")
    for stem, col in SCORE_COLUMNS.items():
        path = root / f"external_benchmark_{stem}.csv"
        if not path.is_file() or (benchmarks is not None and stem not in benchmarks):
            continue
        d = _read(path)
        if col not in d.columns or "Model version" not in d.columns:
            raise InputError("missing column", file=path, column=col if col not in d.columns else "Model version", expected="the external benchmark layout")
        rows.append(pd.DataFrame({"benchmark": stem, "version": d["Model version"], "score": _score(d[col]), "origin": "external"}))
        files.append(f"epoch_benchmarks/external_benchmark_{stem}.csv")
    if not rows:
        raise InputError("no benchmark files selected", file=root, expected="benchmarks_runs.csv or external_benchmark_*.csv")
    raw = pd.concat(rows, ignore_index=True)
    raw = raw[raw["score"].between(0, 1)]
    stages = {"score_rows": int(len(raw)), "with_model_version": int(raw["version"].notna().sum())}
    mv = mv.drop_duplicates("id").set_index("id")
    raw = raw.assign(epoch_name=raw["version"].map(mv["Model"]), version_date=pd.to_datetime(raw["version"].map(mv.get("Version release date")), errors="coerce"))
    stages["version_in_model_versions"] = int(raw["epoch_name"].notna().sum())
    exact = models.drop_duplicates("model").set_index("model")
    normed = models.assign(_k=models["model"].map(_norm)).drop_duplicates("_k").set_index("_k")
    key_exact = raw["epoch_name"].where(raw["epoch_name"].isin(exact.index))
    key_norm = raw["epoch_name"].map(_norm)
    hit_norm = key_exact.isna() & key_norm.isin(normed.index)
    raw["epoch_model"] = key_exact.where(key_exact.notna(), key_norm.map(normed["model"]).where(hit_norm))
    stages["joined_to_epoch_model"] = int(raw["epoch_model"].notna().sum())
    stages["joined_by_normalised_name"] = int(hit_norm.sum())
    raw["train_flop"] = pd.to_numeric(raw["epoch_model"].map(exact["train_flop"]), errors="coerce")
    pub = pd.to_datetime(raw["epoch_model"].map(exact["publication_date"]), errors="coerce")
    raw["date"] = pub.where(pub.notna(), raw["version_date"])
    raw["parameters"] = pd.to_numeric(raw["epoch_model"].map(exact["parameters"]), errors="coerce")
    raw["dataset_size"] = pd.to_numeric(raw["epoch_model"].map(exact["dataset_size"]), errors="coerce")
    stages["with_training_compute"] = int((raw["train_flop"] > 0).sum())
    stages["with_training_compute_and_date"] = int(((raw["train_flop"] > 0) & raw["date"].notna()).sum())
    stages["match_rate"] = stages["with_training_compute_and_date"] / max(stages["score_rows"], 1)
    distilled = set()
    dpath = root / "distilled_models.csv"
    if dpath.is_file():
        dm = _read(dpath)
        flag = dm["distilled"].astype(str).str.upper().isin(["TRUE", "1", "YES"])
        distilled = set(dm.loc[flag, "model"].astype(str))
        files.append("epoch_benchmarks/distilled_models.csv")
    raw["distilled_version"] = raw["version"].astype(str).isin(distilled)
    j = raw[(raw["train_flop"] > 0) & raw["date"].notna() & raw["epoch_model"].notna()].copy()
    dist_models = set(j.loc[j["distilled_version"], "epoch_model"])
    best = (j.sort_values("score", ascending=False)
             .drop_duplicates(["benchmark", "epoch_model"])
             .assign(distilled=lambda f: f["epoch_model"].isin(dist_models)))
    best["time"] = best["date"].dt.year + (best["date"].dt.dayofyear - 1) / 365.25
    best["log10_compute"] = np.log10(best["train_flop"])
    best["chance"] = best["benchmark"].map(CHANCE).fillna(0.0)
    best = best[["benchmark", "epoch_model", "version", "score", "chance", "train_flop", "log10_compute", "date", "time",
                 "parameters", "dataset_size", "distilled", "origin"]].reset_index(drop=True)
    stages["benchmark_model_pairs"] = int(len(best))
    stages["distinct_models"] = int(best["epoch_model"].nunique())
    stages["distilled_models"] = int(best.loc[best["distilled"], "epoch_model"].nunique())
    per = raw.groupby("benchmark").agg(score_rows=("score", "size"),
                                       joined=("epoch_model", lambda s: int(s.notna().sum())),
                                       with_compute=("train_flop", lambda s: int((s > 0).sum())))
    per["match_rate"] = per["with_compute"] / per["score_rows"]
    per = per.join(best.groupby("benchmark").size().rename("models_used")).fillna({"models_used": 0}).reset_index()
    return LanguageJoin(best, stages, per, files)
