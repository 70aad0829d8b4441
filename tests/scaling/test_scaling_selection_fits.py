"""Selection rules on small fixtures; every fit against an independent statsmodels call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from aiprogress.errors import InputError, ParameterError
from aiprogress.paths import resolve_data_dir
from aiprogress.scaling import SelectionRules, build_sample, fit_scaling
from aiprogress.scaling.extrapolate import CostConversion, extrapolate_fit, inverse_interval


def _bench(n: int = 30, seed: int = 1, benchmark: str = "ms_coco") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(8, 13, n)  # log10 GFLOP of hardware burden
    year = rng.integers(2014, 2021, n)
    err = 10 ** (0.1 - 0.05 * x + rng.normal(0, 0.04, n))
    count = rng.integers(1, 9, n).astype(float)
    secs = 10 ** rng.uniform(4, 6, n)
    total_gflops = 10**x / secs
    return pd.DataFrame(
        {
            "benchmark": benchmark,
            "model": [f"m{i}" for i in range(n)],
            "paper_title": [f"paper {i // 3}" for i in range(n)],
            "url": None,
            "year": year,
            "error_rate": err,
            "forward_flop": 10 ** rng.uniform(8, 11, n),
            "parameters": 10 ** rng.uniform(6, 8, n),
            "epochs": 90.0,
            "train_examples": 1.2e6,
            "processor_count": count,
            "processor_gflops": total_gflops / count,
            "hardware_gflops_total": total_gflops,
            "train_seconds": secs,
            "train_seconds_method": "time_sec",
            "extra_data": None,
            "source_line": np.arange(2, n + 2),
        }
    )


@pytest.mark.parametrize("form,lhs", [("polynomial", "le"), ("exponential", "error_rate"), ("exponential_performance", "inv")])
def test_ols_forms_match_independent_statsmodels(form, lhs):
    sample = build_sample(_bench(), "ms_coco", "hardware_burden", SelectionRules())
    fit = fit_scaling(sample, form)
    d = sample.frame.assign(lc=np.log10(sample.frame["compute"]), le=np.log10(sample.frame["error_rate"]), inv=1 / sample.frame["error_rate"])
    ref = smf.ols(f"{lhs} ~ lc", d).fit()
    assert fit.n == int(ref.nobs) == 30
    assert fit.slope == pytest.approx(ref.params["lc"], rel=1e-10)
    assert fit.const == pytest.approx(ref.params["Intercept"], rel=1e-10)
    assert fit.slope_se == pytest.approx(ref.bse["lc"], rel=1e-10)
    assert fit.r2 == pytest.approx(ref.rsquared, rel=1e-10)
    assert fit.adj_r2 == pytest.approx(ref.rsquared_adj, rel=1e-10)
    assert fit.resid_se == pytest.approx(np.sqrt(ref.mse_resid), rel=1e-10)
    assert fit.f_stat == pytest.approx(ref.fvalue, rel=1e-10)
    assert fit.aic == pytest.approx(ref.aic, rel=1e-10)


def test_polynomial_degree_and_interval_invert_the_slope_interval():
    sample = build_sample(_bench(), "ms_coco", "hardware_burden", SelectionRules())
    fit = fit_scaling(sample, "polynomial")
    d = sample.frame.assign(lc=np.log10(sample.frame["compute"]), le=np.log10(sample.frame["error_rate"]))
    lo, hi = smf.ols("le ~ lc", d).fit().conf_int().loc["lc"]
    assert fit.degree == pytest.approx(-1 / fit.slope)
    assert fit.degree_ci_low == pytest.approx(-1 / lo)
    assert fit.degree_ci_high == pytest.approx(-1 / hi)


def test_trend_model_and_years_per_10x_match_statsmodels_and_delta_method():
    sample = build_sample(_bench(40, seed=3), "ms_coco", "hardware_burden", SelectionRules())
    fit = fit_scaling(sample, "trend")
    d = sample.frame.assign(lc=np.log10(sample.frame["compute"]), le=np.log10(sample.frame["error_rate"]), ys=sample.frame["year"] - 2012)
    ref = smf.ols("le ~ lc + ys", d).fit()
    assert fit.year_coef == pytest.approx(ref.params["ys"], rel=1e-10)
    assert fit.year_se == pytest.approx(ref.bse["ys"], rel=1e-10)
    b, c = ref.params["lc"], ref.params["ys"]
    assert fit.years_per_10x == pytest.approx(b / c, rel=1e-10)
    v = ref.cov_params().loc[["lc", "ys"], ["lc", "ys"]].to_numpy()
    g = np.array([1 / c, -b / c**2])
    half = stats.t.ppf(0.975, ref.df_resid) * np.sqrt(g @ v @ g)
    assert fit.years_per_10x_ci_high - fit.years_per_10x == pytest.approx(half, rel=1e-8)


def test_frontier_matches_quantreg():
    sample = build_sample(_bench(50, seed=5), "ms_coco", "hardware_burden", SelectionRules())
    fit = fit_scaling(sample, "frontier", quantile=0.1)
    d = sample.frame.assign(lc=np.log10(sample.frame["compute"]), le=np.log10(sample.frame["error_rate"]))
    ref = smf.quantreg("le ~ lc", d).fit(q=0.1)
    assert fit.slope == pytest.approx(ref.params["lc"], rel=1e-8)
    assert fit.const == pytest.approx(ref.params["Intercept"], rel=1e-8)
    assert fit.r2 == pytest.approx(ref.prsquared, rel=1e-8)


def test_hardware_burden_is_total_gflops_times_seconds_and_counts_drops():
    t = _bench(9)
    t.loc[0, ["hardware_gflops_total", "processor_gflops"]] = np.nan  # no GFLOPS
    t.loc[1, "train_seconds"] = np.nan  # no time
    t.loc[2, "error_rate"] = np.nan
    t.loc[3, ["train_seconds_method"]] = "parsed"  # free text only
    # total missing but per-device and count present -> product used
    t.loc[4, "hardware_gflops_total"] = np.nan
    s = build_sample(t, "ms_coco", "hardware_burden", SelectionRules())
    assert s.dropped == {"no error rate": 1, "training time only as free text (parsed_train_time=False)": 1, "no processor GFLOPS": 1, "no training time": 1}
    assert s.n == 5
    row4 = s.frame.set_index("model").loc["m4"]
    assert row4["compute"] == pytest.approx(t.loc[4, "processor_count"] * t.loc[4, "processor_gflops"] * t.loc[4, "train_seconds"])
    row5 = s.frame.set_index("model").loc["m5"]
    assert row5["compute"] == pytest.approx(t.loc[5, "hardware_gflops_total"] * t.loc[5, "train_seconds"])
    assert build_sample(t, "ms_coco", "hardware_burden", SelectionRules(parsed_train_time=True)).n == 6


def test_row_rules_keep_the_best_model_per_paper_and_per_paper_compute():
    t = pd.DataFrame(
        {
            "benchmark": "imagenet",
            "model": ["a", "b", "c", "d", "e"],
            "paper_title": ["P", "P", "P", "Q", "Q"],
            "year": 2018,
            "error_rate": [0.3, 0.2, 0.25, 0.4, 0.35],
            "hardware_gflops_total": [10.0, 10.0, 20.0, 5.0, 5.0],
            "train_seconds": 100.0,
        }
    )
    best = build_sample(t, "imagenet", "hardware_burden", SelectionRules(rows="best_per_paper"))
    assert sorted(best.frame["model"]) == ["b", "e"]
    assert best.dropped["not the best model of its paper"] == 3
    bpc = build_sample(t, "imagenet", "hardware_burden", SelectionRules(rows="best_per_paper_compute"))
    assert sorted(bpc.frame["model"]) == ["b", "c", "e"]
    assert build_sample(t, "imagenet", "hardware_burden", SelectionRules(rows="all")).n == 5


def test_extra_data_rule_and_metric_switch():
    t = _bench(6)
    t["extra_data"] = [True, False, None, True, False, None]
    t["metrics"] = ['{"box_ap": 40}', '{"box_ap": 50}', '{"box_ap": 30}', '{"box_ap": 45}', '{"box_ap": 20}', "{}"]
    assert build_sample(t, "ms_coco", "hardware_burden", SelectionRules(extra_data="exclude")).n == 4
    assert build_sample(t, "ms_coco", "hardware_burden", SelectionRules(extra_data="only")).n == 2
    s = build_sample(t, "ms_coco", "hardware_burden", SelectionRules(metric="box_ap"))
    assert s.dropped == {"no error rate": 1}
    assert s.frame["error_rate"].tolist() == pytest.approx([0.6, 0.5, 0.7, 0.55, 0.8])


def test_per_pass_fill_from_parameters_uses_the_conversion_regression_within_its_range():
    rng = np.random.default_rng(0)
    p = 10 ** rng.uniform(6, 8, 12)
    flop = 10 ** (0.3 + 1.3 * np.log10(p) + rng.normal(0, 0.05, 12))
    t = pd.DataFrame({"benchmark": "imagenet", "model": [f"m{i}" for i in range(15)], "paper_title": "P", "year": 2018,
                      "error_rate": np.linspace(0.2, 0.4, 15),
                      "forward_flop": list(flop) + [np.nan] * 3, "parameters": list(p) + [3e7, 5e10, np.nan]})
    s = build_sample(t, "imagenet", "per_pass", SelectionRules())
    ref = smf.ols("lf ~ lp", pd.DataFrame({"lf": np.log10(flop), "lp": np.log10(p)})).fit()
    assert s.conversion.slope == pytest.approx(ref.params["lp"])
    filled = s.frame.set_index("model").loc["m12"]
    assert bool(filled["flop_filled"])
    assert filled["compute"] == pytest.approx(10 ** (ref.params["Intercept"] + ref.params["lp"] * np.log10(3e7)))
    assert s.dropped == {"parameters outside the FLOP-conversion range (not filled)": 1, "no FLOP per pass or parameter count": 1}
    assert build_sample(t, "imagenet", "per_pass", SelectionRules(fill_flop_from_parameters=False)).n == 12


def test_reference_model_normalisation_only_moves_the_intercept():
    t = _bench(20, benchmark="imagenet")
    t.loc[0, "model"] = "AlexNet"
    a = fit_scaling(build_sample(t, "imagenet", "per_pass", SelectionRules()), "polynomial")
    b = fit_scaling(build_sample(t, "imagenet", "per_pass", SelectionRules(reference_model="AlexNet")), "polynomial")
    assert b.slope == pytest.approx(a.slope)
    assert b.const == pytest.approx(a.const + a.slope * np.log10(t.loc[0, "forward_flop"]))


def test_bad_inputs_raise_named_errors():
    with pytest.raises(ParameterError, match="rows"):
        SelectionRules(rows="some")
    with pytest.raises(ParameterError, match="benchmark"):
        build_sample(_bench(), "mnist", "hardware_burden")
    with pytest.raises(ParameterError, match="measure"):
        build_sample(_bench(), "ms_coco", "flops")
    with pytest.raises(InputError, match="column 'error_rate'"):
        build_sample(_bench().drop(columns="error_rate"), "ms_coco", "hardware_burden")
    with pytest.raises(InputError, match="usable rows"):
        fit_scaling(build_sample(_bench(2), "ms_coco", "hardware_burden", SelectionRules()), "polynomial")


# --- extrapolation against the closed form ---------------------------------------------------


def test_extrapolation_point_is_the_closed_form_and_interval_is_where_the_band_hits_the_target():
    sample = build_sample(_bench(40, seed=7), "ms_coco", "hardware_burden", SelectionRules())
    fit = fit_scaling(sample, "polynomial")
    conv = CostConversion.default(usd_per_gflop=1e-8, co2_lbs_per_gflop=2e-9)
    e = extrapolate_fit(fit, 0.05, conv)
    assert e.log10_compute == pytest.approx((np.log10(0.05) - fit.const) / fit.slope)
    assert e.log10_usd == pytest.approx(e.log10_compute - 8)
    assert e.log10_co2_lbs == pytest.approx(e.log10_compute + np.log10(2e-9))
    d = sample.frame.assign(x=np.log10(sample.frame["compute"]), y=np.log10(sample.frame["error_rate"]))
    ref = smf.ols("y ~ x", d).fit()
    band = ref.get_prediction(pd.DataFrame({"x": [e.log10_compute_low, e.log10_compute_high]})).summary_frame(alpha=0.05)
    # at the interval ends one side of the 95% band of the mean passes exactly through the target
    hits = np.minimum(np.abs(band["mean_ci_lower"] - np.log10(0.05)), np.abs(band["mean_ci_upper"] - np.log10(0.05)))
    assert hits.max() < 1e-8
    assert e.log10_compute_low < e.log10_compute < e.log10_compute_high


@settings(max_examples=30, deadline=None)
@given(a=st.floats(-1, 1), b=st.floats(-0.5, -0.01), target=st.floats(0.001, 0.9))
def test_inverse_interval_point_inverts_the_line(a, b, target):
    from aiprogress.scaling.fits import ScalingFit

    fit = ScalingFit(benchmark="x", measure="hardware_burden", form="polynomial", response="", compute_unit="GFLOP", n=20,
                     const=a, const_se=0.0, slope=b, slope_se=0.0, slope_pvalue=0.0, year_coef=np.nan, year_se=np.nan,
                     r2=0.5, adj_r2=0.5, resid_se=0.1, f_stat=1.0, f_pvalue=0.0, aic=0.0, df_resid=18.0, degree=-1 / b,
                     degree_ci_low=np.nan, degree_ci_high=np.nan, years_per_10x=np.nan, years_per_10x_ci_low=np.nan,
                     years_per_10x_ci_high=np.nan, cov_const_const=1e-4, cov_const_slope=0.0, cov_slope_slope=1e-6)
    y = np.log10(target)
    x0, lo, hi = inverse_interval(fit, y)
    assert a + b * x0 == pytest.approx(y, abs=1e-9)
    assert lo <= x0 <= hi


def test_cost_conversion_defaults_follow_strubell_reference_run():
    c = CostConversion.default()
    gflop = 8 * 9300 * 84 * 3600  # 8 P100 for 84 h (Strubell et al. 2019, Table 3, Transformer big)
    assert c.co2_lbs_per_gflop == pytest.approx(192 / gflop, rel=1e-3)
    assert c.usd_per_gflop == pytest.approx(np.sqrt(289 * 981) / gflop, rel=1e-3)
    with pytest.raises(ParameterError, match="usd_per_gflop"):
        CostConversion.default(usd_per_gflop=-1)


# --- own-models rule (ImageNet per-pass default) ------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"


def test_own_models_rule_drops_marked_rows_and_fits_the_rest():
    t = pd.read_csv(FIXTURES / "imagenet_own_models.csv")
    paper = build_sample(t, "imagenet", "per_pass")  # the paper's default turns the rule on
    assert paper.rules.own_models_only
    assert paper.dropped == {
        "model-zoo collection row (cites a code repository, not a paper)": 2,
        "re-implementation of another paper's model": 1,
        "model not trained in the cited paper": 1,
    }
    # kept: every paper's own model, including a row with no title whose URL is a paper, not a code repository
    own = ["AlexNet", "NetB-small", "NetB-large", "NetC", "NetD", "NetE", "NetF", "NetY"]
    assert sorted(paper.frame["model"]) == sorted(own)
    # independent reference: OLS on the hand-picked own-model rows, compute relative to AlexNet
    ref_rows = t[t["model"].isin(own)]
    d = pd.DataFrame({"le": np.log10(ref_rows["error_rate"]), "lc": np.log10(ref_rows["forward_flop"] / 7.0e8)})
    ref = smf.ols("le ~ lc", d).fit()
    fit = fit_scaling(paper, "polynomial")
    assert fit.slope == pytest.approx(ref.params["lc"], rel=1e-10)
    assert fit.const == pytest.approx(ref.params["Intercept"], rel=1e-10)
    assert fit.r2 == pytest.approx(ref.rsquared, rel=1e-10)
    # switched off, all 12 rows enter; other measures/benchmarks do not use the rule by default
    everything = build_sample(t, "imagenet", "per_pass", SelectionRules.paper("imagenet", "per_pass", own_models_only=False))
    assert everything.n == len(t) and everything.dropped == {}
    assert not SelectionRules.paper("imagenet", "hardware_burden").own_models_only
    assert not SelectionRules.paper("ms_coco", "per_pass").own_models_only


@pytest.mark.skipif(not (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file(), reason="shared data not found")
def test_own_models_drop_counts_match_the_markers_in_the_raw_imagenet_file():
    from aiprogress.data import load_table

    raw = pd.read_csv(resolve_data_dir() / "thompson2020" / "imagenet.csv")
    has_err = raw["top1_error"].notna()
    zoo = raw["paper"].isna() & raw["url"].astype(str).str.contains("github.com") & has_err
    reimpl = raw["model"].astype(str).str.contains("reimplementation", case=False) & has_err & ~zoo
    not_trained = raw["comments"].astype(str).str.contains("not trained in this paper", case=False) & has_err & ~zoo & ~reimpl
    s = build_sample(load_table("benchmark_results"), "imagenet", "per_pass")
    assert s.dropped["model-zoo collection row (cites a code repository, not a paper)"] == int(zoo.sum())
    assert s.dropped["re-implementation of another paper's model"] == int(reimpl.sum())
    assert s.dropped["model not trained in the cited paper"] == int(not_trained.sum())
    assert not s.frame["paper"].str.contains("github.com").any()
