"""CLI for aiprogress.data (thin layer over the library)."""

from __future__ import annotations

from typing import Annotated

import typer

from aiprogress.clikit import (
    CatalogOpt,
    DataDirOpt,
    JsonOpt,
    QuietOpt,
    emit,
    fraction_option,
    guard,
    nonnegative_option,
    progress,
)

app = typer.Typer(no_args_is_help=True)


@app.command()
@guard
def build(
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Store bad rows in the 'rejects' table instead of failing.")
    ] = False,
    max_reject_share: Annotated[
        float, fraction_option("--max-reject-share", help="With --skip-bad-rows: fail when a source loses more than this share of its rows.")
    ] = 0.5,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help="Accept a source file with a header but no data rows.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a file at --catalog that is not an aiprogress catalog (or is damaged).")
    ] = False,
    wait: Annotated[
        float, nonnegative_option("--wait", help="Seconds to wait for another build of the same catalog to finish (default: fail at once).")
    ] = 0.0,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Load every source into the DuckDB catalog (atomically: a failed build keeps the old one)."""
    from aiprogress.data.catalog import build_catalog
    from aiprogress.data.sources import SOURCES

    with progress(quiet or json_out, "loading sources", total=len(SOURCES)) as advance:
        result = build_catalog(data_dir, catalog, skip_bad_rows=skip_bad_rows, allow_empty=allow_empty,
                               max_reject_share=max_reject_share, force=force, wait=wait, progress=advance)
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
