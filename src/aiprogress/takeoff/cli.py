"""CLI for aiprogress.takeoff (thin layer over the library)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)

# The estimation commands (estimate-rho, estimate-r) live in cli_estimate.py.
from aiprogress.takeoff.cli_estimate import register as _register_estimate  # noqa: E402

_register_estimate(app)
