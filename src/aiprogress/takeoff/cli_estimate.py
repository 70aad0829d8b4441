"""CLI commands estimate-rho and estimate-r for aiprogress.takeoff."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the estimation commands to the takeoff sub-app."""
    return None
