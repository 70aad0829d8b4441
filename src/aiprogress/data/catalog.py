"""The DuckDB catalog: every source loaded into one embedded database file.

Tables: ``models``, ``hardware``, ``benchmark_results``, ``rejects``,
``sources`` (one row per source file: name, path, rows, rejected rows,
sha256, version, licence, url, attribution, why the file was picked,
built_at), ``meta`` (key/value: built_at, data_dir, aiprogress version,
layout warnings as JSON) and the *derived* tables.

Where the catalog is: :func:`aiprogress.paths.resolve_catalog` (the one rule:
flag, ``$AIPROGRESS_CATALOG``, the checkout's ``out/catalog.duckdb``, the user
cache).

Builds never destroy what the user has:
- atomic: the catalog is written to a temporary file in the same folder and
  moved into place with :func:`os.replace`, so a failed or interrupted build
  (SIGTERM, SIGINT: the temporary file is removed) leaves the previous
  catalog intact; temporary files left by killed builds are removed by the
  next build of the same catalog;
- a file at the target that is not an aiprogress catalog (a thesis, a CSV,
  another program's database, a damaged file) is not overwritten unless
  ``force``; a catalog is never written inside the data directory;
- a lock file ``.<name>.lock`` beside the catalog: a second build of the
  same catalog waits up to ``wait`` seconds, then stops with exit code 2.
Building twice from the same files gives the same tables.

Derived tables come from the ``derived`` entries of
:mod:`aiprogress.capabilities` (the one registration point), plus any passed
in ``derived=``: each ``f(tables) -> {name: DataFrame}`` runs on the base
tables and its frames are stored. A base table the fast reader loaded (the
``models`` export) reaches them with Arrow-backed columns (``pd.ArrowDtype``,
no copy of the text) and is written to DuckDB as the Arrow table itself.

The loaded tables are written to DuckDB in a second thread while the derived
tables are computed (:mod:`aiprogress.data.parallel`; ``AIPROGRESS_BUILD_THREADS=1``
for one thread): the catalog is the same either way, and a failing derived
function stops the write and leaves the previous catalog as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pandas as pd
import pyarrow as pa

from aiprogress.data import parallel
from aiprogress.data.catalog_files import (
    build_lock,
    check_target,
    clean_stale_temp_files,
    interrupt_cleanup,
    temp_path,
)
from aiprogress.data.catalog_read import (  # noqa: F401  (re-exported)
    BOOL_COLUMNS,
    LIST_COLUMNS,
    StatusResult,
    catalog_status,
    read_catalog_table,
)
from aiprogress.data.loaders import load_sources
from aiprogress.errors import ParameterError
from aiprogress.paths import catalog_origin, resolve_data_dir
from aiprogress.results import Result, format_table

DerivedFunc = Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]

STOP_WAIT = 5.0  # seconds a failed or interrupted build waits for its DuckDB writer thread to stop

BASE_TABLES = ("models", "hardware", "benchmark_results", "rejects", "sources", "meta")


def derived_functions() -> list[DerivedFunc]:
    """The derived-table functions registered in :mod:`aiprogress.capabilities`."""
    from aiprogress.capabilities import derived_functions as registered

    return list(registered())


def _arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """pandas -> Arrow with explicit types where inference is unreliable
    (lists of strings, all-null columns, nullable booleans)."""
    arrays, names = [], []
    lists = LIST_COLUMNS.get(table, ())
    for col in frame.columns:
        s = frame[col]
        fast = None
        if col in lists:
            arr = pa.array([list(v) if v is not None else None for v in s], type=pa.list_(pa.string()))
        elif isinstance(s.dtype, pd.ArrowDtype):
            fast = pa.array(s)
        elif s.dtype == object and col not in BOOL_COLUMNS.get(table, ()):
            try:  # all str / None / NaN: convert in C
                fast = pa.array(s, type=pa.string(), from_pandas=True)
            except (pa.ArrowTypeError, pa.ArrowInvalid):
                fast = None
        if fast is not None:
            arr = fast
        elif col in lists:
            pass
        elif s.dtype == object:
            vals = [None if (v is None or (isinstance(v, float) and v != v) or v is pd.NA) else v for v in s]
            kinds = {type(v) for v in vals if v is not None}
            if col in BOOL_COLUMNS.get(table, ()) or (kinds and kinds <= {bool}):
                arr = pa.array(vals, type=pa.bool_())
            elif not kinds or kinds <= {str}:
                arr = pa.array(vals, type=pa.string())
            else:
                arr = pa.array([None if v is None else str(v) for v in vals], type=pa.string())
        else:
            arr = pa.Array.from_pandas(s)
        arrays.append(arr)
        names.append(str(col))
    return pa.Table.from_arrays(arrays, names=names)


def _write(con: Any, name: str, frame: Any) -> None:
    tbl = frame if isinstance(frame, pa.Table) else _arrow(frame.reset_index(drop=True), name)
    view = f"_incoming_{name}"  # one name per table: two connections may write at once
    con.register(view, tbl)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM "{view}"')
    con.unregister(view)


def _derived(funcs: list[DerivedFunc], inputs: list[dict[str, pd.DataFrame]],
             tables: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The derived tables: ``funcs[i](inputs[i])`` in order, with their names and types checked."""
    out: dict[str, pd.DataFrame] = {}
    for func, arg in zip(funcs, inputs):
        extra = func(arg)
        for name, frame in (extra or {}).items():
            if name in BASE_TABLES or name in tables or name in out:
                raise ParameterError("derived", f"derived table name '{name}' clashes with an existing table", expected="a new table name")
            if not isinstance(frame, pd.DataFrame):
                raise ParameterError("derived", f"derived table '{name}' is not a DataFrame", expected="a pandas DataFrame")
            out[name] = frame
    return out


