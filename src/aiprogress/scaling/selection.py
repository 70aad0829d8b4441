"""Build the analysis sample for one benchmark and one compute measure.

Every rule that decides which rows enter a scaling regression is a field of
:class:`SelectionRules`, and :func:`build_sample` reports how many rows each rule
dropped. The defaults (:meth:`SelectionRules.paper`) follow Thompson et al.
(2020), "The Computational Limits of Deep Learning":

* **Error rate.** ImageNet: top-1 error; MS COCO: 1 - box AP; SQuAD 1.1 and
  CoNLL 2003: 1 - F1; WMT 2014: 1 - BLEU (all as fractions). ``metric`` picks
  another metric from the row's ``metrics`` JSON instead of the table's
  headline ``error_rate``.
* **Computation per network pass** (``per_pass``): FLOP of one forward pass
  (the loader uses 2 x multiply-adds when only those are reported). Where only
  the parameter count is known, FLOP are predicted from a log-log regression of
  FLOP on parameters fitted on the benchmark's rows that report both (the
  paper's Figure 7). We fill only inside the range of parameter counts the
  conversion regression was fitted on (``fill_within_support``); outside it the
  prediction is an extrapolation and, in the ImageNet file, hits rows whose
  "parameters" are in fact multiply-add counts (values of 1e10-1e11).
  ImageNet per-pass compute is expressed relative to AlexNet (the paper's
  Figure 2b normalisation), which moves only the intercept.
* **Hardware burden** (``hardware_burden``): processors x peak GFLOPS per
  processor x training seconds, in GFLOP (the paper's unit).
* **Network operations** (``network_operations``): forward FLOP x training
  examples x epochs x ``passes_per_example`` (3: forward plus backward pass,
  the usual 2:1 backward:forward cost ratio), in FLOP.
* **Which rows count.** ``rows="all"`` keeps every model with an error rate and
  compute (the paper's rule for MS COCO, SQuAD, CoNLL and WMT: its n equal the
  counts of models with hardware burden in its Figure 6). ``"best_per_paper"``
  keeps the lowest-error model of each paper; ``"best_per_paper_compute"`` keeps
  the lowest-error model for each (paper, compute value), i.e. one point per
  distinct training budget. For ImageNet hardware burden the paper reports
  n = 13 out of the 43 models with hardware burden (Figure 6): only the
  (paper, compute) rule reproduces that count on the shared data, so
  :meth:`SelectionRules.paper` uses it there. This is our inference from the
  counts; the paper does not spell it out.
* **Own models only** (``own_models_only``). The paper collects its models
  from the papers themselves (supplement section 6.1: each model with the
  performance and computation its paper reports). For ImageNet computation per
  network pass the shared file also holds rows that are not a model trained by
  the cited paper, and the data marks them: rows citing a code repository
  instead of a paper (the albanie/convnet-burden model-zoo collection, 33 rows,
  all dated 2018 whatever the architecture's year), rows named
  "(reimplementation)" (10, the SENet paper's baselines) and rows commented "not
  trained in this paper" (8). :meth:`SelectionRules.paper` drops them for
  ImageNet per-pass compute: 64 models remain (the paper's Figure 6 counts 62
  ImageNet models with computation; which 51 of them its Table 1 uses is not
  documented). Quoted baselines without such a marker (e.g. the comparison
  rows of the NASNet paper) stay in.
* **Extra data.** Models trained with data beyond the benchmark's training set
  (``extra_data``) are kept by default (the paper's "today" ImageNet point is
  NoisyStudent, which uses unlabelled extra images); ``extra_data="exclude"``
  drops them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError
from aiprogress.results import Result, format_table
from aiprogress.stats import smapi as sm

MEASURES = ("per_pass", "hardware_burden", "network_operations")
ROW_RULES = ("all", "best_per_paper", "best_per_paper_compute")
EXTRA_DATA_RULES = ("include", "exclude", "only")

#: Benchmarks analysed by Thompson et al. (display label, headline metric description).
BENCHMARKS: dict[str, str] = {
    "imagenet": "ImageNet",
    "ms_coco": "MS COCO",
    "squad_1_1": "SQuAD 1.1",
    "conll2003": "CoNLL 2003",
    "wmt2014_en_fr": "WMT 2014 (EN-FR)",
    "wmt2014_en_de": "WMT 2014 (EN-DE)",
}
PAPER_BENCHMARKS = ("imagenet", "ms_coco", "squad_1_1", "conll2003", "wmt2014_en_fr")

# Metrics where higher is better (error = 1 - value/100) vs error metrics (error = value/100).
_SCORE_METRICS = {"box_ap", "ap50", "ap75", "aps", "apm", "apl", "f1", "em", "bleu", "sacrebleu", "top1_accuracy_pct"}
_ERROR_METRICS = {"top1_error_pct", "top5_error_pct", "top1_error", "top5_error"}

COMPUTE_UNITS = {"per_pass": "FLOP", "hardware_burden": "GFLOP", "network_operations": "FLOP"}

REQUIRED_COLUMNS = ["benchmark", "model", "year", "error_rate"]


@dataclass(frozen=True)
class SelectionRules(Result):
    """Switchable rules that turn ``benchmark_results`` rows into a regression sample."""

    metric: str | None = None
    rows: str = "all"
    extra_data: str = "include"
    fill_flop_from_parameters: bool = True
    fill_within_support: bool = True
    reference_model: str | None = None
    missing_processor_count: str = "assume_one"
    passes_per_example: float = 3.0
    parsed_train_time: bool = False
    min_year: int | None = None
    max_year: int | None = None
    drop_duplicates: bool = True
    own_models_only: bool = False

    def __post_init__(self) -> None:
        if self.rows not in ROW_RULES:
            raise ParameterError("rows", f"unknown rule '{self.rows}'", expected=", ".join(ROW_RULES))
        if self.extra_data not in EXTRA_DATA_RULES:
            raise ParameterError("extra_data", f"unknown rule '{self.extra_data}'", expected=", ".join(EXTRA_DATA_RULES))
        if self.missing_processor_count not in ("assume_one", "drop"):
            raise ParameterError("missing_processor_count", f"unknown rule '{self.missing_processor_count}'", expected="assume_one or drop")
        if not self.passes_per_example > 0:
            raise ParameterError("passes_per_example", f"{self.passes_per_example}", expected="a positive number")

    @classmethod
    def paper(cls, benchmark: str, measure: str, **overrides: Any) -> "SelectionRules":
        """Thompson et al.'s rules for ``benchmark`` and ``measure`` (see module docstring)."""
        _check_benchmark(benchmark)
        _check_measure(measure)
        kw: dict[str, Any] = {}
        if benchmark == "imagenet" and measure == "per_pass":
            kw["reference_model"] = "AlexNet"
            kw["own_models_only"] = True
        if benchmark == "imagenet" and measure == "hardware_burden":
            kw["rows"] = "best_per_paper_compute"
        kw.update(overrides)
        return cls(**kw)

    def describe(self) -> list[str]:
        """The rules as plain sentences (for reports and ``--json``)."""
        out = [
            f"error rate: {'headline error_rate column' if self.metric is None else 'metric ' + repr(self.metric)}",
            f"rows: {self.rows}",
            f"extra-data models: {self.extra_data}",
            "models: "
            + ("only those trained by the cited paper (no model-zoo collections, re-implementations or models 'not trained in this paper')"
               if self.own_models_only else "every row, including model-zoo collections and re-implementations"),
            f"fill per-pass FLOP from parameters: {self.fill_flop_from_parameters}"
            + (" (only inside the conversion regression's parameter range)" if self.fill_within_support else ""),
            f"missing processor count: {self.missing_processor_count}",
            "training time: " + ("seconds column or parsed free text" if self.parsed_train_time else "the source's seconds column only"),
            f"network operations = forward FLOP x examples x epochs x {self.passes_per_example:g}",
        ]
        if self.reference_model:
            out.append(f"per-pass compute relative to {self.reference_model}")
        if self.min_year is not None or self.max_year is not None:
            out.append(f"years: {self.min_year or '-'} to {self.max_year or '-'}")
        return out


