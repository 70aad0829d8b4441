"""Takeoff page callbacks: numbers against the library, controls from declarations, URL and scenario round trips."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from aiprogress.app.pages import takeoff, takeoff_mc
from aiprogress.app.server import AppContext
from aiprogress.takeoff import statistics
from aiprogress.takeoff.models import LOG2_10, get_model, list_models

DH = "davidson-houlden"
DH_PRESET = "davidson-houlden-2025"


def library_numbers(model: str, values: dict) -> dict:
    """The reference: the model's batch simulation and the shared statistics, called directly."""
    spec = statistics.StatisticsSpec()
    batch = get_model(model).simulate_batch(values, max_log2_software=spec.max_log2_needed, extra_log2_levels=(spec.sie_log2,))
    per = statistics.per_draw(batch, spec)
    t = batch.time_years[0]
    ok = np.isfinite(t)
    rates = [(batch.log2_software[ok][i + 1] - batch.log2_software[ok][i]) / LOG2_10 / (t[ok][i + 1] - t[ok][i])
             for i in range(int(ok.sum()) - 1)]
    return {"days": float(per["days_to_sie_ooms"][0]), "sie": float(per["days_to_sie_ooms"][0]) < spec.sie_days,
            "peak": max(rates), "comp12": float(per["max_years_in_12m"][0])}


@pytest.mark.parametrize("model", list_models())
def test_controls_come_from_the_declarations(model):
    view = takeoff._views()[model]
    decl = get_model(model).parameters
    assert [p.name for p in view.params] == [p.name for p in decl]
    assert [(p.unit, p.low, p.high, p.default, p.description) for p in view.params] == \
        [(p.unit, p.low, p.high, p.default, p.description) for p in decl]
    layout = str(takeoff.layout(f"?model={model}", AppContext()))
    for p in decl:
        assert p.description in layout and f"'name': '{p.name}'" in layout


@pytest.mark.parametrize("model", list_models())
def test_key_numbers_equal_the_library(model):
    values = {p.name: p.default for p in get_model(model).parameters}
    if model == DH:
        values["r"] = 1.7
    fig, cards, numbers, _b, msg = takeoff.compute(model, values)
    assert msg == ""
    ref = library_numbers(model, values)
    assert numbers["days_to_sie_ooms"] == pytest.approx(ref["days"], rel=1e-12) if math.isfinite(ref["days"]) else numbers["never_reaches_sie_ooms"]
    assert numbers["sie"] == ref["sie"]
    assert numbers["peak_ooms_per_year"] == pytest.approx(ref["peak"], rel=1e-9)
    assert numbers["compression"][0] == {"y_months": 12.0, "max_years": pytest.approx(ref["comp12"], abs=0)}
    text = dict((c[3], c[1]) for c in takeoff.number_cards(numbers))
    assert text["k-sie"] == ("SIE" if ref["sie"] else "no SIE")
    # the figure is the library's trajectory
    traj = get_model(model).simulate_batch(values, max_log2_software=statistics.StatisticsSpec().max_log2_needed,
                                           extra_log2_levels=(statistics.StatisticsSpec().sie_log2,))
    ys = np.asarray(fig["data"][0]["y"])
    assert np.allclose(ys, traj.log2_software[np.isfinite(traj.time_years[0])][: ys.size] / LOG2_10)


def test_out_of_range_values_are_refused_with_the_declared_bounds():
    values = {p.name: p.default for p in get_model(DH).parameters} | {"p": 1.5}
    fig, _c, _n, _b, msg = takeoff.compute(DH, values)
    assert fig is None and "p = 1.5" in msg and get_model(DH).parameter("p").bounds_text in msg


def test_url_round_trip_reproduces_values_and_numbers():
    model = takeoff._views()[DH]
    values = takeoff.preset_values(DH_PRESET, model) | {"r": 1.2345678901234567, "f": 3.3}
    b = dict(values, r=0.9)
    search = takeoff.page_search(DH, DH_PRESET, values, b)
    m2, preset2, values2, b2, problems = takeoff.parse_url(search)
    assert (m2.key, preset2, values2, b2, problems) == (DH, DH_PRESET, values, b, [])
    assert takeoff.compute(DH, values2)[2] == takeoff.compute(DH, values)[2]


def test_bad_url_values_are_reported_not_raised():
    model, preset, values, b, problems = takeoff.parse_url("?model=nope&r=abc&preset=zzz")
    assert model.key == list_models()[0] and problems and b is None


def _exported(values_override: dict, seed=7, draws=1000):
    model = takeoff._views()[DH]
    values = takeoff.preset_values(DH_PRESET, model) | values_override
    text, err = takeoff.export_scenario(None, DH_PRESET, DH, values, seed, draws)
    assert err is None
    return values, text


