"""Corpus loaders: arXiv (daily and OAI/Kaggle JSON lines), OpenAlex works, Epoch models -> one tidy schema.

Every loader returns a :class:`Corpus` with two tables:

``papers`` (one row per paper or model; :data:`PAPER_COLUMNS`)
    ``doc_id``, ``date`` (datetime64), ``year``, ``title``, ``abstract``,
    ``categories`` (list of arXiv subjects / OpenAlex concepts / Epoch domains),
    ``citations`` (float, NaN when unknown), ``authors`` (list of names),
    ``source_file``, ``source_line`` (1-based line of the record in its file).

``affiliations`` (one row per paper x institution; :data:`AFFILIATION_COLUMNS`)
    ``doc_id``, ``institution``, ``country_code`` (ISO 3166 alpha-2), ``region``
    (admin-1 name where known), ``lat``/``lon`` (where known), ``weight``
    (fractional count: each paper's weights sum to 1 over its located rows),
    ``match_score`` (1 for a source-given location, else the geocoder's score)
    and ``method`` (how the row was located).

Validation (like :mod:`aiprogress.data`): a line that is not a JSON object, a
record without an id, or a date that cannot be parsed raises
:class:`~aiprogress.errors.InputError` naming the file, the line and the field.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError

PAPER_COLUMNS = ["doc_id", "date", "year", "title", "abstract", "categories", "citations", "authors",
                 "source_file", "source_line"]
AFFILIATION_COLUMNS = ["doc_id", "institution", "country_code", "region", "lat", "lon", "weight", "match_score", "method"]

ARXIV_FILE = "arxiv/arxiv_ai_daily_2025-03_2026-07.jsonl.gz"
EPOCH_FILE = "epoch/all_ai_models_2025-03.csv"


@dataclass(frozen=True)
class Corpus:
    """A corpus in the tidy schema (see the module docstring)."""

    name: str
    papers: pd.DataFrame
    affiliations: pd.DataFrame
    files: tuple[str, ...] = ()
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def n_papers(self) -> int:
        return len(self.papers)

    def with_affiliations(self, affiliations: pd.DataFrame, **notes: Any) -> "Corpus":
        return Corpus(self.name, self.papers, affiliations[AFFILIATION_COLUMNS].reset_index(drop=True), self.files,
                      {**self.notes, **notes})


def empty_affiliations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("lat", "lon", "weight", "match_score") else "object")
                         for c in AFFILIATION_COLUMNS})


def _open_text(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def iter_json_lines(path: Path, display: str | None = None) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, record)`` for each non-blank line; a bad line raises InputError."""
    display = display or path.name
    if not path.is_file():
        raise DataNotFoundError(f"{display}: file not found at {path} (pass --data-dir or a path to a JSON-lines file)")
    try:
        with _open_text(path) as fh:
            for i, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    rec = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise InputError(f"not valid JSON ({exc.msg} at character {exc.pos})", file=display, line=i,
                                     expected="one JSON object per line") from None
                if not isinstance(rec, dict):
                    raise InputError(f"a JSON {type(rec).__name__}, not an object", file=display, line=i,
                                     expected="one JSON object per line")
                yield i, rec
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({type(exc).__name__}: {exc})", file=display,
                         expected="UTF-8 JSON lines, optionally gzip-compressed") from None


def _require_str(rec: dict, key: str, display: str, line: int) -> str:
    val = rec.get(key)
    if not isinstance(val, str) or not val.strip():
        got = "missing" if val is None else f"{type(val).__name__} {str(val)[:40]!r}"
        raise InputError(f"{got}", file=display, line=line, column=key, expected="a non-empty string")
    return val.strip()


