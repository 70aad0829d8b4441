"""The shared conventions: JSON-safe results, one-line errors, data-dir resolution, report assembly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from aiprogress import paths
from aiprogress.clikit import emit, guard
from aiprogress.errors import InputError, ParameterError
from aiprogress.report import build_report
from aiprogress.reportkit import register_section
from aiprogress.reportkit.sections import _SECTIONS
from aiprogress.results import Result, jsonable


def test_jsonable_follows_the_documented_conventions():
    out = jsonable(
        {
            "nan": float("nan"),
            "inf": np.inf,
            "ninf": -np.inf,
            "i": np.int64(3),
            "f": np.float32(0.5),
            "b": np.bool_(True),
            "t": pd.Timestamp("2020-01-02"),
            "arr": np.array([1.0, np.nan]),
            "path": Path("a") / "b",
        }
    )
    assert out == {
        "nan": None,
        "inf": None,
        "inf_unbounded": True,
        "ninf": None,
        "ninf_unbounded_below": True,
        "i": 3,
        "f": 0.5,
        "b": True,
        "t": "2020-01-02T00:00:00",
        "arr": [1.0, None],
        "path": str(Path("a") / "b"),
    }
    # Strict JSON (no NaN/Infinity tokens) must accept it.
    json.dumps(out, allow_nan=False)


@dataclass(frozen=True)
class _Demo(Result):
    slope: float
    n: int
    label: str


def test_result_base_round_trips_fields():
    r = _Demo(slope=-0.5, n=10, label="x")
    assert r.to_dict() == {"slope": -0.5, "n": 10, "label": "x"}
    frame = r.to_frame()
    assert frame.shape == (1, 3) and frame.loc[0, "slope"] == -0.5
    assert "slope" in r.summary() and "-0.5" in r.summary()
    with pytest.raises(Exception):
        r.slope = 1.0  # frozen


def test_input_error_names_file_line_column_and_expectation():
    err = InputError("value 'abc' is not a number", file="x.csv", line=7, column="FLOPs", expected="a number")
    assert str(err) == "x.csv, line 7, column 'FLOPs': value 'abc' is not a number (expected a number)"
    assert "\n" not in str(ParameterError("alpha", "must be in (0, 1)\nnot 2", expected="0 < alpha < 1"))


def test_data_dir_resolution_order(tmp_path, monkeypatch):
    explicit = tmp_path / "explicit"
    monkeypatch.setenv("AIPROGRESS_DATA_DIR", str(tmp_path / "env"))
    assert paths.resolve_data_dir(explicit) == explicit
    assert paths.resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv("AIPROGRESS_DATA_DIR")
    monkeypatch.setenv("AIPROGRESS_CATALOG", str(tmp_path / "c.duckdb"))
    assert paths.resolve_catalog() == tmp_path / "c.duckdb"
    assert paths.resolve_catalog(tmp_path / "d.duckdb") == tmp_path / "d.duckdb"


def test_data_dir_falls_back_to_cache_when_nothing_beside(tmp_path, monkeypatch):
    monkeypatch.delenv("AIPROGRESS_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(paths, "_beside_candidates", lambda: [tmp_path / "nope" / "shared" / "data"])
    assert paths.resolve_data_dir() == tmp_path / "cache" / "aiprogress" / "data"


def _tiny_app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @guard
    def run(alpha: float = 0.5, json_out: bool = typer.Option(False, "--json")) -> None:
        if not 0 < alpha < 1:
            raise ParameterError("alpha", f"{alpha} is outside (0, 1)", expected="0 < alpha < 1")
        emit(_Demo(slope=alpha, n=1, label="ok"), json_out)

    @app.command()
    def other() -> None:  # a second command so 'run' is addressed by name
        pass

    return app


def test_guard_turns_library_errors_into_exit_2_one_line():
    runner = CliRunner()
    res = runner.invoke(_tiny_app(), ["run", "--alpha", "2"])
    assert res.exit_code == 2
    assert res.stdout == ""
    msg = res.stderr.strip()
    assert "Traceback" not in msg and len(msg.splitlines()) == 1
    assert "parameter 'alpha'" in msg and "0 < alpha < 1" in msg


def test_json_flag_prints_exactly_one_object():
    res = CliRunner().invoke(_tiny_app(), ["run", "--alpha", "0.25", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout) == {"slope": 0.25, "n": 1, "label": "ok"}


def test_report_builds_registered_sections_and_isolates_failures(tmp_path):
    @register_section("zz_demo_ok", "Demo OK", order=10_000)
    def _ok(ctx):
        return "<p>demo-ok-body</p>"

    @register_section("zz_demo_bad", "Demo bad", order=10_001)
    def _bad(ctx):
        raise RuntimeError("boom")

    try:
        res = build_report(tmp_path / "rep", only=["zz_demo_ok", "zz_demo_bad"])
        page = (tmp_path / "rep" / "index.html").read_text(encoding="utf-8")
        assert res.sections == ["zz_demo_ok", "zz_demo_bad"]
        assert "demo-ok-body" in page and "Demo OK" in page
        assert "could not be built" in page and "boom" in page
        assert set(res.failed) == {"zz_demo_bad"}
        # Self-contained: no external scripts or stylesheets.
        assert "<script src=" not in page and "<link " not in page
        with pytest.raises(ParameterError):
            build_report(tmp_path / "rep2", only=["no_such_section"])
    finally:
        _SECTIONS.pop("zz_demo_ok", None)
        _SECTIONS.pop("zz_demo_bad", None)


def test_version_flag():
    from aiprogress import __version__
    from aiprogress.cli import app

    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"aiprogress {__version__}"
