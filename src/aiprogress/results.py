"""Base class and helpers for result objects.

Every analysis returns a frozen dataclass deriving from :class:`Result`, with
``to_frame()`` (a tidy DataFrame), ``to_dict()`` (JSON-safe) and ``summary()``
(a readable text table, in the spirit of statsmodels' summaries).

JSON conventions (:func:`jsonable`):

- NaN, None, ``pd.NA`` and ``NaT`` become ``null`` (a missing value);
- +/-infinity become ``null`` too, with an explicit flag beside the field, so
  numeric fields stay numeric: ``{"x": inf}`` is written
  ``{"x": null, "x_unbounded": true}`` and ``{"x": -inf}`` is written
  ``{"x": null, "x_unbounded_below": true}``; in a list field the flag lists
  the positions, ``{"xs": [1, inf]}`` -> ``{"xs": [1, null], "xs_unbounded": [1]}``.
  The string ``"inf"`` is never written;
- timestamps become ISO-8601 strings.

This module imports neither numpy nor pandas at import time (the CLI must
start fast); they are only looked at when an object of theirs is passed.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

UNBOUNDED = "_unbounded"
UNBOUNDED_BELOW = "_unbounded_below"


class _Inf:
    """Marker for an infinite number while converting (replaced by ``None`` plus a flag)."""

    __slots__ = ("sign",)

    def __init__(self, sign: int) -> None:
        self.sign = sign


_POS, _NEG = _Inf(1), _Inf(-1)


def jsonable(obj: Any) -> Any:
    """Convert ``obj`` recursively into JSON-safe Python types (see the module docstring)."""
    out = _convert(obj)
    return None if isinstance(out, _Inf) else out


def _flagged_dict(items: Any) -> dict[str, Any]:
    items = [(str(k), v) for k, v in items]
    keys = {k for k, _ in items}
    out: dict[str, Any] = {}

    def flag(name: str, value: Any) -> None:
        if name not in keys:  # a real field of that name wins
            out[name] = value

    for key, v in items:
        v = _convert(v)
        if isinstance(v, _Inf):
            out[key] = None
            flag(key + (UNBOUNDED if v.sign > 0 else UNBOUNDED_BELOW), True)
        elif isinstance(v, _FlaggedList):
            out[key] = list(v)
            if v.pos:
                flag(key + UNBOUNDED, v.pos)
            if v.neg:
                flag(key + UNBOUNDED_BELOW, v.neg)
        else:
            out[key] = v
    return out


class _FlaggedList(list):
    """A converted list that remembers where infinities were (positions of +inf / -inf)."""

    pos: list[int]
    neg: list[int]


def _flagged_list(values: Any) -> list[Any]:
    out = _FlaggedList()
    out.pos, out.neg = [], []
    for i, v in enumerate(values):
        v = _convert(v)
        if isinstance(v, _Inf):
            (out.pos if v.sign > 0 else out.neg).append(i)
            v = None
        elif isinstance(v, _FlaggedList):
            v = list(v)
        out.append(v)
    return out if (out.pos or out.neg) else list(out)


def _convert(obj: Any) -> Any:
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    pd = sys.modules.get("pandas")
    if pd is not None and (obj is pd.NA or obj is pd.NaT):
        return None
    if isinstance(obj, Result):
        return _convert(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _flagged_dict((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj))
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return _float(obj)
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return _flagged_dict(obj.items())
    if isinstance(obj, (list, tuple, set, frozenset)):
        return _flagged_list(obj)
    if isinstance(obj, _dt.datetime):
        return obj.isoformat()
    if isinstance(obj, _dt.date):
        return _dt.datetime(obj.year, obj.month, obj.day).isoformat()
    np = sys.modules.get("numpy")
    if np is not None:
        if isinstance(obj, np.bool_):
            return bool(obj)
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            return _float(float(obj))
        if isinstance(obj, np.ndarray):
            return _flagged_list(obj.tolist())
    if pd is not None:
        if isinstance(obj, pd.DataFrame):
            return [_convert(r) for r in obj.to_dict(orient="records")]
        if isinstance(obj, pd.Series):
            return _flagged_dict(obj.items())
    if np is not None and isinstance(obj, np.datetime64):
        if np.isnat(obj):
            return None
        return _iso(obj)
    return str(obj)


def _float(x: float) -> Any:
    if math.isnan(x):
        return None
    if math.isinf(x):
        return _POS if x > 0 else _NEG
    return x


def _iso(obj: Any) -> str:
    import pandas as pd

    return pd.Timestamp(obj).isoformat()


def format_table(frame: pd.DataFrame | Mapping[str, Sequence[Any]], title: str | None = None, floatfmt: str = "{:.4g}") -> str:
    """Render a DataFrame, or a mapping of column name -> values (no pandas needed), as a plain-text table."""

    def fmt(v: Any) -> str:
        np = sys.modules.get("numpy")
        if isinstance(v, float) or np is not None and isinstance(v, np.floating):
            if math.isnan(v):
                return ""
            return floatfmt.format(v)
        return str(v)

    if isinstance(frame, Mapping):
        cols = [str(c) for c in frame]
        records = list(zip(*frame.values()))
    else:
        cols = [str(c) for c in frame.columns]
        records = list(frame.itertuples(index=False, name=None))
    rows = [[fmt(v) for v in r] for r in records]
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
        return _flagged_dict((f.name, getattr(self, f.name)) for f in dataclasses.fields(self))

    def to_frame(self) -> pd.DataFrame:
        import numpy as np
        import pandas as pd

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
