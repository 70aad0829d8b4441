"""The one registration point of every capability.

A capability is listed here once, by module path (nothing is imported until it
is needed, so ``aiprogress --help`` stays fast). One entry names everything the
rest of the package mounts for it:

- ``cli``: Typer sub-apps, as ``(group name, "module:attribute", help)``;
- ``report``: modules whose ``@register_section`` functions build report sections;
  ``report_light=True`` says they import and build with what the report builder itself
  loads (pandas, matplotlib, DuckDB, Plotly) and none of the heavy scientific modules, so a
  parallel build starts them in a first worker while it imports the other report modules;
- ``derived``: ``"module:function"`` callables ``f(tables) -> {name: DataFrame}``
  that ``data build`` stores as derived catalog tables;
- ``scorecard``: ``"module:function"`` callables ``f(ctx) -> list[ReplicationRow]``
  feeding the report's replication scorecard;
- ``distributions``: ``"module:function"`` callables ``f(name) -> dict`` that
  resolve ``{from: "<capability>:<name>"}`` references in takeoff scenarios (a provider
  that reads shared data reads it from :func:`current_data_source`, which a report
  section sets to its catalog / data folder with :func:`data_source`);
- ``app``: a module exposing ``page()`` for the explorer.

The order of :data:`CAPABILITIES` is the order of the CLI help and the report.
This module imports nothing from the capabilities, so any module may import it.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator


@dataclass(frozen=True)
class Capability:
    key: str
    title: str
    cli: tuple[tuple[str, str, str], ...] = ()
    report: tuple[str, ...] = ()
    report_light: bool = False
    derived: tuple[str, ...] = ()
    scorecard: tuple[str, ...] = ()
    distributions: tuple[str, ...] = ()
    app: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "data", "Data sources",
        cli=(("data", "aiprogress.data.cli:app", "Load, validate, catalogue and fetch the data sources."),),
        report=("aiprogress.data.report",), report_light=True,
        app="aiprogress.app.pages.data",
    ),
    Capability(
        "compute", "Training compute",
        cli=(("compute", "aiprogress.compute.cli:app", "Training-compute accounting."),),
        report=("aiprogress.compute.report",), report_light=True,
        derived=("aiprogress.compute.tables:compute_estimates_table",),
    ),
    Capability(
        "scaling", "Scaling and compute trends",
        cli=(
            ("scaling", "aiprogress.scaling.cli:app", "Compute-performance scaling fits and extrapolation."),
            ("trends", "aiprogress.scaling.cli:trends_app", "Growth trends of training compute."),
        ),
        report=("aiprogress.scaling.report",),
        scorecard=("aiprogress.scaling.report:scorecard",),
        app="aiprogress.app.pages.scaling",
    ),
    Capability(
        "ideas", "Idea production function",
        cli=(("ideas", "aiprogress.ideas.cli:app", "Idea production function estimation."),),
        report=("aiprogress.ideas.report",),
        scorecard=("aiprogress.ideas.report:scorecard",),
    ),
    Capability(
        "algorithmic", "Algorithmic progress",
        cli=(("algorithmic", "aiprogress.algorithmic.cli:app",
              "Algorithmic progress: compute halving times, decomposition, returns to software r, meta-analysis."),),
        report=("aiprogress.algorithmic.report",),
        scorecard=("aiprogress.algorithmic.report:scorecard",),
        distributions=("aiprogress.algorithmic.meta:provide",),
    ),
    Capability(
        "geography", "Geography of deep learning",
        cli=(("geography", "aiprogress.geography.cli:app",
              "Geography of deep learning: DL classification, GPT tests, RCA, concentration, cluster regression."),),
        report=("aiprogress.geography.report",),
        scorecard=("aiprogress.geography.replicate:scorecard",),
        app="aiprogress.app.pages.geography",
    ),
    Capability(
        "humancapital", "Learned human capital",
        cli=(("humancapital", "aiprogress.humancapital.cli:app",
              "Learned human capital of research teams: features, train, evaluate (Fig. 3), score Epoch models."),),
        report=("aiprogress.humancapital.report",),
        scorecard=("aiprogress.humancapital.report:scorecard",),
    ),
    Capability(
        "growth", "Semi-endogenous growth",
        cli=(("growth", "aiprogress.growth.cli:app", "Semi-endogenous growth model."),),
        report=("aiprogress.growth.report",),
        scorecard=("aiprogress.growth.report:scorecard",),
        app="aiprogress.app.pages.growth",
    ),
    Capability(
        "takeoff", "Takeoff",
        cli=(("takeoff", "aiprogress.takeoff.cli:app", "Takeoff models: CES research production, software intelligence explosion."),),
        report=("aiprogress.takeoff.report", "aiprogress.takeoff.report_models", "aiprogress.takeoff.report_estimates"),
        scorecard=("aiprogress.takeoff.report:scorecard",),
        distributions=("aiprogress.takeoff.providers:provide",),
        app="aiprogress.app.pages.takeoff",
    ),
    Capability(
        "app", "Explorer",
        cli=(("app", "aiprogress.app.cli:app", "Serve the interactive explorer in the browser (127.0.0.1 by default)."),),
    ),
)


# The function every analysis uses to read a catalog table (see aiprogress.paths for
# which catalog): named here so low-level modules (reportkit) can reach it by name.
TABLE_LOADER = "aiprogress.data:load_table"


def table_loader() -> Any:
    return resolve(TABLE_LOADER)


def capabilities() -> tuple[Capability, ...]:
    return CAPABILITIES


def get(key: str) -> Capability:
    for cap in CAPABILITIES:
        if cap.key == key:
            return cap
    raise KeyError(key)


def resolve(ref: str) -> Any:
    """Import ``"package.module:attribute"`` (or a plain module path) and return it."""
    module, _, attr = ref.partition(":")
    mod = importlib.import_module(module)
    return getattr(mod, attr) if attr else mod


def report_modules() -> list[str]:
    return [m for cap in CAPABILITIES for m in cap.report]


def derived_functions() -> list[Any]:
    return [resolve(ref) for cap in CAPABILITIES for ref in cap.derived]


def scorecard_functions() -> list[tuple[str, Any]]:
    return [(cap.key, resolve(ref)) for cap in CAPABILITIES for ref in cap.scorecard]


_DATA_SOURCE: ContextVar[tuple[Any, Any]] = ContextVar("aiprogress_data_source", default=(None, None))


@contextmanager
def data_source(*, catalog: str | Path | None = None, data_dir: str | Path | None = None) -> Iterator[None]:
    """Within the block, providers that read shared data (e.g. ``algorithmic:meta``) read it from
    ``catalog`` / ``data_dir`` (as a report section's context gives them) instead of the default rule of
    :func:`aiprogress.data.load_table`. Context-local: other threads and tasks keep their own."""
    token = _DATA_SOURCE.set((catalog, data_dir))
    try:
        yield
    finally:
        _DATA_SOURCE.reset(token)


def current_data_source() -> dict[str, Any]:
    """``{"catalog": ..., "data_dir": ...}`` set by the innermost :func:`data_source` (both None outside one)."""
    catalog, data_dir = _DATA_SOURCE.get()
    return {"catalog": catalog, "data_dir": data_dir}


def distribution(ref: str, **options: Any) -> dict:
    """Resolve ``"<capability>:<name>"`` to a distribution spec via that capability's providers.

    ``options`` (a scenario's ``with:`` mapping) are passed on to the provider; a provider that takes
    none is called with the name alone."""
    key, _, name = ref.partition(":")
    try:
        cap = get(key)
    except KeyError:
        known = ", ".join(c.key for c in CAPABILITIES if c.distributions) or "none"
        raise LookupError(f"unknown capability '{key}' in distribution reference '{ref}' (capabilities with distributions: {known})") from None
    if not cap.distributions:
        raise LookupError(f"capability '{key}' provides no distributions")
    errors = []
    for provider_ref in cap.distributions:
        try:
            provider = resolve(provider_ref)
            return provider(name, **options) if options else provider(name)
        except LookupError as exc:
            errors.append(str(exc))
    raise LookupError("; ".join(errors) or f"no distribution '{name}' in capability '{key}'")
