"""CLI of aiprogress.humancapital on a small hand-made AAN-format corpus: JSON, saved model, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app

runner = CliRunner()
QUICK = ["--hidden", "16", "--max-epochs", "4", "--patience", "2", "--quiet"]


@pytest.fixture(scope="module")
def aan_dir(tmp_path_factory):
    """A 400-paper corpus in the AAN file format (metadata blocks + 'citing , cited' lines)."""
    root = tmp_path_factory.mktemp("data")
    aan = root / "bibliometrics" / "aan"
    aan.mkdir(parents=True)
    rng = np.random.default_rng(0)
    people = [f"Last{i}, First{i}" for i in range(60)]
    blocks, edges = [], []
    years = np.sort(rng.integers(1990, 2010, 400))
    for i, y in enumerate(years):
        team = "; ".join(rng.choice(people, size=rng.integers(1, 4), replace=False))
        venue = ["ACL", "EMNLP", "Workshop On X"][i % 3]
        pid = f"{'PDW'[i % 3]}{y % 100:02d}-{i:04d}"
        blocks.append(f"id = {{{pid}}}\nauthor = {{{team}}}\ntitle = {{Paper {i}}}\nvenue = {{{venue}}}\nyear = {{{y}}}\n")
        for j in rng.choice(max(i, 1), size=min(i, 4), replace=False):
            if years[j] <= y and j < i:
                edges.append((pid, j))
    ids = [b.split("{", 1)[1].split("}", 1)[0] for b in blocks]
    (aan / "acl_metadata.txt").write_text("\n".join(blocks))
    (aan / "acl_citations.txt").write_text("\n".join(f"{a} , {ids[j]}" for a, j in edges))
    return root


def test_evaluate_json_prints_the_fig3_table_and_reuses_the_saved_model(aan_dir, tmp_path):
    args = ["humancapital", "evaluate", "--corpus", "aan", "--data-dir", str(aan_dir), "--model-dir", str(tmp_path / "m"), "--json", *QUICK]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    fig3 = d["fig3"]
    predictors = {row["predictor"] for row in fig3}
    assert predictors == {"network", "network unit", "lasso", "h_index", "prior_citations", "prior_pubs"}
    assert {row["outcome"] for row in fig3} == {"cit_1y", "cit_2y", "cit_5y", "venue_rank"}
    assert {row["subset"] for row in fig3} == {"all", "junior"}
    one = [row for row in fig3 if row["subset"] == "all" and row["outcome"] == "cit_1y" and row["predictor"] == "network"][0]
    assert one["precision"] == pytest.approx(1 / one["mse"])
    ratio = [x for x in d["mse_vs_lasso"] if x["subset"] == "all" and x["outcome"] == "cit_1y"][0]
    assert ratio["ratio"] == pytest.approx(ratio["mse_network"] / ratio["mse_lasso"])
    saved = tmp_path / "m"
    assert any(p.name == "model.json" for p in saved.rglob("*"))
    info = json.loads(next(saved.rglob("model.json")).read_text())
    assert info["data_hash"] == d["data_hash"] and info["config"]["hidden"] == [16]
    again = runner.invoke(app, args)
    assert again.exit_code == 0
    d2 = json.loads(again.stdout)
    assert any("loaded from" in n for n in d2["notes"])
    assert d2["fig3"] == fig3  # same saved network, same numbers


def test_train_and_features_json(aan_dir, tmp_path):
    r = runner.invoke(app, ["humancapital", "train", "--corpus", "aan", "--data-dir", str(aan_dir), "--model-dir", str(tmp_path), "--json", *QUICK])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["n_train"] + d["n_val"] + d["n_test"] <= 400 and 1 <= d["best_epoch"] <= d["epochs_run"] <= 4
    f = runner.invoke(app, ["humancapital", "features", "--corpus", "aan", "--data-dir", str(aan_dir), "--model-dir", str(tmp_path), "--json", "--quiet"])
    assert f.exit_code == 0, f.output
    assert json.loads(f.stdout)["papers"] == 400


@pytest.mark.parametrize("args, word", [
    (["evaluate", "--corpus", "nope"], "corpus"),
    (["train", "--max-epochs", "0"], "max-epochs"),
    (["train", "--hidden", "a,b"], "hidden"),
    (["score", "--link", "xyz"], "link"),
    (["evaluate", "--plot", "out.txt"], "plot"),
])
def test_bad_input_exit_code_2(args, word, tmp_path):
    r = runner.invoke(app, ["humancapital", *args, "--model-dir", str(tmp_path)])
    assert r.exit_code == 2
    assert word in r.output.lower()


def test_missing_data_is_a_one_line_error(tmp_path):
    r = runner.invoke(app, ["humancapital", "features", "--corpus", "aan", "--data-dir", str(tmp_path), "--quiet"])
    assert r.exit_code == 2 and "not found" in r.output
