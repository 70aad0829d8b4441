"""``aiprogress report``: write the self-contained HTML report; ``report scorecard``: the replication scorecard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiprogress.clikit import CatalogOpt, DataDirOpt, JsonOpt, QuietOpt, SeedOpt, emit, guard, progress, stderr

app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="Write a self-contained HTML report (works offline) to OUT/index.html; 'report scorecard' lists the replications.",
)


def _data_source(data_dir, catalog):
    from aiprogress.paths import resolve_catalog

    cat = resolve_catalog(catalog)
    return (cat if cat.exists() else None), data_dir


@app.callback()
@guard
def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Output folder for index.html.")] = Path("out/report"),
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    sections: Annotated[str | None, typer.Option("--sections", help="Comma-separated section keys (default: all).")] = None,
    seed: SeedOpt = 0,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes building sections in parallel (default: every available core; "
                                           "1: one after the other in this process). The report is the same either way."),
    ] = None,
    allow_partial: Annotated[
        bool, typer.Option("--allow-partial", help="Write the report even when a section fails (default: keep the previous report and exit 1).")
    ] = False,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Write a self-contained HTML report (works offline) to OUT/index.html.

    If any section (or scorecard) fails, nothing is written, the previous
    report is kept and the exit code is 1, unless --allow-partial.
    """
    if ctx.invoked_subcommand is not None:
        return
    from aiprogress.report import build_report
    from aiprogress.report import sections as all_sections
    from aiprogress.report.builder import check_out_dir

    check_out_dir(out)  # before any work: a read-only --out fails now, not after the build
    only = [s.strip() for s in sections.split(",") if s.strip()] if sections else None
    cat, data_dir = _data_source(data_dir, catalog)
    total = len(only) if only else len(all_sections())
    with progress(quiet, "building report", total=total) as advance:
        result = build_report(out, data_dir=data_dir, catalog=cat, only=only, seed=seed, progress=advance,
                              allow_partial=allow_partial, jobs=jobs)
    for key, err in result.failed.items():
        stderr.print(f"[yellow]warning:[/] section '{key}' failed: {err}", highlight=False)
    emit(result, json_out)
    if result.failed and not result.written:
        stderr.print(
            f"[bold red]error:[/] {len(result.failed)} part(s) of the report failed; {result.path} was not replaced "
            "(use --allow-partial to write a report with failed sections)", highlight=False)
        raise typer.Exit(1)


@app.command("scorecard")
@guard
def scorecard(
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    capability: Annotated[
        str | None, typer.Option("--capability", help="Comma-separated capability keys (default: every capability with a scorecard).")
    ] = None,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """Every published number the report checks, published vs ours, with its status (same rows as the report)."""
    from aiprogress.capabilities import scorecard_functions
    from aiprogress.errors import ParameterError
    from aiprogress.report.scorecard import collect
    from aiprogress.reportkit import ReportContext

    functions = scorecard_functions()
    keys = None
    if capability:
        keys = [k.strip() for k in capability.split(",") if k.strip()]
        known = sorted({k for k, _ in functions})
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ParameterError("capability", f"no scorecard for {', '.join(unknown)}", expected=", ".join(known))
    cat, data_dir = _data_source(data_dir, catalog)
    ctx = ReportContext(data_dir=Path(data_dir) if data_dir else None, catalog=cat, seed=seed)
    card = collect(ctx, keys, functions)
    if json_out:
        from aiprogress.paths import resolve_data_dir

        try:
            data = str(resolve_data_dir(data_dir))
        except Exception:  # noqa: BLE001 - naming the data folder is informational
            data = str(data_dir) if data_dir else None
        emit({**card.to_dict(), "catalog": str(cat) if cat else None, "data_dir": data}, True)
    else:
        emit(card, False)
    if card.failed:
        raise typer.Exit(1)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="report")
