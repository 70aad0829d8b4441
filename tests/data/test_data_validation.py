"""Bad input: each case exits 2 with a one-line message naming the file, line and
column and what was expected; --skip-bad-rows stores rejected rows instead."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.data import load_sources
from aiprogress.errors import InputError

runner = CliRunner()


def build(data_dir, catalog, *extra):
    return runner.invoke(app, ["data", "build", "--data-dir", str(data_dir), "--catalog", str(catalog), "--json", *extra])


def assert_one_line_error(res, *needles):
    assert res.exit_code == 2, res.output
    msg = res.stderr.strip()
    assert "\n" not in msg and "Traceback" not in msg
    for n in needles:
        assert n in msg, (n, msg)
    assert res.stdout == ""
    return msg


def test_mini_data_loads_cleanly(mini, tmp_path):
    res = build(mini.root, tmp_path / "c.duckdb")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["tables"]["models"] == 4 and out["tables"]["benchmark_results"] == 24
    assert out["rejects"] == []


@pytest.mark.parametrize(
    "source, record, column, value, expected",
    [
        ("epoch_models", 1, "Parameters", "about 7B", "not a number"),
        ("epoch_models", 2, "Training compute (FLOP)", "-1e+20", "out of range"),
        ("epoch_models", 0, "Publication date", "March 2025", "not a date"),
        ("epoch_models", 3, "Hardware utilization", "40", "utilization fraction in [0, 1]"),
        ("epoch_hardware", 1, "FP32 (single precision) performance (FLOP/s)", "fast", "not a number"),
        ("imagenet", 2, "top1_error", "124.7", "a score in percent in [0, 100]"),
        ("squad_1_1", 1, "F1", "-3", "a score in percent in [0, 100]"),
        ("ms_coco", 0, "time_sec", "-259200", "non-negative time in seconds"),
        ("wmt2014_en_de", 1, "#gpu", "eight", "not a number"),
        ("gpu", 3, "GFLOPS", "n/a", "not a number"),
    ],
)
def test_bad_cell_exits_2_naming_file_line_column(mini, tmp_path, source, record, column, value, expected):
    line = mini.set_cell(source, record, column, value)
    path = mini.files[source].relative_to(mini.root).as_posix()
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, path, f"line {line}", f"column '{column}'", expected)
    # the library raises InputError with the same fields
    with pytest.raises(InputError) as info:
        load_sources(mini.root)
    assert (info.value.file, info.value.line, info.value.column) == (path, line, column)


def test_missing_required_column_is_an_unknown_layout(mini, tmp_path):
    mini.rename_column("epoch_models", "Training compute (FLOP)", "Compute")
    res = build(mini.root, tmp_path / "c.duckdb")
    msg = assert_one_line_error(res, "epoch/all_ai_models_2025-03.csv", "column 'Training compute (FLOP)'", "missing required column")
    assert "line 1" in msg


def test_benchmark_missing_headline_metric(mini, tmp_path):
    mini.rename_column("conll2003", "F1", "score")
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/conll2003.csv", "column 'F1'", "missing required column")


def test_known_column_aliases_are_accepted(mini, make_mini):
    base = load_sources(mini.root).tables["models"]
    other = make_mini("renamed")
    other.rename_column("epoch_models", "Country (from Organization)", "Country (of organization)")
    other.rename_column("epoch_models", "Organization categorization", "Organization type")
    renamed = load_sources(other.root).tables["models"]
    assert renamed["countries"].tolist() == base["countries"].tolist()
    assert renamed["organization_type"].tolist() == base["organization_type"].tolist()


def test_missing_file_exits_2(mini, tmp_path):
    mini.files["tpu"].unlink()
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/tpu.csv", "not found")


def test_duplicate_key_exits_2(mini, tmp_path):
    line = mini.append_copy("imagenet", 1)
    first = mini.line_of("imagenet", 1)
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/imagenet.csv", f"line {line}", "column 'model'", f"same as line {first}")


def test_duplicate_model_exits_2(mini, tmp_path):
    line = mini.append_copy("epoch_models", 3)
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "epoch/all_ai_models_2025-03.csv", f"line {line}", "column 'Model'", "duplicate model")


def test_skip_bad_rows_stores_rejects(mini, tmp_path):
    l1 = mini.set_cell("epoch_models", 1, "Parameters", "about 7B")
    l2 = mini.set_cell("imagenet", 2, "top1_error", "124.7")
    cat = tmp_path / "c.duckdb"
    res = build(mini.root, cat, "--skip-bad-rows")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["tables"]["models"] == 3 and out["tables"]["benchmark_results"] == 23
    assert out["tables"]["rejects"] == 2
    by_source = {s["name"]: (s["rows"], s["rejected_rows"]) for s in out["sources"]}
    assert by_source["epoch_models"] == (3, 1) and by_source["imagenet"] == (3, 1)
    con = duckdb.connect(str(cat), read_only=True)
    rows = con.execute("SELECT source_file, source_line, \"column\", reason, raw FROM rejects ORDER BY source_file").fetchall()
    con.close()
    assert rows[0][:3] == ("epoch/all_ai_models_2025-03.csv", l1, "Parameters")
    assert "about 7B" in rows[0][3] and "about 7B" in rows[0][4]
    assert rows[1][:3] == ("thompson2020/imagenet.csv", l2, "top1_error")
    assert "expected a score in percent in [0, 100]" in rows[1][3]


def test_legitimately_unknown_values_are_not_errors(mini):
    mini.set_cell("ms_coco", 0, "hw time", "160k iterations")
    mini.set_cell("ms_coco", 0, "time_sec", "")
    mini.set_cell("squad_1_1", 0, "method", "")
    t = load_sources(mini.root).tables["benchmark_results"]
    c = t[t["benchmark"] == "ms_coco"].iloc[0]
    assert c["train_time_text"] == "160k iterations" and c["train_seconds"] != c["train_seconds"]
    assert t[t["benchmark"] == "squad_1_1"].iloc[0]["model"] is None


def test_record_with_extra_fields_exits_2(mini, tmp_path):
    with mini.files["tpu"].open("a", encoding="utf-8") as fh:
        fh.write("2021,Cloud TPU v5,1.00E+06,surplus\n")
    line = len(mini.files["tpu"].read_text(encoding="utf-8").splitlines())
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/tpu.csv", f"line {line}", "4 fields but the header has 3")


def test_empty_file_exits_2(mini, tmp_path):
    mini.files["tpu"].write_bytes(b"")
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/tpu.csv", "line 1", "file is empty", "expected a header row")


def test_non_utf8_file_exits_2(mini, tmp_path):
    # Latin-1 bytes: 0xE9 ("é") followed by a comma is not valid UTF-8.
    mini.files["tpu"].write_bytes(b"TPU,Release Year,GFLOPS (FP32)\nv\xe9,2017,3\n")
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/tpu.csv", "not UTF-8", "expected a UTF-8 CSV file")


def test_missing_data_directory_exits_2(tmp_path):
    res = build(tmp_path / "no-such-dir", tmp_path / "c.duckdb")
    assert_one_line_error(res, "not found in data directory", str(tmp_path / "no-such-dir"))
    assert not (tmp_path / "c.duckdb").exists()


def test_catalog_path_is_a_directory_exits_2(mini, tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    res = build(mini.root, folder)
    assert_one_line_error(res, "parameter 'catalog'", "is a directory")
    assert list(folder.iterdir()) == [] and list(tmp_path.glob(".cat.*")) == []


def test_catalog_folder_cannot_be_created_exits_2(mini, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    res = build(mini.root, blocker / "c.duckdb")
    assert_one_line_error(res, "parameter 'catalog'", "cannot create the folder", "expected a writable file path")
    assert blocker.read_text() == "not a folder"


def test_catalog_write_failure_exits_2_and_cleans_up(mini, tmp_path, monkeypatch):
    import aiprogress.data.catalog as catalog_mod

    def refuse(con, name, frame):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(catalog_mod, "_write", refuse)
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "parameter 'catalog'", "No space left on device")
    assert list(tmp_path.glob("*c.duckdb*")) == []


def test_duplicate_header_name_exits_2(mini, tmp_path):
    mini.files["tpu"].write_text("TPU,Release Year,GFLOPS (FP32),tpu\nTPU v2,2017,3000,x\n", encoding="utf-8")
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/tpu.csv", "line 1", "column 'tpu'", "twice", "unique column names")


def test_unterminated_quote_exits_2_naming_the_record_line(mini, tmp_path):
    # csv's lenient mode would swallow the rest of the file into one field; the record starts on line 3
    mini.files["tpu"].write_text('TPU,Release Year,GFLOPS (FP32)\nTPU v2,2017,3000\n"TPU v3,2018,4000\nTPU v4,2021,5000\n',
                                 encoding="utf-8")
    res = build(mini.root, tmp_path / "c.duckdb")
    assert_one_line_error(res, "thompson2020/tpu.csv", "line 3", "malformed CSV", "unexpected end of data")
