"""Bibliometric corpora for the human-capital model: papers, authors, dates, citation edges.

A :class:`Corpus` holds

* ``papers``: one row per paper -- ``paper_id`` (str), ``date`` (datetime64),
  ``period`` (whole months since year 0: ``12 * year + month - 1``; the unit in
  which "before" is decided), ``authors`` (tuple of normalised author keys),
  ``venue`` (str) and ``title``;
* ``citations``: ``citing`` -> ``cited`` edges between papers of the corpus
  (edges whose ends are not both papers of the corpus are dropped and counted);
* ``files`` and ``data_hash``: the raw files read and the SHA-256 of their bytes.

Loaders:

* :func:`load_aan` -- ACL Anthology Network (``bibliometrics/aan/``).  Only the
  year is known, so every paper sits at 1 July of its year and "before" means
  an earlier year.  Venue: the anthology id's letter (``P`` ACL, ``C`` COLING,
  ``D`` EMNLP, ``J`` Computational Linguistics, ...), except workshops
  (``W``), whose venue is the workshop's name -- so a workshop is not lumped
  with the main conferences.
* :func:`load_paperscape` -- arXiv 1991-1996 (``bibliometrics/paperscape/``),
  dated by the month in the arXiv id (the 15th); venue = primary category.
* :func:`load_epoch` -- the Epoch models table: one "paper" per model entry
  with authors and a publication date; no citation edges, only each entry's
  total citation count (``total_citations``), which is all Epoch records.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError

CORPORA = ("aan", "paperscape", "epoch")


@dataclass(frozen=True)
class Corpus:
    name: str
    papers: pd.DataFrame
    citations: pd.DataFrame
    files: tuple[str, ...] = ()
    data_hash: str = ""
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def last_period(self) -> int:
        return int(self.papers["period"].max())


_NON_LETTERS = re.compile(r"[^a-z]+")


def fold(text: Any) -> str:
    """ASCII-folded, case-folded text with runs of non-letters turned into one space."""
    return _fold_text(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _fold_text(text: str) -> str:
    """:func:`fold` of a string (memoised: the same names and venues are folded again and again).

    ASCII text has no decompositions or combining marks, and its case folding is ``lower()``.
    """
    if text.isascii():
        s = text.lower()
    else:
        s = unicodedata.normalize("NFKD", text)
        s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return _NON_LETTERS.sub(" ", s).strip()


def period_of(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    return (d.dt.year * 12 + d.dt.month - 1).astype("int64")


def _hash_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def make_corpus(name: str, papers: pd.DataFrame, citations: pd.DataFrame, files: list[Path] | None = None,
                notes: dict[str, Any] | None = None, data_hash: str = "") -> Corpus:
    """Validate and normalise the two tables into a :class:`Corpus` (also used for hand-made corpora)."""
    need = ["paper_id", "date", "authors"]
    for c in need:
        if c not in papers.columns:
            raise InputError("missing column", file=name, column=c, expected="columns " + ", ".join(need))
    p = papers.copy()
    p["paper_id"] = p["paper_id"].astype(str)
    p["date"] = pd.to_datetime(p["date"], errors="coerce")
    p = p[p["date"].notna()].drop_duplicates("paper_id").reset_index(drop=True)
    p["period"] = period_of(p["date"])
    p["authors"] = p["authors"].map(lambda a: tuple(dict.fromkeys(x for x in a if x)))
    for c, default in (("venue", ""), ("title", "")):
        if c not in p.columns:
            p[c] = default
        p[c] = p[c].fillna(default).astype(str)
    cit = citations[["citing", "cited"]].astype(str) if len(citations) else pd.DataFrame({"citing": [], "cited": []}, dtype=str)
    known = set(p["paper_id"])
    inside = cit["citing"].isin(known) & cit["cited"].isin(known) & (cit["citing"] != cit["cited"])
    notes = dict(notes or {})
    notes["edges_read"] = int(len(cit))
    notes["edges_outside_corpus"] = int((~inside).sum())
    cit = cit[inside].drop_duplicates().reset_index(drop=True)
    files = files or []
    return Corpus(name, p, cit, tuple(str(f) for f in files), _hash_files(files) if files else data_hash, notes)


# ----------------------------------------------------------------------------- AAN
_FIELD = re.compile(r"^(\w+)\s*=\s*\{(.*)\}\s*$")


def aan_author_key(name: str) -> str:
    """``"Collins, Michael John"`` -> ``"michael john collins"`` (first names, then last name)."""
    last, _, first = name.partition(",")
    return fold(f"{first} {last}")


def _aan_venue(paper_id: str, venue: str) -> str:
    letter = paper_id[:1].upper()
    return f"W:{fold(venue)}" if letter == "W" else letter


def load_aan(data_dir: str | Path | None = None) -> Corpus:
    from aiprogress.paths import resolve_data_dir

    root = resolve_data_dir(data_dir) / "bibliometrics" / "aan"
    meta, cites = root / "acl_metadata.txt", root / "acl_citations.txt"
    for f in (meta, cites):
        if not f.is_file():
            raise DataNotFoundError(f"{f}: not found (expected the AAN files; see the data README)")
    rows: list[dict[str, Any]] = []
    cur: dict[str, Any] = {}
    for lineno, line in enumerate(meta.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        line = line.strip()
        if not line:
            if cur:
                rows.append(cur)
                cur = {}
            continue
        m = _FIELD.match(line)
        if not m:
            raise InputError(f"cannot parse {line[:40]!r}", file=meta, line=lineno, expected="key = {value}")
        cur[m.group(1)] = m.group(2)
        cur.setdefault("_line", lineno)
    if cur:
        rows.append(cur)
    frame = pd.DataFrame(rows)
    year = pd.to_numeric(frame["year"], errors="coerce")
    bad = year.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"year {frame['year'].iloc[i]!r}", file=meta, line=int(frame["_line"].iloc[i]), column="year", expected="a year")
    papers = pd.DataFrame({
        "paper_id": frame["id"].str.strip(),
        "date": pd.to_datetime({"year": year.astype(int), "month": 7, "day": 1}),
        "authors": frame["author"].fillna("").map(lambda s: [aan_author_key(a) for a in s.split(";") if a.strip()]),
        "venue": [_aan_venue(i, v) for i, v in zip(frame["id"].str.strip(), frame["venue"].fillna(""))],
        "title": frame["title"].fillna(""),
        "raw_authors": frame["author"].fillna(""),
    })
    edges = pd.read_csv(cites, sep=",", header=None, names=["citing", "cited"], dtype=str, skipinitialspace=True)
    edges = edges.apply(lambda s: s.str.strip())
    return make_corpus("aan", papers, edges, [meta, cites], notes={"date_resolution": "year"})


# ----------------------------------------------------------------------- Paperscape
def paperscape_author_key(name: str) -> str:
    """``"U.M.Heller"`` -> ``"u m heller"``."""
    return fold(name.replace(".", ". "))


def _arxiv_date(pid: str) -> pd.Timestamp | None:
    m = re.search(r"(\d{2})(\d{2})\d{3}$", pid)
    if not m:
        m = re.match(r"^(\d{2})(\d{2})\.\d{4,5}", pid)
    if not m:
        return None
    yy, mm = int(m.group(1)), int(m.group(2))
    if not 1 <= mm <= 12:
        return None
    return pd.Timestamp(1900 + yy if yy >= 91 else 2000 + yy, mm, 15)


def load_paperscape(data_dir: str | Path | None = None) -> Corpus:
    from aiprogress.paths import resolve_data_dir

    root = resolve_data_dir(data_dir) / "bibliometrics" / "paperscape"
    files = sorted(root.glob("pscp-*.csv"))
    if not files:
        raise DataNotFoundError(f"{root}: no pscp-*.csv files (expected the Paperscape export; see the data README)")
    papers, edges = [], []
    for f in files:
        for lineno, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            parts = line.split(";", 6)
            if len(parts) < 7:
                raise InputError(f"{len(parts)} fields", file=f, line=lineno, expected="7 ';'-separated fields")
            pid, cats, _, _, refs, authors, title = parts
            d = _arxiv_date(pid)
            if d is None:
                raise InputError(f"arXiv id {pid!r} has no date", file=f, line=lineno, column="arxiv-id", expected="an id like hep-th/9108001")
            papers.append((pid, d, [paperscape_author_key(a) for a in authors.split(",") if a.strip()], cats.split(",")[0], title))
            edges.extend((pid, r) for r in refs.split(",") if r)
    frame = pd.DataFrame(papers, columns=["paper_id", "date", "authors", "venue", "title"])
    return make_corpus("paperscape", frame, pd.DataFrame(edges, columns=["citing", "cited"]), files, notes={"date_resolution": "month"})


# ---------------------------------------------------------------------------- Epoch
def epoch_author_key(name: str) -> str:
    return fold(name)


def epoch_authors(value: Any) -> list[str]:
    """Author keys of one Epoch ``authors`` cell (a list, or a comma-separated string)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [str(a) for a in value]
    elif isinstance(value, str):
        items = value.split(",")
    else:
        return []
    out: list[str] = []
    for a in items:
        out.extend(_item_keys(a))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _item_keys(item: str) -> tuple[str, ...]:
    """Author keys of one item of an ``authors`` cell (memoised: the same names recur in every table and query)."""
    out = []
    for part in item.split("\n"):  # contributor lists use headings on their own lines
        k = epoch_author_key(part)
        if k and len(k.split()) >= 2 and "contributor" not in k and "team" not in k.split():
            out.append(k)
    return tuple(out)


