"""The CorEx DL classifier on a small generated corpus: threshold rule vs a plain loop, recovery, chunks, Dask."""

from __future__ import annotations

import pytest

from aiprogress.errors import InputError, ParameterError
from aiprogress.geography import classify as C
from aiprogress.geography import text as tx

FAST = dict(fit_docs=0, topic_grid=(3, 5, 7), select_docs=300, max_features=300, min_df=2, max_iter=25, min_tokens=20)


@pytest.fixture(scope="module")
def fitted(make_texts):
    texts, truth = make_texts(400, seed=1)
    return C.fit_dl_model(texts, seed=0, **FAST), texts, truth


def test_text_preprocessing():
    assert tx.lemma("networks") == "network" and tx.lemma("studies") == "study" and tx.lemma("analysis") == "analysis"
    f = tx.features("Deep neural networks for the analysis of images")
    assert "deep_neural_network" in f and "neural_network" in f and "the" not in f
    assert "network_analysis" not in f  # no n-gram across a removed stop word ("for")


def test_topic_count_by_total_correlation(fitted):
    model, _, _ = fitted
    best = max(model.tc_by_n.values())
    assert model.n_topics == min(n for n, t in model.tc_by_n.items() if t >= 0.95 * best)
    assert model.dl_topics == (0, 1)
    assert any(w in dict(model.topic_words[0]) for w in ("deep_learning", "neural_network", "neural"))


def test_threshold_rule_matches_plain_loop(fitted):
    model, texts, _ = fitted
    gamma = 0.5
    lab = C.classify_texts(model, texts, gamma=gamma, chunk_size=64)
    for i in range(0, len(texts), 37):
        feats = set(tx.features(texts[i]))
        present = []
        for j in model.dl_topics:
            S = sum(w for word, w in model.topic_words[j] if word in feats)
            present.append(S >= gamma * max(w for _, w in model.topic_words[j]))
        assert lab.loc[i, "dl_corex"] == any(present)


def test_recovers_ground_truth_and_keyword_agreement(fitted):
    model, texts, truth = fitted
    lab = C.classify_texts(model, texts)
    assert (lab["dl_corex"].to_numpy() == truth).mean() >= 0.9
    assert (lab["dl_keyword"].to_numpy() == truth).mean() >= 0.95
    from sklearn.metrics import accuracy_score, cohen_kappa_score

    ag = C.agreement(lab["dl_corex"], lab["dl_keyword"])
    assert abs(ag["accuracy"] - accuracy_score(lab["dl_corex"], lab["dl_keyword"])) < 1e-12
    assert abs(ag["kappa"] - cohen_kappa_score(lab["dl_corex"], lab["dl_keyword"])) < 1e-12
    assert ag["both"] + ag["only_a"] + ag["only_b"] + ag["neither"] == len(texts)


def test_gamma_monotone(fitted):
    model, texts, _ = fitted
    lo, hi = C.classify_texts(model, texts, gamma=0.3), C.classify_texts(model, texts, gamma=1.5)
    assert (hi["dl_corex"] <= lo["dl_corex"]).all()


def test_dask_local_cluster_same_labels(fitted):
    model, texts, _ = fitted
    a = C.classify_texts(model, texts[:120], chunk_size=40, scheduler="sync")
    b = C.classify_texts(model, texts[:120], chunk_size=40, scheduler="local")
    assert a.equals(b)


def test_save_load_and_cache(tmp_path, fitted):
    model, texts, _ = fitted
    p = model.save(tmp_path / "m.pkl")
    assert C.DLModel.load(p) == model
    (tmp_path / "bad.pkl").write_bytes(b"not a pickle")
    with pytest.raises(InputError, match="bad.pkl"):
        C.DLModel.load(tmp_path / "bad.pkl")
    m1, path, cached, _ = C.fitted_model(texts[:150], tmp_path, seed=0, **FAST)
    m2, path2, cached2, _ = C.fitted_model(texts[:150], tmp_path, seed=0, **FAST)
    assert path == path2 and not cached and cached2 and m1 == m2


def test_bad_parameters(fitted):
    model, texts, _ = fitted
    with pytest.raises(ParameterError, match="gamma"):
        C.classify_texts(model, texts, gamma=0)
    with pytest.raises(ParameterError, match="at least 50"):
        C.fit_dl_model(["too short"] * 10, **FAST)
