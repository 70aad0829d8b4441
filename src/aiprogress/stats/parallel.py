"""The one runner for independent chunks of work: local threads/processes or Dask.

Every parallel computation of the package (takeoff Monte Carlo and sensitivity,
drop-k subsampling, bootstraps) goes through :func:`map_chunks`. The word passed
as ``scheduler`` (and as ``--scheduler`` on the command line) has one meaning
everywhere:

* ``None`` or ``"threads"`` -- the default: :data:`LOCAL_WORKERS` (2) worker
  threads in this process (NumPy releases the GIL in its kernels, so threads use
  both cores without copying data);
* ``"sync"`` (alias ``"serial"``) -- run every chunk in the calling thread, one
  after the other (debugging, profiling);
* ``"processes"`` -- :data:`LOCAL_WORKERS` worker processes;
* ``"local"`` -- a temporary Dask cluster (:func:`local_cluster`): one
  single-threaded worker process per core, started without a nanny and with one
  BLAS thread each, no dashboard (pass ``dashboard=True`` to
  :func:`local_cluster` for one); shut down when the call returns;
* ``"tcp://host:port"`` (or ``tls://``, ``inproc://``, ``ucx://``) -- an existing
  Dask scheduler;
* a ``dask.distributed.Client`` instance -- used as is.

Results come back in task order whatever the scheduler, and callers derive the
random numbers of each task from the task itself (never from the worker or the
order of completion), so a seeded computation gives the same numbers on every
scheduler, worker count and chunking.

External Dask workers: start one per core, each without a nanny (the nanny sets
``MALLOC_TRIM_THRESHOLD_=65536``, which makes the many multi-MB temporaries of
the batched kernels expensive), with one thread and one BLAS thread, and with
the worker's statistical profiler off (it takes the GIL every 10 ms), which is
what :func:`local_cluster` does for its workers (:func:`worker_environment`)::

    dask scheduler --no-dashboard                       # prints tcp://host:8786
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
    DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False \\
        dask worker tcp://host:8786 --no-nanny --nthreads 1 --no-dashboard   # once per core
"""

from __future__ import annotations

import functools
import logging
import math
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable, Sequence

from aiprogress.errors import ParameterError

__all__ = ["map_chunks", "local_cluster", "check_scheduler", "usable_cores", "set_core_share", "LOCAL_WORKERS",
           "SCHEDULER_HELP"]

LOCAL_WORKERS = 2
SCHEDULER_HELP = (
    "Where chunks run: threads (default, 2 threads), sync (serial, this thread), processes, "
    "local (temporary Dask cluster, one worker process per core) or a Dask scheduler address tcp://host:8786."
)
_ADDRESS_PREFIXES = ("tcp://", "tls://", "inproc://", "ucx://")
_WORDS = ("threads", "sync", "serial", "synchronous", "processes", "local")
_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_NO_PROFILER = ("DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED", "False")


def _is_client(obj: Any) -> bool:
    if type(obj).__name__ != "Client":
        return False
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        return False
    return isinstance(obj, Client)


def check_scheduler(scheduler: Any) -> Any:
    """Validate a scheduler value (see the module docstring); returns it (``None`` -> ``"threads"``)."""
    if scheduler is None:
        return "threads"
    if _is_client(scheduler):
        return scheduler
    if isinstance(scheduler, str) and (scheduler in _WORDS or scheduler.startswith(_ADDRESS_PREFIXES)):
        return scheduler
    raise ParameterError(
        "scheduler",
        f"unknown scheduler {scheduler!r}",
        expected="threads, sync, processes, local, a tcp://host:port address or a dask Client",
    )


def local_cluster(n_workers: int | None = None, *, processes: bool = True, dashboard: bool = False):
    """A temporary Dask cluster on this machine: single-threaded workers, no nanny, no dashboard.

    ``processes=True`` (the default; what ``--scheduler local`` uses) starts
    ``n_workers`` worker processes (default: one per usable core) the way
    external workers should be started -- ``dask spec`` with a plain
    ``distributed.Worker`` (no nanny, hence none of the nanny's
    ``MALLOC_TRIM_THRESHOLD_``), one thread each and
    ``OPENBLAS/OMP/MKL_NUM_THREADS=1`` in their environment -- and returns once
    they have all joined. The scheduler runs in this process. ``processes=False``
    gives an in-process cluster of worker threads (they share this process's
    GIL: quick to start, no faster than ``threads``). The dashboard is only
    started with ``dashboard=True`` (on a free port). Use it as a context manager
    so that the workers are shut down.
    """
    from dask.distributed import LocalCluster, Scheduler, SpecCluster

    n = n_workers if n_workers is not None else usable_cores()
    if n < 1:
        raise ParameterError("n_workers", f"{n}", expected="a positive integer")
    if not processes:
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=False,
                            dashboard_address=":0" if dashboard else None)
    scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "port": 0,
                                               "dashboard": dashboard, "dashboard_address": ":0"}}
    worker = {"cls": _worker_process_class(), "options": {}}
    cluster = SpecCluster(scheduler=scheduler, workers={i: worker for i in range(n)}, worker=worker,
                          name="aiprogress-local", silence_logs=logging.WARNING)
    try:
        cluster.wait_for_workers(n, timeout=_START_TIMEOUT)
    except BaseException:
        cluster.close()
        raise
    return cluster


