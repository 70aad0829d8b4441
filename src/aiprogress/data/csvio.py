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
  number column: it is kept as text and its seconds are unknown;
- a number is plain decimal or scientific notation (``1000``, ``3.25``,
  ``1.2e9``); thousands separators and decimal commas (``1,000``, ``32,5``,
  ``3_2``) are bad, not read as 1000, 325 or 32;
- a value above the field's plausibility bound (:mod:`aiprogress.data.ranges`) -> bad;
- a year must be whole, and years and dates lie in [1900, 2100]
  (:mod:`aiprogress.data.dates`);
- a NUL character anywhere, or another control character (U+0000-U+001F
  except tab and line breaks, U+007F) in a text column the loaders read, is
  bad; Epoch's ``Abstract`` (text extracted from PDFs, where ligatures
  become control characters) keeps them and the build summary counts them;
- a last record with fewer fields than the header (a cut-off file) is an
  error naming its line; a record with more fields than the header is too.

Column layouts (:func:`resolve_columns`): a required column missing is an
error. For files with a fixed layout (Thompson et al., Epoch hardware) an
unknown column beside a missing known one is a probable rename and an error
("column 'tyme_sec' is not known; did you mean 'time_sec'?"); for Epoch's
models export, whose releases add columns, unknown columns and missing
optional ones are warnings in the build summary (saying what a missing one
disables).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable, Sequence

import numpy as np
import pandas as pd

from aiprogress.data import dates, fastcsv
from aiprogress.data.csvread import (  # noqa: F401  (re-exported: the loaders' reading API)
    RawTable,
    csv_engine,
    read_csv_records,
    read_csv_records_python,
    record_at,
)
from aiprogress.errors import InputError

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a plain decimal or scientific number (no thousands separators, no decimal comma, no '_')
NUMBER_RE = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
SEPARATOR_RE = r"[0-9][,_][0-9]"  # '1,000', '32,5', '3_2': a number written with a separator
NOT_A_NUMBER = "'{value}' is not a number"
NOT_A_NUMBER_SEPARATOR = "'{value}' is not a number (thousands separators, decimal commas and '_' are not accepted)"


def range_issues(vals, what: str, minimum: float | None, maximum: float | None, plausible: float | None) -> list:
    """``(mask, reason_fmt, expected)`` of the range and plausibility checks of a numeric column, for both
    readers (``vals`` a Series or an array; NaN fails no check), so they word their issues identically."""
    both = None if minimum is None or maximum is None else f"{what} in [{minimum:g}, {maximum:g}]"
    out = []
    with np.errstate(invalid="ignore"):
        if minimum is not None:
            out.append((vals < minimum, "value {value} is out of range", both or f"{what} >= {minimum:g}"))
        if maximum is not None:
            out.append((vals > maximum, "value {value} is out of range", both or f"{what} <= {maximum:g}"))
        if plausible is not None:
            out.append((vals > plausible, "value {value} is implausibly large",
                        f"{what} <= {plausible:g} (plausibility range, see aiprogress.data.ranges)"))
    return out


def _probable_rename(unknown: str, candidates: Sequence[str]) -> str | None:
    """The known column name ``unknown`` most likely is (a typo or a small change), if any."""
    lower = {c.casefold(): c for c in candidates}
    hit = difflib.get_close_matches(unknown.casefold(), list(lower), n=1, cutoff=0.75)
    return lower[hit[0]] if hit else None


