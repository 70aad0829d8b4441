"""The pandas-free hardware look-up of ``compute estimate`` (aiprogress.compute.lookup) against the DataFrame path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from aiprogress import paths
from aiprogress.cli import app
from aiprogress.compute import lookup
from aiprogress.compute.estimate import estimate
from aiprogress.compute.hardware import HardwareIndex
from aiprogress.data import load_table
from aiprogress.errors import ParameterError
from aiprogress.paths import resolve_data_dir

runner = CliRunner()
DATA = resolve_data_dir()
needs_data = pytest.mark.skipif(not (DATA / "epoch" / "ml_hardware_2026-01.csv").is_file(),
                                reason="real data directory not found")

QUERIES = ["NVIDIA V100", "Tesla V100 SXM2 32GB", "NVIDIA A100 SXM4 80 GB", "H100 PCIe", "Google TPU v3",
           "TPU v2", "GTX 980", "Nvidia P100", "Huawei Ascend 910", "A100,V100"]
PRECISIONS = ["auto", "fp32", "fp16", "tensor_fp16", "bf16"]
BAD = ["Quantum Chip 9000", "TPU v5", "GTX 481", "   "]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    paths.clear_reads()
    yield
    paths.clear_reads()


def _plain(records):
    """Rows with NaN as None (NaN != NaN, so records are compared through this)."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in records.rows]


def _outcome(table, name, precision, date=None):
    """The estimate as a dict, or the error message (the two paths must agree on both)."""
    try:
        return estimate(hardware_name=name, chips=8, hours=24, utilization=0.3, precision=precision,
                        publication_date=date, hardware=table).to_dict()
    except ParameterError as exc:
        return f"error: {exc}"


def _same_results(frame, records):
    frame, records = HardwareIndex(frame), HardwareIndex(records)  # built once (each index caches its matches)
    for q in QUERIES + BAD:
        for p in PRECISIONS:
            for date in ((None, 2016, "2020-05-01") if p == "auto" else (None,)):
                assert _outcome(records, q, p, date) == _outcome(frame, q, p, date), (q, p, date)


def test_records_match_the_dataframe_on_the_hand_made_table(hardware):
    frame = hardware
    records = lookup._records(json.loads(json.dumps(lookup._json_rows(frame))))  # through JSON, as stored
    assert len(records) == len(frame)
    _same_results(frame, records)
    # an unknown chip: same message (with the candidates), and it is an error on both paths
    assert _outcome(records, "Quantum Chip 9000", "fp32").startswith("error: ")


@needs_data
def test_raw_files_index_gives_the_dataframe_results_and_is_reused(monkeypatch):
    frame = load_table("hardware", data_dir=DATA)
    paths.clear_reads()
    first = lookup.hardware_records(data_dir=DATA)  # builds the index via the DataFrame path
    read_first = paths.reads()
    paths.clear_reads()

    def no_pandas_path(*a, **k):
        raise AssertionError("the index was not used")

    monkeypatch.setattr("aiprogress.data.load_table", no_pandas_path)
    second = lookup.hardware_records(data_dir=DATA)  # from the index
    assert paths.reads() == read_first
    assert read_first[0]["kind"] == "raw files" and read_first[0]["files"]
    assert _plain(second) == _plain(first)
    _same_results(frame, second)


@needs_data
def test_raw_index_is_rebuilt_when_a_source_file_changes(tmp_path):
    data = tmp_path / "data"
    for rel in ("epoch/ml_hardware_2026-01.csv", "thompson2020/gpu.csv", "thompson2020/cpu.csv", "thompson2020/tpu.csv"):
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / rel, data / rel)
    before = lookup.hardware_records(data_dir=data)
    v100 = next(r for r in before.rows if r["name"] == "NVIDIA V100")
    assert v100["peak_flop_per_s_fp32"] == 15.67e12
    csv = data / "epoch" / "ml_hardware_2026-01.csv"
    text = csv.read_text(encoding="utf-8")
    assert text.count("15670000000000") >= 1
    csv.write_text(text.replace("15670000000000", "15680000000000", 1), encoding="utf-8")
    after = lookup.hardware_records(data_dir=data)
    fresh = load_table("hardware", data_dir=data)
    assert _plain(after) == _plain(lookup._records(lookup._json_rows(fresh)))
    assert _plain(after) != _plain(before)


def _cli(args, env_cache):
    env = dict(os.environ, XDG_CACHE_HOME=str(env_cache))
    code = ("import sys; from aiprogress.cli import main; sys.argv = ['aiprogress'] + sys.argv[1:]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code or 0\nelse:\n    code = 0\n"
            "sys.stderr.write('PANDAS=%s' % ('pandas' in sys.modules)); sys.exit(code)")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)


@needs_data
def test_cli_second_run_imports_no_pandas_and_prints_the_same_json(tmp_path):
    args = ["compute", "estimate", "--hardware", "NVIDIA V100", "--chips", "8", "--hours", "24",
            "--precision", "fp32", "--utilization", "0.3", "--data-dir", str(DATA), "--json"]
    first, second = _cli(args, tmp_path / "c"), _cli(args, tmp_path / "c")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert "PANDAS=False" in second.stderr
    # the DataFrame path (what the command printed before the index): same object
    frame = load_table("hardware", data_dir=DATA)
    ref = estimate(hardware_name="NVIDIA V100", chips=8, hours=24, utilization=0.3, precision="fp32",
                   hardware=HardwareIndex(frame)).to_dict()
    ref["read_from"] = paths.reads()
    assert json.loads(second.stdout) == json.loads(json.dumps(ref))
    text = _cli(args[:-1], tmp_path / "c")
    assert text.returncode == 0 and "PANDAS=False" in text.stderr and "3.249e+18" in text.stdout


@needs_data
def test_cli_unknown_chip_exits_2_with_the_same_message_on_both_paths(tmp_path):
    args = ["compute", "estimate", "--hardware", "Quantum Chip 9000", "--chips", "8", "--hours", "24",
            "--data-dir", str(DATA)]
    first, second = _cli(args, tmp_path / "c"), _cli(args, tmp_path / "c")
    assert first.returncode == second.returncode == 2
    msg = lambda r: r.stderr.split("PANDAS=")[0]  # noqa: E731
    assert msg(first) == msg(second) and "Quantum Chip 9000" in msg(first)
    assert "PANDAS=False" in second.stderr


@needs_data
def test_catalog_index_matches_the_catalog_table_and_reports_the_same_read(tmp_path, monkeypatch):
    cat = tmp_path / "catalog.duckdb"
    res = runner.invoke(app, ["data", "build", "--catalog", str(cat), "--data-dir", str(DATA), "--quiet"])
    assert res.exit_code == 0, res.output
    paths.clear_reads()
    frame = load_table("hardware", catalog=cat)
    read_ref = paths.reads()
    paths.clear_reads()
    first = lookup.hardware_records(catalog=cat)
    assert paths.reads() == read_ref
    paths.clear_reads()
    monkeypatch.setattr("aiprogress.data.load_table", lambda *a, **k: (_ for _ in ()).throw(AssertionError("no index")))
    second = lookup.hardware_records(catalog=cat)
    assert paths.reads() == read_ref and read_ref[0]["kind"] == "catalog" and read_ref[0]["stale"] is False
    assert _plain(second) == _plain(first)
    _same_results(frame, second)
