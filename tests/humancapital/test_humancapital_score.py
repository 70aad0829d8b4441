"""Scores for Epoch-style teams, the ideas hook, the saved-model round trip and the report scorecard rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiprogress.humancapital.corpus import epoch_authors, epoch_corpus_from_models
from aiprogress.humancapital.features import build_features
from aiprogress.humancapital.model import TrainConfig, make_split, train_network
from aiprogress.humancapital.store import load_model, save_model

TINY = TrainConfig(hidden=(8,), max_epochs=3, patience=2, batch_size=64)


def epoch_like(n: int = 160, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    letters = "abcdefghij"
    people = [f"Given{letters[i % 10]} Family{letters[i // 10]}" for i in range(40)]  # names without digits (keys fold them away)
    dates = pd.Timestamp("2012-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 3000, n)), unit="D")
    return pd.DataFrame({
        "model": [f"Model-{i}" for i in range(n)],
        "authors": [list(rng.choice(people, size=rng.integers(1, 5), replace=False)) for _ in range(n)],
        "publication_date": dates,
        "citations": rng.integers(0, 5000, n).astype(float),
        "organization": rng.choice(["Lab A", "Lab B"], n),
        "reference": [f"Paper {i}" for i in range(n)],
        "arxiv_id": [f"{1500 + i}.{i:05d}" for i in range(n)],
    })


def test_epoch_author_parsing_drops_headings_and_teams():
    assert epoch_authors(["Foundational contributors\nAlex Paino", "Qwen Team", "Kaiming He"]) == ["alex paino", "kaiming he"]
    assert epoch_authors("Ross Girshick, Jeff Donahue") == ["ross girshick", "jeff donahue"]
    assert epoch_authors(float("nan")) == []


def test_epoch_features_use_earlier_entries_only():
    models = epoch_like()
    corpus = epoch_corpus_from_models(models)
    table = build_features(corpus)
    # plain loop: earlier entries (strictly earlier month) of the first author of the last paper
    p = corpus.papers
    i = len(p) - 1
    a = p["authors"].iloc[i][0]
    earlier = p[(p["period"] < p["period"].iloc[i]) & p["authors"].map(lambda t: a in t)]
    row = table.features.iloc[i]
    assert row["first_prior_pubs"] == len(earlier)
    assert set(table.outcomes.columns) == {"log_citations", "citations_per_year"}


def test_saved_model_round_trip(tmp_path):
    table = build_features(epoch_corpus_from_models(epoch_like()))
    split = make_split(table, TINY)
    net = train_network(table, split, TINY)
    save_model(net, "epoch", "abc", (), tmp_path)
    got = load_model("epoch", TINY, "abc", tmp_path)
    assert got is not None
    np.testing.assert_allclose(got[0].score_table(table), net.score_table(table), rtol=1e-6)
    assert load_model("epoch", TINY, "other-data", tmp_path) is None  # other data hash: not reused


def test_ideas_learned_hook_scores_matched_rows(tmp_path, monkeypatch):
    from aiprogress.humancapital import score as score_mod
    from aiprogress.ideas.inputs import learned_human_capital

    monkeypatch.setattr(score_mod, "EPOCH_CONFIG", TINY)
    monkeypatch.setenv("AIPROGRESS_MODEL_DIR", str(tmp_path))
    models = epoch_like()
    frame = pd.DataFrame({"arxiv_id": [models["arxiv_id"].iloc[100], "9999.99999"], "paper_title": ["x", "y"],
                          "model": ["a", "b"], "year": [2020, 2020]})
    dates = pd.Series(pd.to_datetime(["2020-07-01", "2020-07-01"]))
    out = learned_human_capital(frame, models, dates)
    assert np.isfinite(out["hc_unit"].iloc[0]) and np.isnan(out["hc_unit"].iloc[1])
    assert out["human_capital"].iloc[0] == np.exp(out["hc_unit"].iloc[0])
    assert out["hc_match"].iloc[0] == "arxiv_id"
    # the hook's score equals the network's score of that Epoch entry (same team, same date)
    direct = score_mod.score_teams([models["authors"].iloc[100]], [models["publication_date"].iloc[100]], models=models)
    assert out["hc_unit"].iloc[0] == direct["hc_unit"].iloc[0]


def test_scorecard_bound_rule():
    from aiprogress.humancapital.report import ratio_rows

    class V:
        corpus = "aan"
        mse_vs_lasso = pd.DataFrame({"subset": ["all", "all"], "outcome": ["a", "b"], "ratio": [0.5, 0.95]})

    rows = ratio_rows(V())
    assert rows[0].status == "reproduced" and rows[1].status == "differs"


def test_report_section_and_scorecard_from_a_cached_validation(tmp_path):
    from test_humancapital_model import synthetic_table

    from aiprogress.humancapital import report
    from aiprogress.humancapital.evaluate import validate
    from aiprogress.reportkit import ReportContext

    table, _ = synthetic_table(n=600, seed=5)
    table = type(table)("aan", table.features, table.outcomes.rename(columns={"y2": "venue_rank"}), table.meta)
    split = make_split(table, TINY)
    val = validate(table, train_network(table, split, TINY), split)
    class NoTables(ReportContext):
        def table(self, name):
            from aiprogress.errors import DataNotFoundError

            raise DataNotFoundError(f"no table {name} here")

    ctx = NoTables(data_dir=tmp_path)
    ctx.cache[f"humancapital:validation:{report.REPORT_CORPUS}"] = val
    html = report.build(ctx)
    assert "Fig. 3a analogue" in html
    assert "<figure" in html
    assert "#ideas-human-capital" in html  # the β/γ/f comparison lives in the ideas section (ideas -> humancapital)
    rows = report.scorecard(ctx)
    ratios = val.mse_vs_lasso[val.mse_vs_lasso["subset"] == "all"]["ratio"].tolist()
    assert [r.ours for r in rows[:-1]] == ratios
    assert all((r.status == "reproduced") == (r.ours <= 0.60) for r in rows[:-1])
