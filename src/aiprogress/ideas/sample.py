"""Build the estimation sample from the benchmark results (one row per model).

:func:`prepare_sample` turns ``benchmark_results`` rows into the columns the
estimator needs -- ``benchmark, model, paper_title, date, years_since_2012,
performance, baseline_performance, g_tilde, train_flop, human_capital,
extra_data, reimplementation`` -- and reports, step by step, how many rows
survive and why the others were dropped.  :func:`aiprogress.ideas.simulate`
produces a frame with the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError
from aiprogress.ideas import inputs as inp
from aiprogress.ideas.innovation import (
    DEFAULT_TOUCHSTONES,
    check_rules,
    innovation,
    performance_of,
    touchstone_baseline,
    window_median_baseline,
)
from aiprogress.results import Result, format_table

SAMPLE_COLUMNS = [
    "benchmark",
    "model",
    "paper_title",
    "date",
    "years_since_2012",
    "performance",
    "baseline_performance",
    "g_tilde",
    "train_flop",
    "human_capital",
    "extra_data",
    "reimplementation",
]


@dataclass(frozen=True)
class IdeasSample(Result):
    """The estimation sample plus an account of coverage and dropped rows."""

    frame: pd.DataFrame
    baseline_rule: str
    human_capital_source: str
    nonpositive_rule: str
    coverage: dict[str, Any] = field(default_factory=dict)
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: tuple[str, ...] = ()

    @property
    def nobs(self) -> int:
        return len(self.frame)

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> dict[str, Any]:
        from aiprogress.results import jsonable

        return {
            "nobs": self.nobs,
            "baseline_rule": self.baseline_rule,
            "human_capital_source": self.human_capital_source,
            "nonpositive_rule": self.nonpositive_rule,
            "coverage": jsonable(self.coverage),
            "dropped_by_reason": jsonable(self.dropped["reason"].value_counts().to_dict()) if len(self.dropped) else {},
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        rows = [(k, str(v)) for k, v in self.coverage.items()]
        return format_table(pd.DataFrame(rows, columns=["item", "value"]), title=f"Ideas sample: n={self.nobs}")


def _check_columns(frame: pd.DataFrame, cols: list[str], source: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InputError("missing column", file=source, column=missing[0], expected="columns " + ", ".join(cols))


def prepare_sample(
    benchmark_results: pd.DataFrame,
    *,
    benchmarks: list[str] | tuple[str, ...] | None = ("imagenet", "ms_coco"),
    models: pd.DataFrame | None = None,
    hardware: pd.DataFrame | None = None,
    baseline: str = "touchstone",
    baseline_window_months: int = 12,
    touchstones: dict[str, str] | None = None,
    nonpositive: str = "drop",
    floor_fraction: float = 0.5,
    human_capital: str | Path = "auto",
    controls_csv: str | Path | None = None,
    source: str = "benchmark_results",
) -> IdeasSample:
    """Turn benchmark rows into the estimation sample (see module and :mod:`aiprogress.ideas.inputs` docs)."""
    base = sample_base(benchmark_results, benchmarks=benchmarks, models=models, hardware=hardware, baseline=baseline,
                       baseline_window_months=baseline_window_months, touchstones=touchstones, nonpositive=nonpositive,
                       floor_fraction=floor_fraction, source=source)
    return finish_sample(base, human_capital=human_capital, controls_csv=controls_csv)


@dataclass(frozen=True)
class SampleBase:
    """:func:`prepare_sample` up to the human-capital step (performance, dates, baseline, g~, compute).

    :func:`finish_sample` adds a human-capital measure and the controls without changing the base, so
    several measures can be finished from one base (:func:`aiprogress.ideas.hc_compare.ideas_runner`).
    """

    frame: pd.DataFrame
    models: pd.DataFrame | None
    baseline_rule: str
    nonpositive_rule: str
    coverage: dict[str, Any]
    dropped: tuple[pd.DataFrame, ...]
    notes: tuple[str, ...]


def _drop(frame: pd.DataFrame, dropped: list[pd.DataFrame], mask: pd.Series, reason: str) -> pd.DataFrame:
    """``frame`` without the ``mask`` rows, which are recorded in ``dropped`` with the reason."""
    if not mask.any():
        return frame
    d = frame.loc[mask, [c for c in ("benchmark", "model", "paper_title", "year", "source_line") if c in frame.columns]].copy()
    d["reason"] = reason
    dropped.append(d)
    return frame.loc[~mask].copy()


def sample_base(
    benchmark_results: pd.DataFrame,
    *,
    benchmarks: list[str] | tuple[str, ...] | None = ("imagenet", "ms_coco"),
    models: pd.DataFrame | None = None,
    hardware: pd.DataFrame | None = None,
    baseline: str = "touchstone",
    baseline_window_months: int = 12,
    touchstones: dict[str, str] | None = None,
    nonpositive: str = "drop",
    floor_fraction: float = 0.5,
    source: str = "benchmark_results",
) -> SampleBase:
    """The steps of :func:`prepare_sample` before the human capital (same arguments)."""
    check_rules(baseline, nonpositive)
    _check_columns(benchmark_results, ["benchmark", "model"], source)
    frame = benchmark_results.copy()
    if benchmarks is not None:
        known = sorted(frame["benchmark"].dropna().unique())
        unknown = [b for b in benchmarks if b not in known]
        if unknown:
            raise ParameterError("benchmarks", f"unknown benchmark '{unknown[0]}'", expected=", ".join(known))
        frame = frame[frame["benchmark"].isin(benchmarks)]
    if frame.empty:
        raise ParameterError("benchmarks", "no rows selected", expected="at least one benchmark with rows")
    frame = frame.reset_index(drop=True)
    n0 = len(frame)
    dropped: list[pd.DataFrame] = []
    notes: list[str] = []
    coverage: dict[str, Any] = {"rows_in": n0}

    # --- performance and dates -------------------------------------------------
    frame["performance"] = performance_of(frame, source)
    frame = _drop(frame, dropped, frame["performance"].isna(), "no performance (error_rate)")
    dates, date_src = inp.row_dates(frame, models)
    frame["date"] = dates
    frame["date_source"] = date_src
    frame = _drop(frame, dropped, frame["date"].isna(), "no date (year)")
    coverage["date_source"] = frame["date_source"].value_counts().to_dict()
    frame["years_since_2012"] = inp.years_since_2012(frame["date"])

    # --- baseline and innovation (computed on all rows with performance) --------
    if baseline == "column":
        if "baseline_performance" in frame.columns:
            frame["baseline_performance"] = pd.to_numeric(frame["baseline_performance"], errors="coerce")
        elif "baseline_error_rate" in frame.columns:
            frame["baseline_performance"] = 1 - pd.to_numeric(frame["baseline_error_rate"], errors="coerce")
        else:
            raise InputError("baseline='column' needs a baseline column", file=source, column="baseline_performance", expected="a 'baseline_performance' or 'baseline_error_rate' column")
        frame = _drop(frame, dropped, frame["baseline_performance"].isna(), "no baseline value")
    elif baseline == "window_median":
        w = inp.time_window(frame["date"], baseline_window_months)
        frame["baseline_performance"] = window_median_baseline(frame["performance"], frame["benchmark"], w)
        frame = _drop(frame, dropped, frame["baseline_performance"].isna(), "first window of its benchmark (no earlier models for a baseline)")
    else:
        ts = dict(DEFAULT_TOUCHSTONES if touchstones is None else touchstones)
        missing = sorted(set(frame["benchmark"]) - set(ts))
        if missing:
            raise ParameterError("touchstones", f"no touchstone model for benchmark '{missing[0]}'", expected="benchmark=model for every selected benchmark")
        base, is_ts = touchstone_baseline(frame, frame["performance"], ts)
        frame["baseline_performance"] = base
        frame = _drop(frame, dropped, is_ts, "is the touchstone model")
    frame["g_tilde"] = innovation(frame["performance"], frame["baseline_performance"])
    nonpos = frame["g_tilde"].notna() & (frame["g_tilde"] <= 0)
    coverage["nonpositive_g_tilde"] = int(nonpos.sum())
    if nonpositive == "drop":
        frame = _drop(frame, dropped, nonpos, "g~ <= 0 (no improvement over the baseline)")
    else:
        pos = frame["g_tilde"][frame["g_tilde"] > 0]
        if pos.empty:
            raise ParameterError("nonpositive", "no row improves on its baseline", expected="some rows with g~ > 0")
        frame.loc[nonpos, "g_tilde"] = floor_fraction * pos.min()
        if nonpos.any():
            notes.append(f"{int(nonpos.sum())} rows with g~ <= 0 set to {floor_fraction} x the smallest positive g~")

    # --- compute -----------------------------------------------------------------
    comp = inp.training_compute(frame, hardware)
    for c in comp.columns:
        frame[c] = comp[c]
    coverage["compute_method"] = frame["compute_method"].replace("", "none").value_counts().to_dict()
    frame = _drop(frame, dropped, frame["train_flop"].isna(), "no training compute")
    return SampleBase(frame, models, baseline, nonpositive, coverage, tuple(dropped), tuple(notes))


def finish_sample(base: SampleBase, *, human_capital: str | Path = "auto", controls_csv: str | Path | None = None) -> IdeasSample:
    """The sample from :func:`sample_base`: the human-capital measure, then the controls (``base`` is not changed)."""
    import copy

    models = base.models
    coverage = copy.deepcopy(base.coverage)
    notes = list(base.notes)
    frame = base.frame.copy()
    dropped = list(base.dropped)

    # --- human capital -----------------------------------------------------------------
    hc_source = str(human_capital)
    if str(human_capital) in ("auto", "epoch"):
        if models is None:
            if human_capital == "epoch":
                raise ParameterError("human_capital", "'epoch' needs the models table", expected="models=load_table('models')")
            ep = pd.DataFrame({"human_capital": np.nan, "hc_match": None}, index=frame.index)
        else:
            ep = inp.epoch_human_capital(frame, models, frame["date"])
        covered = ep["human_capital"].notna()
        share = float(covered.mean()) if len(frame) else 0.0
        by_bench = {str(k): round(float(v), 3) for k, v in covered.groupby(frame["benchmark"]).mean().items()}
        coverage["epoch_join_coverage"] = round(share, 3)
        coverage["epoch_join_coverage_by_benchmark"] = by_bench
        coverage["epoch_join_rule"] = {str(k): int(v) for k, v in ep["hc_match"].value_counts().items()}
        weakest = min(by_bench.values()) if by_bench else 0.0
        if human_capital == "epoch" or weakest >= inp.AUTO_MIN_COVERAGE:
            hc_source = "epoch"
            for c in ep.columns:
                frame[c] = ep[c]
            n_out = int((~covered).sum())
            if n_out:
                notes.append(
                    f"human capital: Epoch proxy on the covered rows only (complete case); {n_out} rows whose paper "
                    f"is not in the Epoch models table are dropped (coverage by benchmark {by_bench})"
                )
            frame = _drop(frame, dropped, frame["human_capital"].isna(), "paper not matched in the Epoch models table")
        else:
            hc_source = "paper_rows"
            frame["human_capital"] = inp.paper_rows_human_capital(frame)
            low = ", ".join(f"{b} {v:.0%}" for b, v in by_bench.items() if v < inp.AUTO_MIN_COVERAGE)
            notes.append(
                f"human capital: the Epoch join covers {share:.0%} of the usable rows ({low} < {inp.AUTO_MIN_COVERAGE:.0%}); "
                "the weak 'paper_rows' proxy is used for EVERY row so that all models share one proxy "
                "(mixing proxies across benchmarks would make the pooled gamma a blend of two scales). "
                "The unmatched papers are absent from the Epoch table, so no author data exist for them; "
                "'--human-capital epoch' estimates on the covered rows only"
            )
    elif human_capital == "learned":
        if models is None:
            raise ParameterError("human_capital", "'learned' needs the models table", expected="models=load_table('models')")
        hc = inp.learned_human_capital(frame, models, frame["date"])
        for c in hc.columns:
            frame[c] = hc[c]
        coverage["learned_coverage"] = round(float(frame["human_capital"].notna().mean()), 3)
        coverage["learned_model"] = hc.attrs.get("model_path", "")
        frame = _drop(frame, dropped, frame["human_capital"].isna(), "paper not matched in the Epoch models table (no author list to score)")
    elif human_capital == "paper_rows":
        frame["human_capital"] = inp.paper_rows_human_capital(frame)
    else:
        hc = inp.join_keyed_csv(frame, human_capital, ["human_capital"])
        frame["human_capital"] = hc["human_capital"]
        coverage["csv_human_capital_coverage"] = round(float(frame["human_capital"].notna().mean()), 3)
        hc_source = f"csv:{Path(human_capital).name}"
        frame = _drop(frame, dropped, frame["human_capital"].isna(), "no human capital in the CSV")
    frame = _drop(frame, dropped, ~(frame["human_capital"] > 0), "human capital not positive")

    # --- controls -----------------------------------------------------------------
    flag, how = inp.extra_data_rule(frame)
    frame["extra_data"] = flag
    frame["reimplementation"] = inp.reimplementation_rule(frame, frame["date"])
    if controls_csv is not None:
        user = inp.join_keyed_csv(frame, controls_csv, ["extra_data", "reimplementation"], any_of=True)
        for c in user.columns:
            got = user[c].notna()
            frame.loc[got, c] = user.loc[got, c]
            if c == "extra_data":
                how[got] = "csv"
        coverage["controls_csv_coverage"] = {c: round(float(user[c].notna().mean()), 3) for c in user.columns}
    coverage["extra_data_source"] = how.value_counts().to_dict()
    coverage["extra_data_share"] = round(float(frame["extra_data"].mean()), 3) if len(frame) else None
    coverage["reimplementation_share"] = round(float(frame["reimplementation"].mean()), 3) if len(frame) else None
    coverage["rows_out"] = len(frame)
    coverage["rows_by_benchmark"] = frame["benchmark"].value_counts().to_dict()
    dropped_frame = pd.concat(dropped, ignore_index=True) if dropped else pd.DataFrame(columns=["benchmark", "model", "reason"])
    return IdeasSample(
        frame=frame.reset_index(drop=True),
        baseline_rule=base.baseline_rule,
        human_capital_source=hc_source,
        nonpositive_rule=base.nonpositive_rule,
        coverage=coverage,
        dropped=dropped_frame,
        notes=tuple(notes),
    )


def as_sample(data: IdeasSample | pd.DataFrame) -> IdeasSample:
    """Accept an :class:`IdeasSample` or a frame that already has :data:`SAMPLE_COLUMNS`."""
    if isinstance(data, IdeasSample):
        return data
    if not isinstance(data, pd.DataFrame) and isinstance(getattr(data, "frame", None), pd.DataFrame):
        data = data.frame  # e.g. an aiprogress.ideas.simulate() result
    if not isinstance(data, pd.DataFrame):
        raise ParameterError("data", f"got {type(data).__name__}", expected="an IdeasSample or a DataFrame")
    need = ["benchmark", "g_tilde", "train_flop", "human_capital"]
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise InputError("missing column", file="sample", column=missing[0], expected="columns " + ", ".join(need) + " and date or years_since_2012")
    frame = data.copy()
    if "date" not in frame.columns:
        if "years_since_2012" not in frame.columns:
            raise InputError("missing column", file="sample", column="date", expected="'date' or 'years_since_2012'")
        frame["date"] = inp.EPOCH_2012 + pd.to_timedelta(frame["years_since_2012"] * 365.25, unit="D")
    if "years_since_2012" not in frame.columns:
        frame["years_since_2012"] = inp.years_since_2012(frame["date"])
    for c in ("extra_data", "reimplementation"):
        if c not in frame.columns:
            frame[c] = 0.0
    for c in ("g_tilde", "train_flop", "human_capital"):
        v = pd.to_numeric(frame[c], errors="coerce")
        bad = ~(v > 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"value {frame[c].iloc[i]!r} is not a positive number", file="sample", line=i + 2, column=c, expected="positive values (they enter in logs)")
    return IdeasSample(frame=frame.reset_index(drop=True), baseline_rule="given", human_capital_source="given", nonpositive_rule="given", coverage={"rows_out": len(frame)})
