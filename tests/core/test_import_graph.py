"""Imports between capability folders run one way (checked from the AST of every module).

Layers, lowest first (SPEC.md): data -> compute -> analyses (scaling, ideas,
algorithmic, geography, humancapital) -> projections (growth, takeoff) ->
report / app. A module may import its own layer or a lower one, never a higher
one, and the folder graph has no cycle. The shared low-level modules (errors,
results, clikit, ...) import no capability. Every ``import x`` and ``from x import
y`` counts, at module level or inside a function (lazy imports are still
dependencies); relative imports are resolved. References by string (as in
``capabilities.py``) are not imports.

New folders are picked up automatically: the cycle check covers them as they
appear, and a folder without a layer fails the last test, naming it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import aiprogress

ROOT = Path(aiprogress.__file__).resolve().parent
PACKAGE = "aiprogress"

LAYERS: dict[str, int] = {
    "data": 0,
    "compute": 1,
    **dict.fromkeys(("scaling", "ideas", "algorithmic", "geography", "humancapital"), 2),
    **dict.fromkeys(("growth", "takeoff"), 3),
    **dict.fromkeys(("report", "app"), 4),
}
SHARED = {"errors", "results", "clikit", "fileio", "paths", "capabilities", "replication", "reportkit", "stats", "_lazy"}
ENTRY = {"__init__", "__main__", "cli"}  # the root package and the command line mount everything


def _units() -> set[str]:
    """Top-level modules and folders under aiprogress/ (a folder counts if it holds Python files)."""
    out = {p.stem for p in ROOT.glob("*.py")}
    out |= {p.name for p in ROOT.iterdir() if p.is_dir() and any(p.rglob("*.py")) and not p.name.startswith("__")}
    return out


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [PACKAGE, *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    return _imports_in(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py", str(path))


def _imports_in(source: str, modname: str, is_pkg: bool, filename: str = "<test>") -> list[tuple[str, int]]:
    """Absolute names imported by a module (``from a import b`` yields ``a.b`` and ``a``), with line numbers."""
    tree = ast.parse(source, filename=filename)
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = modname.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append((mod, node.lineno))
            out.extend((f"{mod}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*")
    return out


def _unit_of(name: str, units: set[str]) -> str | None:
    parts = name.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    return parts[1] if parts[1] in units else None


def _edges() -> dict[tuple[str, str], list[str]]:
    """(importer unit, imported unit) -> ["file:line", ...] for every import across units."""
    units = _units()
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        src_unit = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        for name, line in _imports(path):
            dst = _unit_of(name, units)
            site = f"{rel}:{line}"
            if dst is not None and dst != src_unit and site not in edges.get((src_unit, dst), ()):
                edges.setdefault((src_unit, dst), []).append(site)
    return edges


EDGES = _edges()


def _where(a: str, b: str) -> str:
    sites = EDGES[(a, b)]
    return ", ".join(sites[:3]) + (f" (+{len(sites) - 3} more)" if len(sites) > 3 else "")


def test_the_parser_sees_lazy_and_relative_imports():
    # Independent reference: a hand-written module (as if it were aiprogress/ideas/probe.py) with every import form.
    source = (
        "import aiprogress.data.loaders\nfrom aiprogress.compute import estimate\nfrom . import sample\n"
        "from .. import results\ndef f():\n    from aiprogress.growth.model import steady_state\n"
    )
    names = {n for n, _ in _imports_in(source, "aiprogress.ideas.probe", is_pkg=False)}
    assert {"aiprogress.data.loaders", "aiprogress.compute.estimate", "aiprogress.ideas.sample",
            "aiprogress.results", "aiprogress.growth.model.steady_state"} <= names
    pkg_names = {n for n, _ in _imports_in("from . import sample\n", "aiprogress.ideas", is_pkg=True)}
    assert "aiprogress.ideas.sample" in pkg_names
    units = {"data", "compute", "ideas", "growth", "results"}
    assert {_unit_of(n, units) for n in names} - {None} == units


def test_no_cycle_between_capability_folders():
    graph: dict[str, set[str]] = {}
    for a, b in EDGES:
        if a in ENTRY or b in ENTRY:
            continue
        graph.setdefault(a, set()).add(b)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    assert {"data", "compute", "takeoff"} <= set(graph)  # the scan found the capability folders' imports
    cycles = []
    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                hops = "; ".join(f"{a} -> {b} at {_where(a, b)}" for a, b in zip(cycle, cycle[1:]))
                cycles.append(f"import cycle {' -> '.join(cycle)}: {hops}")
    assert cycles == []


def test_shared_modules_import_no_capability():
    bad = [f"{a} -> {b} at {_where(a, b)}" for a, b in sorted(EDGES) if a in SHARED and b not in SHARED]
    assert not bad, "shared low-level modules must not import a capability: " + "; ".join(bad)


def test_imports_run_from_lower_to_higher_layers():
    bad = [
        f"{a} (layer {LAYERS[a]}) -> {b} (layer {LAYERS[b]}) at {_where(a, b)}"
        for a, b in sorted(EDGES)
        if a in LAYERS and b in LAYERS and LAYERS[b] > LAYERS[a]
    ]
    assert not bad, "a capability imports one of a higher layer: " + "; ".join(bad)


def test_every_folder_has_a_layer():
    unknown = sorted(u for u in _units() if u not in LAYERS and u not in SHARED and u not in ENTRY)
    assert not unknown, f"add these to LAYERS (or SHARED) in {Path(__file__).name}: {unknown}"
