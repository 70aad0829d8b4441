"""The ``aiprogress`` command line: a thin Typer layer over the library.

Each capability defines its own sub-app in ``aiprogress/<capability>/cli.py``;
this module only mounts them.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

app = typer.Typer(
    name="aiprogress",
    help="Measure how compute, researchers and algorithms drive AI progress, and project what follows.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from aiprogress import __version__

        typer.echo(f"aiprogress {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    if debug:
        os.environ["AIPROGRESS_DEBUG"] = "1"


def _mount() -> None:
    """Mount every capability's CLI groups, as listed in :mod:`aiprogress.capabilities`."""
    from aiprogress.capabilities import CAPABILITIES, resolve
    from aiprogress.report.cli import register as register_report

    for cap in CAPABILITIES:
        for name, ref, help_text in cap.cli:
            app.add_typer(resolve(ref), name=name, help=help_text)
    register_report(app)


_mount()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
