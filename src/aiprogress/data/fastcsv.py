"""The vectorised CSV reader: pyarrow's multi-threaded parser for the cells and a
NumPy scan of the bytes for the physical line each record starts on.

pyarrow gives no line numbers, so :func:`record_start_lines` finds them: a
newline ends a record when an even number of quote characters precede it
(RFC 4180 quoting, as Python's csv module reads it). The scan also checks the
things that would make that rule, or pyarrow's parse, differ from the
csv-module reader of :func:`aiprogress.data.csvio.read_csv_records`: a quote
that opens a field anywhere but at the field's start, a closing quote not
followed by a delimiter, a bare carriage return, a NUL byte, a record with a
different number of fields, invalid UTF-8. For any of these :func:`read_fast`
returns None and the caller uses the csv-module reader, which gives the exact
error message (with its line) or reads the irregular file the old way. So
both readers give the same cells, the same line numbers and the same errors.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path
from typing import Any

import numpy as np

from aiprogress.data import parallel


def enabled() -> bool:
    """False with ``AIPROGRESS_CSV_ENGINE=python`` (the csv-module reader and the per-cell Python checks)."""
    return os.environ.get("AIPROGRESS_CSV_ENGINE", "auto").strip().lower() != "python"


CHUNK = 1 << 23  # bytes per scan step (8 MiB): the scan's temporaries stay small
BLOCK = 1 << 22  # bytes per pyarrow parse block (4 MiB): larger blocks raise the peak memory, not the speed
_QUOTE, _NL, _CR, _COMMA = 34, 10, 13, 44
BOM = b"\xef\xbb\xbf"


def _utf8(data: Any) -> bool:
    """Whether ``data`` (bytes or a memoryview) is valid UTF-8 (Arrow's SIMD validator;
    ``bytes.decode`` is ~10x slower)."""
    if isinstance(data, bytes) and data.isascii():
        return True
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    arr = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def record_start_lines(path: Path) -> np.ndarray | None:
    """1-based physical start line of every non-empty record (header first), or None
    when the file has something the quote rule cannot read exactly like the csv module.

    The file is memory-mapped: the scan reads the page cache in place (no copy of the text)."""
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return np.zeros(0, dtype=np.int64)
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return _scan(mm)
    finally:
        try:
            mm.close()
        except BufferError:  # a view is still referenced (by an exception's traceback): freed with it
            pass


def _release(mm: mmap.mmap, start: int, end: int) -> None:
    """Drop the scanned pages [start, end) from this process's resident memory (they stay in the
    page cache; a later read faults them back in): the mapped file would otherwise count in full
    towards the build's peak memory."""
    end -= end % mmap.PAGESIZE
    if end > start and start % mmap.PAGESIZE == 0 and hasattr(mmap, "MADV_DONTNEED"):
        mm.madvise(mmap.MADV_DONTNEED, start, end - start)


