"""Download the sources from their public addresses into the data directory.

Each file is streamed to a temporary file beside its destination, its SHA-256
computed on the way, its header checked against the loader's known layouts,
and only then renamed into place (``os.replace``): an interrupted or bad
download never replaces a good file.

Addresses (see :mod:`aiprogress.data.sources`): Epoch's CSV exports at
``https://epoch.ai/data/all_ai_models.csv`` and ``.../ml_hardware.csv``; the
Thompson et al. files at
``https://raw.githubusercontent.com/Computer-Progress/api/main/app/database/seeders/<name>.csv``.
With ``base_url`` every file is fetched from ``<base_url>/<file name of its
public address>`` instead (a flat mirror, or a local server in tests).

Epoch exports are saved with the download month as their version
(``epoch/all_ai_models_<YYYY-MM>.csv``), so the loaders pick the newest
snapshot; Thompson files keep their names.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from aiprogress.data.csvio import read_csv_records, resolve_columns
from aiprogress.data.sources import SOURCES, Source
from aiprogress.errors import AiprogressError, ParameterError
from aiprogress.paths import resolve_data_dir
from aiprogress.results import Result, format_table

CHUNK = 1 << 16


class FetchError(AiprogressError):
    """A download failed (HTTP error, network error, or an unexpected file)."""


@dataclasses.dataclass(frozen=True)
class FetchResult(Result):
    data_dir: str
    files: list[dict[str, Any]]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.files)

    def summary(self) -> str:
        frame = self.to_frame().assign(sha256=lambda d: d["sha256"].str[:12])
        return format_table(frame[["name", "path", "bytes", "sha256", "url"]], title=f"Fetched into {self.data_dir}")


def source_url(src: Source, base_url: str | None) -> str:
    if base_url is None:
        return src.url
    return base_url.rstrip("/") + "/" + src.url.rsplit("/", 1)[-1]


def _header_spec(src: Source) -> dict:
    from aiprogress.data import epoch, thompson

    if src.name == "epoch_models":
        return epoch.MODEL_COLUMNS
    if src.name == "epoch_hardware":
        return epoch.HARDWARE_COLUMNS
    if src.table == "benchmark_results":
        return thompson._spec_for(src.name)
    return {"gpu": thompson.GPU_COLUMNS, "cpu": thompson.CPU_COLUMNS, "tpu": thompson.TPU_COLUMNS}[src.name]


def _download(url: str, dest: Path, timeout: float, on_bytes: Callable[[int], None] | None) -> tuple[int, Path, str]:
    tmp = dest.parent / f".{dest.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
    h = hashlib.sha256()
    n = 0
    req = urllib.request.Request(url, headers={"User-Agent": "aiprogress-data-fetch"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, tmp.open("wb") as out:
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                h.update(chunk)
                n += len(chunk)
                if on_bytes is not None:
                    on_bytes(len(chunk))
    except urllib.error.HTTPError as exc:
        tmp.unlink(missing_ok=True)
        raise FetchError(f"{url}: download failed: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        tmp.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url}: download failed: {reason}") from None
    return n, tmp, h.hexdigest()


def fetch_sources(
    data_dir: str | Path | None = None,
    *,
    base_url: str | None = None,
    only: Sequence[str] | None = None,
    timeout: float = 60.0,
    progress: Callable[[int], None] | None = None,
    today: _dt.date | None = None,
) -> FetchResult:
    """Download the sources (all, or those named in ``only``) into the data directory."""
    root = resolve_data_dir(data_dir)
    if base_url is not None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ParameterError("base_url", f"'{base_url}' is not an http(s) address",
                                 expected="a URL such as http://127.0.0.1:8000/mirror")
    names = list(SOURCES) if not only else list(only)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise ParameterError("only", f"unknown source '{unknown[0]}'", expected="one of " + ", ".join(SOURCES))
    stamp = (today or _dt.datetime.now(_dt.timezone.utc).date()).strftime("%Y-%m")
    files = []
    for name in names:
        src = SOURCES[name]
        url = source_url(src, base_url)
        dest = root / src.folder / src.fetch_name.format(date=stamp)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ParameterError("data_dir", f"cannot create the folder {dest.parent}: {exc.strerror or exc}",
                                 expected="a writable data directory") from None
        size, tmp, digest = _download(url, dest, timeout, None)
        try:
            # Check the layout before the file replaces anything (unknown layout -> InputError).
            resolve_columns(read_csv_records(tmp, display=f"{url}"), _header_spec(src))
            os.replace(tmp, dest)
        finally:
            Path(tmp).unlink(missing_ok=True)
        files.append({"name": name, "url": url, "path": dest.relative_to(root).as_posix(), "bytes": size, "sha256": digest})
        if progress is not None:
            progress(1)
    return FetchResult(data_dir=str(root), files=files)
