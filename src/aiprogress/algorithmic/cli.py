"""CLI group ``aiprogress algorithmic`` (thin layer over :mod:`aiprogress.algorithmic`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from aiprogress.clikit import CatalogOpt, DataDirOpt, JsonOpt, PlotOpt, QuietOpt, emit, guard, progress
from aiprogress.errors import ParameterError

app = typer.Typer(help="Algorithmic progress: compute-equivalent halving times, decomposition, returns to software r, meta-analysis.")


def _check_plot(plot: Optional[Path]) -> None:
    """Refuse a bad --plot path before any work starts."""
    if plot is not None:
        from aiprogress.reportkit import check_plot_path

        check_plot_path(plot)


def _save_plot(make_figure, plot: Optional[Path]) -> None:
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(make_figure(), plot)


def _parse_r0(value: str) -> float | str:
    if value == "auto":
        return "auto"
    try:
        return float(value)
    except ValueError as exc:
        raise ParameterError("r0", f"got {value!r}", expected="'auto' or a number >= 0") from exc


@guard
def returns_cmd(
    csv: Annotated[Optional[Path], typer.Option("--csv", help="CSV with time, software-efficiency and research-input columns.")] = None,
    from_catalog: Annotated[
        Optional[str], typer.Option("--from-catalog", help="Real-data run instead of --csv: 'imagenet' (ImageNet efficiency vs Epoch vision research).")
    ] = None,
    software_col: Annotated[str, typer.Option("--software-col", help="Software efficiency column (> 0; blank = not measured).")] = "software",
    research_col: Annotated[str, typer.Option("--research-col", help="Research input per period (>= 0).")] = "research",
    time_col: Annotated[str, typer.Option("--time-col", help="Time column (year or date).")] = "year",
    cumulative: Annotated[bool, typer.Option("--cumulative", help="The research column is already cumulative R.")] = False,
    r0: Annotated[str, typer.Option("--r0", help="Research stock before the first row: 'auto' (from the input's growth) or a number.")] = "auto",
    measure: Annotated[str, typer.Option("--measure", help="With --from-catalog: research input = 'models' or 'authors' per year.")] = "models",
    software_source: Annotated[
        str, typer.Option("--software-source", help="With --from-catalog: S(t) from year fixed effects ('fe') or the scaling trend ('scaling').")
    ] = "fe",
    bootstrap: Annotated[int, typer.Option("--bootstrap", min=0, help="Moving-block bootstrap draws (0 = none).")] = 2000,
    block_length: Annotated[Optional[int], typer.Option("--block-length", min=1, help="Bootstrap block length (default n^(1/3)).")] = None,
    cov_type: Annotated[str, typer.Option("--cov-type", help="HAC | HC1 | nonrobust.")] = "HAC",
    level: Annotated[float, typer.Option("--level", help="Interval level.")] = 0.90,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of the bootstrap.")] = 0,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
    many_sources: Annotated[bool, typer.Option("--many-sources", help="r for every domain x research input x estimator (vision, language).")] = False,
    inputs: Annotated[Optional[list[str]], typer.Option("--input", help="With --many-sources: models | authors | papers (repeatable; default all).")] = None,
    estimators: Annotated[Optional[list[str]], typer.Option("--estimator", help="With --many-sources: levels | law_of_motion | ml (repeatable).")] = None,
    research_csv: Annotated[Optional[Path], typer.Option("--research-csv", help="With --many-sources: a user research-input CSV (year, --research-col).")] = None,
    lag: Annotated[int, typer.Option("--lag", min=0, help="With --many-sources: lag of research growth in the law of motion.")] = 1,
) -> None:
    """Estimate the returns to software r = dlog S / dlog R (HAC and block-bootstrap intervals), or from many sources."""
    from aiprogress.algorithmic import returns as R
    from aiprogress.algorithmic import vision_r as V
    from aiprogress.results import format_table

    if many_sources:
        _many_sources(inputs, estimators, research_csv, research_col, lag, level, bootstrap, seed, data_dir, catalog, plot, json_out, quiet)
        return
    if (csv is None) == (from_catalog is None):
        raise ParameterError("csv", "give exactly one of --csv FILE or --from-catalog NAME", expected="--csv or --from-catalog")
    r0_val = _parse_r0(r0)
    _check_plot(plot)
    with progress(quiet, "bootstrap", total=bootstrap) as advance:
        common = dict(n_boot=bootstrap, block_length=block_length, cov_type=cov_type, level=level, seed=seed, progress=advance)
        if csv is not None:
            result = R.estimate_r_csv(
                csv, software_col=software_col, research_col=research_col, time_col=time_col, cumulative=cumulative, r0=r0_val, **common
            )
        else:
            result = V.estimate_r_from_catalog(
                from_catalog, measure=measure, r0=r0_val, data_dir=data_dir, catalog=catalog, software_source=software_source, **common
            )
    extra: dict = {}
    text = result.summary()
    if from_catalog is not None:
        other_source = "scaling" if software_source == "fe" else "fe"
        cross = V.estimate_r_from_catalog(
            from_catalog, measure=measure, r0=r0_val, data_dir=data_dir, catalog=catalog, software_source=other_source,
            n_boot=0, cov_type=cov_type, level=level,
        )
        label = "cross-check: S from scaling trend" if other_source == "scaling" else "cross-check: S from year effects"
        comp = V.compare_with_published(result, others={f"{label} ({cov_type})": cross})
        why = V.explain_difference(result)
        extra = {"published_comparison": comp, "explanation": why}
        text += "\n\n" + format_table(comp, title="Published vs estimated r") + "\n\n" + "\n".join(why)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(V.plot_r_fit(result), plot)
        if not json_out:
            text += f"\n\nFigure written to {plot}"
    if json_out:
        out = result.to_dict()
        out.update(extra)
        if plot is not None:
            out["plot"] = str(plot)
        emit(out, True)
    else:
        emit(result, False, text=text)


app.command("returns")(returns_cmd)


def _many_sources(inputs, estimators, research_csv, research_col, lag, level, bootstrap, seed, data_dir, catalog, plot, json_out, quiet):
    from aiprogress.algorithmic.inputs import MEASURES
    from aiprogress.algorithmic.sources import ESTIMATORS, r_from_sources

    for name, values, allowed in (("input", inputs, MEASURES), ("estimator", estimators, ESTIMATORS)):
        bad = [v for v in values or [] if v not in allowed]
        if bad:
            raise ParameterError(name, f"unknown value {bad[0]!r}", expected=" | ".join(allowed))
    _check_plot(plot)
    with progress(quiet, "bootstrap (levels estimator)") as advance:
        res = r_from_sources(measures=tuple(inputs or MEASURES), estimators=tuple(estimators or ESTIMATORS), csv=research_csv,
                             csv_column=research_col, lag=lag, level=level, n_boot=bootstrap, seed=seed, data_dir=data_dir,
                             catalog=catalog, progress=advance)
    from aiprogress.algorithmic.plots import plot_efficiency

    _save_plot(lambda: plot_efficiency(res.series), plot)
    out = {"table": res.table, "spread_by_input": res.spread(), "efficiency_series": res.series, "level": level,
           "notes": list(res.notes), "sources": _SOURCES_R, **({"plot": str(plot)} if plot else {})}
    emit(out if json_out else res, json_out)


_SOURCES_R = [
    "thompson2020/imagenet.csv", "epoch/all_ai_models_2025-03.csv", "epoch/ml_hardware_2026-01.csv",
    "epoch_benchmarks/ (runs, external benchmarks, model_versions.csv, distilled_models.csv)",
    "geography/nesta_dl_papers_by_country_year_1994-2020.csv",
]
DomainOpt = Annotated[str, typer.Option("--domain", help="vision (ImageNet) | language (Epoch benchmarks).")]
LevelOpt = Annotated[float, typer.Option("--level", min=0.5, max=0.999, help="Interval level.")]
BootOpt = Annotated[int, typer.Option("--bootstrap", min=0, help="Bootstrap draws (0 = none).")]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Random seed.")]


def _check_domain(domain: str) -> None:
    if domain not in ("vision", "language"):
        raise ParameterError("domain", f"got {domain!r}", expected="vision | language")


@app.command("halving")
@guard
def halving_cmd(
    domain: DomainOpt = "vision",
    level: LevelOpt = 0.90,
    bootstrap: BootOpt = 1000,
    seed: SeedOpt = 0,
    include_distilled: Annotated[bool, typer.Option("--include-distilled", help="Language: keep distilled models (excluded by default).")] = False,
    min_models: Annotated[int, typer.Option("--min-models", min=5, help="Language: models a benchmark needs for its own fit.")] = 15,
    refit_bootstrap: Annotated[int, typer.Option("--refit-bootstrap", min=0, help="Language: draws refitting the stitching too (slow).")] = 0,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Compute halving time at fixed performance (delta-method and bootstrap intervals) next to the published value."""
    _check_domain(domain)
    _check_plot(plot)
    with progress(quiet, f"{domain}: bootstrap", total=bootstrap) as advance:
        if domain == "vision":
            from aiprogress.algorithmic.vision import vision_halving

            res = vision_halving(data_dir=data_dir, catalog=catalog, level=level, n_boot=bootstrap, seed=seed, progress=advance)
        else:
            from aiprogress.algorithmic.language import language_halving

            res = language_halving(data_dir=data_dir, catalog=catalog, include_distilled=include_distilled, min_models=min_models,
                                   level=level, n_boot=bootstrap, refit_boot=refit_bootstrap, seed=seed, progress=advance)
    text = None
    if plot is not None:
        from aiprogress.algorithmic.plots import plot_halving
        from aiprogress.reportkit import save_figure

        save_figure(plot_halving(res), plot)
        text = res.summary() + f"\n\nFigure written to {plot}"
    if json_out:
        out = res.to_dict()
        for key in ("sample", "capabilities"):
            out.pop(key, None)
        if plot is not None:
            out["plot"] = str(plot)
        emit(out, True)
    else:
        emit(res, False, text=text)


