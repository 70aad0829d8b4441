"""The ``aiprogress`` command line: a thin Typer layer over the library.

Each capability defines its own sub-app in ``aiprogress/<capability>/cli.py``;
this module only mounts them.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from aiprogress import __version__

app = typer.Typer(
    name="aiprogress",
    help="Measure how compute, researchers and algorithms drive AI progress, and project what follows.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
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
    from aiprogress.compute.cli import app as compute_app
    from aiprogress.data.cli import app as data_app
    from aiprogress.growth.cli import app as growth_app
    from aiprogress.ideas.cli import app as ideas_app
    from aiprogress.report.cli import register as register_report
    from aiprogress.scaling.cli import app as scaling_app
    from aiprogress.scaling.cli import trends_app
    from aiprogress.takeoff.cli import app as takeoff_app

    app.add_typer(data_app, name="data", help="Load, validate, catalogue and fetch the data sources.")
    app.add_typer(compute_app, name="compute", help="Training-compute accounting.")
    app.add_typer(scaling_app, name="scaling", help="Compute-performance scaling fits and extrapolation.")
    app.add_typer(trends_app, name="trends", help="Growth trends of training compute.")
    app.add_typer(ideas_app, name="ideas", help="Idea production function estimation.")
    app.add_typer(growth_app, name="growth", help="Semi-endogenous growth model.")
    app.add_typer(takeoff_app, name="takeoff", help="CES research production and software intelligence explosion.")
    register_report(app)


_mount()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