def _scan(mm: mmap.mmap) -> np.ndarray | None:
    size = len(mm)
    ends_all: list[np.ndarray] = []  # byte offsets of record-ending newlines
    lines_all: list[np.ndarray] = []  # line number each of them ends
    cr_all: list[np.ndarray] = []
    quotes_before = lines_before = 0
    prev_byte, prev_quote = -1, -2
    checked = 0  # bytes before this are known to be UTF-8
    released = 0  # pages before this were handed back (see _release)
    first = 3 if mm[:3] == BOM else 0
    for offset in range(0, size, CHUNK):
        end = min(offset + CHUNK, size)
        cut = mm.rfind(b"\n", offset, end) + 1  # a newline never splits a UTF-8 sequence
        if cut > checked:  # every byte must be UTF-8, also in the columns not kept
            if not _utf8(memoryview(mm)[checked:cut]):
                return None
            checked = cut
        if mm.find(b"\x00", offset, end) >= 0:
            return None
        a = np.frombuffer(mm, dtype=np.uint8, count=end - offset, offset=offset)
        peek = mm[end:end + 1]  # the byte after the chunk (b"" at the end of the file)
        q = np.flatnonzero(a == _QUOTE)
        nl = np.flatnonzero(a == _NL)
        cr = np.flatnonzero(a == _CR) if mm.find(b"\r", offset, end) >= 0 else ()
        if len(cr):  # CR only as part of CRLF (a bare CR is a line end for the csv module)
            nxt = cr + 1
            inside = nxt < len(a)
            if not np.all(a[nxt[inside]] == _NL) or (not inside.all() and peek != b"\n"):
                return None
            cr_all.append(cr + offset)
        if len(q):
            opening = (quotes_before + np.arange(len(q))) % 2 == 0
            gq = q + offset
            before = np.where(q > 0, a[np.maximum(q - 1, 0)], prev_byte)
            escaped = np.concatenate(([prev_quote], gq[:-1])) == gq - 1  # "" inside a quoted field
            at_start = (before == _COMMA) | (before == _NL) | (gq == first)
            if np.any(opening & ~(at_start | escaped)):
                return None  # a quote inside an unquoted field: the csv module keeps it as text
            after_pos = q + 1
            inside = after_pos < len(a)
            after = np.full(len(q), -1)
            after[inside] = a[after_pos[inside]]
            ok_after = (after == _COMMA) | (after == _NL) | (after == _CR) | (after == _QUOTE)
            if np.any(~opening & inside & ~ok_after):
                return None  # text after a closing quote: the csv module (strict) reports it
            if np.any(~opening & ~inside) and peek not in (b"", b",", b"\n", b"\r", b'"'):
                return None
            prev_quote = int(gq[-1])
        outside = (np.searchsorted(q, nl) + quotes_before) % 2 == 0
        ends_all.append(nl[outside] + offset)
        lines_all.append(lines_before + np.flatnonzero(outside) + 1)
        quotes_before += len(q)
        lines_before += len(nl)
        prev_byte = int(a[-1])
        del a  # no view of the map outlives the scan
        _release(mm, released, end)
        released = end - end % mmap.PAGESIZE
    if checked < size and not _utf8(memoryview(mm)[checked:size]):
        return None
    if quotes_before % 2:
        return None  # an unterminated quote: the csv module reports it
    ends = np.concatenate(ends_all) if ends_all else np.zeros(0, np.int64)
    lines = np.concatenate(lines_all) if lines_all else np.zeros(0, np.int64)
    crs = np.concatenate(cr_all) if cr_all else np.zeros(0, np.int64)
    start_off = np.concatenate(([first], ends + 1))
    start_line = np.concatenate(([1], lines + 1))
    live = start_off < size
    start_off, start_line = start_off[live], start_line[live]
    empty = _in_sorted(start_off, ends) | (_in_sorted(start_off + 1, ends) & _in_sorted(start_off, crs))
    if len(empty) and empty[0]:
        return None  # the file starts with an empty line
    return start_line[~empty].astype(np.int64)


def take_rows(col: Any, idx: Any) -> Any:
    """``col.take(idx)`` chunk by chunk (pyarrow's ChunkedArray.take first concatenates every chunk:
    a full copy of the column for a handful of rows)."""
    import pyarrow as pa

    idx = np.asarray(idx, dtype=np.int64)
    if not isinstance(col, pa.ChunkedArray):
        return col.take(pa.array(idx))
    bounds = np.cumsum([0] + [len(c) for c in col.chunks])
    which = np.searchsorted(bounds, idx, side="right") - 1
    parts = [col.chunks[k].take(pa.array(idx[which == k] - bounds[k])) for k in np.unique(which)]
    order = np.argsort(np.argsort(which, kind="stable"), kind="stable")  # back to the order of idx
    out = pa.concat_arrays(parts) if parts else pa.array([], type=col.type)
    return out.take(pa.array(order)) if len(parts) > 1 else out


