"""CLI for aiprogress.scaling (thin layer over the library).

``aiprogress scaling fit|extrapolate|replicate`` and ``aiprogress trends doubling``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from aiprogress.clikit import (
    CatalogOpt,
    DataDirOpt,
    JsonOpt,
    PlotOpt,
    QuietOpt,
    SeedOpt,
    count_option,
    emit,
    fraction_option,
    guard,
    progress,
)

app = typer.Typer(no_args_is_help=True, help="Compute-performance scaling fits, extrapolation and replication.")
trends_app = typer.Typer(no_args_is_help=True, help="Growth trends of training compute.")

BenchOpt = Annotated[str, typer.Option("--benchmark", "-b", help="imagenet, ms_coco, squad_1_1, conll2003, wmt2014_en_fr, wmt2014_en_de.")]
MeasureOpt = Annotated[str, typer.Option("--measure", "-m", help="hardware_burden, per_pass or network_operations.")]


def _table(name: str, data_dir, catalog):
    from aiprogress.data import load_table

    return load_table(name, catalog=catalog, data_dir=data_dir)


def _rules(benchmark: str, measure: str, rows: str | None, extra_data: str | None, metric: str | None, no_fill: bool,
           keep_secondary: bool = False):
    from aiprogress.scaling.selection import SelectionRules

    over = {}
    if keep_secondary:
        over["own_models_only"] = False
    if rows is not None:
        over["rows"] = rows
    if extra_data is not None:
        over["extra_data"] = extra_data
    if metric is not None:
        over["metric"] = metric
    if no_fill:
        over["fill_flop_from_parameters"] = False
    return SelectionRules.paper(benchmark, measure, **over)


RowsOpt = Annotated[str | None, typer.Option("--rows", help="all, best_per_paper or best_per_paper_compute (default: the paper's rule).")]
ExtraOpt = Annotated[str | None, typer.Option("--extra-data", help="include, exclude or only.")]
MetricOpt = Annotated[str | None, typer.Option("--metric", help="Use this metric from the row's metrics (e.g. em, top5_error_pct).")]
NoFillOpt = Annotated[bool, typer.Option("--no-fill", help="Do not fill missing per-pass FLOP from parameter counts.")]
KeepSecondaryOpt = Annotated[bool, typer.Option(
    "--keep-secondary",
    help="Keep rows that are not the cited paper's own model (model-zoo collection, re-implementations, "
    "'not trained in this paper'); by default ImageNet per-pass fits drop them.")]


@app.command()
@guard
def fit(
    benchmark: BenchOpt = "imagenet",
    measure: MeasureOpt = "hardware_burden",
    rows: RowsOpt = None,
    extra_data: ExtraOpt = None,
    metric: MetricOpt = None,
    no_fill: NoFillOpt = False,
    keep_secondary: KeepSecondaryOpt = False,
    quantile: Annotated[float, fraction_option("--quantile", open_interval=True, help="Quantile of the frontier fit, in (0, 1).")] = 0.10,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Fit polynomial, exponential, trend and 10%-frontier forms for one benchmark and compute measure."""
    from aiprogress.scaling.fits import fit_benchmark

    with progress(quiet, "fitting", total=1) as advance:
        table = _table("benchmark_results", data_dir, catalog)
        res = fit_benchmark(table, benchmark, measure, rules=_rules(benchmark, measure, rows, extra_data, metric, no_fill, keep_secondary), quantile=quantile)
        advance(1)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.scaling.plots import scaling_figure

        save_figure(scaling_figure([(res.sample, res.get("polynomial"), res.get("frontier"))], ncols=1), plot)
    emit(res, json_out)


