"""The takeoff report section registers and shows the closed-form and Monte Carlo numbers."""

from __future__ import annotations

import re

from aiprogress.report import sections
from aiprogress.takeoff.config import load_config, shipped_configs
from aiprogress.takeoff.montecarlo import run_monte_carlo
from aiprogress.takeoff.report import section_html


def test_takeoff_section_registered_with_order_60():
    sec = {s.key: s for s in sections()}["takeoff"]
    assert sec.order == 60
    assert sec.title == "Takeoff: compute bottlenecks and software intelligence explosion"


def test_section_contents_match_the_library():
    h = section_html(seed=4, draws=400, sobol_n=16)
    assert h.count("<figure") >= 5
    # max-speed table: the closed form 0.5**(1/-0.15) = 101.59 appears in the row of the published 102.
    row = re.search(r"<td[^>]*>102</td>\s*<td[^>]*>([0-9.]+)</td>", h)
    assert row is not None and row.group(1) == f"{0.5 ** (1 / -0.15):.2f}" == "101.59"
    assert re.search(r"<td[^>]*>1024</td>\s*<td[^>]*>1024.00</td>", h)
    # P(SIE) of each shipped config equals a direct run with the same seed.
    for k, name in enumerate(n for n in shipped_configs() if load_config(n).model == "ces-sie"):
        p = run_monte_carlo(name, 400, seed=4 + k).p_sie
        row = re.search(rf"<td[^>]*>{re.escape(name)}</td>\s*<td[^>]*>([0-9.e-]+)</td>", h)
        assert row is not None, name
        assert row.group(1) == f"{p:.3f}"  # the table prints P(SIE) with 3 decimals


def test_sections_resolve_config_references_from_the_report_context(monkeypatch, tmp_path):
    """Both takeoff sections load the shipped configs inside data_source(ctx.catalog, ctx.data_dir), so
    {from: "algorithmic:meta"} reads the report's catalog rather than re-parsing the raw files."""
    from aiprogress import capabilities
    from aiprogress.reportkit import ReportContext
    from aiprogress.takeoff import report, report_models

    seen = []

    def spy(ref, **options):  # records where the provider would read; returns a stand-in distribution
        seen.append((ref, capabilities.current_data_source()))
        return {"dist": "lognormal", "median": 2.0, "log_sd": 0.5}

    monkeypatch.setattr(capabilities, "distribution", spy)
    ctx = ReportContext(catalog=tmp_path / "cat.duckdb", data_dir=tmp_path)
    for module in (report, report_models):
        monkeypatch.setattr(module, "run_monte_carlo" if module is report_models else "montecarlo", _Stop())
        try:
            module.build(ctx)
        except _Stopped:
            pass
    assert [r for r, _ in seen] == ["algorithmic:meta", "algorithmic:meta"]
    assert all(where == {"catalog": ctx.catalog, "data_dir": ctx.data_dir} for _, where in seen)
    assert capabilities.current_data_source() == {"catalog": None, "data_dir": None}


class _Stopped(Exception):
    pass


class _Stop:
    """Stands in for the Monte Carlo: the test only needs the config loading before it."""

    def __call__(self, *a, **kw):
        raise _Stopped

    def __getattr__(self, name):
        return self
