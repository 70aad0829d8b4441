"""Deep-learning classification: the paper's CorEx topic model (fit once, saved), and a keyword baseline.

Fitting (:func:`fit_dl_model`):
1. documents = title + abstract, preprocessed by :mod:`aiprogress.geography.text`; documents
   with fewer than 20 kept tokens are dropped;
2. a seeded sample of ``fit_docs`` documents (default 12,000; 0 = all) builds a binary
   bag-of-words over the ``max_features`` most frequent features (min document frequency
   ``min_df``, at most ``max_df`` of documents);
3. the number of topics is chosen by total correlation: CorEx is fitted for each
   ``n`` of ``topic_grid`` on a smaller seeded sample and the smallest ``n`` whose TC
   reaches ``tc_share`` (95%) of the largest TC on the grid is kept (the CorEx authors'
   advice: add topics until TC stops growing);
4. the final CorEx is fitted with two topics anchored on DL words (:data:`DL_ANCHORS`);
   topics 0 and 1 are the DL-anchored topics.

Scoring (:func:`classify_texts`): for each topic j with top words w_i and weights T_i^j
(CorEx's mutual information of word and topic, words with a positive sign only), the
document score is S_j = sum_i T_i^j delta(w_i, W) and topic j is present when
S_j >= gamma * T_max^j (T_max^j the largest weight of topic j). A document is DL when a
DL-anchored topic is present (gamma default 0.5, as in the paper). Scoring is a sparse
membership test, run in chunks (and on Dask with ``scheduler``).
"""

from __future__ import annotations

import hashlib
import math
import pickle
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from aiprogress.errors import InputError, ParameterError
from aiprogress.geography import text as tx

DL_ANCHORS = (
    ("deep_learning", "neural_network", "deep_neural", "neural", "deep_neural_network"),
    ("convolutional", "recurrent", "lstm", "cnn", "convolutional_neural_network"),
)
# Keyword baseline: a fixed vocabulary of DL method terms (in the spirit of keyword searches such
# as Cockburn et al.), matched on the lower-cased title + abstract, independent of the topic model:
# phrases as substrings, acronyms as whole tokens.
DL_PHRASES = ("deep learning", "deep neural", "neural net", "convolutional", "recurrent neural", "long short-term memory",
              "transformer", "self-attention", "autoencoder", "generative adversarial", "deep reinforcement",
              "backpropagation", "multilayer perceptron", "multi-layer perceptron", "large language model",
              "diffusion model", "graph neural")
DL_ACRONYMS = frozenset({"lstm", "lstms", "gan", "gans", "llm", "llms", "cnn", "cnns", "rnn", "rnns", "bert", "gpt", "mlp", "mlps", "gnn", "gnns"})


def keyword_dl(doc: str) -> bool:
    """The keyword baseline for one document."""
    low = doc.lower()
    if any(p in low for p in DL_PHRASES):
        return True
    return not DL_ACRONYMS.isdisjoint(tx._TOKEN.findall(low))


MODEL_VERSION = 1


@dataclass(frozen=True)
class DLModel:
    """A fitted classifier: per-topic word weights and the fit diagnostics (no corpus text)."""

    topic_words: tuple[tuple[tuple[str, float], ...], ...]  # per topic: (word, weight) with weight > 0
    dl_topics: tuple[int, ...]
    n_topics: int
    tc: float
    tc_by_n: dict[int, float]
    n_fit_docs: int
    n_features: int
    seed: int
    settings: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> Path:
        from aiprogress.fileio import write_bytes_atomic

        return write_bytes_atomic(pickle.dumps({"version": MODEL_VERSION, "model": self}), path)

    @staticmethod
    def load(path: str | Path) -> "DLModel":
        try:
            obj = pickle.loads(Path(path).read_bytes())
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError) as exc:
            raise InputError(f"not a saved DL model ({type(exc).__name__})", file=str(path)) from None
        if not isinstance(obj, dict) or obj.get("version") != MODEL_VERSION:
            raise InputError("saved model of another version", file=str(path), expected=f"version {MODEL_VERSION}")
        return obj["model"]


def documents(papers: pd.DataFrame) -> list[str]:
    return (papers["title"].fillna("").astype(str) + ". " + papers["abstract"].fillna("").astype(str)).tolist()


def _vocabulary(feats: Sequence[list[str]], min_df: int, max_df: float, max_features: int,
                keep: Sequence[str] = ()) -> list[str]:
    df: Counter[str] = Counter()
    for f in feats:
        df.update(set(f))
    n = len(feats)
    ok = [(w, c) for w, c in df.items() if c >= min_df and c <= max_df * n]
    ok.sort(key=lambda wc: (-wc[1], wc[0]))
    vocab = [w for w, _ in ok[:max_features]]
    have = set(vocab)
    vocab += [w for w in keep if w in df and w not in have]  # anchor words always in the vocabulary
    return vocab


