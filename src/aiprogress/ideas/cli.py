"""CLI for aiprogress.ideas (thin layer over the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aiprogress.clikit import (
    CatalogOpt,
    DataDirOpt,
    JsonOpt,
    PlotOpt,
    QuietOpt,
    SchedulerOpt,
    count_option,
    emit,
    fraction_option,
    guard,
    nonnegative_option,
    progress,
    seed_option,
    stderr,
)
from aiprogress.errors import InputError, ParameterError

app = typer.Typer(no_args_is_help=True, help="Idea production function: beta, gamma, capital share, sigma.")

SeedOpt = Annotated[int, seed_option("--seed", help="Random seed (bootstrap, subsampling, simulation), an integer >= 0.")]
BenchOpt = Annotated[str, typer.Option("--benchmarks", help="Comma-separated benchmarks, e.g. imagenet,ms_coco. A named benchmark whose rows cannot identify its model (too few per window, e.g. after the epoch/learned join) is skipped with a warning and a 'skipped' entry; --strict makes that an error.")]
WindowOpt = Annotated[str, typer.Option("--window", help="Window length(s) in months: 12, or 6,12,18 for the robustness table.")]
SampleOpt = Annotated[
    Path | None,
    typer.Option("--sample", help="CSV with a prepared sample (columns benchmark, date, g_tilde, train_flop, human_capital, ...), e.g. from 'ideas simulate --out'."),
]
BaselineOpt = Annotated[str, typer.Option("--baseline", help="Baseline rule: touchstone | window_median | column.")]
TouchOpt = Annotated[str | None, typer.Option("--touchstone", help="Touchstone models, e.g. imagenet=AlexNet,ms_coco=MultiPath Network.")]
HCOpt = Annotated[str, typer.Option("--human-capital", help="auto (Epoch proxy when it covers >=80% of every benchmark's rows, else paper_rows) | epoch (covered rows only) | learned (aiprogress.humancapital score of the matched Epoch team, covered rows only) [epoch/learned: a benchmark left with too few covered rows, e.g. ms_coco, is skipped and listed under 'skipped'] | paper_rows | path to a CSV (arxiv_id or paper_title, human_capital).")]


def _split(text: str, name: str) -> list[str]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise ParameterError(name, f"'{text}' is empty", expected="a comma-separated list")
    return items


def _windows(text: str) -> list[int]:
    try:
        out = [int(w) for w in _split(text, "window")]
    except ValueError:
        raise ParameterError("window", f"'{text}'", expected="whole months, e.g. 12 or 6,12,18") from None
    if any(w < 1 for w in out):
        raise ParameterError("window", f"'{text}'", expected="positive whole months")
    return out


def _touchstones(text: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    out = {}
    for item in _split(text, "touchstone"):
        if "=" not in item:
            raise ParameterError("touchstone", f"'{item}'", expected="benchmark=model")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _load_sample(sample: Path | None, benchmarks: list[str], baseline: str, touchstone: str | None, human_capital: str,
                 controls_csv: Path | None, nonpositive: str, data_dir: Path | None, catalog: Path | None) -> Any:
    from aiprogress.ideas.replicate import load_shipped_sample
    from aiprogress.ideas.sample import as_sample

    if sample is not None:
        import pandas as pd

        if not sample.is_file():
            raise InputError("file not found", file=sample, expected="a CSV file")
        frame = pd.read_csv(sample)
        if "date" in frame.columns:
            frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
        s = as_sample(frame)
        return s
    return load_shipped_sample(
        data_dir=data_dir, catalog=catalog, benchmarks=benchmarks, baseline=baseline,
        touchstones=_touchstones(touchstone), human_capital=human_capital, controls_csv=controls_csv, nonpositive=nonpositive,
    )


@app.command("estimate")
@guard
def estimate_cmd(
    benchmarks: BenchOpt = "imagenet,ms_coco",
    pooled: Annotated[bool, typer.Option("--pooled/--no-pooled", help="Also fit the pooled model (distinct window effects) and the LR test.")] = True,
    trend: Annotated[bool, typer.Option("--trend", help="Add a years-since-2012 trend (models A2/B2/C2).")] = False,
    window: WindowOpt = "12",
    estimator: Annotated[str, typer.Option("--estimator", help="auto (Breusch-Pagan rule) | ols | gls.")] = "auto",
    n_boot: Annotated[int, count_option("--n-boot", help="Bootstrap resamples for f and sigma (>= 1).")] = 10_000,
    f_level: Annotated[float, fraction_option("--f-level", open_interval=True, help="Level of the capital-share interval, in (0, 1) (paper: 0.90).")] = 0.90,
    baseline: BaselineOpt = "touchstone",
    touchstone: TouchOpt = None,
    human_capital: HCOpt = "auto",
    controls_csv: Annotated[Path | None, typer.Option("--controls-csv", help="CSV with extra_data / reimplementation per paper.")] = None,
    nonpositive: Annotated[str, typer.Option("--nonpositive", help="Rows with g~ <= 0: drop | floor.")] = "drop",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 2 when any model cannot be estimated, instead of skipping its benchmark with a warning (an error is raised anyway when nothing can be estimated).")] = False,
    sample: SampleOpt = None,
    seed: SeedOpt = 0,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    draws_out: Annotated[
        Path | None,
        typer.Option("--draws-out", help="Write the bootstrap (beta, gamma) draws to this CSV (for 'growth from-estimates --draws')."),
    ] = None,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Estimate log g~ = phi_t + gamma log S + beta log C + alpha X (Tables 4-6)."""
    from aiprogress.ideas.estimate import estimate, skip_line
    from aiprogress.ideas.robustness import window_robustness

    benches = _split(benchmarks, "benchmarks")
    windows = _windows(window)
    s = _load_sample(sample, benches, baseline, touchstone, human_capital, controls_csv, nonpositive, data_dir, catalog)
    per_fit = 2 * n_boot
    n_models = (len(benches) + (1 if pooled and len(benches) > 1 else 0)) * len(windows)
    kw = dict(benchmarks=benches, pooled=pooled, trend=trend, estimator=estimator, n_boot=n_boot, f_level=f_level, seed=seed, scheduler=scheduler,
              on_inestimable="error" if strict else "skip")
    with progress(quiet, "bootstrap resamples", total=per_fit * n_models) as advance:
        if len(windows) == 1:
            result = estimate(s, window_months=windows[0], progress=advance, **kw)
        else:
            result = window_robustness(s, windows=windows, progress=advance, **kw)
    for e, w in zip([result] if len(windows) == 1 else result.estimates, windows):
        for sk in e.skipped:
            at = f" ({w}-month windows)" if len(windows) > 1 else ""
            stderr.print(f"warning: skipped{at} {skip_line(sk)}", highlight=False, markup=False, soft_wrap=True)
    if plot is not None:
        from aiprogress.ideas.plots import capital_share_figure
        from aiprogress.reportkit import save_figure

        ests = [result] if len(windows) == 1 else list(result.estimates)
        save_figure(capital_share_figure(ests), plot)
    if draws_out is not None:
        if len(windows) != 1:
            raise ParameterError("draws-out", "needs a single window length", expected="--window 6, 12 or 18")
        from aiprogress.fileio import write_csv_atomic

        write_csv_atomic(result.bootstrap_draws(), draws_out)
    emit(result, json_out)


