"""report --jobs: sections built in worker processes give the same page as a serial build; failures stay per section."""

from __future__ import annotations

import os
import re

import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.errors import ParameterError
from aiprogress.paths import resolve_data_dir
from aiprogress.report import build_report
from aiprogress.report.parallel import units, worker_count
from aiprogress.reportkit import register_section
from aiprogress.reportkit.sections import _SECTIONS, Section

runner = CliRunner()
_DATA = resolve_data_dir()
HAVE_DATA = (_DATA / "thompson2020" / "imagenet.csv").is_file() and (_DATA / "epoch").is_dir()
GENERATED = re.compile(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def _files(folder) -> dict[str, bytes]:
    """Every file the build left in ``folder``, the page's generation minute blanked out."""
    return {p.name: GENERATED.sub(b"<generated>", p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def demo_sections():
    import matplotlib.pyplot as plt

    @register_section("zz_fig", "Demo figure", order=10_000)
    def _fig(ctx):
        from aiprogress.reportkit import figure_html

        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1, 4])
        return "<h3>One figure</h3>" + figure_html(fig, "a line", n=3)

    @register_section("zz_bad", "Demo bad", order=10_001, cost=5)
    def _bad(ctx):
        raise RuntimeError("catalog is broken")

    @register_section("zz_pid", "Demo pid", order=10_002)
    def _pid(ctx):
        return f"<p>built in process {os.getpid()}</p>"

    yield
    for key in ("zz_fig", "zz_bad", "zz_pid"):
        _SECTIONS.pop(key, None)


@pytest.mark.skipif(not HAVE_DATA, reason="shared data not available")
def test_parallel_and_serial_builds_write_the_same_files(tmp_path):
    sections = ["compute", "growth"]  # tables, SVG figures and growth's scorecard rows
    par = build_report(tmp_path / "par", only=sections, jobs=2)
    ser = build_report(tmp_path / "ser", only=sections, jobs=1)
    assert par.failed == ser.failed == {}
    assert par.sections == ser.sections and par.scorecard == ser.scorecard and sum(ser.scorecard.values()) > 0
    got, want = _files(tmp_path / "par"), _files(tmp_path / "ser")
    assert list(got) == ["index.html"] and got == want


def test_a_failing_section_is_reported_alike_in_both_modes_and_workers_do_the_work(tmp_path, demo_sections):
    keys = ["zz_fig", "zz_bad", "zz_pid"]
    progressed = []
    par = build_report(tmp_path / "par", only=keys, jobs=2, scorecard=False, progress=progressed.append)
    ser = build_report(tmp_path / "ser", only=keys, jobs=1, scorecard=False)
    assert par.failed == ser.failed == {"zz_bad": "RuntimeError: catalog is broken"}
    assert sum(progressed) == len(keys)
    page_par = (tmp_path / "par" / "index.html").read_text(encoding="utf-8")
    page_ser = (tmp_path / "ser" / "index.html").read_text(encoding="utf-8")
    pid = re.compile(r"built in process (\d+)")
    assert int(pid.search(page_par).group(1)) != os.getpid()  # built in a worker
    assert int(pid.search(page_ser).group(1)) == os.getpid()  # built here
    same = lambda page: GENERATED.sub(b"", pid.sub("", page).encode())  # noqa: E731
    assert same(page_par) == same(page_ser)
    assert "could not be built" in page_par and "catalog is broken" in page_par and 'id="zz_fig-fig-1"' in page_par


def test_a_worker_that_dies_fails_its_section_not_the_build(tmp_path, demo_sections):
    @register_section("zz_die", "Demo crash", order=10_003, cost=9)
    def _die(ctx):
        os._exit(3)

    try:
        res = build_report(tmp_path / "r", only=["zz_pid", "zz_die"], jobs=2, scorecard=False)
    finally:
        _SECTIONS.pop("zz_die", None)
    assert res.written and "BrokenProcessPool" in res.failed["zz_die"]
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "could not be built" in page and "Demo crash" in page


def test_jobs_must_be_a_whole_number_from_one():
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ParameterError) as err:
            worker_count(bad, 5)
        assert "jobs" in str(err.value) and "\n" not in str(err.value)
    cores = len(os.sched_getaffinity(0))
    assert worker_count(None, 5) == min(cores, 5)
    assert worker_count(64, 3) == min(cores, 3) and worker_count(1, 9) == 1


