"""Build report sections in worker processes (``build_report(jobs=N)``, ``aiprogress report --jobs N``).

A unit of work is one section, named by its key: the worker looks the section up
in its own registry (workers are forked from the building process where the
platform allows, so they start with every report module imported; elsewhere
the initializer imports them), builds it on a :class:`ReportContext` made in the
worker from the catalog, data folder and seed, and returns plain values: the
section's HTML, its failure text (or None), its seconds, and the rows of the
scorecard functions assigned to it. Each worker keeps one context for the whole
build, so sections built in the same worker share cached tables and results, as
in a serial build; a scorecard function runs in the worker that built its
capability's section, right after it, so it finds that section's cached results.

The parent gathers the results in report order whatever the order of
completion, so the page is the same as a serial build's for the same seed.
Workers run with ``blas_threads`` BLAS threads (1 by default), their share of the cores for their own
thread pools (:func:`aiprogress.stats.parallel.set_core_share`: cores // workers), a garbage collector that
skips what was loaded before the fork and runs less often, and the
plain-text log tick labels of :func:`aiprogress.reportkit.figures.plain_log_ticks`.
"""

from __future__ import annotations

import contextlib
import gc
import html
import multiprocessing
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable

from aiprogress.reportkit.sections import ReportContext, Section, registered
from aiprogress.stats.parallel import usable_cores

#: ``(section body, failure text or None, seconds)``
Outcome = tuple[str, "str | None", float]
#: ``(index into scorecard_functions(), rows, error or None, seconds)``
CardOutcome = tuple[int, list, "str | None", float]


def failure_body(exc: BaseException) -> str:
    """The failure box a section that raised shows in the report."""
    return ("<div class='failure'><b>This section could not be built.</b><pre>"
            + html.escape("".join(traceback.format_exception_only(type(exc), exc)))
            + "</pre></div>")


def build_section(sec: Section, ctx: ReportContext) -> Outcome:
    """Build one section; a section that raises gives its failure box and error text instead."""
    t0 = time.perf_counter()
    try:
        body, err = sec.build(ctx), None
    except Exception as exc:  # a broken section must not hide the others
        body, err = failure_body(exc), f"{type(exc).__name__}: {exc}"
    return body, err, time.perf_counter() - t0


def worker_count(jobs: int | None, units: int) -> int:
    """Worker processes for ``units`` sections: ``jobs`` (default: every available core, :func:`~aiprogress.stats.parallel.usable_cores`), at most the cores and units."""
    from aiprogress.errors import ParameterError

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ParameterError("jobs", f"{jobs!r}", expected="a whole number >= 1 (1: build the sections one after the other)")
    if multiprocessing.current_process().daemon:  # a daemonic process may not start workers: build here
        return 1
    cores = usable_cores()
    return max(1, min(cores if jobs is None else jobs, cores, units))


def assign_scorecards(chosen: list[Section], functions: list[tuple[int, str, Callable]],
                      capability_of: dict[str, str]) -> dict[str, list[int]]:
    """Which section's worker runs each scorecard function: a section of the function's own module if built,
    else the first built section of its capability. ``capability_of`` maps report modules to capability keys."""
    out: dict[str, list[int]] = {}
    for idx, key, func in functions:
        mine = [s for s in chosen if capability_of.get(s.build.__module__) == key]
        if not mine:
            continue
        home = next((s for s in mine if s.build.__module__ == func.__module__), mine[0])
        out.setdefault(home.key, []).append(idx)
    return out


_WORKER: dict[str, Any] = {}
#: Workers collect their young generation every this many net allocations (Python's default is 700): section
#: builds allocate millions of short-lived matplotlib and pandas objects, and each collection scans the survivors.
_WORKER_GC_THRESHOLD = (20_000, 20, 100)


