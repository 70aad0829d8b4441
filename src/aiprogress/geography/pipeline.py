"""The geography pipeline for one corpus: load -> locate -> classify (cached) -> analysis frame.

Corpora (``name``): ``arxiv`` (the shared 2025-03..2026-07 daily corpus, or ``path`` to an arXiv
OAI/Kaggle snapshot), ``epoch`` (the Epoch models export), ``openalex`` (``path`` to OpenAlex works).

Locating: OpenAlex and Epoch rows come with countries; arXiv authors are linked to countries
through the Epoch models' author lists (:data:`aiprogress.geography.geocode.AUTHOR_RULE`).

Caching: fitted topic models and per-document labels live in ``<cache>/geography``
(``~/.cache/aiprogress/geography`` by default, ``$AIPROGRESS_GEO_CACHE`` to override), keyed by
a fingerprint of the corpus text and the fit settings; ``refit=True`` ignores them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from aiprogress.errors import ParameterError
from aiprogress.geography import classify as C
from aiprogress.geography.corpus import ARXIV_FILE, Corpus, load_arxiv, load_epoch, load_openalex

CORPORA = ("arxiv", "epoch", "openalex")
# Fit settings per corpus: the arXiv corpus is fitted on a seeded sample; Epoch (~1,800 usable
# abstracts) on all its documents with a smaller grid and vocabulary.
FIT_SETTINGS: dict[str, dict[str, Any]] = {
    "arxiv": {},
    "epoch": {"fit_docs": 0, "topic_grid": (6, 10, 14, 18), "select_docs": 2000, "max_features": 1500, "min_df": 5},
    "openalex": {"fit_docs": 0, "topic_grid": (4, 6, 8), "max_features": 2000, "min_df": 2, "min_tokens": 5},
}


def cache_root() -> Path:
    env = os.environ.get("AIPROGRESS_GEO_CACHE")
    if env:
        return Path(env).expanduser()
    from aiprogress.paths import cache_dir

    return cache_dir() / "geography"


def load_corpus(name: str, data_dir: str | Path | None = None, path: str | Path | None = None) -> Corpus:
    from aiprogress.paths import resolve_data_dir

    if name not in CORPORA:
        raise ParameterError("corpus", f"'{name}'", expected=", ".join(CORPORA))
    if name == "arxiv":
        if path is not None:
            return load_arxiv(path)
        return load_arxiv(resolve_data_dir(data_dir) / ARXIV_FILE, display=ARXIV_FILE)
    if name == "epoch":
        return load_epoch(data_dir)
    if path is None:
        raise ParameterError("path", "an OpenAlex corpus needs --path", expected="a JSON-lines file of OpenAlex works")
    return load_openalex(path)


def locate(corpus: Corpus, data_dir: str | Path | None = None) -> Corpus:
    """Add affiliation rows where the corpus has none (arXiv: through Epoch authors); fill regions from coordinates."""
    from aiprogress.geography import geocode

    if corpus.name == "arxiv" and corpus.affiliations.empty:
        from aiprogress.data import load_table

        prof = geocode.author_profiles(load_table("models", data_dir=data_dir))
        aff = geocode.link_authors(corpus.papers, prof)
        return corpus.with_affiliations(aff, located_by="epoch authors", author_rule=geocode.AUTHOR_RULE.format(share=2 / 3),
                                        author_names=int(len(prof)), ambiguous_names=int(prof["ambiguous"].sum()))
    if corpus.affiliations["lat"].notna().any():
        return corpus.with_affiliations(geocode.fill_regions(corpus.affiliations))
    return corpus


@dataclass(frozen=True)
class Classified:
    labels: pd.DataFrame  # doc_id, dl, dl_corex, dl_keyword, short, dl_score, n_tokens
    model: C.DLModel
    model_path: Path | None
    model_cached: bool
    fit_seconds: float
    classify_seconds: float
    labels_cached: bool
    gamma: float
    info: dict[str, Any] = field(default_factory=dict)


def classify_corpus(corpus: Corpus, *, gamma: float = 0.5, seed: int = 0, refit: bool = False, scheduler: Any = None,
                    cache: str | Path | None | bool = True, chunk_size: int = 5000,
                    progress: Callable[[int], None] | None = None, fit_progress: Callable[[int], None] | None = None) -> Classified:
    """Fit (or load) the corpus's CorEx model and label every document (cached)."""
    root = cache_root() if cache is True else (Path(cache) if cache else None)
    texts = C.documents(corpus.papers)
    kw = dict(FIT_SETTINGS.get(corpus.name, {}))
    model, mpath, mcached, fit_s = C.fitted_model(texts, root, refit=refit, seed=seed, progress=fit_progress, **kw)
    lpath = None
    if mpath is not None:
        lpath = mpath.with_name(mpath.stem + f"-labels-g{gamma:g}.parquet")
    t0 = time.perf_counter()
    cached = False
    if lpath is not None and lpath.is_file() and not refit:
        lab = pd.read_parquet(lpath)
        cached = len(lab) == len(texts)
    if not cached:
        lab = C.classify_texts(model, texts, gamma=gamma, chunk_size=chunk_size, scheduler=scheduler, progress=progress)
        lab.insert(0, "doc_id", corpus.papers["doc_id"].to_numpy())
        if lpath is not None:
            from aiprogress.geography.scale import write_parquet_atomic

            write_parquet_atomic(lab, lpath)
    lab["dl"] = lab["dl_corex"]
    return Classified(lab, model, mpath, mcached, fit_s, time.perf_counter() - t0, cached, gamma)