def _in_sorted(x: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """``np.isin(x, sorted_values)`` for an ascending ``sorted_values`` (a binary search, no hashing)."""
    if not len(sorted_values):
        return np.zeros(len(x), dtype=bool)
    i = np.minimum(np.searchsorted(sorted_values, x), len(sorted_values) - 1)
    return sorted_values[i] == x


def read_fast(path: Path, width: int, wanted: list[int] | None = None) -> tuple[Any, np.ndarray] | None:
    """``(pyarrow Table of strings without the header row, start line of each row)`` or None.

    ``width`` is the header's field count (read by the csv module); the table's
    columns are named ``f<index>`` and hold only ``wanted`` (default all)."""
    names = [f"f{i}" for i in range(width)]
    if parallel.enabled():  # the line scan (NumPy) runs while pyarrow parses: both release the GIL
        scan = parallel.Background(record_start_lines, path, name="aiprogress-scan")
        try:
            tbl = _parse(path, names, wanted)
        finally:
            scan.wait()
        starts = scan.result()
    else:
        starts = record_start_lines(path)
        tbl = None if starts is None else _parse(path, names, wanted)
    if starts is None or tbl is None:
        return None
    if len(starts) != tbl.num_rows:
        return None
    return _drop_first_row(tbl), starts[1:]


def _parse(path: Path, names: list[str], wanted: list[int] | None) -> Any:
    """pyarrow's parse of every record (the header too) as strings, or None when pyarrow cannot read it."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:  # the streaming reader: one parse block in flight (read_csv holds many: ~2x the peak memory)
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True, block_size=BLOCK),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, double_quote=True, escape_char=False,
                                             ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False, check_utf8=True,
                include_columns=None if wanted is None else [names[j] for j in wanted]),
        )
        return pa.Table.from_batches(list(reader), schema=reader.schema)
    except (pa.ArrowException, UnicodeDecodeError):
        return None


def _drop_first_row(tbl: Any) -> Any:
    """``tbl`` without its first row (the header), every chunk at offset 0: pyarrow 22's ``if_else``
    misreads string chunks that start at an offset (a zero-copy slice), so the first chunk is copied."""
    import pyarrow as pa

    cols = []
    for col in tbl.columns:
        chunks = [c for c in col.slice(1).chunks if len(c)]
        if chunks and chunks[0].offset:
            chunks[0] = pa.concat_arrays([chunks[0]])
        cols.append(pa.chunked_array(chunks, type=col.type))
    return pa.Table.from_arrays(cols, names=tbl.column_names)


# --- vectorised cell checks (same results as the pandas/str versions in csvio) -----------------

# every character Python's str.isspace() accepts: str.strip() removes exactly these
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                 "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def arrow_strings(values: Any) -> Any:
    """A pyarrow string array from a pyarrow column or a pandas Series (None -> null)."""
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return pa.array(values, type=pa.string(), from_pandas=True)


def trimmed(col: Any) -> Any:
    """``str.strip()`` of every cell, in Arrow."""
    import pyarrow.compute as pc

    return pc.utf8_trim(arrow_strings(col), characters=PY_WHITESPACE)


def to_object(arr: Any) -> Any:
    """Arrow strings -> pandas object Series with None for blank cells."""
    import pandas as pd

    vals = arr.to_numpy(zero_copy_only=False)
    s = pd.Series(vals, dtype=object)
    return s.where(s != "", None)


def matches(arr: Any, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(pc.match_substring_regex(arr, pattern), False).to_numpy(zero_copy_only=False), dtype=bool)


def parse_numbers(arr: Any, pattern: str) -> tuple[np.ndarray, np.ndarray]:
    """``(values, shaped)``: float64 values (NaN where blank or not ``pattern``-shaped) and the shape mask."""
    import pyarrow as pa
    import pyarrow.compute as pc

    shaped = matches(arr, pattern)
    vals = pc.cast(pc.if_else(pa.array(shaped), arr, pa.scalar(None, pa.string())), pa.float64())
    return np.asarray(vals.to_numpy(zero_copy_only=False), dtype=float), shaped


def split_lists(values: Any, sep: str = ",") -> list[list[str]]:
    """``[p.strip() for p in v.split(sep) if p.strip()]`` for every cell (None -> [])."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pc.fill_null(arrow_strings(values), "")
    parts = pc.split_pattern(arr, sep)
    flat = pc.utf8_trim(pc.list_flatten(parts), characters=PY_WHITESPACE)
    parent = np.asarray(pc.list_parent_indices(parts).to_numpy(zero_copy_only=False))
    keep = np.asarray(pc.not_equal(flat, "").to_numpy(zero_copy_only=False), dtype=bool)
    counts = np.bincount(parent[keep], minlength=len(arr))
    offsets = np.concatenate(([0], np.cumsum(counts))).tolist()
    kept = flat.filter(pa.array(keep)).to_numpy(zero_copy_only=False).tolist()
    return [kept[offsets[i]:offsets[i + 1]] for i in range(len(arr))]


def extract_first(values: Any, pattern: str) -> list[str | None]:
    """The first match of group ``id`` of ``pattern`` in every cell (None when none)."""
    import pyarrow.compute as pc

    arr = arrow_strings(values)
    found = pc.extract_regex(pc.fill_null(arr, ""), pattern)
    ok = np.asarray(pc.is_valid(found).to_numpy(zero_copy_only=False), dtype=bool) & np.asarray(
        pc.is_valid(arr).to_numpy(zero_copy_only=False), dtype=bool)
    ids = pc.struct_field(found, [0]).to_pylist()
    return [v if k else None for v, k in zip(ids, ok)]
