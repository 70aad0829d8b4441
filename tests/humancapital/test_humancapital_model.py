"""The network on synthetic data with a known latent human capital (acceptance test)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiprogress.humancapital.evaluate import baseline_predictions, fisher_ci, metrics, validate
from aiprogress.humancapital.features import FeatureTable
from aiprogress.humancapital.model import TrainConfig, make_split, train_network

QUICK = TrainConfig(hidden=(64, 32), max_epochs=40, patience=6, batch_size=256, seed=3)


def synthetic_table(n: int = 2000, seed: int = 0) -> tuple[FeatureTable, np.ndarray]:
    """Latent h drives 12 nonnegative features non-linearly and 3 outcomes linearly plus noise."""
    rng = np.random.default_rng(seed)
    h = rng.normal(size=n)
    cols = {}
    for j in range(10):
        a = rng.uniform(0.5, 1.5)
        cols[f"f{j}"] = np.exp(a * h + 0.25 * rng.normal(size=n)) if j % 2 else np.log1p(np.exp(2 * a * h)) ** 2 + 0.3 * rng.exponential(size=n)
    # the classic proxies are weak, noisy functions of h
    cols["h_index_max"] = np.round(np.exp(0.3 * h + rng.normal(size=n)))
    cols["prior_citations_sum"] = np.exp(0.4 * h + rng.normal(size=n))
    cols["prior_pubs_sum"] = np.exp(0.2 * h + rng.normal(size=n))
    feats = pd.DataFrame(cols)
    outcomes = pd.DataFrame({f"y{k}": a * h + b + 0.3 * rng.normal(size=n) for k, (a, b) in enumerate([(1.0, 0.5), (-0.7, 2.0), (1.5, -1.0)])})
    outcomes.loc[rng.random(n) < 0.1, "y2"] = np.nan  # some outcomes missing, as past a corpus end
    meta = pd.DataFrame({"paper_id": [f"p{i}" for i in range(n)], "date": pd.Timestamp("2000-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D"),
                         "junior": rng.random(n) < 0.3})
    meta["period"] = meta["date"].dt.year * 12 + meta["date"].dt.month - 1
    return FeatureTable("synthetic", feats, outcomes, meta), h


def test_bottleneck_recovers_latent_and_beats_h_index():
    table, h = synthetic_table()
    split = make_split(table, QUICK)
    net = train_network(table, split, QUICK)
    unit = net.score_table(table)
    r = np.corrcoef(unit[split.test], h[split.test])[0, 1]
    assert abs(r) >= 0.9, r
    val = validate(table, net, split, seed=0)
    t = val.table[val.table["subset"] == "all"].set_index(["outcome", "predictor"])
    for outcome in table.outcomes.columns:
        assert t.loc[(outcome, "network"), "mse"] < t.loc[(outcome, "h_index"), "mse"], outcome
    # the test rows were never used for fitting: n equals the test rows with that outcome
    y2_test = int(table.outcomes["y2"].iloc[split.test].notna().sum())
    assert t.loc[("y2", "network"), "n"] == y2_test


def test_training_is_deterministic():
    table, _ = synthetic_table(n=800, seed=1)
    cfg = TrainConfig(hidden=(16,), max_epochs=5, patience=5, batch_size=128, seed=7)
    split = make_split(table, cfg)
    a = train_network(table, split, cfg).score_table(table)
    b = train_network(table, split, cfg).score_table(table)
    np.testing.assert_array_equal(a, b)


def test_split_is_disjoint_and_covers_usable_rows():
    table, _ = synthetic_table(n=500, seed=2)
    s = make_split(table, QUICK)
    allrows = np.concatenate([s.train, s.val, s.test])
    assert len(set(allrows)) == len(allrows) == 500
    assert abs(len(s.test) - 75) <= 1


def test_univariate_baseline_matches_statsmodels_ols():
    import statsmodels.api as sm

    table, _ = synthetic_table(n=600, seed=4)
    split = make_split(table, QUICK)
    preds = baseline_predictions(table, split, seed=0)
    rows = np.concatenate([split.train, split.val])
    x = np.log1p(table.features["h_index_max"].to_numpy())
    y = table.outcomes["y0"].to_numpy()
    fit = sm.OLS(y[rows], sm.add_constant(x[rows])).fit()
    np.testing.assert_allclose(preds["h_index"][:, 0], fit.predict(sm.add_constant(x)), rtol=1e-8)


def test_metrics_against_closed_forms():
    rng = np.random.default_rng(0)
    y = rng.normal(size=200)
    p = y + rng.normal(size=200)
    m = metrics(y, p, rng)
    from scipy.stats import pearsonr

    res = pearsonr(p, y)
    ci = res.confidence_interval(0.95)
    assert abs(m["r"] - res.statistic) < 1e-12
    assert abs(m["r_lo"] - ci.low) < 1e-9 and abs(m["r_hi"] - ci.high) < 1e-9
    assert abs(m["precision"] - 1 / np.mean((p - y) ** 2)) < 1e-12
    assert m["precision_lo"] < m["precision"] < m["precision_hi"]
    assert np.isnan(fisher_ci(0.5, 3)[0])
