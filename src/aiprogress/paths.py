"""Where data and the catalog live.

Data directory: ``--data-dir``, else ``$AIPROGRESS_DATA_DIR``, else a
``shared/data`` folder beside the checkout (or beside any parent of the current
directory), else ``~/.cache/aiprogress/data`` (filled by ``aiprogress data fetch``).

Catalog (the one rule, used by every command and by ``aiprogress.data.load_table``):
``--catalog``, else ``$AIPROGRESS_CATALOG``, else ``out/catalog.duckdb`` of the
checkout when the current directory is inside it (a directory whose
``pyproject.toml`` names the ``aiprogress`` project, where ``make run`` writes
the catalog), else ``~/.cache/aiprogress/catalog.duckdb``.

This module also keeps the list of what the running command read (a catalog
or raw files; :func:`record_read`), which ``--json`` output reports.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aiprogress.errors import ParameterError


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "aiprogress"


def _checkout_root() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return None


def _beside_candidates() -> list[Path]:
    cands: list[Path] = []
    root = _checkout_root()
    if root is not None:
        cands.append(root.parent / "shared" / "data")
    cwd = Path.cwd().resolve()
    for p in [cwd, *cwd.parents]:
        cands.append(p / "shared" / "data")
        cands.append(p.parent / "shared" / "data")
    return cands


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """Resolve the data directory following the documented order."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    env = os.environ.get("AIPROGRESS_DATA_DIR")
    if env:
        return Path(env).expanduser()
    for cand in _beside_candidates():
        if cand.is_dir():
            return cand
    return cache_dir() / "data"


def project_root(start: str | Path | None = None) -> Path | None:
    """The aiprogress checkout containing ``start`` (default: the current directory), if any."""
    here = Path(start or Path.cwd()).resolve()
    for p in [here, *here.parents]:
        pp = p / "pyproject.toml"
        if pp.is_file():
            try:
                text = pp.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if 'name = "aiprogress"' in text:
                return p
    return None


def catalog_origin(catalog: str | Path | None = None) -> tuple[Path, str]:
    """``(catalog path, which rule chose it)``: "--catalog", "AIPROGRESS_CATALOG", "checkout" or "user cache"."""
    if catalog is not None:
        return Path(catalog).expanduser(), "--catalog"
    env = os.environ.get("AIPROGRESS_CATALOG")
    if env:
        return Path(env).expanduser(), "AIPROGRESS_CATALOG"
    root = project_root()
    if root is not None:
        return root / "out" / "catalog.duckdb", "checkout"
    return cache_dir() / "catalog.duckdb", "user cache"


def resolve_catalog(catalog: str | Path | None = None) -> Path:
    """Resolve the catalog file path following the documented order."""
    return catalog_origin(catalog)[0]


# What the running command read ------------------------------------------------
_READS: list[dict[str, Any]] = []


def record_read(info: dict[str, Any]) -> None:
    """Note that a catalog (``{"kind": "catalog", "path": ..., "built_at": ..., "stale": ...}``) or raw
    files (``{"kind": "raw files", "data_dir": ..., "files": [...]}``) were read; repeats are merged."""
    key = (info.get("kind"), info.get("path") or info.get("data_dir"))
    for old in _READS:
        if (old.get("kind"), old.get("path") or old.get("data_dir")) == key:
            if "files" in info:
                old["files"] = sorted(set(old.get("files", [])) | set(info["files"]))
            return
    _READS.append(dict(info))


def reads() -> list[dict[str, Any]]:
    return [dict(r) for r in _READS]


def clear_reads() -> None:
    _READS.clear()


def check_plot_path(path: str | Path) -> Path:
    """Validate a ``--plot`` target before any work: a .png/.svg/.pdf file in a folder that can be created."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ParameterError("plot", f"unsupported file type '{path.suffix}'", expected=".png, .svg or .pdf")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("plot", f"cannot create the folder {path.parent}: {exc.strerror or exc}",
                             expected="a writable .png, .svg or .pdf path") from None
    if path.is_dir():
        raise ParameterError("plot", f"{path} is a directory", expected="a .png, .svg or .pdf file path")
    return path
