"""Run every performance benchmark in this folder, one after the other, and summarise them.

Each benchmark measures ratios within one run (ours vs baselines on the same
inputs) and prints its own figures and the command that reproduces it. A
benchmark may also print one machine-readable line::

    BENCH {"name": "...", "ratios": {"vs <baseline>": 0.21, ...}, "floor": {"vs <floor>": 12.0}, "met": true}

where each ratio is (our time) / (the other's time) -- below 1 means faster --
and ``met`` says whether the benchmark's stated target holds. The summary at
the end lists, for every benchmark, its ratios to the baselines and the floor;
the exit status is 1 if any benchmark failed, printed no ``BENCH`` line, or
did not meet its target.

Reproduce:  make bench   (or: .venv/bin/python benchmarks/run_all.py [--only cli_startup,ideas_subsample])
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "BENCH "


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated benchmark names (file stems)")
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name and (not only or p.stem in only))
    failed, summaries = [], []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
        summary = None
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith(MARK):
                summary = json.loads(line[len(MARK):])
            else:
                print(line, end="", flush=True)
        if proc.wait() != 0:
            failed.append(script.name)
        summaries.append((script.stem, summary))

    print("\n=== summary (our time / other's time; < 1 is faster) ===")
    missed = []
    for stem, s in summaries:
        if s is None:
            print(f"  {stem}: no BENCH summary line (see its output above)")
            missed.append(stem)
            continue
        print(f"  {s.get('name', stem)}: [target {'met' if s.get('met') else 'NOT met'}]")
        for label, group in (("ratio", s.get("ratios", {})), ("floor", s.get("floor", {}))):
            for k, v in group.items():
                print(f"      {label:5s} {k}: {_fmt(v)}")
        if not s.get("met"):
            missed.append(stem)
    print(f"  load average now (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if failed:
        print(f"\nfailed (non-zero exit): {', '.join(failed)}", file=sys.stderr)
    if missed:
        print(f"target not met or no summary: {', '.join(missed)}", file=sys.stderr)
    return 1 if failed or missed else 0


def _fmt(v) -> str:
    return f"{v:.3g}x" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


if __name__ == "__main__":
    raise SystemExit(main())
