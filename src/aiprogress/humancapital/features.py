"""Team features at publication time (no leakage) and the outcomes to predict.

Author histories.  Papers are processed in order of ``period`` (months).  For
all papers of one period the features are read from a state that holds only
papers and citations of *earlier* periods; then the period's papers and the
citations they make are added to the state.  So nothing dated at or after a
paper's publication enters its features (for AAN, dated by year, "earlier"
means an earlier year).

Per author, at the paper's date:

``prior_pubs``, ``prior_citations`` (citations received so far by the
author's earlier papers, excluding self-citations: a citing paper sharing an
author with the cited one does not count), ``h_index`` (on those counts),
``years_active`` (since the first paper), ``cites_per_pub``, ``max_paper_cites``,
``n_venues`` (distinct venues so far), ``share_main_venue`` (share of earlier
papers outside workshops), ``venue_quality`` (mean quality of the venues of
the earlier papers, each venue's quality as known when that paper appeared),
``n_coauthors`` (distinct earlier co-authors) and ``recent_pubs`` (earlier
papers in the last 36 months).

Team aggregates: ``team_size``, ``share_junior`` (authors with <= 2 prior
papers), and the max, mean and sum of every author feature, plus the first
and last author's prior papers and h-index.  A team is *junior* when no author
has more than :data:`JUNIOR_MAX_PUBS` prior papers (Besiroglu et al. App. H).

Corpora without citation edges (Epoch) use each earlier entry's total citation
count, which includes citations made after the paper -- a look-ahead in the
counts of *earlier* work (never the paper's own), stated in the notes.

Venue quality of venue ``v`` at period ``t``: the mean number of citations
received within 24 months by the papers ``v`` published at least 36 months
before ``t`` (so both the papers and their citation windows lie before ``t``).

Outcomes: ``cit_1y``, ``cit_2y``, ``cit_5y`` -- in-corpus citations within
12, 24, 60 months of publication (inclusive; same year + next year for AAN),
undefined (NaN) when the window runs past the end of the corpus; and
``venue_rank`` -- the percentile rank in [0, 1] of the paper's venue quality
among the venues with a defined quality at the paper's date.  Epoch:
``log_citations`` and ``citations_per_year`` from the entries' total counts.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from aiprogress.humancapital.corpus import Corpus, period_of
from aiprogress.results import Result, format_table

JUNIOR_MAX_PUBS = 2
VENUE_WINDOW_MONTHS = 24
VENUE_LAG_MONTHS = 36
RECENT_MONTHS = 36
AUTHOR_FEATURES = (
    "prior_pubs", "prior_citations", "h_index", "years_active", "cites_per_pub", "max_paper_cites",
    "n_venues", "share_main_venue", "venue_quality", "n_coauthors", "recent_pubs",
)
CITATION_OUTCOMES = {"cit_1y": 12, "cit_2y": 24, "cit_5y": 60}
BASELINES = {"h_index": "h_index_max", "prior_citations": "prior_citations_sum", "prior_pubs": "prior_pubs_sum"}


def h_index(counts: list[int] | np.ndarray) -> int:
    c = np.sort(np.asarray(counts, dtype=float))[::-1]
    return int(np.sum(c >= np.arange(1, len(c) + 1)))


def citations_within(corpus: Corpus, months: int) -> np.ndarray:
    """Citations each paper receives from papers dated within ``months`` after it (NaN past the corpus end)."""
    p = corpus.papers
    per = pd.Series(p["period"].to_numpy(), index=p["paper_id"])
    e = corpus.citations
    n = np.zeros(len(p))
    if len(e):
        lag = e["citing"].map(per).to_numpy() - e["cited"].map(per).to_numpy()
        ok = (lag >= 0) & (lag <= months)
        pos = pd.Series(np.arange(len(p)), index=p["paper_id"])
        np.add.at(n, e["cited"][ok].map(pos).to_numpy(), 1)
    n[p["period"].to_numpy() + months > corpus.last_period] = np.nan
    return n


def venue_quality(corpus: Corpus) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``q(venues, periods)``: each venue's quality as known at each period (see module docs)."""
    p = corpus.papers
    c2 = citations_within(corpus, VENUE_WINDOW_MONTHS)
    table: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    frame = pd.DataFrame({"venue": p["venue"].to_numpy(), "period": p["period"].to_numpy(), "c2": c2}).dropna()
    for v, g in frame.sort_values("period", kind="stable").groupby("venue", sort=False):
        table[v] = (g["period"].to_numpy(), np.cumsum(g["c2"].to_numpy()))

    def q(venues: np.ndarray, periods: np.ndarray) -> np.ndarray:
        out = np.full(len(venues), np.nan)
        for i, (v, t) in enumerate(zip(venues, periods)):
            if v in table:
                per, cum = table[v]
                k = np.searchsorted(per, t - VENUE_LAG_MONTHS, side="right")
                if k:
                    out[i] = cum[k - 1] / k
        return out

    return q


