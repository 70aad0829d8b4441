"""Benchmark: the HTML report build today against the report code of an older commit, in one run.

The baseline is the report as it was before the issue 15 work on it: the commit
``--baseline`` (default ``21c766d``, the parent of ``b491eaa``, the first
report-performance commit) is checked out with ``git worktree add`` into a
temporary folder and run from the same interpreter and venv with
``PYTHONPATH=<worktree>/src``. No switch in today's code emulates the old path.

Both source trees are byte-compiled first. Both builds run in fresh processes, alternating, on the same inputs: the same
data folder, one DuckDB catalog built once at the start by today's ``data
build`` (as ``make run`` does; the old code reads it unchanged), the same seed,
and the same sections: those the old commit had (today's build is limited to
these keys; sections added since are not in the ratio). Today's sections of
those keys may hold more than they did then (more figures, more Monte Carlo);
that work counts against today's build.

Printed: wall and CPU time of each build (``time.process_time``: all threads of the
process, plus the CPU time of the worker processes of a parallel build, from
``getrusage(RUSAGE_CHILDREN)``; today's build uses every available core unless
``--jobs 1``, the old code builds serially), the ratio old / now (issue 15 section 6: the build time halved,
i.e. >= 2x), the figure stage of each (seconds inside matplotlib's ``tight_layout`` and ``savefig``,
and how many figure draws; timed by wrappers set in the child process before either code is
imported, so that forked worker processes count too; summed over processes), seconds per section (in a parallel build each
measured inside its worker, so they overlap), the load average, the top costs of today's
build from one extra cProfile'd build, and a ``BENCH`` line (see
``run_all.py``). ``--full`` also times today's whole report (all sections) once.
The worktree is removed at the end.

Reproduce:  .venv/bin/python benchmarks/report_build.py  [--baseline 21c766d] [--runs 1] [--full] [--catalog FILE] [--no-profile]
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

REPO = Path(__file__).resolve().parents[1]
#: Parent of b491eaa ("bench: report-build benchmark ... violin KDE without per-point BLAS calls"),
#: the first commit of the issue 15 work on the report.
DEFAULT_BASELINE = "21c766d"

CHILD = textwrap.dedent(
    """
    import cProfile, json, pstats, resource, sys, time
    out, only, profile, catalog, data_dir = sys.argv[1], sys.argv[2] or None, sys.argv[3] == "1", sys.argv[4], sys.argv[5]
    jobs = {"jobs": int(sys.argv[6])} if sys.argv[6] else {}  # the old code has no jobs option
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    # the figure stage is logged to a file, one line per call, so that worker processes of a parallel build count too
    fig_log = out.rstrip("/") + ".figstage"
    def log(counter, seconds):
        with open(fig_log, "a") as fh:
            fh.write(f"{counter} {seconds}\\n")
    def timed(f, counter):
        def g(*a, **k):
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                log(counter, time.perf_counter() - t)
        return g
    def counted_draw(f):
        def g(*a, **k):
            log("draws", 0.0)
            return f(*a, **k)
        return g
    Figure.savefig = timed(Figure.savefig, "saves")
    Figure.tight_layout = timed(Figure.tight_layout, "layouts")
    Figure.draw = counted_draw(Figure.draw)
    import aiprogress
    from aiprogress.report import build_report
    prof = cProfile.Profile() if profile else None
    def children_cpu():
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime
    t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
    if prof:
        prof.enable()
    res = build_report(out, only=only.split(",") if only else None, seed=0, catalog=catalog or None, data_dir=data_dir, **jobs)
    if prof:
        prof.disable()
    wall, own, kids = time.perf_counter() - t0, time.process_time() - c0, children_cpu() - k0
    cpu = own + kids
    fig_stage = {"seconds": 0.0, "draws": 0, "saves": 0, "layouts": 0}
    try:
        with open(fig_log) as fh:
            for line in fh:
                counter, seconds = line.split()
                fig_stage[counter] += 1
                fig_stage["seconds"] += float(seconds)
    except FileNotFoundError:
        pass
    top = []
    if prof:
        st = pstats.Stats(prof)
        keys = ("savefig", "tight_layout", "draw", "get_tightbbox", "_parse_cached", "figure_html", "violin_stats",
                "load_table", "run_monte_carlo", "compare_measures", "subsample", "fit", "solve_ivp", "collect")
        for (file, line, name), (cc, nc, tt, ct, callers) in st.stats.items():
            if name in keys:
                top.append((round(ct, 3), f"{name} ({file.rsplit('/', 2)[-2]}/{file.rsplit('/', 1)[-1]}:{line})", nc))
        top.sort(reverse=True)
    print("RESULT " + json.dumps({"wall": wall, "cpu": cpu, "cpu_workers": kids, "sections": res.seconds, "failed": res.failed,
                                  "top": top[:14], "package": aiprogress.__file__,
                                  "figures": fig_stage}))
    """
)


def _run(src: Path, out_root: Path, only: str, profile: bool, catalog: str, data_dir: str, jobs: int | None = None) -> dict:
    with tempfile.TemporaryDirectory(dir=out_root) as tmp:
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(src))
        proc = subprocess.run([sys.executable, "-c", CHILD, tmp, only, "1" if profile else "0", catalog, data_dir,
                               "" if jobs is None else str(jobs)],
                              capture_output=True, text=True, env=env, cwd=out_root)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"report build from {src} failed:\n{proc.stderr[-3000:]}")
    res = json.loads(line[len("RESULT "):])
    if not Path(res["package"]).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"the build meant to run {src} imported {res['package']}")
    return res


def _worktree(commit: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(where), commit],
                   check=True, capture_output=True, text=True)
    _compile(where / "src")
    return where


def _compile(src: Path) -> None:
    """Byte-compile a source tree, so that both builds import compiled modules (as ``make install`` leaves
    today's tree), whatever PYTHONDONTWRITEBYTECODE says."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=DEFAULT_BASELINE, help="commit whose report code is the baseline")
    ap.add_argument("--runs", type=int, default=1, help="builds per side, alternating (median reported)")
    ap.add_argument("--full", action="store_true", help="also time today's whole report (all sections) once")
    ap.add_argument("--catalog", default="", help="read this catalog instead of building one with today's 'data build'")
    ap.add_argument("--no-profile", dest="profile", action="store_false", help="skip the extra profiled build")
    ap.add_argument("--jobs", type=int, default=None,
                    help="worker processes of today's build (default: its own default, every available core)")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO / "src"))
    from aiprogress.paths import resolve_data_dir

    data_dir = str(resolve_data_dir())
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", args.baseline], check=True,
                            capture_output=True, text=True).stdout.strip()
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="report_bench_") as tmp_s:
        tmp = Path(tmp_s)
        old_src = _worktree(commit, tmp / "old") / "src"
        try:
            catalog = args.catalog or str(tmp / "catalog.duckdb")
            if not args.catalog:
                subprocess.run([str(Path(sys.executable).parent / "aiprogress"), "data", "build", "--catalog", catalog,
                                "--data-dir", data_dir, "--quiet"], check=True, stdout=subprocess.DEVNULL)
            new_src = REPO / "src"
            _compile(new_src)
            old = [_run(old_src, tmp, "", False, catalog, data_dir)]
            keys = [k for k in old[0]["sections"] if k != "scorecard"]
            only = ",".join(keys)
            now = [_run(new_src, tmp, only, False, catalog, data_dir, args.jobs)]
            loads.append(os.getloadavg()[0])
            for _ in range(max(1, args.runs) - 1):
                old.append(_run(old_src, tmp, "", False, catalog, data_dir))
                now.append(_run(new_src, tmp, only, False, catalog, data_dir, args.jobs))
                loads.append(os.getloadavg()[0])
            full = _run(new_src, tmp, "", False, catalog, data_dir, args.jobs) if args.full else None
            top = _run(new_src, tmp, only, True, catalog, data_dir, 1)["top"] if args.profile else []
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tmp / "old")],
                           check=False, capture_output=True)
    loads.append(os.getloadavg()[0])

    t_now, t_old = (statistics.median(r["wall"] for r in runs) for runs in (now, old))
    c_now, c_old = (statistics.median(r["cpu"] for r in runs) for runs in (now, old))
    ratio, cpu_ratio = t_old / t_now, c_old / c_now
    print(f"report build: today's code vs commit {commit}, sections {only} (+ scorecard), {len(now)} build(s) each, "
          f"fresh processes, tables from one catalog, load average {min(loads):.1f}-{max(loads):.1f} "
          f"(1 min) on {os.cpu_count()} cores")
    print(f"  {'':<22} {'wall s':>8} {'CPU s':>8}")
    print(f"  {'now (today)':<22} {t_now:8.2f} {c_now:8.2f}")
    print(f"  {'old (' + commit + ')':<22} {t_old:8.2f} {c_old:8.2f}")
    w_now = statistics.median(r.get("cpu_workers", 0.0) for r in now)
    print(f"  now CPU: {c_now - w_now:.2f} s in the building process + {w_now:.2f} s in its worker processes "
          f"(--jobs {args.jobs if args.jobs is not None else 'default: every available core'})")
    print(f"  ratio old / now: wall {ratio:.2f}x, CPU {cpu_ratio:.2f}x (target >= 2x: {'met' if ratio >= 2 else 'NOT met'})")
    f_now, f_old = (statistics.median(r["figures"]["seconds"] for r in runs) for runs in (now, old))
    fn, fo = now[0]["figures"], old[0]["figures"]
    print(f"  figure stage (matplotlib tight_layout + savefig, wall s): now {f_now:.2f} ({fn['saves']} saves, "
          f"{fn['layouts']} layouts, {fn['draws']} draws), old {f_old:.2f} ({fo['saves']} saves, {fo['layouts']} layouts, "
          f"{fo['draws']} draws): {f_old / f_now if f_now else float('nan'):.2f}x")
    print(f"  without the figure stage: now {t_now - f_now:.2f} s, old {t_old - f_old:.2f} s (a parallel build's figure "
          "seconds are summed over its processes)")
    print(f"  {'section':<22} {'now s':>8} {'old s':>8}")
    for k in list(dict.fromkeys([*keys, "scorecard"])):
        print(f"  {k:<22} {now[0]['sections'].get(k, float('nan')):8.2f} {old[0]['sections'].get(k, float('nan')):8.2f}")
    if full is not None:
        print(f"  today's whole report ({len(full['sections'])} parts): wall {full['wall']:.2f} s, CPU {full['cpu']:.2f} s")
        for k, v in full["sections"].items():
            if k not in keys and k != "scorecard":
                print(f"    {k:<20} {v:8.2f} (not in {commit})")
    if top:
        print("  top costs of an extra, profiled, serial (--jobs 1) 'now' build (cProfile cumulative seconds, calls):")
    for ct, name, calls in top:
        print(f"    {ct:8.2f} s  {calls:6d}x  {name}")
    for label, runs in (("now", now), ("old", old)):
        if runs[0]["failed"]:
            print(f"  {label}: failed sections: {runs[0]['failed']}")
    print("command: .venv/bin/python benchmarks/report_build.py " + " ".join(sys.argv[1:]))
    met = ratio >= 2
    print("BENCH " + json.dumps({
        "name": f"report build (sections of {commit})",
        "ratios": {f"vs the report code of {commit} (wall)": t_now / t_old,
                   f"vs the report code of {commit} (CPU)": c_now / c_old,
                   f"figure stage (layout + save) vs {commit}": f_now / f_old if f_old else float("nan")},
        "met": bool(met),
    }))
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
