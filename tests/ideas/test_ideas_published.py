"""Published Tables 4/5 as package data, and §7 reproduced from them."""

from __future__ import annotations

import numpy as np
import pytest

from aiprogress.errors import ParameterError
from aiprogress.growth import growth_distribution, growth_from_estimates, published_growth
from aiprogress.ideas.published import published_estimates, published_growth_ranges

# Numbers quoted in the paper's running text of §6 and §7 (an independent check on the
# transcription of the tables into package data).
TEXT_GAMMA = {"A1": 0.246, "A2": 0.350, "B1": 0.352, "B2": 0.319, "C1": 0.278, "C2": 0.298}
TEXT_BETA = {"A1": 0.111, "A2": 0.140, "B1": 0.246, "C1": 0.145, "C2": 0.176}
TEXT_SECTION7_PCT = {"A": (1.6, 1.8), "B": (3.1, 3.9), "C": (2.1, 2.4)}


def closed_form_growth_pct(beta_hat: float, gamma_hat: float, theta=0.5, gamma_cal=0.4, n=0.01) -> float:
    """§7 calibration, written independently: beta = gamma_cal * beta_hat / gamma_hat."""
    b = gamma_cal * beta_hat / gamma_hat
    return 100 * n * (b + gamma_cal) / (1 - b - theta)


def test_main_tables_agree_with_the_papers_text():
    est = published_estimates(main_only=True).set_index("model")
    assert list(est.index) == ["A1", "A2", "B1", "B2", "C1", "C2"]
    for m, g in TEXT_GAMMA.items():
        assert est.loc[m, "gamma"] == g
    for m, b in TEXT_BETA.items():
        assert est.loc[m, "beta"] == b
    assert est.n.tolist() == [96, 96, 40, 40, 136, 136]
    assert set(est.table) == {"Table 4", "Table 5"} and (est.window_months == 12).all()
    assert est.source.str.contains("Table 4|Table 5").all()
    # §6 text: implied capital shares range from 0.29 to 0.44.
    f = est.beta / (est.beta + est.gamma)
    assert round(f.min(), 2) == 0.29 and round(f.max(), 2) == 0.44


def test_estimates_table_has_every_window_and_filters():
    full = published_estimates()
    assert len(full) == 6 + 9 + 9
    assert sorted(full.window_months.unique()) == [6, 12, 18]
    t6 = published_estimates(["Table 6"])
    assert set(t6.model) == {"A1", "B1", "C1"} and len(t6) == 9
    assert full[["beta", "beta_se", "gamma", "gamma_se", "loglik"]].notna().all().all()
    with pytest.raises(ParameterError) as err:
        published_estimates(["Table 99"])
    assert err.value.name == "tables"


def test_section7_ranges_are_stored_with_their_source():
    r = published_growth_ranges().set_index("group")
    for grp, (lo, hi) in TEXT_SECTION7_PCT.items():
        assert (r.loc[grp, "growth_low_pct"], r.loc[grp, "growth_high_pct"]) == (lo, hi)
        assert "Section 7" in r.loc[grp, "source"]
        assert (r.loc[grp, "theta"], r.loc[grp, "gamma"], r.loc[grp, "n"]) == (0.5, 0.4, 0.01)


def test_published_growth_reproduces_section7():
    rep = published_growth()
    est = published_estimates(main_only=True).set_index("model")
    got = rep.models.set_index("model")
    for m in est.index:
        expected = closed_form_growth_pct(est.loc[m, "beta"], est.loc[m, "gamma"])
        assert got.loc[m, "g_A_pct"] == pytest.approx(expected, abs=1e-9)
    for grp, (lo, hi) in TEXT_SECTION7_PCT.items():
        vals = got[got.index.str.startswith(grp)].g_A_pct
        # published to one decimal: reproduced min/max within half a rounding unit
        assert abs(vals.min() - lo) <= 0.05 and abs(vals.max() - hi) <= 0.05
    assert rep.all_match and rep.calibration_matches_paper


def test_other_calibration_is_flagged():
    rep = published_growth(theta=0.4)
    assert not rep.calibration_matches_paper
    got = rep.models.set_index("model").loc["C1", "g_A_pct"]
    assert got == pytest.approx(closed_form_growth_pct(0.145, 0.278, theta=0.4))


def test_direct_method_uses_estimates_as_elasticities():
    g = growth_from_estimates(0.145, 0.278, method="direct")
    assert g.g_A == pytest.approx((0.145 + 0.278) / (1 - 0.145 - 0.5) * 0.01)
    with pytest.raises(ParameterError) as err:
        growth_from_estimates(0.145, 0.278, method="other")
    assert err.value.name == "method"
    with pytest.raises(ParameterError) as err:
        growth_from_estimates(-0.1, 0.278)
    assert err.value.name == "beta"


def test_distribution_of_identical_draws_is_the_point_value():
    d = growth_distribution(np.full(50, 0.145), np.full(50, 0.278))
    expected = closed_form_growth_pct(0.145, 0.278) / 100
    for v in d.percentiles.values():
        assert v == pytest.approx(expected, rel=1e-12)


def test_distribution_percentiles_match_numpy_on_independent_closed_form():
    rng = np.random.default_rng(3)
    b = rng.normal(0.145, 0.022, 2000)
    c = rng.normal(0.278, 0.088, 2000)
    d = growth_distribution(b, c, percentiles=(5, 50, 95))
    ok = (b > 0) & (c > 0)
    beta = 0.4 * b[ok] / c[ok]
    g = np.where(beta + 0.5 < 1, (beta + 0.4) / (1 - beta - 0.5) * 0.01, np.inf)
    assert d.n_outside_domain == int((~ok).sum())
    assert d.n_explosive == int(np.isinf(g).sum())
    assert d.percentiles["p50"] == pytest.approx(np.percentile(g, 50), rel=1e-12)
    assert d.percentiles["p5"] == pytest.approx(np.percentile(g, 5), rel=1e-12)


def test_distribution_counts_explosive_and_invalid_draws():
    # f = 0.6 > f_max = 5/9 -> explosive; negative beta -> outside domain
    d = growth_distribution(np.array([0.6, -0.1, 0.2]), np.array([0.4, 0.3, 0.8]))
    assert (d.n_draws, d.n_used, d.n_outside_domain, d.n_explosive) == (3, 2, 1, 1)
    assert d.percentiles["p95"] == np.inf
    assert d.draws.status.tolist() == ["explosive", "outside_domain", "ok"]
    with pytest.raises(ParameterError) as err:
        growth_distribution(np.array([0.1, 0.2]), np.array([0.3]))
    assert err.value.name == "gamma_draws"
