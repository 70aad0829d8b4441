"""Vectorised estimates over whole tables (``models``, ``benchmark_results``); validation is in :mod:`aiprogress.compute.validation`.

Each distinct hardware name is matched once (the :class:`HardwareIndex` caches
matches); the arithmetic runs on whole columns.

Output columns (one row per input row, in input order):
``source_file``, ``source_line`` (provenance keys to join back), ``model``,
``date``, ``hardware`` (as recorded), ``chips``, ``seconds``, ``utilization``,
``utilization_source`` (recorded / default / override), ``peak_flop_per_s``,
``peak_source`` (hardware table / source GFLOPS / none), ``precision``,
``matched_hardware``, ``match_score``, ``match_kind``, ``train_flop_hardware``,
``forward_flop``, ``examples``, ``epochs``, ``train_flop_operations``,
``train_flop_combined`` (geometric mean when both), ``methods_log10_spread``
(|log10(hardware / operations)|: how far the two methods disagree), ``train_flop_estimate``
(combined, else the one available), ``method``, ``assumptions`` ("; "-joined),
``reason`` (why a method could not run), ``train_flop_reported`` (models only).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from aiprogress.compute.estimate import (
    DEFAULT_UTILIZATION,
    FLOP_PER_MULTIPLY_ADD,
    FORWARD_BACKWARD_FACTOR,
    SECONDS_PER_HOUR,
    hardware_train_flop,
    operations_train_flop,
    resolve_peak,
)
from aiprogress.compute.hardware import MATCH_THRESHOLD, HardwareIndex, normalize_precision
from aiprogress.errors import InputError, ParameterError

OUTPUT_COLUMNS = [
    "source_file", "source_line", "model", "date", "hardware", "chips", "seconds", "utilization",
    "utilization_source", "peak_flop_per_s", "peak_source", "precision", "matched_hardware", "match_score",
    "match_kind", "train_flop_hardware", "forward_flop", "examples", "epochs", "train_flop_operations",
    "train_flop_combined", "methods_log10_spread", "train_flop_estimate", "method", "assumptions", "reason",
    "train_flop_reported",
]


def _require(frame: pd.DataFrame, columns: list[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {table} table lacks column(s) {', '.join(missing)}", column=missing[0],
                         expected=f"the '{table}' table schema (aiprogress.data.schema)")


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(float)


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The ``columns`` of ``frame`` that exist, Arrow-backed ones (``pd.ArrowDtype``, as ``data build``
    passes the models export) as classic NumPy/object columns; the rest of the frame is not touched."""
    out = {}
    for c in columns:
        if c in frame.columns:
            s = frame[c]
            out[c] = pd.Series(s.array._pa_array.to_pandas(), index=s.index) if isinstance(s.dtype, pd.ArrowDtype) else s
    return pd.DataFrame(out, index=frame.index, copy=False)


def _per_distinct(values: pd.Series, test: Callable[[Any], bool]) -> np.ndarray:
    """``test`` of every non-missing value (False where missing), run once per distinct value."""
    codes, uniq = pd.factorize(values)
    return np.append(np.array([bool(test(u)) for u in uniq], dtype=bool), False)[codes]


def _labels(n: int, text: str | None) -> np.ndarray:
    """An object array of ``n`` references to the one ``text`` (``np.full`` makes a new str per row)."""
    out = np.empty(n, dtype=object)
    out[:] = text
    return out


def _positive(a: np.ndarray) -> np.ndarray:
    return np.isfinite(a) & (a > 0)


def _index(hardware: pd.DataFrame | HardwareIndex, threshold: float) -> HardwareIndex:
    return hardware if isinstance(hardware, HardwareIndex) else HardwareIndex(hardware, threshold=threshold)


SOURCE_NOTE = "peak FLOP/s = per-device GFLOPS recorded by the source (not the table)"
UTIL_NOTE = f"utilization {DEFAULT_UTILIZATION:g} (default; none recorded)"


