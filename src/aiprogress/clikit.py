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
import math
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, TypeVar

import typer
from rich.console import Console

from aiprogress import paths
from aiprogress.errors import AiprogressError, ParameterError
from aiprogress.results import Result, jsonable

F = TypeVar("F", bound=Callable[..., Any])

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

# Validated options ---------------------------------------------------------
# Counts, seeds, sizes and fractions are checked while the command line is
# parsed (before any data is loaded), and a bad value ends with the one-line
# message and exit code 2 of :func:`fail`, e.g.
#   error: parameter '--n-boot': 0 is out of range (expected an integer >= 1)
# Use them as ``Annotated[int, count_option("--n-boot", help="...")] = 1000``.


def _opt_name(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    return opts[0] if opts else f"--{str(param.name).replace('_', '-')}"


def check_value(name: str, value: Any, ok: Callable[[Any], bool], expected: str) -> Any:
    """Raise ParameterError (one line) unless ``ok(value)``; None passes (an unset option)."""
    if value is None:
        return value
    for v in value if isinstance(value, (list, tuple)) else (value,):
        try:
            good = bool(ok(v))
        except (TypeError, ValueError, OverflowError):
            good = False
        if not good:
            shown = f"{v:g}" if isinstance(v, float) else repr(v) if isinstance(v, str) else str(v)
            raise ParameterError(name, f"{shown} is out of range", expected=expected)
    return value


def _callback(ok: Callable[[Any], bool], expected: str) -> Callable[..., Any]:
    def callback(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
        if ctx.resilient_parsing:
            return value
        try:
            return check_value(_opt_name(param), value, ok, expected)
        except ParameterError as exc:
            fail(str(exc))

    return callback


def validated_option(*decls: str, ok: Callable[[Any], bool], expected: str, **kwargs: Any) -> Any:
    """A ``typer.Option`` whose value must satisfy ``ok`` (checked at parse time)."""
    return typer.Option(*decls, callback=_callback(ok, expected), **kwargs)


def _finite(v: float) -> bool:
    return math.isfinite(v)


def count_option(*decls: str, minimum: int = 1, maximum: int | None = None, **kwargs: Any) -> Any:
    """An integer count (resamples, draws, workers, top-k ...): ``minimum`` <= n [<= ``maximum``]."""
    expected = f"an integer >= {minimum}" if maximum is None else f"an integer in [{minimum}, {maximum}]"
    return validated_option(*decls, ok=lambda v: v >= minimum and (maximum is None or v <= maximum),
                            expected=expected, **kwargs)


def seed_option(*decls: str, **kwargs: Any) -> Any:
    """A random seed: an integer >= 0."""
    kwargs.setdefault("help", "Random seed (an integer >= 0); same seed, same numbers.")
    return validated_option(*(decls or ("--seed",)), ok=lambda v: v >= 0, expected="an integer >= 0", **kwargs)


def positive_option(*decls: str, **kwargs: Any) -> Any:
    """A finite number > 0 (a size, a duration, a chip count, a rate)."""
    return validated_option(*decls, ok=lambda v: _finite(v) and v > 0, expected="a finite number > 0", **kwargs)


def nonnegative_option(*decls: str, **kwargs: Any) -> Any:
    """A finite number >= 0."""
    return validated_option(*decls, ok=lambda v: _finite(v) and v >= 0, expected="a finite number >= 0", **kwargs)


def finite_option(*decls: str, **kwargs: Any) -> Any:
    """Any finite number (no inf / nan)."""
    return validated_option(*decls, ok=_finite, expected="a finite number", **kwargs)


def range_option(
    *decls: str, low: float, high: float, low_open: bool = False, high_open: bool = False, **kwargs: Any
) -> Any:
    """A finite number in an interval, e.g. a fraction ``range_option("--level", low=0, high=1, low_open=True, high_open=True)``."""
    lb, rb = ("(" if low_open else "["), (")" if high_open else "]")

    def ok(v: float) -> bool:
        return _finite(v) and (v > low if low_open else v >= low) and (v < high if high_open else v <= high)

    return validated_option(*decls, ok=ok, expected=f"a number in {lb}{low:g}, {high:g}{rb}", **kwargs)


def fraction_option(*decls: str, open_interval: bool = False, **kwargs: Any) -> Any:
    """A fraction in [0, 1] (or (0, 1) with ``open_interval``)."""
    return range_option(*decls, low=0.0, high=1.0, low_open=open_interval, high_open=open_interval, **kwargs)


def _check_plot(ctx: typer.Context, param: typer.CallbackParam, value: Path | None) -> Path | None:
    """``--plot``: checked before the command's work starts (file type, folder)."""
    if value is None or ctx.resilient_parsing:
        return value
    try:
        return paths.check_plot_path(value)
    except AiprogressError as exc:
        fail(str(exc))
    return value


# Common option types -------------------------------------------------------
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default: see README, 'Where data comes from')."),
]
CatalogOpt = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        help="DuckDB catalog file (default: $AIPROGRESS_CATALOG, else out/catalog.duckdb inside the checkout, "
        "else ~/.cache/aiprogress/catalog.duckdb; see README, 'The catalog').",
    ),
]
PlotOpt = Annotated[
    Path | None,
    typer.Option("--plot", help="Also save the figure to this .png, .svg or .pdf file.", callback=_check_plot),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Where chunks run: threads (default), sync, processes, local (temporary Dask "
                 "cluster: one no-nanny worker process per core, no dashboard) or a Dask scheduler address tcp://host:8786."),
]
SeedOpt = Annotated[int, seed_option("--seed")]


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
        paths.clear_reads()  # what this command reads is reported by emit()
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


def warn_stale_reads() -> None:
    """One warning line on stderr per catalog read that is older than its source files."""
    for r in paths.reads():
        if r.get("kind") == "catalog" and r.get("stale"):
            changed = ", ".join(r.get("changed_sources") or []) or "its source files"
            stderr.print(f"[yellow]warning:[/] catalog {r['path']} (built {r.get('built_at')}) is older than "
                         f"{changed}; rebuild it with 'aiprogress data build'", highlight=False, markup=True)


def emit(result: Result | dict[str, Any], json_out: bool, text: str | None = None) -> None:
    """Print a result: JSON when ``--json``, else ``text`` or ``result.summary()``.

    The JSON object gains ``read_from`` (the catalog, with when it was built,
    or the raw files the command read) when the command read any data."""
    warn_stale_reads()
    if json_out:
        obj = result.to_dict() if isinstance(result, Result) else dict(result)
        read = paths.reads()
        if read and "read_from" not in obj:
            obj["read_from"] = read
        print_json(obj)
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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

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