@dataclass(frozen=True)
class ConversionFit(Result):
    """log10(forward FLOP) = intercept + slope * log10(parameters) (paper's Figure 7)."""

    intercept: float
    slope: float
    r2: float
    n: int
    parameters_min: float
    parameters_max: float

    def predict_flop(self, parameters: np.ndarray | pd.Series) -> np.ndarray:
        return 10.0 ** (self.intercept + self.slope * np.log10(np.asarray(parameters, dtype=float)))


@dataclass(frozen=True)
class Sample(Result):
    """The analysis sample: one row per model with ``error_rate`` and ``compute``."""

    benchmark: str
    measure: str
    compute_unit: str
    rules: SelectionRules
    frame: pd.DataFrame
    dropped: dict[str, int]
    candidates: int
    reference_value: float | None = None
    conversion: ConversionFit | None = None

    @property
    def n(self) -> int:
        return int(len(self.frame))

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["n"] = self.n
        out["rules_text"] = self.rules.describe()
        return out

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> str:
        head = (
            f"{BENCHMARKS.get(self.benchmark, self.benchmark)} - {self.measure} ({self.compute_unit}"
            + (f", relative to {self.rules.reference_model}" if self.reference_value else "")
            + f"): {self.n} of {self.candidates} rows"
        )
        drops = pd.DataFrame({"reason": list(self.dropped), "rows dropped": list(self.dropped.values())})
        return head + "\n" + "\n".join("  - " + r for r in self.rules.describe()) + "\n" + format_table(drops)


