"""Monte Carlo runs in background threads, polled by the page (``dcc.Interval``).

A job calls :func:`aiprogress.takeoff.montecarlo.run_monte_carlo` with a
progress callback that counts draws and raises :class:`Cancelled` once the user
cancels, so a cancelled run stops at the next chunk boundary. The Sobol
sensitivity (:func:`aiprogress.takeoff.sensitivity.sensitivity`) runs after the
draws. At most :data:`MAX_RUNNING` jobs run at once and the newest
:data:`MAX_KEPT` are kept; job ids are random, so a page only sees its own job.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("aiprogress.app")

MAX_RUNNING = 2
MAX_KEPT = 16
CHUNK_SIZE = 1000  # draws per progress step (results do not depend on it)
SCHEDULER = "sync"  # chunks one after another in the job thread, so cancel stops at the next chunk (a thread pool would finish every submitted chunk first); results do not depend on it


class Cancelled(Exception):
    pass


@dataclass
class Job:
    id: str
    total: int
    done: int = 0
    status: str = "running"  # running | done | cancelled | error
    phase: str = "draws"  # draws | sensitivity
    error: str | None = None
    result: Any = None
    sensitivity: Any = None
    started: float = field(default_factory=time.perf_counter)
    seconds: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outputs: Any = None  # the page's outputs for the finished job, built once


def _sensitivity_function():
    """The library's Sobol sensitivity (``sensitivity(config, n, seed)``), wherever this version keeps it."""
    import importlib

    for mod in ("aiprogress.takeoff.sensitivity", "aiprogress.takeoff.montecarlo"):
        try:
            fn = getattr(importlib.import_module(mod), "sensitivity", None)
        except ImportError:
            continue
        if callable(fn):
            return fn
    return None


class JobManager:
    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def running(self) -> int:
        with self._lock:
            return sum(j.status == "running" for j in self._jobs.values())

    def start(self, config, draws: int, seed: int, *, sensitivity_n: int = 256, wait: bool = False) -> Job:
        if self.running() >= MAX_RUNNING:
            raise RuntimeError(f"{MAX_RUNNING} Monte Carlo runs are already going; wait or cancel one")
        job = Job(id=uuid.uuid4().hex, total=int(draws))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_KEPT:
                old = next(iter(self._jobs))
                if self._jobs[old].status == "running":
                    break
                self._jobs.pop(old)
        thread = threading.Thread(target=self._run, args=(job, config, int(draws), int(seed), sensitivity_n), daemon=True)
        thread.start()
        if wait:
            thread.join()
        return job

    def _run(self, job: Job, config, draws: int, seed: int, sensitivity_n: int) -> None:
        from aiprogress.errors import AiprogressError
        from aiprogress.takeoff.montecarlo import run_monte_carlo

        def advance(n: int) -> None:
            job.done += int(n)
            if job.cancel.is_set():
                raise Cancelled

        try:
            job.result = run_monte_carlo(config, draws, seed, chunk_size=CHUNK_SIZE, progress=advance, scheduler=SCHEDULER)
            if job.cancel.is_set():
                raise Cancelled
            sobol = _sensitivity_function()
            if sobol is not None and len(config.uncertain) >= 2 and sensitivity_n:
                job.phase = "sensitivity"
                job.sensitivity = sobol(config, sensitivity_n, seed)
            job.status = "done"
        except Cancelled:
            job.status = "cancelled"
        except AiprogressError as exc:
            job.status = "error"
            job.error = str(exc).replace("\n", " ")[:300]
        except Exception as exc:  # noqa: BLE001 - a background job reports every failure to its page
            log.exception("Monte Carlo job %s failed", job.id)
            job.status = "error"
            job.error = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
        finally:
            job.seconds = time.perf_counter() - job.started

    def get(self, job_id: str | None) -> Job | None:
        if not job_id:
            return None
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str | None) -> bool:
        job = self.get(job_id)
        if job is None or job.status != "running":
            return False
        job.cancel.set()
        return True
