"""One status rule for every published-vs-ours comparison in the package.

Every replication table (scaling, ideas, growth, takeoff, algorithmic,
geography, humancapital) classifies each row with :func:`classify` and returns
:class:`ReplicationRow` objects, which the report's scorecard collects through
the ``scorecard`` entries of :mod:`aiprogress.capabilities`.

The rule (stated in the report):

- ``reproduced``: the relative difference |ours − published| / |published| is
  within ``tol`` (default 10%) *and*, when we have an interval, the published
  value lies inside our 95% interval;
- ``close``: the relative difference is within ``close_tol`` (default 25%),
  or the published value lies inside our 95% interval while the point
  estimates differ by more than ``tol``;
- ``differs``: neither; a reason should say why;
- ``not reproducible``: the shared data cannot produce the number
  (``ours`` is missing); ``reason`` says what is missing.

For published values at or near zero the relative difference is undefined; an
absolute tolerance ``abs_tol`` (if given) is used instead. A paper prints its
numbers rounded: with ``decimals`` (the published precision), a difference of
at most half the last printed digit also counts as within ``tol`` (ours rounds
to the published number), so -0.034 against a printed -0.03 is not penalised
for the paper's rounding.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

STATUSES = ("reproduced", "close", "differs", "not reproducible")
DEFAULT_TOL = 0.10
DEFAULT_CLOSE_TOL = 0.25

RULE_TEXT = (
    "reproduced: within {tol:.0%} of the published value and, where we have one, the published value inside our 95% "
    "interval; close: within {close:.0%}, or the published value inside our 95% interval; differs: neither (with a "
    "reason); not reproducible: the shared data cannot produce the number (with what is missing). Differences are "
    "relative to |published|; a difference no larger than the paper's rounding (half its last printed digit) counts as "
    "within {tol:.0%}; counts (sample sizes) have no interval and are judged by the relative difference alone."
).format(tol=DEFAULT_TOL, close=DEFAULT_CLOSE_TOL)


def _finite(x: float | None) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(float(x))


def relative_difference(published: float, ours: float) -> float | None:
    if not (_finite(published) and _finite(ours)) or published == 0:
        return None
    return abs(float(ours) - float(published)) / abs(float(published))


def classify(
    published: float | None,
    ours: float | None,
    *,
    low: float | None = None,
    high: float | None = None,
    tol: float = DEFAULT_TOL,
    close_tol: float = DEFAULT_CLOSE_TOL,
    abs_tol: float | None = None,
    decimals: int | None = None,
) -> str:
    """The status of one published number against ours (see the module docstring)."""
    if not _finite(ours):
        return "not reproducible"
    if not _finite(published):
        raise ValueError("published value must be a finite number")
    published, ours = float(published), float(ours)
    has_ci = _finite(low) and _finite(high)
    inside = has_ci and float(low) <= published <= float(high)
    if abs_tol is not None and abs(published) <= abs_tol:
        diff_ok = abs(ours - published) <= abs_tol
        diff_close = abs(ours - published) <= 2.5 * abs_tol
    else:
        rel = relative_difference(published, ours)
        diff_ok = rel is not None and rel <= tol
        diff_close = rel is not None and rel <= close_tol
    if decimals is not None and abs(ours - published) <= 0.5 * 10.0 ** (-decimals) + 1e-12:
        diff_ok = diff_close = True
    if diff_ok and (inside or not has_ci):
        return "reproduced"
    if diff_close or inside or diff_ok:
        return "close"
    return "differs"


@dataclass(frozen=True)
class ReplicationRow:
    """One published number the package checks; ``anchor`` links to the detail table in the report."""

    capability: str
    paper: str
    table: str
    quantity: str
    published: float | None
    ours: float | None
    status: str
    low: float | None = None
    high: float | None = None
    reason: str = ""
    anchor: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def difference(self) -> float | None:
        if _finite(self.published) and _finite(self.ours):
            return float(self.ours) - float(self.published)
        return None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["difference"] = self.difference
        for k, v in list(d.items()):
            if isinstance(v, float) and not math.isfinite(v):
                d[k] = None
        return d


def row(capability: str, paper: str, table: str, quantity: str, published: float | None, ours: float | None, *,
        low: float | None = None, high: float | None = None, reason: str = "", anchor: str = "", **rule) -> ReplicationRow:
    """Build a :class:`ReplicationRow`, classifying it with :func:`classify` (``rule`` passes tolerances)."""
    if not _finite(published):
        status = "not reproducible"
    else:
        status = classify(published, ours, low=low, high=high, **rule)
    return ReplicationRow(capability, paper, table, quantity,
                          None if not _finite(published) else float(published),
                          None if not _finite(ours) else float(ours), status,
                          low if _finite(low) else None, high if _finite(high) else None, reason, anchor)
