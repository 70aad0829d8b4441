"""CLI for aiprogress.takeoff (thin layer over the library)."""

from __future__ import annotations

import math
from typing import Annotated

import typer

from aiprogress.clikit import JsonOpt, PlotOpt, QuietOpt, SchedulerOpt, emit, guard, progress
from aiprogress.errors import ParameterError

app = typer.Typer(no_args_is_help=True)


def _float_list(text: str, name: str) -> list[float]:
    try:
        values = [float(x) for x in text.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        raise ParameterError(name, f"cannot read {text!r}", expected="comma-separated numbers, e.g. -1,-0.5,0") from None
    if not values:
        raise ParameterError(name, "empty list", expected="comma-separated numbers")
    return values


@app.command("max-speed")
@guard
def max_speed(
    rho: Annotated[str, typer.Option("--rho", help="Comma-separated rho values.")] = "-1,-0.5,-0.4,-0.2,-0.15,-0.1,0",
    alpha: Annotated[float, typer.Option("--alpha", help="CES weight on cognitive labour.")] = 0.5,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Max speed of software progress (compute fixed, labour -> infinity) for each rho."""
    from aiprogress.takeoff.ces import max_speed_table, plot_speed_curves

    rhos = _float_list(rho, "rho")
    table = max_speed_table(rhos, alpha=alpha)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(plot_speed_curves(rhos, alpha=alpha), plot)
    emit(table, json_out)


@app.command("doublings")
@guard
def doublings(
    r: Annotated[float, typer.Option("--r", help="Returns to software: doublings of S per doubling of research.")],
    first_doubling_days: Annotated[
        float, typer.Option("--first-doubling-days", help="Length of the first doubling after automation (days).")
    ] = 365.0 / 12.0,
    n: Annotated[int, typer.Option("--n", help="Number of doublings to list.")] = 5,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Successive software doubling times with research effort proportional to software."""
    from aiprogress.takeoff.returns import doubling_sequence, plot_doublings

    seq = doubling_sequence(r, first_doubling_days, n)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        horizon = seq.cumulative_days[-1] * 1.05 if math.isinf(seq.singularity_days) else seq.singularity_days * 1.1
        save_figure(plot_doublings([r], first_doubling_days, n, horizon_days=horizon), plot)
    emit(seq, json_out)


@app.command("simulate")
@guard
def simulate_cmd(
    rho: Annotated[float, typer.Option(help="CES substitution parameter (labour vs experiments).")] = -0.2,
    alpha: Annotated[float, typer.Option(help="CES weight on labour.")] = 0.5,
    lam: Annotated[float, typer.Option(help="Parallelisation penalty: effective labour L**lam.")] = 0.5,
    r: Annotated[float, typer.Option("--r", help="Returns to software before compute limits.")] = 1.5,
    eta: Annotated[float, typer.Option(help="Extra labour exponent (smarter researchers): L ~ S**(1+eta).")] = 0.0,
    kappa: Annotated[float, typer.Option(help="Experiments grow as S**kappa (0: fixed near-frontier experiments).")] = 0.0,
    software_doubling_days: Annotated[float, typer.Option(help="Today's software doubling time (days).")] = 120.0,
    labour_at_full_hardware: Annotated[
        float, typer.Option(help="Automated labour if all hardware ran researchers (x today's human labour).")
    ] = 200.0,
    experiments_at_full_hardware: Annotated[
        float, typer.Option(help="Experiment compute if all hardware ran experiments (x today's).")
    ] = 2.0,
    run_share: Annotated[float, typer.Option(help="Share of hardware running automated researchers.")] = 0.5,
    human_labour: Annotated[float, typer.Option(help="Human labour floor (x today's).")] = 0.0,
    ceiling_ooms: Annotated[float, typer.Option(help="Software ceiling, OOMs above today (inf: none).")] = 10.0,
    training_days: Annotated[float, typer.Option(help="Training run length at automation (days, 0: none).")] = 0.0,
    training_ooms_per_generation: Annotated[float, typer.Option(help="Software OOMs per trained generation.")] = 1.0,
    training_speedup: Annotated[float, typer.Option(help="Training time falls as S**(-training_speedup).")] = 0.0,
    horizon_days: Annotated[float, typer.Option(help="Stop after this many days.")] = 3650.0,
    stop_ooms: Annotated[float, typer.Option(help="Stop at this many OOMs of software.")] = 12.0,
    sie_ooms: Annotated[float, typer.Option(help="SIE threshold: OOMs of software ...")] = 5.0,
    sie_days: Annotated[float, typer.Option(help="... within this many days.")] = 365.0,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Simulate software progress after AI research is automated (fixed hardware)."""
    from aiprogress.takeoff.sie import SIEParams, plot_trajectories, simulate

    params = SIEParams(
        rho=rho, alpha=alpha, lam=lam, r=r, eta=eta, kappa=kappa, software_doubling_days=software_doubling_days,
        labour_at_full_hardware=labour_at_full_hardware, experiments_at_full_hardware=experiments_at_full_hardware,
        run_share=run_share, human_labour=human_labour, ceiling_ooms=ceiling_ooms, training_days=training_days,
        training_ooms_per_generation=training_ooms_per_generation, training_speedup=training_speedup,
    )
    traj = simulate(params, horizon_days=horizon_days, stop_ooms=stop_ooms, sie_ooms=sie_ooms, sie_days=sie_days)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(plot_trajectories({f"ρ = {rho:g}, r = {r:g}": traj}), plot)
    emit(traj, json_out)


ConfigOpt = Annotated[
    str, typer.Option("--config", help="Shipped config name (see 'takeoff configs') or a YAML file path.")
]


@app.command("configs")
@guard
def configs_cmd(json_out: JsonOpt = False) -> None:
    """List the shipped Monte Carlo configurations."""
    from aiprogress.takeoff.montecarlo import load_config, shipped_configs

    out = {name: load_config(name).to_dict() for name in shipped_configs()}
    text = "\n\n".join(f"{k}\n  {v['description']}" for k, v in out.items())
    emit({"configs": out}, json_out, text=text)


@app.command("monte-carlo")
@guard
def monte_carlo(
    config: ConfigOpt = "davidson-range",
    draws: Annotated[int, typer.Option("--draws", help="Number of parameter draws.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    chunk_size: Annotated[int, typer.Option("--chunk-size", help="Draws per chunk (per Dask task).")] = 10_000,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
    plot: PlotOpt = None,
) -> None:
    """P(SIE) and the distribution of time to k OOMs over the config's parameter draws."""
    from aiprogress.takeoff.montecarlo import load_config, plot_fan_chart, run_monte_carlo

    cfg = load_config(config)
    with progress(quiet, "Monte Carlo draws", total=draws) as advance:
        res = run_monte_carlo(cfg, draws, seed, scheduler=scheduler, chunk_size=chunk_size, progress=advance)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(plot_fan_chart(res), plot)
    emit(res, json_out)


@app.command("sensitivity")
@guard
def sensitivity_cmd(
    config: ConfigOpt = "davidson-range",
    n: Annotated[int, typer.Option("--n", help="Sobol base sample size (power of 2); runs n*(d+2) models.")] = 1024,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    output: Annotated[str, typer.Option("--output", help="'sie' (indicator) or 'log10_days' (to the SIE level).")] = "sie",
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Variance-based (Sobol) sensitivity of the SIE outcome to each uncertain parameter."""
    from aiprogress.takeoff.montecarlo import plot_sensitivity, sensitivity

    with progress(quiet, "Sobol sample and model runs", total=1) as advance:
        res = sensitivity(config, n, seed, output=output)
        advance(1)
    if plot is not None:
        from aiprogress.reportkit import save_figure

        save_figure(plot_sensitivity(res), plot)
    emit(res, json_out)


# The estimation commands (estimate-rho, estimate-r) live in cli_estimate.py.
from aiprogress.takeoff.cli_estimate import register as _register_estimate  # noqa: E402

_register_estimate(app)
