"""Vision: compute-equivalent algorithmic progress on ImageNet (Thompson et al. data joined to Epoch).

Sample: the ImageNet rows of the ``benchmark_results`` table with a top-1 error in
(0, 1). Training compute, in order of preference:

1. the compute capability's estimate for the row
   (:func:`aiprogress.compute.tables.estimate_benchmark_results`: operation counting
   3 × forward FLOP × examples × epochs, and/or hardware × time × utilization);
2. else Epoch's reported training compute of the same model, joined by name
   (lower-cased, non-alphanumerics removed, exact match on the Epoch ``model``
   column, first Epoch row per name).

The date is Epoch's publication date when the model joins (decimal year), else the
middle of the Thompson year (the source has only the year). Per-pass (forward)
compute is the alternative compute measure (more rows, not what the published
figure uses). Performance is ``log10(top-1 error)``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from aiprogress.algorithmic.domain import DomainHalving, make_domain_halving
from aiprogress.algorithmic.halving import HalvingEstimate, fit_halving
from aiprogress.errors import InputError

__all__ = ["imagenet_sample", "norm_name", "vision_halving"]

SOURCES = (
    "thompson2020/imagenet.csv (Thompson et al. 2020, computerprogress.com)",
    "epoch/all_ai_models_2025-03.csv (Epoch AI 'AI Models', CC BY 4.0)",
    "epoch/ml_hardware_2026-01.csv (Epoch AI, for hardware-time compute)",
)


def norm_name(name: object) -> str:
    """Join key for model names: lower case, only letters and digits."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower()) if isinstance(name, str) else ""


def _decimal_year(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates, errors="coerce")
    return d.dt.year + (d.dt.dayofyear - 1) / 365.25


