"""The overlapped build (aiprogress.data.parallel): the same catalog, warnings, rejects and
errors as the serial build (AIPROGRESS_BUILD_THREADS=1), and a failing build keeps the
previous catalog."""

from __future__ import annotations

import threading

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.data import build_catalog, load_sources, parallel
from aiprogress.data.fastcsv import read_fast
from aiprogress.errors import InputError

runner = CliRunner()


@pytest.fixture()
def threads(monkeypatch):
    """Switch between the overlapped build (on a 2-core machine) and the serial one; counts the threads started."""
    started = []
    real = parallel.Background.__init__

    def spy(self, fn, *args, run_now=False, name="aiprogress-build"):
        if not run_now:
            started.append(name)
        real(self, fn, *args, run_now=run_now, name=name)

    monkeypatch.setattr(parallel.Background, "__init__", spy)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)

    def use(concurrent: bool) -> list[str]:
        started.clear()
        if concurrent:
            monkeypatch.delenv("AIPROGRESS_BUILD_THREADS", raising=False)
        else:
            monkeypatch.setenv("AIPROGRESS_BUILD_THREADS", "1")
        assert parallel.enabled() is concurrent
        return started

    return use


def catalog_tables(path) -> dict[str, pd.DataFrame]:
    """Every table of a catalog, without the build time (the one thing two builds differ in)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        out = {n: con.execute(f'SELECT * FROM "{n}"').df() for n in names}
    finally:
        con.close()
    out["sources"] = out["sources"].drop(columns=["built_at"])
    out["meta"] = out["meta"][out["meta"]["key"] != "built_at"].reset_index(drop=True)
    return out


def test_overlapped_build_gives_the_serial_catalog(mini, tmp_path, threads):
    # layout notes from two sources (their order is the source order) and rejects from three
    mini.rename_column("epoch_models", "Epochs", "Epochz")
    header, rows = mini.table("imagenet")
    mini.write("imagenet", header + ["Reviewer notes"], [r + ["ok"] for r in rows])
    mini.set_cell("epoch_models", 1, "Parameters", "about 7B")  # two bad cells in one row, another in the next:
    mini.set_cell("epoch_models", 1, "Training compute (FLOP)", "-1e+20")  # the column tasks run side by side
    mini.set_cell("epoch_models", 2, "Publication date", "March 2025")
    mini.set_cell("epoch_models", 0, "Abstract", "text with a bell \x07 inside")  # kept (prose): a warning
    mini.set_cell("ms_coco", 0, "time_sec", "-259200")
    mini.set_cell("gpu", 3, "GFLOPS", "n/a")
    results, tables = {}, {}
    for concurrent in (False, True):
        started = threads(concurrent)
        cat = tmp_path / f"{concurrent}.duckdb"
        results[concurrent] = build_catalog(mini.root, cat, skip_bad_rows=True, max_reject_share=1.0)
        tables[concurrent] = catalog_tables(cat)
        assert bool(started) is concurrent, started  # the overlapped build did start its threads
        assert {"aiprogress-load", "aiprogress-write"} <= set(started) or not concurrent
    serial, overlapped = results[False], results[True]
    assert set(tables[True]) == set(tables[False]) >= {"models", "hardware", "benchmark_results", "rejects",
                                                        "sources", "meta", "compute_estimates"}
    for name in tables[False]:
        pd.testing.assert_frame_equal(tables[True][name], tables[False][name], check_exact=True, obj=name)
    assert overlapped.warnings == serial.warnings and len({w["file"] for w in serial.warnings}) >= 2
    assert [w["file"] for w in serial.warnings] == sorted((w["file"] for w in serial.warnings),
                                                          key=lambda f: list(mini.files.values()).index(mini.root / f))
    assert overlapped.rejects == serial.rejects and len(serial.rejects) == 4
    assert any("control characters" in w["message"] for w in serial.warnings)
    assert overlapped.tables == serial.tables
    assert [s["sha256"] for s in overlapped.sources] == [s["sha256"] for s in serial.sources]


def build_cli(data_dir, catalog):
    return runner.invoke(app, ["data", "build", "--data-dir", str(data_dir), "--catalog", str(catalog)])


@pytest.mark.parametrize(
    "bad, reported",
    [
        # (source, record, column, value) cells made bad; the error names the first source in source order
        ([("tpu", 0, "GFLOPS (FP32)", "fast")], "tpu"),
        ([("gpu", 3, "GFLOPS", "n/a"), ("wmt2014_en_de", 1, "#gpu", "eight")], "wmt2014_en_de"),
        ([("cpu", 0, "GFLOPS(FP32)", "x"), ("epoch_models", 2, "Training compute (FLOP)", "-1e+20")], "epoch_models"),
    ],
)
def test_first_error_in_source_order_and_the_old_catalog_is_kept(mini, tmp_path, threads, bad, reported):
    cat = tmp_path / "out" / "c.duckdb"
    threads(True)
    build_catalog(mini.root, cat)
    before = cat.read_bytes()
    lines = {src: mini.set_cell(src, rec, col, val) for src, rec, col, val in bad}
    col = next(c for s, _r, c, _v in bad if s == reported)
    path = mini.files[reported].relative_to(mini.root).as_posix()
    messages = {}
    for concurrent in (True, False):
        threads(concurrent)
        res = build_cli(mini.root, cat)
        assert res.exit_code == 2, res.output
        msg = messages[concurrent] = res.stderr.strip()
        assert "\n" not in msg and "Traceback" not in msg, msg
        for needle in (path, f"line {lines[reported]}", f"column '{col}'"):
            assert needle in msg, (needle, msg)
        assert cat.read_bytes() == before  # the previous catalog is untouched
        assert sorted(p.name for p in cat.parent.iterdir()) == ["c.duckdb"]  # no temp file left
        with pytest.raises(InputError) as info:
            load_sources(mini.root)
        assert (info.value.file, info.value.line, info.value.column) == (path, lines[reported], col)
    assert messages[True] == messages[False]
    assert not [t for t in threading.enumerate() if t.name.startswith("aiprogress-")]  # all joined


def test_a_failing_derived_table_stops_the_write_and_keeps_the_old_catalog(mini, tmp_path, threads):
    cat = tmp_path / "c.duckdb"
    threads(True)
    build_catalog(mini.root, cat)
    before = cat.read_bytes()

    def broken(tables):
        raise ValueError("derived table failed")

    for concurrent in (True, False):
        threads(concurrent)
        with pytest.raises(ValueError, match="derived table failed"):
            build_catalog(mini.root, cat, derived=[broken])
        assert cat.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".c.duckdb")) == []


def test_background_returns_or_raises_like_a_plain_call():
    assert parallel.Background(sum, [1, 2, 3]).result() == 6
    assert parallel.Background(sum, [1, 2], run_now=True).result() == 3
    with pytest.raises(ZeroDivisionError):
        parallel.Background(lambda: 1 / 0).result()
    ran = []
    job = parallel.Background(ran.append, 1, run_now=True)
    job.cancel()  # not started yet: never runs
    job.wait()
    assert ran == [] and job.result() is None
    job = parallel.Background(ran.append, 2, run_now=True)
    assert ran == [] and not job.running()  # without a thread it runs only when asked
    job.wait()
    assert ran == [2]


def test_run_all_keeps_task_order_and_raises_the_first_error(threads):
    for concurrent in (True, False):
        threads(concurrent)
        seen = []
        tasks = [lambda i=i: seen.append(i) or i * i for i in range(7)]
        assert parallel.run_all(tasks) == [i * i for i in range(7)]
        assert sorted(seen) == list(range(7))

        def fail(msg):
            raise ValueError(msg)

        with pytest.raises(ValueError, match="first"):
            parallel.run_all([lambda: 1, lambda: fail("first"), lambda: 3, lambda: fail("second")])


def test_environment_switch(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    for value, expected in (("1", False), ("", True), ("2", True), (" 1 ", False)):
        monkeypatch.setenv("AIPROGRESS_BUILD_THREADS", value)
        assert parallel.enabled() is expected
    monkeypatch.delenv("AIPROGRESS_BUILD_THREADS")
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert parallel.enabled() is False


@pytest.mark.parametrize("text, regular", [
    ('a,b\n1,"x\ny"\n\n3,4\n', True),
    ('a,b\r\n1,2\r\n', True),
    ('a,b\n1,2\r3,4\n', False),  # a bare CR: the csv module's reader takes it
    ('a,b\n1,x"y\n', False),  # a quote inside an unquoted field
])
def test_read_fast_same_with_and_without_the_overlapped_scan(tmp_path, threads, text, regular):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())
    got = {}
    for concurrent in (True, False):
        threads(concurrent)
        got[concurrent] = read_fast(path, 2)
    if not regular:
        assert got[True] is None and got[False] is None
        return
    (t1, l1), (t2, l2) = got[True], got[False]
    assert t1.equals(t2) and np.array_equal(l1, l2)
    # the start lines against a plain count (header = line 1)
    starts, line, quoted = [], 1, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n":
            line += 1
            if not quoted and i + 1 < len(text) and text[i + 1] not in "\r\n":
                starts.append(line)
    assert l1.tolist() == starts


def test_compute_estimates_frame_owns_its_data(mini):
    from aiprogress.compute.tables import estimate_models

    models = load_sources(mini.root).tables["models"]
    hardware = load_sources(mini.root).tables["hardware"]
    keep = models.copy(deep=True)
    est = estimate_models(models, hardware)
    for col in est.columns:  # editing the estimate leaves the models table as it was
        if est[col].dtype.kind == "f":
            est[col].to_numpy()[:] = -1.0
    pd.testing.assert_frame_equal(models, keep)
    assert list(est["source_line"]) == list(models["source_line"])
