"""Reading source CSV files with physical line numbers, column aliases and cell validation.

Every loader goes through :func:`read_csv_records` (so each record keeps the
1-based physical line it starts on, header = line 1, even when quoted fields
span several lines) and a :class:`Checker`, which turns bad cells into
:class:`~aiprogress.errors.InputError` (strict mode) or into rejected rows
(``skip_bad_rows=True``).

What counts as *bad* (an error) and what as *unknown* (NaN, text kept):
- blank cell -> unknown (NaN / None), never an error;
- a cell that must be a number but is not one -> bad;
- a negative count, compute, time or size -> bad;
- a score outside its range (percent outside [0, 100], a fraction outside [0, 1]) -> bad;
- free text that only *describes* training time (``"160k iterations"``) is not a
  number column: it is kept as text and its seconds are unknown.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError


@dataclass(frozen=True)
class RawTable:
    """A CSV file as strings: ``frame`` has the header names as columns and
    ``""`` for blank cells; ``lines`` holds each record's 1-based start line."""

    path: Path
    display: str  # the file name shown in messages (relative to the data dir)
    header: list[str]
    frame: pd.DataFrame
    lines: np.ndarray


def read_csv_records(path: Path, display: str | None = None) -> RawTable:
    """Read ``path`` with the csv module, keeping the physical start line of each record.

    pandas' reader loses line numbers once a quoted field spans several lines,
    so this uses :mod:`csv` (``reader.line_num`` counts physical lines read).
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
            for rec in reader:
                start = prev_end + 1
                prev_end = reader.line_num
                bad_line = prev_end + 1
                if not rec or not any(c.strip() for c in rec):
                    continue  # blank line: not a record
                if len(rec) > width and any(c.strip() for c in rec[width:]):
                    raise InputError(
                        f"record has {len(rec)} fields but the header has {width}",
                        file=display,
                        line=start,
                        expected=f"at most {width} comma-separated fields",
                    )
                rec = (rec + [""] * width)[:width]
                rows.append(rec)
                lines.append(start)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=display, expected="a UTF-8 CSV file") from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV record starting here: {exc}", file=display, line=bad_line,
                         expected="properly quoted comma-separated fields") from None
    header = [h.strip() for h in header]
    seen: dict[str, str] = {}
    for h in header:
        if h and h.casefold() in seen:
            raise InputError("the header names this column twice", file=display, line=1, column=h,
                             expected="unique column names")
        seen[h.casefold()] = h
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    frame.columns = header
    return RawTable(path=path, display=display, header=header, frame=frame, lines=np.asarray(lines, dtype=np.int64))


def resolve_columns(
    raw: RawTable,
    spec: dict[str, tuple[Sequence[str], bool]],
) -> dict[str, str | None]:
    """Map canonical column keys to the header names present in ``raw``.

    ``spec`` maps key -> (known header names in preference order, required).
    A required key with none of its names in the header raises InputError
    naming the file and the column: the layout is unknown.
    """
    present = {h.casefold(): h for h in raw.header}
    out: dict[str, str | None] = {}
    for key, (aliases, required) in spec.items():
        found = None
        for alias in aliases:
            if alias.casefold() in present:
                found = present[alias.casefold()]
                break
        if found is None and required:
            names = " / ".join(f"'{a}'" for a in aliases)
            raise InputError(
                "missing required column (unknown column layout)",
                file=raw.display,
                line=1,
                column=aliases[0],
                expected=f"a header with {names}",
            )
        out[key] = found
    return out


@dataclass
class Issue:
    row: int  # positional index in the raw frame
    line: int
    column: str
    reason: str
    expected: str | None


@dataclass
class Checker:
    """Collects bad cells; strict mode raises the first one (by line) at :meth:`finish`."""

    raw: RawTable
    skip_bad_rows: bool = False
    issues: list[Issue] = field(default_factory=list)

    # -- cell access --------------------------------------------------------
    def text(self, column: str | None) -> pd.Series:
        """Stripped text; blank -> None. A missing optional column gives all None."""
        n = len(self.raw.frame)
        if column is None:
            return pd.Series([None] * n, dtype=object)
        s = self.raw.frame[column].astype(str).str.strip()
        return s.where(s != "", None)

    def add(self, mask: np.ndarray | pd.Series, column: str, reason_fmt: str, values: pd.Series, expected: str | None) -> None:
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        for i in idx:
            self.issues.append(
                Issue(
                    row=int(i),
                    line=int(self.raw.lines[i]),
                    column=column,
                    reason=reason_fmt.format(value=values.iloc[i]),
                    expected=expected,
                )
            )

    def number(
        self,
        column: str | None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        what: str = "a number",
    ) -> pd.Series:
        """Parse a numeric column; blank -> NaN; non-numeric or out of range -> issue."""
        n = len(self.raw.frame)
        if column is None:
            return pd.Series(np.full(n, np.nan))
        txt = self.text(column)
        cleaned = txt.str.replace(",", "", regex=False).str.replace("_", "", regex=False)
        vals = pd.to_numeric(cleaned, errors="coerce").astype(float)
        bad = txt.notna() & (vals.isna() | ~np.isfinite(vals.fillna(0.0)))
        self.add(bad, column, "'{value}' is not a number", txt, what)
        if minimum is not None:
            low = vals < minimum
            exp = f"{what} >= {minimum:g}" if maximum is None else f"{what} in [{minimum:g}, {maximum:g}]"
            self.add(low, column, "value {value} is out of range", txt, exp)
        if maximum is not None:
            high = vals > maximum
            exp = f"{what} <= {maximum:g}" if minimum is None else f"{what} in [{minimum:g}, {maximum:g}]"
            self.add(high, column, "value {value} is out of range", txt, exp)
        vals[bad] = np.nan
        return vals

    def date(self, column: str | None) -> pd.Series:
        """Parse ISO dates (``YYYY-MM-DD``, optionally with time); blank -> NaT."""
        n = len(self.raw.frame)
        if column is None:
            return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        txt = self.text(column)
        vals = pd.to_datetime(txt, errors="coerce", format="ISO8601", utc=False)
        bad = txt.notna() & vals.isna()
        self.add(bad, column, "'{value}' is not a date", txt, "a date YYYY-MM-DD")
        return vals.astype("datetime64[ns]")

    def year(self, column: str | None, lo: int = 1900, hi: int = 2100) -> pd.Series:
        vals = self.number(column, minimum=lo, maximum=hi, what="a year")
        bad = vals.notna() & (vals != np.floor(vals))
        if column is not None:
            self.add(bad, column, "'{value}' is not a whole year", self.text(column), "a year")
        return vals.astype("Int64").where(~bad, pd.NA) if len(vals) else vals.astype("Int64")

    def duplicates(self, keys: pd.DataFrame, column: str, what: str) -> None:
        """Flag every repeat of a key already seen on an earlier line."""
        dup = keys.duplicated(keep="first").to_numpy()
        first_line: dict[tuple, int] = {}
        for i, rec in enumerate(keys.itertuples(index=False, name=None)):
            k = tuple("" if (isinstance(v, float) and math.isnan(v)) or v is None else v for v in rec)
            if dup[i]:
                self.issues.append(
                    Issue(
                        row=i,
                        line=int(self.raw.lines[i]),
                        column=column,
                        reason=f"duplicate {what} (same as line {first_line[k]})",
                        expected=f"a unique {what}",
                    )
                )
            else:
                first_line.setdefault(k, int(self.raw.lines[i]))

    # -- outcome ------------------------------------------------------------
    def finish(self) -> tuple[np.ndarray, pd.DataFrame]:
        """Raise the first issue (strict) or return (keep mask, rejects frame)."""
        n = len(self.raw.frame)
        keep = np.ones(n, dtype=bool)
        if not self.issues:
            return keep, empty_rejects()
        issues = sorted(self.issues, key=lambda x: (x.line, x.column))
        if not self.skip_bad_rows:
            first = issues[0]
            raise InputError(first.reason, file=self.raw.display, line=first.line, column=first.column, expected=first.expected)
        rows = []
        seen: set[int] = set()
        for iss in issues:
            if iss.row in seen:
                continue  # one reject per row: its first problem
            seen.add(iss.row)
            keep[iss.row] = False
            raw_text = ",".join(self.raw.frame.iloc[iss.row].astype(str).tolist())
            reason = iss.reason + (f" (expected {iss.expected})" if iss.expected else "")
            rows.append((self.raw.display, iss.line, iss.column, reason, raw_text))
        return keep, pd.DataFrame(rows, columns=["source_file", "source_line", "column", "reason", "raw"])


def empty_rejects() -> pd.DataFrame:
    return pd.DataFrame(
        {"source_file": pd.Series(dtype=object), "source_line": pd.Series(dtype="int64"), "column": pd.Series(dtype=object),
         "reason": pd.Series(dtype=object), "raw": pd.Series(dtype=object)}
    )


def split_list(values: pd.Series, sep: str = ",") -> pd.Series:
    """Split joined text into lists of stripped, non-empty items (blank -> [])."""

    def one(v: object) -> list[str]:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return []
        return [p.strip() for p in str(v).split(sep) if p.strip()]

    return values.map(one)


def unique_ordered(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for it in items:
        seen.setdefault(it, None)
    return list(seen)


_ARXIV_RE = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/((?:\d{4}\.\d{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?",
    re.IGNORECASE,
)


def arxiv_id(link: object) -> str | None:
    """The arXiv identifier in a link (no version suffix), or None."""
    if link is None or (isinstance(link, float) and math.isnan(link)):
        return None
    m = _ARXIV_RE.search(str(link))
    return m.group(1) if m else None


_VERSION_RE = re.compile(r"_(\d{4}-\d{2}(?:-\d{2})?)$")


def source_version(path: Path) -> str:
    """Snapshot label: the date suffix of the file name (``..._2025-03.csv``), else the folder name."""
    m = _VERSION_RE.search(path.stem)
    if m:
        return m.group(1)
    return path.parent.name
