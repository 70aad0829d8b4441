"""Load every source in a data directory into the tidy tables.

``load_sources`` parses all files and returns the tables, rejects and one
record per source; ``load_table`` is the entry point the other capabilities
use (cached in-process on the files' paths and modification times).

The largest file is parsed while a second thread parses the other sources and
hashes the files (:mod:`aiprogress.data.parallel`; ``AIPROGRESS_BUILD_THREADS=1``
for one thread): the tables, warnings, rejects and the error raised (the first
in source order) are the same either way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from aiprogress.data import parallel, schema
from aiprogress.data.csvio import empty_rejects, source_version
from aiprogress.data.epoch import load_epoch_hardware, load_models
from aiprogress.data.sources import SOURCES, Source
from aiprogress.data.thompson import load_benchmark, load_processors, merge_hardware
from aiprogress.errors import InputError, ParameterError
from aiprogress.fileio import sha256_file  # noqa: F401  (re-exported: data.loaders.sha256_file)
from aiprogress.paths import resolve_data_dir


@dataclass(frozen=True)
class SourceRecord:
    name: str
    table: str
    path: str  # relative to the data directory
    rows: int
    rejected_rows: int
    sha256: str
    version: str
    licence: str
    url: str
    attribution: str
    picked: str = ""  # why this file was chosen (discovery)


@dataclass
class LoadedData:
    tables: dict[str, Any]  # DataFrames (``models`` may be a pyarrow Table: load_sources(arrow=True))
    rejects: pd.DataFrame
    sources: list[SourceRecord] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # file, column, message


def _sources_for(tables: tuple[str, ...] | None) -> dict[str, Source]:
    """The sources that feed ``tables`` (all sources when None; ``rejects`` needs all)."""
    if tables is None or "rejects" in tables:
        return dict(SOURCES)
    return {name: src for name, src in SOURCES.items() if src.table in tables}


def discover_sources(data_dir: Path, tables: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The :class:`~aiprogress.data.sources.Discovery` of each source (of ``tables``, default all);
    a missing file raises DataNotFoundError listing what is there and the names looked for."""
    out = {}
    for name, src in _sources_for(tables).items():
        d = src.discover(data_dir)
        if d is None:
            raise src.not_found(data_dir)
        out[name] = d
    return out


def source_paths(data_dir: Path, tables: tuple[str, ...] | None = None) -> dict[str, Path]:
    """The file each source (of ``tables``, default all) uses in ``data_dir``; a missing file raises DataNotFoundError."""
    return {name: d.path for name, d in discover_sources(data_dir, tables).items()}


def _load_one(src: Source, path: Path, display: str, skip: bool, warnings: list,
              arrow: bool = False) -> tuple[Any, pd.DataFrame]:
    kw = dict(display=display, skip_bad_rows=skip, warnings=warnings)
    if src.name == "epoch_models":
        return load_models(path, arrow=arrow, **kw)
    if src.name == "epoch_hardware":
        return load_epoch_hardware(path, **kw)
    if src.table == "benchmark_results":
        return load_benchmark(src.name, path, **kw)
    return load_processors(src.name, path, **kw)


def _check_counts(display: str, rows: int, rejected: int, *, allow_empty: bool, skip: bool, max_share: float) -> None:
    total = rows + rejected
    if total == 0 and not allow_empty:
        raise InputError("the file has a header but no data rows", file=display,
                         expected="at least one data row (or pass --allow-empty)")
    if skip and total and rejected == total:
        raise InputError(f"--skip-bad-rows rejected every row ({rejected} of {total}); nothing would be stored",
                         file=display, expected="a file whose rows mostly pass the checks")
    if skip and total and rejected / total > max_share:
        raise InputError(f"--skip-bad-rows rejected {rejected} of {total} rows ({rejected / total:.0%}), "
                         f"more than --max-reject-share {max_share:g}", file=display,
                         expected=f"at most {max_share:.0%} rejected rows (raise --max-reject-share to accept)")