def resolve_columns(
    raw: RawTable,
    spec: dict[str, tuple[Sequence[str], bool]],
    *,
    fixed_layout: bool = False,
    ignored: Collection[str] = (),
    expected: Collection[str] | None = None,
    disables: dict[str, str] | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> dict[str, str | None]:
    """Map canonical column keys to the header names present in ``raw``.

    ``spec`` maps key -> (known header names in preference order, required).
    A required key with none of its names in the header raises InputError
    naming the file and the column: the layout is unknown.

    Unknown columns (in neither ``spec`` nor ``ignored``) and missing optional
    keys of ``expected`` (default: every optional key) are checked too: with
    ``fixed_layout`` an unknown column that resembles a missing known name is
    an error ("did you mean"); everything else found goes to ``warnings``
    (dicts with file, column, message), with ``disables[key]`` saying what a
    missing column turns off.
    """
    present = {h.casefold(): h for h in raw.header}
    found_by_key: dict[str, str | None] = {}
    for key, (aliases, _required) in spec.items():
        found_by_key[key] = next((present[a.casefold()] for a in aliases if a.casefold() in present), None)
    known = {a.casefold() for aliases, _ in spec.values() for a in aliases} | {c.casefold() for c in ignored}
    unknown = [h for h in raw.header if h and h.casefold() not in known]
    missing = [k for k, (_a, req) in spec.items() if found_by_key[k] is None
               and (req or expected is None or k in expected)]
    warn = warnings if warnings is not None else []
    renamed: set[str] = set()
    for u in unknown:
        target = None
        for k in missing:
            target = _probable_rename(u, spec[k][0])
            if target is not None:
                break
        if target is not None and (fixed_layout or spec[k][1]):
            raise InputError(f"column '{u}' is not known; did you mean '{target}'?", file=raw.display, line=1,
                             column=u, expected=f"the column names of the {raw.display} layout")
        if target is not None:
            renamed.add(k)
            warn.append({"file": raw.display, "column": u,
                         "message": f"unknown column '{u}' (ignored); did you mean '{target}'?"})
        else:
            warn.append({"file": raw.display, "column": u, "message": f"unknown column '{u}' (ignored)"})
    for k in missing:
        if spec[k][1]:
            continue  # raised below
        what = (disables or {}).get(k, f"'{k}' is empty in the table")
        warn.append({"file": raw.display, "column": spec[k][0][0],
                     "message": f"known column '{spec[k][0][0]}' is missing: {what}"})
    out: dict[str, str | None] = {}
    for key, (aliases, required) in spec.items():
        found = found_by_key[key]
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
    prose: Collection[str] = ()  # free-text columns that may keep control characters
    control_kept: dict[str, int] = field(default_factory=dict)  # prose column -> cells with control characters
    _texts: dict[str, pd.Series] = field(default_factory=dict)
    _trims: dict[str, Any] = field(default_factory=dict)

    @property
    def fast(self) -> bool:
        """Cells in a pyarrow Table (the fast reader): checks run in Arrow, with the same results."""
        return not isinstance(self.raw.cells, pd.DataFrame)

    def _trimmed(self, column: str) -> Any:
        if column not in self._trims:
            self._trims[column] = fastcsv.trimmed(self.raw.arrow_column(column))
        return self._trims[column]

    # -- cell access --------------------------------------------------------
    def text(self, column: str | None) -> pd.Series:
        """Stripped text; blank -> None. A missing optional column gives all None.

        A control character in a cell is bad (an issue) unless ``column`` is prose."""
        n = self.raw.n
        if column is None:
            return pd.Series([None] * n, dtype=object)
        if column in self._texts:
            return self._texts[column].copy()
        if self.fast:
            t = self._trimmed(column)
            s = fastcsv.to_object(t)
            ctrl = fastcsv.matches(t, CONTROL_RE.pattern)
        else:
            s = self.raw.column(column).astype(str).str.strip()
            s = s.where(s != "", None)
            ctrl = s.str.contains(CONTROL_RE, na=False).to_numpy()
        if ctrl.any():
            if column in self.prose:
                self.control_kept[column] = int(ctrl.sum())
            else:
                codes = s.str.extract("(" + CONTROL_RE.pattern + ")")[0].map(
                    lambda c: f"U+{ord(c):04X}" if isinstance(c, str) else "")
                self.add(ctrl, column, "contains the control character {value}", codes,
                         "text without control characters")
        self._texts[column] = s
        return s.copy()

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
        plausible: float | None = None,
        what: str = "a number",
    ) -> pd.Series:
        """Parse a numeric column; blank -> NaN; non-numeric, out of range or above the
        plausibility bound ``plausible`` -> issue."""
        n = self.raw.n
        if column is None:
            return pd.Series(np.full(n, np.nan))
        txt = self.text(column)
        if self.fast:
            v, _shaped = fastcsv.parse_numbers(self._trimmed(column), NUMBER_RE)
            vals = pd.Series(v)
        else:
            shaped = txt.str.match(NUMBER_RE, na=False)
            # correctly rounded like float() (pd.to_numeric can be 1 ulp off, e.g. 3.3499999999999998e+25)
            vals = pd.Series(txt.where(shaped, "nan").to_numpy(dtype=object).astype(float), index=txt.index)
        bad = txt.notna() & (vals.isna() | ~np.isfinite(vals.fillna(0.0)))
        sep = bad & txt.where(bad, None).str.contains(SEPARATOR_RE, na=False)
        self.add(sep, column, NOT_A_NUMBER_SEPARATOR, txt, what)
        self.add(bad & ~sep, column, NOT_A_NUMBER, txt, what)
        for mask, reason, expected in range_issues(vals, what, minimum, maximum, plausible):
            self.add(mask, column, reason, txt, expected)
        vals[bad] = np.nan
        return vals

    def date(self, column: str | None) -> pd.Series:
        """Parse ISO dates (``YYYY-MM-DD``, optionally with time) with :func:`aiprogress.data.dates.parse_dates`; blank -> NaT."""
        n = self.raw.n
        if column is None:
            return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        txt = self.text(column)
        vals, bad, far = dates.parse_dates(txt)
        self.add(bad, column, "'{value}' is not a date", txt, dates.EXPECTED)
        self.add(far, column, "'{value}' is " + dates.RANGE_TEXT, txt, dates.EXPECTED)
        return vals

    def year(self, column: str | None, lo: int = dates.MIN_YEAR, hi: int = dates.MAX_YEAR) -> pd.Series:
        """A whole year in [lo, hi]; a fractional year (``2017.5``) is bad."""
        n = self.raw.n
        if column is None:
            return pd.Series(pd.array([pd.NA] * n, dtype="Int64"))
        txt = self.text(column)
        vals = self.number(column, what="a year")
        frac = (vals.notna() & (vals != np.floor(vals))).to_numpy()
        self.add(frac, column, "'{value}' is not a whole year", txt, "a whole year such as 2017")
        far = (vals.notna() & ~pd.Series(frac) & ((vals < lo) | (vals > hi))).to_numpy()
        self.add(far, column, "year {value} is " + f"outside the supported range [{lo}, {hi}]", txt,
                 f"a year in [{lo}, {hi}]")
        vals = vals.where(~(frac | far), np.nan)
        return vals.astype("Int64")

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
        n = self.raw.n
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
            raw_text = self.raw.row_text(iss.row)
            reason = iss.reason + (f" (expected {iss.expected})" if iss.expected else "")
            rows.append((self.raw.display, iss.line, iss.column, reason, raw_text))
        return keep, pd.DataFrame(rows, columns=["source_file", "source_line", "column", "reason", "raw"])


