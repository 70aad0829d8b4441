"""CLI for aiprogress.growth (thin layer over the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiprogress.clikit import JsonOpt, PlotOpt, QuietOpt, emit, guard, nonnegative_option, progress, range_option
from aiprogress.errors import ParameterError

app = typer.Typer(no_args_is_help=True, help="Semi-endogenous growth model with capital in R&D (Besiroglu et al. §2, §7).")

ThetaOpt = Annotated[float, typer.Option("--theta", help="Elasticity of idea production to the stock of ideas.")]
NOpt = Annotated[float, typer.Option("--n", help="Population growth, fraction per year (0.01 = 1%).")]
BetaOpt = Annotated[float, typer.Option("--beta", help="Elasticity of idea production to R&D capital.")]
GammaOpt = Annotated[float, typer.Option("--gamma", help="Elasticity of idea production to R&D labour.")]


@app.command("steady-state")
@guard
def steady_state_cmd(
    beta: BetaOpt = 0.1,
    gamma: GammaOpt = 0.4,
    theta: ThetaOpt = 0.5,
    n: NOpt = 0.01,
    json_out: JsonOpt = False,
) -> None:
    """Closed-form balanced growth rates g_A*, g_K*, g_Y*."""
    from aiprogress.growth.model import steady_state

    emit(steady_state(beta, gamma, theta, n), json_out)


@app.command("proposition1")
@guard
def proposition1_cmd(
    beta: Annotated[float, typer.Option("--beta", help="Capital elasticity before the shift.")] = 0.1,
    gamma: Annotated[float, typer.Option("--gamma", help="Labour elasticity before the shift.")] = 0.4,
    beta_after: Annotated[float, typer.Option("--beta-after", help="Capital elasticity after the shift.")] = 0.2,
    gamma_after: Annotated[float | None, typer.Option("--gamma-after", help="Labour elasticity after (default: unchanged).")] = None,
    theta: ThetaOpt = 0.5,
    n: NOpt = 0.01,
    json_out: JsonOpt = False,
) -> None:
    """Does a shift in the R&D technology raise growth? (Proposition 1, hypotheses checked.)"""
    from aiprogress.growth.proposition import proposition_1

    emit(proposition_1(beta, gamma, beta_after, gamma if gamma_after is None else gamma_after, theta, n), json_out)


@app.command("capital-share")
@guard
def capital_share_cmd(
    f: Annotated[list[float] | None, typer.Option("--f", help="Capital share(s) in (0, 1) to evaluate (repeatable).")] = None,
    theta: Annotated[list[float] | None, typer.Option("--theta", help="Theta value(s) (repeatable; default 0.5).")] = None,
    gamma: GammaOpt = 0.4,
    n: NOpt = 0.01,
    markers: Annotated[bool, typer.Option("--markers/--no-markers", help="Mark the published models A1-C2 on the plot.")] = True,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Steady-state productivity growth as a function of the R&D capital share (Figures 1a/5a)."""
    import pandas as pd

    from aiprogress.growth.capital_share import (
        beta_from_capital_share,
        capital_share_curves,
        max_capital_share,
        productivity_growth_from_capital_share,
    )

    thetas = list(theta) if theta else [0.5]
    shares = list(f) if f else [0.03, 0.1, 0.2, 0.3, 0.4, 0.5]
    rows = []
    for th in thetas:
        f_max = max_capital_share(th, gamma)
        for share in shares:
            ok = share < f_max
            rows.append(
                {
                    "theta": th,
                    "f": share,
                    "beta": beta_from_capital_share(share, gamma),
                    "g_A_pct": 100 * productivity_growth_from_capital_share(share, th, gamma, n) if ok else float("inf"),
                    "f_max": f_max,
                }
            )
    table = pd.DataFrame(rows)
    if plot is not None:
        from aiprogress.growth.figures import capital_share_figure
        from aiprogress.reportkit import save_figure

        mk = None
        if markers:
            from aiprogress.growth.estimates import published_growth

            mk = published_growth(0.5, n, gamma_calibrated=gamma).models
        save_figure(capital_share_figure(capital_share_curves(thetas, gamma, n), gamma=gamma, n=n, markers=mk), plot)
    from aiprogress.results import format_table

    emit(
        {"gamma": gamma, "n": n, "rows": table, "note": "g_A_pct = inf where f >= f_max (no balanced growth path)"},
        json_out,
        text=format_table(table, title=f"Productivity growth vs capital share (gamma={gamma:g}, n={100 * n:g}%)", floatfmt="{:.4f}"),
    )


