"""Loaders for the files behind Thompson, Greenewald, Lee and Manso, "The
Computational Limits of Deep Learning": six benchmark files and the
gpu/cpu/tpu processor lists.

Benchmark files (one row per (benchmark, model, paper) result)
---------------------------------------------------------------
Headline metric and ``error_rate`` in [0, 1] (all scores are published in percent):

============== ================ =============================
benchmark      headline metric  error_rate
============== ================ =============================
imagenet       top-1 error (%)  top1 / 100
ms_coco        box AP (%)       1 - box_ap / 100
squad_1_1      F1 (%)           1 - f1 / 100   (EM is kept in ``metrics``)
conll2003      F1 (%)           1 - f1 / 100
wmt2014_en_fr  BLEU (0-100)     1 - bleu / 100
wmt2014_en_de  BLEU (0-100)     1 - bleu / 100
============== ================ =============================

Other columns:
- ``forward_flop``: the ``flops`` column (FLOP per forward pass); when only
  multiply-adds are given, 2 x multiply-adds. In the WMT files ``#flops`` is
  the *total training* compute of the paper (e.g. 2.3e19 for Transformer
  Big), so it goes to ``train_flop``, not ``forward_flop``.
- ``hardware_gflops_total``: the source's ``hw_gflops``, which is the peak
  GFLOPS of *all* devices together (e.g. 4 x Titan X = 4.39e4);
  ``processor_gflops`` = that total / ``processor_count`` (per device).
- ``train_seconds``: ``time_sec`` when filled (it wins), else the free text
  parsed by :func:`aiprogress.data.timeparse.parse_duration` (``"3days"`` ->
  259200 s); text that is not an unambiguous duration ("160k iterations")
  leaves it NaN. ``train_seconds_method`` says which: ``time_sec`` /
  ``parsed`` / ``range_midpoint`` / None. The text is kept in ``train_time_text``.
- ``extra_data``: True/False only where the source says so in ``comments``
  or the model name ("extra data", "JFT", "Instagram", ...); otherwise None.
  (The released files never say it, so the column is None throughout.)
- Row counts: every CSV record is a row. The data README gives one less row
  per file (163, 94, 59, 39, 31, 42; gpu 499, cpu 1218, tpu 5) because the
  files have no newline after their last record, so ``wc -l`` undercounts by
  one; there are no blank, duplicate or footer rows.

Blank model names are unknown, not errors: squad_1_1.csv line 40 (a
"Phase Conductor" result) has none and is kept with ``model = None``.

Duplicate rule: a benchmark row repeating the model, paper title, URL and
headline score of an earlier row is a duplicate. The same model in the same
paper with a *different* score is a different setting (e.g. Noisy Student
11.6 % vs 12.6 % top-1 error) and is kept.

Processor files
---------------
``gpu.csv`` GFLOPS and ``tpu.csv`` GFLOPS (FP32) are FP32 peak rates ->
x 1e9 FLOP/s; ``cpu.csv`` GFLOPS(FP32) likewise. Memory size is in MiB,
memory speed in GB/s. Release dates are year-only: stored as 1 July of that
year. ``gpu.csv`` repeats three names with a different year and specs
(e.g. "Tesla V100 SXM2 16 GB" 2017 and 2019): rows are keyed by (name, year).
``cpu.csv`` repeats four names with different clock, core count or code-name
spelling: rows are duplicates only when every field is equal.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.data import schema
from aiprogress.data.csvio import Checker, arxiv_id, read_csv_records, resolve_columns, source_version
from aiprogress.data.ranges import maximum
from aiprogress.data.timeparse import parse_duration


@dataclass(frozen=True)
class Metric:
    name: str  # name in ``metrics`` JSON
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class BenchmarkSpec:
    benchmark: str
    task: str
    headline: Metric
    headline_is_error: bool  # True: error_rate = v/100; False: 1 - v/100
    others: tuple[Metric, ...]
    flops_is_training: bool = False


BENCHMARKS: dict[str, BenchmarkSpec] = {
    "imagenet": BenchmarkSpec(
        "imagenet", "image classification", Metric("top1_error_pct", ("top1_error",), True), True,
        (Metric("top5_error_pct", ("top5_error",)),),
    ),
    "ms_coco": BenchmarkSpec(
        "ms_coco", "object detection", Metric("box_ap", ("BOX_AP", "box AP"), True), False,
        tuple(Metric(n, (h,)) for n, h in [("ap50", "AP50"), ("ap75", "AP75"), ("ap_s", "APS"), ("ap_m", "APM"), ("ap_l", "APL")]),
    ),
    "squad_1_1": BenchmarkSpec(
        "squad_1_1", "question answering", Metric("f1", ("F1",), True), False, (Metric("em", ("EM",)),),
    ),
    "conll2003": BenchmarkSpec(
        "conll2003", "named entity recognition", Metric("f1", ("F1",), True), False, (),
    ),
    "wmt2014_en_fr": BenchmarkSpec(
        "wmt2014_en_fr", "machine translation", Metric("bleu", ("BLEU",), True), False,
        (Metric("sacrebleu", ("SACREBLEU",)),), flops_is_training=True,
    ),
    "wmt2014_en_de": BenchmarkSpec(
        "wmt2014_en_de", "machine translation", Metric("bleu", ("BLEU",), True), False,
        (Metric("sacrebleu", ("SACREBLEU",)),), flops_is_training=True,
    ),
}

COMMON_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "model": (("model", "method"), True),
    "paper_title": (("title", "paper"), True),
    "url": (("url", "paper"), True),
    "year": (("year",), True),
    "flops": (("flops", "#flops"), False),
    "multiadds": (("multiadds", "#multiply-adds", "multiply-adds"), False),
    "parameters": (("#params", "#param", "params"), False),
    "epochs": (("#epochs", "epochs"), False),
    "train_examples": (("#training_data", "#data points"), False),
    "gpu": (("gpu",), False),
    "n_gpu": (("#gpu",), False),
    "tpu": (("tpu",), False),
    "n_tpu": (("#tpu",), False),
    "cpu": (("cpu",), False),
    "n_cpu": (("#cpu",), False),
    "time_text": (("training_time", "hw time", "time"), False),
    "time_sec": (("time_sec",), False),
    "hw_gflops": (("hw_gflops",), False),
    "comments": (("comments",), False),
}

# The fixed layouts: optional columns each shipped file has (a missing one is
# reported; an unknown column resembling it is a probable rename, an error),
# and the columns no table uses.
LAYOUT: dict[str, tuple[str, ...]] = {
    "imagenet": ("flops", "multiadds", "parameters", "epochs", "train_examples", "gpu", "n_gpu", "tpu", "n_tpu",
                 "time_text", "time_sec", "hw_gflops", "comments", "metric:top5_error_pct"),
    "ms_coco": ("flops", "parameters", "epochs", "gpu", "n_gpu", "cpu", "n_cpu", "time_text", "time_sec", "hw_gflops",
                "metric:ap50", "metric:ap75", "metric:ap_s", "metric:ap_m", "metric:ap_l"),
    "squad_1_1": ("parameters", "epochs", "gpu", "n_gpu", "tpu", "n_tpu", "time_text", "time_sec", "hw_gflops", "metric:em"),
    "conll2003": ("flops", "parameters", "epochs", "train_examples", "gpu", "n_gpu", "tpu", "n_tpu", "cpu", "n_cpu",
                  "time_text", "time_sec", "hw_gflops"),
    "wmt2014_en_fr": ("flops", "multiadds", "parameters", "epochs", "train_examples", "gpu", "n_gpu", "tpu", "n_tpu",
                      "time_text", "time_sec", "hw_gflops", "metric:sacrebleu"),
    "wmt2014_en_de": ("flops", "multiadds", "parameters", "epochs", "train_examples", "gpu", "n_gpu", "tpu", "n_tpu",
                      "time_text", "time_sec", "hw_gflops", "metric:sacrebleu"),
    "gpu": ("manufacturer", "class", "memory_mib", "memory_gb_s", "tdp"),
    "cpu": ("manufacturer", "year", "tdp", "clock", "cores"),
    "tpu": (),
}
IGNORED = ("dataset", "Platform", "authors_implementation", "others implemtation", "authors implementation", "id",
           "CPU Family", "CPU Model", "Processor Code Name", "Transistors (mln)", "Die size mmˆ2", "FP32")
DISABLES = {
    "time_sec": "train_seconds comes only from the free-text training time",
    "time_text": "train_seconds comes only from time_sec",
    "hw_gflops": "processor_gflops and the hardware burden are empty",
    "flops": "forward_flop comes only from multiply-adds (or is empty)",
}

_EXTRA_TRUE = re.compile(r"extra (training )?data|external data|additional (training )?data|\bJFT\b|instagram", re.I)
_EXTRA_FALSE = re.compile(r"(without|no) (extra|external|additional) (training )?data", re.I)


def _extra_data(*texts: object) -> bool | None:
    for t in texts:
        if t is None or (isinstance(t, float) and np.isnan(t)):
            continue
        if _EXTRA_FALSE.search(str(t)):
            return False
        if _EXTRA_TRUE.search(str(t)):
            return True
    return None


def _spec_for(benchmark: str) -> dict[str, tuple[tuple[str, ...], bool]]:
    spec = dict(COMMON_COLUMNS)
    b = BENCHMARKS[benchmark]
    spec["headline"] = (b.headline.aliases, True)
    for m in b.others:
        spec["metric:" + m.name] = (m.aliases, m.required)
    return spec


def load_benchmark(
    benchmark: str, path: Path, *, display: str | None = None, skip_bad_rows: bool = False,
    warnings: list[dict[str, Any]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One Thompson et al. benchmark file -> (``benchmark_results`` rows, rejects)."""
    b = BENCHMARKS[benchmark]
    raw = read_csv_records(path, display)
    cols = resolve_columns(raw, _spec_for(benchmark), fixed_layout=True, ignored=IGNORED, expected=LAYOUT[benchmark],
                           disables=DISABLES, warnings=warnings)
    chk = Checker(raw, skip_bad_rows=skip_bad_rows)
    n = raw.n
    out = pd.DataFrame(index=range(n))
    out["benchmark"] = benchmark
    out["task"] = b.task
    out["model"] = chk.text(cols["model"])
    out["paper_title"] = chk.text(cols["paper_title"])
    out["url"] = chk.text(cols["url"])
    out["arxiv_id"] = out["url"].map(arxiv_id)
    out["year"] = chk.year(cols["year"])

    pct = dict(minimum=0, maximum=100, what="a score in percent")
    headline = chk.number(cols["headline"], **pct)
    out["metric_name"] = b.headline.name
    out["metric_value"] = headline
    metric_values = {b.headline.name: headline}
    for m in b.others:
        metric_values[m.name] = chk.number(cols["metric:" + m.name], **pct)
    out["metrics"] = [
        json.dumps({k: float(v[i]) for k, v in metric_values.items() if not np.isnan(v[i])}, sort_keys=True)
        for i in range(n)
    ]
    out["error_rate"] = headline / 100.0 if b.headline_is_error else 1.0 - headline / 100.0

    big = maximum("benchmark.flop")
    flops = chk.number(cols["flops"], minimum=0, plausible=big, what="a non-negative FLOP count")
    madds = chk.number(cols["multiadds"], minimum=0, plausible=big, what="a non-negative multiply-add count")
    if b.flops_is_training:
        out["forward_flop"] = 2.0 * madds
        out["train_flop"] = flops
    else:
        out["forward_flop"] = flops.where(flops.notna(), 2.0 * madds)
        out["train_flop"] = np.nan
    out["parameters"] = chk.number(cols["parameters"], minimum=0, plausible=maximum("benchmark.parameters"),
                                   what="a non-negative parameter count")
    out["epochs"] = chk.number(cols["epochs"], minimum=0, plausible=maximum("benchmark.epochs"), what="a non-negative number of epochs")
    out["train_examples"] = chk.number(cols["train_examples"], minimum=0, plausible=maximum("benchmark.train_examples"),
                                       what="a non-negative example count")

    names, counts = {}, {}
    for kind in ("gpu", "tpu", "cpu"):
        names[kind] = chk.text(cols[kind])
        counts[kind] = chk.number(cols["n_" + kind], minimum=0, plausible=maximum("benchmark.processor_count"),
                                  what=f"a non-negative {kind.upper()} count")
    ptype: list[str | None] = []
    pname: list[str | None] = []
    pcount: list[float] = []
    for i in range(n):
        kinds = [k for k in ("tpu", "gpu", "cpu") if names[k].iloc[i] is not None or not np.isnan(counts[k].iloc[i])]
        if not kinds:
            ptype.append(None), pname.append(None), pcount.append(np.nan)
            continue
        k = kinds[0]  # a row names one kind of processor; TPU first if several were filled
        ptype.append(k), pname.append(names[k].iloc[i]), pcount.append(float(counts[k].iloc[i]))
    out["processor_type"] = ptype
    out["processor_name"] = pname
    out["processor_count"] = pcount

    time_text = chk.text(cols["time_text"])
    time_sec = chk.number(cols["time_sec"], minimum=0, plausible=maximum("benchmark.time_sec"), what="a non-negative time in seconds")
    parsed = [parse_duration(t) for t in time_text]
    secs = np.array([np.nan if p[0] is None else p[0] for p in parsed])
    method = np.array([p[1] for p in parsed], dtype=object)
    has_sec = time_sec.notna().to_numpy()
    out["train_seconds"] = np.where(has_sec, time_sec.to_numpy(), secs)
    out["train_seconds_method"] = np.where(has_sec, "time_sec", method)
    out["train_time_text"] = time_text

    total = chk.number(cols["hw_gflops"], minimum=0, plausible=maximum("benchmark.hw_gflops"), what="a non-negative GFLOPS value")
    out["hardware_gflops_total"] = total
    out["processor_gflops"] = total / out["processor_count"].where(out["processor_count"] > 0)
    comments = chk.text(cols["comments"])
    out["extra_data"] = [_extra_data(c, m) for c, m in zip(comments, out["model"])]
    out["comments"] = comments

    keys = out[["model", "paper_title", "url", "metric_value"]].astype(str)
    chk.duplicates(keys, cols["model"], "result (model, paper, headline score)")
    keep, rejects = chk.finish()
    out["source_file"] = raw.display
    out["source_line"] = raw.lines
    out["source_version"] = source_version(path)
    extra = [c for c in out.columns if c not in schema.BENCHMARK_RESULTS]
    return out[schema.BENCHMARK_RESULTS + extra].loc[keep].reset_index(drop=True), rejects


