"""Shared helpers for the thin Typer CLI layers of each capability.

Conventions (SPEC.md):
- ``--json`` prints exactly one JSON object on stdout and nothing else;
- long work shows a rich progress bar on stderr unless ``--quiet``;
- bad input ends with a one-line message on stderr and exit code 2, with no
  traceback unless ``--debug`` (root option) or ``AIPROGRESS_DEBUG=1``.

Usage in a capability's ``cli.py``::

    app = typer.Typer(help="...")

    @app.command()
    @guard
    def fit(json_out: JsonOpt = False, quiet: QuietOpt = False):
        result = library_call(...)
        emit(result, json_out)
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from aiprogress.errors import AiprogressError
from aiprogress.results import Result, jsonable

F = TypeVar("F", bound=Callable[..., Any])

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

# Common option types -------------------------------------------------------
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default: see README, 'Where data comes from')."),
]
CatalogOpt = Annotated[
    Path | None,
    typer.Option("--catalog", help="DuckDB catalog file (default ~/.cache/aiprogress/catalog.duckdb)."),
]
PlotOpt = Annotated[
    Path | None, typer.Option("--plot", help="Also save the figure to this .png or .svg file.")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786) or 'local'."),
]


def debug_enabled() -> bool:
    return os.environ.get("AIPROGRESS_DEBUG", "") not in ("", "0")


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error on stderr and exit."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def guard(func: F) -> F:
    """Turn library errors into a one-line message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except AiprogressError as exc:
            if debug_enabled():
                raise
            fail(str(exc))
        except (ValueError, OSError, KeyError) as exc:
            if debug_enabled():
                raise
            fail(f"{type(exc).__name__}: {exc}")

    return wrapper  # type: ignore[return-value]


def print_json(obj: Any) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(jsonable(obj), allow_nan=False) + "\n")
    sys.stdout.flush()


def emit(result: Result | dict[str, Any], json_out: bool, text: str | None = None) -> None:
    """Print a result: JSON when ``--json``, else ``text`` or ``result.summary()``."""
    if json_out:
        print_json(result.to_dict() if isinstance(result, Result) else result)
        return
    if text is None:
        text = result.summary() if isinstance(result, Result) else json.dumps(jsonable(result), indent=2)
    stdout.print(text, highlight=False, markup=False)


@contextlib.contextmanager
def progress(quiet: bool, description: str = "working", total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr; yields ``advance(n)``. Silent when ``quiet``.

    Library functions accept an optional ``progress`` callback ``advance(n)``;
    pass the yielded function there.
    """
    if quiet or not sys.stderr.isatty() and os.environ.get("AIPROGRESS_FORCE_PROGRESS") is None:
        # Non-interactive stderr (CI, pipes): stay quiet to keep logs clean.
        yield lambda n=1: None
        return
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance
