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
* ``"local"`` -- a temporary ``dask.distributed.LocalCluster`` of
  :data:`LOCAL_WORKERS` single-threaded workers, no dashboard (pass
  ``dashboard=True`` to :func:`local_cluster` for one);
* ``"tcp://host:port"`` (or ``tls://``, ``inproc://``, ``ucx://``) -- an existing
  Dask scheduler;
* a ``dask.distributed.Client`` instance -- used as is.

Results come back in task order whatever the scheduler, and callers derive the
random numbers of each task from the task itself (never from the worker or the
order of completion), so a seeded computation gives the same numbers on every
scheduler, worker count and chunking.

External Dask workers: start them without a nanny and with one BLAS thread each,
which is what :func:`local_cluster` does for its workers::

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
        dask worker tcp://host:8786 --no-nanny --nthreads 1
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable, Sequence

from aiprogress.errors import ParameterError

__all__ = ["map_chunks", "local_cluster", "check_scheduler", "LOCAL_WORKERS", "SCHEDULER_HELP"]

LOCAL_WORKERS = 2
SCHEDULER_HELP = (
    "Where chunks run: threads (default, 2 threads), sync (serial, this thread), processes, "
    "local (temporary Dask cluster, 2 workers) or a Dask scheduler address tcp://host:8786."
)
_ADDRESS_PREFIXES = ("tcp://", "tls://", "inproc://", "ucx://")
_WORDS = ("threads", "sync", "serial", "synchronous", "processes", "local")
_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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


def local_cluster(n_workers: int = LOCAL_WORKERS, *, processes: bool = False, dashboard: bool = False):
    """A ``LocalCluster`` with single-threaded workers, one BLAS thread each, no nanny, no dashboard.

    ``processes=True`` starts worker processes without a nanny (so no nanny
    malloc trimming) and with the BLAS thread variables set to 1 for them.
    """
    from dask.distributed import LocalCluster, Worker

    kwargs: dict[str, Any] = {
        "n_workers": n_workers,
        "threads_per_worker": 1,
        "processes": processes,
        "dashboard_address": ":0" if dashboard else None,
    }
    if processes:
        kwargs["worker_class"] = Worker  # no Nanny: no MALLOC_TRIM_THRESHOLD_ from it
        for var in _BLAS_ENV:
            os.environ.setdefault(var, "1")
    return LocalCluster(**kwargs)


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
    schedulers. ``progress(n)`` is called after each task with ``weights[i]``
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
        window = 2 * LOCAL_WORKERS
        with pool_cls(max_workers=LOCAL_WORKERS) as pool:
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


def _run_dask(client: Any, func: Callable[..., Any], tasks: Sequence[Any], shared: dict[str, Any],
              deliver: Callable[[int, Any], None]) -> None:
    from dask.distributed import as_completed

    # Ship the large shared arrays once, not once per task.
    scattered = {k: client.scatter(v, broadcast=True) for k, v in shared.items()}
    futs = [client.submit(func, t, pure=False, **scattered) for t in tasks]
    index = {f.key: i for i, f in enumerate(futs)}
    for f in as_completed(futs):
        deliver(index[f.key], f.result())
        f.release()
