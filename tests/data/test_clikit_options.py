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