def _parse_date(value: Any, display: str, line: int, column: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        ts = pd.NaT
    if pd.isna(ts):
        raise InputError(f"cannot parse date {str(value)[:40]!r}", file=display, line=line, column=column,
                         expected="a date such as 2025-03-18 or 'Mon, 2 Apr 2007 19:18:42 GMT'")
    if ts.tzinfo is not None:
        ts = ts.tz_convert(None)
    return ts.normalize()


_AND = re.compile(r",\s*and\s+|\s+and\s+|,\s*")


def split_oai_authors(text: str) -> list[str]:
    """``"A. One, B. Two and C. Three"`` -> ``["A. One", "B. Two", "C. Three"]`` (OAI ``authors`` field)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    text = re.sub(r"\([^)]*\)", "", text)  # drop parenthesised affiliations
    return [a.strip() for a in _AND.split(text) if a.strip()]


def _oai_authors(rec: dict) -> list[str]:
    parsed = rec.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        out = []
        for part in parsed:
            if isinstance(part, list) and part:
                last = str(part[0]).strip()
                first = str(part[1]).strip() if len(part) > 1 else ""
                out.append(f"{first} {last}".strip())
        return out
    return split_oai_authors(str(rec.get("authors", "")))


def _arxiv_record(rec: dict, display: str, line: int) -> dict:
    doc_id = _require_str(rec, "id", display, line)
    title = " ".join(str(rec.get("title") or "").split())
    abstract = " ".join(str(rec.get("abstract") or "").split())
    cats = rec.get("categories")
    if isinstance(cats, str):
        cats = cats.split()
    if not isinstance(cats, list):
        raise InputError(f"{type(cats).__name__}", file=display, line=line, column="categories",
                         expected="a list of arXiv subjects or a space-separated string")
    if "announced" in rec:  # daily layout
        date, date_field = rec["announced"], "announced"
        authors = rec.get("authors") or []
        if not isinstance(authors, list):
            raise InputError(f"{type(authors).__name__}", file=display, line=line, column="authors", expected="a list of names")
    else:  # OAI / Kaggle layout: first version's creation date, else update_date
        versions = rec.get("versions")
        if isinstance(versions, list) and versions and isinstance(versions[0], dict) and versions[0].get("created"):
            date, date_field = versions[0]["created"], "versions[0].created"
        elif rec.get("update_date"):
            date, date_field = rec["update_date"], "update_date"
        else:
            raise InputError("missing", file=display, line=line, column="versions",
                             expected="an arXiv record with 'announced', 'versions[0].created' or 'update_date'")
        authors = _oai_authors(rec)
    return {"doc_id": doc_id, "date": date, "title": title, "abstract": abstract,
            "categories": [str(c) for c in cats], "citations": np.nan,
            "authors": [str(a).strip() for a in authors if str(a).strip()], "source_line": line, "date_field": date_field}


def _dates(raw: pd.Series, fields: pd.Series, lines: pd.Series, display: str) -> pd.Series:
    """Parse date strings at once (fast); the first bad one raises InputError naming its line and field."""
    text = raw.astype(str)
    iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if iso.any():
        out[iso] = pd.to_datetime(text[iso], format="%Y-%m-%d", errors="coerce")
    if (~iso).any():
        other = pd.to_datetime(text[~iso], format="mixed", errors="coerce", utc=True)
        out[~iso] = other.dt.tz_convert(None).dt.normalize()
    bad = out.isna()
    if bad.any():
        i = bad.idxmax()
        _parse_date(raw[i], display, int(lines[i]), str(fields[i]))
    return out


def _frame(rows: list[dict], display: str) -> pd.DataFrame:
    if not rows:
        raise InputError("no records", file=display, expected="at least one JSON object")
    frame = pd.DataFrame(rows)
    if "date_field" in frame:
        frame["date"] = _dates(frame["date"], frame["date_field"], frame["source_line"], display)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["year"] = frame["date"].dt.year.astype("int64")
    frame["source_file"] = display
    dup = frame["doc_id"].duplicated()
    if dup.any():
        first = frame.loc[dup].iloc[0]
        raise InputError(f"duplicate id {first['doc_id']!r}", file=display, line=int(first["source_line"]),
                         column="id", expected="unique ids")
    return frame[PAPER_COLUMNS]


def load_arxiv(path: str | Path, *, display: str | None = None, limit: int | None = None) -> Corpus:
    """arXiv metadata in the daily layout (``announced``, list ``authors``) or the OAI/Kaggle layout
    (``versions``, ``authors_parsed``, space-separated ``categories``); the layout is detected per record."""
    path = Path(path)
    display = display or path.name
    rows = []
    for line, rec in iter_json_lines(path, display):
        rows.append(_arxiv_record(rec, display, line))
        if limit is not None and len(rows) >= limit:
            break
    return Corpus("arxiv", _frame(rows, display), empty_affiliations(), (display,))


def openalex_abstract(inverted: Any) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index`` ({word: [positions]})."""
    if not isinstance(inverted, dict) or not inverted:
        return ""
    pos: dict[int, str] = {}
    for word, places in inverted.items():
        for p in places or ():
            pos[int(p)] = word
    return " ".join(pos[k] for k in sorted(pos))


def load_openalex(path: str | Path, *, display: str | None = None) -> Corpus:
    """OpenAlex works (JSON lines as returned by the API / snapshot): authorships with institutions and
    country codes become affiliation rows (weight 1/n per paper over its institution rows)."""
    path = Path(path)
    display = display or path.name
    rows, affs = [], []
    for line, rec in iter_json_lines(path, display):
        doc_id = _require_str(rec, "id", display, line).rsplit("/", 1)[-1]
        if rec.get("publication_date"):
            date = _parse_date(rec["publication_date"], display, line, "publication_date")
        elif isinstance(rec.get("publication_year"), int):
            date = pd.Timestamp(year=rec["publication_year"], month=7, day=1)
        else:
            raise InputError("missing", file=display, line=line, column="publication_date", expected="a date or publication_year")
        cites = rec.get("cited_by_count")
        if cites is not None and (not isinstance(cites, (int, float)) or cites < 0):
            raise InputError(f"{cites!r}", file=display, line=line, column="cited_by_count", expected="a non-negative number")
        concepts = [c.get("display_name") for c in rec.get("concepts") or [] if isinstance(c, dict) and c.get("display_name")]
        authorships = rec.get("authorships") or []
        if not isinstance(authorships, list):
            raise InputError(f"{type(authorships).__name__}", file=display, line=line, column="authorships", expected="a list")
        authors, insts = [], []
        for a in authorships:
            if not isinstance(a, dict):
                raise InputError("an authorship that is not an object", file=display, line=line, column="authorships")
            name = (a.get("author") or {}).get("display_name")
            if name:
                authors.append(name)
            for inst in a.get("institutions") or []:
                cc = inst.get("country_code")
                if cc is not None and not (isinstance(cc, str) and len(cc) == 2):
                    raise InputError(f"{cc!r}", file=display, line=line, column="authorships.institutions.country_code",
                                     expected="an ISO 3166 alpha-2 code")
                insts.append((inst.get("display_name") or inst.get("id") or "", cc.upper() if cc else None))
        located = [i for i in dict.fromkeys(insts) if i[1]]
        for inst, cc in located:
            affs.append({"doc_id": doc_id, "institution": inst, "country_code": cc, "region": None, "lat": np.nan,
                         "lon": np.nan, "weight": 1.0 / len(located), "match_score": 1.0, "method": "openalex"})
        rows.append({"doc_id": doc_id, "date": date, "title": str(rec.get("title") or rec.get("display_name") or ""),
                     "abstract": openalex_abstract(rec.get("abstract_inverted_index")), "categories": concepts,
                     "citations": float(cites) if cites is not None else np.nan, "authors": authors, "source_line": line})
    aff = pd.DataFrame(affs, columns=AFFILIATION_COLUMNS) if affs else empty_affiliations()
    return Corpus("openalex", _frame(rows, display), aff, (display,))


def load_epoch(data_dir: str | Path | None = None, *, models: pd.DataFrame | None = None) -> Corpus:
    """The Epoch "AI Models" export as a corpus: one row per named, dated model; domains as categories;
    affiliations from Epoch's organisation countries (weight 1/n over a model's countries).
    The country names are mapped to ISO codes by :func:`aiprogress.geography.countries.country_code`;
    ``Multinational`` and unmapped names are dropped from the affiliation rows (counted in ``notes``)."""
    from aiprogress.geography.countries import country_code

    if models is None:
        from aiprogress.data import load_table

        models = load_table("models", data_dir=data_dir)
    m = models[models["model"].notna() & models["publication_date"].notna()].reset_index(drop=True)
    domains = m["domain"].fillna("").map(lambda s: [d.strip() for d in s.split(",") if d.strip()])
    papers = pd.DataFrame({
        "doc_id": m["model"].astype(str) + " (" + m["publication_date"].dt.strftime("%Y-%m-%d") + ")",
        "date": m["publication_date"], "year": m["publication_date"].dt.year.astype("int64"),
        "title": m["reference"].fillna(m["model"]).astype(str), "abstract": m["abstract"].fillna("").astype(str),
        "categories": domains, "citations": m["citations"].astype(float), "authors": m["authors"],
        "source_file": m["source_file"], "source_line": m["source_line"].astype("int64"),
        "organization": m["organization"], "hardware": m["hardware"],
    })
    dup = papers["doc_id"].duplicated(keep=False)
    papers.loc[dup, "doc_id"] = papers.loc[dup, "doc_id"] + " #" + papers.loc[dup, "source_line"].astype(str)
    affs, unmapped = [], {}
    for doc_id, org, countries in zip(papers["doc_id"], m["organization"], m["countries"]):
        codes = []
        for name in countries or []:
            cc = country_code(name)
            if cc is None:
                unmapped[name] = unmapped.get(name, 0) + 1
            elif cc not in codes:
                codes.append(cc)
        for cc in codes:
            affs.append({"doc_id": doc_id, "institution": org, "country_code": cc, "region": None, "lat": np.nan,
                         "lon": np.nan, "weight": 1.0 / len(codes), "match_score": 1.0, "method": "epoch_country"})
    aff = pd.DataFrame(affs, columns=AFFILIATION_COLUMNS) if affs else empty_affiliations()
    files = tuple(sorted(set(m["source_file"].astype(str)))) or (EPOCH_FILE,)
    return Corpus("epoch", papers, aff, files, {"unmapped_countries": unmapped})
