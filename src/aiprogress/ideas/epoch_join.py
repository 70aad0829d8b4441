"""Match benchmark rows (papers) to entries of the Epoch models table.

The human-capital proxy needs the author list of the paper behind each
benchmark row; the benchmark files do not carry authors, the Epoch models
table does.  :func:`match_epoch` links each row to the Epoch entries of the
same paper by the first rule below that finds one; later rules only see rows
the earlier ones left unmatched.  Each match records its rule
(``hc_match``) and a score in [0, 100] (``hc_match_score``).

1. ``arxiv_id`` -- equal normalised arXiv ids (:func:`normalise_arxiv_id`):
   the id is read from the ``arxiv_id`` column, else from the URL / link
   (``abs/``, ``pdf/``, ``html/``, ``.pdf``, mirrors such as arxiv-vanity);
   a version suffix (``v3``) and an ``arXiv:`` prefix are removed; old-style
   ids (``cs.LG/0205070``) keep only ``archive/number`` (``cs/0205070``),
   which is the canonical form.  Score 100.
2. ``title`` -- equal normalised titles (:func:`title_key`: Unicode folded to
   ASCII, case-folded, everything but letters and digits removed -- the
   benchmark files drop hyphens, "Squeeze-and-Excitation" appears as
   "SqueezeandExcitation"), at least :data:`MIN_TITLE_CHARS` characters long.
   Score 100.
3. ``title_fuzzy`` -- the most similar Epoch title by ``rapidfuzz.fuzz.ratio``
   on the same keys, accepted at a score of at least :data:`FUZZY_MIN_SCORE`
   and only for keys of at least :data:`FUZZY_MIN_CHARS` characters (a 97
   score then allows about one differing character in 35: typos, a dropped
   word ending, British/American spelling -- not a different subtitle).
   The score is reported.
4. ``model_name`` -- equal normalised model names (same folding as titles,
   at least :data:`MIN_MODEL_CHARS` characters) with an Epoch publication year
   within one year before or after the row's year.  A model name names an
   architecture, and a benchmark row often reports an architecture from an
   earlier paper; the date window and rule 5 keep those apart.  Score 100.
5. Guard for rules 3-4: a candidate is rejected when both the row and the
   Epoch entry have an arXiv id and the ids differ (they are different
   papers).  Rule 2 is exempt: an exact, long title is stronger evidence than
   the id, since the same paper is sometimes posted to arXiv twice (the AlphaX
   NAS paper has two ids, one in each table).

When one rule finds several Epoch entries (a paper introducing several
models), all of them count: their author lists are merged.

No table of hand-matched papers is used.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from aiprogress.ideas.memo import Memo, fingerprint

__all__ = [
    "FUZZY_MIN_CHARS",
    "FUZZY_MIN_SCORE",
    "MIN_MODEL_CHARS",
    "MIN_TITLE_CHARS",
    "match_epoch",
    "model_key",
    "normalise_arxiv_id",
    "title_key",
]

MIN_TITLE_CHARS = 16
FUZZY_MIN_SCORE = 97.0
FUZZY_MIN_CHARS = 30
MIN_MODEL_CHARS = 4

_NEW_ID = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_OLD_ID = re.compile(r"(?<![a-z])([a-z][a-z\-]+)(?:\.[a-z]{2})?/(\d{7})(?:v\d+)?(?!\d)", re.I)


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


def normalise_arxiv_id(value: Any) -> str | None:
    """Canonical arXiv id (``1709.01507``, ``cs/0205070``) from an id or an arXiv URL; None if there is none.

    A URL must mention arXiv (``arxiv.org``, ``arxiv-vanity``...) for an id to be read from it,
    so that DOIs or other numbers in non-arXiv links are not mistaken for ids.
    """
    if _missing(value):
        return None
    return _arxiv_id_of(str(value).strip())


@functools.lru_cache(maxsize=1 << 16)
def _arxiv_id_of(s: str) -> str | None:
    """:func:`normalise_arxiv_id` of a stripped string (memoised: the same ids and links recur in every call)."""
    if not s:
        return None
    looks_like_url = "/" in s and ("://" in s or "www." in s or ".org" in s or ".com" in s)
    if looks_like_url and "arxiv" not in s.lower():
        return None
    s = re.sub(r"^arxiv:\s*", "", s, flags=re.I)
    m = _NEW_ID.search(s)
    if m:
        return m.group(1)
    m = _OLD_ID.search(s)
    if m and m.group(1).lower() not in ("abs", "pdf", "html", "papers", "format"):
        return f"{m.group(1).lower()}/{m.group(2)}"
    return None


def _fold(v: Any) -> str:
    if _missing(v):
        return ""
    return _fold_str(str(v))


@functools.lru_cache(maxsize=1 << 16)
def _fold_str(v: str) -> str:
    """:func:`_fold` of a string (memoised: the same titles and names are folded in every call).

    ASCII text has no decompositions or combining marks, and its case folding is ``lower()``.
    """
    if v.isascii():
        return _NON_ALNUM.sub("", v.lower())
    s = unicodedata.normalize("NFKD", v)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", s.casefold())


_NON_ALNUM = re.compile(r"[^a-z0-9]")


def title_key(title: Any) -> str:
    """Normalised title: ASCII-folded, case-folded, letters and digits only ("" if missing)."""
    return _fold(title)


def model_key(name: Any) -> str:
    """Normalised model name (same folding as :func:`title_key`)."""
    return _fold(name)


def _row_ids(frame: pd.DataFrame) -> pd.Series:
    ids = frame["arxiv_id"].map(normalise_arxiv_id) if "arxiv_id" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    if "url" in frame.columns:
        from_url = frame["url"].map(normalise_arxiv_id)
        ids = ids.where(ids.notna(), from_url)
    return ids


def _epoch_ids(models: pd.DataFrame) -> pd.Series:
    ids = models["arxiv_id"].map(normalise_arxiv_id) if "arxiv_id" in models.columns else pd.Series(None, index=models.index, dtype=object)
    if "link" in models.columns:
        ids = ids.where(ids.notna(), models["link"].map(normalise_arxiv_id))
    return ids


#: Columns of the Epoch table the join reads (the memo of :func:`epoch_index` is keyed on them and the index).
MODEL_COLUMNS = ("arxiv_id", "link", "reference", "model", "publication_date")
_INDEXES = Memo(4)


@dataclass(frozen=True)
class EpochIndex:
    """The Epoch side of the join: normalised ids, years and the lookup tables of the rules.

    ``fuzzy_cache`` holds the best fuzzy title match found so far for each row title (it depends only on
    the title and on this index's keys), so repeated joins against the same table skip the fuzzy search.
    """

    e_ids: pd.Series
    e_year: pd.Series
    by_id: dict[str, list[Any]]
    by_title: dict[str, list[Any]]
    by_model: dict[str, list[Any]]
    fuzzy_keys: list[str]
    fuzzy_cache: dict[str, tuple[str, float] | None] = field(default_factory=dict)


def epoch_index(models: pd.DataFrame) -> EpochIndex:
    """The :class:`EpochIndex` of ``models`` (built once per process for the same content)."""
    return _INDEXES.get(fingerprint(models, MODEL_COLUMNS), lambda: _build_index(models))


def _build_index(models: pd.DataFrame) -> EpochIndex:
    e_ids = _epoch_ids(models)
    e_titles = models["reference"].map(title_key) if "reference" in models.columns else pd.Series("", index=models.index)
    e_models = models["model"].map(model_key) if "model" in models.columns else pd.Series("", index=models.index)
    e_year = pd.to_datetime(models.get("publication_date"), errors="coerce").dt.year if "publication_date" in models.columns else pd.Series(np.nan, index=models.index)

    by_id: dict[str, list[Any]] = {}
    for i, a in e_ids.items():
        if a:
            by_id.setdefault(a, []).append(i)
    by_title: dict[str, list[Any]] = {}
    for i, t in e_titles.items():
        if len(t) >= MIN_TITLE_CHARS:
            by_title.setdefault(t, []).append(i)
    by_model: dict[str, list[Any]] = {}
    for i, k in e_models.items():
        if len(k) >= MIN_MODEL_CHARS:
            by_model.setdefault(k, []).append(i)
    fuzzy_keys = [t for t in by_title if len(t) >= FUZZY_MIN_CHARS]
    return EpochIndex(e_ids, e_year, by_id, by_title, by_model, fuzzy_keys)


def match_epoch(frame: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """For each row of ``frame`` the matching Epoch entries (see module docs).

    ``frame`` may have ``arxiv_id``, ``url``, ``paper_title``, ``model``, ``year``
    (or ``date``); ``models`` has the Epoch columns ``arxiv_id``, ``link``,
    ``reference``, ``model``, ``publication_date``.  Returns a frame indexed like
    ``frame`` with ``epoch_rows`` (list of index labels of ``models``, empty if
    unmatched), ``hc_match`` (rule name or None) and ``hc_match_score``.
    """
    ix = epoch_index(models)
    e_ids, e_year, by_id, by_title, by_model, fuzzy_keys = ix.e_ids, ix.e_year, ix.by_id, ix.by_title, ix.by_model, ix.fuzzy_keys

    r_ids = _row_ids(frame)
    r_titles = frame["paper_title"].map(title_key) if "paper_title" in frame.columns else pd.Series("", index=frame.index)
    r_models = frame["model"].map(model_key) if "model" in frame.columns else pd.Series("", index=frame.index)
    if "year" in frame.columns:
        r_year = pd.to_numeric(frame["year"], errors="coerce")
    elif "date" in frame.columns:
        r_year = pd.to_datetime(frame["date"], errors="coerce").dt.year
    else:
        r_year = pd.Series(np.nan, index=frame.index)

    def compatible(rid: Any, hits: list[Any]) -> list[Any]:
        """Rule 5 (rules 3-4): drop candidates whose arXiv id contradicts the row's."""
        if not rid:
            return list(hits)  # a copy: the lists of the index are shared by every join against the same table
        return [i for i in hits if not e_ids.at[i] or e_ids.at[i] == rid]

    fuzzy_cache = ix.fuzzy_cache
    rows_out: list[list[Any]] = []
    rule_out: list[str | None] = []
    score_out: list[float] = []
    for idx in frame.index:
        rid = r_ids.at[idx]
        hits: list[Any] = []
        rule: str | None = None
        score = math.nan
        if rid and rid in by_id:
            hits, rule, score = list(by_id[rid]), "arxiv_id", 100.0
        t = r_titles.at[idx]
        if not hits and len(t) >= MIN_TITLE_CHARS and t in by_title:
            hits, rule, score = list(by_title[t]), "title", 100.0
        if not hits and len(t) >= FUZZY_MIN_CHARS and fuzzy_keys:
            if t not in fuzzy_cache:
                best = process.extractOne(t, fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
                fuzzy_cache[t] = None if best is None else (best[0], float(best[1]))
            best = fuzzy_cache[t]
            if best is not None:
                cand = compatible(rid, by_title[best[0]])
                if cand:
                    hits, rule, score = cand, "title_fuzzy", best[1]
        mk = r_models.at[idx]
        if not hits and len(mk) >= MIN_MODEL_CHARS and mk in by_model:
            y = r_year.at[idx]
            cand = [i for i in by_model[mk] if np.isfinite(y) and np.isfinite(e_year.at[i]) and abs(e_year.at[i] - y) <= 1]
            cand = compatible(rid, cand)
            if cand:
                hits, rule, score = cand, "model_name", 100.0
        rows_out.append(hits)
        rule_out.append(rule)
        score_out.append(score)
    return pd.DataFrame({"epoch_rows": rows_out, "hc_match": rule_out, "hc_match_score": score_out}, index=frame.index)
