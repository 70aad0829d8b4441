"""Benchmark: how fast the command line starts, as a ratio to ``python -c "import numpy"``.

Each command is run ``--runs`` times as a fresh process (interleaved with the
reference, so machine load affects both alike); the figure is the median wall
time, and the ratio is median(command) / median(python -c "import numpy") of
the same run. Targets (issue 8 §6): ``--help`` <= 2x, ``takeoff max-speed`` and
``compute estimate`` <= 4x. Floor: ``python -c "import typer"`` (the CLI
framework alone), printed as a ratio too.

``compute estimate`` reads the hardware table: it is timed twice, parsing the
shipped CSVs (no catalog) and from a DuckDB catalog built once by this script
in a temporary folder (``--no-catalog`` skips that). Neither path imports
pandas: the chip rows come from the look-up index of
:mod:`aiprogress.compute.lookup` (written on the first, warm-up run and keyed by
the catalog's / the CSVs' modification times and sizes); importing pandas is
printed as a reference for what the command cost before.

Reproduce:  .venv/bin/python benchmarks/cli_startup.py  [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = [str(BIN / "aiprogress")] if (BIN / "aiprogress").exists() else [sys.executable, "-m", "aiprogress"]

REFERENCE = ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"])
FLOORS = [
    ("python -c 'import typer' (floor)", [sys.executable, "-c", "import typer"]),
    ("python -c 'import pandas' (reference)", [sys.executable, "-c", "import pandas"]),
]
COMMANDS = [
    ("aiprogress --help", CLI + ["--help"], 2.0),
    ("aiprogress takeoff max-speed --alpha 0.5", CLI + ["takeoff", "max-speed", "--alpha", "0.5"], 4.0),
    (
        'aiprogress compute estimate --hardware "NVIDIA V100" --chips 8 --hours 24 --precision fp32 --utilization 0.3',
        CLI + ["compute", "estimate", "--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24",
               "--precision", "fp32", "--utilization", "0.3"],
        4.0,
    ),
]


def _time(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ru.ru_utime + ru.ru_stime - _time.cpu_seen  # type: ignore[attr-defined]
    _time.cpu_seen = ru.ru_utime + ru.ru_stime  # type: ignore[attr-defined]
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return wall, cpu


_time.cpu_seen = 0.0  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per command (median reported; >= 5)")
    ap.add_argument("--no-catalog", action="store_true", help="skip the compute-estimate run from a catalog")
    args = ap.parse_args(argv)
    runs = max(5, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        commands = list(COMMANDS)
        if not args.no_catalog:
            cat = str(Path(tmp) / "catalog.duckdb")
            subprocess.run(CLI + ["data", "build", "--catalog", cat, "--quiet"], check=True, stdout=subprocess.DEVNULL)
            name, cmd, target = COMMANDS[-1]
            commands.append((name + " --catalog CAT", cmd + ["--catalog", cat], target))
        return _run(commands, runs)


def _run(commands: list[tuple[str, list[str], float]], runs: int) -> int:
    env = dict(os.environ, AIPROGRESS_DEBUG="0")
    all_cmds = [REFERENCE] + FLOORS + [(name, cmd) for name, cmd, _ in commands]
    wall: dict[str, list[float]] = {name: [] for name, _ in all_cmds}
    cpu: dict[str, list[float]] = {name: [] for name, _ in all_cmds}
    for _, cmd in all_cmds:  # warm the file cache once
        _time(cmd, env)
    for _ in range(runs):
        for name, cmd in all_cmds:
            w, c = _time(cmd, env)
            wall[name].append(w)
            cpu[name].append(c)
    mw = {name: statistics.median(v) for name, v in wall.items()}
    mc = {name: statistics.median(v) for name, v in cpu.items()}
    rw, rc = mw[REFERENCE[0]], mc[REFERENCE[0]]

    print(f"median of {runs} runs each (fresh processes, interleaved with the reference); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    width = max(len(n) for n in mw) + 2
    print(f"  {'command':<{width}} {'wall':>8} {'ratio':>6} {'cpu':>8} {'ratio':>6}")
    for name, _ in [REFERENCE] + FLOORS:
        print(f"  {name:<{width}} {mw[name] * 1e3:6.0f}ms {mw[name] / rw:5.2f}x {mc[name] * 1e3:6.0f}ms {mc[name] / rc:5.2f}x")
    ok = True
    for name, _, target in commands:
        ratio = mw[name] / rw
        met = ratio <= target
        ok &= met
        print(f"  {name:<{width}} {mw[name] * 1e3:6.0f}ms {ratio:5.2f}x {mc[name] * 1e3:6.0f}ms {mc[name] / rc:5.2f}x"
              f"  target <= {target:g}x (wall): {'met' if met else 'NOT met'}")
    print("command: .venv/bin/python benchmarks/cli_startup.py " + " ".join(sys.argv[1:]))
    floor = FLOORS[0][0]
    print("BENCH " + json.dumps({
        "name": "CLI start (wall-time ratios to python -c 'import numpy')",
        "ratios": {name.replace("aiprogress ", "").split(" --")[0] + (" (catalog)" if "CAT" in name else ""): mw[name] / rw
                   for name, _, _ in commands},
        "floor": {"import typer / import numpy": mw[floor] / rw},
        "met": bool(ok),
    }))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
