"""Benchmark: ``data build`` on an enlarged Epoch models file (issue 15 §5).

Makes, in a temporary directory, a data directory whose Epoch "AI Models"
export is the shipped one repeated ``--factor`` times (default 100; model
names get a " #k" suffix so that no row is a duplicate; every other source is
copied as is), then builds the catalog twice in fresh processes:

- ``python``: the csv-module reader (the loader path before the fast reader,
  still callable as ``AIPROGRESS_CSV_ENGINE=python``), and
- ``fast``: the vectorised reader (pyarrow CSV + a NumPy scan for the
  physical line numbers; the default, ``AIPROGRESS_CSV_ENGINE=auto``),

and reports wall and CPU time, rows/s, the ratio of the two, and the peak
resident memory (ru_maxrss) above the interpreter's baseline (after importing
duckdb, pandas, pyarrow and the loaders) as a multiple of the CSV size. Both
builds must give identical ``models`` tables (checked, with their
``source_line`` provenance). Both paths share everything but the CSV engine
(the DuckDB write, the derived compute_estimates table, the small sources), so
speeding those up speeds up the baseline too: the ratio is the loader's gain
inside today's build, not against an older build. Both builds overlap their
steps on the cores the same way (:mod:`aiprogress.data.parallel`; the DuckDB
write beside the derived table); ``AIPROGRESS_BUILD_THREADS=1`` in the
environment makes both serial. Targets (issue 15 §5), on
the whole ``data build``: fast >= 5x the python path's throughput and fast peak
memory <= 2x the CSV size; ``met`` is true only if both hold. The loader stage
alone (``load_sources`` of the models export, returned as pandas objects) is
reported beside it. The machine's load average is printed: timings on a
shared 2-core machine are noisy, so compare the ratios of one run.

Reproduce:  .venv/bin/python benchmarks/data_build.py [--factor 100]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    import duckdb, pandas, pyarrow  # noqa: F401  (baseline: the libraries are loaded before measuring)
    from aiprogress.data.catalog import build_catalog
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    if sys.argv[3] == "build":
        rows = build_catalog(sys.argv[1], sys.argv[2]).tables["models"]
    else:  # the loader stage alone: parse and check the models export
        from aiprogress.data.loaders import load_sources
        rows = len(load_sources(sys.argv[1], tables=("models",)).tables["models"])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall": wall, "cpu": cpu, "rows": rows, "base_kb": base, "peak_kb": peak}))
""")


def make_data(src: Path, dest: Path, factor: int) -> Path:
    """Copy the data directory's sources to ``dest`` with the models export enlarged ``factor`` times."""
    from aiprogress.data.sources import SOURCES

    for name, source in SOURCES.items():
        path = source.find(src)
        out = dest / path.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        if name != "epoch_models":
            shutil.copyfile(path, out)
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        j = header.index("Model")
        with out.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for k in range(factor):
                for r in body:
                    r2 = list(r)
                    if r2[j].strip():
                        r2[j] = f"{r2[j]} #{k}" if k else r2[j]
                    w.writerow(r2)
        models = out
    return models


def run(engine: str, data: Path, catalog: Path, stage: str = "build") -> dict:
    env = dict(os.environ, AIPROGRESS_CSV_ENGINE="auto" if engine == "fast" else engine, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", CHILD, str(data), str(catalog), stage], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{engine} build failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def same_models(a: Path, b: Path) -> bool:
    import duckdb

    ca, cb = duckdb.connect(str(a), read_only=True), duckdb.connect(str(b), read_only=True)
    try:
        fa = ca.execute("SELECT * FROM models ORDER BY source_line").df()
        fb = cb.execute("SELECT * FROM models ORDER BY source_line").df()
    finally:
        ca.close()
        cb.close()
    return fa.astype(str).equals(fb.astype(str))


def touch_memory(mb: int) -> None:
    """Touch and free ``mb`` MB, so that neither build pays the first touch of guest memory.

    On a virtual machine the first use of guest memory no process has used yet costs far more than
    reusing freed memory (seen here: 0.8 s for the first 104 MB, 0.016 s for the next); the build
    that runs first, or that needs more memory, would pay it. Freed pages go back to the guest's
    free lists, where the child processes find them. Done in a process of its own: a child inherits
    its parent's ru_maxrss, which would hide the builds' peak memory.
    """
    if mb > 0:
        code = f"import numpy as np; np.ones({mb * (1 << 20) // 8}).sum()"
        subprocess.run([sys.executable, "-c", code], check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=int, default=100, help="how many times the models export is repeated")
    ap.add_argument("--stage", choices=["build", "loader", "both"], default="both",
                    help="measure the whole 'data build', the models loader alone, or both")
    ap.add_argument("--touch-mb", type=int, default=3072,
                    help="memory touched and freed before the builds (0: none); see touch_memory")
    args = ap.parse_args(argv)
    touch_memory(args.touch_mb)
    from aiprogress.paths import resolve_data_dir

    with tempfile.TemporaryDirectory(prefix="aiprogress-bench-") as tmp:
        tmp = Path(tmp)
        models = make_data(resolve_data_dir(), tmp / "data", args.factor)
        size_mb = models.stat().st_size / 1e6
        print(f"models file: {size_mb:.0f} MB ({args.factor}x the shipped export); "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        stages = ["loader", "build"] if args.stage == "both" else [args.stage]
        res: dict[str, dict] = {}
        for stage in stages:
            for engine in ("python", "fast"):
                r = res[f"{stage}:{engine}"] = run(engine, tmp / "data", tmp / f"{engine}.duckdb", stage)
                extra_mb = (r["peak_kb"] - r["base_kb"]) / 1024
                r["rows_per_s"] = r["rows"] / r["wall"]
                r["mem_ratio"] = extra_mb / size_mb
                print(f"{stage:>6} {engine:>6}: {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), {r['rows_per_s']:,.0f} models rows/s, "
                      f"peak memory +{extra_mb:.0f} MB ({r['mem_ratio']:.2f}x the CSV)", flush=True)
        identical = same_models(tmp / "python.duckdb", tmp / "fast.duckdb") if "build" in stages else None
    ratios = {}
    for stage in stages:
        speedup = res[f"{stage}:fast"]["rows_per_s"] / res[f"{stage}:python"]["rows_per_s"]
        cpu_speedup = res[f"{stage}:python"]["cpu"] / res[f"{stage}:fast"]["cpu"]
        ratios[f"{stage} vs python csv loader (time)"] = 1 / speedup
        ratios[f"{stage} vs python csv loader (CPU time)"] = 1 / cpu_speedup
        print(f"{stage}: throughput fast / python {speedup:.1f}x wall, {cpu_speedup:.1f}x CPU"
              + (" (target >= 5x)" if stage == "build" else ""))
    met = None
    if "build" in stages:  # the target is on the whole build, and the two tables must be the same
        met = bool(identical) and 1 / ratios["build vs python csv loader (time)"] >= 5 and res["build:fast"]["mem_ratio"] <= 2
        print(f"identical models tables: {identical}; build fast peak memory "
              f"{res['build:fast']['mem_ratio']:.2f}x the CSV (target <= 2x); targets met: {met}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("BENCH " + json.dumps({"name": "data_build", "ratios": ratios,
                                 "memory_vs_csv": {k: v["mem_ratio"] for k, v in res.items()},
                                 "load_average": os.getloadavg()[0], "met": bool(met)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
