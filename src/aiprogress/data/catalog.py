"""The DuckDB catalog: every source loaded into one embedded database file.

Tables: ``models``, ``hardware``, ``benchmark_results``, ``rejects``,
``sources`` (one row per source file: name, path, rows, rejected rows,
sha256, version, licence, url, attribution, built_at), ``meta`` (key/value:
built_at, data_dir, aiprogress version) and any *derived* tables.

Builds are atomic: the catalog is written to a temporary file in the same
folder and moved into place with :func:`os.replace`, so a failed build leaves
the previous catalog intact and readable. Building twice from the same files
gives the same tables.

Derived tables: a capability registers ``f(tables) -> {name: DataFrame}``
with :func:`register_derived`; :func:`build_catalog` calls every registered
function (plus any passed in ``derived=``) on the base tables and stores what
they return.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd
import pyarrow as pa

from aiprogress.data import schema
from aiprogress.data.csvio import source_version
from aiprogress.data.loaders import load_sources, sha256_file
from aiprogress.data.sources import SOURCES
from aiprogress.errors import AiprogressError, DataNotFoundError, ParameterError
from aiprogress.paths import resolve_catalog, resolve_data_dir
from aiprogress.results import Result, format_table

DerivedFunc = Callable[[dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]
_DERIVED: list[DerivedFunc] = []

# Derived tables every build includes, as "module:function" so that importing
# aiprogress.data does not import the capabilities that compute them.
BUILTIN_DERIVED = ("aiprogress.compute.tables:compute_estimates_table",)


def _builtin_derived() -> list[DerivedFunc]:
    import importlib

    funcs = []
    for spec in BUILTIN_DERIVED:
        module, name = spec.split(":")
        funcs.append(getattr(importlib.import_module(module), name))
    return funcs

BASE_TABLES = ("models", "hardware", "benchmark_results", "rejects", "sources", "meta")
LIST_COLUMNS = {"models": ("countries", "authors"), "hardware": ("aliases",)}
BOOL_COLUMNS = {"benchmark_results": ("extra_data",)}


def register_derived(func: DerivedFunc) -> DerivedFunc:
    """Register ``func(tables) -> {name: frame}`` to run at every catalog build (usable as a decorator)."""
    key = (getattr(func, "__module__", None), getattr(func, "__qualname__", repr(func)))
    for i, f in enumerate(_DERIVED):
        if (getattr(f, "__module__", None), getattr(f, "__qualname__", repr(f))) == key:
            _DERIVED[i] = func  # re-registration (e.g. module reload) replaces
            return func
    _DERIVED.append(func)
    return func


def derived_functions() -> list[DerivedFunc]:
    return list(_DERIVED)


def _arrow(frame: pd.DataFrame, table: str) -> pa.Table:
    """pandas -> Arrow with explicit types where inference is unreliable
    (lists of strings, all-null columns, nullable booleans)."""
    arrays, names = [], []
    lists = LIST_COLUMNS.get(table, ())
    for col in frame.columns:
        s = frame[col]
        if col in lists:
            arr = pa.array([list(v) if v is not None else None for v in s], type=pa.list_(pa.string()))
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


def _write(con: Any, name: str, frame: pd.DataFrame) -> None:
    tbl = _arrow(frame.reset_index(drop=True), name)
    con.register("_incoming", tbl)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
    con.unregister("_incoming")


@dataclasses.dataclass(frozen=True)
class BuildResult(Result):
    catalog: str
    data_dir: str
    built_at: str
    tables: dict[str, int]
    sources: list[dict[str, Any]]
    rejects: list[dict[str, Any]]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.sources)[["name", "path", "rows", "rejected_rows", "version", "sha256"]]

    def summary(self) -> str:
        frame = self.to_frame().assign(sha256=lambda d: d["sha256"].str[:12])
        text = format_table(frame, title=f"Catalog built: {self.catalog}")
        text += "\n\nTables: " + ", ".join(f"{k} {v}" for k, v in self.tables.items())
        if self.rejects:
            text += "\n\n" + format_table(pd.DataFrame(self.rejects)[["source_file", "source_line", "column", "reason"]], title="Rejected rows")
        return text


def build_catalog(
    data_dir: str | Path | None = None,
    catalog: str | Path | None = None,
    *,
    skip_bad_rows: bool = False,
    derived: Sequence[DerivedFunc] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildResult:
    """Load every source and write the catalog atomically; returns counts and rejects."""
    import duckdb

    root = resolve_data_dir(data_dir)
    target = resolve_catalog(catalog)
    _check_target(target)  # fail before the (slow) load, not after it
    loaded = load_sources(root, skip_bad_rows=skip_bad_rows, progress=progress)
    tables = dict(loaded.tables)
    built_at = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    funcs = list(dict.fromkeys(_builtin_derived() + list(_DERIVED) + list(derived or [])))
    base = {k: v for k, v in tables.items()}
    for func in funcs:
        extra = func({k: v.copy() for k, v in base.items()})
        for name, frame in (extra or {}).items():
            if name in BASE_TABLES or name in tables:
                raise ParameterError("derived", f"derived table name '{name}' clashes with an existing table", expected="a new table name")
            if not isinstance(frame, pd.DataFrame):
                raise ParameterError("derived", f"derived table '{name}' is not a DataFrame", expected="a pandas DataFrame")
            tables[name] = frame
    sources = pd.DataFrame([dataclasses.asdict(r) for r in loaded.sources])
    sources["built_at"] = built_at
    meta = pd.DataFrame(
        {"key": ["built_at", "data_dir", "aiprogress_version"],
         "value": [built_at, str(root), _version()]}
    )

    _check_target(target)
    tmp = target.parent / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, frame in tables.items():
                _write(con, name, frame)
            _write(con, "sources", sources)
            _write(con, "meta", meta)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    except BaseException as exc:
        for p in (tmp, Path(str(tmp) + ".wal")):
            try:
                p.unlink()
            except (FileNotFoundError, NotADirectoryError):
                pass
        if isinstance(exc, (OSError, duckdb.IOException)):
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ParameterError("catalog", f"cannot write the catalog at {target}: {reason}".replace("\n", " "),
                                 expected="a writable file path") from None
        raise
    counts = {k: int(len(v)) for k, v in tables.items()}
    return BuildResult(
        catalog=str(target),
        data_dir=str(root),
        built_at=built_at,
        tables=counts,
        sources=sources.to_dict(orient="records"),
        rejects=loaded.rejects.to_dict(orient="records"),
    )


def _check_target(target: Path) -> None:
    """The catalog path must name a file in a folder that exists or can be created."""
    if target.is_dir():
        raise ParameterError("catalog", f"{target} is a directory", expected="a file path such as catalog.duckdb")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("catalog", f"cannot create the folder {target.parent}: {exc.strerror or exc}",
                             expected="a writable file path") from None
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise ParameterError("catalog", f"the folder {target.parent} is not writable", expected="a writable file path")


def _version() -> str:
    from aiprogress import __version__

    return __version__


def _connect_ro(catalog: str | Path | None) -> Any:
    import duckdb

    path = resolve_catalog(catalog)
    if not path.is_file():
        raise DataNotFoundError(f"{path}: catalog not found (run 'aiprogress data build')")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DataNotFoundError(f"{path}: cannot open the catalog ({exc})".replace("\n", " ")) from None


def catalog_tables(catalog: str | Path | None = None) -> list[str]:
    con = _connect_ro(catalog)
    try:
        return sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
    finally:
        con.close()


def read_catalog_table(name: str, catalog: str | Path | None = None) -> pd.DataFrame:
    """One table of the catalog as a DataFrame (LIST columns become Python lists)."""
    con = _connect_ro(catalog)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if name not in names:
            raise ParameterError("name", f"no table '{name}' in catalog {resolve_catalog(catalog)}", expected=", ".join(sorted(names)))
        frame = con.execute(f'SELECT * FROM "{name}"').df()
    finally:
        con.close()
    for col in LIST_COLUMNS.get(name, ()):
        if col in frame.columns:
            frame[col] = frame[col].map(lambda v: [] if v is None else [str(x) for x in v])
    for col in BOOL_COLUMNS.get(name, ()):
        if col in frame.columns:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    if name in schema.TABLES and "source_line" in frame.columns:
        frame["source_line"] = frame["source_line"].astype("int64")
    return frame


@dataclasses.dataclass(frozen=True)
class StatusResult(Result):
    catalog: str
    catalog_exists: bool
    built_at: str | None
    age_seconds: float | None
    data_dir: str
    sources: list[dict[str, Any]]
    catalog_error: str | None = None  # why an existing catalog file could not be read

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.sources)

    def summary(self) -> str:
        frame = self.to_frame()
        if len(frame):
            frame = frame.assign(sha256=frame["sha256"].fillna("").str[:12])
            frame = frame[["name", "path", "rows", "rejected_rows", "version", "sha256", "state"]]
            frame = frame.astype(object).where(frame.notna(), "")
        if self.catalog_exists and self.age_seconds is not None:
            head = f"Catalog {self.catalog} (built {self.built_at}, {_age(self.age_seconds)} ago)"
        elif self.catalog_error:
            head = f"Catalog {self.catalog}: cannot be read ({self.catalog_error}); rebuild with 'aiprogress data build'"
        else:
            head = f"Catalog {self.catalog}: not built (run 'aiprogress data build')"
        return format_table(frame, title=head) + f"\n\nData directory: {self.data_dir}"


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def catalog_status(catalog: str | Path | None = None, data_dir: str | Path | None = None) -> StatusResult:
    """Each source: path, rows and rejects (from the catalog), checksum, version, and
    whether the file in the data directory still matches the catalog (``state``)."""
    target = resolve_catalog(catalog)
    root = resolve_data_dir(data_dir)
    stored: dict[str, dict[str, Any]] = {}
    built_at = None
    age = None
    exists = target.is_file()
    error = None
    if target.is_dir():
        error = "the path is a directory"
    if exists:
        try:
            frame = read_catalog_table("sources", target)
            stored = {r["name"]: r for r in frame.to_dict(orient="records")}
            meta = read_catalog_table("meta", target)
            built_at = dict(zip(meta["key"], meta["value"])).get("built_at")
        except AiprogressError as exc:
            exists = False
            error = "not an aiprogress catalog" if isinstance(exc, ParameterError) else "not a DuckDB database"
        if built_at:
            age = (_dt.datetime.now(_dt.timezone.utc) - _dt.datetime.fromisoformat(built_at)).total_seconds()
    rows = []
    for name, src in SOURCES.items():
        path = src.find(root)
        current = sha256_file(path) if path is not None else None
        rec = stored.get(name)
        if path is None:
            state = "missing"
        elif rec is None:
            state = "not in catalog"
        elif rec["sha256"] == current and rec["path"] == path.relative_to(root).as_posix():
            state = "ok"
        else:
            state = "changed since build"
        rows.append(
            {
                "name": name,
                "path": path.relative_to(root).as_posix() if path is not None else src.expected_path(root).relative_to(root).as_posix(),
                "rows": None if rec is None else int(rec["rows"]),
                "rejected_rows": None if rec is None else int(rec["rejected_rows"]),
                "sha256": current if current is not None else (rec or {}).get("sha256"),
                "version": (rec or {}).get("version") or (source_version(path) if path is not None else None),
                "licence": src.licence,
                "url": src.url,
                "state": state,
            }
        )
    return StatusResult(
        catalog=str(target), catalog_exists=exists, built_at=built_at, age_seconds=age, data_dir=str(root), sources=rows,
        catalog_error=error,
    )
