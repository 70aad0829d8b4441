"""Explorer latency, server side: a parameter change -> a new figure, with the library call as the baseline.

For every registered takeoff model, one "drag" is the app's update path: the
page's ``compute`` (model simulation + shared statistics + key numbers + the Plotly
figure) and the JSON serialisation Dash sends to the browser. The baseline, in the
same run, is the bare library call (``simulate_batch`` + ``statistics.per_draw``)
for the same values. Each repeat changes one parameter (r, scaled by a different
factor), so nothing is cached. Target: median <= 200 ms per update.

The Monte Carlo: 10^4 draws of the davidson-range preset (CES ODE model) and of
the davidson-houlden-2025 preset, through the app's job (background thread,
chunks of 1,000 with progress, then the page's figures), against
``run_monte_carlo`` on the same scenario and seed. Target: <= 2 s until P(SIE)
and the fan chart are on the page (the Sobol bars follow; their time is shown
separately).

Also measured: ``aiprogress app`` start, i.e. seconds from launching the
command to the first served page (target <= 5 s).

Reproduce:  .venv/bin/python benchmarks/app_latency.py [--repeats 30] [--draws 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics as st
import subprocess
import sys
import time
import urllib.request

import plotly.io as pio


def _median_ms(xs: list[float]) -> float:
    return 1000.0 * st.median(xs)


def trajectory_latency(repeats: int) -> dict[str, dict[str, float]]:
    from aiprogress.app.pages import takeoff
    from aiprogress.takeoff import statistics
    from aiprogress.takeoff.models import get_model, list_models

    spec = statistics.StatisticsSpec()
    out = {}
    for name in list_models():
        model = get_model(name)
        base = model.defaults()
        takeoff.compute(name, base)  # warm imports and caches of the page code once
        app_t, lib_t = [], []
        for i in range(repeats):
            values = dict(base, r=base["r"] * (0.8 + 0.4 * i / max(repeats - 1, 1)))
            t0 = time.perf_counter()
            batch = model.simulate_batch(values, max_log2_software=spec.max_log2_needed, extra_log2_levels=(spec.sie_log2,))
            statistics.per_draw(batch, spec)
            lib_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fig, cards, numbers, _b, msg = takeoff.compute(name, values)
            pio.to_json(fig, validate=False)  # what Dash serialises for the browser (a plain dict here)
            app_t.append(time.perf_counter() - t0)
            assert msg == "", msg
        out[name] = {"app_ms": _median_ms(app_t), "library_ms": _median_ms(lib_t)}
    return out


def monte_carlo_latency(draws: int, preset: str, model: str) -> dict[str, float]:
    from aiprogress.app.pages import takeoff, takeoff_mc
    from aiprogress.app.scenario import scenario_config
    from aiprogress.app.server import AppContext
    from aiprogress.takeoff.montecarlo import run_monte_carlo

    values = takeoff.preset_values(preset, takeoff._views()[model])
    text, cfg = takeoff.base_config(None, preset)
    _yaml, scenario = scenario_config(text, cfg, model, values, seed=1, draws=draws)
    t0 = time.perf_counter()
    ref = run_monte_carlo(scenario, draws, 1)
    lib = time.perf_counter() - t0
    ctx = AppContext()
    t0 = time.perf_counter()
    job_id, msg = takeoff_mc.start_run(ctx, None, preset, model, values, draws, 1)
    assert job_id, msg
    job = ctx.jobs.get(job_id)
    while job.result is None and job.status == "running":
        time.sleep(0.005)
    figure_t = None
    if job.result is not None:
        # what the page shows first: P(SIE) and the fan chart, built from the result
        from aiprogress.app import figures

        r = job.result
        pio.to_json(figures.fan_chart(r.fan_chart(), r.sie_ooms, r.sie_days, "fan"))
        figure_t = time.perf_counter() - t0
    while job.status == "running":
        time.sleep(0.01)
    takeoff_mc.job_outputs(job)
    total = time.perf_counter() - t0
    assert job.status == "done", job.error
    assert job.result.p_sie == ref.p_sie
    return {"app_to_fan_chart_s": figure_t, "app_with_sobol_s": total, "library_s": lib, "p_sie": ref.p_sie}


def start_seconds() -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "aiprogress", "app", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
                return time.perf_counter() - t0
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("aiprogress app exited") from None
                time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--draws", type=int, default=10_000)
    args = ap.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    traj = trajectory_latency(args.repeats)
    print(f"\nParameter change -> new figure (median of {args.repeats}, ms):")
    print(f"{'model':32s} {'app':>9s} {'library':>9s} {'app/lib':>8s}")
    for name, r in traj.items():
        print(f"{name:32s} {r['app_ms']:9.1f} {r['library_ms']:9.1f} {r['app_ms'] / r['library_ms']:8.2f}")
    mc = {}
    for preset, model in (("davidson-houlden-2025", "davidson-houlden"), ("davidson-range", "ces-sie")):
        mc[preset] = monte_carlo_latency(args.draws, preset, model)
    print(f"\nMonte Carlo of {args.draws:,} draws (s):")
    print(f"{'preset':26s} {'to fan chart':>13s} {'with Sobol':>11s} {'library':>9s} {'app/lib':>8s}")
    for preset, r in mc.items():
        print(f"{preset:26s} {r['app_to_fan_chart_s']:13.2f} {r['app_with_sobol_s']:11.2f} {r['library_s']:9.2f} "
              f"{r['app_to_fan_chart_s'] / r['library_s']:8.2f}")
    start = start_seconds()
    print(f"\naiprogress app: first page served {start:.2f} s after launch (target <= 5 s)")
    met = (all(r["app_ms"] <= 200 for r in traj.values()) and all(r["app_to_fan_chart_s"] <= 2.0 for r in mc.values())
           and start <= 5.0)
    ratios = {f"{k} update vs library": round(v["app_ms"] / v["library_ms"], 3) for k, v in traj.items()}
    ratios.update({f"MC {k} vs run_monte_carlo": round(v["app_to_fan_chart_s"] / v["library_s"], 3) for k, v in mc.items()})
    print("BENCH " + json.dumps({"name": "app_latency", "ratios": ratios, "met": bool(met),
                                 "medians_ms": {k: round(v["app_ms"], 1) for k, v in traj.items()},
                                 "monte_carlo_s": {k: round(v["app_to_fan_chart_s"], 2) for k, v in mc.items()},
                                 "start_s": round(start, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
