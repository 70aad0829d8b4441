"""Benchmark: local runs vs a 2-worker Dask cluster for the takeoff Monte Carlo and drop-5 subsampling.

For each workload the same computation runs on: ``sync`` (one thread, the one-process
baseline), ``threads`` (2 threads, the default), a 2-worker in-process Dask cluster
(``local_cluster(processes=False)``: worker threads sharing this process's GIL) and the
2-worker process cluster that ``--scheduler local`` starts, which is how external workers
should be started (``dask worker --no-nanny --nthreads 1``, so no nanny malloc trimming,
one BLAS thread per worker and no worker profiler: ``aiprogress.stats.parallel.local_cluster()``).
Cluster start-up is not timed (a warm-up run per cluster imports the package on the workers).
Results must be bit-identical everywhere; the script prints wall times, the CPU time of
this process and of the worker processes (total CPU near ``sync``'s means the wall time
halves on 2 idle cores), ratios to ``sync``, and the load average before and after (the ratios are
only meaningful when the 2 cores are not busy with other work).

Workloads: the davidson-houlden-2025 Monte Carlo (``--draws``, default 10^6) and
drop-5 re-estimations of a synthetic pooled regression (n = 136, 16 regressors,
``--fits``, default 10^6).

Reproduce (from the repository root):

    .venv/bin/python benchmarks/dask_scaling.py
    .venv/bin/python benchmarks/dask_scaling.py --draws 100000 --fits 100000   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from aiprogress.stats.parallel import local_cluster  # noqa: E402
from aiprogress.stats.resample import drop_k_coefs  # noqa: E402
from aiprogress.takeoff.montecarlo import run_monte_carlo  # noqa: E402

CLUSTER = "dask processes, no nanny (2 workers; --scheduler local)"


def _timed(fn):
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out, time.process_time() - c0


def _timed_on(client, fn):
    """``_timed`` plus the CPU time the cluster's worker processes spent (0 for in-process workers)."""
    pid = os.getpid()
    before = client.run(_worker_cpu, pid)
    wall, out, cpu = _timed(fn)
    after = client.run(_worker_cpu, pid)
    return wall, out, cpu, sum(after[w] - before[w] for w in after)


def _worker_cpu(parent_pid):
    return 0.0 if os.getpid() == parent_pid else time.process_time()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1_000_000)
    ap.add_argument("--fits", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    from dask.distributed import Client

    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(136), rng.standard_normal((136, 15))])
    y = X @ rng.standard_normal(16) + rng.standard_normal(136)

    def mc(s):
        return run_monte_carlo("davidson-houlden-2025", args.draws, args.seed, scheduler=s, chunk_size=50_000)

    def dk(s):
        return drop_k_coefs(X, y, k=5, cols=[1, 2], names=["b1", "b2"], max_draws=args.fits, seed=args.seed,
                            scheduler=s, chunk_size=50_000)

    load_before = [round(x, 2) for x in os.getloadavg()]
    rows = {}
    for label, make in (("sync", lambda: "sync"), ("threads", lambda: "threads")):
        rows[label] = {"mc": _timed(lambda: mc(make())), "dropk": _timed(lambda: dk(make()))}
    for label, processes in (("dask in-process (2 workers)", False), (CLUSTER, True)):
        with local_cluster(2, processes=processes) as cluster, Client(cluster) as client:
            dk(client)  # warm-up: imports and first-touch memory on the workers
            run_monte_carlo("davidson-houlden-2025", 200_000, args.seed + 1, scheduler=client, chunk_size=50_000)
            rows[label] = {"mc": _timed_on(client, lambda: mc(client)), "dropk": _timed_on(client, lambda: dk(client))}
    ref_mc, ref_dk = rows["sync"]["mc"][1], rows["sync"]["dropk"][1]
    out = {"draws": args.draws, "fits": args.fits, "load_average_before": load_before,
           "load_average_after": [round(x, 2) for x in os.getloadavg()], "runs": {}}
    for label, r in rows.items():
        out["runs"][label] = {
            "mc_s": round(r["mc"][0], 2), "dropk_s": round(r["dropk"][0], 2),
            "mc_cpu_this_process_s": round(r["mc"][2], 2), "dropk_cpu_this_process_s": round(r["dropk"][2], 2),
            "mc_cpu_workers_s": round(r["mc"][3], 2) if len(r["mc"]) > 3 else None,
            "dropk_cpu_workers_s": round(r["dropk"][3], 2) if len(r["dropk"]) > 3 else None,
            "mc_ratio_to_sync": round(r["mc"][0] / rows["sync"]["mc"][0], 3),
            "dropk_ratio_to_sync": round(r["dropk"][0] / rows["sync"]["dropk"][0], 3),
            "mc_identical": r["mc"][1].compression == ref_mc.compression
            and bool(np.array_equal(r["mc"][1].days_to_level, ref_mc.days_to_level)),
            "dropk_identical": bool(np.array_equal(r["dropk"][1].draws, ref_dk.draws)),
        }
    print(json.dumps(out, indent=2))
    cluster_row = out["runs"][CLUSTER]
    print("BENCH " + json.dumps({
        "name": "dask_scaling",
        "ratios": {"mc: cluster vs one process": cluster_row["mc_ratio_to_sync"],
                   "drop-5: cluster vs one process": cluster_row["dropk_ratio_to_sync"]},
        "load_average": out["load_average_after"],
        "met": bool(cluster_row["mc_ratio_to_sync"] < 1 and cluster_row["dropk_ratio_to_sync"] < 1
                    and all(r["mc_identical"] and r["dropk_identical"] for r in out["runs"].values())),
    }))


if __name__ == "__main__":
    main()
