"""CLI commands estimate-rho, sigma-to-rho (and the estimate-r alias of ``algorithmic returns``) for aiprogress.takeoff (thin layer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from aiprogress.clikit import JsonOpt, emit, guard


def register(app: typer.Typer) -> None:
    """Add the estimation commands to the takeoff sub-app."""

    @app.command("estimate-rho")
    @guard
    def estimate_rho_cmd(
        csv: Annotated[Path, typer.Option("--csv", help="CSV with output, labour and capital columns (time series or panel).")],
        output_col: Annotated[str, typer.Option("--output-col", help="Output column (Y).")] = "Y",
        labour_col: Annotated[str, typer.Option("--labour-col", help="Labour column (L).")] = "L",
        capital_col: Annotated[str, typer.Option("--capital-col", help="Capital column (K).")] = "K",
        method: Annotated[str, typer.Option("--method", help="translog | nls | both.")] = "both",
        cov_type: Annotated[str, typer.Option("--cov-type", help="Translog OLS covariance: nonrobust | HC1 | HC3 ...")] = "nonrobust",
        level: Annotated[float, typer.Option("--level", help="Confidence level of the intervals.")] = 0.95,
        json_out: JsonOpt = False,
    ) -> None:
        """Estimate the CES substitution parameter ρ (and σ = 1/(1−ρ)) by translog OLS and/or NLS."""
        from aiprogress.takeoff.estimate import estimate_rho_csv

        result = estimate_rho_csv(
            csv, output_col=output_col, labour_col=labour_col, capital_col=capital_col, method=method, cov_type=cov_type, level=level
        )
        emit(result, json_out)

    # estimate-r moved to the algorithmic capability ("aiprogress algorithmic returns"); kept here as an alias.
    from aiprogress.algorithmic.cli import returns_cmd

    app.command("estimate-r", help="Alias of 'aiprogress algorithmic returns': returns to software r = dlog S / dlog R.")(returns_cmd)

    @app.command("sigma-to-rho")
    @guard
    def sigma_to_rho_cmd(
        sigma: Annotated[Optional[list[float]], typer.Option("--sigma", help="Elasticity of substitution σ (repeatable).")] = None,
        more: Annotated[Optional[list[float]], typer.Argument(help="More σ values (so '--sigma 0.45 0.87' works).", show_default=False)] = None,
        alpha: Annotated[float, typer.Option("--alpha", help="CES weight on labour for the ceiling (L → ∞, K = 1).")] = 0.5,
        json_out: JsonOpt = False,
    ) -> None:
        """Convert σ values to ρ = 1 − 1/σ, with the implied CES ceiling."""
        from aiprogress.takeoff.sigma import convert_sigma

        values = list(sigma or []) + list(more or [])
        result = convert_sigma(values, alpha=alpha)
        emit(result, json_out)
