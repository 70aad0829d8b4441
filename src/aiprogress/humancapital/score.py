"""Per-paper human-capital scores for Epoch models (the input S of the idea production function).

``score_teams(teams, dates)`` computes each team's features from the Epoch
models table's own author histories (earlier entries only; see
:mod:`aiprogress.humancapital.features`) and reads the human-capital unit of a
network:

* ``source="epoch"`` (default): the network trained on the Epoch corpus itself,
  with outcomes log(1 + total citations) and log(1 + citations per year);
* ``source="aan"`` or ``"paperscape"``: *transfer* -- the network trained on that
  corpus, applied to the Epoch-history features.  The feature definitions are
  the same, but the scales differ (Epoch lists only notable models, and its
  citation counts are totals from Google Scholar, not in-corpus counts), so the
  transferred score is an extrapolation; it is offered for comparison.

The score enters the idea production function as ``S = exp(unit)``: ``log S`` is
the unit itself (sd 1 on the training papers), so γ is the elasticity of
progress per standard deviation of learned human capital.

``linked_history(teams, dates, other)`` links the team's authors to another
corpus with :func:`aiprogress.humancapital.names.match_names` and counts their
papers and citations there before the date (reported as coverage, not used by
the network, whose inputs must match its training corpus).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.humancapital.corpus import CORPORA, Corpus, epoch_authors, epoch_corpus_from_models, load_corpus
from aiprogress.humancapital.features import FEATURE_NAMES, JUNIOR_MAX_PUBS, build_features, features_and_teams, team_features
from aiprogress.humancapital.model import TrainConfig
from aiprogress.humancapital.names import match_names
from aiprogress.results import Result, format_table, jsonable

#: A smaller network for the Epoch corpus (about 1,800 entries).
EPOCH_CONFIG = TrainConfig(hidden=(64, 32), max_epochs=150, patience=15, batch_size=128)


def config_for(source: str) -> TrainConfig:
    return EPOCH_CONFIG if source == "epoch" else TrainConfig()


def _epoch_corpus(models: pd.DataFrame | None, data_dir: Any, catalog: Any) -> Corpus:
    if models is None:
        return load_corpus("epoch", data_dir=data_dir, catalog=catalog)
    return epoch_corpus_from_models(models)


def score_teams(teams: list[list[str]], dates: list[Any] | pd.Series, *, models: pd.DataFrame | None = None,
                source: str = "epoch", data_dir: Any = None, catalog: Any = None, model_dir: Any = None,
                retrain: bool = False) -> pd.DataFrame:
    """Learned human capital of each team (raw Epoch author names) at its date; NaN for teams without authors."""
    from aiprogress.humancapital.pipeline import saved_network, train_or_load

    if source not in CORPORA:
        raise ParameterError("source", f"unknown source '{source}'", expected=" | ".join(CORPORA))
    corpus = _epoch_corpus(models, data_dir, catalog)
    keys = [tuple(epoch_authors(list(t))) for t in teams]
    dates = pd.to_datetime(pd.Series(list(dates)))
    ok = np.array([bool(k) for k in keys]) & dates.notna().to_numpy()
    query = ([k for k, g in zip(keys, ok) if g], dates[ok])
    feats = None
    if source == "epoch":
        # The Epoch network is trained on this very corpus.  A saved one with its data hash is reused without the
        # corpus's own feature table (which only training needs); else the table and the teams' features come
        # from one walk through the histories.
        saved = None if retrain else saved_network("epoch", config_for(source), corpus.data_hash, FEATURE_NAMES, model_dir)
        if saved is not None:
            net, path, data_hash = saved[0], saved[1], corpus.data_hash
        else:
            table, feats = features_and_teams(corpus, *query) if ok.any() else (build_features(corpus), None)
            t = train_or_load("epoch", config_for(source), model_dir=model_dir, retrain=retrain, table=table)
            net, path, data_hash = t.net, t.path, t.table.data_hash
    else:
        t = train_or_load(source, config_for(source), data_dir=data_dir, catalog=catalog, model_dir=model_dir, retrain=retrain)
        net, path, data_hash = t.net, t.path, t.table.data_hash
    out = pd.DataFrame({"hc_unit": np.nan, "human_capital": np.nan, "team_size": [len(k) for k in keys],
                        "prior_models": np.nan, "junior": pd.array([pd.NA] * len(keys), dtype="boolean")})
    if ok.any():
        if feats is None:
            feats = team_features(corpus, *query)
        from aiprogress.humancapital.features import FeatureTable

        meta = pd.DataFrame({"date": dates[ok].to_numpy()})
        unit = net.score_table(FeatureTable("query", feats, pd.DataFrame(index=feats.index), meta))
        out.loc[ok, "hc_unit"] = unit
        out.loc[ok, "human_capital"] = np.exp(unit)
        out.loc[ok, "prior_models"] = feats["prior_pubs_sum"].to_numpy()
        out.loc[ok, "junior"] = (feats["prior_pubs_max"] <= JUNIOR_MAX_PUBS).to_numpy()
    out.attrs.update({"source": source, "model_path": path, "data_hash": data_hash,
                      "transfer": source != "epoch"})
    return out


def linked_history(teams: list[list[str]], dates: list[Any] | pd.Series, other: Corpus) -> pd.DataFrame:
    """Authors of each team found in ``other`` (by the names rule) and their papers / citations there before the date."""
    keys = [epoch_authors(list(t)) for t in teams]
    cand = sorted({a for team in other.papers["authors"] for a in team})
    uniq = sorted({a for k in keys for a in k})
    m = match_names(uniq, cand)
    link = dict(zip(m["query"], m["match"]))
    linked = [tuple(link[a] for a in k if link.get(a)) for k in keys]
    dates = pd.to_datetime(pd.Series(list(dates)))
    out = pd.DataFrame({"linked_authors": [len(t) for t in linked], "team_size": [len(k) for k in keys]})
    has = np.array([bool(t) for t in linked]) & dates.notna().to_numpy()
    out["linked_prior_pubs"] = 0.0
    out["linked_prior_citations"] = 0.0
    if has.any():
        f = team_features(other, [t for t, h in zip(linked, has) if h], dates[has])
        out.loc[has, "linked_prior_pubs"] = f["prior_pubs_sum"].to_numpy()
        out.loc[has, "linked_prior_citations"] = f["prior_citations_sum"].to_numpy()
    out.attrs["rules"] = m["rule"].value_counts(dropna=False).to_dict()
    out.attrs["authors"] = len(uniq)
    out.attrs["authors_linked"] = int(m["match"].notna().sum())
    return out


@dataclass(frozen=True)
class Scores(Result):
    """Learned human capital per Epoch model entry."""

    source: str
    transfer: bool
    scores: pd.DataFrame
    coverage: dict[str, Any]
    model_path: str
    files: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.scores

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "transfer": self.transfer, "coverage": jsonable(self.coverage), "model_path": self.model_path,
                "files": list(self.files), "notes": list(self.notes), "scores": jsonable(self.scores)}

    def summary(self) -> str:
        top = self.scores.dropna(subset=["hc_unit"]).sort_values("hc_unit", ascending=False).head(15)
        cols = [c for c in ("model", "publication_date", "team_size", "prior_models", "hc_unit", "linked_authors") if c in top.columns]
        lines = [format_table(top[cols], title=f"Learned human capital (network: {self.source}{', transferred' if self.transfer else ''}) -- top 15", floatfmt="{:.3f}")]
        lines.append("coverage: " + ", ".join(f"{k} {v}" for k, v in self.coverage.items()))
        lines.extend(f"- {n}" for n in self.notes)
        return "\n".join(lines)


def score_epoch(*, source: str = "epoch", link: str | None = "aan", data_dir: Any = None, catalog: Any = None,
                model_dir: Any = None, retrain: bool = False) -> Scores:
    """Scores for every entry of the Epoch models table, with cross-source author linking for coverage."""
    from aiprogress.data import load_table

    models = load_table("models", catalog=catalog, data_dir=data_dir)
    corpus = epoch_corpus_from_models(models)
    dates = pd.to_datetime(models["publication_date"], errors="coerce")
    s = score_teams(list(models["authors"]), dates, models=models, source=source, data_dir=data_dir, catalog=catalog,
                    model_dir=model_dir, retrain=retrain)
    frame = pd.concat([models[["model", "publication_date", "arxiv_id"]].reset_index(drop=True), s], axis=1)
    frame["reference"] = models.get("reference", pd.Series("", index=models.index)).reset_index(drop=True)
    cov: dict[str, Any] = {"entries": len(models), "scored": int(frame["hc_unit"].notna().sum())}
    notes = ["S = exp(unit); log S is the human-capital unit (sd 1 on the training papers)"]
    if s.attrs.get("transfer"):
        notes.append(f"transfer: network trained on {source}, applied to Epoch-history features (scales differ; an extrapolation)")
    files = list(corpus.files)
    if link:
        other = load_corpus(link, data_dir=data_dir, catalog=catalog)
        lk = linked_history(list(models["authors"]), dates, other)
        frame["linked_authors"] = lk["linked_authors"].to_numpy()
        frame[f"{link}_prior_pubs"] = lk["linked_prior_pubs"].to_numpy()
        cov[f"authors_linked_to_{link}"] = f"{lk.attrs['authors_linked']} of {lk.attrs['authors']}"
        cov[f"entries_with_a_{link}_author"] = int((lk["linked_authors"] > 0).sum())
        cov["link_rules"] = {str(k): int(v) for k, v in lk.attrs["rules"].items()}
        files += list(other.files)
        notes.append(f"author names linked to {link} by the rule of aiprogress.humancapital.names (same family name; given names "
                     "by rapidfuzz ratio >= 90 or matching initials; ambiguous names left out)")
    return Scores(source, bool(s.attrs.get("transfer")), frame, cov, s.attrs.get("model_path", ""), tuple(files), tuple(notes))
