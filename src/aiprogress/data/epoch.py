"""Loaders for the Epoch AI exports: "AI Models" and "Machine Learning Hardware".

Epoch renames columns between releases; :data:`MODEL_COLUMNS` and
:data:`HARDWARE_COLUMNS` list the known names of each column (preferred
first). A file missing a required column is an unknown layout and fails with
an :class:`~aiprogress.errors.InputError` naming the file and the column.

Duplicate rule (models): two rows are duplicates when they share the model
name, publication date, organization, parameter count and training compute.
The 2025-03 export has two pairs of same-named rows and neither is a
duplicate under this rule: "AMPLIFY" appears twice with different
organization lists (Epoch recorded the lab separately) and "SigLIP" twice
with different parameter counts (two model sizes). Both rows are kept.
Rows without a model name (the 2025-03 export has three, with only
``Confidence`` and ``Last modified`` filled: Epoch placeholders) are kept
with ``model = None`` so row counts match the source, and are not checked
for duplicates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.data import parallel, schema
from aiprogress.data.csvio import (
    Checker,
    arxiv_ids,
    read_csv_records,
    resolve_columns,
    source_version,
    split_list,
    unique_ordered,
)
from aiprogress.data.ranges import maximum

# key -> (known header names, required)
MODEL_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "model": (("Model", "System"), True),
    "domain": (("Domain",), True),
    "task": (("Task",), False),
    "organization": (("Organization",), True),
    "organization_type": (("Organization categorization", "Organization type", "Organization categorization (from Organization)"), False),
    "countries": (("Country (from Organization)", "Country (of organization)", "Country"), True),
    "authors": (("Authors",), False),
    "publication_date": (("Publication date",), True),
    "parameters": (("Parameters",), True),
    "train_flop": (("Training compute (FLOP)", "Training compute (FLOPs)", "Training compute"), True),
    "dataset_size": (("Training dataset size (datapoints)", "Training dataset size (total)", "Training dataset size"), False),
    "epochs": (("Epochs",), False),
    "train_hours": (("Training time (hours)",), False),
    "hardware": (("Training hardware",), False),
    "hardware_quantity": (("Hardware quantity",), False),
    "utilization": (("Hardware utilization", "Hardware utilization (MFU)", "Hardware utilization (HFU)"), False),
    "citations": (("Citations", "Citations (Semantic Scholar)"), False),
    "link": (("Link",), False),
    "abstract": (("Abstract",), False),
    "notability": (("Notability criteria",), False),
    "confidence": (("Confidence",), False),
    "reference": (("Reference",), False),
}

# Columns of the shipped export that no table uses (not reported as unknown).
MODEL_IGNORED = (
    "Notability criteria notes", "Parameters notes", "Training compute lower bound", "Training compute upper bound",
    "Training compute notes", "Training dataset", "Training dataset notes", "Dataset size notes", "Training time notes",
    "Approach", "Benchmark data", "Model accessibility", "Last modified", "Base model", "Finetune compute (FLOP)",
    "Finetune compute notes", "Training cloud compute vendor", "Training data center", "Archived links", "Batch size",
    "Batch size notes", "Foundation model",
)

_HW_TIME = "compute validate will consider 0 runs (hardware time needs Training hardware, Hardware quantity and Training time)"
# What a missing optional column turns off (for the build summary).
MODEL_DISABLES = {
    "hardware": _HW_TIME,
    "hardware_quantity": _HW_TIME,
    "train_hours": _HW_TIME,
    "utilization": "compute validate uses the default utilization 0.3 for every run",
    "notability": "trends doubling finds 0 notable models (only --all-models works)",
    "link": "arxiv_id is empty, so joins on arXiv ids (ideas' Epoch proxies) find nothing",
    "citations": "citation counts are empty",
    "dataset_size": "dataset sizes are empty",
    "epochs": "epoch counts are empty",
}

# Optional columns the shipped export has (a missing one is reported); Epoch's 2025-03 export has no "Task".
MODEL_EXPECTED = tuple(k for k, (_names, required) in MODEL_COLUMNS.items() if not required and k != "task")

HARDWARE_IGNORED = (
    "Notes", "FP4 performance (FLOP/s)", "Intranode bandwidth (byte/s)", "Internode bandwidth (bit/s)",
    "INT16 performance (OP/s)", "INT4 performance (OP/s)", "Foundry", "Die Size (mm^2)", "Base clock (MHz)",
    "Boost clock (MHz)", "Memory clock (MHz)", "Memory bus (bit)", "Tensor cores", "Process size (nm)",
    "Transistors (millions)", "Link to datasheet", "Source for the price", "ML models", "Last modified",
    "Max performance", "Energy efficiency", "Total processing performance (bit-OP/s)", "Price-performance", "ML OP/s",
)

HARDWARE_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "name": (("Hardware name", "Name"), True),
    "manufacturer": (("Manufacturer",), True),
    "type": (("Type",), False),
    "release_date": (("Release date",), True),
    "price_usd": (("Release price (USD)", "Price (USD)"), False),
    "peak_flop_per_s_tensor_fp16": (("Tensor-FP16/BF16 performance (FLOP/s)", "Tensor FP16/BF16 performance (FLOP/s)"), False),
    "peak_flop_per_s_fp8": (("FP8 performance (FLOP/s)",), False),
    "memory_bytes": (("Memory (bytes)",), False),
    "memory_bandwidth_byte_per_s": (("Memory bandwidth (byte/s)",), False),
    "tdp_w": (("TDP (W)",), False),
    "peak_flop_per_s_fp64": (("FP64 (double precision) performance (FLOP/s)", "FP64 performance (FLOP/s)"), False),
    "peak_flop_per_s_fp32": (("FP32 (single precision) performance (FLOP/s)", "FP32 performance (FLOP/s)"), True),
    "peak_flop_per_s_tf32": (("TF32 (TensorFloat-32) performance (FLOP/s)", "TF32 performance (FLOP/s)"), False),
    "peak_flop_per_s_fp16": (("FP16 (half precision) performance (FLOP/s)", "FP16 performance (FLOP/s)"), False),
    "peak_op_per_s_int8": (("INT8 performance (OP/s)",), False),
}

PEAK_COLUMNS = [
    "peak_flop_per_s_fp64",
    "peak_flop_per_s_fp32",
    "peak_flop_per_s_tf32",
    "peak_flop_per_s_fp16",
    "peak_flop_per_s_tensor_fp16",
    "peak_flop_per_s_fp8",
    "peak_op_per_s_int8",
]
HARDWARE_NUMBERS = PEAK_COLUMNS + ["memory_bytes", "memory_bandwidth_byte_per_s", "tdp_w", "price_usd"]
PROSE = ("abstract",)  # may keep control characters (PDF text extraction)


def note_control(chk: Checker, cols: dict[str, str | None], warnings: list[dict[str, Any]] | None) -> None:
    """Count prose cells that kept control characters (for the build summary)."""
    if warnings is None:
        return
    for column, count in chk.control_kept.items():
        warnings.append({"file": chk.raw.display, "column": column,
                         "message": f"{count} cell(s) of '{column}' hold control characters (kept: free text)"})


def _provenance(frame: pd.DataFrame, raw_display: str, lines: np.ndarray, version: str) -> pd.DataFrame:
    frame["source_file"] = raw_display
    frame["source_line"] = lines.astype("int64")
    frame["source_version"] = version
    return frame


TEXT_KEYS = ("model", "domain", "task", "organization", "organization_type", "hardware", "link", "abstract",
             "notability", "confidence", "reference")
NUMBER_KEYS = (("parameters", "a non-negative parameter count"), ("train_flop", "a non-negative training compute (FLOP)"),
               ("dataset_size", "a non-negative dataset size"), ("epochs", "a non-negative number of epochs"),
               ("train_hours", "a non-negative training time (hours)"),
               ("hardware_quantity", "a non-negative chip count"), ("citations", "a non-negative citation count"))
DUP_KEYS = ["model", "publication_date", "organization", "parameters", "train_flop"]
DUP_WHAT = "model (name, date, organization, parameters, compute)"


def load_models(
    path: Path, *, display: str | None = None, skip_bad_rows: bool = False, warnings: list[dict[str, Any]] | None = None,
    arrow: bool = False,
) -> tuple[Any, pd.DataFrame]:
    """Epoch "AI Models" export -> (``models`` table, rejects); layout notes go to ``warnings``.

    The table is a pandas DataFrame; with ``arrow`` it is a pyarrow Table when the
    fast reader read the file (the same cells and types: see :func:`aiprogress.data.arrowcheck.to_pandas`)."""
    raw = read_csv_records(path, display, columns=[a for names, _req in MODEL_COLUMNS.values() for a in names])
    cols = resolve_columns(raw, MODEL_COLUMNS, ignored=MODEL_IGNORED, expected=MODEL_EXPECTED, disables=MODEL_DISABLES,
                           warnings=warnings)
    prose = [c for k in PROSE if (c := cols[k])]
    if not isinstance(raw.cells, pd.DataFrame):
        import dataclasses

        from aiprogress.data import arrowcheck

        # the checker owns the raw columns and drops each once it is trimmed (frees the raw text early)
        columns = {h: raw.cells.column(f"f{j}") for j, h in enumerate(raw.header) if f"f{j}" in raw.cells.column_names}
        raw = dataclasses.replace(raw, cells=None)
        tbl, rejects = _load_models_arrow(raw, columns, cols, prose, skip_bad_rows, warnings, source_version(path))
        return (tbl if arrow else arrowcheck.to_pandas(tbl, ("countries", "authors"))), rejects
    chk = Checker(raw, skip_bad_rows=skip_bad_rows, prose=prose)
    out = pd.DataFrame(index=range(raw.n))
    for key in TEXT_KEYS:
        out[key] = chk.text(cols[key])
    out["countries"] = split_list(chk.text(cols["countries"])).map(unique_ordered)
    out["authors"] = split_list(chk.text(cols["authors"]))
    out["publication_date"] = chk.date(cols["publication_date"])
    for key, what in NUMBER_KEYS:
        out[key] = chk.number(cols[key], minimum=0, plausible=maximum(f"models.{key}"), what=what)
    out["utilization"] = chk.number(cols["utilization"], minimum=0, maximum=1, what="a utilization fraction")
    out["arxiv_id"] = arxiv_ids(out["link"])
    named = out["model"].notna().to_numpy()
    keys = out.loc[named, DUP_KEYS]
    if len(keys):
        _dup_on_subset(chk, keys, np.flatnonzero(named), cols["model"] or "Model", DUP_WHAT)
    keep, rejects = chk.finish()
    note_control(chk, cols, warnings)
    out = _provenance(out, raw.display, raw.lines, source_version(path))
    extra = [c for c in out.columns if c not in schema.MODELS]
    out = out[schema.MODELS + extra].loc[keep].reset_index(drop=True)
    return out, rejects


def _load_models_arrow(raw: Any, columns: dict[str, Any], cols: dict[str, str | None], prose: list[str],
                       skip_bad_rows: bool, warnings: list[dict[str, Any]] | None,
                       version: str) -> tuple[Any, pd.DataFrame]:
    """:func:`load_models` on the fast reader's Arrow cells: the same checks in the same order, as Arrow / NumPy."""
    import pyarrow as pa

    from aiprogress.data import arrowcheck
    from aiprogress.data.csvio import _ARXIV_PATTERN

    chk = arrowcheck.ArrowChecker(raw, skip_bad_rows=skip_bad_rows, prose=prose, columns=columns)
    del columns
    # one task per column (each reads only its own column), run on the cores by
    # aiprogress.data.parallel.run_all; each task notes its issues in its own checker, and they are
    # joined in task order: the same issues, in the same order, as one checker column after column
    tasks: dict[str, Any] = {key: lambda c, key=key: c.text_arrow(cols[key]) for key in TEXT_KEYS}
    tasks["countries"] = lambda c: arrowcheck.split_lists_arrow(c.text_arrow(cols["countries"]), unique=True)
    tasks["authors"] = lambda c: arrowcheck.split_lists_arrow(c.text_arrow(cols["authors"]))
    tasks["publication_date"] = lambda c: c.date_arrow(cols["publication_date"])
    for key, what in NUMBER_KEYS:
        tasks[key] = lambda c, key=key, what=what: c.number_arrow(cols[key], minimum=0, plausible=maximum(f"models.{key}"),
                                                                  what=what)
    tasks["utilization"] = lambda c: c.number_arrow(cols["utilization"], minimum=0, maximum=1,
                                                     what="a utilization fraction")
    subs = [chk.part() for _ in tasks]
    used = [cols[k] for k in tasks if cols[k]]  # a column shared by two tasks: one after the other (its cache)
    values = parallel.run_all([lambda f=f, c=c: f(c) for f, c in zip(tasks.values(), subs)],
                              workers=2 if len(set(used)) == len(used) else 1)
    chk.join(subs)
    out: dict[str, Any] = dict(zip(tasks, values))
    del tasks, subs, values
    out["arxiv_id"] = arrowcheck.extract_first_arrow(out["link"], "(?i)" + _ARXIV_PATTERN)
    named = np.flatnonzero(np.asarray(out["model"].is_valid().to_numpy(zero_copy_only=False), dtype=bool))
    chk.duplicates_arrow([out[k] for k in DUP_KEYS], named, cols["model"] or "Model", DUP_WHAT)
    keep, rejects = chk.finish()
    note_control(chk, cols, warnings)
    n = raw.n
    out["source_file"] = pa.array(np.full(n, raw.display, dtype=object), type=pa.string())
    out["source_line"] = pa.array(raw.lines.astype(np.int64))
    out["source_version"] = pa.array(np.full(n, version, dtype=object), type=pa.string())
    arrays = [out[c] if isinstance(out[c], (pa.Array, pa.ChunkedArray)) else pa.array(out[c], from_pandas=True)
              for c in schema.MODELS]
    tbl = pa.Table.from_arrays(arrays, names=list(schema.MODELS))
    if not keep.all():
        tbl = tbl.filter(pa.array(keep))
    return tbl, rejects