def test_cli_jobs_option(tmp_path, demo_sections):
    res = runner.invoke(app, ["report", "--out", str(tmp_path / "a"), "--sections", "zz_fig,zz_pid", "--jobs", "1", "--quiet", "--json"])
    assert res.exit_code == 0, res.output
    assert f"built in process {os.getpid()}" in (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    res = runner.invoke(app, ["report", "--out", str(tmp_path / "b"), "--sections", "zz_fig", "--jobs", "0", "--quiet"])
    assert res.exit_code == 2 and "--jobs" in res.output
    assert not (tmp_path / "b" / "index.html").exists()


def test_units_group_a_section_with_the_one_it_reuses_costliest_first():
    def sec(key, cost=1.0, with_section=None):
        return Section(key=key, title=key, order=0, build=lambda ctx: "", cost=cost, with_section=with_section)

    chosen = [sec("a"), sec("b", 6), sec("c", 2, with_section="b"), sec("d", 10), sec("e", with_section="c"),
              sec("f", with_section="missing"), sec("g", with_section="h"), sec("h", with_section="g")]
    # c joins b, e joins c (so b), f's partner is not built (own unit), g and h point at each other (one unit)
    assert units(chosen) == [[3], [1, 2, 4], [6, 7], [0], [5]]
    assert sorted(i for u in units(chosen) for i in u) == list(range(len(chosen)))


@pytest.mark.skipif(not HAVE_DATA, reason="shared data not available")
def test_sections_built_together_give_the_serial_page(tmp_path, demo_sections):
    @register_section("zz_with", "Demo with", order=10_004, with_section="zz_pid")
    def _with(ctx):
        return f"<p>built in process {os.getpid()}</p>"

    try:
        par = build_report(tmp_path / "par", only=["zz_fig", "zz_pid", "zz_with"], jobs=2, scorecard=False)
    finally:
        _SECTIONS.pop("zz_with", None)
    assert par.failed == {}
    pids = re.findall(r"built in process (\d+)", (tmp_path / "par" / "index.html").read_text(encoding="utf-8"))
    assert len(pids) == 2 and pids[0] == pids[1] != str(os.getpid())  # one worker built both


@pytest.mark.skipif(not HAVE_DATA, reason="shared data not available")
def test_light_sections_started_early_give_the_serial_page(tmp_path):
    from aiprogress.capabilities import capabilities

    assert {c.key for c in capabilities() if c.report_light} >= {"data", "compute"}
    par = build_report(tmp_path / "par", only=["data", "compute"], jobs=2)  # only light sections: no main pool
    ser = build_report(tmp_path / "ser", only=["data", "compute"], jobs=1)
    assert par.failed == ser.failed == {} and par.sections == ser.sections == ["data", "compute"]
    assert _files(tmp_path / "par") == _files(tmp_path / "ser")


def test_an_unknown_section_stops_a_build_whose_light_sections_had_started(tmp_path):
    with pytest.raises(ParameterError) as err:
        build_report(tmp_path / "r", only=["compute", "no_such_section"], jobs=2)
    assert "no_such_section" in str(err.value)
    assert not (tmp_path / "r" / "index.html").exists()


def test_workers_start_with_the_loaded_objects_frozen_and_the_parent_unfreezes(tmp_path):
    import gc

    @register_section("zz_gc", "Demo gc", order=10_005)
    def _gc(ctx):
        return f"<p>frozen {gc.get_freeze_count()} threshold {gc.get_threshold()[0]}</p>"

    try:
        build_report(tmp_path / "r", only=["zz_gc", "compute"], jobs=2, scorecard=False)
    finally:
        _SECTIONS.pop("zz_gc", None)
    m = re.search(r"frozen (\d+) threshold (\d+)", (tmp_path / "r" / "index.html").read_text(encoding="utf-8"))
    assert int(m.group(1)) > 10_000 and int(m.group(2)) > 700  # the worker's collector skips the imports
    assert gc.get_freeze_count() == 0 and gc.get_threshold()[0] == 700  # this process is left as it was
