"""Reading and validating numeric columns of user CSVs (shared by the estimators of several capabilities).

:func:`read_columns` checks that columns exist and hold finite (positive,
non-negative) numbers, raising :class:`~aiprogress.errors.InputError` naming file,
line (header = line 1) and column; :func:`to_time` turns a column of years or
dates into decimal years.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import InputError

__all__ = ["read_columns", "to_time"]


def read_columns(
    path: str | Path,
    columns: Sequence[str],
    *,
    positive: Iterable[str] = (),
    nonnegative: Iterable[str] = (),
    numeric: Iterable[str] | None = None,
    optional: Iterable[str] = (),
) -> pd.DataFrame:
    """Read ``columns`` from a CSV and validate them.

    Missing column -> :class:`InputError` naming file and column; a blank,
    non-numeric or (for ``positive``) non-positive value -> InputError naming
    file, line (header = line 1) and column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, expected="a CSV file with a header row")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot parse CSV ({str(exc).splitlines()[0]})", file=path, expected="a CSV file with a header row") from exc
    optional = set(optional)
    for col in columns:
        if col not in frame.columns and col not in optional:
            raise InputError(
                "missing column",
                file=path,
                column=col,
                expected=f"one of the header columns ({', '.join(map(str, frame.columns))}) or choose another with the column options",
            )
    present = [c for c in columns if c in frame.columns]
    out = frame[present].copy()
    numeric = set(present if numeric is None else numeric) & set(present)
    positive, nonnegative = set(positive), set(nonnegative)
    for col in present:
        if col not in numeric:
            continue
        values = pd.to_numeric(out[col], errors="coerce")
        bad = values.isna() | ~np.isfinite(values.astype(float))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raw = frame[col].iloc[i]
            raise InputError(
                f"value {raw!r} is blank or not a number",
                file=path,
                line=i + 2,
                column=col,
                expected="a finite number",
            )
        if col in positive and (values <= 0).any():
            i = int(np.flatnonzero((values <= 0).to_numpy())[0])
            raise InputError(
                f"value {values.iloc[i]:g} is not positive (its logarithm is needed)",
                file=path,
                line=i + 2,
                column=col,
                expected="a number > 0",
            )
        if col in nonnegative and (values < 0).any():
            i = int(np.flatnonzero((values < 0).to_numpy())[0])
            raise InputError(
                f"value {values.iloc[i]:g} is negative",
                file=path,
                line=i + 2,
                column=col,
                expected="a number >= 0",
            )
        out[col] = values.astype(float)
    if len(out) == 0:
        raise InputError("no data rows", file=path, expected="at least one row below the header")
    return out


def to_time(values: pd.Series, path: str | Path, column: str) -> np.ndarray:
    """Numbers as they are; dates as decimal years (InputError naming the line otherwise)."""
    num = pd.to_numeric(values, errors="coerce")
    if num.notna().all():
        return num.to_numpy(dtype=float)
    dates = pd.to_datetime(values, errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError(f"value {values.iloc[k]!r} is neither a number nor a date", file=Path(path), line=k + 2, column=column, expected="a year or an ISO date")
    return (dates.dt.year + (dates.dt.dayofyear - 1) / 365.25).to_numpy(dtype=float)
