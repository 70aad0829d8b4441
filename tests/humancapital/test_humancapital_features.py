"""Author histories: no leakage, values against plain loops, outcomes, name matching."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.humancapital.corpus import aan_author_key, make_corpus, paperscape_author_key
from aiprogress.humancapital.features import build_features, citations_within, h_index, team_features
from aiprogress.humancapital.names import match_names, pair_score


def random_corpus(seed: int, n: int = 110, n_authors: int = 25):
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2000-01-15") + pd.to_timedelta(np.sort(rng.integers(0, 6 * 365, n)), unit="D")
    papers = pd.DataFrame({
        "paper_id": [f"p{i}" for i in range(n)],
        "date": dates,
        "authors": [[f"a{j}" for j in rng.choice(n_authors, size=rng.integers(1, 4), replace=False)] for _ in range(n)],
        "venue": rng.choice(["V1", "V2", "W:ws"], size=n),
    })
    edges = [(f"p{i}", f"p{j}") for i in range(n) for j in rng.choice(max(i, 1), size=min(i, 3), replace=False) if j < i]
    return make_corpus("toy", papers, pd.DataFrame(edges, columns=["citing", "cited"]))


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), pick=st.integers(20, 109))
def test_no_leakage_features_ignore_everything_dated_at_or_after_publication(seed, pick):
    corpus = random_corpus(seed)
    full = build_features(corpus)
    target = corpus.papers.iloc[pick]
    t = target["period"]
    # remove everything dated at or after the paper (except the paper itself) and add decoys after it
    keep = corpus.papers[(corpus.papers["period"] < t) | (corpus.papers["paper_id"] == target["paper_id"])]
    later = pd.DataFrame({"paper_id": ["x1", "x2"], "date": [target["date"] + pd.Timedelta(days=40), target["date"] + pd.Timedelta(days=400)],
                          "authors": [list(target["authors"]), list(target["authors"])], "venue": ["V1", "V1"]})
    papers = pd.concat([keep, later], ignore_index=True)
    ids = set(papers["paper_id"])
    edges = corpus.citations[corpus.citations["citing"].isin(ids) & corpus.citations["cited"].isin(ids)]
    edges = pd.concat([edges, pd.DataFrame({"citing": ["x1", "x2", "x2"], "cited": [target["paper_id"], target["paper_id"], "p0"]})])
    cut = build_features(make_corpus("cut", papers, edges))
    a = full.features[full.meta["paper_id"] == target["paper_id"]].to_numpy()
    b = cut.features[cut.meta["paper_id"] == target["paper_id"]].to_numpy()
    np.testing.assert_allclose(a, b)


def test_author_features_against_plain_loop():
    corpus = random_corpus(5)
    feats = build_features(corpus)
    p = corpus.papers
    per = dict(zip(p["paper_id"], p["period"]))
    auth = dict(zip(p["paper_id"], p["authors"]))
    row = 100
    pid, t, team = p["paper_id"].iloc[row], p["period"].iloc[row], p["authors"].iloc[row]
    a = team[0]
    mine = [q for q in p["paper_id"] if a in auth[q] and per[q] < t]
    counts = []
    for q in mine:
        cites = corpus.citations[(corpus.citations["cited"] == q)]
        counts.append(sum(1 for c in cites["citing"] if per[c] < t and not set(auth[c]) & set(auth[q])))
    solo = team_features(corpus, [(a,)], [p["date"].iloc[row]])
    assert solo["prior_pubs_sum"].iloc[0] == len(mine)
    assert solo["prior_citations_sum"].iloc[0] == sum(counts)
    assert solo["h_index_max"].iloc[0] == h_index(counts)
    f = feats.features[feats.meta["paper_id"] == pid].iloc[0]
    assert f["team_size"] == len(team)


def test_h_index_closed_form():
    assert h_index([]) == 0
    assert h_index([10, 8, 5, 4, 3]) == 4
    assert h_index([25, 8, 5, 3, 3]) == 3
    assert h_index([1, 1, 1]) == 1


def test_citations_within_window_and_censoring():
    papers = pd.DataFrame({"paper_id": ["a", "b", "c", "d"], "authors": [["x"], ["y"], ["z"], ["w"]],
                           "date": pd.to_datetime(["2000-07-01", "2001-07-01", "2002-07-01", "2005-07-01"])})
    edges = pd.DataFrame({"citing": ["b", "c", "d"], "cited": ["a", "a", "a"]})
    c = make_corpus("t", papers, edges)
    one = citations_within(c, 12)
    two = citations_within(c, 24)
    assert one[0] == 1 and two[0] == 2
    assert two[2] == 0 and np.isnan(one[3]) and np.isnan(two[3])  # window past the corpus end


def test_name_keys_and_matching_rule():
    assert aan_author_key("Collins, Michael John") == "michael john collins"
    assert paperscape_author_key("M.J.Collins") == "m j collins"
    assert pair_score("michael collins", "michael collins") == (100.0, "exact")
    assert pair_score("jurgen schmidhuber", "juergen schmidhuber")[1] == "given_fuzzy"
    assert pair_score("jon smith", "john smith")[1] is None
    assert pair_score("m j collins", "michael john collins")[1] == "initials"
    assert pair_score("m k collins", "michael john collins")[1] is None
    out = match_names(["y wang", "michael collins", "ann lee"], ["yi wang", "yu wang", "michael john collins", "michael collins", "bob lee"])
    got = dict(zip(out["query"], out["match"]))
    assert got["y wang"] is None and out["rule"].iloc[0] == "ambiguous"
    assert got["michael collins"] == "michael collins"
    assert got["ann lee"] is None
