"""Author name matching across sources (AAN, Paperscape, Epoch), with rapidfuzz.

Every loader turns a name into a key of folded tokens, given names first and
the family name last (AAN ``"Collins, Michael John"`` -> ``"michael john
collins"``; Paperscape ``"M.J.Collins"`` -> ``"m j collins"``; Epoch
``"Michael Collins"`` -> ``"michael collins"``).  The rule that links a key
``a`` to a key ``b`` of another source:

1. **Same family name**: the last tokens must be equal (no fuzzy family names:
   "Chen" vs "Cheng" are different people far more often than typos).
2. **Full given names** (both first given tokens longer than one letter):
   ``rapidfuzz.fuzz.ratio`` of the first given names >= :data:`MIN_GIVEN_SCORE`
   (90: "Jurgen"/"Juergen" pass, "Jon"/"John" do not); rule ``given_fuzzy``
   (``exact`` when the full keys are equal), score = that ratio.
3. **Initials** (either side gives only an initial): the first initials must
   agree, and so must the second initials when both sides have one; rule
   ``initials``, score :data:`INITIALS_SCORE` (85).
4. **Ambiguity**: the best-scoring candidate is kept only if no other
   candidate of the same family name reaches the same score; otherwise the
   name stays unmatched (common names like "Y. Wang" would otherwise merge
   many people).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

MIN_GIVEN_SCORE = 90.0
INITIALS_SCORE = 85.0


@dataclass(frozen=True)
class NameParts:
    given: tuple[str, ...]
    family: str


def parts(key: str) -> NameParts:
    toks = key.split()
    if not toks:
        return NameParts((), "")
    return NameParts(tuple(toks[:-1]), toks[-1])


def pair_score(a: str, b: str) -> tuple[float, str | None]:
    """Score and rule of linking keys ``a`` and ``b`` (0 and None when the rule rejects them)."""
    if a == b and a:
        return 100.0, "exact"
    pa, pb = parts(a), parts(b)
    if not pa.family or pa.family != pb.family or not pa.given or not pb.given:
        return 0.0, None
    ga, gb = pa.given[0], pb.given[0]
    if len(ga) > 1 and len(gb) > 1:
        s = float(fuzz.ratio(ga, gb))
        return (s, "given_fuzzy") if s >= MIN_GIVEN_SCORE else (0.0, None)
    if ga[0] != gb[0]:
        return 0.0, None
    if len(pa.given) > 1 and len(pb.given) > 1 and pa.given[1][0] != pb.given[1][0]:
        return 0.0, None
    return INITIALS_SCORE, "initials"


def match_names(queries: list[str], candidates: list[str]) -> pd.DataFrame:
    """For each query key, the matching candidate key by the module's rule (``match`` None if none or ambiguous)."""
    by_family: dict[str, list[str]] = {}
    for c in dict.fromkeys(candidates):
        by_family.setdefault(parts(c).family, []).append(c)
    rows = []
    for q in queries:
        best, best_score, rule, tie = None, 0.0, None, False
        for c in by_family.get(parts(q).family, []):
            s, r = pair_score(q, c)
            if r is None:
                continue
            if r == "exact":
                best, best_score, rule, tie = c, s, r, False
                break
            if s > best_score:
                best, best_score, rule, tie = c, s, r, False
            elif s == best_score:
                tie = True
        if tie:
            best, best_score, rule = None, 0.0, "ambiguous"
        rows.append({"query": q, "match": best, "score": best_score if best else float("nan"), "rule": rule})
    return pd.DataFrame(rows, columns=["query", "match", "score", "rule"])
