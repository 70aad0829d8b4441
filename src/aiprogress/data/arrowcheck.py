"""Cell checks on Arrow columns (the fast reader's tables), with the same issues, in the
same order, as the pandas checks of :class:`aiprogress.data.csvio.Checker`.

The values stay in Arrow / NumPy: a text column is the reader's own string
buffers with a validity bitmap for the blank cells (no copy unless some cell
needs trimming), numbers are float64 arrays, dates are parsed once per
distinct text. Python only touches the cells that have a problem (to word the
message). :func:`to_pandas` turns a finished table into the frame the
csv-module path gives (object strings with None, lists, datetime64[ns]).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aiprogress.data import dates
from aiprogress.data.csvio import (
    CONTROL_RE,
    NOT_A_NUMBER,
    NOT_A_NUMBER_SEPARATOR,
    NUMBER_RE,
    SEPARATOR_RE,
    Checker,
    Issue,
    range_issues,
)
from aiprogress.data.fastcsv import PY_WHITESPACE, take_rows

_SEP_RE = re.compile(SEPARATOR_RE)


def _np_bool(arr: Any) -> np.ndarray:
    """A boolean Arrow array/chunked array -> NumPy (null -> False)."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _chunked(arr: Any) -> pa.ChunkedArray:
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr], type=arr.type)


def with_validity(col: Any, valid: np.ndarray) -> pa.ChunkedArray:
    """The string column ``col`` (no nulls) with the cells where ``valid`` is False set to null,
    sharing ``col``'s offset and data buffers (no copy of the text)."""
    out, start = [], 0
    for ch in _chunked(col).chunks:
        n = len(ch)
        v = valid[start:start + n]
        start += n
        if v.all():
            out.append(ch)
            continue
        bits = np.concatenate((np.ones(ch.offset, dtype=bool), v)) if ch.offset else v
        bitmap = pa.py_buffer(np.packbits(bits, bitorder="little"))
        bufs = ch.buffers()
        out.append(pa.Array.from_buffers(ch.type, n, [bitmap, bufs[1], bufs[2]], null_count=int(n - v.sum()),
                                         offset=ch.offset))
    return pa.chunked_array(out, type=pa.string())


_WS_ASCII = np.zeros(256, dtype=bool)
_WS_ASCII[[ord(c) for c in PY_WHITESPACE if ord(c) < 128]] = True
_WS_LEAD = _WS_ASCII.copy()  # a first byte that may start white space: ASCII ones, or the lead byte of a non-ASCII one
_WS_LEAD[[c.encode()[0] for c in PY_WHITESPACE if ord(c) >= 128]] = True
_WS_LAST = _WS_ASCII.copy()  # a last byte that may end white space: ASCII ones, or the last byte of a non-ASCII one
_WS_LAST[[c.encode()[-1] for c in PY_WHITESPACE if ord(c) >= 128]] = True


def _edge_candidates(ch: pa.Array) -> np.ndarray:
    """Cells of a string chunk (no nulls) whose first or last byte may belong to white space (a superset)."""
    n = len(ch)
    off = np.frombuffer(ch.buffers()[1], dtype=np.int32, count=ch.offset + n + 1)[ch.offset:]
    data = np.frombuffer(ch.buffers()[2], dtype=np.uint8) if ch.buffers()[2] is not None else np.zeros(0, np.uint8)
    nonempty = off[1:] > off[:-1]
    out = np.zeros(n, dtype=bool)
    if nonempty.any():
        i = np.flatnonzero(nonempty)
        out[i] = _WS_LEAD[data[off[i]]] | _WS_LAST[data[off[i + 1] - 1]]
    return out


_CONTROL = np.zeros(256, dtype=bool)  # the bytes CONTROL_RE matches (all ASCII: never inside a UTF-8 sequence)
_CONTROL[[c for c in range(256) if CONTROL_RE.match(chr(c)) and c < 128]] = True