def worker_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a Dask worker process: ``base`` (default ``os.environ``) with one BLAS thread
    (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` = 1), no ``MALLOC_TRIM_THRESHOLD_``
    and the worker profiler off (``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``)."""
    env = dict(os.environ if base is None else base)
    env.update({var: "1" for var in _BLAS_ENV})
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    # The worker's statistical profiler takes the GIL every 10 ms to walk the running thread's stack:
    # 20-30% more CPU time per chunk for kernels made of many short NumPy calls.
    env[_NO_PROFILER[0]] = _NO_PROFILER[1]
    return env


_CORE_SHARE: list[int | None] = [None]


def usable_cores() -> int:
    """Cores this process may use: its CPU affinity, capped by :func:`set_core_share`."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        cores = max(1, os.cpu_count() or LOCAL_WORKERS)
    share = _CORE_SHARE[0]
    return cores if share is None else max(1, min(cores, share))


def set_core_share(cores: int | None) -> None:
    """Cap the cores this process's own thread pools use (None: no cap). A process that is one of several
    working at once (a report worker) takes its share, so that local chunk threads and batch threads do
    not oversubscribe the machine. Results never depend on it (chunks are combined in order)."""
    if cores is not None and (isinstance(cores, bool) or not isinstance(cores, int) or cores < 1):
        raise ParameterError("cores", f"{cores!r}", expected="a whole number >= 1 or None")
    _CORE_SHARE[0] = cores


_START_TIMEOUT = 120.0


@functools.cache
def _worker_process_class() -> type:
    """The ``ProcessInterface`` of one worker process (built on first use: importing distributed is slow)."""
    from distributed.deploy.spec import ProcessInterface

    class WorkerProcess(ProcessInterface):
        """One ``python -m dask spec`` subprocess running a plain ``distributed.Worker`` (no nanny)."""

        def __init__(self, scheduler: str, name: Any = None) -> None:
            super().__init__(scheduler=scheduler, name=name)
            self.scheduler = scheduler
            self.name = name
            self.process: Any = None

        async def start(self) -> None:
            import asyncio
            import json
            import sys

            opts = {"nthreads": 1, "host": "127.0.0.1", "name": self.name, "dashboard": False}
            cmd = [sys.executable, "-m", "dask", "spec", self.scheduler, "--spec",
                   json.dumps({"cls": "distributed.Worker", "opts": opts})]
            env = {**worker_environment(), "DASK_LOGGING__DISTRIBUTED": "warning"}  # no INFO chatter on stderr
            self.process = await asyncio.create_subprocess_exec(*cmd, env=env)
            await super().start()

        async def close(self) -> None:
            import asyncio

            proc, self.process = self.process, None
            if proc is not None and proc.returncode is None:
                proc.terminate()  # dask spec closes its worker on SIGTERM
                try:
                    await asyncio.wait_for(proc.wait(), timeout=10)
                except asyncio.TimeoutError:
                    proc.kill()
                    await proc.wait()
            await super().close()

    return WorkerProcess


def map_chunks(
    func: Callable[..., Any],
    tasks: Sequence[Any],
    *,
    shared: dict[str, Any] | None = None,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
    weights: Sequence[int] | None = None,
    on_result: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """Return ``[func(task, **shared) for task in tasks]`` computed on ``scheduler``.

    ``func`` must be a module-level function (picklable) for process and Dask
    schedulers, and importable on Dask workers (functions travel by reference: a
    worker that cannot import the module fails to read the task and the run waits).
    On Dask, consecutive tasks travel in groups (see :func:`_batches`); each task
    still runs alone, so results do not depend on the grouping. ``progress(n)`` is called after each task with ``weights[i]``
    (default 1) so callers can report draws done. ``on_result(i, value)`` is
    called once per task as results arrive (any order); when given, the returned
    list holds ``None`` instead of the values, so a caller can fold results into
    a streaming summary without keeping them all.
    """
    scheduler = check_scheduler(scheduler)
    shared = shared or {}
    tasks = list(tasks)
    weights = list(weights) if weights is not None else [1] * len(tasks)
    out: list[Any] = [None] * len(tasks)

    def deliver(i: int, value: Any) -> None:
        if on_result is not None:
            on_result(i, value)
        else:
            out[i] = value
        if progress is not None:
            progress(int(weights[i]))

    if scheduler in ("sync", "serial", "synchronous"):
        for i, t in enumerate(tasks):
            deliver(i, func(t, **shared))
        return out
    if scheduler in ("threads", "processes"):
        pool_cls = ProcessPoolExecutor if scheduler == "processes" else ThreadPoolExecutor
        # At most 2 tasks per worker in flight: results are consumed in order as they come, so memory stays
        # bounded by a few chunks however many tasks there are.
        workers = LOCAL_WORKERS if _CORE_SHARE[0] is None else min(LOCAL_WORKERS, usable_cores())
        window = 2 * workers
        with pool_cls(max_workers=workers) as pool:
            futs: dict[int, Any] = {}
            for i in range(min(window, len(tasks))):
                futs[i] = pool.submit(func, tasks[i], **shared)
            for i in range(len(tasks)):
                value = futs.pop(i).result()
                if i + window < len(tasks):
                    futs[i + window] = pool.submit(func, tasks[i + window], **shared)
                deliver(i, value)
        return out
    if _is_client(scheduler):
        _run_dask(scheduler, func, tasks, shared, deliver)
        return out
    from dask.distributed import Client

    if scheduler == "local":
        with local_cluster() as cluster, Client(cluster) as client:
            _run_dask(client, func, tasks, shared, deliver)
        return out
    with Client(scheduler) as client:
        _run_dask(client, func, tasks, shared, deliver)
    return out


_MAX_BATCH = 8  # chunks per Dask task at most


def _run_batch(func: Callable[..., Any], batch: Sequence[Any], **shared: Any) -> list[Any]:
    return [func(t, **shared) for t in batch]


def _batches(n_tasks: int, slots: int) -> list[range]:
    """Contiguous groups of task indices, one Dask task each: a multiple of ``2 * slots`` groups of at most
    :data:`_MAX_BATCH` tasks (so every worker gets the same number of about equal groups, two or more)."""
    per_round = 2 * max(1, slots)
    n = min(n_tasks, per_round * math.ceil(n_tasks / (per_round * _MAX_BATCH)))
    bounds = [round(j * n_tasks / n) for j in range(n + 1)] if n else [0]
    return [range(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _run_dask(client: Any, func: Callable[..., Any], tasks: Sequence[Any], shared: dict[str, Any],
              deliver: Callable[[int, Any], None]) -> None:
    """Run on a Dask client: shared inputs scattered once, chunks grouped into a few tasks per worker.

    Each Dask task costs the scheduler and client a few milliseconds of CPU (on a 2-core machine that is
    taken from the workers), so consecutive chunks travel together; the chunks themselves -- and hence the
    random numbers drawn for them -- are unchanged. At most ``2 * workers`` groups are in flight, so the
    results waiting on the workers stay bounded however many chunks there are.
    """
    from dask.distributed import as_completed

    if not tasks:
        return
    # Ship the shared inputs once to every worker (one round trip for all of them), not once per task.
    scattered = client.scatter(dict(shared), broadcast=True) if shared else {}
    slots = sum(client.nthreads().values())
    groups = _batches(len(tasks), slots)
    window = 2 * max(1, slots)

    def submit(g: int) -> Any:
        return client.submit(_run_batch, func, [tasks[i] for i in groups[g]], pure=False, **scattered)

    group_of: dict[str, int] = {}
    first = []
    for g in range(min(window, len(groups))):
        fut = submit(g)
        group_of[fut.key] = g
        first.append(fut)
    pending = as_completed(first)
    nxt = len(first)
    for fut in pending:
        g = group_of.pop(fut.key)
        values = fut.result()
        fut.release()
        if nxt < len(groups):
            new = submit(nxt)
            group_of[new.key] = nxt
            pending.add(new)
            nxt += 1
        for i, value in zip(groups[g], values):
            deliver(i, value)
