"""Affiliation geocoding: institution strings -> country (and region) by exact then fuzzy matching;
coordinates -> admin-1 region; arXiv authors -> countries through the Epoch models' author lists.

Matching (after the paper's GRID step, with ROR + the world universities list as the register):

1. names are normalised (lower case, accents and punctuation removed, a trailing
   parenthesised country as in ROR's ``"Google (Canada)"`` stripped);
2. an exact hit on a normalised register name scores 1;
3. a string already matched reuses its earlier match (memo);
4. otherwise the best register name by the paper's Eq. 1, the mean of the squared
   rapidfuzz scores ``(token_sort_ratio/100)^2`` and ``(partial_ratio/100)^2``; a match is
   kept if that score is at least ``min_score`` (default 0.8).

A normalised name that the register lists in several countries (``Google`` has ROR entries in
CA, CH, GB, IE, US ...) is *ambiguous* (unless ROR lists it in exactly one country, which then wins): it is not located (``country_code`` None, ``method``
``"ambiguous"``) rather than guessed. Every match keeps its score.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from aiprogress.errors import DataNotFoundError, InputError, ParameterError
from aiprogress.geography.corpus import AFFILIATION_COLUMNS, Corpus, empty_affiliations

ROR_FILE = "geography/ror_organisations.csv"
UNIS_FILE = "geography/world_universities_and_domains.json"
_PAREN_TAIL = re.compile(r"\s*\([^)]*\)\s*$")


def normalise(name: str) -> str:
    """Lower case, no accents, no punctuation, single spaces; ROR's trailing ``(Country)`` removed."""
    s = _PAREN_TAIL.sub("", str(name or ""))
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"&", " and ", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def load_register(data_dir: str | Path | None = None) -> pd.DataFrame:
    """ROR organisations + world universities: name, norm, country_code, region, source."""
    from aiprogress.paths import resolve_data_dir

    root = resolve_data_dir(data_dir)
    ror_p, uni_p = root / ROR_FILE, root / UNIS_FILE
    for p, d in ((ror_p, ROR_FILE), (uni_p, UNIS_FILE)):
        if not p.is_file():
            raise DataNotFoundError(f"{d}: file not found at {p} (pass --data-dir)")
    ror = pd.read_csv(ror_p, dtype=str, keep_default_na=False)
    for col in ("name", "country_code"):
        if col not in ror.columns:
            raise InputError("missing column", file=ROR_FILE, column=col, expected="name,country_code,country_name,types")
    try:
        unis = json.loads(uni_p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", file=UNIS_FILE, line=exc.lineno) from None
    if not isinstance(unis, list):
        raise InputError("not a list", file=UNIS_FILE, expected="a JSON list of universities")
    uni = pd.DataFrame({"name": [u.get("name", "") for u in unis],
                        "country_code": [u.get("alpha_two_code") or "" for u in unis],
                        "region": [u.get("state-province") for u in unis]})
    reg = pd.concat([ror.assign(region=None, source="ror")[["name", "country_code", "region", "source"]],
                     uni.assign(source="universities")], ignore_index=True)
    reg["country_code"] = reg["country_code"].str.upper()
    reg = reg[(reg["name"].str.len() > 0) & (reg["country_code"].str.len() == 2)]
    reg["norm"] = reg["name"].map(normalise)
    return reg[reg["norm"].str.len() > 1].reset_index(drop=True)


@dataclass(frozen=True)
class Match:
    query: str
    matched: str | None
    country_code: str | None
    region: str | None
    score: float
    method: str  # exact | fuzzy | memo | ambiguous | none


class OrgMatcher:
    """Exact-then-fuzzy matcher of institution strings against the register (see the module docstring)."""

    def __init__(self, register: pd.DataFrame, min_score: float = 0.8, candidates: int = 15) -> None:
        if not 0 < min_score <= 1:
            raise ParameterError("min_score", f"{min_score}", expected="a number in (0, 1]")
        self.min_score = float(min_score)
        self.candidates = int(candidates)
        # ROR (curated, like the paper's GRID) decides when it lists the name in one country only.
        allc: dict[str, dict[str, None]] = {}
        rorc: dict[str, dict[str, None]] = {}
        self._names: dict[str, str] = {}
        self._regions: dict[str, str | None] = {}
        for norm, name, cc, region, src in zip(register["norm"], register["name"], register["country_code"],
                                               register["region"], register["source"]):
            allc.setdefault(norm, {})[cc] = None
            if src == "ror":
                rorc.setdefault(norm, {})[cc] = None
            self._names.setdefault(norm, name)
            if isinstance(region, str) and region and norm not in self._regions:
                self._regions[norm] = region
        self._countries = {n: tuple(rorc[n]) if len(rorc.get(n, ())) == 1 else tuple(c) for n, c in allc.items()}
        self._norms = list(self._countries)
        self._memo: dict[str, Match] = {}

    def _result(self, query: str, norm: str, score: float, method: str) -> Match:
        ccs = self._countries[norm]
        if len(ccs) > 1:
            return Match(query, self._names[norm], None, None, score, "ambiguous")
        return Match(query, self._names[norm], ccs[0], self._regions.get(norm), score, method)

    def match(self, query: str) -> Match:
        norm = normalise(query)
        if norm in self._memo:
            m = self._memo[norm]
            return Match(query, m.matched, m.country_code, m.region, m.score, "memo" if m.method != "none" else "none")
        if not norm:
            return Match(query, None, None, None, 0.0, "none")
        if norm in self._countries:
            out = self._result(query, norm, 1.0, "exact")
        else:
            from rapidfuzz import fuzz, process

            cands = process.extract(norm, self._norms, scorer=fuzz.token_sort_ratio, processor=None,
                                    limit=self.candidates, score_cutoff=100 * np.sqrt(max(2 * self.min_score - 1, 0)))
            best, best_score = None, -1.0
            for cand, ts, _ in cands:
                pr = fuzz.partial_ratio(norm, cand)
                s = ((ts / 100) ** 2 + (pr / 100) ** 2) / 2  # the paper's Eq. 1 with N = 2
                if s > best_score:
                    best, best_score = cand, s
            if best is not None and best_score >= self.min_score:
                out = self._result(query, best, float(best_score), "fuzzy")
            else:
                out = Match(query, None, None, None, float(max(best_score, 0.0)), "none")
        self._memo[norm] = out
        return out

    def match_many(self, queries: Iterable[str], progress: Callable[[int], None] | None = None) -> pd.DataFrame:
        rows = []
        for q in queries:
            rows.append(self.match(q).__dict__)
            if progress is not None:
                progress(1)
        return pd.DataFrame(rows, columns=["query", "matched", "country_code", "region", "score", "method"])


@functools.lru_cache(maxsize=2)
def _matcher(root: str, min_score: float) -> OrgMatcher:
    return OrgMatcher(load_register(root), min_score=min_score)


def matcher(data_dir: str | Path | None = None, min_score: float = 0.8) -> OrgMatcher:
    from aiprogress.paths import resolve_data_dir

    return _matcher(str(resolve_data_dir(data_dir).resolve()), float(min_score))


def admin1_regions(lat: Iterable[float], lon: Iterable[float]) -> pd.DataFrame:
    """Coordinates -> nearest populated place's country code and admin-1 region (offline ``reverse_geocoder``)."""
    lat, lon = np.asarray(list(lat), float), np.asarray(list(lon), float)
    ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    out = pd.DataFrame({"country_code": [None] * len(lat), "region": [None] * len(lat)}, dtype=object)
    if ok.any():
        import reverse_geocoder as rg

        with contextlib.redirect_stdout(io.StringIO()):  # the package prints a loading message on stdout
            hits = rg.search(list(zip(lat[ok], lon[ok])), mode=1)
        idx = np.flatnonzero(ok)
        out.loc[idx, "country_code"] = [h["cc"] for h in hits]
        out.loc[idx, "region"] = [h["admin1"] or None for h in hits]
    return out


def fill_regions(aff: pd.DataFrame) -> pd.DataFrame:
    """Fill ``region`` (and a missing ``country_code``) from ``lat``/``lon`` where coordinates are known."""
    aff = aff.copy()
    has = aff["lat"].notna() & aff["lon"].notna() & aff["region"].isna()
    if has.any():
        geo = admin1_regions(aff.loc[has, "lat"], aff.loc[has, "lon"])
        aff.loc[has, "region"] = geo["region"].to_numpy()
        miss = has & aff["country_code"].isna()
        aff.loc[miss, "country_code"] = geo.loc[miss[has].to_numpy(), "country_code"].to_numpy()
    return aff


def geocode_institutions(corpus: Corpus, data_dir=None, min_score: float = 0.8,
                         progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Match every distinct institution string of ``corpus.affiliations`` (comma-separated lists are split)."""
    names = corpus.affiliations["institution"].dropna().astype(str)
    parts = sorted({p.strip() for n in names for p in n.split(",") if p.strip()})
    return matcher(data_dir, min_score).match_many(parts, progress=progress)


# --- arXiv authors -> countries through Epoch's author lists -----------------------------------

def author_key(name: str) -> str:
    """Author names compared as lower-case ASCII tokens (``"Moreno D'Incà"`` -> ``"moreno d inca"``)."""
    return normalise(name)


AUTHOR_RULE = (
    "an author name (lower-case ASCII, at least two tokens) found in Epoch's author lists gets the countries of "
    "the models it appears on, each model's countries sharing weight 1/n; the name is located in country c when c "
    "holds at least {share:.0%} of its weight, otherwise it is ambiguous and dropped; a paper's affiliation rows "
    "are its located authors' countries, weighted by their share of the paper's located authors."
)


def author_profiles(models: pd.DataFrame, min_share: float = 2 / 3) -> pd.DataFrame:
    """Epoch author name -> dominant country (see :data:`AUTHOR_RULE`): key, country_code, share, organization, n_models."""
    from aiprogress.geography.countries import country_code

    rows = []
    for authors, countries, org in zip(models["authors"], models["countries"], models["organization"]):
        codes = list(dict.fromkeys(c for c in (country_code(x) for x in countries or []) if c))
        if not codes or not authors:
            continue
        for a in authors:
            key = author_key(a)
            if len(key.split()) < 2:
                continue
            for c in codes:
                rows.append((key, c, 1.0 / len(codes), org))
    if not rows:
        return pd.DataFrame(columns=["key", "country_code", "share", "organization", "n_models"])
    df = pd.DataFrame(rows, columns=["key", "country_code", "w", "organization"])
    tot = df.groupby("key")["w"].sum()
    by = df.groupby(["key", "country_code"]).agg(w=("w", "sum"), organization=("organization", "first")).reset_index()
    by["share"] = by["w"] / by["key"].map(tot)
    top = by.sort_values(["key", "share"], ascending=[True, False]).drop_duplicates("key")
    top["n_models"] = top["key"].map(df.drop_duplicates(["key", "organization"]).groupby("key").size())
    top["ambiguous"] = top["share"] < min_share
    return top[["key", "country_code", "share", "organization", "n_models", "ambiguous"]].reset_index(drop=True)


def link_authors(papers: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """Affiliation rows for papers from their authors' Epoch profiles (ambiguous names dropped)."""
    prof = profiles[~profiles["ambiguous"]].set_index("key")
    if prof.empty:
        return empty_affiliations()
    exploded = papers[["doc_id", "authors"]].explode("authors").dropna(subset=["authors"])
    exploded["key"] = exploded["authors"].map(author_key)
    hit = exploded[exploded["key"].isin(prof.index)].drop_duplicates(["doc_id", "key"])
    if hit.empty:
        return empty_affiliations()
    hit = hit.join(prof, on="key")
    n = hit.groupby("doc_id")["key"].transform("size")
    hit["w"] = 1.0 / n
    agg = hit.groupby(["doc_id", "country_code"]).agg(weight=("w", "sum"), match_score=("share", "mean"),
                                                      institution=("organization", "first")).reset_index()
    agg["region"], agg["lat"], agg["lon"], agg["method"] = None, np.nan, np.nan, "epoch_author"
    return agg[AFFILIATION_COLUMNS]


def precision_check(labels: pd.DataFrame, matches: pd.DataFrame) -> dict:
    """Compare matcher output with hand labels (columns ``institution``, ``country_code``).

    Returns n, located (share matched to a country), precision (share of located rows whose
    country equals the hand label) and the mismatches."""
    m = labels.merge(matches, left_on="institution", right_on="query", how="left", suffixes=("_label", ""))
    located = m["country_code"].notna()
    correct = located & (m["country_code"] == m["country_code_label"])
    return {"n": int(len(m)), "located": int(located.sum()), "coverage": float(located.mean()) if len(m) else float("nan"),
            "correct": int(correct.sum()), "precision": float(correct.sum() / located.sum()) if located.any() else float("nan"),
            "mismatches": m.loc[located & ~correct, ["institution", "country_code_label", "matched", "country_code", "score"]]
            .to_dict(orient="records")}
