"""Abstract preprocessing for the topic model: tokens, stop words, lemmas, bi-/tri-grams.

- tokens: lower-case runs of letters and digits starting with a letter (two characters or more);
- stop words: scikit-learn's English list plus common abstract boilerplate (:data:`EXTRA_STOP`);
- lemmas: a rule-based plural/inflection lemmatiser (:func:`lemma`; no tagger ships with the
  package, so nouns and verbs are reduced by suffix rules: ``networks`` -> ``network``,
  ``studies`` -> ``study``; it is deterministic and fast);
- n-grams: bi- and tri-grams of adjacent kept tokens joined by ``_`` (``neural_network``);
- documents with fewer than ``min_tokens`` (default 20, as in the paper) kept unigrams are dropped.
"""

from __future__ import annotations

import functools
import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

EXTRA_STOP = frozenset("""
paper propose proposed proposes approach approaches method methods result results show shows shown
present presents presented use used using based new novel demonstrate demonstrates work works study
also well however thus via within without across existing recent recently significantly significant
state art first two three one can may many much often including include includes provide provides
extensive experiment experiments experimental achieve achieves achieved improve improves improved
performance task tasks framework address introduce introduces furthermore moreover code available
""".split())
STOP = frozenset(ENGLISH_STOP_WORDS) | EXTRA_STOP
_TOKEN = re.compile(r"[a-z][a-z0-9]+")
_KEEP_S = ("ss", "us", "is", "ous", "sis", "xis")


@functools.lru_cache(maxsize=200_000)
def lemma(tok: str) -> str:
    """Suffix-rule lemma of a lower-case token."""
    n = len(tok)
    if n <= 3:
        return tok
    if tok.endswith("ies") and n > 4:
        return tok[:-3] + "y"
    if tok.endswith(("sses", "xes", "ches", "shes")):
        return tok[:-2]
    if tok.endswith("s") and not tok.endswith(_KEEP_S):
        return tok[:-1]
    return tok


def tokens(text: str) -> list[str]:
    """Kept unigram lemmas of ``text`` in order (stop words removed), with ``None`` where a stop word broke the run."""
    out: list[str] = []
    for t in _TOKEN.findall(text.lower()):
        if t in STOP:
            if out and out[-1] is not None:
                out.append(None)  # type: ignore[arg-type]
            continue
        lt = lemma(t)
        out.append(None if lt in STOP else lt)  # type: ignore[arg-type]
    return out


def features(text: str, ngrams: int = 3) -> list[str]:
    """Unigrams plus bi-/tri-grams of adjacent kept tokens (no n-gram spans a removed stop word)."""
    toks = tokens(text)
    feats = [t for t in toks if t is not None]
    if ngrams >= 2:
        n = len(toks)
        for i in range(n - 1):
            a, b = toks[i], toks[i + 1]
            if a is None or b is None:
                continue
            feats.append(f"{a}_{b}")
            if ngrams >= 3 and i + 2 < n and toks[i + 2] is not None:
                feats.append(f"{a}_{b}_{toks[i + 2]}")
    return feats


def n_unigrams(text: str) -> int:
    return sum(1 for t in tokens(text) if t is not None)
