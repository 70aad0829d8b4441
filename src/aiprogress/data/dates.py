"""The one date parser of the package: the loaders and every CLI ``--date`` use it.

Accepted: ISO 8601 calendar dates ``YYYY-MM-DD`` (optionally ``YYYY-MM`` or
``YYYY``, and a time ``THH:MM[:SS]``), nothing else: ``01/02/2019`` is
ambiguous (January 2 or February 1) and is rejected, not guessed. A date
must fall in the supported range [1900, 2100] (the range of every source and
of the precision rules); ``2999-01-01`` is "outside the supported range", not
"not a date". On the command line a bare year (``--date 2019``) means 1 July
of that year, like the year-only sources.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError

MIN_YEAR = 1900
MAX_YEAR = 2100
RANGE_TEXT = f"outside the supported range [{MIN_YEAR}, {MAX_YEAR}]"
EXPECTED = f"a date YYYY-MM-DD between {MIN_YEAR} and {MAX_YEAR}"

_ISO_PATTERN = (r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
                r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?$")
_ISO = re.compile(_ISO_PATTERN)


def parse_dates(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Vectorised: ``(dates as datetime64[ns], not-a-date mask, out-of-range mask)``.

    ``text`` holds stripped strings or None (blank = unknown, neither mask set).
    """
    s = text.astype(object).reset_index(drop=True)
    present = s.notna().to_numpy()
    from aiprogress.data import fastcsv

    if len(s) > 1000 and fastcsv.enabled():  # vectorised in Arrow (same pattern, same result)
        import pyarrow.compute as pc

        arr = fastcsv.arrow_strings(s.where(present, ""))
        shaped = fastcsv.matches(arr, _ISO_PATTERN) & present
        year = pd.to_numeric(pd.Series(pc.utf8_slice_codeunits(arr, 0, 4).to_numpy(zero_copy_only=False)),
                             errors="coerce").to_numpy()
    else:
        parts = s.where(present, "").astype(str).str.extract(_ISO)
        shaped = parts[0].notna().to_numpy() & present
        year = pd.to_numeric(parts[0], errors="coerce").to_numpy()
    out_of_range = shaped & ((year < MIN_YEAR) | (year > MAX_YEAR))
    ok = shaped & ~out_of_range
    values = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if ok.any():
        parsed = pd.to_datetime(s[ok].astype(str), errors="coerce", format="ISO8601", utc=False)
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_localize(None)
        values[ok] = parsed.astype("datetime64[ns]")
    not_a_date = present & ~out_of_range & values.isna().to_numpy()
    return values, not_a_date, out_of_range


def parse_date(value: object, name: str = "date") -> pd.Timestamp | None:
    """One value from the command line or a library call: a year (int, or digits
    only) -> 1 July of that year; a string -> the ISO rule above; None/NaN -> None."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        ts = value
    elif isinstance(value, (bool, np.bool_)):
        raise ParameterError(name, f"'{value}' is not a date", expected=EXPECTED)
    elif isinstance(value, (int, np.integer, float, np.floating)):
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            return None
        if float(value) != int(value):
            raise ParameterError(name, f"'{value}' is not a whole year", expected=f"a year or {EXPECTED}")
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ParameterError(name, f"'{value}' is {RANGE_TEXT}", expected=EXPECTED)
        return pd.Timestamp(year=year, month=7, day=1)
    else:
        text = str(value).strip()
        if not text:
            return None
        if text.isdigit() and len(text) == 4:
            return parse_date(int(text), name)
        vals, bad, far = parse_dates(pd.Series([text], dtype=object))
        if far[0]:
            raise ParameterError(name, f"'{text}' is {RANGE_TEXT}", expected=EXPECTED)
        if bad[0]:
            raise ParameterError(name, f"'{text}' is not a date", expected=EXPECTED)
        ts = vals.iloc[0]
    if pd.isna(ts):
        return None
    if not MIN_YEAR <= ts.year <= MAX_YEAR:
        raise ParameterError(name, f"'{ts.date()}' is {RANGE_TEXT}", expected=EXPECTED)
    return ts
