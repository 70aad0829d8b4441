"""Atomic file writes: write to a temporary file beside the target, then rename.

A failed or interrupted write never leaves a half-written file in place of the
old one (SPEC: "nothing already stored is damaged").
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def write_text_atomic(text: str, path: str | Path, mode: int = 0o644) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, mode)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv_atomic(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as CSV (no index) to ``path`` atomically."""
    return write_text_atomic(frame.to_csv(index=False), path)


def write_bytes_atomic(data: bytes, path: str | Path, mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file beside it, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
