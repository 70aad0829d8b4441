"""Per-process memos keyed on table CONTENT (never on object identity), for work the report repeats.

:func:`fingerprint` hashes the index and the named columns of a frame (dtype and
every value; object cells by type and ``repr``, so lists, ``None``, NaN and
strings stay distinct), so a changed table gets a new key and can never be
served a result computed from another.  :class:`Memo` is a small LRU dict.
The report builds sections in forked workers, so each worker has its own memo.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, Callable

import pandas as pd


def _cell(v: Any) -> str:
    return f"{type(v).__name__}:{v!r}"


def _column_bytes(values: pd.Series | pd.Index) -> bytes:
    if values.dtype == object:
        values = pd.Series([_cell(v) for v in values], dtype=object)
    return pd.util.hash_pandas_object(values, index=False, categorize=False).to_numpy().tobytes()


def fingerprint(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> str:
    """SHA-256 of ``frame``'s index and of those of ``columns`` it has (which ones it lacks is part of the key)."""
    h = hashlib.sha256()
    present = [c for c in columns if c in frame.columns]
    h.update(repr((len(frame), list(columns), present, str(frame.index.dtype))).encode())
    index = frame.index
    h.update(_column_bytes(pd.Series(list(index), dtype=object) if isinstance(index, pd.MultiIndex) else pd.Series(index)))
    for c in present:
        col = frame[c]
        if isinstance(col, pd.DataFrame):  # duplicated column name: every copy
            for _, sub in col.items():
                h.update(str(sub.dtype).encode() + _column_bytes(sub))
            continue
        h.update(str(col.dtype).encode() + _column_bytes(col))
    return h.hexdigest()


class Memo:
    """A bounded LRU cache: ``memo.get(key, compute)`` returns the stored value or computes and stores it.

    Safe to share between threads (the app serves pages from threads): the store is locked, the
    computation is not (two threads missing the same key at once both compute it; the values are equal).
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._store: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._store:
                self._store.move_to_end(key)
                self.hits += 1
                return self._store[key]
        value = compute()
        with self._lock:
            self.misses += 1
            self._store[key] = value
            while len(self._store) > self.size:
                self._store.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._store.clear()

