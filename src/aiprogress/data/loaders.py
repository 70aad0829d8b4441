"""Load every source in a data directory into the tidy tables.

``load_sources`` parses all files and returns the tables, rejects and one
record per source; ``load_table`` is the entry point the other capabilities
use (cached in-process on the files' paths and modification times).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from aiprogress.data import schema
from aiprogress.data.csvio import empty_rejects, source_version
from aiprogress.data.epoch import load_epoch_hardware, load_models
from aiprogress.data.sources import SOURCES, Source
from aiprogress.data.thompson import load_benchmark, load_processors, merge_hardware
from aiprogress.errors import DataNotFoundError, ParameterError
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


@dataclass
class LoadedData:
    tables: dict[str, pd.DataFrame]
    rejects: pd.DataFrame
    sources: list[SourceRecord] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sources_for(tables: tuple[str, ...] | None) -> dict[str, Source]:
    """The sources that feed ``tables`` (all sources when None; ``rejects`` needs all)."""
    if tables is None or "rejects" in tables:
        return dict(SOURCES)
    return {name: src for name, src in SOURCES.items() if src.table in tables}


def source_paths(data_dir: Path, tables: tuple[str, ...] | None = None) -> dict[str, Path]:
    """The file each source (of ``tables``, default all) uses in ``data_dir``; a missing file raises DataNotFoundError."""
    out = {}
    for name, src in _sources_for(tables).items():
        p = src.find(data_dir)
        if p is None:
            rel = src.expected_path(data_dir).relative_to(data_dir)
            raise DataNotFoundError(
                f"{rel}: source '{name}' not found in data directory {data_dir} "
                "(run 'aiprogress data fetch' or pass --data-dir)"
            )
        out[name] = p
    return out


def _load_one(src: Source, path: Path, display: str, skip: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    if src.name == "epoch_models":
        return load_models(path, display=display, skip_bad_rows=skip)
    if src.name == "epoch_hardware":
        return load_epoch_hardware(path, display=display, skip_bad_rows=skip)
    if src.table == "benchmark_results":
        return load_benchmark(src.name, path, display=display, skip_bad_rows=skip)
    return load_processors(src.name, path, display=display, skip_bad_rows=skip)


def load_sources(
    data_dir: str | Path | None = None,
    *,
    skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
    tables: tuple[str, ...] | None = None,
) -> LoadedData:
    """Parse every source in the data directory into ``models``, ``hardware``,
    ``benchmark_results`` (+ ``rejects`` and per-source records).

    ``tables`` limits the work to the sources of those tables (``rejects``
    needs every source); the result then holds only those tables.
    """
    root = resolve_data_dir(data_dir)
    wanted = _sources_for(tables)
    paths = source_paths(root, tables)
    parts: dict[str, pd.DataFrame] = {}
    rejects: list[pd.DataFrame] = []
    records: list[SourceRecord] = []
    for name, src in wanted.items():
        path = paths[name]
        display = path.relative_to(root).as_posix()
        frame, rej = _load_one(src, path, display, skip_bad_rows)
        parts[name] = frame
        if len(rej):
            rejects.append(rej)
        records.append(
            SourceRecord(
                name=name, table=src.table, path=display, rows=len(frame), rejected_rows=len(rej),
                sha256=sha256_file(path), version=source_version(path), licence=src.licence, url=src.url,
                attribution=src.attribution,
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
    return LoadedData(tables=out, rejects=out["rejects"], sources=records)


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
    derived table stored in a catalog).

    With ``catalog`` the table is read from that DuckDB catalog file. Without
    it the sources in the data directory (``resolve_data_dir(data_dir)``) are
    parsed (strictly: bad rows raise InputError) and cached in-process, keyed on
    the files' paths, modification times and sizes. A copy is returned, so
    callers may modify it.
    """
    if catalog is not None:
        from aiprogress.data.catalog import read_catalog_table

        return read_catalog_table(name, catalog)
    if name not in schema.TABLES:
        raise ParameterError("name", f"unknown table '{name}'", expected=", ".join(schema.TABLES))
    root = resolve_data_dir(data_dir).resolve()
    return _cached_table(str(root), name, _fingerprint(root, (name,))).copy(deep=True)


def clear_cache() -> None:
    """Forget tables parsed by :func:`load_table`."""
    _cached_table.cache_clear()