def epoch_corpus_from_models(models: pd.DataFrame) -> Corpus:
    """The Epoch corpus from a models table; its data hash is taken over the columns used, so it names the content."""
    cit = pd.to_numeric(models.get("citations"), errors="coerce")
    papers = pd.DataFrame({
        "paper_id": [f"epoch:{i}" for i in range(len(models))],
        "date": pd.to_datetime(models["publication_date"], errors="coerce").to_numpy(),
        "authors": models["authors"].map(epoch_authors).to_numpy(),
        "venue": models.get("organization", pd.Series("", index=models.index)).astype(str).map(lambda s: fold(s.split(",")[0])).to_numpy(),
        "title": models.get("reference", models["model"]).fillna("").astype(str).to_numpy(),
        "model": models["model"].astype(str).to_numpy(),
        "total_citations": cit.to_numpy(),
    })
    content = pd.DataFrame({"m": papers["model"], "a": papers["authors"].map("|".join), "d": papers["date"].astype(str),
                            "c": papers["total_citations"].astype(str)})
    digest = hashlib.sha256(pd.util.hash_pandas_object(content, index=False).to_numpy().tobytes()).hexdigest()
    return make_corpus("epoch", papers, pd.DataFrame({"citing": [], "cited": []}), None,
                       notes={"date_resolution": "day", "citations": "total counts per entry only (no citation edges)"},
                       data_hash=digest)


def load_epoch(data_dir: str | Path | None = None, catalog: str | Path | None = None) -> Corpus:
    from aiprogress.data import load_table
    from aiprogress.paths import resolve_data_dir

    models = load_table("models", catalog=catalog, data_dir=data_dir)
    root = resolve_data_dir(data_dir)
    names = models.get("source_file", pd.Series(dtype=str)).dropna().astype(str).unique()
    files = sorted({root / f for f in names if (root / f).is_file()})
    c = epoch_corpus_from_models(models)
    return Corpus(c.name, c.papers, c.citations, tuple(str(f) for f in files), c.data_hash, c.notes)


def load_corpus(name: str, data_dir: str | Path | None = None, catalog: str | Path | None = None) -> Corpus:
    if name == "aan":
        return load_aan(data_dir)
    if name == "paperscape":
        return load_paperscape(data_dir)
    if name == "epoch":
        return load_epoch(data_dir, catalog)
    from aiprogress.errors import ParameterError

    raise ParameterError("corpus", f"unknown corpus '{name}'", expected=" | ".join(CORPORA))
