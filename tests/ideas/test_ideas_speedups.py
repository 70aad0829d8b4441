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
