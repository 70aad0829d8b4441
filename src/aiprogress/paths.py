"""Where data and the catalog live.

Data directory: ``--data-dir``, else ``$AIPROGRESS_DATA_DIR``, else a
``shared/data`` folder beside the checkout (or beside any parent of the current
directory), else ``~/.cache/aiprogress/data`` (filled by ``aiprogress data fetch``).

Catalog: ``--catalog``, else ``$AIPROGRESS_CATALOG``, else
``~/.cache/aiprogress/catalog.duckdb``.
"""

from __future__ import annotations

import os
from pathlib import Path


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


def resolve_catalog(catalog: str | Path | None = None) -> Path:
    """Resolve the catalog file path following the documented order."""
    if catalog is not None:
        return Path(catalog).expanduser()
    env = os.environ.get("AIPROGRESS_CATALOG")
    if env:
        return Path(env).expanduser()
    return cache_dir() / "catalog.duckdb"