@contextlib.contextmanager
def _write_errors(target: Path) -> Iterator[None]:
    """A failed write of the catalog file (disk full, permissions) -> ParameterError naming the catalog."""
    import duckdb

    try:
        yield
    except (OSError, duckdb.IOException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ParameterError("catalog", f"cannot write the catalog at {target}: {reason}".replace("\n", " "),
                             expected="a writable file path") from None


def _connect(duckdb: Any, tmp: Path, target: Path) -> Any:
    """A DuckDB connection writing the (temporary) catalog file ``tmp``."""
    with _write_errors(target):
        con = duckdb.connect()
        try:
            # Row groups of 16,384 rows (not 122,880): DuckDB holds each row group being written
            # uncompressed in memory, for the models export ~150 MB per writing thread.
            con.execute(f"ATTACH '{_sql_text(tmp)}' AS aiprogress_catalog (ROW_GROUP_SIZE 16384)")
            con.execute("USE aiprogress_catalog")
            # FSST string compression costs more time than the rest of the write and saves
            # a third of the file; DuckDB's other compressions (dictionary, RLE, ...) stay on
            con.execute("SET disabled_compression_methods = 'fsst'")
            # One DuckDB thread: a write from Arrow gains nothing from a second one (on 2 cores it
            # took longer, and the build's other thread computes the derived tables meanwhile), and
            # each writing thread holds a row group. Written blocks are on disk: a small buffer pool
            # (64 MB was as fast as 256 MB) keeps DuckDB from caching them all.
            con.execute("SET threads = 1")
            con.execute("SET memory_limit = '64MB'")
            con.execute(f"SET temp_directory = '{_sql_text(Path(str(tmp) + '.spill'))}'")  # if it spills
        except BaseException:
            con.close()
            raise
    return con


def _write_all(con: Any, items: list[tuple[str, Any]], target: Path, cursor: bool = False) -> None:
    """Write the tables ``items``; with ``cursor`` through a new connection to the same database
    (DuckDB lets two connections create different tables at the same time)."""
    with _write_errors(target):
        cur = con.cursor() if cursor else con
        try:
            if cursor:
                cur.execute("USE aiprogress_catalog")
            for name, frame in items:
                _write(cur, name, frame)
        finally:
            if cursor:
                cur.close()


@dataclasses.dataclass(frozen=True)
class BuildResult(Result):
    catalog: str
    catalog_rule: str  # which rule chose the catalog path (see aiprogress.paths)
    data_dir: str
    built_at: str
    tables: dict[str, int]
    sources: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    warnings: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    removed_temp_files: list[str] = dataclasses.field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.sources)[["name", "path", "rows", "rejected_rows", "version", "sha256"]]

    def summary(self) -> str:
        frame = self.to_frame().assign(sha256=lambda d: d["sha256"].str[:12])
        text = format_table(frame, title=f"Catalog built: {self.catalog} (chosen by {self.catalog_rule})")
        text += "\n\nTables: " + ", ".join(f"{k} {v}" for k, v in self.tables.items())
        text += "\n\nFiles picked:\n" + "\n".join(f"  {s['name']}: {s['path']} ({s.get('picked', '')})" for s in self.sources)
        if self.warnings:
            text += "\n\nWarnings:\n" + "\n".join(f"  {w['file']}: {w['message']}" for w in self.warnings)
        if self.removed_temp_files:
            text += f"\n\nRemoved {len(self.removed_temp_files)} temporary file(s) of earlier interrupted builds."
        if self.rejects:
            text += "\n\n" + format_table(pd.DataFrame(self.rejects)[["source_file", "source_line", "column", "reason"]], title="Rejected rows")
        return text


