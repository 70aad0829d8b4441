"""Overlapping the independent parts of a ``data build`` on the machine's cores.

Most of the build's heavy work runs in C with Python's GIL released (pyarrow's
CSV parse and compute kernels, NumPy scans, hashlib, DuckDB's writes), so
plain threads overlap it. What runs concurrently (see
:func:`aiprogress.data.loaders.load_sources`,
:func:`aiprogress.data.catalog.build_catalog` and
:func:`aiprogress.data.fastcsv.read_fast`):

- the largest source file (the models export) is parsed while a second
  thread parses the small sources one after another and hashes every file;
- the pyarrow parse of a file while its line-number scan runs;
- the DuckDB write of the loaded tables while the derived tables are computed.

Results do not depend on it: each source is parsed into its own tables,
warnings and rejects, which are then put together in source order, and the
error reported is the first one in source order (later sources are not
started once a source failed, when they can still be stopped).

``AIPROGRESS_BUILD_THREADS=1`` makes every step run one after the other in the
calling thread (the serial build; the reference in the tests). Any other value,
or none, overlaps when the machine has more than one core.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable


def enabled() -> bool:
    """Whether the build overlaps its steps in threads (``AIPROGRESS_BUILD_THREADS`` not ``1``, > 1 core)."""
    value = os.environ.get("AIPROGRESS_BUILD_THREADS", "").strip()
    if value == "1":
        return False
    return (os.cpu_count() or 1) > 1


class Background:
    """``fn(*args)`` running in a daemon thread (a daemon so that an interrupted build exits at once);
    :meth:`result` waits for it and returns its value or raises its exception. Without threads
    (``run_now``), ``fn`` runs when :meth:`result` is first called, in the caller's thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any, run_now: bool = False, name: str = "aiprogress-build"):
        self._fn, self._args = fn, args
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._done = False
        if not run_now:
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn(*self._args)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc
        finally:
            self._done = True

    def wait(self, timeout: float | None = None) -> None:
        """Wait until ``fn`` has returned or raised, or ``timeout`` seconds (runs it now when not in a thread)."""
        if self._thread is None:
            if not self._done:
                self._run()
        else:
            self._thread.join(timeout)

    def result(self) -> Any:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> None:
        """Not run at all if it has not started (no thread, not yet waited for); a running thread goes on."""
        if self._thread is None:
            self._done = True

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def run_all(tasks: list[Callable[[], Any]], workers: int = 2) -> list[Any]:
    """The values of ``tasks`` in order, run on ``workers`` threads taking the next task in order; the
    first exception in task order is raised once the running tasks have stopped (tasks not yet started
    are dropped). Serially in this thread when :func:`enabled` is false."""
    if not enabled() or len(tasks) < 2 or workers < 2:
        return [t() for t in tasks]
    with ThreadPoolExecutor(workers, thread_name_prefix="aiprogress-task") as pool:
        futures = [pool.submit(t) for t in tasks]
        try:
            return [f.result() for f in futures]
        except BaseException:  # an error (or Ctrl-C): start no new task; the with block waits for the running ones
            pool.shutdown(wait=False, cancel_futures=True)
            raise
