"""CLI for aiprogress.compute (thin layer over the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from aiprogress.clikit import (
    CatalogOpt,
    DataDirOpt,
    JsonOpt,
    PlotOpt,
    QuietOpt,
    emit,
    guard,
    positive_option,
    progress,
    range_option,
)

app = typer.Typer(no_args_is_help=True, help="Training-compute accounting (operation counting; hardware x time x utilization).")

def _UTIL(*decls: str, **kw):
    return range_option(*decls, low=0.0, high=1.0, low_open=True, **kw)


def _THRESH(*decls: str, **kw):
    return range_option(*decls, low=0.0, high=100.0, **kw)


_PREC_HELP = "auto (rule: tensor FP16/BF16 on TPUs and on tensor-core chips from 2018, else FP32), fp64, fp32, tf32, fp16, tensor_fp16 (bf16), fp8."


def _hardware_table(data_dir: Path | None, catalog: Path | None):
    from aiprogress.data import load_table

    return load_table("hardware", catalog=catalog, data_dir=data_dir)


@app.command("estimate")
@guard
def estimate_cmd(
    hardware: Annotated[Optional[str], typer.Option("--hardware", help="Chip name, e.g. 'NVIDIA V100' (fuzzy-matched to the hardware table).")] = None,
    chips: Annotated[Optional[float], positive_option("--chips", help="Number of chips.")] = None,
    hours: Annotated[Optional[float], positive_option("--hours", help="Wall-clock training hours.")] = None,
    utilization: Annotated[Optional[float], _UTIL("--utilization", help="Fraction of peak achieved, in (0, 1] (default 0.3).")] = None,
    precision: Annotated[str, typer.Option("--precision", help=_PREC_HELP)] = "auto",
    date: Annotated[Optional[str], typer.Option("--date", help="Publication date (YYYY-MM-DD or year) for the precision rule.")] = None,
    forward_flop: Annotated[Optional[float], positive_option("--forward-flop", help="FLOP per forward pass (one example).")] = None,
    multiply_adds: Annotated[Optional[float], positive_option("--multiply-adds", help="Multiply-adds per forward pass (x2 FLOP).")] = None,
    examples: Annotated[Optional[float], positive_option("--examples", help="Training examples per epoch.")] = None,
    epochs: Annotated[Optional[float], positive_option("--epochs", help="Number of epochs (default 1).")] = None,
    threshold: Annotated[float, _THRESH("--threshold", help="Minimum fuzzy-match score (0-100) for the hardware name.")] = 85.0,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Estimate one run's training compute from hardware time and/or operation counts."""
    from aiprogress.compute.estimate import estimate
    from aiprogress.compute.hardware import normalize_precision

    normalize_precision(precision)  # fail fast, before loading data
    pub = None
    if date is not None:  # (pandas only when a date is given)
        from aiprogress.data.dates import parse_date

        pub = parse_date(date, "date")  # the loader's date rule (a bare year = 1 July)
    table = None
    if hardware is not None:  # pandas-free rows of the same table (aiprogress.compute.lookup)
        from aiprogress.compute.lookup import hardware_records

        table = hardware_records(data_dir, catalog)
    result = estimate(
        hardware_name=hardware, chips=chips, hours=hours, utilization=utilization, precision=precision,
        publication_date=pub, forward_flop=forward_flop, multiply_adds=multiply_adds, examples=examples,
        epochs=epochs, hardware=table, threshold=threshold,
    )
    emit(result, json_out)


@app.command("validate")
@guard
def validate_cmd(
    utilization: Annotated[Optional[float], _UTIL("--utilization", help="Override every run's utilization, in (0, 1] (default: recorded, else 0.3).")] = None,
    precision: Annotated[str, typer.Option("--precision", help=_PREC_HELP)] = "auto",
    threshold: Annotated[float, _THRESH("--threshold", help="Minimum fuzzy-match score (0-100).")] = 85.0,
    plot: PlotOpt = None,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Check the hardware-time method against Epoch's reported training compute."""
    from aiprogress.compute.hardware import HardwareIndex, normalize_precision
    from aiprogress.compute.validation import validate_models, validation_figure
    from aiprogress.data import load_table

    normalize_precision(precision)  # (--plot is checked while parsing, before any work)
    models = load_table("models", catalog=catalog, data_dir=data_dir)
    index = HardwareIndex(_hardware_table(data_dir, catalog), threshold=threshold)
    with progress(quiet, "estimating", total=None) as advance:
        result = validate_models(models, index, utilization=utilization, precision=precision, progress=advance)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(validation_figure(result), plot)
    emit(result, json_out)
