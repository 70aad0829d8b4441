"""The catalog file on disk: what may be overwritten, the build lock, temporary
files of interrupted builds, and clean-up on SIGTERM / SIGINT."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Iterator

from aiprogress.errors import ParameterError

DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of a DuckDB database file


def temp_path(target: Path) -> Path:
    return target.parent / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"


def _temp_re(target: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{target.name}.") + r"\d+\.[0-9a-f]{8}\.tmp(?:\.wal|\.spill)?$")


def clean_stale_temp_files(target: Path) -> list[str]:
    """Remove temporary files that killed builds of ``target`` left behind (call while holding the lock)."""
    rx = _temp_re(target)
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for e in entries:
        if rx.match(e.name):
            try:
                if e.is_dir(follow_symlinks=False):  # DuckDB's spill folder of a killed build
                    shutil.rmtree(e.path)
                else:
                    os.unlink(e.path)
                removed.append(e.name)
            except OSError:
                pass
    return sorted(removed)


def is_aiprogress_catalog(path: Path) -> bool:
    """True when ``path`` is a readable DuckDB database with the ``meta`` table an aiprogress build writes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if head[8:12] != DUCKDB_MAGIC:
        return False
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'aiprogress_version'").fetchall()
        return bool(rows)
    except duckdb.Error:
        return False
    finally:
        con.close()


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except (ValueError, OSError):
        return False


def check_target(target: Path, data_dir: Path, *, force: bool = False) -> None:
    """The catalog path must name a file in a writable folder, outside the data directory, and
    be free or an earlier aiprogress catalog (anything else needs ``force``)."""
    if target.is_dir():
        raise ParameterError("catalog", f"{target} is a directory", expected="a file path such as catalog.duckdb")
    if data_dir.exists() and _inside(target, data_dir):
        raise ParameterError("catalog", f"{target} is inside the data directory {data_dir}; a catalog is never written there",
                             expected="a path outside the data directory, e.g. out/catalog.duckdb")
    if target.exists() and not force and not is_aiprogress_catalog(target):
        raise ParameterError("catalog", f"{target} exists and is not an aiprogress catalog (or cannot be read); "
                             "refusing to overwrite it", expected="a new path, or --force to replace the file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("catalog", f"cannot create the folder {target.parent}: {exc.strerror or exc}",
                             expected="a writable file path") from None
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise ParameterError("catalog", f"the folder {target.parent} is not writable", expected="a writable file path")


@contextlib.contextmanager
def build_lock(target: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold ``.<name>.lock`` beside ``target`` (an advisory ``flock``) for the build.

    A second build of the same catalog waits up to ``wait`` seconds, then
    raises ParameterError (exit code 2) naming the process that holds it.
    The lock file is removed when the build ends (a waiter that locked the
    removed file notices the new inode and locks again)."""
    import fcntl

    lock = target.parent / f".{target.name}.lock"
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                os.close(fd)
                raise
            try:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            except OSError:
                holder = "unknown"
            os.close(fd)
            if time.monotonic() >= deadline:
                raise ParameterError(
                    "catalog", f"another build of {target} is running (process {holder}, lock file {lock.name})",
                    expected="one build at a time: wait for it to finish, or pass --wait SECONDS",
                ) from None
            time.sleep(0.1)
            continue
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed the file we locked: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield lock
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def interrupt_cleanup() -> Iterator[list[Path]]:
    """SIGTERM and SIGINT raise (SystemExit 143 / KeyboardInterrupt) while inside, so that the
    build's ``except`` removes its temporary files; the yielded list holds extra paths to remove
    if the interruption lands outside that block."""
    paths: list[Path] = []
    if threading.current_thread() is not threading.main_thread():
        yield paths
        return

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    old = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_term),
           signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler)}
    try:
        yield paths
    except BaseException:
        for p in paths:
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