@app.command("decompose")
@guard
def decompose_cmd(
    domain: DomainOpt = "vision",
    start: Annotated[Optional[float], typer.Option("--start", help="Period start (decimal year; default: from the data).")] = None,
    end: Annotated[Optional[float], typer.Option("--end", help="Period end (decimal year).")] = None,
    with_parameters: Annotated[bool, typer.Option("--with-parameters", help="Split compute into parameters (and data, language).")] = False,
    include_distilled: Annotated[bool, typer.Option("--include-distilled", help="Language: keep distilled models.")] = False,
    level: LevelOpt = 0.90,
    bootstrap: BootOpt = 500,
    seed: SeedOpt = 0,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Exact Shapley decomposition of progress over a period into compute and algorithms (and parameters/data)."""
    _check_domain(domain)
    _check_plot(plot)
    from aiprogress.algorithmic import decompose as D

    with progress(quiet, f"{domain}: bootstrap", total=bootstrap) as advance:
        if domain == "vision":
            res = D.decompose_vision(start=start, end=end, with_parameters=with_parameters, data_dir=data_dir, catalog=catalog,
                                     level=level, n_boot=bootstrap, seed=seed, progress=advance)
        else:
            res = D.decompose_language(start=start, end=end, with_parameters=with_parameters, include_distilled=include_distilled,
                                       data_dir=data_dir, catalog=catalog, level=level, n_boot=bootstrap, seed=seed, progress=advance)
    from aiprogress.algorithmic.shapley import plot_decomposition

    _save_plot(lambda: plot_decomposition(res), plot)
    out = res.to_dict()
    out["sources"] = _SOURCES_R[:3] if domain == "vision" else _SOURCES_R[1:2] + _SOURCES_R[3:4]
    if plot is not None:
        out["plot"] = str(plot)
    emit(out if json_out else res, json_out)


@app.command("meta")
@guard
def meta_cmd(
    published_only: Annotated[bool, typer.Option("--published-only", help="Leave out our own estimates.")] = False,
    include_hardware: Annotated[bool, typer.Option("--include-hardware", help="Also pool the hardware r (Davidson 2023).")] = False,
    method: Annotated[str, typer.Option("--method", help="pm (Paule-Mandel) | dl (DerSimonian-Laird).")] = "pm",
    assumed_log_se: Annotated[float, typer.Option("--assumed-log-se", min=0.01, help="log-se given to published points without an interval.")] = 0.334,
    level: LevelOpt = 0.90,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Random-effects meta-analysis of log r: pooled r, heterogeneity (tau2, I2) and a prediction interval for a new domain."""
    _check_plot(plot)
    from aiprogress.algorithmic.meta import run_meta

    with progress(quiet, "meta-analysis") as _:
        res, sens = run_meta(ours=not published_only, include_hardware=include_hardware, method=method, level=level,
                             assumed_log_se=assumed_log_se, data_dir=data_dir, catalog=catalog)
    from aiprogress.algorithmic.plots import plot_meta

    _save_plot(lambda: plot_meta(res), plot)
    out = res.to_dict() | {"sensitivity_assumed_log_se": sens, "sources": ["aiprogress/algorithmic/published_r.csv"] + ([] if published_only else _SOURCES_R[:4])}
    if plot is not None:
        out["plot"] = str(plot)
    if json_out:
        emit(out, True)
    else:
        from aiprogress.results import format_table

        emit(res, False, text=res.summary() + "\n\n" + format_table(sens, title="Sensitivity to the assumed log-se of point-only published estimates"))


@app.command("acceleration")
@guard
def acceleration_cmd(
    domain: Annotated[Optional[str], typer.Option("--domain", help="vision | language: the model-level progress measure, log10 compute held fixed.")] = None,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Instead of --domain: a CSV with time and value columns.")] = None,
    time_col: Annotated[str, typer.Option("--time-col", help="Time column of --csv (year or date).")] = "year",
    value_col: Annotated[str, typer.Option("--value-col", help="Value column of --csv (higher = more progress).")] = "value",
    alpha: Annotated[float, typer.Option("--alpha", min=0.001, max=0.5, help="Test level.")] = 0.05,
    n_sim: Annotated[int, typer.Option("--n-sim", min=19, help="Null simulations for the breakpoint p-value.")] = 999,
    power_series: Annotated[int, typer.Option("--power-series", min=0, help="Synthetic series per case for size and power (0 = skip).")] = 2000,
    curvature: Annotated[float, typer.Option("--curvature", help="Acceleration of the synthetic alternative (y = t + curvature t²/10).")] = 0.5,
    seed: SeedOpt = 0,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Test for accelerating progress (convex trend, breakpoint) against a linear null; report size and power on synthetic data."""
    from aiprogress.algorithmic.accel_data import domain_series
    from aiprogress.algorithmic.acceleration import acceleration_test, size_and_power

    if (domain is None) == (csv is None):
        raise ParameterError("domain", "give exactly one of --domain or --csv", expected="--domain vision|language or --csv FILE")
    if domain is not None:
        _check_domain(domain)
    t, y, controls, label, files = domain_series(domain, csv=csv, time_col=time_col, value_col=value_col, data_dir=data_dir, catalog=catalog)
    with progress(quiet, "null simulations", total=n_sim) as advance:
        res = acceleration_test(t, y, controls=controls, label=label, alpha=alpha, n_sim=n_sim, seed=seed, progress=advance)
    power = size_and_power(n=len(t), n_series=power_series, curvature=curvature, alpha=alpha, n_sim=n_sim, seed=seed) if power_series else None
    out = res.to_dict() | {"size_and_power": power, "sources": files}
    if json_out:
        emit(out, True)
    else:
        from aiprogress.results import format_table

        text = res.summary() + ("" if power is None else "\n\n" + format_table(power, title="Size (null) and power (accelerating) on synthetic series of the same length"))
        emit(res, False, text=text)
