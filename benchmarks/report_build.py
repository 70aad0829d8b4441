"""Benchmark: the full HTML report build, today's path against the old one, in one run.

Each build runs in a fresh process (same data, same seed, same sections; the
tables come from a DuckDB catalog built once at the start, as ``make run`` does,
unless ``--no-catalog``):

* ``now``: ``build_report`` as shipped: BLAS pinned to one thread around the
  sections (threadpoolctl) and the subsampling violins drawn from
  ``aiprogress.ideas.plots.gaussian_kde_scott`` (an elementwise KDE);
* ``old``: the previous path, reproduced in the same run: BLAS threads left at
  the library default (``blas_threads=None``) and the violins from matplotlib's
  own ``GaussianKDE`` (per-point tiny ``np.dot`` products, the cost that BLAS
  threads made 0.2-0.8 s per estimate);

and prints wall time (unprofiled builds), the ratio old/now (target issue 15 §6: >= 2x, i.e. the
build time halved), seconds per section, and the top costs of the ``now``
build from one extra cProfile'd build (cumulative seconds of the functions that dominate: figure
saving, layout, KDEs, estimation).

Reproduce:  .venv/bin/python benchmarks/report_build.py  [--sections ideas,growth] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import cProfile, json, pstats, sys, time
    mode, out, only, profile = sys.argv[1], sys.argv[2], sys.argv[3] or None, sys.argv[4] == "1"
    import numpy  # noqa: F401  (BLAS loaded before the limits apply)
    from aiprogress.report import build_report
    if mode == "old":
        from matplotlib import mlab
        import aiprogress.ideas.plots as plots
        plots.gaussian_kde_scott = lambda data, coords: mlab.GaussianKDE(data, "scott").evaluate(coords)
    prof = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    res = build_report(out, only=only.split(",") if only else None, seed=0, catalog=sys.argv[5] or None,
                       blas_threads=1 if mode == "now" else None)
    if prof:
        prof.disable()
    wall = time.perf_counter() - t0
    top = []
    if prof:
        st = pstats.Stats(prof)
        keys = ("savefig", "tight_layout", "print_png", "draw", "violin_stats", "evaluate", "gaussian_kde",
                "load_table", "estimate", "replicate", "subsample", "fit", "solve_ivp", "figure_html", "collect")
        for (file, line, name), (cc, nc, tt, ct, callers) in st.stats.items():
            if name in keys:
                top.append((round(ct, 3), f"{name} ({file.rsplit('/', 2)[-2]}/{file.rsplit('/', 1)[-1]}:{line})", nc))
        top.sort(reverse=True)
    print("RESULT " + json.dumps({"wall": wall, "sections": res.seconds, "failed": res.failed, "top": top[:14]}))
    """
)


def _run(mode: str, only: str, profile: bool, catalog: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-c", CHILD, mode, tmp, only, "1" if profile else "0", catalog],
                              capture_output=True, text=True, env=dict(os.environ, MPLBACKEND="Agg"))
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"{mode} build failed:\n{proc.stderr[-3000:]}")
    return json.loads(line[len("RESULT "):])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", default="", help="comma-separated section keys (default: all)")
    ap.add_argument("--runs", type=int, default=1, help="builds per path, alternating (median reported)")
    ap.add_argument("--no-profile", dest="profile", action="store_false", help="skip the extra profiled build")
    ap.add_argument("--no-catalog", action="store_true", help="parse the CSVs in every build instead of a catalog built once")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        catalog = ""
        if not args.no_catalog:  # as `make run` does: sections read the tables from a built catalog
            catalog = str(Path(tmp) / "catalog.duckdb")
            subprocess.run([str(Path(sys.executable).parent / "aiprogress"), "data", "build", "--catalog", catalog, "--quiet"],
                           check=True, stdout=subprocess.DEVNULL)
        now, old = [], []
        for _ in range(max(1, args.runs)):
            now.append(_run("now", args.sections, False, catalog))
            old.append(_run("old", args.sections, False, catalog))
        top = _run("now", args.sections, True, catalog)["top"] if args.profile else []
    t_now = statistics.median(r["wall"] for r in now)
    t_old = statistics.median(r["wall"] for r in old)
    print(f"report build ({args.sections or 'all sections'}), {len(now)} build(s) per path, fresh processes, "
          f"{'raw CSVs' if args.no_catalog else 'tables from a catalog built once'}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  now (BLAS pinned to 1 thread, elementwise violin KDE): {t_now:7.2f} s")
    print(f"  old (BLAS threads unpinned, matplotlib GaussianKDE):   {t_old:7.2f} s")
    print(f"  ratio old / now: {t_old / t_now:.2f}x (target >= 2x: {'met' if t_old / t_now >= 2 else 'NOT met'})")
    keys = list(now[0]["sections"])
    print(f"  {'section':<22} {'now s':>8} {'old s':>8}")
    for k in keys:
        print(f"  {k:<22} {now[0]['sections'].get(k, float('nan')):8.2f} {old[0]['sections'].get(k, float('nan')):8.2f}")
    if top:
        print("  top costs of an extra, profiled 'now' build (cProfile cumulative seconds, calls):")
    for ct, name, calls in top:
        print(f"    {ct:8.2f} s  {calls:6d}x  {name}")
    for label, runs in (("now", now), ("old", old)):
        if runs[0]["failed"]:
            print(f"  {label}: failed sections: {runs[0]['failed']}")
    print("command: .venv/bin/python benchmarks/report_build.py " + " ".join(sys.argv[1:]))
    met = t_old / t_now >= 2
    print("BENCH " + json.dumps({
        "name": f"report build ({args.sections or 'all sections'})",
        "ratios": {"vs old path (BLAS unpinned, matplotlib KDE)": t_now / t_old},
        "met": bool(met),
    }))
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