def _check_benchmark(benchmark: str) -> None:
    if benchmark not in BENCHMARKS:
        raise ParameterError("benchmark", f"unknown benchmark '{benchmark}'", expected=", ".join(BENCHMARKS))


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise ParameterError("measure", f"unknown compute measure '{measure}'", expected=", ".join(MEASURES))


def _metric_error(frame: pd.DataFrame, metric: str) -> pd.Series:
    key = metric.lower()
    if key not in _SCORE_METRICS and key not in _ERROR_METRICS:
        raise ParameterError(
            "metric", f"unknown metric '{metric}'", expected=", ".join(sorted(_SCORE_METRICS | _ERROR_METRICS))
        )

    def one(raw: Any) -> float:
        if raw is None or (isinstance(raw, float) and np.isnan(raw)):
            return np.nan
        d = raw if isinstance(raw, dict) else json.loads(raw)
        d = {str(k).lower(): v for k, v in d.items()}
        v = d.get(key)
        try:
            return float(v)
        except (TypeError, ValueError):
            return np.nan

    if "metrics" not in frame.columns:
        raise InputError("table has no 'metrics' column", column="metrics", expected="a JSON object per row")
    values = frame["metrics"].map(one).astype(float)
    return values / 100.0 if key in _ERROR_METRICS else 1.0 - values / 100.0


def fit_conversion(frame: pd.DataFrame) -> ConversionFit | None:
    """Regress log10 forward FLOP on log10 parameters over rows that report both."""
    both = frame[(frame["forward_flop"] > 0) & (frame["parameters"] > 0)]
    if len(both) < 3:
        return None
    lf = np.log10(both["forward_flop"].to_numpy(float))
    lp = np.log10(both["parameters"].to_numpy(float))
    res = sm.OLS(lf, np.column_stack([np.ones_like(lp), lp])).fit()  # lf ~ lp, the formula's design (C order)
    return ConversionFit(
        intercept=float(res.params[0]),
        slope=float(res.params[1]),
        r2=float(res.rsquared),
        n=int(res.nobs),
        parameters_min=float(both["parameters"].min()),
        parameters_max=float(both["parameters"].max()),
    )


def _numeric(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[col], errors="coerce").astype(float)


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[col].where(frame[col].notna(), "").astype(str).str.strip()


def _secondary_rows(frame: pd.DataFrame) -> list[tuple[pd.Series, str]]:
    """Rows the source marks as not a model trained by the cited paper, with the reason for each marker."""
    title, url = _text(frame, "paper_title"), _text(frame, "url").str.lower()
    collection = (title == "") & url.str.contains("github.com", regex=False)
    reimplementation = _text(frame, "model").str.lower().str.contains(r"re-?implementation", regex=True)
    not_trained = _text(frame, "comments").str.lower().str.contains("not trained in this paper", regex=False)
    return [
        (collection, "model-zoo collection row (cites a code repository, not a paper)"),
        (reimplementation, "re-implementation of another paper's model"),
        (not_trained, "model not trained in the cited paper"),
    ]


