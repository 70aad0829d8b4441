"""RCA, concentration and bootstrap: invariants (Hypothesis), plain-loop references, DuckDB vs pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from aiprogress.geography import metrics as M
from aiprogress.geography import scale

counts = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=2, max_size=12)


def _split(pairs):
    dl = np.array([a for a, b in pairs], float)
    all_ = dl + np.array([b for a, b in pairs], float)
    return dl, all_


@settings(max_examples=60, deadline=None)
@given(counts)
def test_weighted_mean_rca_is_one(pairs):
    dl, all_ = _split(pairs)
    if dl.sum() == 0 or all_.sum() == 0:
        return
    assert abs(M.weighted_mean_rca(dl, all_) - 1.0) < 1e-12


@settings(max_examples=60, deadline=None)
@given(counts, st.floats(0.01, 1000))
def test_rca_invariant_to_scaling(pairs, factor):
    dl, all_ = _split(pairs)
    if dl.sum() == 0:
        return
    a, b = M.rca_from_counts(dl, all_), M.rca_from_counts(dl * factor, all_ * factor)
    ok = np.isfinite(a)
    np.testing.assert_allclose(a[ok], b[ok], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=30))
def test_hhi_bounds(values):
    c = np.array(values)
    n = int((c > 0).sum())
    if n == 0:
        return
    h = float(M.hhi(c[c > 0]))
    assert 1 / n - 1e-12 <= h <= 1 + 1e-12
    assert abs(h - sum((x / c.sum()) ** 2 for x in c)) < 1e-12  # plain-loop reference


def _activity(seed: int, n_docs: int = 150, locs: str = "ABCDE") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        k = int(rng.integers(1, 3))
        chosen = rng.choice(list(locs), k, replace=False)
        dl = bool(rng.random() < 0.3)
        for loc in chosen:
            rows.append((d, str(loc), 1.0 / k, dl, 2000 + d % 4))
    return pd.DataFrame(rows, columns=["doc_id", "location", "weight", "dl", "year"])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_bootstrap_intervals_contain_point(seed):
    act = _activity(seed)
    tab = M.rca_table(act, draws=50, seed=seed)
    ok = tab["rca"].notna()
    assert ((tab.loc[ok, "rca_low"] <= tab.loc[ok, "rca"]) & (tab.loc[ok, "rca"] <= tab.loc[ok, "rca_high"])).all()
    conc = M.concentration_by(act, draws=50, seed=seed)
    assert ((conc["hhi_low"] <= conc["hhi"]) & (conc["hhi"] <= conc["hhi_high"])).all()
    assert ((conc["top10_low"] <= conc["top10_share"]) & (conc["top10_share"] <= conc["top10_high"])).all()


def test_rca_table_matches_plain_loop_and_seeded():
    act = _activity(3)
    tab = M.rca_table(act, draws=30, seed=1).set_index("location")
    tot_dl = act.loc[act["dl"], "weight"].sum()
    tot = act["weight"].sum()
    for loc, s in act.groupby("location"):
        ref = (s.loc[s["dl"], "weight"].sum() / s["weight"].sum()) / (tot_dl / tot)
        assert abs(tab.loc[loc, "rca"] - ref) < 1e-12
    again = M.rca_table(act, draws=30, seed=1).set_index("location")
    pd.testing.assert_frame_equal(tab, again)


def test_top_k_share_reference():
    c = np.array([5.0, 1.0, 3.0, 0.0, 1.0])
    assert M.top_k_share(c, 2) == (5 + 3) / 10
    assert M.top_k_share(c, 10) == 1.0


def test_duckdb_matches_pandas(tmp_path):
    rng = np.random.default_rng(0)
    n = 5000
    df = pd.DataFrame({"doc_id": np.arange(n) // 2, "location": rng.choice(list("ABCDEFG"), n), "weight": 0.5,
                       "dl": rng.random(n) < 0.25, "year": rng.integers(2010, 2014, n), "field": rng.choice(["cs.LG", "cs.CV"], n)})
    p = scale.write_parquet_atomic(df, tmp_path / "act.parquet")
    for by_field in (False, True):
        a, b = scale.aggregate_duckdb(p, by_field=by_field, k=3), scale.aggregate_pandas(df, by_field=by_field, k=3)
        for key in ("rca", "concentration", "dispersion"):
            keys = ["year", "field"] if by_field else ["year"]
            keys = keys + (["location"] if key == "rca" else [])
            x = a[key].sort_values(keys).reset_index(drop=True)
            y = b[key][list(x.columns)].sort_values(keys).reset_index(drop=True)
            num = [c for c in x.columns if c not in keys]
            np.testing.assert_allclose(x[num].to_numpy(float), y[num].to_numpy(float), rtol=1e-10)


def test_duckdb_bad_input(tmp_path):
    import pytest

    from aiprogress.errors import InputError

    p = scale.write_parquet_atomic(pd.DataFrame({"doc_id": [1], "weight": [1.0]}), tmp_path / "bad.parquet")
    with pytest.raises(InputError, match="missing columns location"):
        scale.aggregate_duckdb(p)
    with pytest.raises(InputError, match="file not found"):
        scale.aggregate_duckdb(tmp_path / "none.parquet")