@dataclass(frozen=True)
class Analysis:
    """A located, classified corpus: ``frame`` is papers + labels for the documents kept (not short)."""

    corpus: Corpus
    classified: Classified
    frame: pd.DataFrame
    dropped_short: int
    seconds: dict[str, float]

    @property
    def affiliations(self) -> pd.DataFrame:
        return self.corpus.affiliations[self.corpus.affiliations["doc_id"].isin(self.frame["doc_id"])]

    def activity(self, by: str = "country_code", period: int | None = None, labels: str = "dl"):
        from aiprogress.geography.metrics import activity_table

        return activity_table(self.frame, self.affiliations, self.frame[labels].to_numpy(), by=by, period=period)


_MEMO: dict[tuple, Analysis] = {}


def _corpus_key(name: str, data_dir, path) -> str | None:
    """A key from the source files' paths, sizes and modification times (None: nothing to key on)."""
    import hashlib

    from aiprogress.paths import resolve_data_dir

    root = resolve_data_dir(data_dir)
    files = [Path(path)] if path is not None else []
    if name == "arxiv" and path is None:
        files.append(root / ARXIV_FILE)
    if name in ("arxiv", "epoch") and path is None or name == "epoch":
        files.append(root / "epoch" / "all_ai_models_2025-03.csv")
    parts = []
    for f in files:
        if not f.is_file():
            return None
        st = f.stat()
        parts.append(f"{f.resolve()}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256(("|".join([name, *parts])).encode()).hexdigest()[:16] if parts else None


def _corpus_paths(name, data_dir, path, cache):
    root = cache_root() if cache is True else (Path(cache) if cache else None)
    key = _corpus_key(name, data_dir, path) if root is not None else None
    if key is None:
        return None
    return root / f"corpus_{name}_{key}_papers.parquet", root / f"corpus_{name}_{key}_affiliations.parquet", root / f"corpus_{name}_{key}.json"


def _cached_corpus(name, data_dir, path, cache) -> Corpus | None:
    import json

    paths = _corpus_paths(name, data_dir, path, cache)
    if paths is None or not all(p.is_file() for p in paths):
        return None
    try:
        papers, aff = pd.read_parquet(paths[0]), pd.read_parquet(paths[1])
        meta = json.loads(paths[2].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for col in ("categories", "authors"):
        papers[col] = papers[col].map(lambda v: list(v) if v is not None else [])
    return Corpus(name, papers, aff, tuple(meta.get("files", [])), meta.get("notes", {}))


def _store_corpus(corpus: Corpus, name, data_dir, path, cache) -> None:
    import json

    from aiprogress.fileio import write_text_atomic
    from aiprogress.geography.scale import write_parquet_atomic

    paths = _corpus_paths(name, data_dir, path, cache)
    if paths is None:
        return
    write_parquet_atomic(corpus.papers, paths[0])
    write_parquet_atomic(corpus.affiliations, paths[1])
    write_text_atomic(json.dumps({"files": list(corpus.files), "notes": corpus.notes}, default=str), paths[2])


def analyse(name: str, data_dir: str | Path | None = None, path: str | Path | None = None, *, gamma: float = 0.5,
            seed: int = 0, refit: bool = False, scheduler: Any = None, cache: str | Path | None | bool = True,
            progress: Callable[[int], None] | None = None, fit_progress: Callable[[int], None] | None = None) -> Analysis:
    """Load, locate and classify a corpus (memoised in-process, cached on disk)."""
    key = (name, str(data_dir), str(path), gamma, seed, str(cache))
    if key in _MEMO and not refit:
        return _MEMO[key]
    t = {"load": time.perf_counter()}
    corpus = _cached_corpus(name, data_dir, path, cache)
    t["load"] = time.perf_counter() - t["load"]
    t0 = time.perf_counter()
    if corpus is None:
        corpus = locate(load_corpus(name, data_dir, path), data_dir)
        _store_corpus(corpus, name, data_dir, path, cache)
    t["locate"] = time.perf_counter() - t0
    cl = classify_corpus(corpus, gamma=gamma, seed=seed, refit=refit, scheduler=scheduler, cache=cache,
                         progress=progress, fit_progress=fit_progress)
    t["fit"], t["classify"] = cl.fit_seconds, cl.classify_seconds
    frame = corpus.papers.merge(cl.labels, on="doc_id", how="left")
    short = frame["short"].fillna(True).to_numpy(bool)
    frame = frame.loc[~short].reset_index(drop=True)
    an = Analysis(corpus, cl, frame, int(short.sum()), t)
    _MEMO[key] = an
    return an


def dl_share_summary(an: Analysis, split_year: int | None = 2012) -> dict[str, Any]:
    """DL share overall and before/after ``split_year`` (when the corpus spans it), CorEx and keyword."""
    f = an.frame
    out = {"n_documents": int(len(an.corpus.papers)), "n_classified": int(len(f)), "dropped_short": an.dropped_short,
           "dl_share": float(f["dl_corex"].mean()) if len(f) else None,
           "dl_share_keyword": float(f["dl_keyword"].mean()) if len(f) else None,
           "years": [int(f["year"].min()), int(f["year"].max())] if len(f) else None}
    if split_year is not None and len(f) and f["year"].min() < split_year <= f["year"].max():
        pre, post = f[f["year"] < split_year], f[f["year"] >= split_year]
        out["split_year"] = split_year
        out["dl_share_before"], out["dl_share_after"] = float(pre["dl_corex"].mean()), float(post["dl_corex"].mean())
        out["n_before"], out["n_after"] = int(len(pre)), int(len(post))
    return out


def coverage(an: Analysis) -> dict[str, Any]:
    aff = an.corpus.affiliations
    located = aff.loc[aff["country_code"].notna(), "doc_id"].unique()
    n = len(an.corpus.papers)
    return {"papers": n, "located": int(len(located)), "coverage": float(len(located) / n) if n else None,
            "countries": int(aff["country_code"].nunique()), "method": sorted(aff["method"].dropna().unique().tolist())}


def epoch_label_agreement(an: Analysis, data_dir: str | Path | None = None) -> dict[str, Any]:
    """Against Epoch's own records: for the Epoch corpus, CorEx DL vs 'training hardware recorded' (Epoch has no DL
    label; accelerator-trained models are neural networks); for arXiv, the share flagged DL among papers that
    Epoch lists as notable models (all of which Epoch records as ML models, nearly all neural)."""
    f = an.frame
    if an.corpus.name == "epoch" and "hardware" in f:
        agree = C.agreement(f["dl_corex"], f["hardware"].notna())
        return {"reference": "Epoch training hardware recorded (proxy)", **agree}
    if an.corpus.name == "arxiv":
        from aiprogress.data import load_table

        ids = set(load_table("models", data_dir=data_dir)["arxiv_id"].dropna())
        sub = f[f["doc_id"].str.replace(r"v\d+$", "", regex=True).isin(ids)]
        return {"reference": "arXiv papers listed as Epoch models", "n": int(len(sub)),
                "share_dl_corex": float(sub["dl_corex"].mean()) if len(sub) else None,
                "share_dl_keyword": float(sub["dl_keyword"].mean()) if len(sub) else None}
    return {"reference": None, "n": 0}


def yearly(an: Analysis) -> pd.DataFrame:
    f = an.frame
    g = f.groupby("year").agg(papers=("doc_id", "size"), dl=("dl_corex", "sum"), dl_keyword=("dl_keyword", "sum"))
    g["dl_share"], g["dl_share_keyword"] = g["dl"] / g["papers"], g["dl_keyword"] / g["papers"]
    return g.reset_index().astype({"year": np.int64})
