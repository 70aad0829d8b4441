"""The ``aiprogress`` command line: a thin Typer layer over the library.

Each capability defines its own sub-app in ``aiprogress/<capability>/cli.py``;
this module only mounts them, as listed in :mod:`aiprogress.capabilities`.

Start-up cost: Typer turns every command of every mounted group into a Click
command when the program starts (reading each function's signature). The
console entry point :func:`main` therefore mounts for real only the group named
on the command line, and the other groups as empty stand-ins that carry their
help line, so ``aiprogress --help`` lists every group and ``aiprogress takeoff
max-speed`` converts only the takeoff commands. ``aiprogress.cli.app`` (for
tests and ``typer.testing.CliRunner``) is the full app, built on first use.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

ROOT_HELP = "Measure how compute, researchers and algorithms drive AI progress, and project what follows."


def _version(value: bool) -> None:
    if value:
        from aiprogress import __version__

        typer.echo(f"aiprogress {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    if debug:
        os.environ["AIPROGRESS_DEBUG"] = "1"


def build_app(only: str | None = None) -> typer.Typer:
    """The root app. ``only=None`` mounts every group; ``only="x"`` mounts group ``x`` for real and
    the others as help-only stand-ins; ``only=""`` mounts stand-ins only (for ``aiprogress --help``)."""
    from aiprogress.capabilities import CAPABILITIES, resolve
    from aiprogress.report.cli import register as register_report

    root = typer.Typer(
        name="aiprogress", help=ROOT_HELP, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False
    )
    root.callback()(_root)
    for cap in CAPABILITIES:
        for name, ref, help_text in cap.cli:
            real = only is None or name == only
            root.add_typer(resolve(ref) if real else typer.Typer(help=help_text), name=name, help=help_text)
    register_report(root)
    return root


def group_names() -> list[str]:
    from aiprogress.capabilities import CAPABILITIES

    return [name for cap in CAPABILITIES for name, _, _ in cap.cli]


def requested_group(argv: list[str]) -> str | None:
    """The group a command line asks for: its first word (root options are flags); "" for none;
    None when that word is not a group (mount everything, so Click can suggest a name)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in group_names() or arg == "report" else None
    return ""


def __getattr__(name: str) -> typer.Typer:
    if name != "app":
        raise AttributeError(f"module 'aiprogress.cli' has no attribute '{name}'")
    value = build_app()
    globals()["app"] = value
    return value


def main() -> None:
    build_app(requested_group(sys.argv[1:]))()


if __name__ == "__main__":
    main()