def empty_rejects() -> pd.DataFrame:
    return pd.DataFrame(
        {"source_file": pd.Series(dtype=object), "source_line": pd.Series(dtype="int64"), "column": pd.Series(dtype=object),
         "reason": pd.Series(dtype=object), "raw": pd.Series(dtype=object)}
    )


def list_cell(v: object, sep: str = ",") -> list[str]:
    """One list-valued cell (e.g. a model's ``authors``) as stripped, non-empty strings,
    whether it is stored as a list/array (catalog) or as joined text (raw CSV)."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [str(a).strip() for a in v if str(a).strip()]
    if isinstance(v, str):
        return [a.strip() for a in v.split(sep) if a.strip()]
    return []


def split_list(values: pd.Series, sep: str = ",") -> pd.Series:
    """Split joined text into lists of stripped, non-empty items (blank -> [])."""
    if len(values) > 1000 and fastcsv.enabled():  # vectorised (same result)
        return pd.Series(fastcsv.split_lists(values, sep), index=values.index, dtype=object)

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


_ARXIV_PATTERN = r"arxiv\.org/(?:abs|pdf|html)/(?P<id>(?:[0-9]{4}\.[0-9]{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7}))(?:v[0-9]+)?"
_ARXIV_RE = re.compile(_ARXIV_PATTERN, re.IGNORECASE)


def arxiv_ids(links: pd.Series) -> pd.Series:
    """:func:`arxiv_id` of every link (vectorised for long columns, same result)."""
    if len(links) > 1000 and fastcsv.enabled():
        return pd.Series(fastcsv.extract_first(links, "(?i)" + _ARXIV_PATTERN), index=links.index, dtype=object)
    return links.map(arxiv_id)


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