def control_cells(col: Any) -> np.ndarray:
    """Cells of a string column holding a character CONTROL_RE matches (null cells: False), from
    a byte scan of each chunk's text (the regex runs on no cell: ~5x faster on long text)."""
    out = []
    for ch in _chunked(col).chunks:
        n = len(ch)
        hit = np.zeros(n, dtype=bool)
        bufs = ch.buffers()
        if n and bufs[2] is not None:
            off = np.frombuffer(bufs[1], dtype=np.int32, count=ch.offset + n + 1)[ch.offset:]
            data = np.frombuffer(bufs[2], dtype=np.uint8)[off[0]:off[-1]]
            low = np.flatnonzero(data < 32)  # two SIMD compares, then the table on the few hits only
            pos = np.union1d(low[_CONTROL[data[low]]], np.flatnonzero(data == 127))
            if len(pos):
                cells = np.searchsorted(off, pos + off[0], side="right") - 1
                hit[np.unique(cells)] = True
                if ch.null_count:
                    hit &= _np_bool(ch.is_valid())
        out.append(hit)
    return np.concatenate(out) if out else np.zeros(0, dtype=bool)


def _trim_chunks(chunks: list[pa.Array]) -> pa.ChunkedArray:
    """``str.strip()`` of every cell; a chunk whose cells need no trimming is kept as is (no copy).
    ``chunks`` is emptied as it goes, so each raw chunk can be freed once its trimmed copy exists."""
    out = []
    while chunks:
        ch = chunks.pop(0)
        cand = np.flatnonzero(_edge_candidates(ch))
        if len(cand):
            sub = ch.take(pa.array(cand))
            if pc.any(pc.not_equal(pc.utf8_trim(sub, characters=PY_WHITESPACE), sub)).as_py():
                ch = pc.utf8_trim(ch, characters=PY_WHITESPACE)
        out.append(ch)
    return pa.chunked_array(out, type=pa.string())


