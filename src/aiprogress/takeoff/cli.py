"""CLI for aiprogress.takeoff (thin layer over the library)."""

from __future__ import annotations

import math
from typing import Annotated, Optional

import typer

from aiprogress.clikit import (
    JsonOpt,
    PlotOpt,
    QuietOpt,
    SeedOpt,
    count_option,
    emit,
    guard,
    positive_option,
    progress,
    range_option,
    seed_option,
)
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
    alpha: Annotated[float, range_option("--alpha", low=0.0, high=1.0, help="CES weight on cognitive labour.")] = 0.5,
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
    r: Annotated[float, positive_option("--r", help="Returns to software: doublings of S per doubling of research.")],
    first_doubling_days: Annotated[
        float, positive_option("--first-doubling-days", help="Length of the first doubling after automation (days).")
    ] = 365.0 / 12.0,
    n: Annotated[int, count_option("--n", maximum=10_000, help="Number of doublings to list.")] = 5,
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
    horizon_days: Annotated[float, positive_option("--horizon-days", help="Stop after this many days.")] = 3650.0,
    stop_ooms: Annotated[float, positive_option("--stop-ooms", help="Stop at this many OOMs of software.")] = 12.0,
    sie_ooms: Annotated[float, positive_option("--sie-ooms", help="SIE threshold: OOMs of software ...")] = 5.0,
    sie_days: Annotated[float, positive_option("--sie-days", help="... within this many days.")] = 365.0,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Simulate software progress after AI research is automated (fixed hardware)."""
    from aiprogress.takeoff.sie import SIEParams
    from aiprogress.takeoff.trajectory import plot_trajectories, simulate

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
SchedOpt = Annotated[
    Optional[str],
    typer.Option("--scheduler", help="Where chunks run: threads (default, 2 threads), sync (serial), processes, "
                 "local (temporary Dask cluster) or a Dask scheduler address tcp://host:8786."),
]
DrawsOpt = Annotated[Optional[int], count_option("--draws", help="Number of parameter draws (default: the scenario's, else 10000).")]
MaybeSeedOpt = Annotated[Optional[int], seed_option("--seed", help="Random seed >= 0 (default: the scenario's, else 0).")]
ChunkOpt = Annotated[int, count_option("--chunk-size", help="Draws per chunk (rounded up to whole blocks of 1000).")]


@app.command("configs")
@guard
def configs_cmd(json_out: JsonOpt = False) -> None:
    """List the shipped configurations (each names its model)."""
    from aiprogress.takeoff.config import load_config, shipped_configs

    out = {name: load_config(name).to_dict() for name in shipped_configs()}
    text = "\n\n".join(f"{k}  (model {v['model']})\n  {v['description']}" for k, v in out.items())
    emit({"configs": out}, json_out, text=text)


@app.command("models")
@guard
def models_cmd(json_out: JsonOpt = False) -> None:
    """List the registered takeoff models and their parameters (name, unit, bounds, default)."""
    from aiprogress.takeoff.models import get_model, list_models

    out = {name: get_model(name).to_dict() for name in list_models()}
    lines = []
    for name, m in out.items():
        lines.append(f"{name}: {m['title']}")
        for p in m["parameters"]:
            default = "inf" if p["default"] is None else f"{p['default']:g}"
            lines.append(f"  {p['name']:<30} default {default:<8} {p['bounds']:<16} {p['unit']}: {p['description']}")
    emit({"models": out}, json_out, text="\n".join(lines))


@app.command("trajectory")
@guard
def trajectory_cmd(
    model: Annotated[str, typer.Option("--model", help="Registered model (see 'takeoff models').")] = "davidson-houlden",
    param: Annotated[Optional[list[str]], typer.Option("--param", help="name=value, repeatable (others at their defaults).")] = None,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """One trajectory (years to each software level) of any model for one parameter set."""
    from aiprogress.takeoff.models import get_model

    values = {}
    for item in param or []:
        name, sep, text = item.partition("=")
        try:
            values[name.strip()] = float(text)
        except ValueError:
            raise ParameterError("param", f"cannot read {item!r}", expected="name=number, e.g. r=1.5") from None
        if not sep:
            raise ParameterError("param", f"cannot read {item!r}", expected="name=number, e.g. r=1.5")
    traj = get_model(model).simulate(**values)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.takeoff.plots import plot_model_trajectories

        save_figure(plot_model_trajectories({model: traj}), plot)
    emit(traj, json_out)


@app.command("monte-carlo")
@guard
def monte_carlo(
    config: ConfigOpt = "davidson-range",
    draws: DrawsOpt = None,
    seed: MaybeSeedOpt = None,
    chunk_size: ChunkOpt = 10_000,
    scheduler: SchedOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
    plot: PlotOpt = None,
    stream: Annotated[bool | None, typer.Option(
        "--stream/--keep-draws",
        help="Stream the summaries (memory bounded, ~300 MB, whatever the draws; quantiles from log-day histograms, "
             "no per-draw breakdowns) or keep every draw (about draws x levels x 8 bytes). Default: keep up to "
             "2,000,000 draws, stream above.")] = None,
) -> None:
    """Compression table and curve, SIE verdict and fan chart over the config's parameter draws (with MC errors)."""
    from aiprogress.takeoff.config import load_config
    from aiprogress.takeoff.montecarlo import run_monte_carlo

    cfg = load_config(config)
    total = draws or cfg.draws or 10_000
    with progress(quiet, "Monte Carlo draws", total=total) as advance:
        res = run_monte_carlo(cfg, draws, seed, scheduler=scheduler, chunk_size=chunk_size, progress=advance,
                              keep_draws=None if stream is None else not stream)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.takeoff.plots import plot_fan_chart

        save_figure(plot_fan_chart(res), plot)
    emit(res, json_out)