@app.command("replicate")
@guard
def replicate_cmd(
    window: WindowOpt = "12",
    n_boot: Annotated[int, count_option("--n-boot", help="Bootstrap resamples for the capital-share intervals (>= 1).")] = 2_000,
    seed: SeedOpt = 0,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Published Tables 4-5 (and 6/12 with --window 6,12,18) beside our estimates on the shipped data."""
    from aiprogress.ideas.replicate import replicate

    windows = tuple(_windows(window))
    with progress(quiet, "bootstrap resamples", total=len(windows) * 2 * 3 * n_boot) as advance:
        result = replicate(windows=windows, n_boot=n_boot, seed=seed, scheduler=scheduler, progress=advance, data_dir=data_dir, catalog=catalog)
    if plot is not None:
        from aiprogress.ideas.plots import capital_share_figure
        from aiprogress.ideas.published import published_estimates
        from aiprogress.reportkit import save_figure

        save_figure(capital_share_figure(list(result.ours), published_estimates(main_only=True)), plot)
    emit(result, json_out)


@app.command("subsample")
@guard
def subsample_cmd(
    benchmarks: BenchOpt = "imagenet,ms_coco",
    drop_k: Annotated[int | None, count_option("--drop-k", help="Rows dropped per subsample, >= 1 (default 5% of n).")] = None,
    max_draws: Annotated[int, count_option("--max-draws", help="Random subsets when all subsets number more than 10^4 (>= 1).")] = 100_000,
    window: WindowOpt = "12",
    trend: Annotated[bool, typer.Option("--trend", help="Add the years-since-2012 trend.")] = False,
    estimator: Annotated[str, typer.Option("--estimator", help="auto | ols | gls.")] = "auto",
    baseline: BaselineOpt = "touchstone",
    touchstone: TouchOpt = None,
    human_capital: HCOpt = "auto",
    sample: SampleOpt = None,
    seed: SeedOpt = 0,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Drop-k subsampling of beta, gamma and f (Figure 6)."""
    from aiprogress.ideas.robustness import subsample

    benches = _split(benchmarks, "benchmarks")
    s = _load_sample(sample, benches, baseline, touchstone, human_capital, None, "drop", data_dir, catalog)
    with progress(quiet, "subsamples", total=None) as advance:
        result = subsample(s, benchmarks=benches, drop_k=drop_k, max_draws=max_draws, window_months=_windows(window)[0],
                           trend=trend, estimator=estimator, seed=seed, scheduler=scheduler, progress=advance)
    if plot is not None:
        from aiprogress.ideas.plots import subsample_figure
        from aiprogress.reportkit import save_figure

        save_figure(subsample_figure(result), plot)
    emit(result, json_out)


@app.command("simulate")
@guard
def simulate_cmd(
    n: Annotated[int, count_option("--n", help="Number of simulated models (>= 1).")] = 150,
    beta: Annotated[float, typer.Option("--beta", help="True elasticity to compute.")] = 0.15,
    gamma: Annotated[float, typer.Option("--gamma", help="True elasticity to human capital.")] = 0.3,
    theta: Annotated[float, typer.Option("--theta", help="True elasticity to the stock of ideas.")] = 0.5,
    noise_sd: Annotated[float, nonnegative_option("--noise-sd", help="Std. dev. of log g~ noise (>= 0).")] = 0.5,
    hetero: Annotated[float, nonnegative_option("--hetero", help="Heteroskedasticity strength (0 = none).")] = 0.0,
    n_boot: Annotated[int, count_option("--n-boot", help="Bootstrap resamples when estimating on the draw (>= 1).")] = 2_000,
    out: Annotated[Path | None, typer.Option("--out", help="Write the simulated sample to this CSV.")] = None,
    seed: SeedOpt = 0,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
    plot: PlotOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Draw a data set with known beta, gamma, theta and estimate on it."""
    from aiprogress.ideas.estimate import LOG_C, LOG_S, estimate
    from aiprogress.ideas.simulate import simulate

    sim = simulate(n, beta=beta, gamma=gamma, theta=theta, noise_sd=noise_sd, hetero=hetero, seed=seed)
    if out is not None:
        from aiprogress.fileio import write_csv_atomic

        write_csv_atomic(sim.frame, out)
    with progress(quiet, "bootstrap resamples", total=None) as advance:
        est = estimate(sim, n_boot=n_boot, seed=seed, scheduler=scheduler, progress=advance, translog=False)
    pooled = est.models[-1]
    report = {
        "truth": sim.to_dict(),
        "recovered": {
            "model": pooled.label, "estimator": pooled.estimator,
            "beta": pooled.beta, "beta_ci95": list(pooled.conf_int(LOG_C)),
            "gamma": pooled.gamma, "gamma_ci95": list(pooled.conf_int(LOG_S)),
            "capital_share": pooled.capital_share, "capital_share_interval": list(pooled.capital_share_ci),
            "covers_beta": pooled.conf_int(LOG_C)[0] <= beta <= pooled.conf_int(LOG_C)[1],
            "covers_gamma": pooled.conf_int(LOG_S)[0] <= gamma <= pooled.conf_int(LOG_S)[1],
        },
        "written": str(out) if out is not None else None,
    }
    if plot is not None:
        from aiprogress.ideas.plots import capital_share_figure
        from aiprogress.reportkit import save_figure

        save_figure(capital_share_figure(est), plot)
    text = None if json_out else est.summary() + f"\ntruth: beta={beta}, gamma={gamma}, f={beta / (beta + gamma):.3f}" + (f"\nwritten: {out}" if out else "")
    emit(report, json_out, text=text)