def load_sources(
    data_dir: str | Path | None = None,
    *,
    skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
    tables: tuple[str, ...] | None = None,
    allow_empty: bool = False,
    max_reject_share: float = 0.5,
    arrow: bool = False,
) -> LoadedData:
    """Parse every source in the data directory into ``models``, ``hardware``,
    ``benchmark_results`` (+ ``rejects`` and per-source records).

    ``tables`` limits the work to the sources of those tables (``rejects``
    needs every source); the result then holds only those tables.

    A source with no data rows is an error unless ``allow_empty``; with
    ``skip_bad_rows``, rejecting every row of a source, or more than
    ``max_reject_share`` of them, is an error too.

    With ``arrow`` the ``models`` table is a pyarrow Table when the fast reader
    read the export (what ``data build`` stores; the same cells and types).
    """
    if not 0.0 <= max_reject_share <= 1.0:
        raise ParameterError("max_reject_share", f"{max_reject_share:g} is out of range", expected="a fraction in [0, 1]")
    root = resolve_data_dir(data_dir)
    wanted = _sources_for(tables)
    found = discover_sources(root, tables)
    jobs = [(name, src, found[name].path) for name, src in wanted.items()]
    displays = [path.relative_to(root).as_posix() for _name, _src, path in jobs]
    parts: dict[str, pd.DataFrame] = {}
    rejects: list[pd.DataFrame] = []
    records: list[SourceRecord] = []
    warnings: list[dict[str, Any]] = []

    def parse(i: int) -> tuple[Any, pd.DataFrame, list[dict[str, Any]]]:
        _name, src, path = jobs[i]
        notes: list[dict[str, Any]] = []  # each source's own warnings, joined in source order
        frame, rej = _load_one(src, path, displays[i], skip_bad_rows, notes, arrow)
        _check_counts(displays[i], len(frame), len(rej), allow_empty=allow_empty, skip=skip_bad_rows,
                      max_share=max_reject_share)
        return frame, rej, notes

    outcome = _run_jobs(jobs, parse) if parallel.enabled() and jobs else None
    for i, (name, src, path) in enumerate(jobs):
        if outcome is None:  # serial: parse, then hash, source by source
            frame, rej, notes = parse(i)
            digest = sha256_file(path)
        else:  # the first error in source order is the one raised, as in the serial build
            frame, rej, notes = outcome(("parse", i))
            digest = outcome(("sha256", i))
        warnings.extend(notes)
        parts[name] = frame
        if len(rej):
            rejects.append(rej)
        records.append(
            SourceRecord(
                name=name, table=src.table, path=displays[i], rows=len(frame),
                rejected_rows=len(rej), sha256=digest, version=source_version(path), licence=src.licence,
                url=src.url, attribution=src.attribution, picked=found[name].reason,
            )
        )
        if progress is not None:
            progress(1)
    out: dict[str, pd.DataFrame] = {}
    if "epoch_models" in parts:
        out["models"] = parts["epoch_models"]
    if "epoch_hardware" in parts:
        out["hardware"] = merge_hardware(parts["epoch_hardware"], [parts[n] for n in ("gpu", "tpu", "cpu")])
    bench = [parts[n] for n, src in wanted.items() if src.table == "benchmark_results"]
    if bench:
        out["benchmark_results"] = pd.concat(bench, ignore_index=True)
    rej_all = pd.concat(rejects, ignore_index=True) if rejects else empty_rejects()
    out["rejects"] = rej_all[schema.REJECTS]
    return LoadedData(tables=out, rejects=out["rejects"], sources=records, warnings=warnings)