def test_export_keeps_distributions_and_fixes_moved_parameters():
    from aiprogress.takeoff.config import load_config, parse_config

    values, text = _exported({"f": 5.0})
    doc = yaml.safe_load(text)
    base = load_config(DH_PRESET)
    assert doc["model"] == DH and doc["seed"] == 7 and doc["draws"] == 1000
    assert doc["parameters"]["f"] == 5.0
    cfg = parse_config(text, "scenario.yaml")
    assert set(cfg.uncertain) == set(base.uncertain) - {"f"}
    assert dict(cfg.fixed)["f"] == 5.0


def test_exported_scenario_runs_unchanged_in_the_cli_with_the_apps_numbers(tmp_path):
    values, text = _exported({"r": 1.1})
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    ctx = AppContext()
    job_id, msg = takeoff_mc.start_run(ctx, None, DH_PRESET, DH, values, 1000, 7)
    assert job_id, msg
    cli = subprocess.run([sys.executable, "-m", "aiprogress", "takeoff", "monte-carlo", "--config", str(path), "--json", "--quiet"],
                         capture_output=True, text=True, timeout=300, env=dict(os.environ, AIPROGRESS_DEBUG="0"))
    assert cli.returncode == 0, cli.stderr
    out = json.loads(cli.stdout)
    job = ctx.jobs.get(job_id)
    for _ in range(600):
        if job.status != "running":
            break
        time.sleep(0.1)
    assert job.status == "done", job.error
    assert (out["draws"], out["seed"]) == (1000, 7)
    assert out["p_sie"] == job.result.p_sie and out["p_sie_se"] == job.result.p_sie_se
    progress, status, cards, fan, sens, cmd, finished = takeoff_mc.job_outputs(job)
    assert finished and f"{job.result.p_sie:.4f}" in str(cards)
    assert np.allclose(fan.data[2].y[1:], job.result.fan_chart()["ooms"])


def test_import_of_an_exported_scenario_restores_its_values():
    values, text = _exported({"f": 4.0, "r": 1.3})
    import base64

    res = takeoff.import_scenario("data:text/yaml;base64," + base64.b64encode(text.encode()).decode(), "s.yaml")
    assert res["error"] is None and res["model"] == DH and res["seed"] == 7 and res["draws"] == 1000
    assert res["values"]["f"] == 4.0 and res["values"]["r"] == 1.3
    assert res["values"] == pytest.approx(values)


def test_invalid_import_shows_a_message():
    res = takeoff.import_scenario("data:text/yaml;base64,cGFyYW1ldGVyczogWw==", "bad.yaml")  # "parameters: ["
    assert res["error"].startswith("import failed: bad.yaml") and "\n" not in res["error"]


def test_cancel_stops_a_run():
    ctx = AppContext()
    values = takeoff.preset_values(DH_PRESET, takeoff._views()[DH])
    job_id, _ = takeoff_mc.start_run(ctx, None, DH_PRESET, DH, values, 1_000_000, 0)
    assert ctx.jobs.cancel(job_id)
    job = ctx.jobs.get(job_id)
    for _ in range(600):
        if job.status != "running":
            break
        time.sleep(0.05)
    assert job.status == "cancelled" and job.done < 1_000_000
    assert takeoff_mc.job_outputs(job)[1].startswith("cancelled after")


def test_run_refuses_bad_draws_and_seed():
    ctx = AppContext()
    values = takeoff.preset_values(DH_PRESET, takeoff._views()[DH])
    assert takeoff_mc.start_run(ctx, None, DH_PRESET, DH, values, 12345, 0) == (None, "draws must be one of 1000, 10000, 100000, 1000000")
    assert takeoff_mc.start_run(ctx, None, DH_PRESET, DH, values, 1000, -1)[0] is None


def test_compare_table_lists_both_scenarios():
    values = {p.name: p.default for p in get_model(DH).parameters}
    b = dict(values, r=2.0)
    _f, _c, a_num, b_num, _m = takeoff.compute(DH, values, b)
    table = str(takeoff.compare_table(a_num, b_num, values, b))
    ref_a, ref_b = library_numbers(DH, values), library_numbers(DH, b)
    assert f"{ref_a['days'] / 30.4375:.4g} months" in table and f"{ref_b['days'] / 30.4375:.4g} months" in table
    assert "'r'" in table and "'2'" in table


def test_page_is_registered_in_capabilities():
    from aiprogress.capabilities import get

    assert get("takeoff").app == "aiprogress.app.pages.takeoff"
    assert Path(takeoff.__file__).name == "takeoff.py"