def venue_rank(corpus: Corpus, q: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    p = corpus.papers
    venues = np.array(sorted(p["venue"].unique()))
    out = np.full(len(p), np.nan)
    for t, idx in p.groupby("period").indices.items():
        allq = q(venues, np.full(len(venues), t))
        allq = np.sort(allq[np.isfinite(allq)])
        if not len(allq):
            continue
        mine = q(p["venue"].to_numpy()[idx], np.full(len(idx), t))
        lo = np.searchsorted(allq, mine, side="left")
        hi = np.searchsorted(allq, mine, side="right")
        out[idx] = np.where(np.isfinite(mine), (lo + 0.5 * (hi - lo)) / len(allq), np.nan)
    return out


@dataclass(frozen=True)
class FeatureTable(Result):
    """Team features, outcomes and per-paper metadata of one corpus (rows aligned)."""

    corpus: str
    features: pd.DataFrame
    outcomes: pd.DataFrame
    meta: pd.DataFrame
    files: tuple[str, ...] = ()
    data_hash: str = ""
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.features)

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([self.meta, self.features, self.outcomes], axis=1)

    def describe(self) -> pd.DataFrame:
        rows = []
        for name, frame in (("feature", self.features), ("outcome", self.outcomes)):
            for c in frame.columns:
                v = frame[c]
                rows.append({"kind": name, "column": c, "n": int(v.notna().sum()), "mean": float(v.mean()), "sd": float(v.std()), "max": float(v.max())})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        from aiprogress.results import jsonable

        return {"corpus": self.corpus, "papers": self.n, "junior_share": float(self.meta["junior"].mean()),
                "features": list(self.features.columns), "outcomes": list(self.outcomes.columns),
                "columns": jsonable(self.describe()), "files": list(self.files), "data_hash": self.data_hash, "notes": list(self.notes)}

    def summary(self) -> str:
        head = f"{self.corpus}: {self.n} papers, {self.meta['junior'].mean():.1%} junior teams (<= {JUNIOR_MAX_PUBS} prior papers each)"
        return format_table(self.describe(), title=head) + "\n" + "\n".join(f"- {n}" for n in self.notes)


def _author_row(st: dict[str, Any], ncit: np.ndarray, t: int) -> list[float]:
    pubs = st["pubs"]
    n = len(pubs)
    if not n:
        return [0.0] * len(AUTHOR_FEATURES)
    counts = ncit[pubs]
    total = float(counts.sum())
    return [
        float(n), total, float(h_index(counts)), (t - st["first"]) / 12.0, total / n, float(counts.max()),
        float(len(st["venues"])), st["main"] / n, st["vq_sum"] / st["vq_n"] if st["vq_n"] else 0.0,
        # "coauthors" holds the author too (one C-level set update per paper, not a loop over the team);
        # "periods" grows in walk order, so it is sorted and the recent papers are a suffix
        float(len(st["coauthors"]) - 1), float(n - bisect_left(st["periods"], t - RECENT_MONTHS)),
    ]


