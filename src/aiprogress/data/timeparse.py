"""Parse free-text training times of the Thompson et al. files into seconds.

Written by hand because the texts are a handful of ad-hoc spellings
("3days", "46hrs", "27hrs 40mins", "10-14 days") that no date library reads
as *durations*.

Rules (a result of ``None`` means unknown; the caller keeps the text):
- a number followed by a unit: s/sec/seconds, min/mins/minutes, h/hr/hrs/hour(s),
  d/day(s), w/week(s); several such parts add up ("27hrs 40mins");
- a range "A-B unit" or "A ~ B unit" gives the midpoint, which is what the
  source itself does where it also filled ``time_sec`` (e.g. "10-14 days" ->
  12 days, "4-5 days" -> 4.5 days); the method is reported as ``"range_midpoint"``;
- anything else is ambiguous and stays unknown: iteration or step counts
  ("160k iterations"), throughputs ("14.9 fps", "95 imgs/sec"), device-time
  ("8 GPU days": the wall-clock time depends on the device count), per-epoch
  times, bare numbers without a unit, or text with leftovers after the parts.
"""

from __future__ import annotations

import re

_UNIT_SECONDS = {
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "w": 604800.0, "week": 604800.0, "weeks": 604800.0,
}
_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"(" + "|".join(sorted(_UNIT_SECONDS, key=len, reverse=True)) + r")\b"
_PART = re.compile(_NUM + r"\s*" + _UNIT, re.IGNORECASE)
_RANGE = re.compile(r"^\s*" + _NUM + r"\s*(?:-|~|to)\s*" + _NUM + r"\s*" + _UNIT + r"\s*$", re.IGNORECASE)


def parse_duration(text: str | None) -> tuple[float | None, str | None]:
    """Return ``(seconds, method)``; method is ``"parsed"``, ``"range_midpoint"`` or None."""
    if text is None:
        return None, None
    t = str(text).strip()
    if not t:
        return None, None
    m = _RANGE.match(t)
    if m:
        lo, hi, unit = float(m.group(1)), float(m.group(2)), m.group(3).lower()
        if hi < lo:
            return None, None
        return (lo + hi) / 2.0 * _UNIT_SECONDS[unit], "range_midpoint"
    total = 0.0
    pos = 0
    found = False
    for part in _PART.finditer(t):
        gap = t[pos:part.start()]
        if gap.strip(" ,+and"):
            return None, None  # leftovers such as "GPU" in "8 GPU days", or "/" in "1day/64 k40s"
        total += float(part.group(1)) * _UNIT_SECONDS[part.group(2).lower()]
        pos = part.end()
        found = True
    if not found or t[pos:].strip():
        return None, None
    return total, "parsed"
