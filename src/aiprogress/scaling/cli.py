"""CLI for aiprogress.scaling (thin layer over the library)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)
trends_app = typer.Typer(no_args_is_help=True)