FEATURE_NAMES = ["team_size", "share_junior"] + [f"{f}_{agg}" for agg in ("max", "mean", "sum") for f in AUTHOR_FEATURES] + [
    "first_prior_pubs", "first_h_index", "last_prior_pubs", "last_h_index"]


def _walk(corpus: Corpus, queries: list[tuple[tuple[str, ...], int]] | None = None,
          progress: Callable[[int], None] | None = None,
          paper_rows: bool = True) -> tuple[list[np.ndarray | None], list[np.ndarray]]:
    """Team feature rows of every paper (None without authors) and of every query ``(team, period)``.

    Queries are read at their period like papers but never added to the history.  With
    ``paper_rows=False`` the papers' rows are not computed (all None; the history is the same).
    """
    p = corpus.papers
    n_papers = len(p)
    pos = {pid: i for i, pid in enumerate(p["paper_id"])}
    authors = p["authors"].tolist()
    periods = p["period"].to_numpy()
    venues = p["venue"].to_numpy()
    static = "total_citations" in p.columns and len(corpus.citations) == 0
    static_cit = pd.to_numeric(p["total_citations"], errors="coerce").fillna(0).to_numpy() if static else None
    vq_at = venue_quality(corpus)(venues, periods)  # each paper's venue quality as known at its own date
    e = corpus.citations
    by_period: dict[int, list[tuple[int, int]]] = {}
    if len(e):
        for a, b in zip(e["citing"].map(pos).to_numpy(), e["cited"].map(pos).to_numpy()):
            by_period.setdefault(int(periods[a]), []).append((int(a), int(b)))
    queries = queries or []
    q_by_period: dict[int, list[int]] = {}
    for j, (_, t) in enumerate(queries):
        q_by_period.setdefault(int(t), []).append(j)
    p_by_period: dict[int, list[int]] = {}
    for i in np.argsort(periods, kind="stable"):
        p_by_period.setdefault(int(periods[i]), []).append(int(i))

    ncit = np.zeros(n_papers)  # non-self citations received so far
    state: dict[str, dict[str, Any]] = {}
    # without the papers' rows only the queried authors' histories are read, so only theirs are kept
    # (the citation counts ncit do not depend on the author states)
    tracked = None if paper_rows else {a for team, _ in queries for a in team}
    k = len(AUTHOR_FEATURES)

    def team_row(team: tuple[str, ...], t: int) -> np.ndarray:
        mat = np.array([_author_row(state[a], ncit, t) if a in state else [0.0] * k for a in team])
        first, last = mat[0], mat[-1]
        return np.concatenate([[len(team), float(np.mean(mat[:, 0] <= JUNIOR_MAX_PUBS))], mat.max(axis=0), mat.mean(axis=0),
                               mat.sum(axis=0), [first[0], first[2], last[0], last[2]]])

    rows: list[np.ndarray | None] = [None] * n_papers
    q_rows: list[np.ndarray] = [np.full(len(FEATURE_NAMES), np.nan)] * len(queries)
    for t in sorted(set(p_by_period) | set(q_by_period)):
        idx = p_by_period.get(t, [])
        for i in idx if paper_rows else ():
            if authors[i]:
                rows[i] = team_row(authors[i], t)
        for j in q_by_period.get(t, []):
            if queries[j][0]:
                q_rows[j] = team_row(tuple(queries[j][0]), t)
        # add this period's papers, then the citations they make
        for i in idx:
            team = authors[i]
            if static:
                ncit[i] = static_cit[i]
            v, main, vq = venues[i], 0 if str(venues[i]).startswith("W:") else 1, vq_at[i]
            has_vq = bool(np.isfinite(vq))
            for a in team if tracked is None else [a for a in team if a in tracked]:
                st = state.get(a)
                if st is None:
                    st = state[a] = {"pubs": [], "periods": [], "first": t, "venues": set(), "main": 0,
                                     "vq_sum": 0.0, "vq_n": 0, "coauthors": set()}
                st["pubs"].append(i)
                st["periods"].append(t)
                st["venues"].add(v)
                st["main"] += main
                if has_vq:
                    st["vq_sum"] += vq
                    st["vq_n"] += 1
                st["coauthors"].update(team)
        for a, b in by_period.get(t, []):
            if set(authors[a]) & set(authors[b]):
                continue  # self-citation
            ncit[b] += 1
        if progress is not None and idx:
            progress(len(idx))
    return rows, q_rows


