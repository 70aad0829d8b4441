"""The DuckDB catalog: contents, atomic and idempotent builds, derived tables, status."""

from __future__ import annotations

import csv
import json

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import aiprogress.data.catalog as catalog_mod
from aiprogress.cli import app
from aiprogress.data import build_catalog, load_sources, load_table
from aiprogress.data.loaders import sha256_file

runner = CliRunner()


def counts(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("models", "hardware", "benchmark_results", "rejects", "sources")}
    finally:
        con.close()


def test_real_catalog_contents_and_types(real_dir, tmp_path, start_lines):
    cat = tmp_path / "cat.duckdb"
    res = runner.invoke(app, ["data", "build", "--data-dir", str(real_dir), "--catalog", str(cat), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    derived = out["tables"].pop("compute_estimates")
    assert out["tables"] == {"models": 2228, "hardware": 1895, "benchmark_results": 434, "rejects": 0}
    _check_compute_estimates_against_raw_csv(cat, real_dir, derived, start_lines)
    rows = {s["name"]: s["rows"] for s in out["sources"]}
    assert rows["epoch_models"] == 2228 and rows["epoch_hardware"] == 170 and rows["gpu"] == 500
    assert sum(rows[n] for n in ("imagenet", "ms_coco", "squad_1_1", "conll2003", "wmt2014_en_fr", "wmt2014_en_de")) == 434
    con = duckdb.connect(str(cat), read_only=True)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name='models'").fetchall())
    assert types["countries"] == "VARCHAR[]" and types["authors"] == "VARCHAR[]"
    # independent check of a value through SQL
    sha = con.execute("SELECT sha256 FROM sources WHERE name='imagenet'").fetchone()[0]
    v100 = con.execute("SELECT peak_flop_per_s_fp32 FROM hardware WHERE name='NVIDIA Tesla V100 SXM2 16 GB'").fetchone()[0]
    con.close()
    assert sha == sha256_file(real_dir / "thompson2020" / "imagenet.csv")
    assert v100 == pytest.approx(15.67e12, rel=1e-3)
    # reading back through load_table gives the same frame as parsing the files
    direct = load_sources(real_dir).tables["models"]
    back = load_table("models", catalog=cat)
    pd.testing.assert_series_equal(direct["train_flop"], back["train_flop"])
    assert back["countries"].tolist() == direct["countries"].tolist()
    assert back["source_line"].tolist() == direct["source_line"].tolist()


def _positive(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def _check_compute_estimates_against_raw_csv(cat, real_dir, n_rows, record_start_lines):
    """The built-in derived table, checked against the Epoch CSV read with the csv module:
    every 'models' row comes from a record with the inputs of at least one method, and
    every record with only the operation-counting inputs (Language, parameters, dataset
    size; no hardware time) has its row with 3 x 2N x D x epochs."""
    path = real_dir / "epoch" / "all_ai_models_2025-03.csv"
    text = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    by_line = dict(zip(record_start_lines(text)[1:], records))

    def has_hw(r):
        return bool(r["Training hardware"].strip()) and _positive(r["Hardware quantity"]) and _positive(r["Training time (hours)"])

    def has_ops(r):
        return "language" in r["Domain"].lower() and _positive(r["Parameters"]) and _positive(r["Training dataset size (datapoints)"])

    con = duckdb.connect(str(cat), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM compute_estimates").fetchone()[0] == n_rows
        est = con.execute("SELECT source_line, train_flop_operations, method FROM compute_estimates "
                          "WHERE \"table\" = 'models'").df()
    finally:
        con.close()
    assert len(est) > 0
    for line in est["source_line"]:
        assert has_hw(by_line[line]) or has_ops(by_line[line]), line
    ops_only = {ln: r for ln, r in by_line.items() if has_ops(r) and not has_hw(r)}
    got = est.set_index("source_line")
    assert set(ops_only) <= set(got.index)
    for ln, r in ops_only.items():
        epochs = float(r["Epochs"]) if _positive(r["Epochs"]) else 1.0
        expected = 3 * 2 * float(r["Parameters"]) * float(r["Training dataset size (datapoints)"]) * epochs
        assert got.at[ln, "train_flop_operations"] == pytest.approx(expected, rel=1e-12)
        assert got.at[ln, "method"] == "operations"


def test_build_is_idempotent(mini, tmp_path):
    cat = tmp_path / "c.duckdb"
    first = build_catalog(mini.root, cat)
    c1 = counts(cat)
    second = build_catalog(mini.root, cat)
    assert counts(cat) == c1
    assert first.tables == second.tables
    assert [s["sha256"] for s in first.sources] == [s["sha256"] for s in second.sources]
    assert list(tmp_path.glob(".c.duckdb*")) == []  # no temp files left behind


def test_failed_build_keeps_previous_catalog(mini, tmp_path, monkeypatch):
    cat = tmp_path / "c.duckdb"
    build_catalog(mini.root, cat)
    before = counts(cat)
    real_write = catalog_mod._write
    calls = {"n": 0}

    def failing_write(con, name, frame):
        calls["n"] += 1
        if calls["n"] == 3:
            tmp_files = list(tmp_path.glob(".c.duckdb.*.tmp"))
            assert tmp_files, "the temp catalog should exist when the build fails"
            raise RuntimeError("disk full")
        return real_write(con, name, frame)

    monkeypatch.setattr(catalog_mod, "_write", failing_write)
    mini.append_copy("imagenet", 0)  # would change counts if it were loaded
    mini.set_cell("imagenet", 4, "top1_error", "11.1")
    with pytest.raises(RuntimeError):
        build_catalog(mini.root, cat)
    assert counts(cat) == before
    assert list(tmp_path.glob(".c.duckdb*")) == []


def test_bad_input_build_keeps_previous_catalog(mini, tmp_path):
    cat = tmp_path / "c.duckdb"
    build_catalog(mini.root, cat)
    before = counts(cat)
    mini.set_cell("epoch_models", 0, "Parameters", "-5")
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(cat)])
    assert res.exit_code == 2
    assert counts(cat) == before
    assert len(load_table("models", catalog=cat)) == before["models"]


def test_derived_tables_are_stored(mini, tmp_path, monkeypatch):
    def per_benchmark(tables):
        b = tables["benchmark_results"]
        return {"per_benchmark": b.groupby("benchmark").size().rename("n").reset_index()}

    # the one registration point: aiprogress.capabilities (here replaced by a test registry)
    import aiprogress.capabilities as caps

    monkeypatch.setattr(caps, "derived_functions", lambda: [per_benchmark])
    cat = tmp_path / "c.duckdb"
    res = build_catalog(mini.root, cat, derived=[lambda t: {"n_models": pd.DataFrame({"n": [len(t["models"])]})}])
    assert res.tables["per_benchmark"] == 6 and res.tables["n_models"] == 1
    assert "compute_estimates" not in res.tables
    got = load_table("per_benchmark", catalog=cat)
    assert sorted(got["n"]) == [4] * 6
    assert load_table("n_models", catalog=cat)["n"].tolist() == [4]


def test_capabilities_registry_feeds_the_derived_tables(mini, tmp_path):
    from aiprogress.capabilities import derived_functions
    from aiprogress.compute.tables import compute_estimates_table

    assert compute_estimates_table in derived_functions()
    assert "compute_estimates" in build_catalog(mini.root, tmp_path / "c.duckdb").tables
    assert not hasattr(catalog_mod, "BUILTIN_DERIVED") and not hasattr(catalog_mod, "catalog_tables")


def test_derived_table_name_clash_is_a_parameter_error(mini, tmp_path):
    from aiprogress.errors import ParameterError

    with pytest.raises(ParameterError, match="clashes"):
        build_catalog(mini.root, tmp_path / "c.duckdb", derived=[lambda t: {"models": t["models"]}])


def test_status_json(mini, tmp_path):
    cat = tmp_path / "c.duckdb"
    res = runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--catalog", str(cat), "--json"])
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    assert out["catalog_exists"] is False and all(s["state"] == "not in catalog" for s in out["sources"])
    build_catalog(mini.root, cat)
    res = runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--catalog", str(cat), "--json"])
    out = json.loads(res.stdout)
    assert out["catalog_exists"] is True and 0 <= out["age_seconds"] < 600
    src = {s["name"]: s for s in out["sources"]}
    assert src["imagenet"]["rows"] == 4 and src["imagenet"]["rejected_rows"] == 0
    assert src["imagenet"]["sha256"] == sha256_file(mini.files["imagenet"])
    assert src["epoch_models"]["version"] == "2025-03"
    assert all(s["state"] == "ok" for s in out["sources"])
    mini.set_cell("gpu", 0, "TDP", "41")
    out = json.loads(runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--catalog", str(cat), "--json"]).stdout)
    assert {s["name"]: s["state"] for s in out["sources"]}["gpu"] == "changed since build"


def test_missing_catalog_is_a_clear_error(tmp_path):
    from aiprogress.errors import DataNotFoundError

    with pytest.raises(DataNotFoundError, match="catalog not found"):
        load_table("models", catalog=tmp_path / "nope.duckdb")


def test_status_of_an_unreadable_catalog_is_one_line_exit_2(mini, tmp_path):
    bad = tmp_path / "c.duckdb"
    bad.write_text("this is not a database\n")
    for extra in ([], ["--json"]):
        res = runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--catalog", str(bad), *extra])
        assert res.exit_code == 2 and res.stdout == ""
        msg = res.stderr.strip()
        assert "\n" not in msg and f"{bad}: the catalog cannot be read" in msg
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    res = runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--catalog", str(other), "--json"])
    assert res.exit_code == 2 and "not an aiprogress catalog" in res.stderr