def _matrix(feats: Sequence[list[str]], vocab: Sequence[str]):
    from scipy.sparse import csr_matrix

    index = {w: i for i, w in enumerate(vocab)}
    indptr, indices = [0], []
    for f in feats:
        cols = sorted({index[w] for w in f if w in index})
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int8)
    return csr_matrix((data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
                      shape=(len(feats), len(vocab)))


def _fit_corex(X, vocab, n: int, seed: int, max_iter: int, anchors=None):
    import corextopic.corextopic as ct

    model = ct.Corex(n_hidden=n, seed=seed, max_iter=max_iter, verbose=False)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if anchors:
            model.fit(X, words=list(vocab), anchors=[list(a) for a in anchors], anchor_strength=3)
        else:
            model.fit(X, words=list(vocab))
    return model


def fit_dl_model(texts: Sequence[str], *, seed: int = 0, fit_docs: int = 12_000, topic_grid: Sequence[int] = (10, 16, 22, 28, 34),
                 select_docs: int = 3_000, tc_share: float = 0.95, max_features: int = 4_000, min_df: int = 10,
                 max_df: float = 0.5, max_iter: int = 40, n_words: int = 50, min_tokens: int = 20,
                 progress: Callable[[int], None] | None = None) -> DLModel:
    """Fit the CorEx DL classifier (see the module docstring). ``progress(1)`` after each fit."""
    if fit_docs < 0 or select_docs < 1 or not topic_grid or min(topic_grid) < 3:
        raise ParameterError("fit_docs/select_docs/topic_grid", "out of range", expected="fit_docs >= 0, select_docs >= 1, topics >= 3")
    if not 0 < tc_share <= 1:
        raise ParameterError("tc_share", f"{tc_share}", expected="a share in (0, 1]")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    take = order if fit_docs == 0 else order[: fit_docs * 2]  # oversample: short documents are dropped
    feats, kept = [], 0
    for i in take:
        f = tx.features(texts[i])
        if sum(1 for w in f if "_" not in w) >= min_tokens:
            feats.append(f)
            kept += 1
            if fit_docs and kept >= fit_docs:
                break
    if len(feats) < 50:
        raise ParameterError("texts", f"only {len(feats)} documents with >= {min_tokens} tokens", expected="at least 50")
    anchors_flat = [w for a in DL_ANCHORS for w in a]
    vocab = _vocabulary(feats, min(min_df, max(2, len(feats) // 100)), max_df, max_features, keep=anchors_flat)
    X = _matrix(feats, vocab)
    Xs = X[: min(select_docs, X.shape[0])]
    tc_by_n: dict[int, float] = {}
    for n in sorted(set(int(k) for k in topic_grid)):
        tc_by_n[n] = float(_fit_corex(Xs, vocab, n, seed, max(10, max_iter // 2)).tc)
        if progress:
            progress(1)
    best = max(tc_by_n.values())
    n_topics = min(n for n, t in tc_by_n.items() if t >= tc_share * best)
    anchors = [[w for w in a if w in set(vocab)] for a in DL_ANCHORS]
    model = _fit_corex(X, vocab, n_topics, seed, max_iter, anchors=[a for a in anchors if a])
    if progress:
        progress(1)
    topics = []
    for j in range(n_topics):
        words = model.get_topics(topic=j, n_words=n_words)
        topics.append(tuple((str(w), float(mi)) for w, mi, *sign in words if (not sign or sign[0] > 0) and mi > 0))
    return DLModel(tuple(topics), tuple(range(sum(1 for a in anchors if a))), n_topics, float(model.tc), tc_by_n,
                   X.shape[0], X.shape[1], seed,
                   {"fit_docs": fit_docs, "select_docs": select_docs, "tc_share": tc_share, "max_features": max_features,
                    "min_df": min_df, "max_df": max_df, "max_iter": max_iter, "n_words": n_words, "min_tokens": min_tokens,
                    "topic_grid": list(topic_grid), "anchors": [list(a) for a in DL_ANCHORS]})


def _present_features(doc: str, words: set[str], prefixes: set[str]) -> tuple[set[str], int]:
    """Topic words present in ``doc`` (n-grams built only from tokens that start a topic n-gram) and its unigram count."""
    toks = tx.tokens(doc)
    uni = [t for t in toks if t is not None]
    found = words.intersection(uni)
    n = len(toks)
    for i, a in enumerate(toks):
        if a is None or a not in prefixes or i + 1 >= n or toks[i + 1] is None:
            continue
        bg = f"{a}_{toks[i + 1]}"
        if bg in words:
            found.add(bg)
        if i + 2 < n and toks[i + 2] is not None:
            tg = f"{bg}_{toks[i + 2]}"
            if tg in words:
                found.add(tg)
    return found, len(uni)


def _score_chunk(chunk: Sequence[str], topic_words, dl_topics, gamma: float, min_tokens: int) -> dict[str, np.ndarray]:
    words = {w for t in topic_words for w, _ in t}
    prefixes = {w.split("_", 1)[0] for w in words if "_" in w}
    weights = [dict(t) for t in topic_words]
    tmax = np.array([max(t.values()) if t else np.inf for t in weights])
    n = len(chunk)
    S = np.zeros((n, len(weights)))
    ntok = np.zeros(n, dtype=np.int64)
    kw = np.zeros(n, dtype=bool)
    for i, doc in enumerate(chunk):
        present, ntok[i] = _present_features(doc, words, prefixes)
        for j, wj in enumerate(weights):
            S[i, j] = math.fsum(wj[w] for w in present if w in wj)  # exactly rounded: no dependence on set order (hash seed)
        kw[i] = keyword_dl(doc)
    present_t = S >= gamma * tmax
    dl = present_t[:, list(dl_topics)].any(axis=1) if dl_topics else np.zeros(n, dtype=bool)
    return {"scores": S, "n_tokens": ntok, "dl_corex": dl, "dl_keyword": kw}


def classify_texts(model: DLModel, texts: Sequence[str], *, gamma: float = 0.5, chunk_size: int = 5_000,
                   scheduler: Any = "sync", progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """DL flags for ``texts`` in chunks: n_tokens, short (dropped: < min_tokens), dl_corex, dl_keyword, dl_score."""
    if not gamma > 0:
        raise ParameterError("gamma", f"{gamma}", expected="a positive threshold")
    if chunk_size < 1:
        raise ParameterError("chunk_size", f"{chunk_size}", expected="at least 1")
    from aiprogress.stats.parallel import map_chunks

    texts = list(texts)
    chunks = [texts[i:i + chunk_size] for i in range(0, len(texts), chunk_size)]
    outs = map_chunks(_score_chunk, chunks, shared={"topic_words": model.topic_words, "dl_topics": model.dl_topics,
                                                    "gamma": gamma, "min_tokens": model.settings.get("min_tokens", 20)},
                      scheduler=scheduler, progress=progress, weights=[len(c) for c in chunks])
    if not outs:
        return pd.DataFrame(columns=["n_tokens", "short", "dl_corex", "dl_keyword", "dl_score"])
    S = np.vstack([o["scores"] for o in outs])
    tmax = np.array([max(w for _, w in t) if t else np.inf for t in model.topic_words])
    rel = S[:, list(model.dl_topics)] / tmax[list(model.dl_topics)] if model.dl_topics else np.zeros((len(S), 1))
    frame = pd.DataFrame({"n_tokens": np.concatenate([o["n_tokens"] for o in outs]),
                          "dl_corex": np.concatenate([o["dl_corex"] for o in outs]),
                          "dl_keyword": np.concatenate([o["dl_keyword"] for o in outs]),
                          "dl_score": rel.max(axis=1)})
    frame["short"] = frame["n_tokens"] < model.settings.get("min_tokens", 20)
    return frame


def agreement(a: Sequence[bool], b: Sequence[bool]) -> dict[str, float]:
    """Agreement of two binary labelings: accuracy, Cohen's kappa (scikit-learn), both shares, the 2x2 counts."""
    from sklearn.metrics import cohen_kappa_score

    a, b = np.asarray(a, bool), np.asarray(b, bool)
    if len(a) != len(b) or len(a) == 0:
        raise ParameterError("labels", f"lengths {len(a)} and {len(b)}", expected="two non-empty labelings of equal length")
    kappa = float(cohen_kappa_score(a, b)) if len(set(a) | set(b)) > 1 else float("nan")
    return {"n": int(len(a)), "accuracy": float((a == b).mean()), "kappa": kappa, "share_a": float(a.mean()),
            "share_b": float(b.mean()), "both": int((a & b).sum()), "only_a": int((a & ~b).sum()),
            "only_b": int((~a & b).sum()), "neither": int((~a & ~b).sum())}


def corpus_fingerprint(texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "ignore"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def fitted_model(texts: Sequence[str], cache: str | Path | None, *, refit: bool = False, seed: int = 0,
                 progress: Callable[[int], None] | None = None, **fit_kw) -> tuple[DLModel, Path | None, bool, float]:
    """Load the cached model for these texts and settings, or fit and save it. Returns (model, path, cached, seconds)."""
    key = corpus_fingerprint(texts) + "-" + hashlib.sha256(repr((seed, sorted(fit_kw.items()))).encode()).hexdigest()[:8]
    path = Path(cache) / f"dl_corex_{key}.pkl" if cache is not None else None
    if path is not None and path.is_file() and not refit:
        return DLModel.load(path), path, True, 0.0
    t0 = time.perf_counter()
    model = fit_dl_model(texts, seed=seed, progress=progress, **fit_kw)
    secs = time.perf_counter() - t0
    if path is not None:
        model.save(path)
    return model, path, False, secs
