"""The faster paths of the ideas inputs against the previous implementations (kept here as references)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from aiprogress.data.csvio import list_cell
from aiprogress.ideas import epoch_join
from aiprogress.ideas.epoch_join import match_epoch
from aiprogress.ideas.inputs import epoch_human_capital


def _reference_epoch_human_capital(frame: pd.DataFrame, models: pd.DataFrame, dates: pd.Series) -> pd.DataFrame:
    """The previous implementation: timestamps compared directly, one .loc assignment per row."""
    m = models.copy()
    m["_authors"] = m["authors"].map(list_cell)
    m["_date"] = pd.to_datetime(m["publication_date"], errors="coerce")
    m["_cit"] = pd.to_numeric(m["citations"], errors="coerce").fillna(0.0)
    records: dict = {}
    for i, auths, d, c in zip(m.index, m["_authors"], m["_date"], m["_cit"]):
        if pd.isna(d):
            continue
        for a in auths:
            records.setdefault(a, []).append((d, c, i))
    match = match_epoch(frame, m)
    out = pd.DataFrame(index=frame.index, columns=["human_capital", "team_size", "prior_models", "prior_citations"], dtype=float)
    out["hc_match"] = match["hc_match"]
    out["hc_match_score"] = match["hc_match_score"]
    for idx in frame.index:
        hits = match.at[idx, "epoch_rows"]
        team = sorted({a for i in hits for a in m.at[i, "_authors"]})
        if not team:
            out.at[idx, "hc_match"] = None
            out.at[idx, "hc_match_score"] = math.nan
            continue
        own = set(hits)
        when = dates.at[idx]
        own_dates = [m.at[i, "_date"] for i in hits if pd.notna(m.at[i, "_date"])]
        if own_dates:
            when = min([when, *own_dates]) if pd.notna(when) else min(own_dates)
        prior_models, total, hc = 0, 0.0, 0.0
        for a in team:
            prev = [c for d, c, i in records.get(a, []) if d < when and i not in own]
            prior_models += len(prev)
            cit = float(sum(prev))
            total += cit
            hc += 1.0 + math.log1p(cit)
        out.loc[idx, ["human_capital", "team_size", "prior_models", "prior_citations"]] = [hc, len(team), prior_models, total]
    return out


def _tables(seed: int = 0, n_models: int = 120, n_rows: int = 60):
    rng = np.random.default_rng(seed)
    people = [f"Person {chr(65 + i)}" for i in range(15)]
    dates = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 3000, n_models), unit="D")
    dates = pd.Series(dates).where(rng.random(n_models) > 0.1)  # some undated entries
    models = pd.DataFrame({
        "model": [f"Net-{i}" for i in range(n_models)],
        "arxiv_id": [f"{1500 + i}.{i:05d}" if rng.random() > 0.2 else None for i in range(n_models)],
        "link": None, "reference": [f"a paper about net number {i} and friends" for i in range(n_models)],
        "publication_date": dates, "authors": [list(rng.choice(people, size=rng.integers(1, 5), replace=False)) for _ in range(n_models)],
        "citations": np.where(rng.random(n_models) > 0.1, rng.integers(0, 3000, n_models).astype(float), np.nan),
    })
    pick = rng.integers(0, n_models, n_rows)
    frame = pd.DataFrame({"arxiv_id": [models["arxiv_id"].iloc[i] if rng.random() > 0.2 else "9999.99999" for i in pick],
                          "paper_title": [models["reference"].iloc[i] if rng.random() > 0.5 else "unrelated" for i in pick],
                          "model": [f"Net-{i}" for i in pick], "year": [2018] * n_rows}, index=np.arange(100, 100 + n_rows))
    row_dates = pd.Series(pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 3000, n_rows), unit="D"), index=frame.index)
    return frame, models, row_dates.where(rng.random(n_rows) > 0.15)  # some rows without a date


def test_epoch_proxy_equals_the_previous_implementation():
    for seed in range(3):
        frame, models, dates = _tables(seed)
        got = epoch_human_capital(frame, models, dates)
        ref = _reference_epoch_human_capital(frame, models, dates)
        assert got["human_capital"].notna().sum() > 10
        pd.testing.assert_frame_equal(got, ref)


def test_memoised_folds_and_arxiv_ids_equal_the_plain_functions():
    values = ["Deep Residual Learning", "Ünïcode Títle", "arXiv:1709.01507v2", "https://arxiv.org/abs/cs/0205070",
              "https://doi.org/10.1000/1234.5678", "  1512.03385 ", "", "Deep Residual Learning"]
    for _ in range(2):  # cold and warm memo
        for v in values:
            assert epoch_join._fold(v) == epoch_join._fold_str.__wrapped__(v)
            s = v.strip()
            assert epoch_join.normalise_arxiv_id(v) == epoch_join._arxiv_id_of.__wrapped__(s)
    assert epoch_join.normalise_arxiv_id("arXiv:1709.01507v2") == "1709.01507"
    assert epoch_join.normalise_arxiv_id("https://doi.org/10.1000/1234.5678") is None
    assert epoch_join._fold(None) == "" and epoch_join.normalise_arxiv_id(float("nan")) is None


def _same_sample(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.dropped.reset_index(drop=True), b.dropped.reset_index(drop=True))
    assert (a.coverage, a.notes, a.human_capital_source, a.baseline_rule, a.nonpositive_rule) == \
        (b.coverage, b.notes, b.human_capital_source, b.baseline_rule, b.nonpositive_rule)


def test_samples_finished_from_one_base_equal_prepare_sample():
    import copy

    from test_ideas_epoch_join import _bench_rows, _models_for

    from aiprogress.ideas.sample import finish_sample, prepare_sample, sample_base

    rows = _bench_rows()
    ts = {"imagenet": "m0", "ms_coco": "m12"}
    models = _models_for(rows, list(range(1, 12)) + [13, 14])
    for kw in ({}, {"benchmarks": ["imagenet"]}, {"nonpositive": "floor", "floor_fraction": 0.25}):
        base = sample_base(rows, models=models, touchstones=ts, **kw)
        before = (base.frame.copy(), copy.deepcopy(base.coverage), base.notes, len(base.dropped))
        for hc in ("auto", "epoch", "paper_rows", "auto"):
            got = finish_sample(base, human_capital=hc)
            _same_sample(got, prepare_sample(rows, models=models, touchstones=ts, human_capital=hc, **kw))
            got.coverage["date_source"]["x"] = 1  # a caller changing its sample does not reach the base
        pd.testing.assert_frame_equal(base.frame, before[0])
        assert (base.coverage, base.notes, len(base.dropped)) == before[1:]


def _shipped_tables():
    try:
        from aiprogress.data import load_table

        return {n: load_table(n) for n in ("benchmark_results", "models", "hardware")}
    except Exception:
        return None


def test_runner_equals_one_prepare_sample_per_measure():
    import pytest

    from aiprogress.ideas.estimate import estimate
    from aiprogress.ideas.hc_compare import ideas_runner
    from aiprogress.ideas.sample import prepare_sample

    tables = _shipped_tables()
    if tables is None:
        pytest.skip("shared data not present")
    calls = []
    run = ideas_runner(lambda n: calls.append(n) or tables[n], n_boot=20, seed=3)
    for m in ("epoch", "paper_rows"):
        est, cov = run(m)
        s = prepare_sample(tables["benchmark_results"], models=tables["models"], hardware=tables["hardware"],
                           human_capital=m, benchmarks=["imagenet"])
        ref = estimate(s, benchmarks=["imagenet"], pooled=False, n_boot=20, seed=3, translog=False)
        pd.testing.assert_frame_equal(est.to_frame(), ref.to_frame())
        assert {k: v for k, v in cov.items() if k != "coverage"} == s.coverage
    assert calls == ["benchmark_results", "models", "hardware"]  # the base is built once


def _general_fold(v: str) -> str:
    import re
    import unicodedata

    s = unicodedata.normalize("NFKD", v)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", s.casefold())


def test_ascii_fast_path_of_the_fold_equals_the_unicode_path():
    rng = np.random.default_rng(0)
    ascii_chars = [chr(i) for i in range(128)]
    texts = ["".join(rng.choice(ascii_chars, size=rng.integers(0, 15))) for _ in range(3000)] + ascii_chars
    texts += ["Ünïcode Títle", "Straße", "ＦＵＬＬＷＩＤＴＨ", "ﬁ ligature"]  # non-ASCII: the general path
    for t in texts:
        assert epoch_join._fold_str.__wrapped__(t) == _general_fold(t), repr(t)


def test_window_dummies_equal_a_pandas_reference():
    from aiprogress.ideas.design import build_design
    from aiprogress.ideas.inputs import time_window

    rng = np.random.default_rng(1)
    n = 80
    frame = pd.DataFrame({
        "benchmark": rng.choice(["imagenet", "ms_coco"], n),
        "date": pd.Timestamp("2012-03-01") + pd.to_timedelta(rng.integers(0, 3000, n), unit="D"),
        "g_tilde": np.exp(rng.normal(size=n)), "train_flop": np.exp(rng.normal(40, 2, n)), "human_capital": np.exp(rng.normal(1, 0.5, n)),
        "extra_data": rng.integers(0, 2, n).astype(float), "reimplementation": rng.integers(0, 2, n).astype(float),
    })
    for w in (6, 12, 18):
        d = build_design(frame, window_months=w)
        groups = frame["benchmark"] + "|" + time_window(frame["date"], w).astype(str)
        ref = pd.get_dummies(groups).astype(float)
        keys = sorted(ref.columns, key=lambda g: (g.split("|")[0], int(g.split("|")[1])))
        np.testing.assert_array_equal(d.X[:, : len(keys)], ref[keys].to_numpy())
        assert d.n_windows == len(keys)


def test_time_window_equals_the_calendar_formula():
    from aiprogress.ideas.inputs import time_window

    rng = np.random.default_rng(2)
    d = pd.Series(pd.Timestamp("1999-01-01") + pd.to_timedelta(rng.integers(0, 40 * 365, 3000), unit="D")
                  + pd.to_timedelta(rng.integers(0, 86400, 3000), unit="s"), index=rng.permutation(3000))
    d[d.sample(100, random_state=1).index] = pd.NaT
    ends = pd.Series(pd.to_datetime(["2012-01-01", "2012-02-29", "2013-12-31", "2011-12-31", "2016-02-29"]).astype("datetime64[s]"))
    for dates in (d, ends, pd.Series([], dtype="datetime64[ns]")):
        for w in (1, 5, 6, 12, 18):
            months = (dates.dt.year - 2012) * 12 + (dates.dt.month - 1) + (dates.dt.day - 1) / dates.dt.days_in_month
            pd.testing.assert_series_equal(time_window(dates, w), np.floor(months / w).astype("Int64"))


def test_fingerprint_follows_the_content_of_the_columns_read():
    from aiprogress.ideas.memo import fingerprint

    _, models, _ = _tables(4)
    cols = ("authors", "publication_date", "citations", "reference")
    key = fingerprint(models, cols)
    assert fingerprint(models.copy(), cols) == key
    assert fingerprint(models.assign(other=1), cols) == key  # columns not read do not matter
    changed = [
        models.assign(citations=models["citations"].fillna(-1.0)),
        models.assign(authors=[list(a) + (["Person Z"] if i == 7 else []) for i, a in enumerate(models["authors"])]),
        models.assign(reference=models["reference"].where(models.index != 3, None)),
        models.set_axis(models.index + 1),
        models.drop(columns="citations"),
        models.iloc[:-1],
    ]
    assert all(fingerprint(m, cols) != key for m in changed)
    a = pd.DataFrame({"x": [None, np.nan, "nan", "None"]})
    b = pd.DataFrame({"x": [np.nan, None, "nan", "None"]})
    assert fingerprint(a, ["x"]) != fingerprint(b, ["x"])


def test_memoised_joins_equal_fresh_ones_and_follow_changed_tables():
    from aiprogress.ideas import inputs

    frame, models, dates = _tables(5)
    epoch_join._INDEXES.clear()
    inputs._RECORDS.clear()
    cold_match = match_epoch(frame, models)
    cold = epoch_human_capital(frame, models, dates)
    warm_match = match_epoch(frame, models)
    warm = epoch_human_capital(frame, models.copy(), dates)
    assert epoch_join._INDEXES.hits >= 2 and inputs._RECORDS.hits >= 1
    pd.testing.assert_frame_equal(warm_match, cold_match)
    pd.testing.assert_frame_equal(warm, cold)
    for hits in warm_match["epoch_rows"]:  # a caller changing its lists does not reach the memo
        hits.append(-1)
    pd.testing.assert_frame_equal(match_epoch(frame, models), cold_match)
    # a changed table is not served from the memo: results equal the previous implementation on it
    edited = models.assign(citations=models["citations"].fillna(0) * 2 + 1,
                           reference=models["reference"].str.replace("friends", "foes"))
    pd.testing.assert_frame_equal(epoch_human_capital(frame, edited, dates), _reference_epoch_human_capital(frame, edited, dates))
    assert not epoch_human_capital(frame, edited, dates)["human_capital"].equals(cold["human_capital"])


def test_window_labels_equal_the_date_offset_arithmetic():
    from aiprogress.ideas.design import _window_label

    for w in (1, 5, 6, 7, 12, 18, 24):
        for k in range(-30, 50):
            start = pd.Timestamp("2012-01-01") + pd.DateOffset(months=k * w)
            assert _window_label("imagenet", k, w) == f"phi[imagenet:{start:%Y-%m}+{w}m]"


def test_memo_is_a_bounded_lru():
    from aiprogress.ideas.memo import Memo

    memo, calls = Memo(2), []

    def make(k):
        return lambda: calls.append(k) or k * 10

    assert [memo.get(k, make(k)) for k in (1, 2, 1, 3, 2, 1)] == [10, 20, 10, 30, 20, 10]
    # the hit on 1 keeps it when 3 comes in (2 is evicted); 2 then evicts 1, which is computed again
    assert calls == [1, 2, 3, 2, 1]
    assert (memo.hits, memo.misses) == (1, 5)


def test_comparison_without_the_translog_fit_shows_the_same_numbers():
    import pytest

    from aiprogress.ideas.hc_compare import compare_measures, ideas_runner

    tables = _shipped_tables()
    if tables is None:
        pytest.skip("shared data not present")
    measures = ("epoch", "paper_rows")
    fast = compare_measures(ideas_runner(tables.__getitem__, n_boot=60, seed=2), measures)
    full = compare_measures(ideas_runner(tables.__getitem__, n_boot=60, seed=2, translog=True), measures)
    pd.testing.assert_frame_equal(fast, full)
    assert {"beta", "gamma", "f", "f_low", "f_high", "n"} <= set(fast.columns)
