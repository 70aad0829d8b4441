"""Column contracts of the tidy tables in the catalog.

Every capability codes against these names. Units are explicit in the names.
All tables also carry the provenance columns ``source_file`` (file name inside
the data directory), ``source_line`` (1-based line number in that file, header
= line 1) and ``source_version`` (e.g. the snapshot date in the file name).
"""

from __future__ import annotations

PROVENANCE = ["source_file", "source_line", "source_version"]

# One row per AI model (Epoch "AI Models" export).
MODELS = [
    "model",                # str, model name (unique key together with publication_date)
    "domain",               # str, e.g. "Language", "Vision" (Epoch's, may list several joined by ',')
    "task",                 # str | None
    "organization",         # str
    "organization_type",    # str, e.g. "Industry", "Academia"
    "countries",            # list[str]
    "authors",              # list[str]
    "publication_date",     # datetime64[ns]
    "parameters",           # float, count
    "train_flop",           # float, reported training compute (FLOP)
    "dataset_size",         # float, datapoints
    "epochs",               # float
    "train_hours",          # float, wall-clock training hours
    "hardware",             # str | None, training hardware name as Epoch records it
    "hardware_quantity",    # float, number of chips
    "utilization",          # float in [0, 1] | NaN (hardware utilization / MFU)
    "citations",            # float
    "link",                 # str | None
    "arxiv_id",             # str | None, e.g. "1706.03762" (no version suffix)
    "abstract",             # str | None
    "notability",           # str | None, Epoch's notability criteria
    "confidence",           # str | None, Epoch's confidence label for the compute figure
    "reference",            # str | None, title of the paper or post Epoch cites
] + PROVENANCE

# One row per chip; Epoch rows first, then the Thompson et al. gpu/cpu/tpu rows.
HARDWARE = [
    "name",                         # str, canonical name
    "aliases",                      # list[str], other names used for the chip
    "manufacturer",                 # str | None
    "type",                         # str: GPU / TPU / CPU / ASIC ...
    "release_date",                 # datetime64[ns] (year-only sources: 1 July of that year, see notes)
    "peak_flop_per_s_fp64",         # float, FLOP/s
    "peak_flop_per_s_fp32",
    "peak_flop_per_s_tf32",
    "peak_flop_per_s_fp16",         # non-tensor half precision
    "peak_flop_per_s_tensor_fp16",  # tensor-core FP16/BF16
    "peak_flop_per_s_fp8",
    "peak_op_per_s_int8",
    "memory_bytes",
    "memory_bandwidth_byte_per_s",
    "tdp_w",
    "price_usd",
    "source",                       # "epoch" | "thompson_gpu" | "thompson_cpu" | "thompson_tpu"
    "value_sources",                # str (JSON object): column -> source of that number
] + PROVENANCE

# One row per (benchmark, model, paper) from the Thompson et al. benchmark files.
BENCHMARK_RESULTS = [
    "benchmark",            # "imagenet" | "ms_coco" | "squad_1_1" | "conll2003" | "wmt2014_en_fr" | "wmt2014_en_de"
    "task",                 # "image classification", "object detection", ...
    "model",                # str
    "paper_title",          # str | None
    "url",                  # str | None
    "arxiv_id",             # str | None
    "year",                 # int (the source has only the year)
    "metric_name",          # headline metric: "top1_error_pct", "box_ap", "f1", "em", "bleu"
    "metric_value",         # float, headline metric as published
    "metrics",              # str (JSON object) of all metrics in the row, name -> value
    "error_rate",           # float in [0, 1] derived from the headline metric (see loaders)
    "forward_flop",         # float, FLOP per forward pass (2 x multiply-adds when only those are given)
    "parameters",           # float
    "epochs",               # float
    "train_examples",       # float
    "processor_type",       # "gpu" | "tpu" | "cpu" | None
    "processor_name",       # str | None
    "processor_count",      # float
    "train_seconds",        # float | NaN
    "train_time_text",      # str | None, the original free text
    "processor_gflops",     # float, per-device peak GFLOPS = hardware_gflops_total / processor_count
    "extra_data",           # bool | None, model trained with extra data beyond the benchmark's training set
    "train_flop",           # float, total training compute (FLOP) where the source gives it (WMT "#flops")
    "train_seconds_method", # "time_sec" | "parsed" | "range_midpoint" | None: where train_seconds came from
    "hardware_gflops_total",# float, the source's hw_gflops: peak GFLOPS of all devices together
    "comments",             # str | None, the source's free-text comments (ImageNet)
] + PROVENANCE

# Rejected source rows (``--skip-bad-rows``).
REJECTS = ["source_file", "source_line", "column", "reason", "raw"]

TABLES = {
    "models": MODELS,
    "hardware": HARDWARE,
    "benchmark_results": BENCHMARK_RESULTS,
    "rejects": REJECTS,
}