@contextlib.contextmanager
def _frozen_for_fork():
    """Within the block (where the workers are forked), everything already allocated is moved to the garbage
    collector's permanent generation: the workers' collections never scan the imported modules (0.1-0.2 s per
    worker), and their pages stay shared. The parent unfreezes after."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _init_args(data_dir: Path | None, catalog: Path | None, seed: int, blas_threads: int | None, spawned: bool,
               cores: int) -> tuple:
    """The arguments of :func:`_init_worker` (paths as strings, so that they pickle to a spawned worker)."""
    return (str(data_dir) if data_dir else None, str(catalog) if catalog else None, seed, blas_threads, spawned, cores)


def _init_worker(data_dir: str | None, catalog: str | None, seed: int, blas_threads: int | None, load: bool,
                 cores: int) -> None:
    import sys

    from aiprogress.stats.parallel import set_core_share

    set_core_share(cores)  # this worker's share of the cores, for the thread pools of the sections it builds
    gc.set_threshold(*_WORKER_GC_THRESHOLD)

    # A fork copies the stream locks as they were: a progress-bar thread of the parent writing at that moment
    # would leave them held. Fresh stream objects on the same descriptors cannot be locked by a thread that is gone.
    for name, fd in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name, None)
        if stream is not None and not load:
            try:
                setattr(sys, name, open(fd, "w", buffering=1, encoding=getattr(stream, "encoding", None) or "utf-8",
                                        errors=getattr(stream, "errors", None) or "strict", closefd=False))
            except (OSError, ValueError):  # no such descriptor: keep the copy
                pass
    if load:  # a spawned worker: import the report modules (a forked one has them already)
        from aiprogress.report.builder import sections

        sections()
    if blas_threads is not None:
        from threadpoolctl import threadpool_limits

        _WORKER["limits"] = threadpool_limits(blas_threads, user_api="blas")
    _WORKER["ctx"] = ReportContext(data_dir=Path(data_dir) if data_dir else None,
                                   catalog=Path(catalog) if catalog else None, seed=seed)


def _build_unit(keys: list[str], cards: dict[str, list[int]]) -> list[tuple[Outcome, list[CardOutcome]]]:
    """Build the sections ``keys`` one after the other in this worker (with their scorecard functions)."""
    from aiprogress.report.scorecard import score_one
    from aiprogress.reportkit.figures import plain_log_ticks

    ctx = _WORKER["ctx"]
    out = []
    for key in keys:
        sec = next((s for s in registered() if s.key == key), None)
        if sec is None:  # e.g. a section registered at run time, in a worker that was spawned rather than forked
            raise LookupError(f"section '{key}' is not registered in the worker process")
        done: list[CardOutcome] = []
        with plain_log_ticks():
            outcome = build_section(sec, ctx)
            if cards.get(key):
                from aiprogress.capabilities import scorecard_functions

                functions = scorecard_functions()
                for idx in cards[key]:
                    t0 = time.perf_counter()
                    rows, err = score_one(ctx, functions[idx][1])
                    done.append((idx, rows, err, time.perf_counter() - t0))
        out.append((outcome, done))
    return out


def units(chosen: list[Section]) -> list[list[int]]:
    """Indices of ``chosen`` grouped into units of work, costliest unit first: a section built ``with_section``
    another (chosen) one joins that one's unit, in report order, so that one worker does their shared work once."""
    key_of = {s.key: i for i, s in enumerate(chosen)}
    parent = list(range(len(chosen)))  # union-find over the with_section links

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, s in enumerate(chosen):
        if s.with_section in key_of:
            a, b = sorted((root(i), root(key_of[s.with_section])))
            parent[b] = a
    groups: dict[int, list[int]] = {}
    for i in range(len(chosen)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-sum(chosen[i].cost for i in g), g[0]))


class EarlyBuild:
    """Light sections (their capability's ``report_light``, see :mod:`aiprogress.capabilities`) built in one
    worker process forked before the other report modules
    are imported, so that they use the core that the import leaves idle (fork only: elsewhere a worker would
    import everything anyway). :meth:`outcomes` waits for them; :meth:`close` stops the worker unused."""

    def __init__(self, chosen: list[Section], *, data_dir: Path | None, catalog: Path | None, seed: int,
                 blas_threads: int | None) -> None:
        self.sections = chosen
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_init_worker,
                                         initargs=_init_args(data_dir, catalog, seed, blas_threads, False, 1))
        with _frozen_for_fork():  # the worker is forked by the first submit
            self._future = self._pool.submit(_build_unit, [sec.key for sec in chosen], {})

    @staticmethod
    def possible() -> bool:
        return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon

    def outcomes(self) -> list[Outcome]:
        """One outcome per section, in the order given (a worker that died fails them all)."""
        t0 = time.perf_counter()
        try:
            return [outcome for outcome, _ in self._future.result()]
        except Exception as exc:  # the worker died or its result could not be sent back
            err = f"{type(exc).__name__}: {exc}"
            return [(failure_body(exc), err, time.perf_counter() - t0) for _ in self.sections]
        finally:
            self._pool.shutdown()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def build_parallel(chosen: list[Section], cards: dict[str, list[int]], *, workers: int, data_dir: Path | None,
                   catalog: Path | None, seed: int, blas_threads: int | None,
                   progress: Callable[[int], None] | None = None) -> tuple[list[Outcome], dict[int, CardOutcome]]:
    """Build ``chosen`` on ``workers`` processes; outcomes in the order of ``chosen``, scorecard outcomes by index.

    Units of work (:func:`units`: a section with the one it is built ``with_section``) are handed out
    costliest first (:attr:`Section.cost`). ``progress(1)`` is called as each
    section arrives. A worker that dies fails the sections it had not returned (and their scorecard
    functions) with the pool's error; the others are kept.
    """
    mp = _context()
    outcomes: list[Outcome | None] = [None] * len(chosen)
    card_out: dict[int, CardOutcome] = {}
    t_start = time.perf_counter()
    plan = units(chosen)
    workers = max(1, min(workers, len(plan)))
    init = _init_args(data_dir, catalog, seed, blas_threads, mp.get_start_method() != "fork",
                      max(1, usable_cores() // workers))
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp, initializer=_init_worker, initargs=init) as pool:
        with _frozen_for_fork():  # forked workers are started by the first submit
            futures = {pool.submit(_build_unit, [chosen[i].key for i in unit],
                                   {chosen[i].key: cards[chosen[i].key] for i in unit if chosen[i].key in cards}): unit
                       for unit in plan}
        for fut in as_completed(futures):
            unit = futures[fut]
            try:
                results = fut.result()
            except Exception as exc:  # the worker died or its result could not be sent back
                err = f"{type(exc).__name__}: {exc}"
                results = [((failure_body(exc), err, time.perf_counter() - t_start),
                            [(idx, [], f"not run: the worker building section '{chosen[i].key}' stopped ({err})", 0.0)
                             for idx in cards.get(chosen[i].key, [])]) for i in unit]
            for i, (outcome, got) in zip(unit, results):
                outcomes[i] = outcome
                for c in got:
                    card_out[c[0]] = c
                if progress:
                    progress(1)
    return [o for o in outcomes if o is not None], card_out
