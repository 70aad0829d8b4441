"""Run independent chunks of work locally (threads/processes) or on Dask.

``scheduler`` values accepted by :func:`map_chunks`:

* ``None`` or ``"threads"`` -- two worker threads (NumPy releases the GIL in the
  linear algebra, so threads use both cores without copying data);
* ``"sync"`` -- run in the calling thread (debugging, deterministic timing);
* ``"processes"`` -- two worker processes;
* ``"local"`` -- a temporary ``dask.distributed.LocalCluster`` (2 workers);
* ``"tcp://host:port"`` -- an existing Dask scheduler;
* a ``dask.distributed.Client`` instance -- used as is.

Results come back in task order whatever the scheduler, so a seeded
computation gives the same numbers on every scheduler.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable, Sequence

from aiprogress.errors import ParameterError

__all__ = ["map_chunks", "LOCAL_WORKERS"]

LOCAL_WORKERS = 2


def _is_client(obj: Any) -> bool:
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        return False
    return isinstance(obj, Client)


def map_chunks(
    func: Callable[..., Any],
    tasks: Sequence[Any],
    *,
    shared: dict[str, Any] | None = None,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
    weights: Sequence[int] | None = None,
) -> list[Any]:
    """Return ``[func(task, **shared) for task in tasks]`` computed in parallel.

    ``func`` must be a module-level function (picklable) for process and Dask
    schedulers.  ``progress(n)`` is called after each task with ``weights[i]``
    (default 1) so callers can report draws done.
    """
    shared = shared or {}
    weights = list(weights) if weights is not None else [1] * len(tasks)

    def tick(i: int) -> None:
        if progress is not None:
            progress(int(weights[i]))

    if scheduler in ("sync", "synchronous"):
        out = []
        for i, t in enumerate(tasks):
            out.append(func(t, **shared))
            tick(i)
        return out
    if scheduler is None or scheduler in ("threads", "processes"):
        pool_cls = ProcessPoolExecutor if scheduler == "processes" else ThreadPoolExecutor
        with pool_cls(max_workers=LOCAL_WORKERS) as pool:
            futs = [pool.submit(func, t, **shared) for t in tasks]
            out = []
            for i, f in enumerate(futs):
                out.append(f.result())
                tick(i)
        return out
    if _is_client(scheduler):
        return _run_dask(scheduler, func, tasks, shared, tick)
    if isinstance(scheduler, str) and scheduler == "local":
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                return _run_dask(client, func, tasks, shared, tick)
    if isinstance(scheduler, str) and scheduler.startswith(("tcp://", "tls://", "inproc://")):
        from dask.distributed import Client

        with Client(scheduler) as client:
            return _run_dask(client, func, tasks, shared, tick)
    raise ParameterError(
        "scheduler",
        f"unknown scheduler {scheduler!r}",
        expected="threads, sync, processes, local, a tcp://host:port address or a dask Client",
    )


def _run_dask(client: Any, func: Callable[..., Any], tasks: Sequence[Any], shared: dict[str, Any], tick: Callable[[int], None]) -> list[Any]:
    from dask.distributed import as_completed

    # Ship the large shared arrays once, not once per task.
    scattered = {k: client.scatter(v, broadcast=True) for k, v in shared.items()}
    futs = [client.submit(func, t, pure=False, **scattered) for t in tasks]
    index = {f.key: i for i, f in enumerate(futs)}
    out: list[Any] = [None] * len(futs)
    for f in as_completed(futs):
        i = index[f.key]
        out[i] = f.result()
        tick(i)
    return out
