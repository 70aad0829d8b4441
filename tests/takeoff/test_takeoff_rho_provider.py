"""rho from estimate-rho as a scenario distribution: {from: "takeoff:rho", with: {csv: ...}}."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import InputError
from aiprogress.takeoff.config import load_config
from aiprogress.takeoff.estimate import estimate_rho_csv
from aiprogress.takeoff.montecarlo import sample_parameters

TRUE_RHO = -0.3


def synthetic_ces(n: int = 400, seed: int = 7):
    """Y = 2 [0.4 L^rho + 0.6 K^rho]^(1/rho) exp(e), L and K log-normal around 1."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    lab, cap = np.exp(rng.normal(0.0, 0.6, n)), np.exp(rng.normal(0.0, 0.6, n))
    y = 2.0 * (0.4 * lab**TRUE_RHO + 0.6 * cap**TRUE_RHO) ** (1 / TRUE_RHO) * np.exp(rng.normal(0.0, 0.03, n))
    return pd.DataFrame({"Y": y, "L": lab, "K": cap})

SCENARIO = """\
name: rho-from-panel
model: ces-sie
parameters:
  rho: {{from: "takeoff:rho", with: {{{options}}}}}
  r: 1.5
"""


@pytest.fixture()
def panel(tmp_path):
    synthetic_ces().rename(columns={"Y": "out", "L": "lab", "K": "cap"}).to_csv(tmp_path / "panel.csv", index=False)
    return tmp_path


def _scenario(folder, options: str):
    path = folder / "scenario.yaml"
    path.write_text(SCENARIO.format(options=options), encoding="utf-8")
    return path


def test_rho_distribution_is_the_nls_estimate_with_its_standard_error(panel):
    # The csv path is relative to the scenario file's folder, not the working directory.
    cfg = load_config(_scenario(panel, "csv: panel.csv, output_col: out, labour_col: lab, capital_col: cap"))
    est = estimate_rho_csv(panel / "panel.csv", output_col="out", labour_col="lab", capital_col="cap", method="nls").estimates["nls"]
    assert abs(est.rho - TRUE_RHO) < 0.05
    (m,) = [m for m in cfg.marginals if m.name == "rho"]
    assert m.dist == "normal" and dict(m.args) == {"mean": est.rho, "sd": est.rho_se}
    # Truncation at rho < 1 is many SEs away: the quantiles are the normal's.
    u = np.array([0.05, 0.5, 0.95])
    assert np.allclose(m.ppf(u), stats.norm.ppf(u, est.rho, est.rho_se), rtol=0, atol=1e-12)
    assert dict(cfg.sources) == {"rho": "takeoff:rho"}
    note = dict(cfg.source_notes)["rho"]
    assert "estimate-rho (nls) on panel.csv" in note and f"n = {est.n_obs}" in note
    draws = sample_parameters(cfg, 20_000, 1)["rho"]
    assert abs(draws.mean() - est.rho) < 4 * est.rho_se / np.sqrt(draws.size)
    assert draws.std() == pytest.approx(est.rho_se, rel=0.03) and draws.max() < 1


def test_translog_method_and_monte_carlo_cli(panel):
    path = _scenario(panel, "csv: panel.csv, output_col: out, labour_col: lab, capital_col: cap, method: translog")
    cfg = load_config(path)
    est = estimate_rho_csv(panel / "panel.csv", output_col="out", labour_col="lab", capital_col="cap",
                           method="translog").estimates["translog"]
    assert dict(cfg.marginals[0].args) == {"mean": est.rho, "sd": est.rho_se}
    res = CliRunner().invoke(app, ["takeoff", "monte-carlo", "--config", str(path), "--draws", "2000", "--seed", "1", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["sources"] == {"rho": "takeoff:rho"} and "estimate-rho (translog)" in out["source_notes"]["rho"]


@pytest.mark.parametrize("options, message", [
    ("output_col: out", "needs with: {csv:"),
    ("csv: panel.csv, colour: red", "unknown option 'colour'"),
    ("csv: panel.csv, output_col: out, labour_col: lab, capital_col: cap, method: ols", "method 'ols'"),
])
def test_bad_provider_options_name_the_key(panel, options, message):
    with pytest.raises(InputError, match="parameters.rho.from") as exc:
        load_config(_scenario(panel, options))
    assert message in str(exc.value)


def test_missing_column_names_the_panel_file(panel):
    with pytest.raises(InputError) as exc:
        load_config(_scenario(panel, "csv: panel.csv"))  # default columns Y, L, K are not in the file
    assert "panel.csv" in str(exc.value) and "Y" in str(exc.value)
    res = CliRunner().invoke(app, ["takeoff", "monte-carlo", "--config", str(panel / "scenario.yaml"), "--draws", "100"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1


def test_providers_without_options_refuse_them():
    from aiprogress.algorithmic.meta import provide

    with pytest.raises(LookupError, match="takes no options"):
        provide("meta", csv="x.csv")
