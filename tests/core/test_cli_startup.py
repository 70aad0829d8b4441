"""Fast CLI start: the command line and the shared modules import no heavy library at start.

Each check imports the module in a fresh interpreter and reads ``sys.modules``
(no timing: ``benchmarks/cli_startup.py`` measures the time). The reference is
the rule of SPEC.md: a ``cli.py`` imports only the standard library, typer and
``aiprogress.clikit`` / ``aiprogress.errors`` at module top.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from aiprogress.capabilities import CAPABILITIES

HEAVY = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "torch", "sklearn", "dash", "plotly", "duckdb", "pyarrow")
SHARED = ("aiprogress", "aiprogress.errors", "aiprogress.results", "aiprogress.clikit", "aiprogress.capabilities")


def _heavy_after(statement: str) -> list[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    return sorted(loaded.intersection(HEAVY))


@pytest.mark.parametrize("module", SHARED)
def test_shared_modules_import_no_numpy_or_pandas(module):
    assert _heavy_after(f"import {module}") == []


@pytest.mark.parametrize(
    "ref", sorted({ref for cap in CAPABILITIES for _, ref, _ in cap.cli} | {"aiprogress.report.cli:register"})
)
def test_each_cli_module_imports_nothing_heavy(ref):
    module, _, attr = ref.partition(":")
    assert _heavy_after(f"from {module} import {attr}") == [], f"{module} imports a heavy library at start"


def test_mounting_the_whole_cli_imports_nothing_heavy():
    assert _heavy_after("from aiprogress.cli import app\nfrom typer.main import get_command\nget_command(app)") == []


def test_the_entry_point_mounts_only_the_group_asked_for():
    from aiprogress.cli import build_app, group_names, requested_group

    assert requested_group(["--debug", "takeoff", "max-speed", "--alpha", "0.5"]) == "takeoff"
    assert requested_group(["--help"]) == "" and requested_group([]) == ""
    assert requested_group(["nosuch"]) is None  # mount everything so that Click can suggest a name
    from typer.main import get_command

    full = get_command(build_app())
    only = get_command(build_app("growth"))
    assert sorted(full.commands) == sorted(only.commands) == sorted([*group_names(), "report"])
    assert only.commands["growth"].commands.keys() == full.commands["growth"].commands.keys()
    assert not only.commands["takeoff"].commands  # a help-only stand-in
    assert only.commands["takeoff"].help == full.commands["takeoff"].help


def test_help_runs_without_heavy_imports():
    # --help builds every group's help text: still nothing heavy.
    stmt = (
        "from typer.main import get_command\nimport aiprogress.cli as c\n"
        "cmd = get_command(c.app)\n"
        "try:\n    cmd.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    assert _heavy_after(stmt) == []