@app.command("from-estimates")
@guard
def from_estimates_cmd(
    published: Annotated[bool, typer.Option("--published", help="Use the paper's Tables 4 and 5 (reproduces §7).")] = False,
    beta: Annotated[float | None, typer.Option("--beta", help="Estimated capital elasticity beta-hat.")] = None,
    gamma: Annotated[float | None, typer.Option("--gamma", help="Estimated labour elasticity gamma-hat.")] = None,
    draws: Annotated[Path | None, typer.Option("--draws", help="CSV of draws with columns beta,gamma (e.g. a bootstrap).")] = None,
    draws_model: Annotated[
        str | None, typer.Option("--draws-model", help="With --draws: the model (A1, B1, C1 ...) when the file holds several.")
    ] = None,
    theta: ThetaOpt = 0.5,
    n: NOpt = 0.01,
    gamma_calibrated: Annotated[
        float, typer.Option("--gamma-calibrated", help="Labour elasticity of the economy-wide model (capital-share method).")
    ] = 0.4,
    method: Annotated[
        str, typer.Option("--method", help="capital-share (paper §7: beta = f*gamma_cal/(1-f)) or direct (use the estimates).")
    ] = "capital-share",
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Steady-state productivity growth implied by idea-production-function estimates."""
    from aiprogress.growth import estimates as est
    from aiprogress.reportkit import save_figure

    modes = [published, beta is not None or gamma is not None, draws is not None]
    if sum(modes) != 1:
        raise ParameterError("published", "choose exactly one source of estimates", expected="--published, --beta/--gamma, or --draws FILE")
    if published:
        result = est.published_growth(theta, n, gamma_calibrated=gamma_calibrated, method=method)  # type: ignore[arg-type]
        if plot is not None:
            from aiprogress.growth.capital_share import capital_share_curves
            from aiprogress.growth.figures import capital_share_figure

            curves = capital_share_curves((theta,), gamma_calibrated, n)
            save_figure(capital_share_figure(curves, gamma=gamma_calibrated, n=n, markers=result.models), plot)
        emit(result, json_out)
        return
    if draws is not None:
        with progress(quiet, "propagating draws", total=2) as advance:
            frame = est.read_draws(draws, model=draws_model)
            advance(1)
            result = est.growth_distribution(
                frame["beta"].to_numpy(), frame["gamma"].to_numpy(), theta, n, method=method, gamma_calibrated=gamma_calibrated  # type: ignore[arg-type]
            )
            advance(1)
        if plot is not None:
            from aiprogress.growth.figures import distribution_figure

            save_figure(distribution_figure(result), plot)
        emit(result, json_out)
        return
    if beta is None or gamma is None:
        raise ParameterError("beta" if beta is None else "gamma", "missing", expected="both --beta and --gamma")
    result = est.growth_from_estimates(beta, gamma, theta, n, method=method, gamma_calibrated=gamma_calibrated)  # type: ignore[arg-type]
    if plot is not None:
        import pandas as pd

        from aiprogress.growth.capital_share import capital_share_curves
        from aiprogress.growth.figures import capital_share_figure

        mk = pd.DataFrame({"model": ["estimate"], "capital_share": [result.capital_share], "g_A_pct": [100 * result.g_A]})
        save_figure(capital_share_figure(capital_share_curves((theta,), gamma_calibrated, n), gamma=gamma_calibrated, n=n, markers=mk), plot)
    emit(result, json_out)


@app.command("transition")
@guard
def transition_cmd(
    beta_before: Annotated[float, typer.Option("--beta-before", help="Capital elasticity before the shock.")] = 0.1,
    beta_after: Annotated[float, typer.Option("--beta-after", help="Capital elasticity after the shock.")] = 0.2086,
    gamma_before: Annotated[float, typer.Option("--gamma-before", help="Labour elasticity before the shock.")] = 0.4,
    gamma_after: Annotated[float | None, typer.Option("--gamma-after", help="Labour elasticity after (default: unchanged).")] = None,
    theta: ThetaOpt = 0.5,
    n: NOpt = 0.01,
    shock_year: Annotated[float, nonnegative_option("--shock-year", help="Year of the shock (>= 0).")] = 50.0,
    years: Annotated[float, range_option("--years", low=0, high=100_000, low_open=True, help="Horizon in years, in (0, 100000].")] = 1500.0,
    rescale_b: Annotated[
        bool, typer.Option("--rescale-b/--no-rescale-b", help="Keep dA/dt continuous at the shock by rescaling B.")
    ] = True,
    plot: PlotOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Integrate the full §2.2 model through a one-time shock to beta (and gamma)."""
    from aiprogress.growth.transition import simulate_transition

    with progress(quiet, "integrating the model", total=1) as advance:
        result = simulate_transition(
            beta_before, beta_after, gamma_before, gamma_after, theta, n, shock_year=shock_year, years=years,
            points=int(max(years, 10)) + 1, rescale_B=rescale_b,
        )
        advance(1)
    if plot is not None:
        from aiprogress.growth.figures import transition_figure
        from aiprogress.reportkit import save_figure

        save_figure(transition_figure(result), plot)
    emit(result, json_out)
