"""Regression tests for issue 8 §2-§4 (catalog side): unreadable catalogs, never
destroying the user's files, temp files, signals, the build lock, and the one
catalog rule with its provenance in --json."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.data import build_catalog, load_table
from aiprogress.data.catalog_files import build_lock
from aiprogress.errors import InputError
from aiprogress.paths import catalog_origin, clear_reads, reads

runner = CliRunner()


def counts(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("models", "hardware", "sources")}
    finally:
        con.close()


def one_line_error(res, *needles):
    assert res.exit_code == 2, res.output
    msg = res.stderr.strip()
    assert "\n" not in msg and "Traceback" not in msg, msg
    for n in needles:
        assert n in msg, (n, msg)
    return msg


def chip(mini) -> str:
    """A chip name present in the mini hardware table (first Epoch hardware row)."""
    header, rows = mini.table("epoch_hardware")
    return rows[0][header.index("Hardware name")]


@pytest.fixture()
def built(mini, tmp_path):
    cat = tmp_path / "out" / "c.duckdb"
    build_catalog(mini.root, cat)
    return cat, counts(cat)


# --- §2 unreadable catalogs ----------------------------------------------------------------

def test_truncated_catalog_is_one_line_exit_2_everywhere(mini, built, tmp_path):
    cat, _ = built
    head = tmp_path / "h.duckdb"
    data = cat.read_bytes()
    head.write_bytes(data[: len(data) // 2])
    for args in (["data", "status"], ["trends", "doubling"], ["compute", "validate"],
                 ["compute", "estimate", "--hardware", "V100", "--chips", "8", "--hours", "10"]):
        res = runner.invoke(app, [*args, "--catalog", str(head)])
        one_line_error(res, f"{head}: the catalog cannot be read", "rebuild it with 'aiprogress data build --force'")
    with pytest.raises(InputError, match="the catalog cannot be read"):
        load_table("models", catalog=head)
    # rebuilding over the damaged file needs --force; the data directory is untouched
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(head)])
    one_line_error(res, "exists and is not an aiprogress catalog", "--force")
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(head), "--force"])
    assert res.exit_code == 0, res.output
    assert counts(head)["models"] == 4


# --- §3 never destroy what the user has ------------------------------------------------------

@pytest.mark.parametrize("content", [b"My thesis, chapter 1\n", b"model,year\nA,2019\n"])
def test_build_refuses_to_overwrite_a_file_that_is_not_a_catalog(mini, tmp_path, content):
    thesis = tmp_path / "thesis.txt"
    thesis.write_bytes(content)
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(thesis)])
    one_line_error(res, f"{thesis} exists and is not an aiprogress catalog", "refusing to overwrite it", "--force")
    assert thesis.read_bytes() == content
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE results (x INTEGER)")
    con.close()
    one_line_error(runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(other)]),
                   "is not an aiprogress catalog")
    con = duckdb.connect(str(other), read_only=True)
    assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()] == ["results"]
    con.close()


def test_build_overwrites_its_own_catalog_without_force(mini, built):
    cat, before = built
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(cat)])
    assert res.exit_code == 0, res.output
    assert counts(cat) == before


def test_catalog_is_never_written_inside_the_data_directory(mini):
    target = mini.root / "epoch" / "cat.duckdb"
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(target), "--force"])
    one_line_error(res, "is inside the data directory", "a catalog is never written there")
    assert not target.exists()


def test_stale_temp_files_of_killed_builds_are_removed(mini, built):
    cat, before = built
    stale = [cat.parent / f".{cat.name}.{pid}.{'ab12cd34'}.tmp" for pid in (11, 12)]
    stale.append(cat.parent / f".{cat.name}.13.0011aabb.tmp.wal")
    for p in stale:
        p.write_bytes(b"x" * 1000)
    keep = cat.parent / "notes.tmp"
    keep.write_text("mine")
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(cat), "--json"])
    assert res.exit_code == 0, res.output
    assert sorted(json.loads(res.stdout)["removed_temp_files"]) == sorted(p.name for p in stale)
    assert not any(p.exists() for p in stale) and keep.read_text() == "mine"
    assert counts(cat) == before


def test_second_concurrent_build_exits_2_or_waits(mini, built):
    cat, before = built
    with build_lock(cat):
        res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(cat)])
        one_line_error(res, f"another build of {cat} is running (process {os.getpid()}", "--wait")
        t0 = time.monotonic()
        res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(cat), "--wait", "0.5"])
        assert res.exit_code == 2 and time.monotonic() - t0 >= 0.5
    assert counts(cat) == before
    assert runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--catalog", str(cat)]).exit_code == 0


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, None)])
def test_sigterm_and_sigint_remove_the_temp_file(mini, built, sig, code):
    cat, before = built
    marker = cat.parent / "writing"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        import aiprogress.data.catalog as c
        real = c._write
        def slow(con, name, frame):
            real(con, name, frame)
            Path({str(marker)!r}).touch()
            time.sleep(60)
        c._write = slow
        c.build_catalog({str(mini.root)!r}, {str(cat)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert list(cat.parent.glob(f".{cat.name}.*.tmp"))  # the temp file exists mid-build
        proc.send_signal(sig)
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == code if code is not None else rc != 0
    assert list(cat.parent.glob(f".{cat.name}.*.tmp*")) == []
    assert counts(cat) == before


# --- §4 one catalog rule ------------------------------------------------------------------------

@pytest.fixture()
def checkout(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "aiprogress"\n')
    monkeypatch.delenv("AIPROGRESS_CATALOG", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(root / "src")
    return root


def test_catalog_rule_order(checkout, tmp_path, monkeypatch):
    assert catalog_origin() == (checkout / "out" / "catalog.duckdb", "checkout")
    monkeypatch.setenv("AIPROGRESS_CATALOG", str(tmp_path / "env.duckdb"))
    assert catalog_origin() == (tmp_path / "env.duckdb", "AIPROGRESS_CATALOG")
    assert catalog_origin(tmp_path / "flag.duckdb") == (tmp_path / "flag.duckdb", "--catalog")
    monkeypatch.delenv("AIPROGRESS_CATALOG")
    monkeypatch.chdir(tmp_path)
    assert catalog_origin() == (tmp_path / "cache" / "aiprogress" / "catalog.duckdb", "user cache")


def test_build_then_status_and_analyses_use_the_same_catalog(checkout, mini):
    res = runner.invoke(app, ["data", "build", "--data-dir", str(mini.root), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["catalog"] == str(checkout / "out" / "catalog.duckdb") and out["catalog_rule"] == "checkout"
    status = json.loads(runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--json"]).stdout)
    assert status["catalog_exists"] is True and status["catalog"] == out["catalog"]
    # an analysis command without --catalog reads that catalog, and says so
    res = runner.invoke(app, ["compute", "estimate", "--hardware", chip(mini), "--chips", "8", "--hours", "10", "--json"])
    assert res.exit_code == 0, res.output
    read = json.loads(res.stdout)["read_from"]
    assert read == [{"kind": "catalog", "path": out["catalog"], "built_at": out["built_at"],
                     "data_dir": str(mini.root.resolve()), "stale": False, "changed_sources": []}]
    # the library follows the same rule
    clear_reads()
    assert len(load_table("models")) == 4 and reads()[0]["path"] == out["catalog"]


def test_stale_catalog_warns_and_says_so_in_json(checkout, mini):
    assert runner.invoke(app, ["data", "build", "--data-dir", str(mini.root)]).exit_code == 0
    mini.set_cell("gpu", 0, "TDP", "41")
    res = runner.invoke(app, ["compute", "estimate", "--hardware", chip(mini), "--chips", "8", "--hours", "10", "--json"])
    assert res.exit_code == 0, res.output
    read = json.loads(res.stdout)["read_from"][0]
    assert read["stale"] is True and read["changed_sources"] == ["thompson2020/gpu.csv"]
    assert "warning: catalog" in res.stderr and "is older than thompson2020/gpu.csv" in res.stderr
    status = json.loads(runner.invoke(app, ["data", "status", "--data-dir", str(mini.root), "--json"]).stdout)
    assert status["stale"] is True


def test_raw_files_are_named_when_no_catalog_exists(checkout, mini):
    res = runner.invoke(app, ["compute", "estimate", "--hardware", chip(mini), "--chips", "8", "--hours", "10",
                              "--data-dir", str(mini.root), "--json"])
    assert res.exit_code == 0, res.output
    read = json.loads(res.stdout)["read_from"]
    assert read[0]["kind"] == "raw files" and read[0]["data_dir"] == str(Path(mini.root).resolve())
    assert "thompson2020/gpu.csv" in read[0]["files"] and "epoch/ml_hardware_2026-01.csv" in read[0]["files"]
