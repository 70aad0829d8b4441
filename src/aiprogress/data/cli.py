"""CLI for aiprogress.data (thin layer over the library)."""

from __future__ import annotations

from typing import Annotated

import typer

from aiprogress.clikit import CatalogOpt, DataDirOpt, JsonOpt, QuietOpt, emit, guard, progress

app = typer.Typer(no_args_is_help=True)


@app.command()
@guard
def build(
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Store bad rows in the 'rejects' table instead of failing.")
    ] = False,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Load every source into the DuckDB catalog (atomically: a failed build keeps the old one)."""
    from aiprogress.data.catalog import build_catalog
    from aiprogress.data.sources import SOURCES

    with progress(quiet or json_out, "loading sources", total=len(SOURCES)) as advance:
        result = build_catalog(data_dir, catalog, skip_bad_rows=skip_bad_rows, progress=advance)
    emit(result, json_out)


@app.command()
@guard
def status(data_dir: DataDirOpt = None, catalog: CatalogOpt = None, json_out: JsonOpt = False) -> None:
    """Show each source: path, rows, rejected rows, checksum, version, and the catalog's age."""
    from aiprogress.data.catalog import catalog_status

    emit(catalog_status(catalog, data_dir), json_out)


@app.command()
@guard
def fetch(
    data_dir: DataDirOpt = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Fetch every file from <URL>/<file name> instead of its public address.")
    ] = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="Fetch only this source (repeatable), e.g. imagenet.")] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Download the sources from their public addresses into the data directory."""
    from aiprogress.data.fetch import fetch_sources
    from aiprogress.data.sources import SOURCES

    total = len(only) if only else len(SOURCES)
    with progress(quiet or json_out, "downloading", total=total) as advance:
        result = fetch_sources(data_dir, base_url=base_url, only=only, progress=advance)
    emit(result, json_out)