@app.command()
@guard
def extrapolate(
    benchmark: BenchOpt = "imagenet",
    target_error: Annotated[float, fraction_option("--target-error", open_interval=True, help="Target error rate as a fraction, e.g. 0.05.")] = 0.05,
    measure: MeasureOpt = "hardware_burden",
    usd_per_gflop: Annotated[float | None, typer.Option("--usd-per-gflop", help="Override the dollar cost per GFLOP.")] = None,
    co2_lbs_per_gflop: Annotated[float | None, typer.Option("--co2-lbs-per-gflop", help="Override lbs CO2e per GFLOP.")] = None,
    table4: Annotated[bool, typer.Option("--figure4", help="Also compute the Figure-4 table for all five benchmarks.")] = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Compute (with 95% interval), dollars and CO2 needed to reach a target error rate."""
    from aiprogress.scaling.extrapolate import CostConversion, figure4_table
    from aiprogress.scaling.extrapolate import extrapolate as _extrapolate

    conv = CostConversion.default(usd_per_gflop=usd_per_gflop, co2_lbs_per_gflop=co2_lbs_per_gflop)
    with progress(quiet, "extrapolating", total=2) as advance:
        table = _table("benchmark_results", data_dir, catalog)
        res = _extrapolate(table, benchmark, target_error, measure=measure, conversion=conv)
        advance(1)
        f4 = figure4_table(table, conversion=conv) if (table4 or plot is not None) else None
        advance(1)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.scaling.plots import extrapolation_figure

        save_figure(extrapolation_figure(f4.table), plot)
    if json_out:
        out = res.to_dict()
        if table4 and f4 is not None:
            out["figure4"] = f4.to_dict()["table"]
        emit(out, True)
    else:
        emit(res, False, text=res.summary() + ("\n\n" + f4.summary() if table4 and f4 is not None else ""))


@app.command()
@guard
def replicate(
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Published (Thompson et al. 2020, Tables 1-4) vs reproduced coefficients, n and R2."""
    from aiprogress.scaling.replicate import replicate as _replicate

    with progress(quiet, "replicating", total=1) as advance:
        table = _table("benchmark_results", data_dir, catalog)
        res = _replicate(table)
        advance(1)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.scaling.fits import fit_scaling
        from aiprogress.scaling.plots import scaling_figure
        from aiprogress.scaling.selection import PAPER_BENCHMARKS, build_sample

        panels = []
        for b, m in [("imagenet", "per_pass")] + [(b, "hardware_burden") for b in PAPER_BENCHMARKS]:
            s = build_sample(table, b, m)
            panels.append((s, fit_scaling(s, "polynomial"), fit_scaling(s, "frontier")))
        save_figure(scaling_figure(panels), plot)
    emit(res, json_out)


@trends_app.command()
@guard
def doubling(
    interval: Annotated[str, typer.Option("--interval", help="hc (robust HC3) or bootstrap.")] = "hc",
    n_boot: Annotated[int, count_option("--n-boot", help="Bootstrap resamples (>= 1).")] = 1000,
    seed: SeedOpt = 0,
    all_models: Annotated[bool, typer.Option("--all-models", help="Use all models, not only Epoch's notable ones.")] = False,
    frontier: Annotated[str, typer.Option("--frontier", help="top_k or running_max.")] = "top_k",
    top_k: Annotated[int, count_option("--top-k", help="Models per year on the top-k frontier (>= 1).")] = 5,
    large_scale_z: Annotated[float, typer.Option("--large-scale-z", help="Residual z above the DL trend for large-scale models.")] = 1.0,
    breakpoint: Annotated[bool, typer.Option("--breakpoint", help="Also search for a single trend break.")] = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Doubling time of training compute by era, of the frontier, per domain and for ImageNet models."""
    from aiprogress.scaling.trends import compute_trends

    with progress(quiet, "fitting trends", total=1) as advance:
        models = _table("models", data_dir, catalog)
        bench = _table("benchmark_results", data_dir, catalog)
        res = compute_trends(models, bench, notable_only=not all_models, interval=interval, n_boot=n_boot, seed=seed,
                             frontier_method=frontier, top_k=top_k, large_scale_z=large_scale_z, breakpoint=breakpoint)
        advance(1)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.scaling.plots import trends_figure

        save_figure(trends_figure(res), plot)
    emit(res, json_out)
