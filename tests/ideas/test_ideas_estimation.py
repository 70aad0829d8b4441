"""Idea production function: innovation measure, estimation, robustness, simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats as sps

from aiprogress.errors import InputError, ParameterError
from aiprogress.ideas import estimate, innovation, prepare_sample, simulate
from aiprogress.ideas.estimate import LOG_C, LOG_S, TRANSLOG, _sigma_delta, build_design, lr_test_pooled
from aiprogress.ideas.robustness import subsample, window_robustness
from aiprogress.stats.linear import ols_hc


def test_innovation_is_the_logit_difference():
    p = np.array([0.8, 0.6, 0.95])
    b = np.array([0.7, 0.65, 0.9])
    expected = np.log(p / b) + np.log((1 - b) / (1 - p))
    np.testing.assert_allclose(innovation(p, b), expected, rtol=1e-14)
    np.testing.assert_allclose(innovation(p, b), sps.logistic.ppf(p) - sps.logistic.ppf(b), rtol=1e-12)
    assert np.isnan(innovation([1.0], [0.5])[0])


def _rows():
    return pd.DataFrame({
        "benchmark": ["imagenet"] * 6,
        "model": ["AlexNet", "A", "B", "C", "D", "E"],
        "paper_title": ["p0", "p1", "p2", "p3", "p4", "p5"],
        "year": [2012, 2013, 2014, 2014, 2015, 2015],
        "error_rate": [0.40, 0.35, 0.30, 0.45, 0.25, 0.20],
        "forward_flop": [1e9] * 6, "train_examples": [1.2e6] * 6, "epochs": [90.0] * 6,
    })


def test_baseline_rules_window_median_and_touchstone():
    rows = _rows()
    s = prepare_sample(rows, benchmarks=["imagenet"], baseline="window_median", human_capital="paper_rows")
    # 2014 rows: baseline = 2013 median (1-0.35); 2015 rows: 2014 median of 0.70 and 0.55
    base = dict(zip(s.frame["model"], s.frame["baseline_performance"]))
    assert base["B"] == pytest.approx(0.65) and base["D"] == pytest.approx(np.median([0.70, 0.55]))
    assert "C" not in base  # 0.55 < 0.65: g~ <= 0, dropped and reported
    assert (s.dropped["reason"].str.startswith("g~ <= 0")).sum() == 1
    assert s.coverage["nonpositive_g_tilde"] == 1
    t = prepare_sample(rows, benchmarks=["imagenet"], baseline="touchstone", human_capital="paper_rows")
    np.testing.assert_allclose(t.frame["baseline_performance"], 0.60, rtol=1e-12)
    assert "AlexNet" not in set(t.frame["model"])
    f = prepare_sample(rows, benchmarks=["imagenet"], baseline="window_median", nonpositive="floor", human_capital="paper_rows")
    g = dict(zip(f.frame["model"], f.frame["g_tilde"]))
    assert g["C"] == pytest.approx(0.5 * min(v for k, v in g.items() if k != "C"))


def test_column_baseline_and_compute_geometric_mean():
    rows = _rows().assign(baseline_error_rate=0.5, processor_count=2.0, processor_gflops=1000.0, train_seconds=3600.0)
    s = prepare_sample(rows, benchmarks=["imagenet"], baseline="column", human_capital="paper_rows")
    ops = 3 * 1e9 * 1.2e6 * 90
    from aiprogress.compute.estimate import DEFAULT_UTILIZATION

    hw = 2 * 1000e9 * 3600 * DEFAULT_UTILIZATION
    np.testing.assert_allclose(s.frame["train_flop"], np.sqrt(ops * hw), rtol=1e-12)
    assert set(s.frame["compute_method"]) == {"geometric mean"}


def test_bad_inputs_name_the_parameter_or_column(tmp_path):
    rows = _rows()
    with pytest.raises(ParameterError, match="baseline"):
        prepare_sample(rows, baseline="previous")
    with pytest.raises(ParameterError, match="benchmarks"):
        prepare_sample(rows, benchmarks=["mnist"])
    with pytest.raises(ParameterError, match="touchstones"):
        prepare_sample(rows, benchmarks=["imagenet"], touchstones={"imagenet": "VGG-99"}, human_capital="paper_rows")
    with pytest.raises(InputError, match="error_rate"):
        prepare_sample(rows.assign(error_rate=[0.4, 1.2, 0.3, 0.4, 0.2, 0.1]), benchmarks=["imagenet"])
    csv = tmp_path / "hc.csv"
    csv.write_text("paper_title,human_capital\np1,2.0\np2,abc\n")
    with pytest.raises(InputError, match=r"hc.csv, line 3, column 'human_capital'"):
        prepare_sample(rows, benchmarks=["imagenet"], human_capital=str(csv))


def test_human_capital_csv_replaces_the_proxy(tmp_path):
    csv = tmp_path / "hc.csv"
    csv.write_text("paper_title,human_capital\np1,2.0\np2,3.0\np4,5.0\n")
    s = prepare_sample(_rows(), benchmarks=["imagenet"], human_capital=str(csv))
    assert dict(zip(s.frame["paper_title"], s.frame["human_capital"])) == {"p1": 2.0, "p2": 3.0, "p4": 5.0}
    assert s.human_capital_source == "csv:hc.csv"


def _statsmodels_fit(frame: pd.DataFrame):
    """Independent design: formula API with benchmark x calendar-year dummies (12-month windows)."""
    f = frame.assign(fe=frame["benchmark"] + "_" + pd.to_datetime(frame["date"]).dt.year.astype(str))
    return smf.ols("np.log(g_tilde) ~ 0 + C(fe) + np.log(human_capital) + np.log(train_flop) + extra_data + reimplementation", f).fit()


def test_ols_estimates_and_paper_hc_errors_match_statsmodels_to_1e8():
    sim = simulate(150, seed=4)
    est = estimate(sim, separate=False, n_boot=0, translog=False, estimator="ols")
    m = est.models[-1]
    res = _statsmodels_fit(sim.frame)
    n, k = int(res.nobs), len(res.params)
    hc = np.sqrt(np.diag(res.cov_HC0) * (n - 1) / (n - k))
    names = list(res.params.index)
    for ours, theirs in [(LOG_C, "np.log(train_flop)"), (LOG_S, "np.log(human_capital)"), ("extra_data", "extra_data")]:
        j = names.index(theirs)
        assert m.coef(ours)[0] == pytest.approx(res.params.iloc[j], abs=1e-8)
        assert m.coef(ours)[1] == pytest.approx(hc[j], abs=1e-8)
    assert m.fit.llf == pytest.approx(res.llf, abs=1e-8)
    assert m.nobs == n == 150


def test_interval_covers_true_beta_and_gamma_in_at_least_90_of_100_simulations():
    both = 0
    for s in range(100):
        sim = simulate(150, beta=0.15, gamma=0.3, seed=s)
        m = estimate(sim, separate=False, n_boot=0, translog=False).models[-1]
        lb, hb = m.conf_int(LOG_C)
        lg, hg = m.conf_int(LOG_S)
        both += (lb <= 0.15 <= hb) and (lg <= 0.3 <= hg)
    assert both >= 90


def test_capital_share_bootstrap_interval_covers_at_roughly_nominal_rate():
    hits = 0
    for s in range(60):
        sim = simulate(150, beta=0.15, gamma=0.3, seed=1000 + s)
        m = estimate(sim, separate=False, n_boot=400, translog=False, seed=s, f_level=0.9, scheduler="sync").models[-1]
        lo, hi = m.capital_share_ci
        hits += lo <= sim.capital_share <= hi
    # 90% nominal; binomial(60, 0.9) puts 99.9% of its mass in [46, 59]
    assert 46 <= hits <= 60


def test_gls_branch_on_heteroskedastic_data_matches_statsmodels_wls():
    import statsmodels.api as sm

    sim = simulate(300, hetero=1.5, seed=2)
    m = estimate(sim, separate=False, n_boot=0, translog=False).models[-1]
    assert m.breusch_pagan.rejects_at_5pct and m.estimator == "GLS (ML)"
    d = build_design(sim.frame)
    w = np.exp(-(d.Z @ m.fit.variance_params))
    ref = sm.WLS(d.y, d.X, weights=w).fit(cov_type="fixed scale", cov_kwds={"scale": 1.0})
    np.testing.assert_allclose(m.fit.params, ref.params, atol=1e-10)
    np.testing.assert_allclose(m.fit.bse, ref.bse, rtol=1e-10)


def test_lr_test_equals_twice_the_loglik_gap_of_statsmodels_fits():
    sim = simulate(150, seed=8)
    t = lr_test_pooled(sim.frame, window_months=12, trend=False, controls=("extra_data", "reimplementation"))
    pooled = _statsmodels_fit(sim.frame)
    sep = [_statsmodels_fit(g) for _, g in sim.frame.groupby("benchmark")]
    lr = 2 * (sum(r.llf for r in sep) - pooled.llf)
    df = sum(len(r.params) + 1 for r in sep) - (len(pooled.params) + 1)
    assert t.lr == pytest.approx(lr, abs=1e-8) and t.df == df
    assert t.pvalue == pytest.approx(sps.chi2.sf(lr, df), rel=1e-10)


def test_sigma_delta_method_matches_numerical_gradient():
    sim = simulate(150, seed=3)
    d = build_design(sim.frame, translog=True)
    fit = ols_hc(d.X, d.y, d.names)
    rho, sigma, se, _ = _sigma_delta(fit)
    idx = [fit.index(TRANSLOG), fit.index(LOG_S), fit.index(LOG_C)]
    p0 = fit.params[idx]

    def sig(p):
        return 1 / (1 - p[0] / (p[1] * p[2]))

    h = 1e-6
    grad = np.array([(sig(p0 + h * e) - sig(p0 - h * e)) / (2 * h) for e in np.eye(3)])
    V = fit.cov[np.ix_(idx, idx)]
    assert sigma == pytest.approx(sig(p0), rel=1e-12)
    assert se == pytest.approx(float(np.sqrt(grad @ V @ grad)), rel=1e-5)


def test_window_robustness_and_trend_columns():
    sim = simulate(150, seed=5)
    wr = window_robustness(sim, windows=(6, 12, 18), separate=False, n_boot=0, translog=False, trend=True)
    frame = wr.to_frame()
    assert list(frame["window_months"]) == [6, 12, 18]
    assert frame["trend"].notna().all()  # identified: dates have day resolution


def test_drop_k_subsampling_quick_variant_matches_statsmodels():
    import statsmodels.api as sm

    sim = simulate(136, years=6.0, seed=0)
    res = subsample(sim, separate=False, drop_k=5, max_draws=10_000, seed=1, estimator="ols")
    m = res.models[0]
    assert m.n_draws == 10_000 and m.kind == "drop-k (random subsets)" and m.nobs == 136
    # re-draw the first chunk's subsets with the same seed path and check a few against statsmodels
    from aiprogress.stats.resample import drop_k_subsets, seed_sequence

    rng = np.random.default_rng(1)
    child = seed_sequence(rng).spawn(1)[0]
    subsets = drop_k_subsets(136, 5, 10_000, np.random.default_rng(child))
    d = build_design(sim.frame)
    for i in (0, 17, 4242):
        keep = np.ones(136, bool)
        keep[subsets[i]] = False
        ref = sm.OLS(d.y[keep], d.X[keep]).fit().params
        assert m.draws[i, 0] == pytest.approx(ref[d.col(LOG_C)], abs=1e-8)
        assert m.draws[i, 1] == pytest.approx(ref[d.col(LOG_S)], abs=1e-8)


def test_simulate_is_reproducible_and_g_tilde_is_recovered_from_performances():
    a, b = simulate(100, seed=7), simulate(100, seed=7)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    np.testing.assert_allclose(innovation(a.frame["performance"], a.frame["baseline_performance"]), a.frame["g_tilde"], rtol=1e-9)
    with pytest.raises(ParameterError, match="theta"):
        simulate(100, theta=1.5)
