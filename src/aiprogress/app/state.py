"""Page state <-> URL query string.

A page's state is a flat mapping of names to numbers or short strings. It is
written to the query string with :func:`encode_state` (floats with ``repr``, so
they round-trip exactly) and read back with :func:`decode_state`, which keeps
only the names a page declares and coerces each to the declared type; a value
that cannot be read falls back to the page's default and is reported, never
raised.
"""

from __future__ import annotations

import math
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

MAX_QUERY_CHARS = 8192


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return str(value)


def encode_state(state: Mapping[str, Any]) -> str:
    """``?a=1&b=x`` for the non-None entries of ``state`` (in the given order)."""
    items = [(k, _text(v)) for k, v in state.items() if v is not None]
    return "?" + urlencode(items) if items else ""


def _coerce(kind: type, raw: str) -> Any:
    if kind is bool:
        if raw in ("1", "true", "True"):
            return True
        if raw in ("0", "false", "False"):
            return False
        raise ValueError(raw)
    if kind is float:
        x = float(raw)
        if math.isnan(x):
            raise ValueError(raw)
        return x
    if kind is int:
        return int(raw)
    if len(raw) > 200:
        raise ValueError("too long")
    return raw


def decode_state(search: str | None, spec: Mapping[str, tuple[type, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Read ``search`` (``?a=1``) against ``spec`` = {name: (type, default)}.

    Returns (state, problems): every name of ``spec`` is in ``state`` (the
    default where absent or unreadable); ``problems`` lists the unreadable keys.
    Unknown keys are ignored.
    """
    state = {k: d for k, (_t, d) in spec.items()}
    problems: list[str] = []
    if not search:
        return state, problems
    text = search[1:] if search.startswith("?") else search
    if len(text) > MAX_QUERY_CHARS:
        return state, ["the link's query string is too long; defaults used"]
    for key, raw in parse_qsl(text, keep_blank_values=True):
        if key not in spec:
            continue
        kind, _default = spec[key]
        try:
            state[key] = _coerce(kind, raw)
        except (ValueError, OverflowError):
            problems.append(f"'{key}={raw[:40]}' is not a valid {kind.__name__}; default used")
    return state, problems