def build_sample(
    table: pd.DataFrame,
    benchmark: str,
    measure: str = "hardware_burden",
    rules: SelectionRules | None = None,
) -> Sample:
    """Select the rows of ``table`` (``benchmark_results``) that enter a scaling fit.

    Returns a :class:`Sample` whose ``frame`` has columns ``model``, ``paper``,
    ``year``, ``error_rate``, ``compute`` (in ``compute_unit``, relative to the
    reference model if one is set), ``log10_compute``, ``flop_filled`` and
    ``source_line``; ``dropped`` counts the rows removed by each rule.
    """
    _check_benchmark(benchmark)
    _check_measure(measure)
    rules = rules if rules is not None else SelectionRules.paper(benchmark, measure)
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"benchmark table lacks column(s) {missing}", column=missing[0], expected="the benchmark_results schema")

    df = table[table["benchmark"] == benchmark].copy()
    candidates = int(len(df))
    if candidates == 0:
        raise InputError(f"no rows for benchmark '{benchmark}' in the table", column="benchmark")
    dropped: dict[str, int] = {}

    def drop(mask: pd.Series, reason: str) -> None:
        nonlocal df
        k = int(mask.sum())
        if k:
            dropped[reason] = dropped.get(reason, 0) + k
            df = df[~mask]

    for col in ("error_rate", "forward_flop", "parameters", "processor_count", "processor_gflops", "train_seconds", "epochs", "train_examples"):
        df[col] = _numeric(df, col)
    df["year"] = _numeric(df, "year")
    paper = df["paper_title"] if "paper_title" in df.columns else pd.Series(None, index=df.index, dtype=object)
    url = df["url"] if "url" in df.columns else pd.Series(None, index=df.index, dtype=object)
    df["paper"] = paper.where(paper.notna() & (paper.astype(str).str.strip() != ""), url).fillna("(unknown)").astype(str)

    # 1. error rate
    df["error_rate"] = df["error_rate"] if rules.metric is None else _metric_error(df, rules.metric)
    drop(df["error_rate"].isna(), "no error rate")
    drop(~((df["error_rate"] > 0) & (df["error_rate"] < 1)), "error rate outside (0, 1)")

    # 2. years
    if rules.min_year is not None:
        drop(df["year"] < rules.min_year, f"year before {rules.min_year}")
    if rules.max_year is not None:
        drop(df["year"] > rules.max_year, f"year after {rules.max_year}")

    # 3. extra data
    extra = df["extra_data"] if "extra_data" in df.columns else pd.Series(False, index=df.index)
    extra = extra.map(lambda v: bool(v) if v is not None and not (isinstance(v, float) and np.isnan(v)) else False)
    if rules.extra_data == "exclude":
        drop(extra, "trained with extra data")
    elif rules.extra_data == "only":
        drop(~extra, "not trained with extra data")

    # 3b. own models only: the source's markers of rows that are not the cited paper's own model
    if rules.own_models_only:
        for mask, reason in _secondary_rows(df):
            drop(mask.loc[df.index], reason)

    # 4. compute
    conversion = None
    df["flop_filled"] = False
    if measure in ("per_pass", "network_operations"):
        flop = df["forward_flop"].where(df["forward_flop"] > 0)
        if rules.fill_flop_from_parameters:
            conversion = fit_conversion(table[table["benchmark"] == benchmark].assign(
                forward_flop=lambda f: _numeric(f, "forward_flop"), parameters=lambda f: _numeric(f, "parameters")))
            if conversion is not None:
                can = flop.isna() & (df["parameters"] > 0)
                if rules.fill_within_support:
                    outside = can & ~df["parameters"].between(conversion.parameters_min, conversion.parameters_max)
                    drop(outside, "parameters outside the FLOP-conversion range (not filled)")
                    flop = flop.loc[df.index]
                    can = can.loc[df.index] & ~outside.loc[df.index]
                flop = flop.copy()
                flop[can] = conversion.predict_flop(df.loc[can, "parameters"])
                df.loc[can, "flop_filled"] = True
        has_total = (_numeric(df, "train_flop") > 0) if measure == "network_operations" else pd.Series(False, index=df.index)
        drop(flop.loc[df.index].isna() & ~has_total, "no FLOP per pass" + (" or parameter count" if rules.fill_flop_from_parameters else ""))
        df["compute"] = flop.loc[df.index]
        if measure == "network_operations":
            ops = df["compute"] * df["train_examples"] * df["epochs"] * rules.passes_per_example
            # the source's own total training FLOP wins where it exists (WMT "#flops")
            ops = _numeric(df, "train_flop").where(lambda v: v > 0, ops)
            drop(ops.isna(), "no training examples or epochs")
            df["compute"] = ops.loc[df.index]
    else:  # hardware burden, GFLOP = peak GFLOPS of all processors x seconds
        if not rules.parsed_train_time and "train_seconds_method" in df.columns:
            parsed = df["train_seconds"].notna() & (df["train_seconds_method"].astype(str) != "time_sec")
            drop(parsed, "training time only as free text (parsed_train_time=False)")
        total = _numeric(df, "hardware_gflops_total")
        count = df["processor_count"]
        if rules.missing_processor_count == "assume_one":
            count = count.fillna(1.0)
        total = total.where(total.notna(), count * df["processor_gflops"])
        drop(total.isna(), "no processor GFLOPS")
        drop(df["train_seconds"].isna(), "no training time")
        df["compute"] = (total.loc[df.index] * df["train_seconds"]).astype(float)
    drop(~(df["compute"] > 0), "non-positive compute")

    # 5. reference normalisation (per-pass only)
    reference_value = None
    if rules.reference_model and measure == "per_pass":
        names = df["model"].astype(str).str.strip().str.lower()
        ref = df.loc[names == rules.reference_model.lower(), "compute"]
        if ref.empty:
            raise ParameterError("reference_model", f"model '{rules.reference_model}' has no per-pass FLOP in the sample")
        reference_value = float(ref.iloc[0])
        df["compute"] = df["compute"] / reference_value

    # 6. which rows count
    if rules.drop_duplicates:
        drop(df.duplicated(subset=["paper", "model", "error_rate", "compute"], keep="first"), "duplicate row")
    if rules.rows != "all":
        keys = ["paper"] if rules.rows == "best_per_paper" else ["paper", "compute"]
        best = df.sort_values(["error_rate"], kind="mergesort").groupby(keys, sort=False).head(1).index
        drop(~df.index.isin(best), "not the best model of its paper" + (" and compute" if rules.rows == "best_per_paper_compute" else ""))

    out = pd.DataFrame(
        {
            "model": df["model"].astype(str),
            "paper": df["paper"],
            "year": df["year"],
            "error_rate": df["error_rate"].astype(float),
            "compute": df["compute"].astype(float),
            "log10_compute": np.log10(df["compute"].astype(float)),
            "flop_filled": df["flop_filled"].astype(bool),
            "extra_data": extra.loc[df.index].astype(bool),
            "source_line": df["source_line"] if "source_line" in df.columns else pd.Series(pd.NA, index=df.index),
        }
    ).reset_index(drop=True)
    return Sample(
        benchmark=benchmark,
        measure=measure,
        compute_unit=COMPUTE_UNITS[measure],
        rules=rules,
        frame=out,
        dropped=dropped,
        candidates=candidates,
        reference_value=reference_value,
        conversion=conversion,
    )


def replace_rules(rules: SelectionRules, **changes: Any) -> SelectionRules:
    """A copy of ``rules`` with some fields changed (validated)."""
    return dataclasses.replace(rules, **changes)


__all__ = [
    "BENCHMARKS",
    "COMPUTE_UNITS",
    "ConversionFit",
    "MEASURES",
    "PAPER_BENCHMARKS",
    "Sample",
    "SelectionRules",
    "build_sample",
    "fit_conversion",
    "replace_rules",
]