def imagenet_sample(benchmark_results: pd.DataFrame, models: pd.DataFrame, hardware: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """ImageNet models with log10 error, training/forward compute, date and how each was obtained; plus join counts."""
    need = {"benchmark", "model", "year", "error_rate", "forward_flop"}
    missing = need - set(benchmark_results.columns)
    if missing:
        raise InputError("benchmark_results table lacks columns", column=", ".join(sorted(missing)), expected="the benchmark_results schema")
    d = benchmark_results[benchmark_results["benchmark"] == "imagenet"].reset_index(drop=True).copy()
    d["error_rate"] = pd.to_numeric(d["error_rate"], errors="coerce")
    d = d[(d["error_rate"] > 0) & (d["error_rate"] < 1) & d["year"].notna()].reset_index(drop=True)
    train = pd.Series(np.nan, index=d.index)
    method = pd.Series("", index=d.index, dtype=object)
    if hardware is not None:
        from aiprogress.compute.tables import HardwareIndex, estimate_benchmark_results

        est = estimate_benchmark_results(d, HardwareIndex(hardware))
        train = pd.Series(pd.to_numeric(est["train_flop_estimate"], errors="coerce").to_numpy(), index=d.index)
        method = pd.Series(np.where(train.notna(), "compute capability: " + est["method"].fillna("").astype(str), ""), index=d.index)
    m = models.assign(_k=models["model"].map(norm_name))
    m = m[m["_k"] != ""].drop_duplicates("_k").set_index("_k")
    keys = d["model"].map(norm_name)
    joined = keys.isin(m.index)
    ep_flop = pd.to_numeric(keys.map(m["train_flop"]), errors="coerce")
    use_ep = train.isna() & ep_flop.notna()
    train = train.where(~use_ep, ep_flop)
    method = method.where(~use_ep, "Epoch reported (name join)")
    ep_date = _decimal_year(keys.map(m["publication_date"]))
    t = ep_date.where(joined & ep_date.notna(), d["year"].astype(float) + 0.5)
    out = pd.DataFrame({
        "model": d["model"], "year": d["year"].astype(int), "time": t,
        "date_source": np.where(joined & ep_date.notna(), "Epoch publication date", "Thompson year (mid-year)"),
        "error_rate": d["error_rate"], "log10_error": np.log10(d["error_rate"]),
        "train_flop": train, "train_flop_source": method,
        "forward_flop": pd.to_numeric(d["forward_flop"], errors="coerce"),
        "parameters": pd.to_numeric(d["parameters"], errors="coerce") if "parameters" in d else np.nan,
        "epoch_join": joined,
    })
    info = {
        "imagenet_rows": int(len(out)),
        "rule": "Thompson model name lower-cased with non-alphanumerics removed = same key of an Epoch model name",
        "joined_to_epoch": int(joined.sum()),
        "match_rate": float(joined.mean()) if len(out) else float("nan"),
        "with_training_compute": int(out["train_flop"].gt(0).sum()),
        "training_compute_from_compute_capability": int(out["train_flop_source"].str.startswith("compute capability").sum()),
        "training_compute_from_epoch": int((out["train_flop_source"] == "Epoch reported (name join)").sum()),
        "with_forward_compute": int(out["forward_flop"].gt(0).sum()),
    }
    return out, info


def vision_halving(
    *,
    benchmark_results: pd.DataFrame | None = None,
    models: pd.DataFrame | None = None,
    hardware: pd.DataFrame | None = None,
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    level: float = 0.90,
    n_boot: int = 1000,
    seed: int | None = 0,
    progress: Callable[[int], None] | None = None,
) -> DomainHalving:
    """ImageNet compute halving time: headline = training compute, trend form; variants = year FE and per-pass compute."""
    if benchmark_results is None or models is None or hardware is None:
        from aiprogress.data import load_table

        benchmark_results = benchmark_results if benchmark_results is not None else load_table("benchmark_results", catalog=catalog, data_dir=data_dir)
        models = models if models is not None else load_table("models", catalog=catalog, data_dir=data_dir)
        hardware = hardware if hardware is not None else load_table("hardware", catalog=catalog, data_dir=data_dir)
    sample, info = imagenet_sample(benchmark_results, models, hardware)
    tr = sample[sample["train_flop"] > 0]
    fw = sample[sample["forward_flop"] > 0]
    if len(tr) < 8:
        raise InputError(f"only {len(tr)} ImageNet models with training compute", column="train_flop", expected="at least 8")
    common = dict(performance_name="ImageNet top-1 error (log10)", level=level, seed=seed)
    variants: list[HalvingEstimate] = []
    head = fit_halving(tr["log10_error"], np.log10(tr["train_flop"]), tr["time"], form="trend", label="training compute",
                       n_boot=n_boot, progress=progress, **common)
    variants.append(fit_halving(tr["log10_error"], np.log10(tr["train_flop"]), tr["time"], form="year_fe",
                                label="training compute", n_boot=n_boot, **common))
    variants.append(fit_halving(fw["log10_error"], np.log10(fw["forward_flop"]), fw["time"], form="trend",
                                label="per-pass (forward) compute", n_boot=n_boot, **common))
    variants.append(fit_halving(fw["log10_error"], np.log10(fw["forward_flop"]), fw["time"], form="year_fe",
                                label="per-pass (forward) compute", n_boot=n_boot, **common))
    notes = (
        "Model: log10 error = a + b log10 C + c t (trend) or + year effects (FE); compute halves every 12 log10(2) b / c months at fixed error.",
        f"Sample: {info['imagenet_rows']} ImageNet rows, {info['with_training_compute']} with training compute "
        f"({info['training_compute_from_compute_capability']} from the compute capability, {info['training_compute_from_epoch']} from Epoch by name); "
        f"{info['joined_to_epoch']} rows ({info['match_rate']:.0%}) join Epoch by name.",
        "Erdil & Besiroglu (2022) fit a richer law on a larger ImageNet sample (compute, data and dates, with their own compute estimates), so the samples differ.",
    )
    extra = ("the Thompson sample spans mostly 2015–2020 with few training-compute figures, so the time effect is weakly identified"
             if head.n_obs < 60 else "")
    return make_domain_halving("vision", head, variants, join=info, sources=SOURCES, notes=notes, extra_reason=extra,
                               tables={"sample": sample})