@dataclass
class ArrowChecker(Checker):
    """:class:`Checker` for a pyarrow-table :class:`RawTable`; the ``*_arrow`` methods return Arrow / NumPy."""

    columns: dict[str, Any] = field(default_factory=dict)  # header -> raw Arrow column, dropped once trimmed
    _atexts: dict[str, Any] = field(default_factory=dict)
    _atrims: dict[str, Any] = field(default_factory=dict)

    def part(self) -> "ArrowChecker":
        """A checker for one column's task: the same cells and caches, its own issues and notes
        (see :meth:`join`), so that tasks on different columns can run at the same time."""
        return dataclasses.replace(self, issues=[], control_kept={})

    def join(self, parts: list["ArrowChecker"]) -> None:
        """Take the issues and notes of ``parts`` in their order (as if one checker had run them in turn)."""
        for p in parts:
            self.issues.extend(p.issues)
            self.control_kept.update(p.control_kept)

    def _issues(self, idx: np.ndarray, column: str, reason_fmt: str, values: Any, expected: str | None) -> None:
        for i in np.asarray(idx, dtype=np.int64).tolist():
            v = values(i) if callable(values) else values[i].as_py()
            self.issues.append(Issue(row=i, line=int(self.raw.lines[i]), column=column,
                                     reason=reason_fmt.format(value=v), expected=expected))

    def trimmed_arrow(self, column: str) -> Any:
        """The stripped cells of ``column``, ``""`` for blank (no nulls)."""
        if column not in self._atrims:
            col = self.columns.pop(column) if column in self.columns else self.raw.arrow_column(column)
            chunks = list(col.chunks)
            del col
            self._atrims[column] = _trim_chunks(chunks)
        return self._atrims[column]

    def text_arrow(self, column: str | None) -> pa.ChunkedArray:
        """Stripped text, blank -> null; a control character is an issue unless ``column`` is prose."""
        if column is None:
            return pa.chunked_array([pa.nulls(self.raw.n, pa.string())])
        if column in self._atexts:
            return self._atexts[column]
        t = self.trimmed_arrow(column)
        valid = _np_bool(pc.not_equal(t, ""))
        ctrl = control_cells(t)
        if ctrl.any():
            if column in self.prose:
                self.control_kept[column] = int(ctrl.sum())
            else:
                def code(i: int) -> str:
                    return f"U+{ord(CONTROL_RE.search(t[i].as_py()).group(0)):04X}"

                self._issues(np.flatnonzero(ctrl), column, "contains the control character {value}", code,
                             "text without control characters")
        out = self._atexts[column] = with_validity(t, valid)
        return out

    def number_arrow(self, column: str | None, *, minimum: float | None = None, maximum: float | None = None,
                     plausible: float | None = None, what: str = "a number") -> np.ndarray:
        """:meth:`Checker.number` on Arrow: float64 values, NaN where blank or bad."""
        n = self.raw.n
        if column is None:
            return np.full(n, np.nan)
        txt = self.text_arrow(column)
        t = self.trimmed_arrow(column)
        shaped = pc.match_substring_regex(t, NUMBER_RE)
        vals = pc.cast(pc.if_else(shaped, t, pa.scalar(None, pa.string())), pa.float64())
        v = np.array(vals.to_numpy(zero_copy_only=False), dtype=float)  # a writable copy
        present = _np_bool(pc.is_valid(txt))
        bad = present & ~np.isfinite(v)
        bad_idx = np.flatnonzero(bad)
        sep = np.zeros(n, dtype=bool)
        for i in bad_idx.tolist():
            sep[i] = bool(_SEP_RE.search(txt[i].as_py()))
        self._issues(np.flatnonzero(sep), column, NOT_A_NUMBER_SEPARATOR, txt, what)
        self._issues(np.flatnonzero(bad & ~sep), column, NOT_A_NUMBER, txt, what)
        for mask, reason, expected in range_issues(v, what, minimum, maximum, plausible):
            self._issues(np.flatnonzero(mask), column, reason, txt, expected)
        v[bad] = np.nan
        return v

    def date_arrow(self, column: str | None) -> np.ndarray:
        """:meth:`Checker.date` on Arrow (each distinct text parsed once): datetime64[ns], NaT where blank or bad."""
        n = self.raw.n
        if column is None:
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        txt = self.text_arrow(column)
        enc = pc.dictionary_encode(txt.combine_chunks())
        uniq = pd.Series(enc.dictionary.to_pylist(), dtype=object)
        idx = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
        vals, bad, far = dates.parse_dates(uniq)
        v = np.concatenate((vals.to_numpy("datetime64[ns]"), [np.datetime64("NaT", "ns")]))[idx]
        bad_r = np.concatenate((bad, [False]))[idx]
        far_r = np.concatenate((far, [False]))[idx]
        self._issues(np.flatnonzero(bad_r), column, "'{value}' is not a date", txt, dates.EXPECTED)
        self._issues(np.flatnonzero(far_r), column, "'{value}' is " + dates.RANGE_TEXT, txt, dates.EXPECTED)
        return v

    def duplicates_arrow(self, keys: list[Any], rows: np.ndarray, column: str, what: str) -> None:
        """Flag every repeat (among ``rows``) of the key formed by ``keys`` (Arrow strings, float64 or
        datetime64 arrays over all rows), as :func:`aiprogress.data.epoch._dup_on_subset` does."""
        if not len(rows):
            return
        codes = np.empty((len(rows), len(keys)), dtype=np.int64)
        for j, k in enumerate(keys):
            if isinstance(k, (pa.Array, pa.ChunkedArray)):
                ind = pc.dictionary_encode(take_rows(k, rows)).indices
                codes[:, j] = np.asarray(pc.fill_null(ind, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
            elif k.dtype.kind == "M":
                codes[:, j] = k[rows].view(np.int64)
            else:
                f = k[rows] + 0.0  # -0.0 -> 0.0
                f[np.isnan(f)] = np.nan  # one NaN bit pattern
                codes[:, j] = f.view(np.int64)
        first_row = first_of_groups(codes)
        for j in np.flatnonzero(first_row != np.arange(len(rows))).tolist():
            i = int(rows[j])
            self.issues.append(Issue(i, int(self.raw.lines[i]), column,
                                     f"duplicate {what} (same as line {int(self.raw.lines[rows[first_row[j]]])})",
                                     f"a unique {what}"))


def first_of_groups(codes: np.ndarray) -> np.ndarray:
    """For every row of the int64 matrix ``codes``, the first row with the same values (hashing, no sort of rows)."""
    key = np.zeros(len(codes), dtype=np.int64)
    for j in range(codes.shape[1]):  # fold the columns into one dense key, column by column
        code, _ = pd.factorize(codes[:, j])
        key, _ = pd.factorize(key * (int(code.max(initial=0)) + 1) + code)
    first = np.full(int(key.max(initial=-1)) + 1, len(key), dtype=np.int64)
    np.minimum.at(first, key, np.arange(len(key)))
    return first[key]


def split_lists_arrow(col: Any, sep: str = ",", unique: bool = False) -> pa.ChunkedArray:
    """``list<string>``: ``[p.strip() for p in v.split(sep) if p.strip()]`` of every cell (null -> []),
    with repeats inside a cell dropped (first kept) when ``unique``; chunk by chunk (small temporaries)."""
    return pa.chunked_array([_split_chunk(ch, sep, unique) for ch in _chunked(col).chunks],
                            type=pa.list_(pa.string()))


def _split_chunk(arr: pa.Array, sep: str, unique: bool) -> pa.Array:
    arr = pc.fill_null(arr, "")
    parts = pc.split_pattern(arr, sep)
    flat = pc.utf8_trim(pc.list_flatten(parts), characters=PY_WHITESPACE)
    parent = np.asarray(pc.list_parent_indices(parts).to_numpy(zero_copy_only=False), dtype=np.int64)
    keep = _np_bool(pc.not_equal(flat, ""))
    if unique and keep.any():
        enc = pc.dictionary_encode(flat)
        code = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        pos = np.flatnonzero(keep)
        key = parent[pos] * (len(enc.dictionary) + 1) + code[pos]
        _, first = np.unique(key, return_index=True)
        keep = np.zeros(len(flat), dtype=bool)
        keep[pos[first]] = True
    counts = np.bincount(parent[keep], minlength=len(arr))
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), flat.filter(pa.array(keep)))


def extract_first_arrow(col: Any, pattern: str) -> pa.ChunkedArray:
    """Group 1 of the first match of ``pattern`` in every cell (null when none or blank)."""
    arr = _chunked(col)
    found = pc.extract_regex(pc.fill_null(arr, ""), pattern)
    group = pc.struct_field(found, [0])
    ok = pc.and_(pc.is_valid(found), pc.is_valid(arr))
    return _chunked(pc.if_else(ok, group, pa.scalar(None, pa.string())))


def to_pandas(tbl: pa.Table, list_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame the csv-module path builds: object strings (None for null), Python lists, datetime64[ns], float64."""
    frame = tbl.drop_columns(list(list_columns)).to_pandas(date_as_object=False)
    for c in list_columns:  # Python lists: one conversion of all items, then one slice per cell
        lists = tbl.column(c).combine_chunks()
        flat = lists.values.to_numpy(zero_copy_only=False).tolist()
        off = np.asarray(lists.offsets.to_numpy(zero_copy_only=False), dtype=np.int64).tolist()
        frame[c] = pd.Series([flat[off[i]:off[i + 1]] for i in range(len(lists))], dtype=object)
    return frame[tbl.column_names]
