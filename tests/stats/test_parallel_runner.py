"""The one parallel runner: one meaning of each scheduler word, results in task order, bad words rejected."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from aiprogress.errors import ParameterError
from aiprogress.stats.parallel import _batches, check_scheduler, local_cluster, map_chunks, worker_environment
from aiprogress.stats.resample import drop_k_coefs


@pytest.fixture
def importable_here(monkeypatch):
    """Worker processes inherit the environment: let them import this test module's functions."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")])))


def _task(seed, scale=1.0):
    return float(np.random.default_rng(seed).standard_normal(1000).sum() * scale)


def test_every_scheduler_word_gives_the_serial_results_in_order():
    tasks = list(range(7))
    ref = [_task(t, scale=2.0) for t in tasks]  # a plain loop
    for scheduler in (None, "threads", "sync", "serial", "processes"):
        assert map_chunks(_task, tasks, shared={"scale": 2.0}, scheduler=scheduler) == ref, scheduler


def _worker_facts(_task):
    import dask

    return os.getpid(), {**{v: os.environ.get(v) for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                                          "MALLOC_TRIM_THRESHOLD_")},
                         "profile": dask.config.get("distributed.worker.profile.enabled")}


def _no_dashboard(cluster) -> bool:
    routes = [getattr(r.matcher, "regex", None) for r in cluster.scheduler.http_application.wildcard_router.rules]
    return not any(p is not None and "status" in p.pattern for p in routes)  # no Bokeh dashboard routes


def test_dask_local_cluster_and_client_give_the_same_results(importable_here):
    from dask.distributed import Client

    tasks = list(range(23))  # more tasks than one batch per worker: batches of consecutive chunks
    ref = [_task(t) for t in tasks]
    assert map_chunks(_task, tasks, scheduler="local") == ref
    with local_cluster(2) as cluster, Client(cluster) as client:
        assert map_chunks(_task, tasks, scheduler=client) == ref
        assert _no_dashboard(cluster)
        facts = client.run(_worker_facts, None)
    pids = {pid for pid, _ in facts.values()}
    assert len(pids) == 2 and os.getpid() not in pids  # two worker processes, not threads of this one
    for _, env in facts.values():  # one BLAS thread, no nanny malloc trimming
        assert env == {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                       "MALLOC_TRIM_THRESHOLD_": None, "profile": False}


def test_in_process_cluster_and_dashboard_on_request():
    from dask.distributed import Client

    with local_cluster(2, processes=False) as cluster, Client(cluster) as client:
        assert map_chunks(_task, [1, 2, 3], scheduler=client) == [_task(1), _task(2), _task(3)]
        assert _no_dashboard(cluster)
    with local_cluster(1, processes=False, dashboard=True) as cluster:
        assert not _no_dashboard(cluster)


def test_drop5_on_worker_processes_equals_the_serial_run():
    from dask.distributed import Client

    rng = np.random.default_rng(4)
    X = np.column_stack([np.ones(60), rng.standard_normal((60, 4))])
    y = X @ rng.standard_normal(5) + rng.standard_normal(60)
    kw = dict(k=5, cols=[1, 3], names=["a", "b"], max_draws=19_000, seed=7, chunk_size=1_000)  # 19 chunks
    ref = drop_k_coefs(X, y, scheduler="sync", **kw)
    with local_cluster(2) as cluster, Client(cluster) as client:
        got = drop_k_coefs(X, y, scheduler=client, **kw)
    np.testing.assert_array_equal(got.draws, ref.draws)
    assert got.n_failed == ref.n_failed


@pytest.mark.parametrize("n_tasks,slots", [(1, 2), (3, 2), (20, 2), (23, 2), (200, 2), (1000, 2), (20, 16), (7, 1)])
def test_batches_cover_every_task_once_in_order(n_tasks, slots):
    groups = _batches(n_tasks, slots)
    assert [i for g in groups for i in g] == list(range(n_tasks))
    assert max(len(g) for g in groups) <= 8
    if n_tasks >= 4 * slots:
        assert len(groups) % (2 * slots) == 0


def test_worker_environment_pins_blas_and_drops_malloc_trimming():
    env = worker_environment({"PATH": "/bin", "OPENBLAS_NUM_THREADS": "8", "MALLOC_TRIM_THRESHOLD_": "65536"})
    assert env == {"PATH": "/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                   "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}


def test_local_cluster_rejects_zero_workers():
    with pytest.raises(ParameterError, match="n_workers"):
        local_cluster(0)


def test_progress_weights_and_streaming_callback():
    seen, done = {}, []
    out = map_chunks(_task, [1, 2, 3], scheduler="threads", weights=[10, 20, 30], progress=done.append,
                     on_result=lambda i, v: seen.__setitem__(i, v))
    assert out == [None, None, None] and seen == {0: _task(1), 1: _task(2), 2: _task(3)}
    assert sorted(done) == [10, 20, 30]


def test_unknown_scheduler_is_a_parameter_error():
    assert check_scheduler(None) == "threads"
    with pytest.raises(ParameterError, match="scheduler"):
        map_chunks(_task, [1], scheduler="fast")
    with pytest.raises(ParameterError, match="scheduler"):
        check_scheduler(3)


def test_core_share_caps_the_local_threads_and_keeps_the_results():
    import threading
    import time

    from aiprogress.stats import parallel

    def task(i):
        time.sleep(0.01)  # long enough for a second thread to take the next task if there is one
        return i, threading.get_ident()

    full = map_chunks(task, list(range(8)))
    try:
        parallel.set_core_share(1)
        assert parallel.usable_cores() == 1
        capped = map_chunks(task, list(range(8)))
    finally:
        parallel.set_core_share(None)
    assert [r[0] for r in capped] == [r[0] for r in full] == list(range(8))
    assert len({r[1] for r in capped}) == 1 and len({r[1] for r in full}) == min(parallel.LOCAL_WORKERS, 8)
    assert parallel.usable_cores() == len(os.sched_getaffinity(0))
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ParameterError) as err:
            parallel.set_core_share(bad)
        assert "cores" in str(err.value)