def _run_jobs(jobs: list[tuple[str, Source, Path]], parse: Callable[[int], Any]) -> Callable[[tuple[str, int]], Any]:
    """Parse the largest file in this thread while a background thread parses the others in source
    order and then hashes every file (see :mod:`aiprogress.data.parallel`); returns ``outcome(key)``,
    the value of ``("parse", i)`` / ``("sha256", i)`` or the exception it raised.

    Once source ``k`` failed, no source after ``k`` is started (nor hashed): the ones before it still
    are, so that the first error in source order is known."""
    results: dict[tuple[str, int], tuple[bool, Any]] = {}
    sizes = [path.stat().st_size if path.is_file() else -1 for _n, _s, path in jobs]
    big = max(range(len(jobs)), key=lambda i: (sizes[i], -i))
    stop_after = [len(jobs)]  # no job after this index is started

    def attempt(key: tuple[str, int], fn: Callable[[], Any]) -> bool:
        try:
            results[key] = (True, fn())
            return True
        except Exception as exc:  # kept for the caller, in source order
            results[key] = (False, exc)
            stop_after[0] = min(stop_after[0], key[1])
            return False

    def others() -> None:
        for i in range(len(jobs)):
            if i != big and i <= stop_after[0]:
                attempt(("parse", i), lambda i=i: parse(i))
        for i in range(len(jobs)):
            if i <= stop_after[0]:
                attempt(("sha256", i), lambda i=i: sha256_file(jobs[i][2]))

    helper = parallel.Background(others, name="aiprogress-load")
    try:
        attempt(("parse", big), lambda: parse(big))
    except BaseException:
        stop_after[0] = -1  # interrupted (Ctrl-C, SIGTERM): the helper stops after its current step
        raise
    finally:
        helper.wait()
    helper.result()

    def outcome(key: tuple[str, int]) -> Any:
        ok, value = results[key]
        if not ok:
            raise value
        return value

    return outcome


def _fingerprint(root: Path, tables: tuple[str, ...] | None = None) -> tuple[tuple[str, int, int], ...]:
    out = []
    for name, p in source_paths(root, tables).items():
        st = p.stat()
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _cached_table(root: str, name: str, fingerprint: tuple) -> pd.DataFrame:
    # Parses only the sources of this table, so e.g. a chip lookup does not parse the models export.
    return load_sources(Path(root), tables=(name,)).tables[name]


def load_table(
    name: str,
    *,
    catalog: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """A tidy table (``models``, ``hardware``, ``benchmark_results``, ``rejects``; or a
    derived table stored in a catalog), found by the one catalog rule:

    - ``catalog`` given: read that DuckDB catalog;
    - else ``data_dir`` given: parse the sources in that data directory;
    - else the catalog of :func:`aiprogress.paths.resolve_catalog`
      (``$AIPROGRESS_CATALOG``, the checkout's ``out/catalog.duckdb``, the user
      cache) when that file exists, else the sources in
      :func:`aiprogress.paths.resolve_data_dir`.

    Parsing is strict (bad rows raise InputError) and cached in-process, keyed
    on the files' paths, modification times and sizes. What was read (catalog
    and when it was built, stale or not; or raw files) is recorded with
    :func:`aiprogress.paths.record_read`. A copy is returned, so callers may modify it.
    """
    from aiprogress.paths import record_read, resolve_catalog

    if catalog is None and data_dir is None and resolve_catalog().exists():
        catalog = resolve_catalog()
    if catalog is not None:
        from aiprogress.data.catalog_read import read_catalog_table

        return read_catalog_table(name, catalog)
    if name not in schema.TABLES:
        raise ParameterError("name", f"unknown table '{name}'", expected=", ".join(schema.TABLES))
    root = resolve_data_dir(data_dir).resolve()
    fingerprint = _fingerprint(root, (name,))
    record_read({"kind": "raw files", "data_dir": str(root),
                 "files": [Path(p).relative_to(root).as_posix() for p, _m, _s in fingerprint]})
    return _cached_table(str(root), name, fingerprint).copy(deep=True)


def clear_cache() -> None:
    """Forget tables parsed by :func:`load_table`."""
    _cached_table.cache_clear()