@app.command("compare")
@guard
def compare_cmd(
    a: Annotated[str, typer.Argument(help="Scenario A: a YAML file or a shipped config name.")],
    b: Annotated[str, typer.Argument(help="Scenario B: a YAML file or a shipped config name.")],
    draws: DrawsOpt = None,
    seed: MaybeSeedOpt = None,
    chunk_size: ChunkOpt = 10_000,
    scheduler: SchedOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Two scenarios side by side: every statistic, the difference B - A and its Monte Carlo error."""
    from aiprogress.takeoff.compare import compare_scenarios
    from aiprogress.takeoff.config import load_config

    cfg_a, cfg_b = load_config(a), load_config(b)
    total = sum(draws or c.draws or 10_000 for c in (cfg_a, cfg_b))
    with progress(quiet, "Monte Carlo draws (both scenarios)", total=total) as advance:
        res = compare_scenarios(cfg_a, cfg_b, draws=draws, seed=seed, scheduler=scheduler, chunk_size=chunk_size,
                                progress=advance)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.takeoff.plots import plot_compression_curves

        save_figure(plot_compression_curves({f"A: {res.a.config}": res.a, f"B: {res.b.config}": res.b}), plot)
    emit(res, json_out)


@app.command("sensitivity")
@guard
def sensitivity_cmd(
    config: ConfigOpt = "davidson-range",
    method: Annotated[str, typer.Option("--method", help="sobol (independent inputs) or shapley (keeps correlations).")] = "sobol",
    statistic: Annotated[str, typer.Option("--statistic", "--output", help="sie, log10_days, compress:X:Y or max_years:Y.")] = "sie",
    n: Annotated[int, count_option("--n", minimum=2, help="Sobol: base sample (power of 2), n*(d+2) runs; Shapley: outer draws.")] = 1024,
    n_inner: Annotated[int, count_option("--n-inner", minimum=2, help="Shapley: conditional draws per outer draw.")] = 3,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Variance attribution of a statistic to each uncertain parameter: Sobol indices or Shapley effects."""
    from aiprogress.takeoff.sensitivity import sensitivity

    with progress(quiet, f"{method} sample and model runs", total=1) as advance:
        res = sensitivity(config, n, seed, output=statistic, method=method, n_inner=n_inner)
        advance(1)
    if plot is not None:
        from aiprogress.reportkit import save_figure
        from aiprogress.takeoff.plots import plot_sensitivity

        save_figure(plot_sensitivity(res), plot)
    emit(res, json_out)


# The estimation commands (estimate-rho, estimate-r) live in cli_estimate.py.
from aiprogress.takeoff.cli_estimate import register as _register_estimate  # noqa: E402

_register_estimate(app)
