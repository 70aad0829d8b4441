"""Shared helpers for the geography tests: small corpora generated in the test, an isolated cache."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures"

DL_WORDS = ["deep learning", "neural network", "convolutional neural network", "deep neural network", "recurrent lstm",
            "cnn layers"]
OTHER_WORDS = ["support vector", "kernel method", "logic program", "graph theory", "game theory", "database query",
               "formal verification", "compiler optimisation", "bayesian inference", "markov chain"]
FILLER = ["system", "model", "data", "analysis", "algorithm", "problem", "solution", "evaluation", "benchmark", "theory",
          "application", "design", "structure", "process", "measure", "sample", "estimate", "signal", "image", "text"]


def synthetic_texts(n: int, seed: int = 0, dl_share: float = 0.4) -> tuple[list[str], np.ndarray]:
    """Abstract-like texts: DL documents mention DL phrases, others do not (ground truth returned)."""
    rng = np.random.default_rng(seed)
    texts, truth = [], rng.random(n) < dl_share
    for is_dl in truth:
        words = list(rng.choice(FILLER, 30))
        topic = DL_WORDS if is_dl else OTHER_WORDS
        words += [str(w) for w in rng.choice(topic, 4)]
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts, truth


@pytest.fixture
def geo_cache(tmp_path, monkeypatch):
    d = tmp_path / "geo-cache"
    monkeypatch.setenv("AIPROGRESS_GEO_CACHE", str(d))
    from aiprogress.geography import pipeline

    pipeline._MEMO.clear()
    return d


def write_openalex(path: Path, n: int = 120, seed: int = 0) -> Path:
    """An OpenAlex works file in the documented layout with ``n`` works across a few countries and years."""
    texts, truth = synthetic_texts(n, seed)
    rng = np.random.default_rng(seed)
    countries = ["US", "CN", "GB", "DE", "FR", "CA"]
    with path.open("w", encoding="utf-8") as fh:
        for i, (t, dl) in enumerate(zip(texts, truth)):
            cc = countries[int(rng.integers(0, len(countries)))]
            inv: dict[str, list[int]] = {}
            for p, w in enumerate(t.split()):
                inv.setdefault(w, []).append(p)
            rec = {"id": f"https://openalex.org/W{1000 + i}", "title": f"Work {i}", "publication_year": int(2008 + i % 10),
                   "publication_date": f"{2008 + i % 10}-05-01", "cited_by_count": int(rng.integers(0, 100)),
                   "authorships": [{"author_position": "first", "author": {"display_name": f"Author {i}"},
                                    "institutions": [{"display_name": f"Institute {cc}", "country_code": cc}]}],
                   "concepts": [{"display_name": "Computer science", "level": 0},
                                {"display_name": "Deep learning" if dl else "Logic", "level": 2}],
                   "abstract_inverted_index": inv}
            fh.write(json.dumps(rec) + "\n")
    return path


@pytest.fixture(scope="session")
def make_texts():
    return synthetic_texts


@pytest.fixture
def make_openalex():
    return write_openalex