def build_catalog(
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    *,
    skip_bad_rows: bool = False,
    allow_empty: bool = False,
    max_reject_share: float = 0.5,
    force: bool = False,
    wait: float = 0.0,
    derived: Sequence[DerivedFunc] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Load every source and write the catalog atomically; returns counts, rejects and warnings."""
    import duckdb

    root = resolve_data_dir(data_dir)
    target, rule = catalog_origin(catalog)
    check_target(target, root, force=force)  # fail before the (slow) load, not after it
    with build_lock(target, wait=wait), interrupt_cleanup() as cleanup:
        removed = clean_stale_temp_files(target)
        loaded = load_sources(root, skip_bad_rows=skip_bad_rows, allow_empty=allow_empty,
                              max_reject_share=max_reject_share, progress=progress, arrow=True)
        tables = dict(loaded.tables)
        built_at = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
        funcs = list(dict.fromkeys(derived_functions() + list(derived or [])))
        # the derived functions see DataFrames (their own copies, made before the writer thread
        # starts reading the originals); an Arrow table as Arrow-backed columns (no copy of the text)
        inputs = [{k: (v.to_pandas(types_mapper=pd.ArrowDtype) if isinstance(v, pa.Table) else v).copy()
                   for k, v in tables.items()} for _f in funcs]
        sources = pd.DataFrame([dataclasses.asdict(r) for r in loaded.sources])
        sources["built_at"] = built_at
        meta = pd.DataFrame(
            {"key": ["built_at", "data_dir", "aiprogress_version", "warnings"],
             "value": [built_at, str(root.resolve()), _version(), json.dumps(loaded.warnings)]}
        )
        counts = {k: int(len(v)) for k, v in tables.items()}

        check_target(target, root, force=force)
        tmp = temp_path(target)
        cleanup.extend([tmp, Path(str(tmp) + ".wal")])
        try:
            pa.default_memory_pool().release_unused()  # give the loaders' freed Arrow memory back first
            con = _connect(duckdb, tmp, target)
            writer = None
            try:
                # the loaded tables are written (DuckDB, GIL released) while the derived ones are computed
                base = list(tables.items())
                writer = parallel.Background(_write_all, con, base, target, run_now=not parallel.enabled(),
                                             name="aiprogress-write")
                del base
                extra = _derived(funcs, inputs, tables)
                del inputs
                counts.update({k: int(len(v)) for k, v in extra.items()})
                rest = [*extra.items(), ("sources", sources), ("meta", meta)]
                if writer.running():  # the other tables in a second DuckDB connection meanwhile
                    _write_all(con, rest, target, cursor=True)
                    rest = []
                writer.result()
                _write_all(con, rest, target)
                with _write_errors(target):
                    con.execute("CHECKPOINT aiprogress_catalog")
            except BaseException:
                if writer is not None:  # the build fails anyway: no write (serial), or stop it (thread)
                    writer.cancel()
                    if writer.running():
                        con.interrupt()
                        writer.wait(timeout=STOP_WAIT)
                raise
            finally:
                if writer is None or not writer.running():
                    con.close()  # (a writer that did not stop is a daemon thread: the connection goes with it)
            with _write_errors(target):
                os.replace(tmp, target)
        except BaseException:
            for p in (tmp, Path(str(tmp) + ".wal")):
                try:
                    p.unlink()
                except (FileNotFoundError, NotADirectoryError):
                    pass
            raise
    return BuildResult(
        catalog=str(target),
        catalog_rule=rule,
        data_dir=str(root),
        built_at=built_at,
        tables=counts,
        sources=sources.to_dict(orient="records"),
        rejects=loaded.rejects.to_dict(orient="records"),
        warnings=loaded.warnings,
        removed_temp_files=removed,
    )


def _sql_text(path: Path) -> str:
    """``path`` inside a single-quoted SQL string."""
    return str(path).replace("'", "''")


def _version() -> str:
    from aiprogress import __version__

    return __version__
