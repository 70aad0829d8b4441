"""The shared validated CLI options (aiprogress.clikit): bad counts, seeds, sizes,
fractions and --plot paths end at parse time with one line and exit code 2."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from aiprogress.clikit import (
    PlotOpt,
    SeedOpt,
    count_option,
    fraction_option,
    positive_option,
    range_option,
)

runner = CliRunner()
app = typer.Typer()
CALLS: list[tuple] = []


@app.command()
def run(
    n_boot: Annotated[int, count_option("--n-boot", help="resamples")] = 10,
    seed: SeedOpt = 0,
    hours: Annotated[float | None, positive_option("--hours", help="h")] = None,
    level: Annotated[float, fraction_option("--level", open_interval=True, help="l")] = 0.9,
    z: Annotated[float, range_option("--z", low=-3, high=3, help="z")] = 0.0,
    plot: PlotOpt = None,
) -> None:
    CALLS.append((n_boot, seed, hours, level, z, plot))


@pytest.mark.parametrize(
    "args, message",
    [
        (["--n-boot", "0"], "parameter '--n-boot': 0 is out of range (expected an integer >= 1)"),
        (["--n-boot", "-5"], "parameter '--n-boot': -5 is out of range (expected an integer >= 1)"),
        (["--seed", "-1"], "parameter '--seed': -1 is out of range (expected an integer >= 0)"),
        (["--hours", "0"], "parameter '--hours': 0 is out of range (expected a finite number > 0)"),
        (["--hours", "inf"], "parameter '--hours': inf is out of range (expected a finite number > 0)"),
        (["--hours", "nan"], "parameter '--hours': nan is out of range (expected a finite number > 0)"),
        (["--level", "1"], "parameter '--level': 1 is out of range (expected a number in (0, 1))"),
        (["--z", "3.5"], "parameter '--z': 3.5 is out of range (expected a number in [-3, 3])"),
        (["--plot", "fig.txt"], "parameter 'plot': unsupported file type '.txt' (expected .png, .svg or .pdf)"),
    ],
)
def test_bad_values_exit_2_with_one_line_before_the_command_runs(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    CALLS.clear()
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    out = res.output.strip()
    assert out == f"error: {message}", out
    assert len(out.splitlines()) == 1
    assert CALLS == []  # the command body never ran


def test_plot_directory_is_refused(tmp_path):
    # a directory given as --plot is refused at parse time
    (tmp_path / "d.png").mkdir()
    res = runner.invoke(app, ["--plot", str(tmp_path / "d.png")])
    assert res.exit_code == 2 and "is a directory" in res.output


def test_good_values_pass_through(tmp_path):
    CALLS.clear()
    target = tmp_path / "sub" / "f.png"
    res = runner.invoke(app, ["--n-boot", "1", "--seed", "0", "--hours", "2.5", "--level", "0.5", "--z", "-3",
                              "--plot", str(target)])
    assert res.exit_code == 0, res.output
    assert CALLS == [(1, 0, 2.5, 0.5, -3.0, Path(target))]
    assert target.parent.is_dir() and not target.exists()


def test_defaults_are_not_checked_against_none():
    CALLS.clear()
    assert runner.invoke(app, []).exit_code == 0
    assert CALLS == [(10, 0, None, 0.9, 0.0, None)]


# --- the package's own commands ---------------------------------------------------------------

def _commands(group, path=()):
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if hasattr(cmd, "list_commands"):
            yield from _commands(cmd, (*path, name))
        elif cmd is not None:
            yield (*path, name), cmd


def test_every_command_with_plot_checks_it_at_parse_time(tmp_path, monkeypatch):
    from aiprogress.cli import app as root

    monkeypatch.chdir(tmp_path)
    group = typer.main.get_command(root)
    with_plot = [path for path, cmd in _commands(group) if any(p.name == "plot" for p in cmd.params)]
    assert len(with_plot) >= 10
    for path in with_plot:
        res = runner.invoke(root, [*path, "--plot", "fig.txt"])
        assert res.exit_code == 2, (path, res.output)
        assert res.output.strip() == "error: parameter 'plot': unsupported file type '.txt' (expected .png, .svg or .pdf)", path


@pytest.mark.parametrize("args, message", [
    (["trends", "doubling", "--interval", "bootstrap", "--n-boot", "0"], "parameter '--n-boot': 0 is out of range (expected an integer >= 1)"),
    (["trends", "doubling", "--interval", "bootstrap", "--n-boot", "-5"], "parameter '--n-boot': -5 is out of range (expected an integer >= 1)"),
    (["trends", "doubling", "--seed", "-1"], "parameter '--seed': -1 is out of range (expected an integer >= 0)"),
    (["trends", "doubling", "--top-k", "0"], "parameter '--top-k': 0 is out of range (expected an integer >= 1)"),
    (["ideas", "estimate", "--n-boot", "-5"], "parameter '--n-boot': -5 is out of range (expected an integer >= 1)"),
    (["ideas", "estimate", "--seed", "-1"], "parameter '--seed': -1 is out of range (expected an integer >= 0)"),
    (["ideas", "subsample", "--drop-k", "0"], "parameter '--drop-k': 0 is out of range (expected an integer >= 1)"),
    (["ideas", "simulate", "--n", "0"], "parameter '--n': 0 is out of range (expected an integer >= 1)"),
    (["growth", "transition", "--years", "0"], "parameter '--years': 0 is out of range (expected a number in (0, 100000])"),
    (["scaling", "fit", "--quantile", "1"], "parameter '--quantile': 1 is out of range (expected a number in (0, 1))"),
    (["data", "build", "--max-reject-share", "-0.1"], "parameter '--max-reject-share': -0.1 is out of range (expected a number in [0, 1])"),
    (["data", "build", "--wait", "-1"], "parameter '--wait': -1 is out of range (expected a finite number >= 0)"),
])
def test_counts_seeds_and_sizes_are_checked_at_the_cli_edge(args, message):
    from aiprogress.cli import app as root

    res = runner.invoke(root, args)
    assert res.exit_code == 2, res.output
    assert res.output.strip() == f"error: {message}"
