"""Reading source CSV files into :class:`RawTable` with the physical start line of
every record: the fast reader (:mod:`aiprogress.data.fastcsv`) when it can read
the file exactly like the csv module, else the csv module itself
(:func:`read_csv_records_python`, the reference). See :mod:`aiprogress.data.csvio`
for what counts as a bad record.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Collection

import numpy as np
import pandas as pd

from aiprogress.data import fastcsv
from aiprogress.errors import DataNotFoundError, InputError, ParameterError


@dataclass(frozen=True)
class RawTable:
    """A CSV file as strings, ``""`` for blank cells, in header order; ``lines`` holds
    each record's 1-based start line. ``cells`` is a DataFrame (csv-module reader)
    or a pyarrow Table (fast reader); use :meth:`column`, :meth:`row_text`, :attr:`n`."""

    path: Path
    display: str  # the file name shown in messages (relative to the data dir)
    header: list[str]
    cells: Any
    lines: np.ndarray

    @property
    def n(self) -> int:
        return len(self.lines)

    def arrow_column(self, name: str) -> Any:
        """The pyarrow column of header ``name`` (fast reader only; loaded columns only)."""
        return self.cells.column(f"f{self.header.index(name)}")

    def column(self, name: str) -> pd.Series:
        """One column as a Series of str (index 0..n-1)."""
        if isinstance(self.cells, pd.DataFrame):
            return self.cells.iloc[:, self.header.index(name)].reset_index(drop=True)
        return pd.Series(self.arrow_column(name).to_numpy(zero_copy_only=False), dtype=object)

    def row_text(self, i: int) -> str:
        """The record's cells joined by commas (as the csv module reads them)."""
        if isinstance(self.cells, pd.DataFrame):
            return ",".join(self.cells.iloc[i].astype(str).tolist())
        rec = record_at(self.path, int(self.lines[i]))
        return ",".join((rec + [""] * len(self.header))[: len(self.header)])

    @property
    def frame(self) -> pd.DataFrame:
        """Every column (header names) as str."""
        if isinstance(self.cells, pd.DataFrame):
            return self.cells
        out = pd.DataFrame({j: self.column(h) for j, h in enumerate(self.header)})
        out.columns = self.header
        return out


def csv_engine() -> str:
    """``auto`` (the fast reader, falling back to the csv module for irregular files) or
    ``python`` (always the csv module): ``$AIPROGRESS_CSV_ENGINE``, default auto."""
    engine = os.environ.get("AIPROGRESS_CSV_ENGINE", "auto").strip().lower() or "auto"
    if engine not in ("auto", "python"):
        raise ParameterError("AIPROGRESS_CSV_ENGINE", f"'{engine}' is not a reader", expected="auto or python")
    return engine


def record_at(path: Path, line: int) -> list[str]:
    """The record starting on physical ``line``, read with the csv module."""
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        for _ in range(line - 1):
            fh.readline()
        return next(csv.reader(fh, strict=True), [])


def read_csv_records(path: Path, display: str | None = None, columns: Collection[str] | None = None) -> RawTable:
    """Read ``path`` keeping the physical start line of each record (header = line 1).

    The fast reader (:mod:`aiprogress.data.fastcsv`) is used when it can read the
    file exactly like the csv module; otherwise (or with
    ``AIPROGRESS_CSV_ENGINE=python``) :func:`read_csv_records_python`.
    ``columns`` (header names, any case) limits the cells the fast reader keeps
    in memory; every record is still parsed and checked.
    """
    display = display or path.name
    if not path.is_file():
        raise DataNotFoundError(f"{display}: file not found at {path} (run 'aiprogress data fetch' or pass --data-dir)")
    if csv_engine() == "auto":
        raw = _read_fast(path, display, columns)
        if raw is not None:
            return raw
    return read_csv_records_python(path, display)