# --- processor lists --------------------------------------------------------

GPU_COLUMNS = {
    "name": (("GPU",), True), "manufacturer": (("Manufacturer",), False), "class": (("Class",), False),
    "year": (("Year",), True), "memory_mib": (("Memory size",), False), "memory_gb_s": (("Memory speed",), False),
    "gflops": (("GFLOPS", "GFLOPS (FP32)"), True), "tdp": (("TDP",), False),
}
CPU_COLUMNS = {
    "name": (("CPU",), True), "manufacturer": (("CPU Designer",), False), "year": (("Year",), False),
    "tdp": (("TDP",), False), "gflops": (("GFLOPS(FP32)", "GFLOPS (FP32)"), True),
    "clock": (("Processor Clock [MHz]",), False), "cores": (("Cores",), False),
}
TPU_COLUMNS = {
    "name": (("TPU",), True), "year": (("Release Year", "Year"), True), "gflops": (("GFLOPS (FP32)", "GFLOPS"), True),
}


def _year_date(year: pd.Series) -> pd.Series:
    y = year.astype("Float64")
    return pd.to_datetime({"year": y.fillna(2000).astype(int), "month": 7, "day": 1}).where(y.notna().to_numpy(), pd.NaT).astype("datetime64[ns]")


def load_processors(
    kind: str, path: Path, *, display: str | None = None, skip_bad_rows: bool = False,
    warnings: list[dict[str, Any]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``gpu.csv`` / ``cpu.csv`` / ``tpu.csv`` -> (hardware rows with source 'thompson_<kind>', rejects)."""
    spec = {"gpu": GPU_COLUMNS, "cpu": CPU_COLUMNS, "tpu": TPU_COLUMNS}[kind]
    raw = read_csv_records(path, display)
    cols = resolve_columns(raw, spec, fixed_layout=True, ignored=IGNORED, expected=LAYOUT[kind], warnings=warnings)
    chk = Checker(raw, skip_bad_rows=skip_bad_rows)
    n = raw.n
    out = pd.DataFrame(index=range(n))
    out["name"] = chk.text(cols["name"])
    chk.add(out["name"].isna(), cols["name"], "blank processor name", out["name"], "a processor name")
    out["aliases"] = [[] for _ in range(n)]
    out["manufacturer"] = chk.text(cols.get("manufacturer")) if kind != "tpu" else "Google"
    out["type"] = kind.upper()
    year = chk.year(cols.get("year"))
    out["release_date"] = _year_date(year)
    for c in ("peak_flop_per_s_fp64", "peak_flop_per_s_tf32", "peak_flop_per_s_fp16", "peak_flop_per_s_tensor_fp16",
              "peak_flop_per_s_fp8", "peak_op_per_s_int8", "price_usd"):
        out[c] = np.nan
    out["peak_flop_per_s_fp32"] = chk.number(cols["gflops"], minimum=0, plausible=maximum("processor.gflops"),
                                             what="a non-negative GFLOPS value") * 1e9
    if kind == "gpu":
        out["memory_bytes"] = chk.number(cols["memory_mib"], minimum=0, plausible=maximum("processor.memory_mib"),
                                         what="a non-negative memory size (MiB)") * 2.0**20
        out["memory_bandwidth_byte_per_s"] = chk.number(cols["memory_gb_s"], minimum=0, plausible=maximum("processor.memory_gb_s"),
                                                        what="a non-negative bandwidth (GB/s)") * 1e9
    else:
        out["memory_bytes"] = np.nan
        out["memory_bandwidth_byte_per_s"] = np.nan
    out["tdp_w"] = chk.number(cols.get("tdp"), minimum=0, plausible=maximum("processor.tdp"), what="a non-negative TDP (W)")
    if kind == "cpu":
        chk.number(cols.get("clock"), minimum=0, plausible=maximum("processor.clock"), what="a non-negative clock (MHz)")
        keys = raw.frame.astype(str)
    else:
        keys = pd.DataFrame({"name": out["name"].astype(str), "year": year.astype(str)})
    chk.duplicates(keys, cols["name"], f"{kind.upper()} (name, year)" if kind != "cpu" else "CPU record")
    keep, rejects = chk.finish()
    source = f"thompson_{kind}"
    out["source"] = source
    numbers = ["peak_flop_per_s_fp32", "memory_bytes", "memory_bandwidth_byte_per_s", "tdp_w"]
    out["value_sources"] = [
        json.dumps({k: source for k in numbers if not np.isnan(r[k])}, sort_keys=True) for r in out[numbers].to_dict(orient="records")
    ]
    out["source_file"] = raw.display
    out["source_line"] = raw.lines
    out["source_version"] = source_version(path)
    return out[schema.HARDWARE].loc[keep].reset_index(drop=True), rejects


# --- merging Thompson processors into Epoch rows -----------------------------

_VENDOR_WORDS = re.compile(r"\b(nvidia|amd|google|cloud|tesla|geforce|intel)\b", re.I)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def match_thompson_to_epoch(epoch_names: list[str], name: str) -> int | None:
    """Index of the Epoch chip that a Thompson GPU/TPU name denotes, or None.

    Tier 1: the names are equal ignoring case, spaces and punctuation, with an
    optional "NVIDIA"/"Google"/"AMD" prefix on the Epoch side. Tier 2: also
    ignoring vendor and brand words (NVIDIA, AMD, Google, Cloud, Tesla, GeForce,
    Intel). A tier matches only when it finds exactly one Epoch chip.
    """
    target = _squash(name)
    squashed, bare = _squashed(tuple(epoch_names))
    tier1 = [i for i, e in enumerate(squashed) if e in (target, "nvidia" + target, "google" + target, "amd" + target)]
    if len(tier1) == 1:
        return tier1[0]
    if len(tier1) > 1:
        return None
    t2 = _squash(_VENDOR_WORDS.sub(" ", name))
    tier2 = [i for i, e in enumerate(bare) if e == t2]
    return tier2[0] if len(tier2) == 1 else None


@functools.lru_cache(maxsize=8)
def _squashed(epoch_names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The Epoch names squashed for tier 1 and tier 2 (computed once per name list)."""
    return [_squash(e) for e in epoch_names], [_squash(_VENDOR_WORDS.sub(" ", e)) for e in epoch_names]


MERGE_NUMBERS = ["peak_flop_per_s_fp32", "memory_bytes", "memory_bandwidth_byte_per_s", "tdp_w"]


def merge_hardware(epoch: pd.DataFrame, thompson: list[pd.DataFrame]) -> pd.DataFrame:
    """Epoch rows (with Thompson names as aliases and gaps filled) followed by the Thompson rows.

    Only GPU and TPU rows are matched (Epoch lists accelerators). For each
    matched Epoch chip, a number the Epoch row lacks is filled from the first
    matching Thompson row that has it; ``value_sources`` records
    ``"thompson_gpu:gpu.csv:<line>"`` for such a number.
    """
    epoch = epoch.copy()
    names = epoch["name"].astype(str).tolist()
    aliases = [list(a) for a in epoch["aliases"]]
    vsrc = [json.loads(v) for v in epoch["value_sources"]]
    for frame in thompson:
        for row in frame.itertuples(index=False):
            if row.source not in ("thompson_gpu", "thompson_tpu"):
                continue
            j = match_thompson_to_epoch(names, row.name)
            if j is None:
                continue
            if row.name not in aliases[j] and row.name != names[j]:
                aliases[j].append(row.name)
            for col in MERGE_NUMBERS:
                val = getattr(row, col)
                if np.isnan(epoch.iat[j, epoch.columns.get_loc(col)]) and not np.isnan(val):
                    epoch.iat[j, epoch.columns.get_loc(col)] = val
                    vsrc[j][col] = f"{row.source}:{row.source_file}:{row.source_line}"
    epoch["aliases"] = aliases
    epoch["value_sources"] = [json.dumps(v, sort_keys=True) for v in vsrc]
    parts = [epoch] + [f for f in thompson if len(f)]
    return pd.concat(parts, ignore_index=True)[schema.HARDWARE]
