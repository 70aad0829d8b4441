"""Regression tests for issue 8 §1-§2 (data side): each bad input exits 2 with a
one-line message naming the file/line/column, and nothing stored changes."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.data import build_catalog, load_sources
from aiprogress.errors import InputError

runner = CliRunner()


def counts(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in ("models", "hardware", "benchmark_results", "rejects", "sources")}
    finally:
        con.close()


def build(data_dir, catalog, *extra):
    return runner.invoke(app, ["data", "build", "--data-dir", str(data_dir), "--catalog", str(catalog), "--json", *extra])


def one_line_error(res, *needles):
    assert res.exit_code == 2, res.output
    msg = res.stderr.strip()
    assert "\n" not in msg and "Traceback" not in msg, msg
    for n in needles:
        assert n in msg, (n, msg)
    assert res.stdout == ""
    return msg


@pytest.fixture()
def built(mini, tmp_path):
    """A good catalog built from the mini data, and its row counts."""
    cat = tmp_path / "c.duckdb"
    build_catalog(mini.root, cat)
    return cat, counts(cat)


# --- §1 silent data loss -------------------------------------------------------------------

@pytest.mark.parametrize("source", ["ms_coco", "epoch_models"])
def test_header_only_source_is_an_error_unless_allow_empty(mini, built, source):
    cat, before = built
    mini.write(source, mini.header(source), [])
    rel = mini.files[source].relative_to(mini.root).as_posix()
    one_line_error(build(mini.root, cat), rel, "has a header but no data rows", "--allow-empty")
    assert counts(cat) == before
    if source == "ms_coco":
        res = build(mini.root, cat, "--allow-empty")
        assert res.exit_code == 0, res.output
        rows = {s["name"]: s["rows"] for s in json.loads(res.stdout)["sources"]}
        assert rows["ms_coco"] == 0 and counts(cat)["benchmark_results"] == before["benchmark_results"] - 4


def test_renamed_column_in_fixed_layout_is_a_probable_rename(mini, built):
    cat, before = built
    mini.rename_column("squad_1_1", "time_sec", "tyme_sec")
    msg = one_line_error(build(mini.root, cat), "thompson2020/squad_1_1.csv", "line 1",
                         "column 'tyme_sec' is not known; did you mean 'time_sec'?")
    assert msg.startswith("error: thompson2020/squad_1_1.csv")
    mini.rename_column("squad_1_1", "tyme_sec", "time_sec")
    mini.rename_column("epoch_hardware", "TDP (W)", "TDP (Watt)")
    one_line_error(build(mini.root, cat), "epoch/ml_hardware_2026-01.csv", "column 'TDP (Watt)' is not known; did you mean 'TDP (W)'?")
    assert counts(cat) == before


def test_missing_column_in_fixed_layout_is_reported(mini, tmp_path):
    header, rows = mini.table("squad_1_1")
    j = header.index("time_sec")
    mini.write("squad_1_1", header[:j] + header[j + 1:], [r[:j] + r[j + 1:] for r in rows])
    out = json.loads(build(mini.root, tmp_path / "c.duckdb").stdout)
    msgs = [w["message"] for w in out["warnings"] if w["file"] == "thompson2020/squad_1_1.csv"]
    assert msgs == ["known column 'time_sec' is missing: train_seconds comes only from the free-text training time"]


def test_epoch_models_unknown_and_missing_columns_are_warnings(mini, tmp_path):
    header, rows = mini.table("epoch_models")
    j = header.index("Training hardware")
    mini.write("epoch_models", header[:j] + header[j + 1:] + ["Carbon footprint"], [r[:j] + r[j + 1:] + ["12"] for r in rows])
    mini.rename_column("epoch_models", "Notability criteria", "Notability criterion")
    res = build(mini.root, tmp_path / "c.duckdb")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    msgs = {w["column"]: w["message"] for w in out["warnings"]}
    assert msgs["Carbon footprint"] == "unknown column 'Carbon footprint' (ignored)"
    assert msgs["Notability criterion"] == "unknown column 'Notability criterion' (ignored); did you mean 'Notability criteria'?"
    assert msgs["Training hardware"].startswith("known column 'Training hardware' is missing: compute validate will consider 0 runs")
    assert "notable models" in msgs["Notability criteria"]
    text = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(tmp_path / "c.duckdb")]).stdout
    assert "Warnings:" in text and "did you mean 'Notability criteria'?" in text


def test_cut_off_last_record_is_an_error_naming_its_line(mini, built):
    cat, before = built
    path = mini.files["imagenet"]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    last_line = text.count("\n") + 1
    cut = text[: text.rindex(",", 0, len(text) - 1)]  # drop the last field(s) of the last record
    path.write_text(cut, encoding="utf-8")
    one_line_error(build(mini.root, cat), "thompson2020/imagenet.csv", f"line {last_line}", "the file looks cut off")
    assert counts(cat) == before


@pytest.mark.parametrize("value", ["1,000", "32,5", "3_2"])
def test_separators_and_decimal_commas_are_rejected(mini, built, value):
    cat, before = built
    line = mini.set_cell("epoch_models", 1, "Parameters", value)
    one_line_error(build(mini.root, cat), "epoch/all_ai_models_2025-03.csv", f"line {line}", "column 'Parameters'",
                   f"'{value}' is not a number (thousands separators, decimal commas and '_' are not accepted)")
    assert counts(cat) == before


@pytest.mark.parametrize("char, shown", [("\x00", "NUL character"), ("\x02", "control character U+0002")])
def test_control_characters_in_text_are_rejected(mini, built, char, shown):
    cat, before = built
    line = mini.set_cell("epoch_models", 2, "Organization", f"Open{char}AI")
    one_line_error(build(mini.root, cat), "epoch/all_ai_models_2025-03.csv", f"line {line}", "column 'Organization'", shown)
    assert counts(cat) == before


def test_control_characters_in_the_abstract_are_kept_and_counted(mini, tmp_path):
    mini.set_cell("epoch_models", 0, "Abstract", "di\x1ecult")
    out = json.loads(build(mini.root, tmp_path / "c.duckdb").stdout)
    assert {"file": "epoch/all_ai_models_2025-03.csv", "column": "Abstract",
            "message": "1 cell(s) of 'Abstract' hold control characters (kept: free text)"} in out["warnings"]


def test_skip_bad_rows_rejecting_everything_or_too_much_is_an_error(mini, built):
    cat, before = built
    for rec in range(4):
        mini.set_cell("tpu", rec, "GFLOPS (FP32)", "fast")
    one_line_error(build(mini.root, cat, "--skip-bad-rows"), "thompson2020/tpu.csv", "rejected every row (4 of 4)")
    for rec in range(3):
        mini.set_cell("tpu", rec, "GFLOPS (FP32)", "1000")
    mini.set_cell("gpu", 0, "GFLOPS", "fast")
    mini.set_cell("gpu", 1, "GFLOPS", "fast")
    mini.set_cell("gpu", 2, "GFLOPS", "fast")
    one_line_error(build(mini.root, cat, "--skip-bad-rows"), "thompson2020/gpu.csv", "rejected 3 of 4 rows (75%)",
                   "more than --max-reject-share 0.5")
    assert counts(cat) == before
    res = build(mini.root, cat, "--skip-bad-rows", "--max-reject-share", "0.8")
    assert res.exit_code == 0, res.output
    assert counts(cat)["rejects"] == 4  # 3 gpu + 1 tpu
    one_line_error(build(mini.root, cat, "--max-reject-share", "1.5"),
                   "parameter '--max-reject-share': 1.5 is out of range (expected a number in [0, 1])")


def test_epoch_download_names_and_dated_copies_are_discovered(mini, tmp_path):
    epoch = mini.files["epoch_models"].parent
    shipped = mini.files["epoch_models"]
    notable = epoch / "notable_ai_models.csv"
    notable.write_bytes(shipped.read_bytes())
    res = build(mini.root, tmp_path / "c.duckdb")
    pick = {s["name"]: s for s in json.loads(res.stdout)["sources"]}["epoch_models"]
    assert pick["path"] == "epoch/all_ai_models_2025-03.csv"
    assert "preferred over the less complete export(s) notable_ai_models.csv" in pick["picked"]
    newer = epoch / "all_ai_models_2026-02-01.csv"
    newer.write_bytes(shipped.read_bytes())
    pick = {s["name"]: s for s in json.loads(build(mini.root, tmp_path / "c.duckdb").stdout)["sources"]}["epoch_models"]
    assert pick["path"] == "epoch/all_ai_models_2026-02-01.csv" and "dated 2026-02-01" in pick["picked"]
    newer.unlink()
    shipped.unlink()
    pick = {s["name"]: s for s in json.loads(build(mini.root, tmp_path / "c.duckdb").stdout)["sources"]}["epoch_models"]
    assert pick["path"] == "epoch/notable_ai_models.csv" and "no 'all_ai_models' export found" in pick["picked"]
    text = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(tmp_path / "c.duckdb")]).stdout
    assert "epoch_models: epoch/notable_ai_models.csv (the only 'notable_ai_models' file" in text


def test_not_found_lists_what_is_there_and_the_names_looked_for(mini, tmp_path):
    mini.files["epoch_models"].rename(mini.files["epoch_models"].parent / "models_export.csv")
    res = build(mini.root, tmp_path / "c.duckdb")
    msg = one_line_error(res, "source 'epoch_models' not found",
                         "looked for all_ai_models.csv / all_ai_models_YYYY-MM[-DD].csv, notable_ai_models.csv",
                         "epoch/ holds: ml_hardware_2026-01.csv, models_export.csv")
    assert res.exit_code == 2 and msg.startswith("error: ")
    assert not (tmp_path / "c.duckdb").exists()  # nothing written


@pytest.mark.parametrize("source, column, value", [
    ("epoch_models", "Training compute (FLOP)", "1e300"),
    ("epoch_models", "Hardware quantity", "1e30"),
    ("epoch_hardware", "TDP (W)", "1e12"),
    ("imagenet", "#gpu", "1e30"),
])
def test_implausible_values_are_rejected_by_documented_ranges(mini, built, source, column, value):
    from aiprogress.data.ranges import MAXIMUM

    cat, before = built
    line = mini.set_cell(source, 1, column, value)
    msg = one_line_error(build(mini.root, cat), f"line {line}", f"column '{column}'", f"value {value} is implausibly large",
                         "plausibility range")
    assert any(f"<= {bound:g}" in msg for bound in MAXIMUM.values())
    assert counts(cat) == before


# --- §2 crashes and wrong numbers -----------------------------------------------------------

@pytest.mark.parametrize("source, column", [("imagenet", "year"), ("gpu", "Year")])
def test_fractional_year_is_a_clean_error_and_a_reject(mini, built, source, column):
    cat, before = built
    line = mini.set_cell(source, 1, column, "2017.5")
    one_line_error(build(mini.root, cat), f"line {line}", f"column '{column}'", "'2017.5' is not a whole year")
    assert counts(cat) == before
    res = build(mini.root, cat, "--skip-bad-rows")
    assert res.exit_code == 0, res.output
    rej = json.loads(res.stdout)["rejects"]
    assert [(r["source_line"], r["column"]) for r in rej] == [(line, column)]


@pytest.mark.parametrize("value, message", [
    ("2999-01-01", "'2999-01-01' is outside the supported range [1900, 2100]"),
    ("01/02/2019", "'01/02/2019' is not a date"),
])
def test_dates_one_rule_in_the_loader(mini, built, value, message):
    cat, before = built
    line = mini.set_cell("epoch_models", 0, "Publication date", value)
    one_line_error(build(mini.root, cat), f"line {line}", "column 'Publication date'", message)
    assert counts(cat) == before


def test_year_outside_range_says_so(mini, tmp_path):
    line = mini.set_cell("imagenet", 0, "year", "2999")
    with pytest.raises(InputError, match=r"year 2999 is outside the supported range \[1900, 2100\]") as info:
        load_sources(mini.root)
    assert info.value.line == line


def test_unreadable_folder_says_it_cannot_be_read(mini, tmp_path, monkeypatch):
    import os

    real_scandir = os.scandir
    thompson = mini.files["gpu"].parent

    def scandir(path="."):
        if os.fspath(path) == os.fspath(thompson):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    msg = one_line_error(build(mini.root, tmp_path / "c.duckdb"), f"{thompson}: the folder cannot be read (permission denied)")
    assert "not found" not in msg
