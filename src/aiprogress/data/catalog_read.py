"""Reading the catalog: tables, provenance (which catalog, built when, stale or
not) and ``data status``.

Any catalog that cannot be read (truncated, not a DuckDB file, not written by
aiprogress) is a one-line :class:`~aiprogress.errors.InputError` (exit code 2)
naming the file; a missing one is a DataNotFoundError. Reading a table
records the catalog in :func:`aiprogress.paths.record_read`, with
``stale: true`` and the changed files when a source file's sha256 differs
from the one stored at build time.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from pathlib import Path
from typing import Any

import pandas as pd

from aiprogress.data import schema
from aiprogress.data.csvio import source_version
from aiprogress.data.loaders import sha256_file
from aiprogress.data.sources import SOURCES
from aiprogress.errors import AiprogressError, DataNotFoundError, InputError, ParameterError
from aiprogress.paths import catalog_origin, record_read, resolve_catalog, resolve_data_dir
from aiprogress.results import Result, format_table

LIST_COLUMNS = {"models": ("countries", "authors"), "hardware": ("aliases",)}
BOOL_COLUMNS = {"benchmark_results": ("extra_data",)}


def _unreadable(path: Path, exc: Exception | str) -> InputError:
    why = str(exc).replace("\n", " ")
    if len(why) > 160:
        why = why[:157] + "..."
    return InputError(f"the catalog cannot be read ({why}); rebuild it with 'aiprogress data build --force'", file=path)


def _connect_ro(path: Path) -> Any:
    import duckdb

    if path.is_dir():
        raise InputError("the catalog path is a directory", file=path, expected="a DuckDB catalog file")
    if not path.is_file():
        raise DataNotFoundError(f"{path}: catalog not found (run 'aiprogress data build')")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from None


def _names(con: Any) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def _query(path: Path, *sql: str) -> tuple[set[str], list[pd.DataFrame]]:
    """The catalog's table names and the result of each statement, on one read-only connection."""
    import duckdb

    con = _connect_ro(path)
    try:
        names = _names(con)
        return names, [con.execute(q).df() for q in sql]
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from None
    finally:
        con.close()


@functools.lru_cache(maxsize=64)
def _sha(path: str, mtime_ns: int, size: int) -> str:
    return sha256_file(Path(path))


_META_SQL = ("SELECT key, value FROM meta", "SELECT name, path, sha256 FROM sources")


def catalog_info(path: Path) -> dict[str, Any]:
    """``{kind, path, built_at, data_dir, stale, changed_sources}`` of a readable aiprogress catalog."""
    names, _ = _query(path)
    if "meta" not in names or "sources" not in names:
        raise _not_aiprogress(path)
    _, (meta, src) = _query(path, *_META_SQL)
    return _info(path, meta, src)


def _not_aiprogress(path: Path) -> InputError:
    return InputError("not an aiprogress catalog (no 'meta' / 'sources' tables); rebuild it with "
                      "'aiprogress data build --force'", file=path)


def _info(path: Path, meta: pd.DataFrame, src: pd.DataFrame) -> dict[str, Any]:
    m = dict(zip(meta["key"], meta["value"]))
    data_dir = Path(m.get("data_dir", ""))
    changed = []
    for rec in src.to_dict(orient="records"):
        f = data_dir / rec["path"]
        try:
            st = f.stat()
            cur = _sha(str(f), st.st_mtime_ns, st.st_size)
        except OSError:
            cur = None
        if cur != rec["sha256"]:
            changed.append(rec["path"] if cur is not None else f"{rec['path']} (missing)")
    return {"kind": "catalog", "path": str(path), "built_at": m.get("built_at"), "data_dir": str(data_dir),
            "stale": bool(changed), "changed_sources": changed}


def _table_and_info(path: Path, name: str) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """Table ``name`` and the catalog's provenance (:func:`catalog_info`; None when it cannot be read), on one
    connection (each connection costs ~10 ms). An absent table is a ParameterError listing the tables."""
    import duckdb

    con = _connect_ro(path)
    try:
        try:
            names = _names(con)
            if name not in names:
                raise ParameterError("name", f"no table '{name}' in catalog {path}",
                                     expected=", ".join(sorted(names)) or "a built catalog")
            frame = con.execute(f'SELECT * FROM "{name}"').df()
        except duckdb.Error as exc:
            raise _unreadable(path, exc) from None
        info = None
        if {"meta", "sources"} <= names:
            try:
                info = _info(path, *(con.execute(q).df() for q in _META_SQL))
            except (duckdb.Error, KeyError):  # provenance is best effort, as before: the table itself is readable
                info = None
        return frame, info
    finally:
        con.close()


def read_catalog_table(name: str, catalog: str | Path | None = None) -> pd.DataFrame:
    """One table of the catalog as a DataFrame (LIST columns become Python lists)."""
    path = resolve_catalog(catalog)
    frame, info = _table_and_info(path, name)
    if name not in ("meta", "sources"):
        record_read(info or {"kind": "catalog", "path": str(path), "built_at": None, "stale": None, "changed_sources": []})
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
    catalog_rule: str
    catalog_exists: bool
    built_at: str | None
    age_seconds: float | None
    stale: bool | None
    data_dir: str
    sources: list[dict[str, Any]]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.sources)

    def summary(self) -> str:
        frame = self.to_frame()
        if len(frame):
            frame = frame.assign(sha256=frame["sha256"].fillna("").str[:12])
            frame = frame[["name", "path", "rows", "rejected_rows", "version", "sha256", "state"]]
            frame = frame.astype(object).where(frame.notna(), "")
        if self.catalog_exists and self.age_seconds is not None:
            head = f"Catalog {self.catalog} (chosen by {self.catalog_rule}; built {self.built_at}, {_age(self.age_seconds)} ago)"
            if self.stale:
                head += " - older than its source files: rebuild with 'aiprogress data build'"
        else:
            head = f"Catalog {self.catalog} (chosen by {self.catalog_rule}): not built (run 'aiprogress data build')"
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
    whether the file in the data directory still matches the catalog (``state``).

    A catalog file that exists but cannot be read raises InputError (exit code 2)."""
    target, rule = catalog_origin(catalog)
    root = resolve_data_dir(data_dir)
    stored: dict[str, dict[str, Any]] = {}
    built_at = None
    age = None
    exists = target.exists()
    if exists:
        try:
            frame = read_catalog_table("sources", target)
            stored = {r["name"]: r for r in frame.to_dict(orient="records")}
            meta = read_catalog_table("meta", target)
            built_at = dict(zip(meta["key"], meta["value"])).get("built_at")
        except ParameterError:
            raise _not_aiprogress(target) from None
        if built_at:
            age = (_dt.datetime.now(_dt.timezone.utc) - _dt.datetime.fromisoformat(built_at)).total_seconds()
    rows = []
    for name, src in SOURCES.items():
        try:
            path = src.find(root)
        except AiprogressError:
            path = None
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
    stale = None if not exists else any(r["state"] != "ok" for r in rows if r["name"] in stored)
    return StatusResult(
        catalog=str(target), catalog_rule=rule, catalog_exists=exists, built_at=built_at, age_seconds=age,
        stale=stale, data_dir=str(root), sources=rows,
    )