def _queries(teams: list[tuple[str, ...]], dates: pd.Series | list) -> list[tuple[tuple[str, ...], int]]:
    periods = period_of(pd.Series(pd.to_datetime(list(dates))))
    return [(tuple(t), int(p)) for t, p in zip(teams, periods)]


def _query_frame(q_rows: list[np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame(np.vstack(q_rows) if q_rows else np.zeros((0, len(FEATURE_NAMES))), columns=FEATURE_NAMES)


def team_features(corpus: Corpus, teams: list[tuple[str, ...]], dates: pd.Series | list) -> pd.DataFrame:
    """Features of arbitrary teams at given dates from the corpus's history (earlier periods only)."""
    _, q_rows = _walk(corpus, _queries(teams, dates), paper_rows=False)
    return _query_frame(q_rows)


def features_and_teams(corpus: Corpus, teams: list[tuple[str, ...]], dates: pd.Series | list) -> tuple[FeatureTable, pd.DataFrame]:
    """:func:`build_features` and :func:`team_features` from ONE walk through the corpus's history.

    Queries are read, never added to the history, so both results equal those of the two separate calls.
    """
    rows, q_rows = _walk(corpus, _queries(teams, dates))
    return _feature_table(corpus, rows), _query_frame(q_rows)


def build_features(corpus: Corpus, progress: Callable[[int], None] | None = None) -> FeatureTable:
    """Team features (at publication, from earlier periods only) and outcomes for every paper with authors."""
    rows, _ = _walk(corpus, progress=progress)
    return _feature_table(corpus, rows)


def _feature_table(corpus: Corpus, rows: list[np.ndarray | None]) -> FeatureTable:
    p = corpus.papers
    static = "total_citations" in p.columns and len(corpus.citations) == 0
    keep = np.array([r is not None for r in rows])
    feats = pd.DataFrame(np.vstack([r for r in rows if r is not None]) if keep.any() else np.zeros((0, len(FEATURE_NAMES))), columns=FEATURE_NAMES)
    sub = p[keep].reset_index(drop=True)
    meta = pd.DataFrame({
        "paper_id": sub["paper_id"], "date": sub["date"], "period": sub["period"], "venue": sub["venue"],
        "junior": feats["prior_pubs_max"].to_numpy() <= JUNIOR_MAX_PUBS,
    })
    notes = [f"{int((~keep).sum())} papers without authors skipped", "features use only papers and citations dated before each paper"]
    if static:
        cit = pd.to_numeric(sub["total_citations"], errors="coerce")
        age = np.maximum((pd.Timestamp(sub["date"].max()) - sub["date"]).dt.days / 365.25, 0.5)
        outcomes = pd.DataFrame({"log_citations": np.log1p(cit), "citations_per_year": np.log1p(cit / age)})
        notes.append("Epoch: prior citations are the current total counts of the authors' earlier entries (look-ahead in earlier work's counts); "
                     "outcomes log(1 + total citations) and log(1 + citations per year since publication)")
    else:
        outcomes = pd.DataFrame({name: np.log1p(citations_within(corpus, m)[keep]) for name, m in CITATION_OUTCOMES.items()})
        outcomes["venue_rank"] = venue_rank(corpus, venue_quality(corpus))[keep]
        notes.append("citation outcomes are log(1 + in-corpus citations within 1, 2, 5 years), NaN past the corpus end; "
                     f"venue_rank = percentile of the venue's mean {VENUE_WINDOW_MONTHS}-month citations over papers >= {VENUE_LAG_MONTHS} months older")
    return FeatureTable(corpus.name, feats, outcomes, meta, corpus.files, corpus.data_hash, tuple(notes))
