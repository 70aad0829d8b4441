"""CLI group ``aiprogress algorithmic`` (thin layer over :mod:`aiprogress.algorithmic`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from aiprogress.clikit import CatalogOpt, DataDirOpt, JsonOpt, PlotOpt, QuietOpt, emit, guard, progress
from aiprogress.errors import ParameterError

app = typer.Typer(help="Algorithmic progress: compute-equivalent halving times, decomposition, returns to software r, meta-analysis.")


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
) -> None:
    """Estimate the returns to software r = dlog S / dlog R (HAC and block-bootstrap intervals)."""
    from aiprogress.algorithmic import returns as R
    from aiprogress.algorithmic import vision_r as V
    from aiprogress.results import format_table

    if (csv is None) == (from_catalog is None):
        raise ParameterError("csv", "give exactly one of --csv FILE or --from-catalog NAME", expected="--csv or --from-catalog")
    r0_val = _parse_r0(r0)
    if plot is not None:
        from aiprogress.reportkit import check_plot_path

        check_plot_path(plot)
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