def _hardware_columns(names: pd.Series, dates: pd.Series, chips: np.ndarray, seconds: np.ndarray,
                      recorded_util: np.ndarray, index: HardwareIndex, *, utilization: float | None, precision: str,
                      source_peak: np.ndarray | None = None,
                      progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The hardware-time columns for aligned arrays (matching each distinct (name, date) once).

    The notes and reasons are kept as codes (``_group``: the row's look-up group, flags), turned
    into text once per distinct combination by :func:`_finish`."""
    n = len(names)
    peak, score = np.full(n, np.nan), np.full(n, np.nan)
    prec, matched, kind = (np.full(n, None, dtype=object) for _ in range(3))
    group = np.full(n, -1, dtype=np.int64)
    group_notes: list[tuple[str, ...]] = []
    group_why: list[str | None] = []
    peak_source = _labels(n, "none")
    has_name = _per_distinct(names, lambda v: str(v).strip() != "")
    use_source = np.zeros(n, bool) if source_peak is None else _positive(source_peak)
    # Source-recorded per-device rate wins over the table look-up.
    if source_peak is not None:
        peak[use_source] = source_peak[use_source]
        peak_source[use_source] = "source GFLOPS"
        prec[use_source] = precision if precision != "auto" else "source"
    lookup = has_name & ~use_source
    keys = pd.DataFrame({"name": names.where(lookup), "date": dates.where(lookup)})
    groups = keys[lookup].groupby(["name", "date"], dropna=False, sort=False).indices
    lookup_pos = np.flatnonzero(lookup)
    for (name, date), rows in groups.items():
        res = resolve_peak(str(name), index, publication_date=None if pd.isna(date) else date, precision=precision)
        pos = lookup_pos[rows]  # ``rows`` are positions within keys[lookup]
        peak[pos] = res.peak_flop_per_s
        prec[pos] = res.precision
        matched[pos] = res.matched_hardware
        score[pos] = np.nan if res.match_score is None else res.match_score
        kind[pos] = res.match_kind if res.matched_hardware else "none"
        if np.isfinite(res.peak_flop_per_s):
            peak_source[pos] = "hardware table"
        why = None  # one look-up per distinct (name, date), not per row
        if res.matched_hardware is None:
            best = ", ".join(f"{c} ({s:.0f})" for c, s in index.candidates(str(name)))
            why = f"hardware '{name}' not matched (best: {best})"
        elif not np.isfinite(res.peak_flop_per_s):
            why = f"{res.matched_hardware}: no {precision if precision != 'auto' else 'usable'} peak FLOP/s"
        group[pos] = len(group_notes)
        group_notes.append(tuple(res.notes) if np.isfinite(res.peak_flop_per_s) else ())
        group_why.append(why)
        if progress is not None:
            progress(len(rows))
    # Utilization: override > recorded > default.
    if utilization is not None:
        util = np.full(n, float(utilization))
        util_src = _labels(n, "override")
    else:
        rec_ok = np.isfinite(recorded_util) & (recorded_util > 0) & (recorded_util <= 1)
        util = np.where(rec_ok, recorded_util, DEFAULT_UTILIZATION)
        util_src = _labels(n, "default")
        util_src[rec_ok] = "recorded"
    ok_chips, ok_secs = _positive(chips), _positive(seconds)
    flop = hardware_train_flop(np.where(ok_chips, chips, np.nan), peak, np.where(ok_secs, seconds, np.nan), util)
    return {
        "chips": chips, "seconds": seconds, "utilization": util, "utilization_source": util_src,
        "peak_flop_per_s": peak, "peak_source": peak_source, "precision": prec, "matched_hardware": matched,
        "match_score": score, "match_kind": kind, "train_flop_hardware": flop,
        "_group": group, "_group_notes": group_notes, "_group_why": group_why,
        "_flags": np.stack([use_source, util_src == "default", ~has_name & ~use_source, ~ok_chips, ~ok_secs], axis=1),
    }


def _hw_text(hw: dict[str, Any], g: int, flags: np.ndarray) -> tuple[list[str], list[str]]:
    """(notes, reasons) of the hardware-time method for look-up group ``g`` and the row flags."""
    src, udef, no_name, no_chips, no_secs = (bool(f) for f in flags)
    notes = ([SOURCE_NOTE] if src else []) + (list(hw["_group_notes"][g]) if g >= 0 else []) + ([UTIL_NOTE] if udef else [])
    why = hw["_group_why"][g] if g >= 0 else None
    reasons = ([why] if why else []) + [r for r, f in (("no hardware name", no_name), ("no chip count", no_chips),
                                                       ("no training time", no_secs)) if f]
    return notes, reasons


def _finish(frame: pd.DataFrame, hw: dict[str, Any], ops: dict[str, Any], base: dict[str, Any]) -> pd.DataFrame:
    # a dict of columns, made into one frame at the end (inserting 27 columns one by one copies blocks)
    out: dict[str, Any] = {k: (v.to_numpy() if isinstance(v, pd.Series) else np.full(len(frame), v, dtype=object)
                               if v is None else v) for k, v in base.items()}
    out.update({k: v for k, v in (hw | ops).items() if not k.startswith("_")})
    f_hw = np.asarray(out["train_flop_hardware"], dtype=float)
    f_op = np.asarray(out["train_flop_operations"], dtype=float)
    has_hw, has_op = _positive(f_hw), _positive(f_op)
    both = has_hw & has_op
    with np.errstate(invalid="ignore", divide="ignore"):
        comb = np.where(both, np.sqrt(f_hw * f_op), np.nan)  # geometric mean of two
    out["train_flop_combined"] = comb
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(both, np.abs(np.log10(f_hw / f_op)), np.nan)
    out["methods_log10_spread"] = spread
    out["train_flop_estimate"] = np.where(both, comb, np.where(has_hw, f_hw, np.where(has_op, f_op, np.nan)))
    # Utilization only means something where the hardware-time method ran.
    out["utilization"] = np.where(has_hw, np.asarray(out["utilization"], dtype=float), np.nan)
    out["utilization_source"] = np.where(has_hw, np.asarray(out["utilization_source"], dtype=object), None)
    method = _labels(len(both), None)
    for label, mask in (("operations", has_op), ("hardware", has_hw), ("combined", both)):  # the last one wins
        method[mask] = label
    out["method"] = method
    # The texts depend on a few codes per row: build each distinct combination's text once.
    far = both & (spread > 1)
    codes = np.column_stack([hw["_group"], hw["_flags"], ops["_note"], ops["_reason"], has_hw, has_op, both])
    key = np.zeros(len(codes), dtype=np.int64)
    for j in range(codes.shape[1]):  # one dense key per distinct row of codes (hashing, no sort of rows)
        code, _ = pd.factorize(codes[:, j].astype(np.int64))
        key, _ = pd.factorize(key * (int(code.max(initial=0)) + 1) + code)
    inverse, firsts = key, np.unique(key, return_index=True)[1]
    uniq = codes[firsts].astype(np.int64)

    def texts(row: np.ndarray, spread_i: float = np.nan) -> tuple[str, str]:
        g, flags, note, reason, h, o, b = int(row[0]), row[1:6], int(row[6]), int(row[7]), row[8], row[9], row[10]
        hw_notes, hw_reasons = _hw_text(hw, g, flags)
        n_i = (hw_notes if h else []) + (list(ops["_note_texts"][note]) if o else [])
        if b:
            n_i.append("combined = geometric mean of the hardware and operations estimates")
            if spread_i > 1:
                n_i.append(f"the two methods differ by {10 ** spread_i:.3g}x: the hardware time may include "
                           "work the operation count leaves out (e.g. architecture search, other runs)")
        r_i = ([] if h else ["hardware: " + (", ".join(hw_reasons) or "no inputs")]) + \
              ([] if o else ["operations: " + (", ".join(ops["_reason_texts"][reason]) or "no inputs")])
        return "; ".join(dict.fromkeys(n_i)), "; ".join(r_i)

    made = [texts(u) for u in uniq]
    notes = np.array([m[0] for m in made] or [""], dtype=object)[inverse]
    reasons = np.array([m[1] for m in made] or [""], dtype=object)[inverse]
    for i in np.flatnonzero(far):  # the only per-row text: how far the two methods disagree
        notes[i] = texts(codes[i], spread[i])[0]
    out["assumptions"] = notes[: len(frame)]
    out["reason"] = reasons[: len(frame)]
    out.setdefault("train_flop_reported", np.full(len(frame), np.nan))
    # copy=False: each column stays its own array (consolidating 27 columns into blocks copies them
    # all); a column that is a view (e.g. of the caller's frame) is copied, so the result owns its data
    return pd.DataFrame({c: _owned(out[c]) for c in OUTPUT_COLUMNS}, copy=False)


def _owned(values: Any) -> np.ndarray:
    a = np.asarray(values)
    return a if a.base is None and a.flags.owndata else a.copy()


def _provenance(frame: pd.DataFrame) -> dict[str, Any]:
    return {c: frame[c] if c in frame.columns else None for c in ("source_file", "source_line")}


MODEL_INPUTS = ["model", "domain", "hardware", "hardware_quantity", "train_hours", "publication_date", "utilization",
                "parameters", "dataset_size", "epochs", "train_flop", "source_file", "source_line"]
OPS_NOTE = (f"forward pass = 2 FLOP per parameter per token (dense model); "
            f"x{FORWARD_BACKWARD_FACTOR:g} for forward + backward")


def estimate_models(models: pd.DataFrame, hardware: pd.DataFrame | HardwareIndex, *, utilization: float | None = None,
                    precision: str | None = "auto", threshold: float = MATCH_THRESHOLD, operations: bool = True,
                    progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Estimated training compute of every Epoch model row that has the inputs.

    Hardware time needs ``hardware``, ``hardware_quantity`` and ``train_hours``
    (utilization: ``utilization`` argument > the row's recorded value > 0.3).
    Operation counting (when ``operations``) applies to Language-domain rows
    with ``parameters`` and ``dataset_size``: Epoch counts their datapoints in
    tokens and a dense model's forward pass costs about 2 FLOP per parameter
    per token, so ``train_flop = 3 x (2 x parameters) x dataset_size x epochs``
    (epochs = 1 when not recorded); for sparse (mixture-of-experts) models this
    over-counts, since only the active parameters work on each token.
    """
    _require(models, ["hardware", "hardware_quantity", "train_hours", "publication_date"], "models")
    if utilization is not None and not (0 < float(utilization) <= 1):
        raise ParameterError("utilization", f"{utilization} is outside (0, 1]", expected="a fraction in (0, 1]")
    models = _plain(models, MODEL_INPUTS)
    prec = normalize_precision(precision)
    index = _index(hardware, threshold)
    hours = _num(models, "train_hours")
    hw = _hardware_columns(
        models["hardware"], pd.to_datetime(models["publication_date"], errors="coerce"),
        _num(models, "hardware_quantity"), hours * SECONDS_PER_HOUR, _num(models, "utilization"), index,
        utilization=utilization, precision=prec, progress=progress,
    )
    n = len(models)
    params, data, epochs = _num(models, "parameters"), _num(models, "dataset_size"), _num(models, "epochs")
    domain = models["domain"] if "domain" in models.columns else pd.Series([None] * n, dtype=object)
    language = _per_distinct(domain, lambda v: "language" in str(v).lower())
    ops_ok = operations & language & _positive(params) & _positive(data)
    ep = np.where(_positive(epochs), epochs, 1.0)
    fwd = np.where(ops_ok, 2.0 * params, np.nan)
    ops_flop = np.where(ops_ok, operations_train_flop(fwd, data, ep), np.nan)
    # note codes: 0 none, 1 the 6ND rule, 2 the rule + epochs = 1; reason codes: 0 none, 1 disabled, 2 domain, 3 inputs
    note = np.where(ops_ok, np.where(_positive(epochs), 1, 2), 0)
    reason = np.where(ops_ok, 0, 1 if not operations else np.where(~language, 2, 3))
    ops = {"forward_flop": fwd, "examples": np.where(ops_ok, data, np.nan), "epochs": np.where(ops_ok, ep, np.nan),
           "train_flop_operations": ops_flop, "_note": note, "_reason": reason,
           "_note_texts": [(), (OPS_NOTE,), (OPS_NOTE, "epochs = 1 (none recorded)")],
           "_reason_texts": [(), ("disabled",), ("only Language-domain rows (datapoints = tokens)",),
                             ("no parameter count or dataset size",)]}
    base = _provenance(models) | {
        "model": models["model"] if "model" in models.columns else None,
        "date": pd.to_datetime(models["publication_date"], errors="coerce"),
        "hardware": models["hardware"],
        "train_flop_reported": _num(models, "train_flop"),
    }
    return _finish(models, hw, ops, base)


def estimate_benchmark_results(benchmark_results: pd.DataFrame, hardware: pd.DataFrame | HardwareIndex, *,
                               utilization: float | None = None, precision: str | None = "auto",
                               threshold: float = MATCH_THRESHOLD,
                               progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Estimated training compute of every Thompson et al. benchmark row that has the inputs.

    Hardware time: ``processor_count x peak x train_seconds x utilization``; the
    peak is the source's per-device ``processor_gflops`` x 1e9 when recorded
    (stated in ``assumptions``), else the table peak of ``processor_name`` with
    the precision rule applied to 1 July of ``year``. Operation counting:
    ``3 x forward_flop x train_examples x epochs``.
    """
    _require(benchmark_results, ["processor_name", "processor_count", "train_seconds", "forward_flop",
                                 "epochs", "train_examples", "year"], "benchmark_results")
    if utilization is not None and not (0 < float(utilization) <= 1):
        raise ParameterError("utilization", f"{utilization} is outside (0, 1]", expected="a fraction in (0, 1]")
    prec = normalize_precision(precision)
    index = _index(hardware, threshold)
    years = pd.to_numeric(benchmark_results["year"], errors="coerce")
    dates = pd.to_datetime({"year": years.fillna(1900), "month": 7, "day": 1}).where(years.notna())
    n = len(benchmark_results)
    hw = _hardware_columns(
        benchmark_results["processor_name"], dates, _num(benchmark_results, "processor_count"),
        _num(benchmark_results, "train_seconds"), np.full(n, np.nan), index,
        utilization=utilization, precision=prec, source_peak=_num(benchmark_results, "processor_gflops") * 1e9,
        progress=progress,
    )
    fwd, ex, ep = (_num(benchmark_results, c) for c in ("forward_flop", "train_examples", "epochs"))
    ok = _positive(fwd) & _positive(ex) & _positive(ep)
    ops_flop = np.where(ok, operations_train_flop(fwd, ex, ep), np.nan)
    note = (f"forward + backward = {FORWARD_BACKWARD_FACTOR:g} x forward FLOP "
            f"(forward FLOP = {FLOP_PER_MULTIPLY_ADD:g} x multiply-adds where only those were published)")
    names = ("forward_flop", "train_examples", "epochs")
    missing = (~_positive(fwd)) * 1 + (~_positive(ex)) * 2 + (~_positive(ep)) * 4  # bit mask of missing inputs
    ops = {
        "forward_flop": fwd, "examples": ex, "epochs": ep, "train_flop_operations": ops_flop,
        "_note": ok.astype(np.int64), "_note_texts": [(), (note,)],
        "_reason": np.where(ok, 0, missing),
        "_reason_texts": [("missing " + ", ".join(nm for b, nm in enumerate(names) if m >> b & 1),) if m else ()
                          for m in range(8)],
    }
    base = _provenance(benchmark_results) | {
        "model": benchmark_results["model"] if "model" in benchmark_results.columns else None,
        "date": dates,
        "hardware": benchmark_results["processor_name"],
    }
    return _finish(benchmark_results, hw, ops, base)


def _estimated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["train_flop_estimate"].notna()]


def compute_estimates_table(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Derived catalog table ``compute_estimates`` (registered in ``aiprogress.capabilities``).

    One frame: :func:`estimate_models` rows then :func:`estimate_benchmark_results`
    rows, with a ``table`` column ('models' / 'benchmark_results'); only rows
    with at least one estimate are kept.
    """
    if "hardware" not in tables:
        raise InputError("the 'hardware' table is needed for compute estimates", expected="tables['hardware']")
    index = HardwareIndex(tables["hardware"])
    frames = []
    # each frame keeps only its rows with an estimate before the copies (assign, concat): a quarter
    # of the models rows, so the table's peak memory is a small part of the full estimate frame
    if "models" in tables:
        frames.append(_estimated(estimate_models(tables["models"], index)).assign(table="models"))
    if "benchmark_results" in tables:
        frames.append(_estimated(estimate_benchmark_results(tables["benchmark_results"], index))
                      .assign(table="benchmark_results"))
    if not frames:
        out = pd.DataFrame(columns=["table", *OUTPUT_COLUMNS])
    else:
        out = pd.concat(frames, ignore_index=True)
        out = out[["table", *OUTPUT_COLUMNS]].reset_index(drop=True)
    return {"compute_estimates": out}
