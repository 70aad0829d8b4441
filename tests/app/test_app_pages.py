"""Growth, scaling and data page callbacks against the library; the app command's safety defaults."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aiprogress.app.pages import data as data_page
from aiprogress.app.pages import growth, scaling
from aiprogress.app.server import AppContext, create_app, discover_pages
from aiprogress.app.state import decode_state


@pytest.fixture(scope="module")
def ctx():
    return AppContext()


def test_growth_manual_equals_the_closed_form_and_the_transition():
    from aiprogress.growth import simulate_transition

    values = {"beta_before": 0.05, "beta": 0.25, "gamma": 0.3, "theta": 0.4, "n": 0.02}
    cards, fig, search, *_ = growth.update_page(None, values, "manual", "C1")
    ga = (0.25 + 0.3) / (1 - 0.25 - 0.4) * 0.02  # g_A* = (beta + gamma) / (1 - beta - theta) n
    gk = (1 - 0.4 + 0.3) / (1 - 0.25 - 0.4) * 0.02
    text = str(cards)
    assert f"{100 * ga:.3f} %/yr" in text and f"{100 * gk:.3f} %/yr" in text
    ref = simulate_transition(0.05, 0.25, 0.3, None, 0.4, 0.02, shock_year=50.0, years=1500.0, points=1501)
    assert np.allclose(fig["data"][0]["y"], 100 * ref.path["g_A"].to_numpy())
    state, problems = decode_state(growth.update_page(None, values, "manual", "C1")[4], growth.state_spec())
    assert problems == [] and {k: state[k] for k in values} == values


def test_growth_without_balanced_path_shows_the_library_message():
    out = growth.update_page(None, {"beta_before": 0.1, "beta": 0.6, "gamma": 0.4, "theta": 0.5, "n": 0.01}, "manual", "C1")
    assert out[2].startswith("parameter 'theta'") and out[3] == "msg error"


def test_growth_from_estimates_uses_growth_distribution():
    from aiprogress.growth import growth_distribution

    rng = np.random.default_rng(3)
    draws = pd.DataFrame({"model": "C1", "beta": rng.normal(0.03, 0.005, 500), "gamma": rng.normal(0.3, 0.03, 500)})
    ctx = AppContext()
    ctx.cache["growth:bootstrap_draws"] = draws
    values = {"beta_before": 0.1, "beta": 0.2, "gamma": 0.4, "theta": 0.5, "n": 0.01}
    cards, fig, *_ = growth.update_page(ctx, values, "estimates", "C1")
    ref = growth_distribution(draws["beta"], draws["gamma"], 0.5, 0.01)
    assert f"{100 * ref.percentiles['p50']:.3f} %/yr" in str(cards)
    assert len(fig.data[0].x) == ref.n_used - ref.n_explosive
    assert growth.update_page(ctx, values, "estimates", "A1")[2].startswith("no bootstrap draws for model 'A1'")


def test_scaling_extrapolation_equals_the_library(ctx):
    from aiprogress.data import load_table
    from aiprogress.scaling import extrapolate

    cards, note, fig, msg, _cls, search = scaling.update_page(ctx, "imagenet", "hardware_burden", "polynomial", 5.0)
    ref = extrapolate(load_table("benchmark_results"), "imagenet", 0.05, forms=("polynomial",)).results[0]
    text = str(cards)
    assert msg == "" and f"10^{ref.log10_compute:.2f} GFLOP" in text and f"10^{ref.log10_usd:.2f} USD" in text
    assert f"10^{ref.log10_compute_low:.2f}" in text and f"10^{ref.log10_co2_lbs:.2f} lbs" in text
    assert len(fig.data[0].x) == ref.n
    assert scaling.update_page(ctx, "imagenet", "hardware_burden", "polynomial", 150)[3].startswith("target error")


def test_scaling_trends_block_shows_the_doubling_times(ctx):
    from aiprogress.data import load_table
    from aiprogress.scaling import compute_trends

    block = scaling.trends_block(ctx)
    ref = compute_trends(load_table("models"), load_table("benchmark_results"))
    rows = block.children[2].data
    dl = next(r for r in rows if r["label"] == "dl")
    assert dl["doubling_months"] == round(ref.era("dl").doubling_months, 3)


def test_data_rows_carry_their_provenance(ctx):
    from aiprogress.paths import resolve_data_dir

    view = data_page.table_view(ctx, "benchmark_results", ["benchmark", "model"])
    assert list(view.columns) == ["benchmark", "model", "source_file", "source_line", "sha256", "licence"]
    assert view["sha256"].notna().all() and view["licence"].notna().all()
    root = resolve_data_dir(None)
    for _, row in view.sample(5, random_state=1).iterrows():
        path = root / row["source_file"]
        assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        line = path.read_text(encoding="utf-8").splitlines()[int(row["source_line"]) - 1]
        assert str(row["model"]).split()[0] in line  # the row came from that line of that file
    csv = data_page.csv_of_rows(view.head(3).to_dict("records"), list(view.columns))
    assert pd.read_csv(__import__("io").StringIO(csv)).shape == (3, 6)


def test_all_pages_are_registered_and_routed():
    pages = {p.key: p for p in discover_pages()}
    assert {"takeoff", "growth", "scaling", "data"} <= set(pages)
    assert [p.key for p in discover_pages()][:3] == ["takeoff", "growth", "scaling"]
    app = create_app()
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    # no endpoint serves files by path: unknown paths get the app's page, asset paths cannot leave the assets folder
    page = client.get("/../../etc/passwd").get_data(as_text=True)
    assert "root:" not in page and "_dash-config" in page
    assert client.get("/assets/..%2F..%2Fserver.py").status_code == 404
    assert client.get("/assets/style.css").status_code == 200


def test_app_command_defaults_and_warning(monkeypatch):
    from aiprogress.cli import app as cli

    calls = {}

    class Dummy:
        def run(self, **kw):
            calls.update(kw)

    monkeypatch.setattr("aiprogress.app.server.create_app", lambda **kw: Dummy())
    res = CliRunner().invoke(cli, ["app", "--port", "8123"])
    assert res.exit_code == 0 and calls["host"] == "127.0.0.1" and calls["debug"] is False and calls["port"] == 8123
    res = CliRunner().invoke(cli, ["app", "--host", "0.0.0.0"])
    assert res.exit_code == 0 and "reachable from other machines" in res.output
    res = CliRunner().invoke(cli, ["app", "--port", "0"])
    assert res.exit_code == 2


def test_geography_page_equals_the_library(ctx):
    pytest.importorskip("aiprogress.geography")
    from aiprogress.geography import metrics
    from aiprogress.geography.pipeline import analyse

    fig, rows, cols, conc, msg, _cls, search = __import__("aiprogress.app.pages.geography", fromlist=["x"]).update_page(
        ctx, "epoch", "2012 on")
    assert msg == "", msg
    an = analyse("epoch", None, seed=0)
    ref = metrics.rca_table(an.activity("country_code", period=2012), group="period", draws=100, seed=0)
    ref = ref[ref["group"] == "2012 on"].set_index("location")
    for r in rows[:5]:
        assert r["rca"] == round(float(ref.loc[r["location"], "rca"]), 3)
    assert set(fig["data"][0]["y"]) <= set(ref.index) and search == "?corpus=epoch&period=2012+on"
