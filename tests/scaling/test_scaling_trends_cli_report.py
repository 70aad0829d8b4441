"""Doubling-time trends, the CLI on the real data (acceptance criteria) and the report section."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import ParameterError
from aiprogress.paths import resolve_data_dir
from aiprogress.scaling.trends import breakpoint_search, fit_doubling, frontier

runner = CliRunner()
HAVE_DATA = (resolve_data_dir() / "thompson2020" / "imagenet.csv").is_file()
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="shared data directory not found")


def test_doubling_time_matches_hc3_ols_closed_form():
    rng = np.random.default_rng(0)
    t = rng.uniform(2012, 2024, 80)
    y = 15 + 0.6 * (t - 2012) + rng.normal(0, 0.8, 80)
    d = fit_doubling(t, y)
    ref = sm.OLS(y, sm.add_constant(t)).fit(cov_type="HC3")
    lo, hi = ref.conf_int()[1]
    assert d.doubling_months == pytest.approx(12 * np.log10(2) / ref.params[1])
    assert d.doubling_months_ci_low == pytest.approx(12 * np.log10(2) / hi)
    assert d.doubling_months_ci_high == pytest.approx(12 * np.log10(2) / lo)


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(1)
    t = rng.uniform(2012, 2024, 60)
    y = 0.5 * t + rng.normal(0, 0.5, 60)
    a = fit_doubling(t, y, interval="bootstrap", n_boot=300, seed=4)
    b = fit_doubling(t, y, interval="bootstrap", n_boot=300, seed=4)
    assert (a.doubling_months_ci_low, a.doubling_months_ci_high) == (b.doubling_months_ci_low, b.doubling_months_ci_high)
    assert a.doubling_months_ci_low < a.doubling_months < a.doubling_months_ci_high
    with pytest.raises(ParameterError, match="interval"):
        fit_doubling(t, y, interval="jackknife")


def test_frontier_rules_and_breakpoint_on_a_known_kink():
    f = pd.DataFrame({"t": [2010.1, 2010.5, 2011.2, 2011.3, 2012.9], "log10_flop": [1.0, 3.0, 2.0, 4.0, 3.5]})
    assert frontier(f, "running_max")["log10_flop"].tolist() == [1.0, 3.0, 4.0]
    assert frontier(f, "top_k", k=1)["log10_flop"].tolist() == [3.0, 4.0, 3.5]
    t = np.linspace(2000, 2020, 201)
    y = np.where(t < 2010, 0.1 * (t - 2000), 1 + 0.6 * (t - 2010))
    year, _ = breakpoint_search(t, y, min_segment=10, grid=201)
    assert abs(year - 2010) <= 0.15


@needs_data
def test_cli_replicate_meets_the_table3_and_table1_acceptance():
    r = runner.invoke(app, ["scaling", "replicate", "--json", "--quiet"])
    assert r.exit_code == 0, r.output
    rows = pd.DataFrame(json.loads(r.stdout)["rows"])
    t3 = rows[rows["table"] == "table3"].set_index(["benchmark", "statistic"])
    for b in ["imagenet", "ms_coco", "squad_1_1", "conll2003", "wmt2014_en_fr"]:
        pub, rep = t3.loc[(b, "slope"), "published"], t3.loc[(b, "slope"), "reproduced"]
        assert np.sign(rep) == np.sign(pub)
        assert abs(rep - pub) <= max(0.02, 0.4 * abs(pub))
        assert abs(t3.loc[(b, "n"), "reproduced"] - t3.loc[(b, "n"), "published"]) <= 5
    t1 = rows[(rows["table"] == "table1") & (rows["column"] == 2)].set_index("statistic")
    assert abs(t1.loc["slope", "reproduced"] - (-0.11)) <= 0.03
    assert t1.loc["r2", "reproduced"] >= 0.35
    # differences are explained
    assert (rows.loc[rows["status"] == "differs", "reason"].str.len() > 0).all()


@needs_data
def test_cli_extrapolate_imagenet_and_figure4_within_an_order_of_magnitude(tmp_path):
    r = runner.invoke(app, ["scaling", "extrapolate", "--benchmark", "imagenet", "--target-error", "0.05", "--figure4", "--json", "--quiet",
                            "--plot", str(tmp_path / "f4.png")])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    poly = next(x for x in out["results"] if x["form"] == "polynomial")
    assert poly["log10_compute_low"] < poly["log10_compute"] < poly["log10_compute_high"]
    assert poly["usd"] > 0 and poly["co2_lbs"] > 0
    f4 = pd.DataFrame(out["figure4"])
    sel = f4[(f4["benchmark"] == "imagenet") & (f4["form"] == "polynomial") & f4["label"].isin(["target 1", "target 2"])]
    assert len(sel) == 2 and (sel["diff_log10"].abs() <= 1).all()
    assert (tmp_path / "f4.png").stat().st_size > 10_000


@needs_data
def test_cli_trends_doubling_dl_era_between_4_and_8_months():
    r = runner.invoke(app, ["trends", "doubling", "--json", "--quiet"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    dl = next(e for e in out["eras"] if e["label"] == "dl")
    assert 4 <= dl["doubling_months"] <= 8
    assert dl["doubling_months_ci_low"] < dl["doubling_months"] < dl["doubling_months_ci_high"]
    assert out["frontier"][0]["doubling_months"] > 0


@needs_data
def test_cli_fit_json_and_bad_input():
    r = runner.invoke(app, ["scaling", "fit", "--benchmark", "conll2003", "--json", "--quiet"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert {f["form"] for f in out["fits"]} == {"polynomial", "exponential", "exponential_performance", "trend", "frontier"}
    bad = runner.invoke(app, ["scaling", "fit", "--benchmark", "mnist"])
    assert bad.exit_code == 2
    assert "benchmark" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(app, ["scaling", "extrapolate", "--target-error", "5"])
    assert bad.exit_code == 2 and "--target-error" in bad.output and "(0, 1)" in bad.output


@needs_data
def test_algorithmic_progress_matches_the_trend_fit():
    from aiprogress.data import load_table
    from aiprogress.scaling import algorithmic_progress, build_sample, fit_scaling

    t = load_table("benchmark_results")
    ap = algorithmic_progress(t, "imagenet")
    fit = fit_scaling(build_sample(t, "imagenet", "per_pass"), "trend")
    assert ap.years_per_10x_compute == pytest.approx(fit.slope / fit.year_coef)
    # one year of progress is worth 10**(c/b) x compute; the series compounds it
    assert ap.series["compute_efficiency"].iloc[1] == pytest.approx(10 ** (fit.year_coef / fit.slope))


@needs_data
def test_report_section_renders_with_figures():
    from aiprogress.reportkit import ReportContext
    from aiprogress.scaling.report import build

    html = build(ReportContext())
    assert html.count("<figure") >= 3
    assert html.count("<svg") >= 3  # figures are inline SVG (reportkit.figure_html)
    assert "Table 3 col 1" in html and "Figure-4" in html


@needs_data
def test_cli_keep_secondary_restores_the_marked_imagenet_rows():
    raw = pd.read_csv(resolve_data_dir() / "thompson2020" / "imagenet.csv")
    marked = (
        (raw["paper"].isna() & raw["url"].astype(str).str.contains("github.com"))
        | raw["model"].astype(str).str.contains("reimplementation", case=False)
        | raw["comments"].astype(str).str.contains("not trained in this paper", case=False)
    )
    usable = marked & raw["top1_error"].notna() & (raw["flops"].notna() | raw["multiadds"].notna())
    ns = []
    for extra in ([], ["--keep-secondary"]):
        r = runner.invoke(app, ["scaling", "fit", "--benchmark", "imagenet", "--measure", "per_pass", "--json", "--quiet", *extra])
        assert r.exit_code == 0, r.output
        ns.append(json.loads(r.stdout)["n"])
    assert ns[1] - ns[0] == int(usable.sum())
