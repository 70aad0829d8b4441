"""Scoring without torch: the NumPy forward pass against torch's, the model.npz store and its fallbacks,
the one-walk features against the two separate walks, and the author features against plain loops."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from test_humancapital_features import random_corpus
from test_humancapital_model import synthetic_table
from test_humancapital_score import epoch_like

from aiprogress.humancapital import store
from aiprogress.humancapital.corpus import epoch_authors, epoch_corpus_from_models
from aiprogress.humancapital.features import (
    AUTHOR_FEATURES,
    RECENT_MONTHS,
    build_features,
    features_and_teams,
    h_index,
    team_features,
    venue_quality,
)
from aiprogress.humancapital.model import TrainConfig, design, make_split, train_network
from aiprogress.humancapital.npforward import forward, state_to_numpy

TWO = TrainConfig(hidden=(16, 8), max_epochs=4, patience=2, batch_size=64, seed=1)


@pytest.fixture(scope="module")
def trained():
    table, _ = synthetic_table(n=400, seed=2)
    return table, train_network(table, make_split(table, TWO), TWO)


def test_numpy_forward_equals_torch_forward_layer_by_layer(trained):
    import torch

    table, net = trained
    x, date = design(table)
    xs, ds = net.x_std(x), net.date_std(date[:, None])[:, 0]
    with torch.no_grad():
        h_t, y_t = net._net()(torch.tensor(xs, dtype=torch.float32), torch.tensor(ds, dtype=torch.float32))
    h_n, y_n = forward(state_to_numpy(net.state), net.config.hidden, len(net.outcome_names), xs, ds)
    assert h_n.dtype == np.float32 and y_n.shape == tuple(y_t.shape)
    # float32 on both sides; only the summation order of the matrix products differs
    np.testing.assert_allclose(h_n, h_t.numpy(), rtol=1e-5, atol=1e-6 * float(np.abs(h_t.numpy()).max()))
    np.testing.assert_allclose(y_n, y_t.numpy(), rtol=1e-5, atol=1e-6 * float(np.abs(y_t.numpy()).max()))
    # and the scoring entry points: predict (NumPy) against predict_torch
    for a, b in zip(net.predict(x, date), net.predict_torch(x, date)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5 * float(np.abs(b).max()))


def test_numpy_forward_matches_a_hand_computed_one_layer_net():
    from scipy.special import erf

    rng = np.random.default_rng(0)
    st = {"encoder.0.weight": rng.normal(size=(3, 2)), "encoder.0.bias": rng.normal(size=3),
          "encoder.1.weight": rng.uniform(0.5, 2, 3), "encoder.1.bias": rng.normal(size=3),
          "encoder.1.running_mean": rng.normal(size=3), "encoder.1.running_var": rng.uniform(0.5, 2, 3),
          "encoder.3.weight": rng.normal(size=(1, 3)), "encoder.3.bias": rng.normal(size=1),
          "encoder.4.running_mean": rng.normal(size=1), "encoder.4.running_var": rng.uniform(0.5, 2, 1),
          "heads.0.weight": rng.normal(size=(1, 2)), "heads.0.bias": rng.normal(size=1)}
    st = {k: v.astype(np.float32) for k, v in st.items()}
    x, d = rng.normal(size=(5, 2)), rng.normal(size=5)
    h, y = forward(st, (3,), 1, x, d)
    s = {k: v.astype(float) for k, v in st.items()}
    z = x @ s["encoder.0.weight"].T + s["encoder.0.bias"]
    z = (z - s["encoder.1.running_mean"]) / np.sqrt(s["encoder.1.running_var"] + 1e-5) * s["encoder.1.weight"] + s["encoder.1.bias"]
    z = 0.5 * z * (1 + erf(z / np.sqrt(2)))
    u = (z @ s["encoder.3.weight"].T + s["encoder.3.bias"] - s["encoder.4.running_mean"]) / np.sqrt(s["encoder.4.running_var"] + 1e-5)
    np.testing.assert_allclose(h, u[:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(y[:, 0], s["heads.0.weight"][0, 0] * u[:, 0] + s["heads.0.weight"][0, 1] * d + s["heads.0.bias"][0],
                               rtol=1e-5, atol=1e-6)


def test_store_writes_npz_and_loads_without_torch(trained, tmp_path):
    table, net = trained
    folder = store.save_model(net, "synthetic", "h1", (), tmp_path)
    assert (folder / "model.npz").is_file()
    got = store.load_model("synthetic", TWO, "h1", tmp_path)
    assert got is not None and all(isinstance(v, np.ndarray) for v in got[0].state.values())
    np.testing.assert_array_equal(got[0].score_table(table), net.score_table(table))  # same weights, same NumPy pass
    # a fresh interpreter scores from the store without importing torch
    code = ("import sys, pickle; from aiprogress.humancapital.store import load_model; from aiprogress.humancapital.model import TrainConfig; "
            f"net, _ = load_model('synthetic', TrainConfig(**{TWO.to_dict()!r} | {{'hidden': (16, 8)}}), 'h1', {str(tmp_path)!r}); "
            f"t = pickle.load(open({str(tmp_path / 't.pkl')!r}, 'rb')); u = net.score_table(t); "
            "print(len(u), 'torch' in sys.modules)")
    pd.to_pickle(table, tmp_path / "t.pkl")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(table.n), "False"]


def test_old_store_without_npz_falls_back_to_torch_and_is_upgraded(trained, tmp_path):
    table, net = trained
    folder = store.save_model(net, "synthetic", "h1", (), tmp_path)
    (folder / "model.npz").unlink()  # as saved by the version before model.npz
    got = store.load_model("synthetic", TWO, "h1", tmp_path)
    assert got is not None and (folder / "model.npz").is_file()
    np.testing.assert_array_equal(got[0].score_table(table), net.score_table(table))
    again = store.load_model("synthetic", TWO, "h1", tmp_path)
    np.testing.assert_array_equal(again[0].score_table(table), net.score_table(table))


def test_npz_of_another_model_pt_is_not_used(trained, tmp_path):
    import torch

    table, net = trained
    folder = store.save_model(net, "synthetic", "h1", (), tmp_path)
    # model.pt rewritten (e.g. by an older version retraining) while model.npz stays: the npz is stale
    other = {k: (v * 2 if v.is_floating_point() else v) for k, v in net.state.items()}
    torch.save(other, folder / "model.pt")
    got = store.load_model("synthetic", TWO, "h1", tmp_path)
    np.testing.assert_array_equal(got[0].state["encoder.0.weight"], other["encoder.0.weight"].numpy())
    (folder / "model.npz").write_bytes(b"not a zip")  # unreadable: model.pt again
    got = store.load_model("synthetic", TWO, "h1", tmp_path)
    np.testing.assert_array_equal(got[0].state["encoder.0.weight"], other["encoder.0.weight"].numpy())
    assert json.loads((folder / "model.json").read_text())["data_hash"] == "h1"


@pytest.mark.parametrize("corpus", [random_corpus(3, n=200, n_authors=20), epoch_corpus_from_models(epoch_like(200, seed=4))],
                         ids=["citations", "epoch"])
def test_one_walk_equals_the_two_walks(corpus):
    p = corpus.papers
    teams = [tuple(t) for t in p["authors"].iloc[::3]] + [()]
    dates = list(p["date"].iloc[::3] + pd.Timedelta(days=20)) + [p["date"].iloc[0]]
    table, feats = features_and_teams(corpus, teams, dates)
    ref = build_features(corpus)
    pd.testing.assert_frame_equal(table.features, ref.features)
    pd.testing.assert_frame_equal(table.outcomes, ref.outcomes)
    pd.testing.assert_frame_equal(table.meta, ref.meta)
    pd.testing.assert_frame_equal(feats, team_features(corpus, teams, dates))


def test_every_author_feature_against_a_plain_loop():
    corpus = random_corpus(11, n=160, n_authors=12)
    p = corpus.papers
    per, auth, ven = dict(zip(p["paper_id"], p["period"])), dict(zip(p["paper_id"], p["authors"])), dict(zip(p["paper_id"], p["venue"]))
    vq = dict(zip(p["paper_id"], venue_quality(corpus)(p["venue"].to_numpy(), p["period"].to_numpy())))
    e = corpus.citations
    authors = sorted({a for t in p["authors"] for a in t})
    dates = [p["date"].iloc[k] for k in (40, 90, 159)]
    got = team_features(corpus, [(a,) for a in authors for _ in dates], [d for _ in authors for d in dates])
    for r, (a, d) in enumerate((a, d) for a in authors for d in dates):
        t = int(d.year * 12 + d.month - 1)
        mine = [q for q in p["paper_id"] if a in auth[q] and per[q] < t]
        counts = [sum(1 for c in e["citing"][e["cited"] == q] if per[c] < t and not set(auth[c]) & set(auth[q])) for q in mine]
        n = len(mine)
        quals = [vq[q] for q in mine if np.isfinite(vq[q])]
        want = [n, sum(counts), h_index(counts), (t - min(per[q] for q in mine)) / 12 if n else 0.0,
                sum(counts) / n if n else 0.0, max(counts) if n else 0.0, len({ven[q] for q in mine}),
                sum(not str(ven[q]).startswith("W:") for q in mine) / n if n else 0.0, float(np.mean(quals)) if quals else 0.0,
                len({x for q in mine for x in auth[q]} - {a}), sum(per[q] >= t - RECENT_MONTHS for q in mine)]
        have = [got[f"{f}_sum"].iloc[r] for f in AUTHOR_FEATURES]
        np.testing.assert_allclose(have, want, rtol=1e-12, err_msg=f"author {a} at {d}")


def _plain_fold(text: str) -> str:
    """The fold as first written (Unicode path for every string, no memo)."""
    import re
    import unicodedata

    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z]+", " ", s).strip()


def test_memoised_folding_equals_the_plain_one():
    from aiprogress.humancapital.corpus import _item_keys, fold

    rng = np.random.default_rng(0)
    ascii_chars = [chr(i) for i in range(128)]
    names = ["Kaiming He", "Jürgen Schmidhuber", "  Ross  Girshick ", "Kaiming He", "Foundational contributors\nAlex Paino",
             "Qwen Team", "Madonna", 3.0, "Straße", "ＦＵＬＬ Width"] + ascii_chars
    names += ["".join(rng.choice(ascii_chars, size=rng.integers(0, 15))) for _ in range(2000)]
    for _ in range(2):  # cold and warm memo
        assert [fold(n) for n in names] == [_plain_fold(n) for n in names]
        for n in map(str, names[:10]):  # the rule of epoch_authors, spelled out
            parts = [_plain_fold(x) for x in n.split("\n")]
            assert _item_keys(n) == tuple(k for k in parts if k and len(k.split()) >= 2 and "contributor" not in k and "team" not in k.split())
    assert epoch_authors(names[:4]) == ["kaiming he", "jurgen schmidhuber", "ross girshick", "kaiming he"]



def test_score_teams_equals_the_torch_scoring_of_the_separate_walks(tmp_path, monkeypatch):
    """score_teams (one walk, NumPy pass) against the previous path: build_features, team_features, torch forward."""
    from aiprogress.humancapital import score as score_mod
    from aiprogress.humancapital.features import FeatureTable
    from aiprogress.humancapital.pipeline import train_or_load

    monkeypatch.setattr(score_mod, "EPOCH_CONFIG", TWO)
    models = epoch_like(220, seed=6)
    teams = list(models["authors"].iloc[::4]) + [[], ["Nobody Known"]]
    dates = list(models["publication_date"].iloc[::4]) + [models["publication_date"].iloc[0], pd.NaT]
    got = score_mod.score_teams(teams, dates, models=models, model_dir=tmp_path)  # trains (one walk) and saves
    again = score_mod.score_teams(teams, dates, models=models, model_dir=tmp_path)  # reuses it (walk for the teams only)
    pd.testing.assert_frame_equal(again, got)
    assert again.attrs == got.attrs
    corpus = epoch_corpus_from_models(models)
    net = train_or_load("epoch", TWO, model_dir=tmp_path, table=build_features(corpus)).net
    keys = [tuple(epoch_authors(t)) for t in teams]
    ok = [bool(k) and pd.notna(d) for k, d in zip(keys, dates)]
    feats = team_features(corpus, [k for k, g in zip(keys, ok) if g], [d for d, g in zip(dates, ok) if g])
    x, d = design(FeatureTable("q", feats[net.feature_names], pd.DataFrame(index=feats.index),
                               pd.DataFrame({"date": pd.to_datetime([d for d, g in zip(dates, ok) if g])})))
    want = net.predict_torch(x, d)[0]
    have = got["hc_unit"].to_numpy()
    assert np.isnan(have[~np.array(ok)]).all() and np.isfinite(have[np.array(ok)]).all()
    np.testing.assert_allclose(have[np.array(ok)], want, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(got["prior_models"].to_numpy()[np.array(ok)], feats["prior_pubs_sum"].to_numpy())
