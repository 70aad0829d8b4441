"""Base class and helpers for result objects.

Every analysis returns a frozen dataclass deriving from :class:`Result`, with
``to_frame()`` (a tidy DataFrame), ``to_dict()`` (JSON-safe) and ``summary()``
(a readable text table, in the spirit of statsmodels' summaries).

JSON conventions: NaN and None become ``null``; +/-infinity become the strings
``"inf"`` / ``"-inf"`` (JSON has no infinity); timestamps become ISO-8601 strings.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def jsonable(obj: Any) -> Any:
    """Convert ``obj`` recursively into JSON-safe Python types."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, Result):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(obj, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        if pd.isna(obj):
            return None
        return pd.Timestamp(obj).isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, pd.DataFrame):
        return [jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if obj is pd.NA or obj is pd.NaT:
        return None
    return str(obj)


def format_table(frame: pd.DataFrame, title: str | None = None, floatfmt: str = "{:.4g}") -> str:
    """Render a DataFrame as a plain-text table (used by ``summary()``)."""

    def fmt(v: Any) -> str:
        if isinstance(v, (float, np.floating)):
            if math.isnan(v):
                return ""
            return floatfmt.format(v)
        return str(v)

    cols = [str(c) for c in frame.columns]
    rows = [[fmt(v) for v in r] for r in frame.itertuples(index=False, name=None)]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    line = "  ".join("-" * w for w in widths)
    out = []
    if title:
        out.append(title)
        out.append("=" * max(len(title), len(line)))
    out.append("  ".join(c.rjust(w) for c, w in zip(cols, widths)))
    out.append(line)
    out.extend("  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in rows)
    return "\n".join(out)


@dataclasses.dataclass(frozen=True)
class Result:
    """Base for frozen result dataclasses.

    Subclasses usually override :meth:`to_frame` and :meth:`summary`; the
    defaults describe the scalar fields.
    """

    def to_dict(self) -> dict[str, Any]:
        return {f.name: jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}

    def to_frame(self) -> pd.DataFrame:
        scalars = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), (int, float, str, bool, np.number, type(None)))
        }
        return pd.DataFrame([scalars])

    def summary(self) -> str:
        frame = self.to_frame()
        if len(frame) == 1 and len(frame.columns) > 4:
            frame = frame.T.reset_index()
            frame.columns = ["field", "value"]
        return format_table(frame, title=type(self).__name__)
