"""Pandas-free hardware rows for ``compute estimate`` (fast CLI start).

:func:`hardware_records` returns the ``hardware`` table's look-up columns (name,
aliases, source, type and the peak FLOP/s columns) as
:class:`~aiprogress.compute.hardware.HardwareRecords`, found by the same rule as
:func:`aiprogress.data.load_table` (``catalog`` given, else ``data_dir``, else the
resolved catalog when it exists, else the resolved data directory).

The rows come from a small JSON index in the user cache
(``<cache_dir>/lookup/``), written the first time from the table that
:func:`~aiprogress.data.load_table` returns (so the same strict parsing and the
same values) and keyed by a stamp of what it was made from:

* a catalog: the catalog file's path, modification time and size (a rebuild
  writes a new file), so an index never outlives its catalog; the catalog's
  ``built_at``, data folder and source checksums are kept too, and whether the
  sources changed since the build (``stale``) is checked on every read, as
  :func:`aiprogress.data.catalog_read.catalog_info` does;
* raw files: path, modification time and size of each hardware source file plus
  the modification times of the folders holding them and of the data folder
  (a file added or removed there changes which file is chosen).

Any mismatch, or an unreadable index, falls back to the DataFrame path, which
rebuilds the index. What was read is recorded with
:func:`aiprogress.paths.record_read` exactly as the DataFrame path records it.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from aiprogress.compute.hardware import PRECISION_COLUMNS, HardwareRecords, _as_list
from aiprogress.fileio import sha256_file

#: Bump when the index layout or the row conversion changes (old indexes are then ignored).
INDEX_FORMAT = 1
LOOKUP_COLUMNS = ("name", "aliases", "source", "type", *PRECISION_COLUMNS.values())


def _index_file(kind: str, where: str) -> Path:
    from aiprogress.paths import cache_dir

    digest = hashlib.sha256(f"{kind}|{where}".encode()).hexdigest()[:20]
    return cache_dir() / "lookup" / f"hardware-{digest}.json"


def _file_stamp(path: Path) -> list[Any]:
    st = path.stat()
    return [str(path), st.st_mtime_ns, st.st_size]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _json_rows(frame: Any) -> list[dict[str, Any]]:
    """The look-up columns of a hardware DataFrame as JSON-safe dicts (missing -> None)."""
    rows = []
    for rec in frame.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for col in LOOKUP_COLUMNS:
            if col not in rec:
                continue
            v = rec[col]
            if col == "aliases":
                row[col] = _as_list(v)
            elif col in PRECISION_COLUMNS.values():
                row[col] = None if _missing(v) else float(v)
            else:
                row[col] = None if _missing(v) else str(v)
        rows.append(row)
    return rows


def _records(rows: list[dict[str, Any]]) -> HardwareRecords:
    peaks = set(PRECISION_COLUMNS.values())
    out = []
    for r in rows:
        out.append({k: (float("nan") if v is None else float(v)) if k in peaks else v for k, v in r.items()})
    return HardwareRecords(tuple(out))


def _read_index(file: Path) -> dict[str, Any] | None:
    try:
        obj = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(obj, dict) or obj.get("format") != INDEX_FORMAT or not isinstance(obj.get("rows"), list):
        return None
    return obj


def _write_index(file: Path, obj: dict[str, Any]) -> None:
    from aiprogress.fileio import write_text_atomic

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(json.dumps(obj), file)
    except OSError:  # a read-only cache only costs speed
        pass


# -- catalog --------------------------------------------------------------------------------
def _catalog_meta(path: Path) -> dict[str, Any] | None:
    """``built_at``, data folder and source checksums of a catalog (None when it has none)."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "meta" not in names or "sources" not in names:
                return None
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            sources = [[p, sha] for _n, p, sha in con.execute("SELECT name, path, sha256 FROM sources").fetchall()]
        finally:
            con.close()
    except duckdb.Error:
        return None
    return {"built_at": meta.get("built_at"), "data_dir": meta.get("data_dir", ""), "sources": sources}


def _catalog_read_info(path: Path, meta: dict[str, Any] | None) -> dict[str, Any]:
    """What :func:`aiprogress.data.catalog_read.read_catalog_table` records (stale check included)."""
    if meta is None:
        return {"kind": "catalog", "path": str(path), "built_at": None, "stale": None, "changed_sources": []}
    data_dir = Path(meta["data_dir"])
    changed = []
    for rel, sha in meta["sources"]:
        f = data_dir / rel
        try:
            cur = sha256_file(f)
        except OSError:
            cur = None
        if cur != sha:
            changed.append(rel if cur is not None else f"{rel} (missing)")
    return {"kind": "catalog", "path": str(path), "built_at": meta["built_at"], "data_dir": str(data_dir),
            "stale": bool(changed), "changed_sources": changed}


def _from_catalog(path: Path) -> HardwareRecords:
    from aiprogress.paths import record_read

    file = _index_file("catalog", str(path))
    try:
        stamp = [_file_stamp(path)]
    except OSError:
        stamp = None
    obj = _read_index(file) if stamp is not None else None
    if obj is not None and obj.get("stamp") == stamp:
        record_read(_catalog_read_info(path, obj["catalog"]))
        return _records(obj["rows"])
    from aiprogress.data import load_table

    frame = load_table("hardware", catalog=path)  # raises the catalog's own errors; records the read
    rows = _json_rows(frame)
    if stamp is not None:
        _write_index(file, {"format": INDEX_FORMAT, "stamp": stamp, "catalog": _catalog_meta(path), "rows": rows})
    return _records(rows)


# -- raw files ------------------------------------------------------------------------------
def _raw_stamp(root: Path, files: list[Path]) -> list[Any]:
    folders = sorted({str(root), *(str(f.parent) for f in files)})
    return [_file_stamp(f) for f in files] + [[d, Path(d).stat().st_mtime_ns] for d in folders]


def _from_raw(root: Path) -> HardwareRecords:
    from aiprogress.paths import record_read

    file = _index_file("raw", str(root))
    obj = _read_index(file)
    if obj is not None:
        try:
            files = [Path(p) for p in obj["files"]]
            fresh = _raw_stamp(root, files) == obj["stamp"]
        except (OSError, KeyError, TypeError):
            fresh = False
        if fresh:
            record_read({"kind": "raw files", "data_dir": str(root),
                         "files": [f.relative_to(root).as_posix() for f in files]})
            return _records(obj["rows"])
    from aiprogress.data import load_table
    from aiprogress.data.loaders import source_paths

    frame = load_table("hardware", data_dir=root)  # strict parse; records the read
    files = list(source_paths(root, ("hardware",)).values())
    rows = _json_rows(frame)
    _write_index(file, {"format": INDEX_FORMAT, "stamp": _raw_stamp(root, files),
                        "files": [str(f) for f in files], "rows": rows})
    return _records(rows)


def hardware_records(data_dir: str | Path | None = None, catalog: str | Path | None = None) -> HardwareRecords:
    """The hardware look-up rows by the :func:`aiprogress.data.load_table` rule, without pandas when indexed."""
    from aiprogress.paths import resolve_catalog, resolve_data_dir

    if catalog is None and data_dir is None and resolve_catalog().exists():
        catalog = resolve_catalog()
    if catalog is not None:
        return _from_catalog(resolve_catalog(catalog))
    return _from_raw(resolve_data_dir(data_dir).resolve())