def _dup_on_subset(chk: Checker, keys: pd.DataFrame, positions: np.ndarray, column: str, what: str) -> None:
    """Duplicate check on a subset of rows (positions are row indices in the raw frame)."""
    dup = keys.duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    from aiprogress.data.csvio import Issue

    first: dict[tuple, int] = {}
    for j, rec in enumerate(keys.astype(str).itertuples(index=False, name=None)):
        line = int(chk.raw.lines[positions[j]])
        if dup[j]:
            chk.issues.append(Issue(int(positions[j]), line, column, f"duplicate {what} (same as line {first[rec]})", f"a unique {what}"))
        else:
            first.setdefault(rec, line)


def load_epoch_hardware(
    path: Path, *, display: str | None = None, skip_bad_rows: bool = False, warnings: list[dict[str, Any]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Epoch "Machine Learning Hardware" export -> (hardware rows with source 'epoch', rejects)."""
    raw = read_csv_records(path, display)
    cols = resolve_columns(raw, HARDWARE_COLUMNS, fixed_layout=True, ignored=HARDWARE_IGNORED, warnings=warnings)
    chk = Checker(raw, skip_bad_rows=skip_bad_rows)
    out = pd.DataFrame(index=range(raw.n))
    out["name"] = chk.text(cols["name"])
    missing_name = out["name"].isna()
    chk.add(missing_name, cols["name"] or "Hardware name", "blank chip name", out["name"], "a chip name")
    out["aliases"] = [[] for _ in range(len(out))]
    out["manufacturer"] = chk.text(cols["manufacturer"])
    out["type"] = chk.text(cols["type"])
    out["release_date"] = chk.date(cols["release_date"])
    for key in HARDWARE_NUMBERS:
        bound = maximum("hardware.peak" if key in PEAK_COLUMNS else f"hardware.{key}")
        out[key] = chk.number(cols[key], minimum=0, plausible=bound, what=f"a non-negative {key}")
    named = (~missing_name).to_numpy()
    _dup_on_subset(chk, out.loc[named, ["name"]], np.flatnonzero(named), cols["name"] or "Hardware name", "chip name")
    keep, rejects = chk.finish()
    out["source"] = "epoch"
    out["value_sources"] = [
        json.dumps({k: "epoch" for k in HARDWARE_NUMBERS if not np.isnan(row[k])}, sort_keys=True)
        for row in out[HARDWARE_NUMBERS].to_dict(orient="records")
    ]
    out = _provenance(out, raw.display, raw.lines, source_version(path))
    return out[schema.HARDWARE].loc[keep].reset_index(drop=True), rejects