def _read_fast(path: Path, display: str, columns: Collection[str] | None = None) -> RawTable | None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from aiprogress.data.fastcsv import read_fast

    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, strict=True))
    except (StopIteration, csv.Error, UnicodeDecodeError):
        return None
    if any("\x00" in h for h in header):
        return None
    wanted = None
    if columns is not None:
        keep_names = {c.strip().casefold() for c in columns}
        wanted = [j for j, h in enumerate(header) if h.strip().casefold() in keep_names] or [0]
    got = read_fast(path, len(header), wanted)
    if got is None:
        return None
    tbl, lines = got
    if tbl.num_rows:  # drop all-blank records, as the csv-module reader does
        blank = np.asarray(pc.equal(fastcsv.trimmed(tbl.column(0)), "").to_numpy(zero_copy_only=False), dtype=bool)
        if blank.any():
            idx = np.flatnonzero(blank)
            for col in tbl.columns[1:]:
                sub = fastcsv.trimmed(fastcsv.take_rows(col, idx))
                idx = idx[np.asarray(pc.equal(sub, "").to_numpy(zero_copy_only=False), dtype=bool)]
                if not len(idx):
                    break
            # columns not loaded: check those records in full
            idx = [i for i in idx if not any(c.strip() for c in record_at(path, int(lines[i])))]
            if len(idx):
                keep = np.ones(tbl.num_rows, dtype=bool)
                keep[idx] = False
                tbl = tbl.filter(pa.array(keep))
                lines = lines[keep]
    return RawTable(path=path, display=display, header=_check_header(header, display), cells=tbl, lines=lines)


def _check_header(header: list[str], display: str) -> list[str]:
    header = [h.strip() for h in header]
    seen: dict[str, str] = {}
    for h in header:
        if h and h.casefold() in seen:
            raise InputError("the header names this column twice", file=display, line=1, column=h,
                             expected="unique column names")
        seen[h.casefold()] = h
    return header


def read_csv_records_python(path: Path, display: str | None = None) -> RawTable:
    """Read ``path`` with the csv module, keeping the physical start line of each record.

    pandas' reader loses line numbers once a quoted field spans several lines,
    so this uses :mod:`csv` (``reader.line_num`` counts physical lines read).
    This is the reference reader (the loader path before the fast reader).
    """
    display = display or path.name
    if not path.is_file():
        raise DataNotFoundError(f"{display}: file not found at {path} (run 'aiprogress data fetch' or pass --data-dir)")
    bad_line = 1  # start line of the record being read (for csv.Error)
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            # strict: an unterminated quote is an error, not one giant field running to the end
            reader = csv.reader(fh, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise InputError("file is empty", file=display, line=1, expected="a header row") from None
            rows: list[list[str]] = []
            lines: list[int] = []
            prev_end = reader.line_num  # last physical line consumed so far
            bad_line = prev_end + 1
            width = len(header)
            short: tuple[int, int] | None = None  # (line, fields) of the last record if it is short
            for rec in reader:
                start = prev_end + 1
                prev_end = reader.line_num
                bad_line = prev_end + 1
                if not rec or not any(c.strip() for c in rec):
                    continue  # blank line: not a record
                _check_nul(rec, header, display, start)
                if len(rec) > width and any(c.strip() for c in rec[width:]):
                    raise InputError(
                        f"record has {len(rec)} fields but the header has {width}",
                        file=display,
                        line=start,
                        expected=f"at most {width} comma-separated fields",
                    )
                short = (start, len(rec)) if len(rec) < width else None
                rec = (rec + [""] * width)[:width]
                rows.append(rec)
                lines.append(start)
            if short is not None:
                raise InputError(
                    f"the last record has {short[1]} fields but the header has {width}: the file looks cut off",
                    file=display, line=short[0], expected=f"{width} comma-separated fields (a complete file)",
                )
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=display, expected="a UTF-8 CSV file") from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV record starting here: {exc}", file=display, line=bad_line,
                         expected="properly quoted comma-separated fields") from None
    _check_nul(header, header, display, 1)
    header = _check_header(header, display)
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    frame.columns = header
    return RawTable(path=path, display=display, header=header, cells=frame, lines=np.asarray(lines, dtype=np.int64))


def _check_nul(rec: list[str], header: list[str], display: str, line: int) -> None:
    for j, cell in enumerate(rec):
        if "\x00" in cell:
            col = header[j].strip() if j < len(header) else None
            raise InputError("contains a NUL character (binary or corrupted data)", file=display, line=line,
                             column=col or None, expected="text without control characters")
