"""``aiprogress report``: write the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiprogress.clikit import CatalogOpt, DataDirOpt, JsonOpt, QuietOpt, emit, guard, progress, stderr


def register(app: typer.Typer) -> None:
    @app.command("report")
    @guard
    def report(
        out: Annotated[Path, typer.Option("--out", help="Output folder for index.html.")] = Path("out/report"),
        data_dir: DataDirOpt = None,
        catalog: CatalogOpt = None,
        sections: Annotated[str | None, typer.Option("--sections", help="Comma-separated section keys (default: all).")] = None,
        seed: Annotated[int, typer.Option("--seed", help="Seed for the stochastic parts (bootstrap, Monte Carlo).")] = 0,
        json_out: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Write a self-contained HTML report (works offline) to OUT/index.html."""
        from aiprogress.paths import resolve_catalog
        from aiprogress.report import build_report
        from aiprogress.report import sections as all_sections

        only = [s.strip() for s in sections.split(",")] if sections else None
        cat = resolve_catalog(catalog)
        total = len(only) if only else len(all_sections())
        with progress(quiet, "building report", total=total) as advance:
            result = build_report(
                out, data_dir=data_dir, catalog=cat if cat.exists() else None, only=only, seed=seed, progress=advance
            )
        for key, err in result.failed.items():
            stderr.print(f"[yellow]warning:[/] section '{key}' failed: {err}", highlight=False)
        emit(result, json_out)
